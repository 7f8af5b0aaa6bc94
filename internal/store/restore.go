package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"thonso/internal/domain"
)

// Restore loads a backup into this database, which must be empty: no
// schema yet, or a schema at the backup's version holding no account, no
// unit and no audit entry (only what migrations seed). The file is read
// twice: first checked whole (a cut, damaged or newer file is refused
// before anything is written), then loaded in one transaction that makes
// the schema up to the backup's version, loads the tables parents first,
// sets PostgreSQL's identity sequences past the loaded ids and records the
// restore in the audit trail. Migrations newer than the backup follow,
// each in its own transaction, as `thonso migrate` would run them.
func (s *Store) Restore(ctx context.Context, a *domain.Actor, open func() (io.ReadCloser, error)) (BackupInfo, error) {
	f, err := open()
	if err != nil {
		return BackupInfo{}, err
	}
	info, err := VerifyBackup(f)
	f.Close()
	if err != nil {
		return info, err
	}
	if known := s.KnownVersion(); info.SchemaVersion > known {
		return info, domain.Errorf(domain.EINVALID, "backup.schema_newer", "have", info.SchemaVersion, "known", known)
	}
	cur, err := s.checkRestoreTarget(ctx, info.SchemaVersion)
	if err != nil {
		return info, err
	}
	f, err = open()
	if err != nil {
		return info, err
	}
	defer f.Close()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if s.dialect.name == "sqlite" {
			// Checked at commit: a row may point at a later row of its table.
			if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
				return internal("restore", err)
			}
		}
		if err := s.migrateTx(ctx, tx, cur, info.SchemaVersion); err != nil {
			return err
		}
		have, err := s.existingTables(ctx, tx)
		if err != nil {
			return err
		}
		order, err := s.presentInOrder(ctx, tx, have)
		if err != nil {
			return err
		}
		for i := len(order) - 1; i >= 0; i-- { // rows the migrations seeded
			t := order[i]
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return internal("restore: empty "+t, err)
			}
		}
		if err := s.loadBackup(ctx, tx, f); err != nil {
			return err
		}
		if err := s.fixSequences(ctx, tx); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "restore", Entity: "database",
			Changes: []Change{{Field: "rows", After: ptr(fmt.Sprint(info.Rows))}, {Field: "schema_version", After: ptr(fmt.Sprint(info.SchemaVersion))}}})
	})
	if err != nil {
		return info, err
	}
	if info.SchemaVersion < s.KnownVersion() {
		if _, err := s.Migrate(ctx); err != nil {
			return info, err
		}
	}
	return info, nil
}

func ptr(s string) *string { return &s }

// checkRestoreTarget returns the target's schema version after checking
// that it holds nothing; it writes nothing.
func (s *Store) checkRestoreTarget(ctx context.Context, backupVersion int) (int, error) {
	have, err := s.existingTables(ctx, s.w)
	if err != nil {
		return 0, err
	}
	exists := map[string]bool{}
	for _, t := range have {
		exists[t] = true
	}
	version := 0
	if exists["schema_migrations"] {
		var v sql.NullInt64
		if err := s.w.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
			return 0, internal("restore: schema version", err)
		}
		version = int(v.Int64)
	}
	for _, t := range []string{"users", "units", "audit_log", "residents", "dossiers"} {
		if !exists[t] {
			continue
		}
		var n int
		if err := s.w.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return 0, internal("restore: count "+t, err)
		}
		if n > 0 {
			return 0, domain.Errorf(domain.ECONFLICT, "backup.target_not_empty", "where", s.Where, "table", t, "count", n)
		}
	}
	if version == 0 {
		for _, t := range have {
			if tables[t] {
				return 0, domain.Errorf(domain.ECONFLICT, "backup.target_not_empty", "where", s.Where, "table", t, "count", 0)
			}
		}
	} else if version != backupVersion {
		return 0, domain.Errorf(domain.ECONFLICT, "backup.target_schema", "where", s.Where, "have", version, "want", backupVersion)
	}
	return version, nil
}

// migrateTx applies the migrations after cur up to upto inside tx.
func (s *Store) migrateTx(ctx context.Context, tx *sql.Tx, cur, upto int) error {
	if cur >= upto {
		return nil
	}
	if _, err := tx.ExecContext(ctx, migrationTableDDL); err != nil {
		return internal("restore: migrations table", err)
	}
	ms, err := s.migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.version <= cur || m.version > upto {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return internal("restore: migration "+m.name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
			m.version, m.name, s.now().Format("2006-01-02T15:04:05Z")); err != nil {
			return internal("restore: migration "+m.name, err)
		}
	}
	return nil
}

