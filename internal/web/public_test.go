package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
	"thonso/internal/web"
)

// leaderActor is Đông Căm's team leader, for changes made through the store.
func leaderActor(t *testing.T, s *store.Store) *domain.Actor {
	t.Helper()
	u, _, err := s.Credentials(context.Background(), "totruong.dongcam")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Actor(context.Background(), u, "127.0.0.1", "web")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func plainGet(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// A bare transport: no automatic gzip, so the bytes are those on the wire.
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// TestVillagePageFromDemo: Đông Căm's page at the fixed clock (Saturday
// 31/10/2026, 10:00 in Vietnam) shows the village, its commune today,
// the schedule, the next session on Monday evening, the featured
// procedures with their papers, the Wi-Fi points, the cultural house,
// the Zalo group, the privacy notice, and no script or cookie.
func TestVillagePageFromDemo(t *testing.T) {
	env := newLoginEnv(t)
	res, body := plainGet(t, env.srv.URL+"/v/dong-cam")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	page := string(body)
	for _, want := range []string{
		`<h1 id="village-name">Thôn Đông Căm</h1>`, "Xã Gia Phú, Tỉnh Lào Cai", demo.DongCamIntro,
		"Thứ Hai 19:30–21:00, Nhà văn hoá Thôn Đông Căm", "Thứ Tư 19:30–21:00", "Thứ Sáu 19:30–21:00",
		`id="next-session"><strong>Thứ Hai 02/11/2026 19:30–21:00</strong>`,
		"Xác nhận thông tin về cư trú", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Giấy tờ cần mang:", "Bản chính giấy tờ, văn bản",
		"DongCam-NVH", "6:00–22:00", "miễn phí", "2 máy tính", "Cáp quang VNPT 100 Mbps",
		`href="https://zalo.me/g/dongcam-minhhoa"`, "Tổ trưởng", `href="tel:0399995001">0399 995 001</a>`,
		"Về thông tin trên trang này", "Số điện thoại chỉ hiện với thành viên đã đồng ý công khai", "UBND Xã Gia Phú.",
		"Cập nhật lần cuối: 31/10/2026", "Dữ liệu minh hoạ", `href="/v/dong-cam/poster.pdf"`, `href="/v/dong-cam/qr.svg"`, `href="/tra-cuu"`,
		`href="/lang/en?next=%2Fv%2Fdong-cam"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "Huyện Bảo Thắng") {
		t.Error("the page has a script or the old district")
	}
	if res.Header.Get("Set-Cookie") != "" || res.Header.Get("ETag") == "" || res.Header.Get("Last-Modified") == "" {
		t.Errorf("headers %v", res.Header)
	}
	// English is one tap away.
	b := newBrowser(t, env.srv.URL)
	b.get("/lang/en?next=/v/dong-cam")
	_, en, _ := b.get("/v/dong-cam")
	if !strings.Contains(en, "Next session") || !strings.Contains(en, "Monday 02/11/2026 19:30–21:00") || !strings.Contains(en, `lang="en"`) {
		t.Errorf("English page:\n%.600s", en)
	}
}

// TestVillagePageSmall: the page and its stylesheet together stay under
// 30 KB over the wire (gzip), with no other file needed.
func TestVillagePageSmall(t *testing.T) {
	env := newLoginEnv(t)
	res, body := plainGet(t, env.srv.URL+"/v/dong-cam", "Accept-Encoding", "gzip")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("not gzipped: %v", res.Header)
	}
	css := regexp.MustCompile(`href="(/static/public\.[0-9a-f]+\.css)"`).FindSubmatch(mustGunzip(t, body))
	if css == nil {
		t.Fatal("no stylesheet")
	}
	_, cssBody := plainGet(t, env.srv.URL+string(css[1]))
	total := len(body) + len(cssBody)
	if total > 30*1024 {
		t.Fatalf("page %d + css %d bytes = %d > 30 KB", len(body), len(cssBody), total)
	}
	t.Logf("page %d bytes gzipped, css %d bytes", len(body), len(cssBody))
}

func mustGunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestVillagePageConsent: a member's phone shows only with consent.
func TestVillagePageConsent(t *testing.T) {
	env := newLoginEnv(t)
	ctx := context.Background()
	dc := mustVillage(t, env)
	teams, _ := env.store.TeamsOf(ctx, dc, demo.End)
	ms, _ := env.store.Members(ctx, teams[0].ID, demo.End)
	// Two new members with phones: one agreed, one did not.
	a := leaderActor(t, env.store)
	for _, m := range []domain.Member{
		{TeamID: teams[0].ID, FullName: "Lý Văn Đồng Ý", Phone: "0399 997 701", Role: domain.RoleTeamMember, JoinedOn: domain.MustDate("2026-10-01"), PhonePublic: true, ConsentOn: domain.MustDate("2026-10-01")},
		{TeamID: teams[0].ID, FullName: "Lý Văn Chưa Đồng Ý", Phone: "0399 997 702", Role: domain.RoleTeamMember, JoinedOn: domain.MustDate("2026-10-01")},
	} {
		if _, err := env.store.AddMember(ctx, a, m); err != nil {
			t.Fatal(err)
		}
	}
	_, body := plainGet(t, env.srv.URL+"/v/dong-cam")
	page := string(body)
	hidden := 0
	for _, m := range ms {
		if m.Phone == "" || !m.ActiveOn(demo.End) {
			continue
		}
		shown := strings.Contains(page, m.Phone) || strings.Contains(page, domain.PhoneDisplay(m.Phone))
		if m.PublicPhone() == "" {
			hidden++
			if shown {
				t.Errorf("%s's phone shown without consent", m.FullName)
			}
		} else if !shown {
			t.Errorf("%s's phone missing though consented", m.FullName)
		}
	}
	if hidden == 0 {
		t.Fatal("the demo has no member without consent to test")
	}
	if !strings.Contains(page, "0399 997 701") || strings.Contains(page, "0399997702") || strings.Contains(page, "0399 997 702") || !strings.Contains(page, "Lý Văn Chưa Đồng Ý") {
		t.Error("consent not followed for the new members")
	}
	// The poster follows the same rule.
	_, pdf := plainGet(t, env.srv.URL+"/v/dong-cam/poster.pdf")
	if text := pdfText(t, pdf); text != "" && (strings.Contains(text, "0399 997 702") || !strings.Contains(text, "0399 997 701")) {
		t.Errorf("poster phones:\n%s", text)
	}
}

// TestVillageSlugRedirect: after a rename, the old slug (and the QR codes
// printed with it) redirect permanently to the new one.
func TestVillageSlugRedirect(t *testing.T) {
	env := newLoginEnv(t)
	_, err := env.store.ApplyUnitBatch(context.Background(), nil, domain.UnitBatch{
		Renames: []domain.NewRename{{Code: "T000001", Level: domain.LevelVillage, Name: "Thôn Đông Căm Mới", Effective: domain.MustDate("2026-09-01")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/v/dong-cam":                 "/v/dong-cam-moi",
		"/v/dong-cam/qr.svg":          "/v/dong-cam-moi/qr.svg",
		"/v/dong-cam/qr.png?size=256": "/v/dong-cam-moi/qr.png?size=256",
		"/v/dong-cam/poster.pdf":      "/v/dong-cam-moi/poster.pdf",
		"/v/DONG-CAM":                 "/v/dong-cam-moi",
	} {
		res, _ := plainGet(t, env.srv.URL+path)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("%s: %d → %q, want 301 → %q", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	if res, _ := plainGet(t, env.srv.URL+"/v/Dong-Cam-Moi"); res.StatusCode != 301 || res.Header.Get("Location") != "/v/dong-cam-moi" {
		t.Errorf("capitals: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := plainGet(t, env.srv.URL+"/v/dong-cam-moi")
	if res.StatusCode != 200 || !strings.Contains(string(body), "Thôn Đông Căm Mới") {
		t.Fatalf("new slug: %d", res.StatusCode)
	}
}

// TestVillageNotFound: an unknown slug is a friendly Vietnamese 404 with
// a search box.
func TestVillageNotFound(t *testing.T) {
	env := newLoginEnv(t)
	res, body := plainGet(t, env.srv.URL+"/v/khong-co-thon-nay")
	page := string(body)
	if res.StatusCode != 404 || !strings.Contains(page, "Không có thôn nào mang địa chỉ “khong-co-thon-nay”") ||
		!strings.Contains(page, `action="/units"`) || !strings.Contains(page, `name="q"`) || !strings.Contains(page, `value="khong co thon nay"`) {
		t.Fatalf("404: %d\n%s", res.StatusCode, page)
	}
	for _, p := range []string{"/v/khong-co/qr.svg", "/v/khong-co/poster.pdf", "/v/02923"} {
		if res, _ := plainGet(t, env.srv.URL+p); res.StatusCode != 404 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
}

// decodeQR reads a QR code back from an image, as a phone's camera would.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return res.GetText()
}

// svgImage draws our SVG's path (M x y h w v1 h-w z runs) as a bitmap.
func svgImage(t *testing.T, svg string) image.Image {
	t.Helper()
	m := regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no viewBox: %.200s", svg)
	}
	n, _ := strconv.Atoi(m[1])
	const scale = 8
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for _, r := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)`).FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		w, _ := strconv.Atoi(r[3])
		for yy := y * scale; yy < (y+1)*scale; yy++ {
			for xx := x * scale; xx < (x+w)*scale; xx++ {
				img.SetGray(xx, yy, color.Gray{0})
			}
		}
	}
	return img
}

// TestVillageQR: both QR codes decode back to the page's absolute URL,
// the configured public one when set; a bad size is a 400 in Vietnamese.
func TestVillageQR(t *testing.T) {
	env := newLoginEnv(t)
	res, body := plainGet(t, env.srv.URL+"/v/dong-cam/qr.png?size=300")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("png: %d %v", res.StatusCode, res.Header)
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeQR(t, img); got != env.srv.URL+"/v/dong-cam" {
		t.Fatalf("png QR says %q", got)
	}
	if img.Bounds().Dx() != 300 {
		t.Errorf("size %v", img.Bounds())
	}
	res, body = plainGet(t, env.srv.URL+"/v/dong-cam/qr.svg")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("svg: %d %v", res.StatusCode, res.Header)
	}
	if got := decodeQR(t, svgImage(t, string(body))); got != env.srv.URL+"/v/dong-cam" {
		t.Fatalf("svg QR says %q", got)
	}
	for _, size := range []string{"5", "127", "2049", "abc", "-300", "3e2"} {
		res, body := plainGet(t, env.srv.URL+"/v/dong-cam/qr.png?size="+size)
		if res.StatusCode != 400 || !strings.Contains(string(body), "Kích thước mã QR “"+size+"” không hợp lệ: cần một số từ 128 đến 2.048") {
			t.Errorf("size=%s: %d %s", size, res.StatusCode, body)
		}
	}
	// With a public base URL set, the code carries it.
	cat, _ := i18n.Load()
	now := func() time.Time { return time.Date(2026, 10, 31, 3, 0, 0, 0, time.UTC) }
	w, err := web.New(&web.Server{Store: env.store, Cat: cat, Now: now, PublicURL: "https://thonso.example.vn/"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w.Handler(nil))
	defer srv.Close()
	_, body = plainGet(t, srv.URL+"/v/dong-cam/qr.png")
	img, _ = png.Decode(bytes.NewReader(body))
	if got := decodeQR(t, img); got != "https://thonso.example.vn/v/dong-cam" {
		t.Fatalf("QR with public URL says %q", got)
	}
}

// pdfText extracts a PDF's text with Debian's pdftotext, as a reader's
// tool would; "" (after a skip note) when the tool is missing outside CI.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("THONSO_CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is missing in CI")
		}
		t.Log("pdftotext missing: PDF text not checked")
		return ""
	}
	path := filepath.Join(t.TempDir(), "p.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestVillagePoster: the A4 poster's text, extracted back, has every
// diacritic: the village, the weekdays, the cultural house, the phones,
// the procedures.
func TestVillagePoster(t *testing.T) {
	env := newLoginEnv(t)
	res, pdf := plainGet(t, env.srv.URL+"/v/dong-cam/poster.pdf")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("poster: %d %v", res.StatusCode, res.Header)
	}
	if !bytes.Contains(pdf, []byte("/MediaBox [0 0 595.28 841.89]")) {
		t.Error("not A4")
	}
	text := pdfText(t, pdf)
	if text == "" {
		return
	}
	norm := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Thôn Đông Căm", "Xã Gia Phú, Tỉnh Lào Cai", "Thứ Hai 19:30–21:00, Nhà văn hoá Thôn Đông Căm", "Thứ Tư", "Thứ Sáu",
		"Ma Thị Vân (Tổ trưởng): 0399 995 001", "Xác nhận thông tin về cư trú", "Chứng thực bản sao", "Wi-Fi miễn phí", "DongCam-NVH",
		env.srv.URL + "/v/dong-cam", "Quét mã để xem lịch trực", "nhà văn hoá"} {
		if !strings.Contains(norm, want) && !strings.Contains(strings.ToLower(norm), strings.ToLower(want)) {
			t.Errorf("poster text lacks %q:\n%s", want, text)
		}
	}
}

