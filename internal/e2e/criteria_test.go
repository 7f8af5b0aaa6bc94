package e2e_test

import (
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"thonso/internal/demo"
)

// TestAssessmentInChromium: the team leader opens Đông Căm's scorecard,
// follows the records behind the 66,4%, starts an assessment, enters the
// indicators that are not computed (one with a photo), submits; the
// commune officer sends it back; the team resubmits; the officer
// verifies; the province approves.
func TestAssessmentInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	login := func(who, next string) *browser {
		b := newBrowser(t, chromium, base)
		b.open("/login?next="+next, http.StatusOK)
		b.setField("#login", who)
		b.setField("#password", demo.Password)
		b.submit("#login-submit", http.StatusOK)
		return b
	}
	lead := login("totruong.dongcam", "%2Fvillages%2FT000001%2Fscorecard%3Fat%3D31%2F10%2F2024")
	lead.wantText("#ind-6", "66,4%", "257 / 387 người từ 14 tuổi", "cần thêm 92 người")
	lead.screenshot("20-scorecard")
	lead.noHorizontalScroll(360, 740)
	lead.submit("#ind-6 a.prov", http.StatusOK)
	lead.wantText("#counted-title", "257")
	lead.wantText("#others-title", "130")

	lead.open("/villages/T000001/scorecard?at=30/06/2025", http.StatusOK)
	lead.setField("#as_of", "30/06/2025")
	lead.submit("#assessment-start-submit", http.StatusOK)
	lead.wantText("#assessment-state", "Tổ đang nhập")

	photo := filepath.Join(t.TempDir(), "wifi.png")
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := 0; x < 64; x++ {
		img.Set(x, x%48, color.RGBA{0, 90, 170, 255})
	}
	f, err := os.Create(photo)
	if err != nil {
		t.Fatal(err)
	}
	png.Encode(f, img)
	f.Close()
	values := map[string]string{"4": "85", "9": "60", "10": "1"}
	for _, code := range []string{"4", "9", "10"} {
		form := "#enter-" + code
		if v, ok := values[code]; ok {
			lead.setField(form+" input[name=value]", v)
		}
		if code == "4" {
			ctx, cancel := lead.step()
			if _, err := chromedp.Run(ctx, chromedp.SetUploadFiles(chromedp.CSS(form+" input[type=file]"), []string{photo})); err != nil {
				cancel()
				t.Fatal(err)
			}
			cancel()
		}
		lead.submit(form+"-save", http.StatusOK)
	}
	lead.wantText("#ind-4", "minh chứng")
	lead.submit("#assessment-submit", http.StatusOK)
	lead.wantText("#assessment-state", "Đã gửi xã")
	path := lead.path()

	officer := login("canbo.giaphu", "%2F")
	officer.open(path, http.StatusOK)
	officer.setField("#comment", "Thiếu ảnh điểm Wi-Fi thứ hai")
	officer.submit("#assessment-return", http.StatusOK)
	officer.wantText("#assessment-state", "Xã trả lại")

	lead.open(path, http.StatusOK)
	lead.wantText("#round-list", "Thiếu ảnh điểm Wi-Fi thứ hai")
	lead.submit("#assessment-submit", http.StatusOK)

	officer.open(path, http.StatusOK)
	officer.submit("#assessment-verify", http.StatusOK)
	officer.wantText("#assessment-state", "Xã đã xác minh")

	province := login("canbo.laocai", "%2F")
	province.open(path, http.StatusOK)
	if _, found := province.text("#decision_no"); found {
		province.setField("#decision_no", "215/QĐ-UBND")
		province.setField("#decision_date", "15/07/2025")
	}
	province.submit("#assessment-approve", http.StatusOK)
	province.wantText("#assessment-state", "Đã phê duyệt")
	province.screenshot("21-assessment")
}

// path is the current page's path.
func (b *browser) path() string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	p, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		b.t.Fatal(err)
	}
	return p
}
