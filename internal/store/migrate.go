package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"thonso/internal/domain"
)

//go:embed migrations
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func (s *Store) migrations() ([]migration, error) {
	dir := "migrations/" + s.dialect.name
	ents, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range ents {
		n := e.Name()
		if !strings.HasSuffix(n, ".sql") {
			continue
		}
		v, err := strconv.Atoi(strings.SplitN(n, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: bad number", n)
		}
		b, err := migrationFS.ReadFile(dir + "/" + n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(n, ".sql"), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// KnownVersion is the newest schema version this binary carries.
func (s *Store) KnownVersion() int {
	ms, _ := s.migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// SchemaVersion reads the version the database is at; 0 for an empty one.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	if err := s.ensureMigrationTable(ctx); err != nil {
		return 0, err
	}
	var v sql.NullInt64
	if err := s.w.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, internal("schema version", err)
	}
	return int(v.Int64), nil
}

// migrationTableDDL makes the table that records applied migrations.
const migrationTableDDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`

func (s *Store) ensureMigrationTable(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, migrationTableDDL)
	if err != nil {
		return openErr(s.Where, err)
	}
	return nil
}

// Migrate brings the schema to the newest version, each migration in its
// own transaction, and returns how many it applied. A database newer than
// this binary is refused.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	cur, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	known := s.KnownVersion()
	if cur > known {
		return 0, domain.Errorf(domain.EINTERNAL, "db.schema_newer", "have", cur, "known", known, "where", s.Where)
	}
	ms, err := s.migrations()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		if m.version <= cur {
			continue
		}
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
				m.version, m.name, s.now().Format("2006-01-02T15:04:05Z"))
			return err
		})
		if err != nil {
			return n, internal("migrate", err)
		}
		n++
	}
	return n, nil
}
