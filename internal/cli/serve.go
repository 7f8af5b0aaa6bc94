package cli

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"thonso/internal/api"
	"thonso/internal/domain"
	"thonso/internal/obs"
	"thonso/internal/store"
	"thonso/internal/web"
)

func runServe(e *env, args []string) error {
	fs := e.flags("serve")
	e.cfg.DBFlag(fs)
	e.cfg.DBReadFlags(fs)
	fs.StringVar(&e.cfg.Addr, "addr", e.cfg.Addr, "listen address HOST:PORT; :0 picks a free port (env THONSO_ADDR)")
	withDemo := fs.Bool("demo", false, "load the Bảo Thắng demo data set when it is not there yet")
	fs.StringVar(&e.cfg.TrustedProxies, "trusted-proxy", e.cfg.TrustedProxies, "reverse proxies allowed to set X-Forwarded-For: IPs or CIDRs, comma-separated (env THONSO_TRUSTED_PROXIES)")
	fs.StringVar(&e.cfg.PublicURL, "public-url", e.cfg.PublicURL, "address residents reach the site at, e.g. https://thonso.example.vn; QR codes and posters carry it (env THONSO_PUBLIC_URL; default: the request's host)")
	fs.IntVar(&e.cfg.ExportSyncVillages, "export-sync-villages", e.cfg.ExportSyncVillages, "a unit with more villages than this exports in the background; a province always does (env THONSO_EXPORT_SYNC_VILLAGES; default 300)")
	fs.IntVar(&e.cfg.ExportWorkers, "export-workers", e.cfg.ExportWorkers, "background exports run at once (env THONSO_EXPORT_WORKERS)")
	fs.StringVar(&e.cfg.LogFormat, "log-format", e.cfg.LogFormat, "log lines as text or json (env THONSO_LOG_FORMAT)")
	fs.StringVar(&e.cfg.LogLevel, "log-level", e.cfg.LogLevel, "debug, info (one line per request), warn or error (env THONSO_LOG_LEVEL)")
	fs.StringVar(&e.cfg.BackupDir, "backup-dir", e.cfg.BackupDir, "write a backup into this directory every --backup-every (env THONSO_BACKUP_DIR; default: no scheduled backups)")
	fs.DurationVar(&e.cfg.BackupEvery, "backup-every", e.cfg.BackupEvery, "interval between scheduled backups, e.g. 24h or 6h (env THONSO_BACKUP_EVERY)")
	fs.IntVar(&e.cfg.RetentionYears, "retention-years", e.cfg.RetentionYears, "remove practice-dossier details and session logs older than N years, daily (env THONSO_RETENTION_YEARS; default 0: keep)")
	fs.IntVar(&e.cfg.BackupKeep, "backup-keep", e.cfg.BackupKeep, "how many scheduled backups to keep; older ones are removed (env THONSO_BACKUP_KEEP)")
	migrate := fs.Bool("migrate", false, "also migrate a database whose schema is older (an empty one is always migrated)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	proxies, err := e.cfg.Proxies()
	if err != nil {
		return err
	}
	if err := e.cfg.CheckPublicURL(); err != nil {
		return err
	}
	if err := e.cfg.CheckServe(); err != nil {
		return err
	}
	if err := e.cfg.CheckReplicas(); err != nil {
		return err
	}
	if err := e.cfg.Validate(); err != nil {
		return err
	}
	s, err := store.OpenWith(e.ctx, e.cfg.DB, store.Options{ReadDSNs: e.cfg.DBRead, MaxLag: e.cfg.DBReadMaxLag})
	if err != nil {
		return err
	}
	defer s.Close()
	if err := e.prepareSchema(s, *migrate); err != nil {
		return err
	}
	if *withDemo {
		if err := e.loadDemo(s); err != nil {
			if domain.ErrorCode(err) != domain.ECONFLICT {
				return err
			}
			// An older demo: say so and serve what is there.
			e.printErr(err)
		}
	}
	log := obs.NewLogger(e.stderr, e.cfg.LogFormat, e.cfg.LogLevel)
	w, err := web.New(&web.Server{Store: s, Cat: e.cat, Log: log, Demo: *withDemo, TrustedProxies: proxies, PublicURL: e.cfg.PublicURL, Metrics: obs.NewMetrics(),
		ExportSyncVillages: e.cfg.ExportSyncVillages})
	if err != nil {
		return err
	}
	// Background exports run until the server stops; a job cut off by a
	// stop is marked failed by the next start (store.FailLostExports).
	exportCtx, stopExports := context.WithCancel(e.ctx)
	defer stopExports()
	go w.RunExports(exportCtx, e.cfg.ExportWorkers)
	// The units' summaries behind the stats (store/aggregate.go), built
	// once in the background so the first dashboard does not wait.
	go func() {
		if err := s.WarmStats(exportCtx); err != nil && exportCtx.Err() == nil {
			log.Warn("warm stats", "err", err)
		}
	}()
	a := &api.API{Store: s, Cat: e.cat, Log: log}
	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", err.Error())
	}
	srv := &http.Server{Handler: w.Handler(a.Handler()), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second}
	e.println(e.t("cli.listening", "url", "http://"+ln.Addr().String(), "db", s.Where))
	for _, rp := range s.Replicas() {
		e.println(e.t("cli.listening_replica", "line", web.ReplicaLine(e.cat, e.cfg.Lang, rp)))
	}
	if e.ready != nil {
		e.ready(ln.Addr().String())
	}
	if e.cfg.RetentionYears > 0 {
		go scheduledRetention(e, s, log, e.cfg.RetentionYears)
	}
	if e.cfg.BackupDir != "" {
		go scheduledBackups(e, s, log, e.cfg.BackupDir, e.cfg.BackupEvery, e.cfg.BackupKeep)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-e.ctx.Done():
		// Graceful: stop accepting, let in-flight requests finish (up to
		// 10 s), then close the database.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Warn("shutdown", "err", err)
		}
	}
	return nil
}

// prepareSchema migrates an empty database, refuses a newer schema, and
// migrates an older one only when asked (an operator should back up first).
func (e *env) prepareSchema(s *store.Store, migrateOlder bool) error {
	cur, err := s.SchemaVersion(e.ctx)
	if err != nil {
		return err
	}
	known := s.KnownVersion()
	switch {
	case cur > known:
		return domain.Errorf(domain.EINTERNAL, "db.schema_newer", "have", cur, "known", known, "where", s.Where)
	case cur == known:
		return nil
	case cur > 0 && !migrateOlder:
		return domain.Errorf(domain.EINTERNAL, "db.schema_older", "have", cur, "known", known, "where", s.Where)
	}
	_, err = s.Migrate(e.ctx)
	return err
}
