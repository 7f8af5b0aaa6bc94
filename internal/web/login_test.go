package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
	"thonso/internal/web"
)

type browser struct {
	t    *testing.T
	c    *http.Client
	base string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, base: base}
}

func (b *browser) get(path string) (int, string, http.Header) {
	b.t.Helper()
	res, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

// post sends a form with the CSRF token read from the cookie jar (as the
// page's hidden field would carry it).
func (b *browser) post(path string, form url.Values, header ...string) (int, string, http.Header) {
	b.t.Helper()
	u, _ := url.Parse(b.base)
	if form == nil {
		form = url.Values{}
	}
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "thonso_csrf" {
			form.Set("csrf", c.Value)
		}
	}
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

type loginEnv struct {
	srv   *httptest.Server
	store *store.Store
	clock *time.Time
}

func newLoginEnv(t *testing.T, proxies ...netip.Prefix) loginEnv {
	t.Helper()
	s := storetest.DemoSQLite(t)
	clock := time.Date(2026, 10, 31, 3, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	s = s.WithClock(now)
	cat, _ := i18n.Load()
	w, err := web.New(&web.Server{Store: s, Cat: cat, Demo: true, Now: now, TrustedProxies: proxies})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w.Handler(nil))
	t.Cleanup(srv.Close)
	return loginEnv{srv: srv, store: s, clock: &clock}
}

func TestLoginFlow(t *testing.T) {
	env := newLoginEnv(t)
	b := newBrowser(t, env.srv.URL)
	// A personal page sends a visitor to log in, and back there after.
	status, _, h := b.get("/users")
	if status != 303 || h.Get("Location") != "/login?next=%2Fusers" {
		t.Fatalf("visitor: %d %s", status, h.Get("Location"))
	}
	b.get("/login?next=%2Fusers")
	// Wrong password and unknown login: the same message.
	s1, wrongPw, _ := b.post("/login", url.Values{"login": {"canbo.giaphu"}, "password": {"sai-mat-khau"}, "next": {"/users"}})
	s2, unknown, _ := b.post("/login", url.Values{"login": {"khong.co.ai"}, "password": {"sai-mat-khau"}, "next": {"/users"}})
	msg := "Tên đăng nhập hoặc mật khẩu không đúng."
	if s1 != 422 || s2 != 422 || !strings.Contains(wrongPw, msg) || !strings.Contains(unknown, msg) {
		t.Fatalf("failed logins: %d %d", s1, s2)
	}
	if !strings.Contains(wrongPw, `value="canbo.giaphu"`) || strings.Contains(wrongPw, "sai-mat-khau") {
		t.Fatal("the form keeps the login, never the password")
	}
	// By phone number, back to where they were.
	status, _, h = b.post("/login", url.Values{"login": {"0399 990 002"}, "password": {demo.Password}, "next": {"/users"}})
	if status != 303 || h.Get("Location") != "/users" {
		t.Fatalf("login: %d %v", status, h.Get("Location"))
	}
	status, body, h := b.get("/users")
	if status != 200 || !strings.Contains(body, "Lý Thị Hoa") || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("users page: %d %v", status, h.Get("Cache-Control"))
	}
	if _, body, _ := b.get("/users/new"); !strings.Contains(body, `<form method="post" action="/users" class="form" autocomplete="off">`) {
		t.Fatal("forms with personal data must not autofill")
	}
	// Logout ends the session: the page asks to log in again.
	status, _, h = b.post("/logout", nil)
	if status != 303 || h.Get("Clear-Site-Data") != `"cache", "storage"` {
		t.Fatalf("logout: %d %q", status, h.Get("Clear-Site-Data"))
	}
	if status, _, _ := b.get("/users"); status != 303 {
		t.Fatalf("after logout: %d", status)
	}
	// An idle session expires after 8 hours.
	b.post("/login", url.Values{"login": {"canbo.giaphu"}, "password": {demo.Password}})
	*env.clock = env.clock.Add(8*time.Hour + time.Minute)
	if status, _, h := b.get("/me"); status != 303 || !strings.HasPrefix(h.Get("Location"), "/login?next=%2Fme") {
		t.Fatalf("idle session: %d %s", status, h.Get("Location"))
	}
}

