package cli

import (
	"flag"
	"fmt"
	"time"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
)

func runDemo(e *env, args []string) error {
	fs := e.flags("demo")
	e.cfg.DBFlag(fs)
	reset := fs.Bool("reset", false, "delete every row first, then load the demo afresh")
	scale := fs.String("scale", "", "instead of the demo, generate a synthetic data set: province or country")
	villages := fs.Int("villages", 0, "with --scale: the number of villages (country: required)")
	communes := fs.Int("communes", 0, "with --scale: the number of communes")
	residents := fs.Int("residents", 0, "with --scale: the number of residents")
	dossiers := fs.Int("dossiers", -1, "with --scale: the number of dossiers")
	seed := fs.Uint64("seed", 1, "with --scale: the random seed (same seed, same data)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openReady()
	if err != nil {
		return err
	}
	defer s.Close()
	if *reset {
		if err := s.Reset(e.ctx, domain.CLIActor()); err != nil {
			return err
		}
	}
	if *scale != "" {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		var sh demo.Shape
		switch *scale {
		case "province":
			sh = demo.ProvinceShape()
		case "country":
			if !set["villages"] {
				return domain.Errorf(domain.EINVALID, "scale.country_villages").WithField("villages")
			}
			sh = demo.CountryShape(*villages)
		default:
			return domain.Errorf(domain.EINVALID, "scale.unknown", "value", *scale).WithField("scale")
		}
		if set["villages"] {
			sh.Villages = *villages
		}
		if set["communes"] {
			sh.Communes = *communes
		}
		if set["residents"] {
			sh.Residents = *residents
		}
		if set["dossiers"] {
			sh.Dossiers = *dossiers
		}
		sh.Seed = *seed
		return e.generate(s, sh)
	}
	return e.loadDemo(s)
}

// generate writes a synthetic data set, printing its progress.
func (e *env) generate(s *store.Store, sh demo.Shape) error {
	if err := sh.Validate(); err != nil {
		return err
	}
	start := time.Now()
	last := map[string]time.Time{}
	err := demo.Generate(e.ctx, s, sh, func(stage string, done, total int) {
		if time.Since(last[stage]) > 2*time.Second || done == total {
			last[stage] = time.Now()
			e.println(e.t("cli.scale_progress", "stage", e.t("scale.stage."+stage), "done", done, "total", total))
		}
	})
	if err != nil {
		return err
	}
	e.println(e.t("cli.scale_done", "villages", sh.Villages, "residents", sh.Residents, "dossiers", sh.Dossiers, "seconds", int(time.Since(start).Seconds())))
	return nil
}

// loadDemo loads the demo unless it is there, and says what it did.
func (e *env) loadDemo(s *store.Store) error {
	res, err := demo.Load(e.ctx, s)
	if err != nil {
		return err
	}
	if res.Loaded {
		e.println(e.t("cli.demo_loaded", "version", demo.Version, "villages", res.Villages, "enrolled", res.Enrolled))
	} else {
		e.println(e.t("cli.demo_present", "version", demo.Version))
	}
	e.println(e.t("cli.demo_users", "password", demo.Password))
	for _, u := range demo.Users {
		where := u.UnitCode
		if u.Village != "" {
			where = u.Village
		}
		e.println(fmt.Sprintf("  %-18s %-22s %s", u.Login, e.t("role."+string(u.Role)), where))
	}
	return nil
}
