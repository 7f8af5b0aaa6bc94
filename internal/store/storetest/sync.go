package storetest

import (
	"testing"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// testSyncOnce: a change from a phone is applied once however often it is
// resent; its id cannot be taken over by another user; two phones
// stepping one dossier: one wins, the other is told it changed.
func testSyncOnce(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	u, _, _ := s.Credentials(Ctx(), "thanhvien.dongcam")
	member := mustActor(t, s, u)
	dev, err := s.RegisterDevice(Ctx(), member, "Điện thoại của Hoa")
	if err != nil || len(dev.Prefix) != 3 {
		t.Fatalf("device %+v %v", dev, err)
	}
	dc := village(t, s, "Thôn Đông Căm", today)
	code := dev.Prefix + domain.NewLookupCode()
	change := store.SyncChange{ID: "c0ffee00-0000-4000-8000-000000000001", UserID: u.ID, DeviceID: dev.ID, Kind: "dossier.receive"}
	recv := func() (domain.Dossier, error) {
		return s.ReceiveDossier(store.WithChange(Ctx(), change), member, store.NewDossier{VillageID: dc.ID, ProcedureCode: "2.000815",
			ApplicantName: "Lò Thị Mạng", ReceivedOn: today, LookupCode: code})
	}
	before, _ := s.CountRows(Ctx(), "dossiers")
	d, err := recv()
	if err != nil || d.LookupCode != code {
		t.Fatalf("first send: %+v %v", d, err)
	}
	for i := 0; i < 3; i++ {
		if _, err := recv(); !store.IsAlreadyApplied(err) {
			t.Fatalf("resend %d: %v", i, err)
		}
	}
	if n, _ := s.CountRows(Ctx(), "dossiers"); n != before+1 {
		t.Fatalf("%d dossiers added by four sends", n-before)
	}
	// Another user cannot replay the id.
	lu, _, _ := s.Credentials(Ctx(), "totruong.dongcam")
	leader := mustActor(t, s, lu)
	ldev, _ := s.RegisterDevice(Ctx(), leader, "Điện thoại tổ trưởng")
	other := store.SyncChange{ID: change.ID, UserID: lu.ID, DeviceID: ldev.ID, Kind: "dossier.receive"}
	if _, err := s.ReceiveDossier(store.WithChange(Ctx(), other), leader, store.NewDossier{VillageID: dc.ID, ProcedureCode: "2.000815",
		ApplicantName: "Giả mạo", ReceivedOn: today}); domain.ErrorField(err) != "id" {
		t.Fatalf("a replayed id of another user: %v", err)
	}
	// A code already used is refused, nothing written.
	if _, err := s.ReceiveDossier(store.WithChange(Ctx(), store.SyncChange{ID: "c0ffee00-0000-4000-8000-000000000002", UserID: u.ID, DeviceID: dev.ID, Kind: "dossier.receive"}),
		member, store.NewDossier{VillageID: dc.ID, ProcedureCode: "2.000815", ApplicantName: "Trùng mã", ReceivedOn: today, LookupCode: code}); domain.ErrorField(err) != "lookup_code" {
		t.Fatalf("a taken code: %v", err)
	}
	if done, _, _, _ := s.ChangeApplied(Ctx(), "c0ffee00-0000-4000-8000-000000000002"); done {
		t.Fatal("a refused change was recorded as applied")
	}
	// Two phones advance the same version: one wins.
	step := func(id string, a *domain.Actor, uid, devID int64) error {
		_, err := s.AdvanceDossier(store.WithChange(Ctx(), store.SyncChange{ID: id, UserID: uid, DeviceID: devID, Kind: "dossier.step"}), a,
			store.Step{DossierID: d.ID, Version: d.Version, Action: domain.ActSubmit, On: today, PortalCode: "G01.DVC-261031-0001"})
		return err
	}
	first := step("c0ffee00-0000-4000-8000-000000000003", member, u.ID, dev.ID)
	second := step("c0ffee00-0000-4000-8000-000000000004", leader, lu.ID, ldev.ID)
	if first != nil || domain.ErrorCode(second) != domain.ECONFLICT || store.IsAlreadyApplied(second) {
		t.Fatalf("concurrent steps: %v / %v", first, second)
	}
	if done, _, _, _ := s.ChangeApplied(Ctx(), "c0ffee00-0000-4000-8000-000000000004"); done {
		t.Fatal("the losing step was recorded")
	}
	// A resident corrected on two phones from the same version: the first
	// is applied once however often it is resent, the second refused.
	people, _, err := s.Residents(Ctx(), member.Scope(domain.PermResidentView), store.ResidentQuery{VillageID: dc.ID, At: today, Limit: 1})
	if err != nil || len(people) == 0 {
		t.Fatalf("residents: %v", err)
	}
	p := people[0]
	fix := func(id string, a *domain.Actor, uid, devID int64, name string) error {
		r := p
		r.FullName = name
		_, err := s.UpdateResident(store.WithChange(Ctx(), store.SyncChange{ID: id, UserID: uid, DeviceID: devID, Kind: "resident.update"}), a, r)
		return err
	}
	if err := fix("c0ffee00-0000-4000-8000-000000000005", member, u.ID, dev.ID, p.FullName+" A"); err != nil {
		t.Fatalf("correction: %v", err)
	}
	if err := fix("c0ffee00-0000-4000-8000-000000000005", member, u.ID, dev.ID, p.FullName+" A"); !store.IsAlreadyApplied(err) {
		t.Fatalf("resent correction: %v", err)
	}
	if err := fix("c0ffee00-0000-4000-8000-000000000006", leader, lu.ID, ldev.ID, p.FullName+" B"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a second correction of the same version: %v", err)
	}
	after, _ := s.Resident(Ctx(), domain.Scope{All: true}, p.ID)
	if after.FullName != p.FullName+" A" || after.Version != p.Version+1 {
		t.Fatalf("after two corrections: %q v%d", after.FullName, after.Version)
	}
	if done, _, _, _ := s.ChangeApplied(Ctx(), "c0ffee00-0000-4000-8000-000000000006"); done {
		t.Fatal("the losing correction was recorded")
	}
	// A household added offline: once however often it is resent; then
	// corrected on two phones from the same version: the second refused.
	hchange := store.SyncChange{ID: "c0ffee00-0000-4000-8000-000000000007", UserID: u.ID, DeviceID: dev.ID, Kind: "household.create"}
	hbefore, _ := s.CountRows(Ctx(), "households")
	h, err := s.CreateHousehold(store.WithChange(Ctx(), hchange), member, domain.Household{VillageID: dc.ID, Number: "NT-77", Hamlet: "Xóm Suối"})
	if err != nil {
		t.Fatalf("household added offline: %v", err)
	}
	if _, err := s.CreateHousehold(store.WithChange(Ctx(), hchange), member, domain.Household{VillageID: dc.ID, Number: "NT-77", Hamlet: "Xóm Suối"}); !store.IsAlreadyApplied(err) {
		t.Fatalf("resent household: %v", err)
	}
	if n, _ := s.CountRows(Ctx(), "households"); n != hbefore+1 {
		t.Fatalf("%d households added by two sends", n-hbefore)
	}
	hfix := func(id string, a *domain.Actor, uid, devID int64, hamlet string) error {
		x := h
		x.Hamlet = hamlet
		_, err := s.UpdateHousehold(store.WithChange(Ctx(), store.SyncChange{ID: id, UserID: uid, DeviceID: devID, Kind: "household.update"}), a, x)
		return err
	}
	if err := hfix("c0ffee00-0000-4000-8000-000000000008", member, u.ID, dev.ID, "Xóm Suối Trên"); err != nil {
		t.Fatalf("household correction: %v", err)
	}
	if err := hfix("c0ffee00-0000-4000-8000-000000000008", member, u.ID, dev.ID, "Xóm Suối Trên"); !store.IsAlreadyApplied(err) {
		t.Fatalf("resent household correction: %v", err)
	}
	if err := hfix("c0ffee00-0000-4000-8000-000000000009", leader, lu.ID, ldev.ID, "Xóm Suối Dưới"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a second household correction of the same version: %v", err)
	}
	if got, _ := s.Household(Ctx(), domain.Scope{All: true}, h.ID); got.Hamlet != "Xóm Suối Trên" || got.Version != h.Version+1 {
		t.Fatalf("after two household corrections: %q v%d", got.Hamlet, got.Version)
	}
	if done, _, _, _ := s.ChangeApplied(Ctx(), "c0ffee00-0000-4000-8000-000000000009"); done {
		t.Fatal("the losing household correction was recorded")
	}
}