func TestLoginLockout(t *testing.T) {
	env := newLoginEnv(t)
	b := newBrowser(t, env.srv.URL)
	b.get("/login")
	// Five failures under different spellings of the same account.
	for _, l := range []string{"quantri", "QuanTri", "0399990001", "0399 990 001", "+84 399 990 001"} {
		b.post("/login", url.Values{"login": {l}, "password": {"sai"}})
	}
	status, body, _ := b.post("/login", url.Values{"login": {"quantri"}, "password": {demo.Password}})
	// Locked 15 minutes from the 5th failure: 10:15 Vietnam time.
	if status != 429 || !strings.Contains(body, "Vui lòng thử lại sau 10:15 ngày 31/10/2026") {
		t.Fatalf("locked: %d %.600s", status, body)
	}
	*env.clock = env.clock.Add(16 * time.Minute)
	if status, _, _ := b.post("/login", url.Values{"login": {"quantri"}, "password": {demo.Password}}); status != 303 {
		t.Fatalf("after the wait: %d", status)
	}
}

func TestMustChangePassword(t *testing.T) {
	env := newLoginEnv(t)
	admin := newBrowser(t, env.srv.URL)
	admin.get("/login")
	admin.post("/login", url.Values{"login": {"quantri"}, "password": {demo.Password}})
	m, _, _ := env.store.Credentials(context.Background(), "thanhvien.dongcam")
	// A too short password is refused beside the field; nothing changes.
	status, body, _ := admin.post("/users/"+itoa(m.ID)+"/password", url.Values{"password": {"ngan"}})
	if status != 422 || !strings.Contains(body, "Mật khẩu cần ít nhất 8 ký tự.") {
		t.Fatalf("short reset: %d", status)
	}
	if status, _, _ := admin.post("/users/"+itoa(m.ID)+"/password", url.Values{"password": {"tam-thoi-123"}}); status != 303 {
		t.Fatalf("reset: %d", status)
	}
	// Viewing the account is audited; the reset records no password.
	admin.get("/users/" + itoa(m.ID))
	_, trail, _ := admin.get("/audit?entity=user&id=" + itoa(m.ID))
	for _, want := range []string{"Xem", "Đặt lại mật khẩu", "mật khẩu (đã thay đổi)", "quantri", "tài khoản " + itoa(m.ID)} {
		if !strings.Contains(trail, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	if strings.Contains(trail, "tam-thoi-123") {
		t.Fatal("a password reached the audit")
	}
	if status, body, _ := admin.get("/audit.csv?entity=user&id=" + itoa(m.ID)); status != 400 || !strings.Contains(body, "Hãy chọn mục đích") {
		t.Fatalf("export without a purpose: %d", status)
	}
	status, csvBody, h2 := admin.get("/audit.csv?purpose=inspection&entity=user&id=" + itoa(m.ID))
	if status != 200 || !strings.HasPrefix(csvBody, "\xef\xbb\xbfThời điểm,") || !strings.Contains(h2.Get("Content-Disposition"), "attachment") {
		t.Fatalf("audit export: %d %.100q", status, csvBody)
	}
	u := newBrowser(t, env.srv.URL)
	u.get("/login")
	status, _, h := u.post("/login", url.Values{"login": {"thanhvien.dongcam"}, "password": {"tam-thoi-123"}, "next": {"/me"}})
	if status != 303 || h.Get("Location") != "/me/password" {
		t.Fatalf("must change: %d %s", status, h.Get("Location"))
	}
	if status, _, h := u.get("/me"); status != 303 || h.Get("Location") != "/me/password" {
		t.Fatalf("other pages wait: %d", status)
	}
	status, body, _ = u.post("/me/password", url.Values{"current": {"tam-thoi-123"}, "password": {"mat-khau-moi-9"}, "again": {"khac-han"}})
	if status != 422 || !strings.Contains(body, "Hai lần nhập mật khẩu không khớp.") {
		t.Fatalf("mismatch: %d", status)
	}
	if status, _, _ := u.post("/me/password", url.Values{"current": {"tam-thoi-123"}, "password": {"mat-khau-moi-9"}, "again": {"mat-khau-moi-9"}}); status != 303 {
		t.Fatalf("change: %d", status)
	}
	if status, _, _ := u.get("/me"); status != 200 {
		t.Fatalf("after change: %d", status)
	}
}

func TestUserFormErrors(t *testing.T) {
	env := newLoginEnv(t)
	b := newBrowser(t, env.srv.URL)
	b.get("/login")
	b.post("/login", url.Values{"login": {"canbo.giaphu"}, "password": {demo.Password}})
	before, _ := env.store.CountRows(context.Background(), "users")
	status, body, _ := b.post("/users", url.Values{"login": {"Sai Dạng"}, "name": {"Nguyễn Văn B"}, "phone": {"12345"}, "role": {"member"}, "unit": {"02902"}, "password": {"mat-khau-dai"}})
	if status != 422 {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{`value="Nguyễn Văn B"`, "Tên đăng nhập “sai dạng” không hợp lệ"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	status, body, _ = b.post("/users", url.Values{"login": {"moi.ban"}, "name": {"Nguyễn Văn B"}, "role": {"member"}, "unit": {"02902"}, "password": {"mat-khau-dai"}})
	if status != 422 || !strings.Contains(body, "Không thể cấp quyền vượt quá quyền của chính mình") {
		t.Fatalf("outside scope: %d", status)
	}
	status, body, _ = b.post("/users", url.Values{"login": {"moi.ban"}, "name": {"Nguyễn Văn B"}, "phone": {"0399 99"}, "role": {"member"}, "unit": {"T000001"}, "password": {"mat-khau-dai"}})
	if status != 422 || !strings.Contains(body, "Số điện thoại “0399 99” không hợp lệ") {
		t.Fatalf("bad phone: %d", status)
	}
	if after, _ := env.store.CountRows(context.Background(), "users"); after != before {
		t.Fatal("a refused form stored a user")
	}
	b.get("/lang/en?next=/")
	_, body, _ = b.post("/users", url.Values{"login": {"moi.ban"}, "name": {""}, "role": {"member"}, "unit": {"T000001"}, "password": {"mat-khau-dai"}})
	if !strings.Contains(body, "The full name is missing.") {
		t.Fatal("English form error")
	}
}

func TestTrustedProxy(t *testing.T) {
	env := newLoginEnv(t, netip.MustParsePrefix("127.0.0.0/8"))
	b := newBrowser(t, env.srv.URL)
	b.get("/login")
	_, _, h := b.post("/login", url.Values{"login": {"quantri"}, "password": {demo.Password}}, "X-Forwarded-For", "1.2.3.4, 203.0.113.9", "X-Forwarded-Proto", "https")
	if !strings.Contains(strings.Join(h.Values("Set-Cookie"), "\n"), "Secure") || h.Get("Strict-Transport-Security") == "" {
		t.Fatal("behind a TLS proxy: cookies not Secure or no HSTS")
	}
	es, _, _ := env.store.AuditEntries(context.Background(), domain.Scope{All: true}, store.AuditFilter{Entity: "user"})
	if len(es) == 0 || es[0].Action != "login" || es[0].IP != "203.0.113.9" {
		t.Fatalf("behind a trusted proxy: %+v", es[0])
	}
	untrusted := newLoginEnv(t)
	b = newBrowser(t, untrusted.srv.URL)
	b.get("/login")
	b.post("/login", url.Values{"login": {"quantri"}, "password": {demo.Password}}, "X-Forwarded-For", "203.0.113.9")
	es, _, _ = untrusted.store.AuditEntries(context.Background(), domain.Scope{All: true}, store.AuditFilter{Entity: "user"})
	if es[0].IP != "127.0.0.1" {
		t.Fatalf("X-Forwarded-For from an untrusted peer was believed: %s", es[0].IP)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestGrantsToReviewOnSuccessor: a grant left on old Xã Gia Phú shows on
// today's Xã Gia Phú page for its officer, who keeps it.
func TestGrantsToReviewOnSuccessor(t *testing.T) {
	env := newLoginEnv(t)
	ctx := context.Background()
	old, err := env.store.UnitAt(ctx, "02923", domain.MustDate("2024-10-31"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.store.CreateUser(ctx, domain.CLIActor(), store.NewUser{Login: "canbo.cu", Name: "Cán Bộ Cũ", PasswordHash: "x"}, domain.RoleOfficer, old.ID); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, env.srv.URL)
	_, body, _ := b.get("/units/02923")
	if strings.Contains(body, "Quyền cần xem lại") {
		t.Fatal("a visitor sees grants to review")
	}
	b.get("/login")
	b.post("/login", url.Values{"login": {"canbo.giaphu"}, "password": {demo.Password}})
	_, body, _ = b.get("/units/02923")
	if !strings.Contains(body, "Quyền cần xem lại") || !strings.Contains(body, "Cán Bộ Cũ") {
		t.Fatalf("review section missing")
	}
	i := strings.Index(body, "/keep")
	j := strings.LastIndex(body[:i], "/users/")
	if status, _, h := b.post(body[j:i+len("/keep")], url.Values{"next": {"/units/02923"}}); status != 303 || h.Get("Location") != "/units/02923" {
		t.Fatalf("keep: %d %s", status, h.Get("Location"))
	}
	if _, body, _ = b.get("/units/02923"); strings.Contains(body, "Cán Bộ Cũ") {
		t.Fatal("kept grant still listed")
	}
}
