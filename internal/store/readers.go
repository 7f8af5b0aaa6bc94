package store

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"

	"thonso/internal/obs"
)

// readOnlyKey marks a context whose reads may be served by a hot standby.
type readOnlyKey struct{}

// ReadOnly marks ctx as read-only work that tolerates replication lag (a
// dashboard, a public page, an export, the stats API): its reads may go to
// a read replica (--db-read) that is up and within --db-read-max-lag.
// Unmarked work reads from the primary, so the default stays consistent;
// writes always go to the primary whatever the mark.
func ReadOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, readOnlyKey{}, true)
}

// IsReadOnly reports whether ctx carries the ReadOnly mark.
func IsReadOnly(ctx context.Context) bool {
	v, _ := ctx.Value(readOnlyKey{}).(bool)
	return v
}

// readers is where reads go: the primary's reader pool (on SQLite a pool
// of query_only connections, on PostgreSQL the primary itself) and the
// read replicas, chosen per query from the context's mark.
type readers struct {
	primary  *sql.DB
	replicas []*replica
	next     atomic.Uint32
	stop     context.CancelFunc // ends the lag monitor
}

// pick returns the pool for ctx: a usable replica when ctx is ReadOnly
// (round robin over the usable ones), else the primary.
func (rd *readers) pick(ctx context.Context) (*sql.DB, *replica) {
	if len(rd.replicas) == 0 || !IsReadOnly(ctx) {
		return rd.primary, nil
	}
	n := len(rd.replicas)
	start := int(rd.next.Add(1))
	for i := 0; i < n; i++ {
		rp := rd.replicas[(start+i)%n]
		if rp.usable() {
			rp.served.Add(1)
			return rp.db, rp
		}
	}
	return rd.primary, nil
}

// QueryContext reads from the pool pick chooses; a replica that fails is
// set aside until the monitor finds it well again, and the query is run
// on the primary instead, so a lost standby costs no request.
func (rd *readers) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	db, rp := rd.pick(ctx)
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil && rp != nil && ctx.Err() == nil {
		rp.failed(err)
		return rd.primary.QueryContext(ctx, query, args...)
	}
	return rows, err
}

// QueryRowContext is QueryContext for one row; the query's own error (not
// "no rows", which only Scan reports) triggers the fallback.
func (rd *readers) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	db, rp := rd.pick(ctx)
	row := db.QueryRowContext(ctx, query, args...)
	if rp != nil && row.Err() != nil && ctx.Err() == nil {
		rp.failed(row.Err())
		return rd.primary.QueryRowContext(ctx, query, args...)
	}
	return row
}

// BeginTx opens a read transaction (a consistent snapshot) where pick
// says; a replica that refuses falls back to the primary.
func (rd *readers) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	db, rp := rd.pick(ctx)
	tx, err := db.BeginTx(ctx, opts)
	if err != nil && rp != nil && ctx.Err() == nil {
		rp.failed(err)
		return rd.primary.BeginTx(ctx, opts)
	}
	return tx, err
}

// close ends the monitor and closes the replicas' pools (the primary's
// reader pool is closed by Store.Close, which knows whether it is the
// writer too).
func (rd *readers) close() error {
	if rd.stop != nil {
		rd.stop()
	}
	var err error
	for _, rp := range rd.replicas {
		if e := rp.db.Close(); err == nil {
			err = e
		}
	}
	return err
}

// pools lists the replicas' pools for /metrics.
func (rd *readers) pools() []obs.Pool {
	var out []obs.Pool
	for _, rp := range rd.replicas {
		out = append(out, obs.Pool{Name: rp.name, Stats: rp.db.Stats()})
	}
	return out
}

// connectionLost reports whether err means the replica itself is in
// trouble (connection refused or lost, shutting down, a recovery
// conflict cancelled the query) rather than the query being wrong.
func connectionLost(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return true // network, timeout, closed pool
	}
	switch pe.Code[:2] {
	case "08", "57", "53", "58": // connection, operator intervention, resources, system
		return true
	}
	return pe.Code == "40001" // canceling statement due to conflict with recovery
}
