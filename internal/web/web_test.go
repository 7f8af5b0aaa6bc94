package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"thonso/internal/i18n"
	"thonso/internal/store/storetest"
	"thonso/internal/web"
)

func newServer(t testing.TB) (*httptest.Server, *web.Server) {
	t.Helper()
	s := storetest.DemoSQLite(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w, err := web.New(&web.Server{Store: s, Cat: cat, Demo: true, Now: func() time.Time { return time.Date(2026, 10, 31, 3, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w.Handler(nil))
	t.Cleanup(srv.Close)
	return srv, w
}

func get(t *testing.T, c *http.Client, url string) (int, string, http.Header) {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func TestPages(t *testing.T) {
	srv, _ := newServer(t)
	c := srv.Client()
	cases := []struct {
		name, path string
		status     int
		has, not   []string
	}{
		{"home", "/", 200, []string{`lang="vi"`, "Dữ liệu minh hoạ", "Tỉnh Lào Cai", "Tính đến ngày 31/10/2026", "Thành phố Hà Nội"[0:0]}, []string{"Tỉnh Yên Bái", "Huyện Bảo Thắng"}},
		{"home 2024", "/?at=31/10/2024", 200, []string{"Tỉnh Yên Bái", "Tỉnh Lào Cai", "Tính đến ngày 31/10/2024"}, nil},
		{"search without accents", "/units?q=gia+phu&at=2026-10-31", 200, []string{"Xã Gia Phú", "Tỉnh Lào Cai"}, []string{"Huyện Bảo Thắng"}},
		{"search nothing", "/units?q=khong+co+dau", 200, []string{"Không có đơn vị nào khớp"}, nil},
		{"district 2024", "/units/086?at=31/10/2024", 200, []string{"Huyện Bảo Thắng", "Xã Xuân Giao", "Đơn vị trực thuộc (14)", "giải thể, chuyển giao nhiệm vụ", "Luật Tổ chức chính quyền địa phương"}, nil},
		{"district gone", "/units/086?at=01/07/2025", 404, []string{"Không tìm thấy đơn vị có mã 086 vào ngày 01/07/2025.", `href="/units/086?at=2025-06-30"`, "Đơn vị mang mã này đã trở thành", `href="/units/15?at=2025-07-01"`}, nil},
		{"new Gia Phú", "/units/02923?at=2025-07-01", 200, []string{"Thôn Đông Căm", "Thôn Bầu 1", "Hình thành từ", "Xã Xuân Giao", "Nghị quyết 1673/NQ-UBTVQH15", "Tỉnh Lào Cai"}, []string{"Huyện Bảo Thắng"}},
		{"old Xuân Giao names heir", "/units/02932?at=2024-10-31", 200, []string{"Đơn vị kế thừa vào ngày 31/10/2026", `href="/units/02923?at=2026-10-31"`}, nil},
		{"village", "/units/T000001?at=2024-10-31", 200, []string{"Thôn Đông Căm", "Thôn CĐS thông minh từ 16/10/2023", "/v/dong-cam", "Mã hệ thống"}, nil},
		{"bad date", "/units/086?at=32/13/2024", 400, []string{"Ngày “32/13/2024” không hợp lệ", `aria-invalid="true"`, `value="32/13/2024"`}, nil},
		{"bad date home", "/?at=hôm+qua", 400, []string{"không hợp lệ"}, nil},
		{"unknown page", "/khong-co", 404, []string{"Không tìm thấy trang này."}, nil},
		{"healthz", "/healthz", 200, []string{"ok"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body, h := get(t, c, srv.URL+tc.path)
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			for _, s := range tc.has {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(body, s) {
					t.Errorf("page has %q", s)
				}
			}
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP %q", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
				t.Errorf("security headers %v", h)
			}
			if strings.Contains(body, "<script") && !strings.Contains(body, "src=") {
				t.Error("inline script")
			}
		})
	}
}

func TestLanguageRemembered(t *testing.T) {
	srv, _ := newServer(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	_, body, _ := get(t, c, srv.URL+"/lang/en?next=/units/086%3Fat%3D2025-07-01")
	if !strings.Contains(body, "No unit with code 086 on 01/07/2025.") || !strings.Contains(body, `lang="en"`) {
		t.Fatalf("English page after switch: %.300s", body)
	}
	_, body, _ = get(t, c, srv.URL+"/")
	if !strings.Contains(body, "Provinces and cities") || !strings.Contains(body, "Illustrative data") {
		t.Fatal("English not remembered")
	}
	_, body, _ = get(t, c, srv.URL+"/lang/vi?next=/")
	if !strings.Contains(body, "Tỉnh, thành phố") {
		t.Fatal("back to Vietnamese failed")
	}
	// A browser set to English still gets Vietnamese until English is chosen.
	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	req.Header.Set("Accept-Language", "en-GB")
	res, _ := http.DefaultClient.Do(req)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), `lang="vi"`) {
		t.Fatal("web pages must be Vietnamese first")
	}
}

func TestLangRedirectStaysLocal(t *testing.T) {
	srv, _ := newServer(t)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example", "/%09/evil.example", "/%0a/x"} {
		res, err := c.Get(srv.URL + "/lang/en?next=" + next)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%s redirected to %q", next, loc)
		}
	}
}

// TestNoDateBarOnAccountPages: pages that are not about a date do not
// offer one (an empty {{define}} would not replace the layout's block).
func TestNoDateBarOnAccountPages(t *testing.T) {
	srv, _ := newServer(t)
	_, body, _ := get(t, srv.Client(), srv.URL+"/login")
	if strings.Contains(body, `class="datebar"`) {
		t.Fatal("login page shows the date bar")
	}
	_, body, _ = get(t, srv.Client(), srv.URL+"/")
	if !strings.Contains(body, `class="datebar"`) {
		t.Fatal("home page lacks the date bar")
	}
}

func TestStaticFingerprinted(t *testing.T) {
	srv, _ := newServer(t)
	_, body, _ := get(t, srv.Client(), srv.URL+"/")
	i := strings.Index(body, `href="/static/app.`)
	if i < 0 {
		t.Fatal("no stylesheet link")
	}
	href := body[i+6 : i+6+strings.Index(body[i+6:], `"`)]
	status, css, h := get(t, srv.Client(), srv.URL+href)
	if status != 200 || !strings.Contains(h.Get("Cache-Control"), "immutable") || !strings.Contains(css, "box-sizing") {
		t.Fatalf("static %s: %d %v", href, status, h)
	}
}

func BenchmarkCommunePage(b *testing.B) {
	srv, _ := newServer(b)
	c := srv.Client()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := c.Get(srv.URL + "/units/02923?at=2025-07-01")
		if err != nil || res.StatusCode != 200 {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}
