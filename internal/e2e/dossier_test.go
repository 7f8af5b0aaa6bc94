package e2e_test

import (
	"net/http"
	"testing"
	"time"

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
	b.open("/villages/T000001/dossiers", http.StatusOK)
	b.wantNoText("main", code)
}

// selectValue chooses an option of a <select> by its value.
func (b *browser) selectValue(sel, value string) error {
	ctx, cancel := b.step()
	defer cancel()
	return chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value))
}
