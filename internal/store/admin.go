package store

import (
	"context"

	"thonso/internal/domain"
)

// tables lists every table a backup or a count may name.
var tables = map[string]bool{"units": true, "unit_names": true, "unit_parents": true, "unit_links": true,
	"unit_events": true, "unit_slugs": true, "counters": true, "enrolments": true, "meta": true}

// CountRows counts the rows of one of our tables.
func (s *Store) CountRows(ctx context.Context, table string) (int, error) {
	if !tables[table] {
		return 0, domain.Errorf(domain.EINVALID, "db.table_unknown", "table", table)
	}
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n)
	return n, internal("count", err)
}