// TestVillagePageRevalidates: a repeat visit costs a 304 (ETag, either
// encoding, or Last-Modified), and any change the team makes gives a new
// ETag at once.
func TestVillagePageRevalidates(t *testing.T) {
	env := newLoginEnv(t)
	pageURL := env.srv.URL + "/v/dong-cam"
	res, _ := plainGet(t, pageURL)
	etag, lm := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	if etag == "" || lm == "" || !strings.Contains(res.Header.Get("Cache-Control"), "no-cache") {
		t.Fatalf("validators %v", res.Header)
	}
	res, body := plainGet(t, pageURL, "If-None-Match", etag)
	if res.StatusCode != 304 || len(body) != 0 {
		t.Fatalf("repeat: %d", res.StatusCode)
	}
	gz, _ := plainGet(t, pageURL, "Accept-Encoding", "gzip")
	if res, _ := plainGet(t, pageURL, "If-None-Match", gz.Header.Get("ETag"), "Accept-Encoding", "gzip"); res.StatusCode != 304 {
		t.Fatalf("repeat gzip: %d", res.StatusCode)
	}
	if res, _ := plainGet(t, pageURL, "If-Modified-Since", lm); res.StatusCode != 304 {
		t.Fatalf("If-Modified-Since: %d", res.StatusCode)
	}
	if res, _ := plainGet(t, pageURL, "If-None-Match", `"autre"`, "If-Modified-Since", lm); res.StatusCode != 200 {
		t.Fatalf("If-None-Match wins: %d", res.StatusCode)
	}
	// Each change the team makes shows at once.
	ctx := context.Background()
	a := leaderActor(t, env.store)
	dc := mustVillage(t, env)
	teams, _ := env.store.TeamsOf(ctx, dc, demo.End)
	changes := []struct {
		name string
		do   func() error
	}{
		{"wifi", func() error {
			_, err := env.store.AddWifi(ctx, a, domain.WifiPoint{VillageID: dc, Place: "Trường tiểu học", Free: true, Since: domain.MustDate("2026-10-30")})
			return err
		}},
		{"cancel next session", func() error {
			_, err := env.store.AddException(ctx, a, domain.Exception{TeamID: teams[0].ID, Kind: domain.ExceptionCancel, On: domain.MustDate("2026-11-02"), Reason: "Họp thôn"})
			return err
		}},
		{"intro", func() error { return env.store.SetIntro(ctx, a, dc, "Giới thiệu mới.") }},
		{"featured", func() error { return env.store.SetFeatured(ctx, a, dc, []string{"1.001193"}, demo.End) }},
	}
	for _, c := range changes {
		if err := c.do(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		res, _ := plainGet(t, pageURL, "If-None-Match", etag)
		if res.StatusCode != 200 || res.Header.Get("ETag") == etag {
			t.Fatalf("after %s: %d, ETag %s", c.name, res.StatusCode, res.Header.Get("ETag"))
		}
		etag = res.Header.Get("ETag")
	}
	_, body = plainGet(t, pageURL)
	if page := string(body); !strings.Contains(page, "Thứ Hai 02/11/2026: nghỉ — Họp thôn") || !strings.Contains(page, "Thứ Tư 04/11/2026 19:30–21:00") ||
		!strings.Contains(page, "Trường tiểu học") || !strings.Contains(page, "Đăng ký khai sinh") {
		t.Fatalf("changes not shown:\n%s", page)
	}
}

// demoDossier is a Đông Căm dossier with an applicant phone, not voided.
func demoDossier(t *testing.T, s *store.Store, villageID int64) domain.Dossier {
	t.Helper()
	ds, err := s.Dossiers(context.Background(), domain.Scope{All: true}, store.DossierQuery{VillageID: villageID, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if len(d.ApplicantPhone) == 10 && d.State != domain.StateVoided && d.PortalCode != "" {
			return d
		}
	}
	t.Fatal("no demo dossier with a phone and a portal code")
	return domain.Dossier{}
}

// TestLookupPrivacy: the right code and phone digits show the procedure,
// the step and its date, and nothing identifying; a wrong phone and an
// unknown code get the same answer; every try is audited; nothing changes.
func TestLookupPrivacy(t *testing.T) {
	env := newLoginEnv(t)
	ctx := context.Background()
	d := demoDossier(t, env.store, mustVillage(t, env))
	proc, _ := env.store.ProcedureByID(ctx, d.ProcedureID)
	before := storetest.TableCounts(t, env.store)
	b := newBrowser(t, env.srv.URL)
	status, form, _ := b.get("/tra-cuu?ma=" + strings.ToLower(d.LookupCode))
	if status != 200 || !strings.Contains(form, `value="`+d.LookupCode+`"`) || !strings.Contains(form, `for="phone4"`) {
		t.Fatalf("form: %d", status)
	}
	last4 := d.ApplicantPhone[6:]
	status, page, _ := b.post("/tra-cuu", url.Values{"code": {d.LookupCode[:4] + " " + strings.ToLower(d.LookupCode[4:])}, "phone4": {last4}})
	if status != 200 || !strings.Contains(page, proc.Name) || !strings.Contains(page, `id="result-date">`+d.LastStepOn.VN()) || !strings.Contains(page, `id="result-step"`) {
		t.Fatalf("lookup: %d\n%s", status, page)
	}
	for _, secret := range []string{d.ApplicantName, d.ApplicantPhone, domain.PhoneDisplay(d.ApplicantPhone), d.PortalCode, "Thôn Đông Căm", d.SubjectName} {
		if secret != "" && strings.Contains(page, secret) {
			t.Errorf("the answer shows %q", secret)
		}
	}
	wrong := fmt.Sprintf("%04d", (mustAtoi(last4)+1)%10000)
	_, wrongPhone, _ := b.post("/tra-cuu", url.Values{"code": {d.LookupCode}, "phone4": {wrong}})
	s2, unknownCode, _ := b.post("/tra-cuu", url.Values{"code": {"ZZZZZZZZ"}, "phone4": {last4}})
	msg := "Mã tra cứu hoặc 4 số cuối điện thoại không khớp với hồ sơ nào."
	if s2 != 422 || !strings.Contains(wrongPhone, msg) || !strings.Contains(unknownCode, msg) || strings.Contains(wrongPhone, proc.Name) {
		t.Fatalf("wrong answers: %d", s2)
	}
	s3, malformed, _ := b.post("/tra-cuu", url.Values{"code": {"abc"}, "phone4": {last4}})
	s4, badPhone, _ := b.post("/tra-cuu", url.Values{"code": {d.LookupCode}, "phone4": {"12a4"}})
	if s3 != 422 || !strings.Contains(malformed, "Mã tra cứu “ABC” không đúng dạng") || s4 != 422 || !strings.Contains(badPhone, "Hãy nhập đúng 4 chữ số cuối") {
		t.Fatalf("malformed: %d %d", s3, s4)
	}
	n, _ := env.store.CountWhere(ctx, "audit_log", "action", "lookup")
	fails, _ := env.store.CountRows(ctx, "lookup_failures")
	if n != 5 || fails != 4 {
		t.Fatalf("audited %d lookups (want 5), %d failures counted (want 4)", n, fails)
	}
	if after := storetest.TableCounts(t, env.store); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("lookups changed data: %v → %v", before, after)
	}
	again, _ := env.store.Dossier(ctx, domain.Scope{All: true}, d.ID)
	if again.Version != d.Version || again.State != d.State {
		t.Fatal("the dossier changed")
	}
}

func mustAtoi(s string) int { n, _ := strconv.Atoi(s); return n }

// TestLookupRateLimit: five wrong answers for one code lock that code
// (even the right answer waits); twenty from one address lock the address
// (malformed codes count); the lock lifts after 15 minutes.
func TestLookupRateLimit(t *testing.T) {
	env := newLoginEnv(t)
	d := demoDossier(t, env.store, mustVillage(t, env))
	last4 := d.ApplicantPhone[6:]
	wrong := fmt.Sprintf("%04d", (mustAtoi(last4)+1)%10000)
	b := newBrowser(t, env.srv.URL)
	b.get("/tra-cuu")
	for i := 0; i < 5; i++ {
		if s, _, _ := b.post("/tra-cuu", url.Values{"code": {d.LookupCode}, "phone4": {wrong}}); s != 422 {
			t.Fatalf("try %d: %d", i, s)
		}
	}
	s, page, _ := b.post("/tra-cuu", url.Values{"code": {d.LookupCode}, "phone4": {last4}})
	if s != 429 || !strings.Contains(page, "Đã nhập sai quá nhiều lần") || strings.Contains(page, `id="lookup-result"`) {
		t.Fatalf("locked code: %d", s)
	}
	// Another code from the same address still works until 20 failures.
	other := newBrowser(t, env.srv.URL)
	other.get("/tra-cuu")
	for i := 0; i < 15; i++ {
		other.post("/tra-cuu", url.Values{"code": {"x" + strconv.Itoa(i)}, "phone4": {"1234"}})
	}
	if s, _, _ := other.post("/tra-cuu", url.Values{"code": {"ZZZZZZZZ"}, "phone4": {"1234"}}); s != 429 {
		t.Fatalf("address after 20 failures: %d", s)
	}
	*env.clock = env.clock.Add(16 * time.Minute)
	if s, _, _ := b.post("/tra-cuu", url.Values{"code": {d.LookupCode}, "phone4": {last4}}); s != 200 {
		t.Fatalf("after the wait: %d", s)
	}
}

// jpegWithEXIF makes a JPEG carrying an EXIF segment with GPS data.
func jpegWithEXIF(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	payload := append([]byte("Exif\x00\x00MM\x00\x2a"), []byte("GPSLatitude 22.3N GPSLongitude 104.1E Camera SecretPhone")...)
	seg := append([]byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
	return append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
}

// hugePNG is a tiny file that declares 20000×20000 pixels.
func hugePNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	// IHDR width and height sit at bytes 16–23.
	copy(b[16:24], []byte{0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20})
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func upload(t *testing.T, b *browser, name string, data []byte) (int, string) {
	t.Helper()
	u, _ := url.Parse(b.base)
	var csrf string
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "thonso_csrf" {
			csrf = c.Value
		}
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf)
	fw, _ := mw.CreateFormFile("photo", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", b.base+"/villages/T000001/photo", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}

// TestPhotoUpload: a file that is not an image, one too big, and one of
// too many pixels are refused beside the field and store nothing; an
// accepted photo is re-encoded without its EXIF and GPS data.
func TestPhotoUpload(t *testing.T) {
	env := newLoginEnv(t)
	b := loggedInAs(t, env, "totruong.dongcam")
	b.get("/villages/T000001/public")
	dc := mustVillage(t, env)
	big := append(jpegWithEXIF(t, 64, 64), make([]byte, 9<<20)...)
	for _, c := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"ds.xlsx", []byte("PK\x03\x04 not an image"), "không phải là ảnh"},
		{"bom.png", hugePNG(t), "Ảnh quá lớn (20.000 × 20.000 điểm ảnh)"},
		{"to.jpg", big, "Ảnh lớn quá 8 MB"},
		{"empty.jpg", nil, "Hãy chọn một ảnh"},
	} {
		status, page := upload(t, b, c.name, c.data)
		if status != 422 || !strings.Contains(page, c.msg) || !strings.Contains(page, `id="photo-err"`) {
			t.Errorf("%s: %d, want 422 with %q", c.name, status, c.msg)
		}
	}
	if p, _ := env.store.VillageProfile(context.Background(), dc); p.HasPhoto {
		t.Fatal("a refused photo was stored")
	}
	orig := jpegWithEXIF(t, 1600, 900)
	if !bytes.Contains(orig, []byte("GPSLatitude")) {
		t.Fatal("test photo lacks its EXIF")
	}
	if status, _ := upload(t, b, "nha-van-hoa.jpg", orig); status != 303 {
		t.Fatalf("good photo: %d", status)
	}
	res, got := plainGet(t, env.srv.URL+"/v/dong-cam/photo.jpg")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("photo: %d", res.StatusCode)
	}
	if bytes.Contains(got, []byte("Exif")) || bytes.Contains(got, []byte("GPS")) || bytes.Contains(got, []byte("SecretPhone")) {
		t.Fatal("EXIF kept")
	}
	img, _, err := image.Decode(bytes.NewReader(got))
	if err != nil || img.Bounds().Dx() != 1024 || img.Bounds().Dy() != 576 {
		t.Fatalf("re-encoded: %v %v", img.Bounds(), err)
	}
	_, page := plainGet(t, env.srv.URL+"/v/dong-cam")
	if !strings.Contains(string(page), `<img class="photo" src="/v/dong-cam/photo.jpg" width="1024" height="576" alt="Ảnh Thôn Đông Căm">`) {
		t.Fatal("page lacks the photo")
	}
}

