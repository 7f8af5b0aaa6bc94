package storetest

import (
	"testing"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
)

// testTrainees: residents named on a training must live in the team's
// village that day, only once; the headcount never falls below the named;
// refused names change nothing.
func testTrainees(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	dc := village(t, s, "Thôn Đông Căm", today)
	other := village(t, s, "Thôn Bầu 1", today)
	teams, _ := s.TeamsOf(Ctx(), dc.ID, today)
	team := teams[0]
	on := domain.MustDate("2024-05-10")
	people, _, _ := s.Residents(Ctx(), domain.Scope{All: true}, store.ResidentQuery{VillageID: dc.ID, At: on, Limit: 5})
	outsiders, _, _ := s.Residents(Ctx(), domain.Scope{All: true}, store.ResidentQuery{VillageID: other.ID, At: on, Limit: 1})
	named, _ := s.NamedTrainees(Ctx(), dc.ID, demo.ReportDate)
	if len(named) < 10 {
		t.Fatalf("Đông Căm's demo training named %d residents", len(named))
	}
	tr, err := s.AddTraining(Ctx(), admin, store.Training{TeamID: team.ID, On: on, Topic: "Cài đặt VNeID", HandsOn: true, ResidentsTrained: 1,
		ResidentIDs: []int64{people[0].ID, people[1].ID}})
	if err != nil {
		t.Fatal(err)
	}
	if tr.ResidentsTrained != 2 {
		t.Fatalf("headcount %d below the 2 named", tr.ResidentsTrained)
	}
	rows := func() int { n, _ := s.CountRows(Ctx(), "training_attendees"); return n }
	before := rows()
	for name, ids := range map[string][]int64{"twice": {people[0].ID}, "outsider": {outsiders[0].ID}, "unknown": {999999999}, "none": nil,
		"repeated in one go": {people[2].ID, people[2].ID}} {
		if _, err := s.AddTrainees(Ctx(), admin, tr.ID, ids); err == nil || domain.ErrorField(err) != "residents" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.AddTraining(Ctx(), admin, store.Training{TeamID: team.ID, On: on, Topic: "x", ResidentIDs: []int64{outsiders[0].ID}}); err == nil {
		t.Error("a training naming a resident of another village")
	}
	if _, err := s.AddTraining(Ctx(), admin, store.Training{TeamID: team.ID, On: domain.MustDate("2099-01-01"), Topic: "x"}); err == nil {
		t.Error("a training in the future")
	}
	if rows() != before {
		t.Fatal("a refused attendee was stored")
	}
	got, err := s.AddTrainees(Ctx(), admin, tr.ID, []int64{people[2].ID, people[3].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ResidentIDs) != 4 || got.ResidentsTrained != 4 {
		t.Fatalf("after adding: %+v", got)
	}
	after, _ := s.NamedTrainees(Ctx(), dc.ID, today)
	if len(after) < len(named) {
		t.Fatalf("named trainees fell from %d to %d", len(named), len(after))
	}
	// A team leader of another village cannot name anyone on it.
	u, _, _ := s.Credentials(Ctx(), "totruong.dongcam")
	lead := mustActor(t, s, u)
	bteams, _ := s.TeamsOf(Ctx(), other.ID, today)
	btr, err := s.AddTraining(Ctx(), admin, store.Training{TeamID: bteams[0].ID, On: on, Topic: "Zalo"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTrainees(Ctx(), lead, btr.ID, []int64{outsiders[0].ID}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("out of scope: %v", err)
	}
}

// testPositions: officers extend the list; a name already on it (built in
// or added, with or without accents) is refused; members take only known
// positions.
func testPositions(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	p, err := s.AddPosition(Ctx(), admin, "  Chủ hợp tác xã ")
	if err != nil || p.Code != "chu_hop_tac_xa" || p.Name != "Chủ hợp tác xã" {
		t.Fatalf("%+v %v", p, err)
	}
	for _, name := range []string{"Chu hop tac xa", "Bí thư chi bộ", "", "   "} {
		if _, err := s.AddPosition(Ctx(), admin, name); err == nil {
			t.Errorf("%q accepted", name)
		}
	}
	u, _, _ := s.Credentials(Ctx(), "totruong.dongcam")
	if _, err := s.AddPosition(Ctx(), mustActor(t, s, u), "Y tá thôn"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("a team leader extended the list: %v", err)
	}
	ps, _ := s.Positions(Ctx())
	if len(ps) != len(domain.Positions)+1 || ps[len(ps)-1].Code != "chu_hop_tac_xa" {
		t.Fatalf("positions %+v", ps)
	}
	dc := village(t, s, "Thôn Đông Căm", today)
	teams, _ := s.TeamsOf(Ctx(), dc.ID, today)
	if _, err := s.AddMember(Ctx(), admin, domain.Member{TeamID: teams[0].ID, FullName: "Lò Văn Hợp", Role: domain.RoleTeamMember, Position: "chu_hop_tac_xa", JoinedOn: today}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMember(Ctx(), admin, domain.Member{TeamID: teams[0].ID, FullName: "Lò Văn Hợp", Role: domain.RoleTeamMember, Position: "phi_hanh_gia", JoinedOn: today}); domain.ErrorField(err) != "position" {
		t.Fatalf("an unknown position: %v", err)
	}
}
