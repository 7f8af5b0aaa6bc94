package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// The report's dossier figures on ReportDate.
const (
	DistrictDossiers = 1189
	DongCamDossiers  = 180
)

type dossierGen struct {
	rng     *rand.Rand
	procs   map[string]domain.Procedure
	days    map[domain.Date]domain.DayOff
	portalN int
}

func (g *dossierGen) day(from, to domain.Date) domain.Date {
	span := int(to.Time().Sub(from.Time()).Hours() / 24)
	if span <= 0 {
		return from
	}
	return from.AddDays(g.rng.IntN(span + 1))
}

// pick chooses a procedure code by weight.
func (g *dossierGen) pick(weights map[string]int) string {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.rng.IntN(total)
	for _, code := range sortedKeys(weights) {
		n -= weights[code]
		if n < 0 {
			return code
		}
	}
	return sortedKeys(weights)[0]
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func (g *dossierGen) portalCode(p domain.Procedure, on domain.Date) string {
	g.portalN++
	prefix := "H15.24"
	if p.Portal == "national" {
		prefix = "G01.DVC"
	}
	return fmt.Sprintf("%s-%s-%04d", prefix, on.Time().Format("060102"), g.portalN)
}

// steps plays a dossier's life from reception: submitted, sometimes
// declined or asked to correct, rarely refused or withdrawn, collected
// after the procedure's processing days, returned the next day (sometimes
// late). Steps after until are left undone: the dossier is still open.
func (g *dossierGen) steps(p domain.Procedure, received, until domain.Date) []store.Step {
	var out []store.Step
	on := received
	add := func(act domain.DossierAction, d domain.Date, note, code string) bool {
		if d.After(until) {
			return false
		}
		out = append(out, store.Step{Action: act, On: d, Note: note, PortalCode: code})
		on = d
		return true
	}
	next := func(max int) domain.Date { return on.AddDays(g.rng.IntN(max + 1)) }
	if !add(domain.ActSubmit, next(1), "", g.portalCode(p, on)) {
		return out
	}
	if g.chance(0.05) {
		if !add(domain.ActDecline, next(1), "Ảnh chụp giấy tờ bị mờ", "") || !add(domain.ActSubmit, next(1), "", "") {
			return out
		}
	}
	if g.chance(0.02) {
		add(domain.ActWithdraw, next(2), "Người dân xin rút", "")
		return out
	}
	if !add(domain.ActAccept, next(1), "", "") {
		return out
	}
	if g.chance(0.12) {
		if !add(domain.ActRequestCorrection, next(3), "Bổ sung giấy tờ còn thiếu", "") || !add(domain.ActResubmit, next(2), "", "") || !add(domain.ActAccept, next(1), "", "") {
			return out
		}
	}
	if g.chance(0.03) {
		add(domain.ActRefuse, next(5), "Không đủ điều kiện theo quy định", "")
		return out
	}
	done := domain.AddWorkingDays(on, p.ProcessingDays, g.days)
	if p.FullyOnline && g.chance(0.5) {
		add(domain.ActReturn, done, "Kết quả điện tử", "")
		return out
	}
	if !add(domain.ActCollect, done, "", "") {
		return out
	}
	ret := on.AddDays(1)
	if g.chance(0.08) {
		ret = on.AddDays(3 + g.rng.IntN(4)) // returned late: overdue for a while
	}
	add(domain.ActReturn, ret, "", "")
	return out
}

func (g *dossierGen) chance(p float64) bool { return g.rng.Float64() < p }

// dossierLoads builds the residents' dossiers of the 20 teams (exactly
// 1.189 received by 31/10/2024, 180 in Đông Căm), Đông Căm's members'
// practice dossiers in January 2024, and slower work up to the end.
func dossierLoads(ctx context.Context, s *store.Store) ([]store.DossierLoad, error) {
	g := &dossierGen{rng: rand.New(rand.NewPCG(2024, 1189)), procs: map[string]domain.Procedure{}}
	ps, err := s.Procedures(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		g.procs[p.Code] = p
	}
	days, err := s.DaysOff(ctx, domain.MustDate("2023-01-01"), End.AddDays(60))
	if err != nil {
		return nil, err
	}
	g.days = store.DayOffMap(days)
	dongCamMix := map[string]int{"2.000815": 45, "1.010041": 30, "2.000635": 6, "1.004873": 5, "1.001193": 4, "1.001776": 6, "1.010805": 4}
	otherMix := map[string]int{"2.000815": 30, "1.010041": 18, "2.000635": 8, "1.004873": 8, "1.001193": 8, "1.000894": 4, "1.004194": 8,
		"1.003677": 5, "1.004222": 5, "1.001776": 4, "1.010805": 2}
	var enrolled []Village
	for _, v := range Villages {
		if !v.Enrolled.IsZero() {
			enrolled = append(enrolled, v)
		}
	}
	// Split the district's figure: Đông Căm's 180, the rest by weight with
	// at least 20 each, so that every team has dossiers.
	counts := map[string]int{"Thôn Đông Căm": DongCamDossiers}
	rest := DistrictDossiers - DongCamDossiers
	weights := map[string]int{}
	total := 0
	for _, v := range enrolled {
		if v.Name != "Thôn Đông Căm" {
			weights[v.Name] = 1 + g.rng.IntN(5)
			total += weights[v.Name]
		}
	}
	given := 0
	for _, v := range enrolled {
		if v.Name == "Thôn Đông Căm" {
			continue
		}
		n := 20 + (rest-20*(len(enrolled)-1))*weights[v.Name]/total
		counts[v.Name] = n
		given += n
	}
	for _, v := range enrolled { // the remainder to the first villages
		if v.Name != "Thôn Đông Căm" && given < rest {
			counts[v.Name]++
			given++
		}
	}
	var loads []store.DossierLoad
	for _, v := range enrolled {
		u, err := villageNamed(ctx, s, v)
		if err != nil {
			return nil, err
		}
		teams, err := s.TeamsOf(ctx, u.ID, ReportDate)
		if err != nil || len(teams) == 0 {
			return nil, fmt.Errorf("demo: no team in %s: %v", v.Name, err)
		}
		members, _ := s.Members(ctx, teams[0].ID, ReportDate)
		start := teams[0].StartedOn
		people, _, err := s.Residents(ctx, domain.Scope{All: true}, store.ResidentQuery{VillageID: u.ID, At: ReportDate, Limit: 1000})
		if err != nil {
			return nil, err
		}
		var adults []domain.Resident
		for _, p := range people {
			if p.AgeOn(ReportDate) >= 16 {
				adults = append(adults, p)
			}
		}
		mix := otherMix
		if v.Name == "Thôn Đông Căm" {
			mix = dongCamMix
		}
		mk := func(received, until domain.Date) store.DossierLoad {
			p := g.procs[g.pick(mix)]
			a := adults[g.rng.IntN(len(adults))]
			d := domain.Dossier{VillageID: u.ID, ProcedureID: p.ID, ApplicantID: a.ID, ApplicantName: a.FullName, ApplicantPhone: a.Phone,
				MemberID: members[g.rng.IntN(len(members))].ID, ReceivedOn: received}
			return store.DossierLoad{Dossier: d, Steps: g.steps(p, received, until)}
		}
		for i := 0; i < counts[v.Name]; i++ {
			loads = append(loads, mk(g.day(start, ReportDate), End))
		}
		// Work goes on after the report, more slowly.
		for i := 0; i < 6+g.rng.IntN(18); i++ {
			loads = append(loads, mk(g.day(ReportDate.AddDays(1), End), End))
		}
		if v.Name == "Thôn Đông Căm" {
			// Practice days: every working day of January 2024, each member
			// files a certified copy and a residence confirmation of their own.
			for d := start; d.Month() == time.January; d = d.AddDays(1) {
				if !domain.WorkingDay(d, g.days) {
					continue
				}
				for _, m := range members {
					for _, code := range []string{"2.000815", "1.010041"} {
						p := g.procs[code]
						dd := domain.Dossier{VillageID: u.ID, ProcedureID: p.ID, ApplicantName: m.FullName, ApplicantPhone: m.Phone, Practice: true, MemberID: m.ID, ReceivedOn: d}
						loads = append(loads, store.DossierLoad{Dossier: dd, Steps: g.steps(p, d, End)})
					}
				}
			}
		}
	}
	return loads, nil
}
