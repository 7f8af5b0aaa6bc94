package storetest

import (
	"bytes"
	"testing"
	"time"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
)

// testVillageInfo: the demo's Đông Căm infrastructure reads as of any
// day; the team leader of another village, a member and bad input change
// nothing; the last change moves with each write.
func testVillageInfo(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	dc := village(t, s, "Thôn Đông Căm", today)
	bau := village(t, s, "Thôn Bầu 1", today)

	// As of dates: the market's Wi-Fi came on 01/06/2024, the Zalo group
	// was there since 20/11/2023, the computers since 02/01/2024.
	for _, c := range []struct {
		on                 string
		wifi, equip, zalos int
	}{{"2023-11-01", 0, 0, 0}, {"2023-12-20", 1, 1, 1}, {"2024-03-01", 1, 2, 1}, {"2024-10-31", 2, 2, 1}, {"2026-10-31", 2, 2, 1}} {
		at := domain.MustDate(c.on)
		w, err1 := s.WifiPoints(Ctx(), dc.ID, at)
		e, err2 := s.Equipment(Ctx(), dc.ID, at)
		z, err3 := s.ZaloGroups(Ctx(), dc.ID, at)
		if err1 != nil || err2 != nil || err3 != nil || len(w) != c.wifi || len(e) != c.equip || len(z) != c.zalos {
			t.Fatalf("%s: wifi %d equipment %d zalo %d (%v %v %v)", c.on, len(w), len(e), len(z), err1, err2, err3)
		}
	}
	ws, _ := s.WifiPoints(Ctx(), dc.ID, today)
	if ws[0].NetworkName != "DongCam-NVH" || !ws[0].Free || ws[0].Provider != "VNPT" {
		t.Fatalf("wifi %+v", ws[0])
	}
	zs, _ := s.ZaloGroups(Ctx(), dc.ID, today)
	if zs[0].Members != 212 || zs[0].Households != 131 || zs[0].CountedOn != oct2024 {
		t.Fatalf("zalo %+v", zs[0])
	}
	p, err := s.VillageProfile(Ctx(), dc.ID)
	if err != nil || p.Intro != demo.DongCamIntro || p.HasPhoto {
		t.Fatalf("profile %+v %v", p, err)
	}
	if p, _ := s.VillageProfile(Ctx(), bau.ID); p.Intro != "" {
		t.Fatal("Bầu 1 has an intro")
	}

	clock := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	s = s.WithClock(func() time.Time { return clock })
	leader := mustActor(t, s, MustUser(t, s, "tt.bau1", domain.RoleTeamLeader, bau.ID))
	member := mustActor(t, s, MustUser(t, s, "tv.dongcam", domain.RoleMember, dc.ID))
	admin := mustActor(t, s, MustUser(t, s, "adm", domain.RoleAdmin, 0))
	commune := MustUnit(t, s, "02923", today)
	counts := func() map[string]int {
		out := map[string]int{}
		for _, tb := range []string{"wifi_points", "village_equipment", "zalo_groups", "village_profiles", "audit_log"} {
			n, _ := s.CountRows(Ctx(), tb)
			out[tb] = n
		}
		return out
	}
	before := counts()
	since := domain.MustDate("2026-11-01")
	refused := []struct {
		name string
		do   func() error
		code string
	}{
		{"other village's leader", func() error {
			_, err := s.AddWifi(Ctx(), leader, domain.WifiPoint{VillageID: dc.ID, Place: "Chợ", Since: since})
			return err
		}, domain.ENOTFOUND},
		{"member", func() error { return s.SetIntro(Ctx(), member, dc.ID, "x") }, domain.ENOTFOUND},
		{"no place", func() error {
			_, err := s.AddWifi(Ctx(), leader, domain.WifiPoint{VillageID: bau.ID, Since: since})
			return err
		}, domain.EINVALID},
		{"until before since", func() error {
			_, err := s.AddEquipment(Ctx(), leader, domain.Equipment{VillageID: bau.ID, Kind: domain.EquipComputer, Quantity: 1, Since: since, Until: since.AddDays(-1)})
			return err
		}, domain.EINVALID},
		{"bad kind", func() error {
			_, err := s.AddEquipment(Ctx(), leader, domain.Equipment{VillageID: bau.ID, Kind: "tivi", Quantity: 1, Since: since})
			return err
		}, domain.EINVALID},
		{"foreign link", func() error {
			_, err := s.AddZaloGroup(Ctx(), leader, domain.ZaloGroup{VillageID: bau.ID, Link: "http://zalo.me/g/x", Since: since})
			return err
		}, domain.EINVALID},
		{"long intro", func() error {
			return s.SetIntro(Ctx(), leader, bau.ID, string(bytes.Repeat([]byte("a"), domain.MaxIntro+1)))
		}, domain.EINVALID},
		{"not a village", func() error { return s.SetIntro(Ctx(), admin, commune.ID, "x") }, domain.EINVALID},
	}
	for _, c := range refused {
		if err := c.do(); domain.ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	if after := counts(); !reflectEqual(before, after) {
		t.Fatalf("refused writes wrote: %v → %v", before, after)
	}

	last, err := s.VillageLastChange(Ctx(), bau.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddWifi(Ctx(), leader, domain.WifiPoint{VillageID: bau.ID, Place: "Nhà văn hoá thôn Bầu 1", NetworkName: "Bau1", Free: true, Since: since}); err != nil {
		t.Fatal(err)
	}
	now, _ := s.VillageLastChange(Ctx(), bau.ID)
	if !now.Equal(clock) || !now.After(last) {
		t.Fatalf("last change %v → %v, want %v", last, now, clock)
	}
	clock = clock.Add(time.Hour)
	if err := s.SetPhoto(Ctx(), leader, bau.ID, []byte{0xFF, 0xD8, 0xFF, 0xD9}, 10, 20); err != nil {
		t.Fatal(err)
	}
	if err := s.SetIntro(Ctx(), leader, bau.ID, "  Thôn Bầu 1.  "); err != nil {
		t.Fatal(err)
	}
	p, _ = s.VillageProfile(Ctx(), bau.ID)
	b, at, err := s.Photo(Ctx(), bau.ID)
	if err != nil || !p.HasPhoto || p.Intro != "Thôn Bầu 1." || p.PhotoWidth != 10 || len(b) != 4 || !at.Equal(clock) {
		t.Fatalf("profile %+v, photo %v %v %v", p, b, at, err)
	}
	if _, _, err := s.Photo(Ctx(), dc.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("no photo: %v", err)
	}
	// Ending: dated, once, not before it began, only in scope.
	// The point added above (the demo may have given the village others).
	var bw []domain.WifiPoint
	all, _ := s.WifiPoints(Ctx(), bau.ID, since)
	for _, w := range all {
		if w.NetworkName == "Bau1" {
			bw = append(bw, w)
		}
	}
	if err := s.EndInfra(Ctx(), leader, bau.ID, "wifi", bw[0].ID, since.AddDays(-1)); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("end before since: %v", err)
	}
	if err := s.EndInfra(Ctx(), leader, dc.ID, "wifi", ws[0].ID, since); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("end out of scope: %v", err)
	}
	if err := s.EndInfra(Ctx(), leader, bau.ID, "wifi", ws[0].ID, since); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("end another village's row: %v", err)
	}
	if err := s.EndInfra(Ctx(), leader, bau.ID, "wifi", bw[0].ID, since.AddDays(3)); err != nil {
		t.Fatal(err)
	}
	if err := s.EndInfra(Ctx(), leader, bau.ID, "wifi", bw[0].ID, since.AddDays(5)); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("end twice: %v", err)
	}
	has := func(d domain.Date) bool {
		ws, _ := s.WifiPoints(Ctx(), bau.ID, d)
		for _, w := range ws {
			if w.ID == bw[0].ID {
				return true
			}
		}
		return false
	}
	if !has(since.AddDays(3)) {
		t.Fatal("gone on its last day")
	}
	if has(since.AddDays(4)) {
		t.Fatal("still there after its end")
	}
	if n, _ := s.CountWhere(Ctx(), "audit_log", "entity", "wifi_point"); n < 3 {
		t.Fatalf("wifi audited %d times", n)
	}
}

