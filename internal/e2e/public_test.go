package e2e_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"thonso/internal/demo"
	"thonso/internal/domain"
)

// TestPublicPageInChromium: a resident on a 360 px phone opens Đông Căm's
// page (no login, no script), follows the poster and QR links, and looks
// up a dossier the team has just received, with the code on the slip and
// the last four digits of the phone.
func TestPublicPageInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)

	// The team receives a dossier; the slip carries the lookup code and
	// its QR code.
	team := newBrowser(t, chromium, base)
	team.open("/login?next=%2Fvillages%2FT000001%2Fdossiers%2Fnew", http.StatusOK)
	team.setField("#login", "thanhvien.dongcam")
	team.setField("#password", demo.Password)
	team.submit("#login-submit", http.StatusOK)
	team.setField("#applicant_name", "Hà Thị Tra Cứu")
	team.setField("#applicant_phone", "0399 999 321")
	team.setField("#received_on", domain.DateOf(time.Now()).VN())
	if err := team.selectValue("#procedure", "2.000815"); err != nil {
		t.Fatal(err)
	}
	team.submit("#dossier-receive", http.StatusOK)
	code := team.mustText("#lookup-code")
	team.wantText("#slip-lookup", "/tra-cuu?ma="+code)
	if n := team.count("#slip-qr svg path"); n != 1 {
		t.Fatalf("the slip has %d QR paths", n)
	}

	// A resident, in a fresh browser, on a small phone.
	b := newBrowser(t, chromium, base)
	b.noHorizontalScroll(360, 740)
	b.open("/v/dong-cam", http.StatusOK)
	b.wantExact("#village-name", "Thôn Đông Căm")
	b.wantText("#commune", "Xã Gia Phú")
	b.wantText("#schedule", "Thứ Hai 19:30–21:00", "Thứ Tư 19:30–21:00", "Thứ Sáu 19:30–21:00")
	if next := b.mustText("#next-session"); !regexp.MustCompile(`^Thứ (Hai|Tư|Sáu) \d{2}/\d{2}/\d{4} 19:30–21:00\s+Nhà văn hoá`).MatchString(next) {
		t.Errorf("next session: %q", next)
	}
	b.wantText("#wifi", "DongCam-NVH")
	b.wantText("#privacy", "đã đồng ý công khai")
	if n := b.count("script"); n != 0 {
		t.Errorf("the public page has %d scripts", n)
	}
	b.noHorizontalScroll(360, 740)
	b.screenshot("20-village-page")

	// The poster link gives the A4 PDF (headless chromium downloads a PDF
	// instead of showing it, so the page fetches the link it shows).
	got := b.fetch("#poster-link")
	if !strings.HasPrefix(got, "200 application/pdf %PDF-") {
		t.Fatalf("poster link: %q", got)
	}
	// The QR link opens the code itself.
	b.submit("#qr-link", http.StatusOK)
	if n := b.count("svg path"); n != 1 {
		t.Fatalf("QR page: %d paths\n%s", n, b.snippet())
	}

	// The status lookup: a wrong answer, then the right one.
	b.open("/v/dong-cam", http.StatusOK)
	b.submit("#lookup-link", http.StatusOK)
	b.setField("#code", code)
	b.setField("#phone4", "9999")
	b.submit("#lookup-submit", http.StatusUnprocessableEntity)
	b.wantText("#lookup-error", "không khớp")
	b.setField("#code", strings.ToLower(code))
	b.setField("#phone4", "9321")
	b.submit("#lookup-submit", http.StatusOK)
	b.wantText("#result-procedure", "Chứng thực bản sao")
	b.wantText("#result-step", "Tiếp nhận")
	b.wantMatchDate("#result-date")
	b.wantNoText("#lookup-result", "Hà Thị Tra Cứu", "0399")
	b.noHorizontalScroll(360, 740)
	b.screenshot("21-lookup")
}

// count is how many elements match sel.
func (b *browser) count(sel string) int {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.querySelectorAll("+jsString(sel)+").length"))
	if err != nil {
		b.t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// fetch has the page fetch the href of the link sel, and answers
// "STATUS CONTENT-TYPE FIRST-5-BYTES".
func (b *browser) fetch(sel string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	js := `fetch(document.querySelector(` + jsString(sel) + `).href).then(async r => r.status + " " + r.headers.get("content-type") + " " + (await r.text()).slice(0, 5))`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("fetch %s: %v", sel, err)
	}
	return got
}

func jsString(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
