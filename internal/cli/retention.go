package cli

import (
	"log/slog"
	"strconv"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// runRetention applies the retention period once:
// thonso retention [--db DSN] --retention-years N. One audit entry says
// what was removed.
func runRetention(e *env, args []string) error {
	fs := e.flags("retention")
	e.cfg.DBFlag(fs)
	fs.IntVar(&e.cfg.RetentionYears, "retention-years", e.cfg.RetentionYears, "remove practice-dossier details and session logs older than N years (env THONSO_RETENTION_YEARS)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if e.cfg.RetentionYears == 0 {
		return domain.Errorf(domain.EINVALID, "cli.retention_off")
	}
	s, err := e.openReady()
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.ApplyRetention(e.ctx, domain.CLIActor(), e.cfg.RetentionYears)
	if err != nil {
		return err
	}
	e.println(e.t("cli.retention_done", "years", e.cfg.RetentionYears, "cutoff", res.Cutoff.VN(),
		"dossiers", res.PracticeDossiers, "logs", res.SessionLogs))
	return nil
}

// scheduledRetention applies the retention period when serve starts and
// then every 24 hours; a failure is logged and tried again the next day.
func scheduledRetention(e *env, s *store.Store, log *slog.Logger, years int) {
	run := func() {
		a := domain.CLIActor()
		a.Via, a.User.Login = "system", "retention"
		res, err := s.ApplyRetention(e.ctx, a, years)
		if err != nil {
			log.Error("retention failed", "years", years, "err", err)
			return
		}
		log.Info("retention", "years", strconv.Itoa(years), "cutoff", res.Cutoff.String(), "practice_dossiers", res.PracticeDossiers, "session_logs", res.SessionLogs)
	}
	run()
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		select {
		case <-e.ctx.Done():
			return
		case <-t.C:
			run()
		}
	}
}