// testLookup: a dossier answers its code with the right last four phone
// digits only; voided ones never; the throttle locks a code after five
// failures and an address after twenty, for 15 minutes.
func testLookup(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	clock := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	s = s.WithClock(func() time.Time { return clock })
	dc := village(t, s, "Thôn Đông Căm", today)
	ds, err := s.Dossiers(Ctx(), domain.Scope{All: true}, store.DossierQuery{VillageID: dc.ID, Limit: 300})
	if err != nil {
		t.Fatal(err)
	}
	var d, voided domain.Dossier
	for _, x := range ds {
		if x.State == domain.StateVoided && voided.ID == 0 && len(x.ApplicantPhone) == 10 {
			voided = x
		} else if x.State != domain.StateVoided && d.ID == 0 && len(x.ApplicantPhone) == 10 {
			d = x
		}
	}
	if d.ID == 0 {
		t.Fatal("no dossier with a phone")
	}
	st, ok, err := s.LookupDossier(Ctx(), d.LookupCode, d.ApplicantPhone[6:])
	if err != nil || !ok || st.ID != d.ID || st.State != d.State || st.On != d.LastStepOn || st.ProcedureName == "" {
		t.Fatalf("lookup: %+v %v %v", st, ok, err)
	}
	if _, ok, _ := s.LookupDossier(Ctx(), d.LookupCode, "0000"); ok && d.ApplicantPhone[6:] != "0000" {
		t.Fatal("wrong digits matched")
	}
	if _, ok, _ := s.LookupDossier(Ctx(), "ZZZZZZZZ", "\x00\x00\x00\x00"); ok {
		t.Fatal("unknown code matched the dummy")
	}
	if voided.ID != 0 {
		if _, ok, _ := s.LookupDossier(Ctx(), voided.LookupCode, voided.ApplicantPhone[6:]); ok {
			t.Fatal("a voided dossier answered")
		}
	}
	for i := 0; i < 5; i++ {
		if u, _ := s.LookupLockedUntil(Ctx(), d.LookupCode, "10.0.0.1"); !u.IsZero() {
			t.Fatalf("locked after %d", i)
		}
		if err := s.RecordLookupFailure(Ctx(), d.LookupCode, "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
	}
	if u, _ := s.LookupLockedUntil(Ctx(), d.LookupCode, "10.0.0.2"); !u.Equal(clock.Add(15 * time.Minute)) {
		t.Fatalf("code lock until %v", u)
	}
	if u, _ := s.LookupLockedUntil(Ctx(), "ABCDEFGH", "10.0.0.2"); !u.IsZero() {
		t.Fatal("another code from another address is locked")
	}
	for i := 0; i < 15; i++ {
		s.RecordLookupFailure(Ctx(), "", "10.0.0.1")
	}
	if u, _ := s.LookupLockedUntil(Ctx(), "ABCDEFGH", "10.0.0.1"); u.IsZero() {
		t.Fatal("address not locked after 20 failures")
	}
	clock = clock.Add(16 * time.Minute)
	if u, _ := s.LookupLockedUntil(Ctx(), d.LookupCode, "10.0.0.1"); !u.IsZero() {
		t.Fatalf("still locked after the window: %v", u)
	}
	if err := s.AuditLookup(Ctx(), "10.0.0.1", d.LookupCode, store.LookupOK, d.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountWhere(Ctx(), "audit_log", "action", "lookup"); n != 1 {
		t.Fatalf("audited %d", n)
	}
}
