package storetest

import (
	"testing"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// testDossierHelpers: members who helped besides the assisting one are
// kept, read back one by one and in lists, and put the dossier in their
// queue; without an assisting member the first helper becomes it.
func testDossierHelpers(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	dc := village(t, s, "Thôn Đông Căm", today)
	teams, _ := s.TeamsOf(Ctx(), dc.ID, today)
	ms, _ := s.Members(Ctx(), teams[0].ID, today)
	d, err := s.ReceiveDossier(Ctx(), admin, store.NewDossier{VillageID: dc.ID, ProcedureCode: "2.000815", ApplicantName: "Lò Văn Đôi", ReceivedOn: today,
		MemberID: ms[0].ID, HelperIDs: []int64{ms[2].ID, ms[1].ID}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Dossier(Ctx(), domain.Scope{All: true}, d.ID)
	if got.MemberID != ms[0].ID || len(got.HelperIDs) != 2 {
		t.Fatalf("read back %+v", got)
	}
	queue, _ := s.Dossiers(Ctx(), domain.Scope{All: true}, store.DossierQuery{VillageID: dc.ID, MemberID: ms[2].ID, States: []domain.DossierState{domain.StateReceived}})
	found := false
	for _, q := range queue {
		if q.ID == d.ID {
			found = len(q.HelperIDs) == 2
		}
	}
	if !found {
		t.Fatal("not in the helper's queue with its helpers")
	}
	only, err := s.ReceiveDossier(Ctx(), admin, store.NewDossier{VillageID: dc.ID, ProcedureCode: "2.000815", ApplicantName: "Lò Văn Một", ReceivedOn: today, HelperIDs: []int64{ms[1].ID}})
	if err != nil || only.MemberID != ms[1].ID || len(only.HelperIDs) != 0 {
		t.Fatalf("a lone helper: %+v %v", only, err)
	}
	before := TableCounts(t, s)
	rows, _ := s.CountRows(Ctx(), "dossier_helpers")
	dossiers, _ := s.CountRows(Ctx(), "dossiers")
	for name, hs := range map[string][]int64{"twice": {ms[1].ID, ms[1].ID}, "the assisting member": {ms[0].ID}, "unknown": {999999}, "six": {ms[1].ID, ms[2].ID, ms[3].ID, ms[4].ID, 999997, 999998}} {
		if _, err := s.ReceiveDossier(Ctx(), admin, store.NewDossier{VillageID: dc.ID, ProcedureCode: "2.000815", ApplicantName: "X", ReceivedOn: today, MemberID: ms[0].ID, HelperIDs: hs}); domain.ErrorField(err) != "helpers" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n, _ := s.CountRows(Ctx(), "dossiers"); n != dossiers {
		t.Fatal("a refused dossier was stored")
	}
	if n, _ := s.CountRows(Ctx(), "dossier_helpers"); n != rows || !reflectEqual(before, TableCounts(t, s)) {
		t.Fatal("a refused dossier left rows")
	}
}
