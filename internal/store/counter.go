package store

import (
	"context"
	"database/sql"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// nextCounter returns the next value of a named counter; values are never
// reused (village codes).
func (s *Store) nextCounter(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, "UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value", name).Scan(&v)
	if err == sql.ErrNoRows {
		_, err = tx.ExecContext(ctx, "INSERT INTO counters (name, value) VALUES ($1, 1)", name)
		return 1, internal("counter", err)
	}
	return v, internal("counter", err)
}

// freeSlug finds a slug no unit has ever had: the village name, then with
// its commune, then with its province, then with a number.
func (s *Store) freeSlug(ctx context.Context, tx *sql.Tx, name string, parentID int64, at domain.Date, taken map[string]bool) (string, error) {
	_, rest := domain.SplitTypeWord(name)
	cands := []string{textvi.Slug(rest)}
	if parentID != 0 {
		var chain []string
		id := parentID
		for i := 0; i < 3 && id != 0; i++ {
			var pname, plevel string
			var pid sql.NullInt64
			err := tx.QueryRowContext(ctx, `SELECT u.level,
				(SELECT n.name FROM unit_names n WHERE n.unit_id = u.id ORDER BY COALESCE(n.valid_from, '0000-01-01') DESC LIMIT 1),
				(SELECT p.parent_id FROM unit_parents p WHERE p.unit_id = u.id ORDER BY COALESCE(p.valid_from, '0000-01-01') DESC LIMIT 1)
				FROM units u WHERE u.id = $1`, id).Scan(&plevel, &pname, &pid)
			if err != nil {
				return "", internal("slug", err)
			}
			id = pid.Int64
			if domain.Level(plevel) == domain.LevelDistrict {
				continue // commune, then province (CONVENTIONS.md)
			}
			_, r := domain.SplitTypeWord(pname)
			chain = append(chain, textvi.Slug(r))
		}
		acc := cands[0]
		for _, c := range chain {
			if c == "" {
				continue
			}
			acc += "-" + c
			cands = append(cands, acc)
		}
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		free, err := s.slugFree(ctx, tx, c, taken)
		if err != nil {
			return "", err
		}
		if free {
			return c, nil
		}
	}
	base := cands[len(cands)-1]
	if base == "" {
		base = "thon"
	}
	for n := 2; ; n++ {
		c := base + "-" + itoa(n)
		free, err := s.slugFree(ctx, tx, c, taken)
		if err != nil {
			return "", err
		}
		if free {
			return c, nil
		}
	}
}

func (s *Store) slugFree(ctx context.Context, tx *sql.Tx, slug string, taken map[string]bool) (bool, error) {
	if taken[slug] {
		return false, nil
	}
	var n int
	err := tx.QueryRowContext(ctx, "SELECT count(*) FROM unit_slugs WHERE slug = $1", slug).Scan(&n)
	return n == 0, internal("slug", err)
}
