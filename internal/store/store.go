// Package store is the one database/sql implementation of Thôn Số's
// persistence, for SQLite (modernc.org/sqlite) and PostgreSQL (pgx).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"

	"thonso/internal/domain"
)

// Store reads and writes every table. Writes go through one writer pool
// (a single connection on SQLite, where there is only ever one writer);
// reads use a pool of readers, and on PostgreSQL the read replicas for
// work marked ReadOnly (replica.go).
type Store struct {
	w       *sql.DB
	r       *readers
	dialect dialect
	// Now is the clock; the demo injects one so created_at follows its story.
	Now func() time.Time
	// Where names the database for messages, without a password.
	Where string
	// agg holds the units' summaries for Stats (aggregate.go).
	agg *aggCache
	// pub knows the public data version (public_watch.go); shared by
	// the Store's copies, like agg.
	pub *publicWatch
}

// Open connects to a DSN: "sqlite:PATH" or "postgres://…". It checks the
// connection, so a bad DSN fails here with a clear error.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return OpenWith(ctx, dsn, Options{})
}

// OpenWith is Open with read replicas. SQLite refuses them: a SQLite file
// has no standby to read from.
func OpenWith(ctx context.Context, dsn string, o Options) (*Store, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		if len(o.ReadDSNs) > 0 {
			return nil, domain.Errorf(domain.EINVALID, "db.read_sqlite")
		}
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn, o)
	}
	return nil, domain.Errorf(domain.EINVALID, "db.dsn_unknown", "dsn", dsn)
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, domain.Errorf(domain.EINVALID, "db.dsn_unknown", "dsn", "sqlite:")
	}
	if dir := filepath.Dir(path); dir != "." {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, domain.Errorf(domain.EINVALID, "db.sqlite_dir", "path", path, "dir", dir)
		}
	}
	base := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_time_format=sqlite"
	// temp_store(2): statement journals in memory. A multi-row INSERT on
	// a table with constraints and triggers journals every page it first
	// touches; on disk that was a tenth of a bulk import's time in write
	// system calls.
	w, err := sql.Open("sqlite", base+"&_txlock=immediate&_pragma=temp_store(2)")
	if err != nil {
		return nil, openErr(path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, openErr(path, err)
	}
	// Keep every reader open: past database/sql's default of two idle
	// connections, a busy server closed and reopened readers (and
	// prepared their statements again) on every burst of requests.
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	r.SetConnMaxLifetime(0)
	s := &Store{w: w, r: &readers{primary: r}, dialect: sqliteDialect, Now: time.Now, Where: "sqlite:" + path, agg: newAggCache(), pub: &publicWatch{}}
	if err := s.ping(ctx); err != nil {
		s.Close()
		return nil, openErr(path, err)
	}
	s.pub.watchSQLite(path) // the ping opened the database in WAL mode
	return s, nil
}

func openPostgres(ctx context.Context, dsn string, o Options) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, openErr(redact(dsn), err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	s := &Store{w: db, r: &readers{primary: db}, dialect: postgresDialect, Now: time.Now, Where: redact(dsn), agg: newAggCache(), pub: &publicWatch{dsn: dsn}}
	if err := s.ping(ctx); err != nil {
		db.Close()
		return nil, openErr(redact(dsn), err)
	}
	if len(o.ReadDSNs) > 0 {
		if s.r.replicas, err = openReplicas(o.ReadDSNs, o.MaxLag); err != nil {
			db.Close()
			return nil, err
		}
		// Measure once before serving, then keep measuring until Close.
		s.checkReplicas(ctx)
		mctx, stop := context.WithCancel(context.Background())
		s.r.stop = stop
		go s.monitor(mctx)
	}
	return s, nil
}

// ping touches the database through the writer, which is what fails when
// a SQLite file is locked or is not a database.
func (s *Store) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	var n int
	if err := s.w.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
		return err
	}
	if s.dialect.name == "sqlite" {
		// Reading the schema fails on a file that is not a database, and
		// waits out busy_timeout on one that another process holds locked.
		if err := s.w.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
			return err
		}
	}
	return nil
}

func openErr(where string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "locked") || strings.Contains(msg, "SQLITE_BUSY"):
		return domain.Errorf(domain.EINTERNAL, "db.locked", "where", where)
	case strings.Contains(msg, "not a database"):
		return domain.Errorf(domain.EINTERNAL, "db.not_database", "where", where)
	}
	return domain.Errorf(domain.EINTERNAL, "db.open_failed", "where", where, "reason", firstLine(msg))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// redact hides the password of a PostgreSQL URL.
func redact(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return dsn
	}
	cred := dsn[scheme+3 : at]
	if i := strings.IndexByte(cred, ':'); i >= 0 {
		return dsn[:scheme+3] + cred[:i] + ":***" + dsn[at:]
	}
	return dsn
}

// Close releases every pool.
func (s *Store) Close() error {
	s.pub.close()
	err := s.r.close()
	if e := s.w.Close(); err == nil {
		err = e
	}
	if s.r.primary != s.w {
		if e := s.r.primary.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Dialect names the database kind: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect.name }

func (s *Store) now() time.Time { return s.Now().UTC() }

// internal wraps an unexpected database error with where it happened.
func internal(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	var fe *domain.FileErrors
	if errors.As(err, &fe) {
		return err
	}
	return fmt.Errorf("store: %s: %w", op, err)
}
