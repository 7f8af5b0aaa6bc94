package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// Shape is the size of a synthetic data set: provinces of communes of
// villages, residents and dossiers spread over them with realistic skew
// (big and small villages, active and idle teams).
type Shape struct {
	Provinces int
	Communes  int // in all
	Villages  int // in all
	Residents int
	Dossiers  int
	Seed      uint64
}

// ProvinceShape is one province as issue #10 sizes it.
func ProvinceShape() Shape {
	return Shape{Provinces: 1, Communes: 150, Villages: 1500, Residents: 1_000_000, Dossiers: 300_000, Seed: 1}
}

// CountryShape is a sample of the country tier: villages spread over the
// 34 provinces, about ten per commune and 650 residents each.
func CountryShape(villages int) Shape {
	return Shape{Provinces: 34, Communes: max(villages/10, min(34, villages)), Villages: villages, Residents: villages * 650, Dossiers: villages * 200, Seed: 1}
}

// Validate refuses an impossible shape with what is wrong.
func (sh Shape) Validate() error {
	switch {
	case sh.Provinces < 1 || sh.Provinces > 90:
		return domain.Errorf(domain.EINVALID, "scale.provinces", "value", sh.Provinces).WithField("provinces")
	case sh.Villages < 1:
		return domain.Errorf(domain.EINVALID, "scale.villages", "value", sh.Villages).WithField("villages")
	case sh.Communes < sh.Provinces || sh.Communes > sh.Villages || sh.Communes > 9999*sh.Provinces:
		return domain.Errorf(domain.EINVALID, "scale.communes", "value", sh.Communes, "villages", sh.Villages).WithField("communes")
	case sh.Residents < 2*sh.Villages:
		return domain.Errorf(domain.EINVALID, "scale.residents", "value", sh.Residents, "villages", sh.Villages).WithField("residents")
	case sh.Dossiers < 0:
		return domain.Errorf(domain.EINVALID, "scale.dossiers", "value", sh.Dossiers).WithField("dossiers")
	}
	return nil
}

// scaleStart and scaleEnd bound the synthetic story: three years.
var (
	scaleStart = domain.MustDate("2023-11-01")
	scaleEnd   = domain.MustDate("2026-10-31")
)

