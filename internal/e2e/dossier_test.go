package e2e_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"thonso/internal/demo"
	"thonso/internal/domain"
)

// TestDossierInChromium: a member receives a dossier, submits it, records
// a correction request, resubmits, collects and returns the result, and
// sees it leave the work queue.
func TestDossierInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	b := newBrowser(t, chromium, base)
	today := domain.DateOf(time.Now()).VN()

	b.open("/login?next=%2Fvillages%2FT000001%2Fdossiers", http.StatusOK)
	b.setField("#login", "thanhvien.dongcam")
	b.setField("#password", demo.Password)
	b.submit("#login-submit", http.StatusOK)
	b.submit("#dossier-new", http.StatusOK)
	b.setField("#applicant_name", "Hà Thị Thử")
	b.setField("#received_on", today)
	if err := b.selectValue("#procedure", "2.000815"); err != nil {
		t.Fatal(err)
	}
	b.submit("#dossier-receive", http.StatusOK)
	b.wantText("#dossier-state", "1. Tiếp nhận")
	b.screenshot("13-dossier")
	b.noHorizontalScroll(360, 740)
	code := b.mustText("#lookup-code")
	b.wantVisible("#print-slip")
	slip := b.printedText()
	for _, want := range []string{"PHIẾU TIẾP NHẬN", code, "Hà Thị Thử", "Ngày hẹn trả dự kiến", "Người nộp hồ sơ", "Tổ viên tiếp nhận", "(Ký, ghi rõ họ tên)"} {
		if !strings.Contains(slip, want) {
			t.Errorf("printed slip lacks %q:\n%s", want, slip)
		}
	}
	for _, unwanted := range []string{"Đăng xuất", "Bước tiếp theo", "Xem ngày"} {
		if strings.Contains(slip, unwanted) {
			t.Errorf("printed slip shows the screen's %q:\n%s", unwanted, slip)
		}
	}

	for _, s := range []struct{ action, portal, note, state string }{
		{"submit", "H15.24-E2E-0001", "", "2. Đã nộp trực tuyến"},
		{"accept", "", "", "3. Cơ quan đang xử lý"},
		{"request_correction", "", "Bổ sung bản chính", "3. Yêu cầu bổ sung"},
		{"resubmit", "", "", "2. Đã nộp trực tuyến"},
		{"accept", "", "", "3. Cơ quan đang xử lý"},
		{"collect", "", "", "4. Đã nhận kết quả tại xã"},
		{"return", "", "", "5. Đã trả kết quả"},
	} {
		if err := b.selectValue("#action", s.action); err != nil {
			t.Fatalf("%s: %v", s.action, err)
		}
		b.setField("#on", today)
		b.setField("#portal_code", s.portal)
		b.setField("#note", s.note)
		b.submit("#step-submit", http.StatusOK)
		b.wantText("#dossier-state", s.state)
	}
	// "E2E" is not a date: the code is kept, and the team asked to check it.
	b.wantText("#portal-code-warning", "không giống dạng thường gặp")
	b.open("/villages/T000001/dossiers", http.StatusOK)
	b.wantNoText("main", code)

	// This month's log book lists it, received and returned today, and
	// prints as the paper book with a signature column.
	b.submit("#dossier-log", http.StatusOK)
	b.wantText("#log-table", code, "Hà Thị Thử", "H15.24-E2E-0001")
	b.screenshot("14-dossier-log")
	b.noHorizontalScroll(360, 740)
	book := b.printedText()
	for _, want := range []string{"SỔ THEO DÕI TIẾP NHẬN VÀ TRẢ KẾT QUẢ HỒ SƠ", "Người nhận ký", code, "Tổ trưởng"} {
		if !strings.Contains(book, want) {
			t.Errorf("printed log lacks %q:\n%s", want, book)
		}
	}
}

// wantVisible checks that sel is shown (not hidden, takes up space).
func (b *browser) wantVisible(sel string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	js := `(function(){const e=document.querySelector(` + strconv.Quote(sel) + `);return !!e && !e.hidden && e.getClientRects().length>0})()`
	if shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil || !shown {
		b.t.Fatalf("%s is not visible (%v)\n%s", sel, err, b.snippet())
	}
}

// printedText prints the current page to PDF as Chromium would on paper
// (print stylesheet applied) and returns the PDF's text as pdftotext reads
// it. Where pdftotext is missing it skips, except in CI.
func (b *browser) printedText() string {
	b.t.Helper()
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("THONSO_CI") != "" {
			b.t.Fatal("pdftotext (poppler-utils) is required in CI")
		}
		b.t.Skip("pdftotext not installed")
	}
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Run(ctx, func(ctx context.Context, _ *chromedp.Target) (page.PrintToPDFResult, error) {
		return chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{})
	})
	pdf := res.Data
	if err != nil {
		b.t.Fatalf("print to PDF: %v", err)
	}
	file := filepath.Join(b.t.TempDir(), "slip.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	if b.shots != "" {
		b.prints++
		_ = os.WriteFile(filepath.Join(b.shots, "print-"+strconv.Itoa(b.prints)+".pdf"), pdf, 0o644)
	}
	out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	if err != nil {
		b.t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// selectValue chooses an option of a <select> by its value.
func (b *browser) selectValue(sel, value string) error {
	ctx, cancel := b.step()
	defer cancel()
	return chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value))
}
