package storetest

import (
	"testing"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
)

// testStats: the report's figures, exactly, from the records; and
// re-attributed figures summed over today's communes equal those of the
// old communes they came from.
func testStats(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	bt := MustUnit(t, s, "086", oct2024)
	st, err := s.Stats(Ctx(), bt.ID, oct2024, false)
	if err != nil {
		t.Fatal(err)
	}
	if st.Communes != 14 || st.CommunesWithSmartVillage != 14 || st.SmartVillages != 20 || st.TeamMembers != 105 || st.CommunityTeamMembers != 1150 ||
		st.Dossiers != 1189 || st.Teams != 20 || st.TeamsWithDossiers != 20 {
		t.Fatalf("Bảo Thắng on 31/10/2024: %+v", st)
	}
	sum := 0
	for _, n := range st.ByMonth {
		sum += n
	}
	if sum != 1189 || len(st.BySector) < 3 {
		t.Fatalf("by month %d, sectors %v", sum, st.BySector)
	}
	// The trend's points agree with the figures of their day.
	trend, err := s.Trend(Ctx(), bt.ID, domain.MustDate("2024-01-01"), oct2024, false)
	if err != nil || len(trend) != 10 {
		t.Fatalf("trend %d points: %v", len(trend), err)
	}
	for _, p := range []store.MonthPoint{trend[3], trend[9]} {
		f, _ := s.Figures(Ctx(), bt.ID, p.On)
		c, _ := s.CountDossiers(Ctx(), bt.ID, p.On, false)
		if p.Aged14 != f.Aged14 || p.Accounts14 != f.Accounts14 || p.Adults18 != f.Adults18 || p.Smartphones != f.Smartphone18 || p.Dossiers != c.Residents {
			t.Fatalf("trend on %s %+v, figures %+v", p.On, p, f)
		}
	}
	kids, err := s.ChildStats(Ctx(), bt.ID, oct2024, false)
	total := 0
	for _, k := range kids {
		total += k.Dossiers
	}
	if err != nil || len(kids) != 14 || total != 1189 {
		t.Fatalf("communes' dossiers %d over %d: %v", total, len(kids), err)
	}
	dc := village(t, s, "Thôn Đông Căm", oct2024)
	v, err := s.Stats(Ctx(), dc.ID, oct2024, false)
	if err != nil {
		t.Fatal(err)
	}
	if v.Dossiers != 180 || len(v.BySector) != 3 || v.Figures.Accounts14 != 257 || v.Figures.Aged14 != 387 || v.SmartVillages != 1 || v.TeamMembers != 6 {
		t.Fatalf("Đông Căm: %+v", v)
	}
	// Re-attribution: today's communes that took in Bảo Thắng's communes,
	// read on 31/10/2024, hold the same dossiers, members and residents.
	var asWas, current struct{ dossiers, members, community, aged14, villages int }
	seen := map[int64]bool{}
	for _, c := range demo.Communes {
		old := MustUnit(t, s, c.Code, oct2024)
		o, err := s.Stats(Ctx(), old.ID, oct2024, false)
		if err != nil {
			t.Fatal(err)
		}
		asWas.dossiers += o.Dossiers
		asWas.members += o.TeamMembers
		asWas.community += o.CommunityTeamMembers
		asWas.aged14 += o.Figures.Aged14
		asWas.villages += o.SmartVillages
		links, err := s.SuccessorsOn(Ctx(), old.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		heirs := []int64{old.ID} // still there today
		if len(links) > 0 {
			heirs = nil
			for _, l := range links {
				heirs = append(heirs, l.ID)
			}
		}
		for _, h := range heirs {
			if seen[h] {
				continue
			}
			seen[h] = true
			n, err := s.Stats(Ctx(), h, oct2024, true)
			if err != nil {
				t.Fatal(err)
			}
			current.dossiers += n.Dossiers
			current.members += n.TeamMembers
			current.community += n.CommunityTeamMembers
			current.aged14 += n.Figures.Aged14
			current.villages += n.SmartVillages
		}
	}
	if asWas != current || asWas.dossiers != 1189 {
		t.Fatalf("as it was %+v, re-attributed %+v", asWas, current)
	}
	// Today's Gia Phú on 31/10/2024 counts old Gia Phú's and Xuân Giao's villages.
	gp := MustUnit(t, s, "02923", today)
	oldGP := MustUnit(t, s, "02923", oct2024)
	xg := MustUnit(t, s, "02932", oct2024)
	now, _ := s.Stats(Ctx(), gp.ID, oct2024, true)
	a, _ := s.Stats(Ctx(), oldGP.ID, oct2024, false)
	b, _ := s.Stats(Ctx(), xg.ID, oct2024, false)
	if now.SmartVillages < a.SmartVillages+b.SmartVillages || now.Dossiers < a.Dossiers+b.Dossiers {
		t.Fatalf("today's Gia Phú %+v < old Gia Phú %+v + Xuân Giao %+v", now, a, b)
	}
	if a.Attainment.Assessed != 0 {
		t.Fatalf("assessed before any assessment: %+v", a.Attainment)
	}
	end25 := domain.MustDate("2025-12-31")
	if st, _ := s.Stats(Ctx(), gp.ID, end25, false); st.Attainment.Assessed == 0 {
		t.Fatal("no attainment at the end of 2025")
	}
}