// Generate writes a synthetic data set through the store's bulk loads,
// in batches, reporting progress. Provinces get codes from 90 down
// ("Tỉnh Minh hoạ 1", …), communes 9PCCC, so they never meet real units.
func Generate(ctx context.Context, s *store.Store, sh Shape, progress func(stage string, done, total int)) error {
	if err := sh.Validate(); err != nil {
		return err
	}
	if progress == nil {
		progress = func(string, int, int) {}
	}
	rng := rand.New(rand.NewPCG(sh.Seed, 2026))
	a := demoActor()
	clock := s.WithClock(at(scaleStart))
	// Units: provinces, communes, villages with skewed sizes.
	var batch domain.UnitBatch
	batch.Source = "synthetic"
	var villages []synthVillage
	weights := make([]float64, sh.Villages)
	total := 0.0
	for i := range weights {
		weights[i] = math.Exp(rng.NormFloat64() * 0.6) // log-normal: big and small villages
		total += weights[i]
	}
	assigned := 0
	for p := 0; p < sh.Provinces; p++ {
		pcode := fmt.Sprintf("%02d", 90-p)
		batch.Units = append(batch.Units, domain.NewUnit{Code: pcode, Name: fmt.Sprintf("Tỉnh Minh hoạ %d", p+1), TypeWord: "Tỉnh", Level: domain.LevelProvince, ResolveAt: scaleStart})
		communes := sh.Communes / sh.Provinces
		if p < sh.Communes%sh.Provinces {
			communes++
		}
		for c := 0; c < communes; c++ {
			ccode := fmt.Sprintf("9%02d%02d", 90-p, c) // 5 digits while c < 100
			if c >= 100 {
				ccode = fmt.Sprintf("%d%03d", 90-p, c)
			}
			batch.Units = append(batch.Units, domain.NewUnit{Code: ccode, Name: fmt.Sprintf("Xã Minh hoạ %d-%d", p+1, c+1), TypeWord: "Xã", Level: domain.LevelCommune,
				ParentCode: pcode, ResolveAt: scaleStart})
		}
	}
	// Villages round-robin over communes, sizes from the weights.
	var communes []string
	for _, u := range batch.Units {
		if u.Level == domain.LevelCommune {
			communes = append(communes, u.Code)
		}
	}
	perCommune := map[string]int{}
	for i := 0; i < sh.Villages; i++ {
		c := communes[i%len(communes)]
		perCommune[c]++
		size := int(float64(sh.Residents) * weights[i] / total)
		if size < 2 {
			size = 2
		}
		if i == sh.Villages-1 {
			size = max(sh.Residents-assigned, 2)
		}
		assigned += size
		v := synthVillage{name: fmt.Sprintf("Thôn %d", perCommune[c]), commune: c, size: size, active: rng.Float64()}
		villages = append(villages, v)
		batch.Units = append(batch.Units, domain.NewUnit{Name: v.name, Level: domain.LevelVillage, ParentCode: c, ResolveAt: scaleStart})
	}
	progress("units", 0, len(batch.Units))
	if _, err := clock.ApplyUnitBatch(ctx, a, batch); err != nil {
		return fmt.Errorf("synthetic units: %w", err)
	}
	progress("units", len(batch.Units), len(batch.Units))
	// Resolve the villages' ids.
	ids := make([]int64, len(villages))
	kids := map[string][]domain.Unit{}
	for i, v := range villages {
		if _, ok := kids[v.commune]; !ok {
			cu, err := s.UnitAt(ctx, v.commune, scaleStart)
			if err != nil {
				return err
			}
			if kids[v.commune], err = s.Children(ctx, cu.ID, scaleStart); err != nil {
				return err
			}
		}
		for _, k := range kids[v.commune] {
			if k.Name == v.name {
				ids[i] = k.ID
			}
		}
	}
	// Most villages join the model; their teams begin then.
	g := newGen()
	g.rng = rand.New(rand.NewPCG(sh.Seed, 1000))
	g.cccd = 500_000
	g.phone = 10_000 // no phones from the demo's block
	var teams []store.TeamLoad
	enrolled := make([]domain.Date, len(villages))
	for i, v := range villages {
		if v.active < 0.15 {
			continue // not in the model
		}
		on := scaleStart.AddDays(rng.IntN(400))
		enrolled[i] = on
		if _, err := s.WithClock(at(on)).Enrol(ctx, store.Enrolment{VillageID: ids[i], EnrolledOn: on, Decision: fmt.Sprintf("Quyết định %d/QĐ-UBND (minh hoạ)", i+1)}); err != nil {
			return err
		}
		t := domain.Team{Kind: domain.TeamVillage, Name: "Tổ công nghệ số " + v.name, UnitID: ids[i], DecisionNo: fmt.Sprintf("%d/QĐ-UBND", i+1), DecisionDate: on, StartedOn: on}
		var ms []domain.Member
		for k := 0; k < 4+rng.IntN(5); k++ {
			r := g.person("kinh", "", []domain.Sex{domain.SexMale, domain.SexFemale}[k%2], domain.MustDate("1965-01-01"), domain.MustDate("2002-12-31"))
			role := domain.RoleTeamMember
			if k == 0 {
				role = domain.RoleTeamLead
			}
			ms = append(ms, domain.Member{FullName: r.FullName, Role: role, JoinedOn: on})
		}
		teams = append(teams, store.TeamLoad{Team: t, Members: ms, Slots: []domain.Slot{{Weekday: time.Weekday(1 + rng.IntN(5)), Start: 19 * 60, End: 21 * 60,
			Place: "Nhà văn hoá " + v.name, ValidFrom: on, EveryWeeks: 1}}})
		progress("enrolments", i+1, len(villages))
	}
	if err := clock.LoadTeams(ctx, a, teams); err != nil {
		return fmt.Errorf("synthetic teams: %w", err)
	}
	// Residents, a few villages per load so memory stays flat.
	done := 0
	var rows []store.PersonRow
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		if _, err := s.WithClock(at(scaleEnd)).ApplyPeople(ctx, a, rows, store.PeopleOptions{Source: "synthetic"}); err != nil {
			return fmt.Errorf("synthetic residents: %w", err)
		}
		done += len(rows)
		rows = rows[:0]
		progress("residents", done, sh.Residents)
		return nil
	}
	for i, v := range villages {
		g.fast = v.active > 0.6
		n, h := 0, 0
		for n < v.size {
			h++
			hh := domain.Household{Number: fmt.Sprint(h), Hamlet: fmt.Sprintf("Xóm %d", 1+h%4)}
			if g.likely(0.6, 0.95) {
				hh.Zalo = domain.Adoption{Since: g.when(scaleStart, scaleEnd, 4)}
			}
			seen := map[string]bool{}
			for _, r := range g.household("kinh") {
				if n == v.size {
					break
				}
				if key := r.FullName + r.BirthDate.String(); seen[key] {
					continue // the same person twice in one household: once
				} else {
					seen[key] = true
				}
				g.adopt(&r, enrolled[i], g.chance(0.5), domain.MustDate("2022-06-01"), scaleEnd)
				if g.cccd < 990_000 { // serials stay unique: past that, no CCCD
					g.identity(&r)
				}
				rows = append(rows, store.PersonRow{VillageID: ids[i], Household: hh, Resident: r})
				n++
			}
		}
		if len(rows) >= 20_000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	for i := range villages {
		villages[i].id, villages[i].enrolled = ids[i], enrolled[i]
	}
	return generateDossiers(ctx, s, sh, villages, progress)
}

