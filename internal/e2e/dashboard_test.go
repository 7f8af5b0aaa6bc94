package e2e_test

import (
	"net/http"
	"strings"
	"testing"

	"thonso/internal/demo"
)

// TestDashboardInChromium: the district dashboard on the report date shows
// the report's figures; today's Xã Gia Phú on that date, re-attributed,
// counts the villages that joined it; the public board needs no login.
func TestDashboardInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	b := newBrowser(t, chromium, base)
	b.open("/login?next=%2Funits%2F086%2Fdashboard%3Fat%3D31%2F10%2F2024", http.StatusOK)
	b.setField("#login", "xem.laocai")
	b.setField("#password", demo.Password)
	b.submit("#login-submit", http.StatusOK)
	b.wantText("#fig-communes", "14/14")
	b.wantText("#fig-smart", "20")
	b.wantText("#fig-members", "105")
	b.wantText("#fig-community", "1.150")
	b.wantText("#fig-dossiers", "1.189")
	b.wantText("#fig-teams", "100,0%")
	b.screenshot("30-dashboard")
	b.noHorizontalScroll(360, 740)

	// The district's report as a spreadsheet and as the official PDF.
	for sel, want := range map[string]string{"#export-xlsx": "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet PK", "#export-pdf": "200 application/pdf %PDF"} {
		if got := b.fetch(sel); !strings.HasPrefix(got, want) {
			t.Fatalf("%s: %q", sel, got)
		}
	}

	b.open("/units/02923/dashboard?at=31/10/2024", http.StatusOK)
	asWas := b.mustText("#fig-smart")
	b.submit("#board-view a", http.StatusOK)
	b.wantText("#board-view", "đơn vị hiện nay")
	if now := b.mustText("#fig-smart"); now == asWas {
		t.Fatalf("re-attributed Gia Phú shows the same smart villages: %s", now)
	}

	anon := newBrowser(t, chromium, base)
	anon.open("/u/086?at=31/10/2024", http.StatusOK)
	anon.wantText("#fig-dossiers", "1.189")
	anon.wantText("#board-public", "không có tên")
}