// TestVillageEditForms: the team leader records infrastructure; bad
// input comes back beside its field (422) and stores nothing.
func TestVillageEditForms(t *testing.T) {
	env := newLoginEnv(t)
	ctx := context.Background()
	b := loggedInAs(t, env, "totruong.dongcam")
	status, page, _ := b.get("/villages/T000001/public")
	if status != 200 || !strings.Contains(page, "DongCam-NVH") || !strings.Contains(page, "dongcam-minhhoa") {
		t.Fatalf("edit page: %d", status)
	}
	count := func(table string) int { n, _ := env.store.CountRows(ctx, table); return n }
	before := []int{count("wifi_points"), count("village_equipment"), count("zalo_groups")}
	bad := []struct {
		path string
		form url.Values
		msg  string
	}{
		{"/villages/T000001/wifi", url.Values{"place": {""}, "since": {"01/10/2026"}}, "Hãy nhập địa điểm của điểm Wi-Fi."},
		{"/villages/T000001/wifi", url.Values{"place": {"Chợ"}, "since": {"32/10/2026"}}, "Ngày “32/10/2026” không hợp lệ"},
		{"/villages/T000001/wifi", url.Values{"place": {"Chợ"}, "since": {"01/10/2026"}, "until": {"01/09/2026"}}, "Ngày kết thúc không được trước ngày bắt đầu."},
		{"/villages/T000001/equipment", url.Values{"kind": {"tivi"}, "eq_since": {"01/10/2026"}}, "Hãy chọn loại thiết bị"},
		{"/villages/T000001/equipment", url.Values{"kind": {"computer"}, "quantity": {"nhiều"}, "eq_since": {"01/10/2026"}}, "“nhiều” không phải là một số."},
		{"/villages/T000001/zalo", url.Values{"link": {"https://evil.example/g/x"}, "zalo_since": {"01/10/2026"}}, "phải bắt đầu bằng https://zalo.me/"},
		{"/villages/T000001/zalo", url.Values{"link": {"https://zalo.me/g/x"}}, "Hãy nhập ngày bắt đầu"},
		{"/villages/T000001/intro", url.Values{"intro": {strings.Repeat("Dài ", 200)}}, "Lời giới thiệu dài quá 600 ký tự"},
	}
	for _, c := range bad {
		status, page, _ := b.post(c.path, c.form)
		if status != 422 || !strings.Contains(page, c.msg) || !strings.Contains(page, `role="alert"`) {
			t.Errorf("%s %v: %d, want 422 with %q", c.path, c.form, status, c.msg)
		}
	}
	if after := []int{count("wifi_points"), count("village_equipment"), count("zalo_groups")}; fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("bad input stored: %v → %v", before, after)
	}
	if p, _ := env.store.VillageProfile(ctx, mustVillage(t, env)); p.Intro != demo.DongCamIntro {
		t.Fatal("intro changed")
	}
	status, _, h := b.post("/villages/T000001/wifi", url.Values{"place": {"Trạm y tế"}, "network_name": {"TramYTe"}, "free": {"1"}, "since": {"01/10/2026"}, "until": {"30/10/2026"}})
	if status != 303 || h.Get("Location") != "/villages/T000001/public?saved=1" {
		t.Fatalf("wifi add: %d %v", status, h)
	}
	// Ended the day before today: kept, but not on today's page.
	_, page, _ = b.get("/v/dong-cam")
	if strings.Contains(page, "TramYTe") {
		t.Fatal("an ended Wi-Fi point shows today")
	}
	ws, _ := env.store.WifiPoints(ctx, mustVillage(t, env), domain.MustDate("2026-10-15"))
	if len(ws) != 3 {
		t.Fatalf("as of 15/10/2026: %d points", len(ws))
	}
	// The market's Wi-Fi is gone after 30/10/2026: recorded, kept for
	// earlier days, off today's page.
	end := "/villages/T000001/infra/wifi/" + strconv.FormatInt(ws[1].ID, 10) + "/end"
	for _, c := range []struct {
		path, until string
		status      int
		msg         string
	}{
		{end, "", 422, "Hãy nhập ngày ngừng"},
		{end, "01/01/2020", 422, "Ngày kết thúc không được trước ngày bắt đầu."},
		{"/villages/T000001/infra/tivi/1/end", "30/10/2026", 404, "Không tìm thấy mục này"},
		{"/villages/T000001/infra/wifi/999999/end", "30/10/2026", 404, "Không tìm thấy mục này"},
		{end, "30/10/2026", 303, ""},
		{end, "30/10/2026", 409, "Mục này đã ngừng từ ngày 30/10/2026."},
	} {
		status, page, _ := b.post(c.path, url.Values{"until": {c.until}})
		if status != c.status || !strings.Contains(page, c.msg) {
			t.Errorf("%s until=%q: %d, want %d with %q", c.path, c.until, status, c.status, c.msg)
		}
	}
	if ws, _ := env.store.WifiPoints(ctx, mustVillage(t, env), domain.MustDate("2026-10-30")); len(ws) != 3 {
		t.Fatalf("on its last day, 30/10/2026: %d points", len(ws))
	}
	if ws, _ := env.store.WifiPoints(ctx, mustVillage(t, env), domain.MustDate("2026-10-31")); len(ws) != 1 {
		t.Fatalf("on 31/10/2026: %d points", len(ws))
	}
	_, page, _ = b.get("/v/dong-cam")
	if strings.Contains(page, "DongCam-Cho") || !strings.Contains(page, "DongCam-NVH") {
		t.Fatal("the ended point still shows")
	}
}

// BenchmarkVillagePage serves Đông Căm's page (what a scan costs the
// server), reporting the bytes sent gzipped.
func BenchmarkVillagePage(b *testing.B) {
	srv, _ := newServer(b)
	c := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 16}}
	var n int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", srv.URL+"/v/dong-cam", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			res, err := c.Do(req)
			if err != nil || res.StatusCode != 200 {
				b.Fatal(err)
			}
			m, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			n = m
		}
	})
	b.ReportMetric(float64(n), "wire-bytes")
}

// BenchmarkVillagePage304 is a repeat visit: revalidation only.
func BenchmarkVillagePage304(b *testing.B) {
	srv, _ := newServer(b)
	res, err := http.Get(srv.URL + "/v/dong-cam")
	if err != nil {
		b.Fatal(err)
	}
	res.Body.Close()
	etag := res.Header.Get("ETag")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest("GET", srv.URL+"/v/dong-cam", nil)
		req.Header.Set("If-None-Match", etag)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 304 {
			b.Fatal(err)
		}
		res.Body.Close()
	}
}
