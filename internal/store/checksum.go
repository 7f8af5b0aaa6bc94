package store

import (
	"context"
	"database/sql"
)

// TableSum is a table's row count and an order-free checksum of its rows
// in their canonical form, equal across SQLite and PostgreSQL for the same
// data.
type TableSum struct {
	Rows int64
	Sum  string
}

// Checksums reads every one of our tables that exists (derived ones
// apart), in one read transaction, so the figures belong to one moment.
func (s *Store) Checksums(ctx context.Context) (map[string]TableSum, error) {
	out := map[string]TableSum{}
	err := s.readSnapshot(ctx, func(tx *sql.Tx) error {
		have, err := s.existingTables(ctx, tx)
		if err != nil {
			return err
		}
		exists := map[string]bool{}
		for _, t := range have {
			exists[t] = true
		}
		for _, t := range LoadOrder() {
			if !exists[t] || derived[t] {
				continue
			}
			var sum rowSum
			if err := scanTable(ctx, tx, t, nil, func(_ []string, row []any) error { return sum.add(row) }); err != nil {
				return err
			}
			out[t] = TableSum{Rows: sum.rows, Sum: sum.hex()}
		}
		return nil
	})
	return out, err
}

// readSnapshot runs fn in a read-only transaction that sees one moment:
// on SQLite a WAL read transaction, on PostgreSQL REPEATABLE READ.
func (s *Store) readSnapshot(ctx context.Context, fn func(tx *sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect.name == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.r.BeginTx(ctx, opts)
	if err != nil {
		return openErr(s.Where, err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// scanTable reads every row of table in canonical form, ordered by its
// first column (the id, so a row that points at an earlier row of its own
// table comes after it). head, when set, receives the columns and kinds.
func scanTable(ctx context.Context, q querier, table string, head func(cols, kinds []string) error, fn func(cols []string, row []any) error) error {
	if !tables[table] {
		return internal("scan", errUnknownTable(table))
	}
	rs, err := q.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY 1")
	if err != nil {
		return internal("read "+table, err)
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return internal("read "+table, err)
	}
	types, err := rs.ColumnTypes()
	if err != nil {
		return internal("read "+table, err)
	}
	kinds := make([]string, len(types))
	for i, ct := range types {
		kinds[i] = kindOf(ct.DatabaseTypeName())
	}
	if head != nil {
		if err := head(cols, kinds); err != nil {
			return err
		}
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	row := make([]any, len(cols))
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return internal("read "+table, err)
		}
		for i, v := range vals {
			row[i] = canonical(kinds[i], v)
		}
		if err := fn(cols, row); err != nil {
			return err
		}
	}
	return internal("read "+table, rs.Err())
}

type errUnknownTable string

func (e errUnknownTable) Error() string { return "unknown table " + string(e) }

// ChecksumExcept is a table's checksum over the rows whose column does
// not hold value: a restore adds one audit entry, and a test compares the
// rest.
func (s *Store) ChecksumExcept(ctx context.Context, table, column string, value any) (TableSum, error) {
	var sum rowSum
	err := s.readSnapshot(ctx, func(tx *sql.Tx) error {
		idx := -1
		return scanTable(ctx, tx, table, func(cols, _ []string) error {
			for i, c := range cols {
				if c == column {
					idx = i
				}
			}
			if idx < 0 {
				return internal("checksum", errUnknownTable(table+"."+column))
			}
			return nil
		}, func(_ []string, row []any) error {
			if row[idx] == value {
				return nil
			}
			return sum.add(row)
		})
	})
	return TableSum{Rows: sum.rows, Sum: sum.hex()}, err
}