// loadBackup inserts the file's rows, converting each value to the kind
// of the target's column (a SQLite file loads into PostgreSQL and back).
func (s *Store) loadBackup(ctx context.Context, tx *sql.Tx, r io.Reader) error {
	br, err := newBackupReader(r)
	if err != nil {
		return err
	}
	var (
		table string
		cols  []string
		kinds []string
		batch [][]any
		// counters' rows, set again once every table is in.
		counters    [][]any
		counterCols []string
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := s.insertMany(ctx, tx, table, cols, batch, false)
		batch = batch[:0]
		return err
	}
	_, err = br.walk(tableVisitor{
		head: func(h tableHead) error {
			target, err := columnKinds(ctx, tx, h.Table)
			if err != nil {
				return err
			}
			table, cols, kinds = h.Table, h.Columns, make([]string, len(h.Columns))
			for i, c := range h.Columns {
				k, ok := target[c]
				if !ok {
					return errBackupCorrupt("column " + h.Table + "." + c)
				}
				kinds[i] = k
			}
			return nil
		},
		row: func(vals []json.RawMessage) error {
			row := make([]any, len(vals))
			for i, raw := range vals {
				v, err := fromJSON(kinds[i], raw)
				if err != nil {
					return errBackupCorrupt("value of " + table + "." + cols[i])
				}
				row[i] = v
			}
			batch = append(batch, row)
			if table == "counters" {
				counters, counterCols = append(counters, row), cols
			}
			if len(batch) >= 2000 {
				return flush()
			}
			return nil
		},
		end: func(string) error { return flush() },
	})
	if err != nil {
		return err
	}
	return restoreCounters(ctx, tx, counterCols, counters)
}

// restoreCounters sets the counters back to the backup's values: the
// triggers of migration 0020 bump the public data version while the
// later tables load, and a restore must be an exact copy.
func restoreCounters(ctx context.Context, tx *sql.Tx, cols []string, rows [][]any) error {
	name, value := -1, -1
	for i, c := range cols {
		switch c {
		case "name":
			name = i
		case "value":
			value = i
		}
	}
	if name < 0 || value < 0 {
		return nil
	}
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, "UPDATE counters SET value = $1 WHERE name = $2", r[value], r[name]); err != nil {
			return internal("restore: counters", err)
		}
	}
	return nil
}

// columnKinds reads the target table's columns and their kinds.
func columnKinds(ctx context.Context, q querier, table string) (map[string]string, error) {
	rs, err := q.QueryContext(ctx, "SELECT * FROM "+table+" WHERE 1 = 0")
	if err != nil {
		return nil, internal("restore: columns of "+table, err)
	}
	defer rs.Close()
	types, err := rs.ColumnTypes()
	if err != nil {
		return nil, internal("restore: columns of "+table, err)
	}
	out := map[string]string{}
	for _, ct := range types {
		out[ct.Name()] = kindOf(ct.DatabaseTypeName())
	}
	return out, nil
}

// fixSequences moves PostgreSQL's identity sequences past the loaded ids,
// so the next insert does not collide with a restored row.
func (s *Store) fixSequences(ctx context.Context, tx *sql.Tx) error {
	if s.dialect.name != "postgres" {
		return nil // SQLite's INTEGER PRIMARY KEY takes max(id)+1 by itself
	}
	rs, err := tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'`)
	if err != nil {
		return internal("restore: identities", err)
	}
	type ident struct{ table, column string }
	var ids []ident
	for rs.Next() {
		var i ident
		if err := rs.Scan(&i.table, &i.column); err != nil {
			rs.Close()
			return internal("restore: identities", err)
		}
		ids = append(ids, i)
	}
	rs.Close()
	for _, i := range ids {
		if !tables[i.table] || strings.ContainsAny(i.column, "\"; ") {
			continue
		}
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(%s) FROM %s), 0) + 1, false)", i.column, i.table)
		if _, err := tx.ExecContext(ctx, q, i.table, i.column); err != nil {
			return internal("restore: sequence of "+i.table, err)
		}
	}
	return nil
}
