package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
	"thonso/internal/textvi"
)

// TestTrainingNamesResidents: the team leader opens a training, finds
// residents without typing accents, names them; a resident of another
// village is refused beside the list and nothing is stored.
func TestTrainingNamesResidents(t *testing.T) {
	env := newLoginEnv(t)
	ctx := storetest.Ctx()
	dc, _ := env.store.UnitAt(ctx, "T000001", domain.DateOf(*env.clock))
	teams, _ := env.store.TeamsOf(ctx, dc.ID, domain.DateOf(*env.clock))
	tr, err := env.store.AddTraining(ctx, domain.CLIActor(), store.Training{TeamID: teams[0].ID, On: domain.MustDate("2026-10-20"), Topic: "Thanh toán không dùng tiền mặt", HandsOn: true})
	if err != nil {
		t.Fatal(err)
	}
	people, _, _ := env.store.Residents(ctx, domain.Scope{All: true}, store.ResidentQuery{VillageID: dc.ID, At: tr.On, Limit: 3})
	target := people[0]
	b := loggedInAs(t, env, "totruong.dongcam")
	path := "/trainings/" + strconv.FormatInt(tr.ID, 10)
	status, body, _ := b.get(path + "?q=" + url.QueryEscape(textvi.Fold(target.FullName)))
	if status != 200 || !strings.Contains(body, target.FullName) || !strings.Contains(body, `id="trainee-add-form"`) {
		t.Fatalf("search %d: %s", status, body)
	}
	// Someone of another village (crafted form): refused, nothing stored.
	bau, _ := env.store.UnitAt(ctx, "T000003", domain.DateOf(*env.clock))
	out, _, _ := env.store.Residents(ctx, domain.Scope{All: true}, store.ResidentQuery{VillageID: bau.ID, At: tr.On, Limit: 1})
	before, _ := env.store.CountRows(ctx, "training_attendees")
	status, body, _ = b.post(path+"/residents", url.Values{"residents": {strconv.FormatInt(out[0].ID, 10)}, "q": {"x"}})
	if status != 422 || !strings.Contains(body, "không phải người dân đang sống ở thôn") {
		t.Fatalf("outsider %d: %s", status, body)
	}
	for _, bad := range []url.Values{{"residents": {"abc"}}, {}} {
		if status, _, _ := b.post(path+"/residents", bad); status != 422 {
			t.Fatalf("%v: %d", bad, status)
		}
	}
	if after, _ := env.store.CountRows(ctx, "training_attendees"); after != before {
		t.Fatal("a refused name was stored")
	}
	status, _, _ = b.post(path+"/residents", url.Values{"residents": {strconv.FormatInt(target.ID, 10), strconv.FormatInt(people[1].ID, 10)}})
	if status != 303 {
		t.Fatalf("naming: %d", status)
	}
	_, body, _ = b.get(path)
	if !strings.Contains(body, `id="trainee-list"`) || !strings.Contains(body, target.FullName) || !strings.Contains(body, "2 người dân, 2 người có tên trong sổ") {
		t.Fatalf("after naming: %s", body)
	}
	// The names on it are personal data: the view is audited.
	entries, _, _ := env.store.AuditEntries(ctx, domain.Scope{All: true}, store.AuditFilter{Entity: "training", Limit: 10})
	viewed := false
	for _, e := range entries {
		viewed = viewed || e.Action == "view"
	}
	if !viewed {
		t.Fatal("viewing the trainees was not audited")
	}
	// A member elsewhere does not see the training at all.
	ph, _ := env.store.UnitAt(ctx, "02902", domain.DateOf(*env.clock))
	if _, err := env.store.CreateUser(ctx, domain.CLIActor(), store.NewUser{Login: "canbo.phonghai", Name: "Cán bộ Phong Hải", PasswordHash: domain.HashPassword(demo.Password)}, domain.RoleOfficer, ph.ID); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := loggedInAs(t, env, "canbo.phonghai").get(path); status != 404 {
		t.Fatalf("officer elsewhere: %d", status)
	}
}

// TestPositionsExtended: an officer adds a position; it is offered on
// the team's member form and shown beside the member; a repeat is refused
// with the name kept in the box.
func TestPositionsExtended(t *testing.T) {
	env := newLoginEnv(t)
	b := loggedInAs(t, env, "canbo.giaphu")
	if status, _, _ := b.post("/positions", url.Values{"name": {"Y tá thôn bản"}}); status != 303 {
		t.Fatalf("add: %d", status)
	}
	status, body, _ := b.post("/positions", url.Values{"name": {"y ta thon ban"}})
	if status != 422 || !strings.Contains(body, "đã có trong danh sách") || !strings.Contains(body, `value="y ta thon ban"`) {
		t.Fatalf("repeat %d: %s", status, body)
	}
	if status, body, _ := b.post("/positions", url.Values{"name": {strings.Repeat("Chức danh ", 20)}}); status != 422 || !strings.Contains(body, "dài quá 80") {
		t.Fatalf("long %d", status)
	}
	ctx := storetest.Ctx()
	dc, _ := env.store.UnitAt(ctx, "T000001", domain.DateOf(*env.clock))
	teams, _ := env.store.TeamsOf(ctx, dc.ID, domain.DateOf(*env.clock))
	team := "/teams/" + strconv.FormatInt(teams[0].ID, 10)
	lead := loggedInAs(t, env, "totruong.dongcam")
	_, body, _ = lead.get(team)
	if !strings.Contains(body, `<option value="y_ta_thon_ban">Y tá thôn bản</option>`) {
		t.Fatal("the new position is not offered")
	}
	if status, _, _ := lead.post(team+"/members", url.Values{"full_name": {"Lò Thị Hạnh"}, "role": {"member"}, "position": {"y_ta_thon_ban"}, "joined_on": {"01/10/2026"}}); status != 303 {
		t.Fatalf("member: %d", status)
	}
	if _, body, _ = lead.get(team); !strings.Contains(body, "Lò Thị Hạnh <span class=\"meta\">Thành viên · Y tá thôn bản") {
		t.Fatalf("member's position: %s", body)
	}
	status, body, _ = lead.post(team+"/members", url.Values{"full_name": {"Lò Văn Sai"}, "role": {"member"}, "position": {"nhay_du"}, "joined_on": {"01/10/2026"}})
	if status != 422 || !strings.Contains(body, "Chức danh không có trong danh sách") {
		t.Fatalf("unknown position %d: %s", status, body)
	}
	if status, _, _ := lead.get("/positions"); status != 403 {
		t.Fatalf("a team leader on the positions page: %d", status)
	}
}
