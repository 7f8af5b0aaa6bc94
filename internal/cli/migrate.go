package cli

func runMigrate(e *env, args []string) error {
	fs := e.flags("migrate")
	e.cfg.DBFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Migrate(e.ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		e.println(e.t("cli.up_to_date", "db", s.Where, "version", s.KnownVersion()))
	} else {
		e.println(e.t("cli.migrated", "db", s.Where, "version", s.KnownVersion(), "count", n))
	}
	return nil
}

func (e *env) println(s string) { e.stdout.Write([]byte(s + "\n")) }