// synthVillage is a generated village: its name and commune, its size,
// how active its team is (0–1), and once written its id and enrolment.
type synthVillage struct {
	name, commune string
	size          int
	active        float64
	id            int64
	enrolled      domain.Date
}

// generateDossiers spreads the dossiers over the villages in the model,
// active teams taking many more, in loads of 10.000.
func generateDossiers(ctx context.Context, s *store.Store, sh Shape, vs []synthVillage, progress func(string, int, int)) error {
	var in []synthVillage
	total := 0.0
	for _, v := range vs {
		if !v.enrolled.IsZero() {
			in = append(in, v)
			total += v.active * v.active
		}
	}
	if len(in) == 0 || sh.Dossiers == 0 {
		return nil
	}
	g := &dossierGen{rng: rand.New(rand.NewPCG(sh.Seed, 300)), procs: map[string]domain.Procedure{}}
	ps, err := s.Procedures(ctx)
	if err != nil {
		return err
	}
	for _, p := range ps {
		g.procs[p.Code] = p
	}
	days, err := s.DaysOff(ctx, scaleStart.AddDays(-30), scaleEnd.AddDays(60))
	if err != nil {
		return err
	}
	g.days = store.DayOffMap(days)
	mix := map[string]int{"2.000815": 30, "1.010041": 18, "2.000635": 8, "1.004873": 8, "1.001193": 8, "1.000894": 4, "1.004194": 8, "1.003677": 5, "1.004222": 5}
	var loads []store.DossierLoad
	done := 0
	for k, v := range in {
		n := int(float64(sh.Dossiers) * v.active * v.active / total)
		if k == len(in)-1 {
			n = sh.Dossiers - done - len(loads)
		}
		for i := 0; i < n; i++ {
			p := g.procs[g.pick(mix)]
			on := g.day(v.enrolled, scaleEnd)
			d := domain.Dossier{VillageID: v.id, ProcedureID: p.ID, ApplicantName: "Người dân (minh hoạ)", ReceivedOn: on}
			loads = append(loads, store.DossierLoad{Dossier: d, Steps: g.steps(p, on, scaleEnd)})
			if len(loads) == 10_000 {
				if err := s.WithClock(at(scaleEnd)).LoadDossiers(ctx, demoActor(), loads); err != nil {
					return fmt.Errorf("synthetic dossiers: %w", err)
				}
				done += len(loads)
				loads = loads[:0]
				progress("dossiers", done, sh.Dossiers)
			}
		}
	}
	if len(loads) > 0 {
		if err := s.WithClock(at(scaleEnd)).LoadDossiers(ctx, demoActor(), loads); err != nil {
			return fmt.Errorf("synthetic dossiers: %w", err)
		}
		done += len(loads)
		progress("dossiers", done, sh.Dossiers)
	}
	return nil
}
