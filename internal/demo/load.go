package demo

import (
	"context"
	"fmt"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// Result says what Load did.
type Result struct {
	Loaded    bool   // false when the database already held this version
	Older     string // the older demo version found, if any
	Villages  int
	Enrolled  int
	Residents int
}

// demoActor is who the audit says loaded the demo.
func demoActor() *domain.Actor {
	return &domain.Actor{User: domain.User{Login: "demo"}, Grants: []domain.Grant{{Role: domain.RoleAdmin}}, Via: "cli"}
}

// at is a story clock fixed at 08:00 Vietnam time on d.
func at(d domain.Date) func() time.Time {
	t := time.Date(d.Year(), d.Month(), d.Day(), 8, 0, 0, 0, domain.Vietnam())
	return func() time.Time { return t }
}

// Load writes the demo data set unless the database already holds it.
// A database holding an older version is reported, not touched.
func Load(ctx context.Context, s *store.Store) (Result, error) {
	have, err := s.Meta(ctx, "demo_version")
	if err != nil {
		return Result{}, err
	}
	if have == Version {
		return Result{}, nil
	}
	if have != "" {
		return Result{Older: have}, domain.Errorf(domain.ECONFLICT, "demo.older", "have", have, "want", Version)
	}
	before, reorg := UnitBatches()
	if _, err := s.WithClock(at(domain.MustDate("2023-10-02"))).ApplyUnitBatch(ctx, demoActor(), before); err != nil {
		return Result{}, fmt.Errorf("demo units: %w", err)
	}
	res := Result{Loaded: true}
	for _, v := range Villages {
		u, err := villageNamed(ctx, s, v)
		if err != nil {
			return Result{}, err
		}
		res.Villages++
		if v.Enrolled.IsZero() {
			continue
		}
		commune, err := s.UnitAt(ctx, v.CommuneCode, v.Enrolled)
		if err != nil {
			return Result{}, err
		}
		if _, err := s.WithClock(at(v.Enrolled)).Enrol(ctx, store.Enrolment{VillageID: u.ID, EnrolledOn: v.Enrolled, Decision: v.Decision, ByUnitID: commune.ID}); err != nil {
			return Result{}, err
		}
		res.Enrolled++
	}
	loads, err := teamLoads(ctx, s)
	if err != nil {
		return Result{}, err
	}
	if err := s.WithClock(at(domain.MustDate("2024-01-02"))).LoadTeams(ctx, demoActor(), loads); err != nil {
		return Result{}, fmt.Errorf("demo teams: %w", err)
	}
	if _, err := s.WithClock(at(Reorg)).ApplyUnitBatch(ctx, demoActor(), reorg); err != nil {
		return Result{}, fmt.Errorf("demo reorganisation: %w", err)
	}
	if err := loadUsers(ctx, s); err != nil {
		return Result{}, fmt.Errorf("demo users: %w", err)
	}
	n, err := loadPeople(ctx, s)
	if err != nil {
		return Result{}, fmt.Errorf("demo people: %w", err)
	}
	res.Residents = n
	// Đông Căm features the two procedures it began with (the report).
	dc, err := villageNamed(ctx, s, Villages[0])
	if err != nil {
		return Result{}, err
	}
	if err := s.WithClock(at(End)).SetFeatured(ctx, demoActor(), dc.ID, []string{"2.000815", "1.010041"}, domain.MustDate("2024-01-02")); err != nil {
		return Result{}, fmt.Errorf("demo featured: %w", err)
	}
	// The fast villages feature one or two procedures a few months in.
	for i, v := range Villages {
		if v.Name == Villages[0].Name || v.Enrolled.IsZero() || !FastVillage(v) {
			continue
		}
		u, err := villageNamed(ctx, s, v)
		if err != nil {
			return Result{}, err
		}
		codes := [][]string{{"2.000815"}, {"2.000815", "1.010041"}, {"1.010041"}}[i%3]
		if err := s.WithClock(at(End)).SetFeatured(ctx, demoActor(), u.ID, codes, v.Enrolled.AddDays(60+10*i)); err != nil {
			return Result{}, fmt.Errorf("demo featured: %w", err)
		}
	}
	if err := loadVillageInfo(ctx, s, dc.ID); err != nil {
		return Result{}, err
	}
	if err := loadInfrastructure(ctx, s); err != nil {
		return Result{}, err
	}
	dl, err := dossierLoads(ctx, s)
	if err != nil {
		return Result{}, err
	}
	if err := s.WithClock(at(End)).LoadDossiers(ctx, demoActor(), dl); err != nil {
		return Result{}, fmt.Errorf("demo dossiers: %w", err)
	}
	al, err := activityLoad(ctx, s, dl)
	if err != nil {
		return Result{}, err
	}
	if err := s.WithClock(at(End)).LoadActivities(ctx, demoActor(), al); err != nil {
		return Result{}, fmt.Errorf("demo activities: %w", err)
	}
	if err := loadCriteria(ctx, s); err != nil {
		return Result{}, err
	}
	return res, s.SetMeta(ctx, "demo_version", Version)
}

// villageNamed finds a demo village under its 2024 commune.
func villageNamed(ctx context.Context, s *store.Store, v Village) (domain.Unit, error) {
	commune, err := s.UnitAt(ctx, v.CommuneCode, Snapshot)
	if err != nil {
		return domain.Unit{}, err
	}
	kids, err := s.Children(ctx, commune.ID, Snapshot)
	if err != nil {
		return domain.Unit{}, err
	}
	for _, k := range kids {
		if k.Name == v.Name {
			return k, nil
		}
	}
	return domain.Unit{}, domain.Errorf(domain.ENOTFOUND, "unit.not_found_on", "code", v.Name, "date", Snapshot)
}

// loadPeople gives every demo village households and residents, through
// the same bulk load as a spreadsheet import.
func loadPeople(ctx context.Context, s *store.Store) (int, error) {
	g := newGen()
	var rows []store.PersonRow
	for i, v := range Villages {
		u, err := villageNamed(ctx, s, v)
		if err != nil {
			return 0, err
		}
		if v.Name == "Thôn Đông Căm" {
			rows = append(rows, g.dongCam(v, u.ID)...)
		} else {
			rows = append(rows, g.villagePeople(v, u.ID, 25+(i*23)%45)...)
		}
	}
	res, err := s.WithClock(at(End)).ApplyPeople(ctx, demoActor(), rows, store.PeopleOptions{Source: "demo"})
	if err != nil {
		return 0, err
	}
	return res.Created, nil
}
