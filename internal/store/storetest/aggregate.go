package storetest

import (
	"reflect"
	"strconv"
	"testing"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// testStatsAggregates: Stats, Trend and ChildStats from the units'
// summaries equal the live queries over the raw rows (StatsLive,
// TrendLive, ChildStatsLive) on the demo for several dates and units —
// province, district, communes before and after the 2025 merges, a
// village, as it was and re-attributed — and stay equal after writes
// (a new dossier, its steps, a resident's account date, a day off), each
// seen by the very next read.
func testStatsAggregates(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	dates := []domain.Date{domain.MustDate("2023-06-30"), domain.MustDate("2024-01-31"), oct2024, domain.MustDate("2024-11-15"), jun2025, jul2025,
		domain.MustDate("2026-02-28"), today}
	type probe struct {
		name    string
		code    string
		resolve domain.Date
	}
	probes := []probe{
		{"province Lào Cai (old)", "10", oct2024},
		{"province Yên Bái (old)", "15", oct2024},
		{"province Lào Cai (today)", "15", today},
		{"district Bảo Thắng", "086", oct2024},
		{"commune Gia Phú (old)", "02923", oct2024},
		{"commune Gia Phú (merged)", "02923", today},
		{"commune Xuân Giao (old)", "02932", oct2024},
		{"village Đông Căm", "T000001", today},
	}
	// After each write only the units and dates it touches are compared
	// (the whole grid before the writes and after the last, to keep the
	// suite's time down).
	near := []probe{probes[2], probes[3], probes[5], probes[7]} // Lào Cai today, Bảo Thắng, Gia Phú merged, Đông Căm
	nearDates := []domain.Date{oct2024, domain.MustDate("2024-11-15"), today}
	compareOn := func(t *testing.T, when string, probes []probe, dates []domain.Date) {
		t.Helper()
		for _, p := range probes {
			u, err := s.UnitAt(Ctx(), p.code, p.resolve)
			if err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			for _, at := range dates {
				for _, current := range []bool{false, true} {
					if current && u.ValidTo.Before(today) && !u.ValidTo.IsZero() {
						continue // ended units are not asked for re-attributed
					}
					want, err := s.StatsLive(Ctx(), u.ID, at, current)
					if err != nil {
						t.Fatal(err)
					}
					got, err := s.Stats(Ctx(), u.ID, at, current)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s: %s on %s (current %v):\n got %+v\nwant %+v", when, p.name, at, current, got, want)
					}
					wk, err := s.ChildStatsLive(Ctx(), u.ID, at, current)
					if err != nil {
						t.Fatal(err)
					}
					gk, err := s.ChildStats(Ctx(), u.ID, at, current)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(gk, wk) {
						t.Errorf("%s: children of %s on %s (current %v):\n got %+v\nwant %+v", when, p.name, at, current, gk, wk)
					}
				}
			}
			for _, current := range []bool{false, true} {
				want, err := s.TrendLive(Ctx(), u.ID, domain.MustDate("2023-10-01"), today, current)
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.Trend(Ctx(), u.ID, domain.MustDate("2023-10-01"), today, current)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: trend of %s (current %v):\n got %+v\nwant %+v", when, p.name, current, got, want)
				}
			}
		}
	}
	compare := func(t *testing.T, when string) { t.Helper(); compareOn(t, when, near, nearDates) }
	compareOn(t, "demo", probes, dates)
	if t.Failed() {
		return
	}
	dc := village(t, s, "Thôn Đông Căm", today)
	before, err := s.Stats(Ctx(), dc.ID, oct2024, false)
	if err != nil {
		t.Fatal(err)
	}
	// A new dossier, received in October 2024: counted at once.
	d, err := s.ReceiveDossier(Ctx(), admin, store.NewDossier{VillageID: dc.ID, ProcedureCode: "2.000815", ApplicantName: "Hoàng Văn Thử",
		ApplicantPhone: "0399 999 100", ReceivedOn: domain.MustDate("2024-10-01")})
	if err != nil {
		t.Fatal(err)
	}
	after, err := s.Stats(Ctx(), dc.ID, oct2024, false)
	if err != nil {
		t.Fatal(err)
	}
	if after.Dossiers != before.Dossiers+1 || after.ByMonth["2024-10"] != before.ByMonth["2024-10"]+1 {
		t.Fatalf("a new dossier: %d then %d", before.Dossiers, after.Dossiers)
	}
	compare(t, "after a new dossier")
	// Its steps: submitted, then with the agency from 02/10 (overdue
	// later in October), collected.
	for _, st := range []struct {
		act  domain.DossierAction
		on   string
		code string
	}{{domain.ActSubmit, "2024-10-01", "H55.242-241001-0901"}, {domain.ActAccept, "2024-10-02", ""}} {
		if d, err = s.AdvanceDossier(Ctx(), admin, store.Step{DossierID: d.ID, Version: d.Version, Action: st.act, On: domain.MustDate(st.on), PortalCode: st.code}); err != nil {
			t.Fatal(err)
		}
	}
	late, err := s.Stats(Ctx(), dc.ID, oct2024, false)
	if err != nil {
		t.Fatal(err)
	}
	if late.Overdue != after.Overdue+1 {
		t.Fatalf("a dossier with the agency since 02/10: overdue %d then %d", after.Overdue, late.Overdue)
	}
	compare(t, "after steps")
	if d, err = s.AdvanceDossier(Ctx(), admin, store.Step{DossierID: d.ID, Version: d.Version, Action: domain.ActCollect, On: domain.MustDate("2024-11-04")}); err != nil {
		t.Fatal(err)
	}
	compare(t, "after collection")
	// A resident's account date moves (VNeID and portal) to after the
	// report date: one account fewer on 31/10/2024.
	people, _, err := s.Residents(Ctx(), admin.Scope(domain.PermResidentView), store.ResidentQuery{VillageID: dc.ID, At: oct2024, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	changed := false
	for _, p := range people {
		acct := p.Account()
		if acct.Since.IsZero() || acct.Since.After(oct2024) || p.BirthDate.After(domain.BornBy(oct2024, 14)) {
			continue
		}
		p.VNeID.Since, p.Portal.Since = domain.MustDate("2024-11-20"), domain.MustDate("2024-11-20")
		if _, err := s.UpdateResident(Ctx(), admin, p); err != nil {
			t.Fatal(err)
		}
		changed = true
		break
	}
	if !changed {
		t.Fatal("no resident with an account on 31/10/2024 in Đông Căm")
	}
	now, err := s.Stats(Ctx(), dc.ID, oct2024, false)
	if err != nil {
		t.Fatal(err)
	}
	if now.Figures.Accounts14 != late.Figures.Accounts14-1 {
		t.Fatalf("an account moved past the date: %d then %d", late.Figures.Accounts14, now.Figures.Accounts14)
	}
	compare(t, "after a resident's account date changed")
	// The teams' tables, which Stats keeps as one snapshot (migration
	// 0021): a member joins Đông Căm's team through the store, another
	// leaves and the village's enrolment ends in raw SQL, an approved
	// assessment fails: each seen by the very next read, equal to live.
	teams, err := s.TeamsOf(Ctx(), dc.ID, oct2024)
	if err != nil || len(teams) == 0 {
		t.Fatalf("Đông Căm's teams: %v %v", teams, err)
	}
	base, err := s.Stats(Ctx(), dc.ID, oct2024, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMember(Ctx(), admin, domain.Member{TeamID: teams[0].ID, FullName: "Lò Văn Thử", Role: domain.RoleTeamMember, JoinedOn: domain.MustDate("2024-10-20")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Stats(Ctx(), dc.ID, oct2024, false); got.TeamMembers+got.CommunityTeamMembers != base.TeamMembers+base.CommunityTeamMembers+1 {
		t.Fatalf("a new member: %d then %d", base.TeamMembers, got.TeamMembers)
	}
	compare(t, "after a new member")
	raw := []struct{ name, q string }{
		{"a member left", `UPDATE team_members SET left_on = '2024-10-15' WHERE id = (SELECT min(id) FROM team_members WHERE left_on IS NULL AND joined_on <= '2024-10-01')`},
		{"an enrolment ended", "UPDATE enrolments SET ended_on = '2024-10-30' WHERE village_id = " + strconv.FormatInt(dc.ID, 10)},
		{"an assessment failed", `UPDATE assessments SET passed = NOT passed WHERE id = (SELECT max(id) FROM assessments WHERE state = 'approved')`},
		{"a team started later", `UPDATE teams SET started_on = '2024-11-01' WHERE id = ` + strconv.FormatInt(teams[0].ID, 10)},
	}
	for _, c := range raw {
		if err := s.Exec(Ctx(), c.q); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		compareOn(t, "after "+c.name, near, []domain.Date{oct2024, today})
	}
	if got, _ := s.Stats(Ctx(), dc.ID, oct2024, false); got.SmartVillages != 0 || got.Teams != 0 {
		t.Fatalf("Đông Căm unenrolled on 30/10/2024 still counts on 31/10: %+v", got)
	}
	// A day off every village shares.
	if err := s.SetDayOff(Ctx(), admin, domain.DayOff{On: domain.MustDate("2024-10-07"), Kind: "off", Name: "Ngày nghỉ thử"}); err != nil {
		t.Fatal(err)
	}
	compareOn(t, "after a day off", probes, dates)
}
