package web_test

import (
	"io"
	"strings"
	"testing"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
)

// TestDashboardReportFigures: the report's figures in Vietnamese format on
// the district dashboard and on Đông Căm's; re-attribution for today's
// Gia Phú; bad parameters answered.
func TestDashboardReportFigures(t *testing.T) {
	env := newLoginEnv(t)
	b := loggedInAs(t, env, "xem.laocai")
	status, body, _ := b.get("/units/086/dashboard?at=31/10/2024")
	if status != 200 {
		t.Fatalf("district %d", status)
	}
	for id, want := range map[string]string{"fig-communes": "14/14", "fig-smart": "<strong>20</strong>", "fig-members": "<strong>105</strong>",
		"fig-community": "<strong>1.150</strong>", "fig-dossiers": "<strong>1.189</strong>", "fig-teams": "<strong>100,0%</strong>"} {
		i := strings.Index(body, `id="`+id+`"`)
		if i < 0 || !strings.Contains(body[i:i+200], want) {
			t.Errorf("%s lacks %s", id, want)
		}
	}
	if strings.Count(body, `<svg class="chart"`) != 2 {
		t.Fatal("no charts")
	}
	_, body, _ = b.get("/units/T000001/dashboard?at=31/10/2024")
	if !strings.Contains(body, "<strong>66,4%</strong>") || !strings.Contains(body, "(257/387)") || !strings.Contains(body, "mục tiêu 90%") || !strings.Contains(body, "<strong>180</strong>") {
		t.Fatal("Đông Căm's figures")
	}
	_, old, _ := b.get("/units/02923/dashboard?at=31/10/2024")
	_, cur, _ := b.get("/units/02923/dashboard?at=31/10/2024&view=current")
	if old == cur || !strings.Contains(cur, "Tính theo đơn vị hiện nay") {
		t.Fatal("re-attribution makes no difference for today's Gia Phú")
	}
	for path, want := range map[string]int{"/units/99999/dashboard": 404, "/units/086/dashboard?at=01/07/2025": 404, "/units/086/dashboard?at=31/10/2024&view=current": 404,
		"/units/086/dashboard?at=31/13/2024": 400, "/units/086/dashboard?at=31/10/2024&view=both": 400, "/units/086/dashboard?at=01/01/2020": 400} {
		if st, _, _ := b.get(path); st != want {
			t.Errorf("%s: %d, want %d", path, st, want)
		}
	}
}

// TestPublicBoardNoPersonalData: the board shows the district's figures
// without a login, and no demo resident's or member's name or phone.
func TestPublicBoardNoPersonalData(t *testing.T) {
	env := newLoginEnv(t)
	b := newBrowser(t, env.srv.URL)
	pages := []string{"/u/086?at=31/10/2024", "/u/02923?at=31/10/2024&view=current", "/u/T000001?at=31/10/2024", "/u/15"}
	var all strings.Builder
	for _, p := range pages {
		status, body, _ := b.get(p)
		if status != 200 {
			t.Fatalf("%s: %d", p, status)
		}
		all.WriteString(body)
	}
	text := all.String()
	if !strings.Contains(text, "<strong>1.189</strong>") {
		t.Fatal("the board lacks the district's dossiers")
	}
	ctx := storetest.Ctx()
	people, _, err := env.store.Residents(ctx, domain.Scope{All: true}, store.ResidentQuery{WithLeft: true, Limit: 1000})
	if err != nil || len(people) == 0 {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range people {
		seen++
		if strings.Contains(text, r.FullName) || (r.Phone != "" && strings.Contains(text, r.Phone)) || (r.CCCD != "" && strings.Contains(text, r.CCCD)) {
			t.Fatalf("the board shows %s", r.FullName)
		}
	}
	if strings.Contains(text, `href="/residents/`) || strings.Contains(text, `href="/villages/`) {
		t.Fatal("the board links to personal pages")
	}
	t.Logf("%d residents checked", seen)
}

// TestRankings: the district's villages by account rate with the change
// since the month before and why; communes by dossiers; bad choices named.
func TestRankings(t *testing.T) {
	env := newLoginEnv(t)
	b := loggedInAs(t, env, "xem.laocai")
	status, body, _ := b.get("/units/086/rankings?at=31/10/2024&by=account_rate")
	if status != 200 || strings.Count(body, "<tr><td data-label=\"#\">") != 20 || !strings.Contains(body, "Thôn Đông Căm") || !strings.Contains(body, "66,4% (257/387)") {
		t.Fatalf("villages %d", status)
	}
	if !strings.Contains(body, "người có tài khoản") {
		t.Fatal("no reason given for any change")
	}
	status, body, _ = b.get("/units/086/rankings?at=31/10/2024&by=dossiers&level=commune")
	if status != 200 || strings.Count(body, "<tr><td data-label=\"#\">") != 14 {
		t.Fatalf("communes %d", status)
	}
	for path, want := range map[string]int{"/units/086/rankings?by=luck&at=31/10/2024": 400, "/units/086/rankings?level=province&at=31/10/2024": 400} {
		if st, _, _ := b.get(path); st != want {
			t.Errorf("%s: %d", path, st)
		}
	}
}

// BenchmarkDistrictBoard: the district's public board on the report date,
// everything computed from the live records (the dashboard's work, no
// login): stats, the 12-month trend and the 14 communes below.
func BenchmarkDistrictBoard(b *testing.B) {
	srv, _ := newServer(b)
	c := srv.Client()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := c.Get(srv.URL + "/u/086?at=31/10/2024")
		if err != nil || res.StatusCode != 200 {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}
