package store

import (
	"context"
	"sort"
)

// LoadOrder lists every table of `tables` parents first: resetOrder
// reversed, then the tables a reset keeps (the append-only audit trail),
// by name. Backup, restore and the checksums derive from it, so a table
// added to those two lists is carried without touching this file.
func LoadOrder() []string {
	out := make([]string, 0, len(tables))
	seen := map[string]bool{}
	for i := len(resetOrder) - 1; i >= 0; i-- {
		if tables[resetOrder[i]] && !seen[resetOrder[i]] {
			out = append(out, resetOrder[i])
			seen[resetOrder[i]] = true
		}
	}
	var rest []string
	for t := range tables {
		if !seen[t] {
			rest = append(rest, t)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// ResetOrder is the order a reset deletes in (children first); for tests.
func ResetOrder() []string { return append([]string(nil), resetOrder...) }

// IsTable says whether t is one of our tables.
func IsTable(t string) bool { return tables[t] }

// ExistingTables lists the tables the database holds now (any name),
// so tests can hold the migrations to the lists above.
func (s *Store) ExistingTables(ctx context.Context) ([]string, error) {
	return s.existingTables(ctx, s.w)
}

func (s *Store) existingTables(ctx context.Context, q querier) ([]string, error) {
	query := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if s.dialect.name == "postgres" {
		query = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	rs, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, internal("list tables", err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var n string
		if err := rs.Scan(&n); err != nil {
			return nil, internal("list tables", err)
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out, internal("list tables", rs.Err())
}

// dependencyOrder sorts names so that every table comes after the tables
// its foreign keys point at, as the database itself declares them (some
// tables, such as the seeded procedures, are outside resetOrder); ties
// keep the order of names.
func (s *Store) dependencyOrder(ctx context.Context, q querier, names []string) ([]string, error) {
	query := `SELECT m.name, p."table" FROM sqlite_master m, pragma_foreign_key_list(m.name) p WHERE m.type = 'table'`
	if s.dialect.name == "postgres" {
		query = `SELECT tc.relname, rc.relname FROM pg_constraint c
			JOIN pg_class tc ON tc.oid = c.conrelid JOIN pg_class rc ON rc.oid = c.confrelid
			JOIN pg_namespace n ON n.oid = tc.relnamespace
			WHERE c.contype = 'f' AND n.nspname = current_schema()`
	}
	rs, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, internal("foreign keys", err)
	}
	deps := map[string][]string{}
	for rs.Next() {
		var child, parent string
		if err := rs.Scan(&child, &parent); err != nil {
			rs.Close()
			return nil, internal("foreign keys", err)
		}
		if child != parent {
			deps[child] = append(deps[child], parent)
		}
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, internal("foreign keys", err)
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	placed := map[string]bool{}
	out := make([]string, 0, len(names))
	for len(out) < len(names) {
		progress := false
		for _, n := range names {
			if placed[n] {
				continue
			}
			ready := true
			for _, p := range deps[n] {
				if want[p] && !placed[p] {
					ready = false
					break
				}
			}
			if ready {
				out = append(out, n)
				placed[n] = true
				progress = true
				break // restart from the top so ties keep the given order
			}
		}
		if !progress { // a cycle: keep the given order for the rest
			for _, n := range names {
				if !placed[n] {
					out = append(out, n)
					placed[n] = true
				}
			}
		}
	}
	return out, nil
}

// presentInOrder is LoadOrder restricted to the tables in have, sorted by
// the foreign keys the database declares: the order a backup is written
// and loaded in.
func (s *Store) presentInOrder(ctx context.Context, q querier, have []string) ([]string, error) {
	exists := map[string]bool{}
	for _, t := range have {
		exists[t] = true
	}
	var names []string
	for _, t := range LoadOrder() {
		if exists[t] {
			names = append(names, t)
		}
	}
	return s.dependencyOrder(ctx, q, names)
}
