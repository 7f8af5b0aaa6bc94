package store

import (
	"context"
	"database/sql"
	"time"

	"thonso/internal/domain"

	"thonso/internal/obs"
)

// Ready says whether the database answers and its schema is the one this
// binary knows. It reads through the reader pool with a short timeout, so
// a long import holding SQLite's one writer does not make it wait.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var v sql.NullInt64
	if err := s.r.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return domain.Errorf(domain.EINTERNAL, "ready.db", "reason", firstLine(err.Error()))
	}
	if known := s.KnownVersion(); int(v.Int64) != known {
		return domain.Errorf(domain.EINTERNAL, "ready.schema", "have", v.Int64, "known", known)
	}
	return nil
}

// Pools returns the connection pools' statistics for /metrics.
func (s *Store) Pools() []obs.Pool {
	if s.r.primary == s.w {
		return append([]obs.Pool{{Name: "main", Stats: s.w.Stats()}}, s.r.pools()...)
	}
	return []obs.Pool{{Name: "writer", Stats: s.w.Stats()}, {Name: "reader", Stats: s.r.primary.Stats()}}
}
