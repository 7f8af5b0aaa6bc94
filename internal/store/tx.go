package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in one write transaction: committed when fn returns nil,
// rolled back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		// On SQLite, BEGIN IMMEDIATE is where another process's lock shows.
		return openErr(s.Where, err)
	}
	// A change sent from a phone is recorded first, in the same
	// transaction as its effect: a resend finds it and changes nothing;
	// a refused change rolls its record back with the rest.
	if c, ok := ctx.Value(changeKey{}).(SyncChange); ok {
		if err := s.recordChange(ctx, tx, c); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		s.pub.invalidate() // a failed commit may still have committed
		return internal("commit", err)
	}
	// This server's next request sees its own write at once, without
	// waiting for the notification (public_watch.go).
	s.pub.invalidate()
	return nil
}

// inConnTx is inTx on a connection of its own, which fn may also reach
// below database/sql (a bulk load's COPY on PostgreSQL runs inside tx).
func (s *Store) inConnTx(ctx context.Context, fn func(conn *sql.Conn, tx *sql.Tx) error) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return openErr(s.Where, err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return openErr(s.Where, err)
	}
	if err := fn(conn, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// insertMany inserts rows in multi-row statements sized to the dialect's
// parameter limit. With keyed set (units only) it returns the new ids by
// "code@valid_from": RETURNING order is not promised by SQLite, so rows
// are matched by code and start (a batch may hold an old unit and its
// new namesake).
func (s *Store) insertMany(ctx context.Context, q querier, table string, cols []string, rows [][]any, keyed bool) (map[string]int64, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	per := s.dialect.maxParams / len(cols)
	if per > 500 {
		per = 500
	}
	var ids map[string]int64
	if keyed {
		ids = make(map[string]int64, len(rows))
	}
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var b strings.Builder
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
		args := make([]any, 0, (end-start)*len(cols))
		for i, row := range rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range row {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, row[j])
				b.WriteString(s.dialect.param(len(args)))
			}
			b.WriteByte(')')
		}
		if !keyed {
			if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
				return nil, internal("insert "+table, err)
			}
			continue
		}
		b.WriteString(" RETURNING id, code, COALESCE(valid_from, '')")
		rs, err := q.QueryContext(ctx, b.String(), args...)
		if err != nil {
			return nil, internal("insert "+table, err)
		}
		for rs.Next() {
			var id int64
			var code, from string
			if err := rs.Scan(&id, &code, &from); err != nil {
				rs.Close()
				return nil, internal("insert "+table, err)
			}
			ids[code+"@"+from] = id
		}
		if err := rs.Close(); err != nil {
			return nil, internal("insert "+table, err)
		}
		if err := rs.Err(); err != nil {
			return nil, internal("insert "+table, err)
		}
	}
	return ids, nil
}
