package cli

import (
	"fmt"
	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
)

func runDemo(e *env, args []string) error {
	fs := e.flags("demo")
	e.cfg.DBFlag(fs)
	reset := fs.Bool("reset", false, "delete every row first, then load the demo afresh")
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
	return e.loadDemo(s)
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
