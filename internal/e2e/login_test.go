package e2e_test

import (
	"net/http"
	"testing"

	"thonso/internal/demo"
)

// TestLoginInChromium: a personal page sends the visitor to log in; a
// wrong password fails with the shared message; the right one leads back
// to the page asked for; logging out leaves nothing personal reachable.
func TestLoginInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	b := newBrowser(t, chromium, base)

	b.open("/users", http.StatusOK) // redirected to the login form
	b.wantExact("h1", "Đăng nhập")
	b.setField("#login", "canbo.giaphu")
	b.setField("#password", "sai-mat-khau")
	b.submit("#login-submit", http.StatusUnprocessableEntity)
	b.wantText("#login-error", "Tên đăng nhập hoặc mật khẩu không đúng.")
	b.wantValue("#login", "canbo.giaphu")
	b.wantValue("#password", "")
	b.screenshot("05-login-failed")

	b.setField("#password", demo.Password)
	b.submit("#login-submit", http.StatusOK)
	b.wantExact("h1", "Người dùng")
	b.wantText("#me-link", "Lê Thị Minh")
	b.wantText("#users", "Lý Thị Hoa")
	b.screenshot("06-users")
	b.open("/me", http.StatusOK)
	b.wantText("#grants", "Cán bộ", "Xã Gia Phú")
	b.screenshot("07-me")
	b.open("/villages/T000001/residents?at=31/10/2024", http.StatusOK)
	b.wantText("#figures", "257/387 (66,4%)")
	b.screenshot("09-residents")
	b.submit("#residents a", http.StatusOK)
	b.wantText("#cccd", "•••• ")
	b.screenshot("10-resident")
	b.open("/import/residents?village=T000001", http.StatusOK)
	b.screenshot("11-import")
	b.open("/audit", http.StatusOK)
	b.wantText("#audit", "canbo.giaphu", "Đăng nhập")
	b.screenshot("08-audit")

	b.submit("#logout", http.StatusOK)
	b.wantText("#login-link", "Đăng nhập")
	b.wantAbsent("#me-link")
	b.open("/users", http.StatusOK)
	b.wantExact("h1", "Đăng nhập")
}
