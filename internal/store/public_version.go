package store

import (
	"context"
	"database/sql"
)

// PublicVersion is the public data version: triggers bump it in the same
// transaction as any change to what a public village page shows
// (migration 0020), so a cached page rendered under another value is
// stale, on every app server alike. ok is false when the row is missing
// (a database being emptied), and then nothing may be cached.
func (s *Store) PublicVersion(ctx context.Context) (v int64, ok bool, err error) {
	err = s.r.QueryRowContext(ctx, "SELECT value FROM counters WHERE name = 'public_version'").Scan(&v)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, internal("public version", err)
	}
	return v, true, nil
}
