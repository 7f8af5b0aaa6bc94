package store

import (
	"context"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// UnitQuery filters units live on a date. Results come in code order;
// After is the last code of the previous page.
type UnitQuery struct {
	At       domain.Date
	Q        string // name, with or without diacritics
	Level    domain.Level
	ParentID int64
	After    string
	Limit    int
}

// SearchUnits lists units live on q.At that match q, with their parent on
// that date, and the code to pass as After for the next page ("" at the end).
func (s *Store) SearchUnits(ctx context.Context, q UnitQuery) ([]domain.Unit, string, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 100
	}
	args := []any{q.At}
	where := []string{live("u", 1), live("n", 1)}
	from := "unit_names n JOIN units u ON u.id = n.unit_id"
	if f := textvi.Fold(q.Q); f != "" {
		args = append(args, "%"+escapeLike(f)+"%")
		where = append(where, "n.name_fold LIKE $"+strconv.Itoa(len(args))+" ESCAPE '\\'")
	}
	if q.Level != "" {
		args = append(args, string(q.Level))
		where = append(where, "u.level = $"+strconv.Itoa(len(args)))
	}
	if q.ParentID != 0 {
		from += " JOIN unit_parents p ON p.unit_id = u.id"
		args = append(args, q.ParentID)
		where = append(where, "p.parent_id = $"+strconv.Itoa(len(args)), live("p", 1))
	}
	if q.After != "" {
		args = append(args, q.After)
		where = append(where, "u.code > $"+strconv.Itoa(len(args)))
	}
	args = append(args, q.Limit+1)
	sql := "SELECT " + unitCols + ", n.name FROM " + from + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY u.code LIMIT $" + strconv.Itoa(len(args))
	rs, err := s.r.QueryContext(ctx, sql, args...)
	if err != nil {
		return nil, "", internal("search units", err)
	}
	var out []domain.Unit
	for rs.Next() {
		u, err := scanUnit(rs)
		if err != nil {
			rs.Close()
			return nil, "", internal("search units", err)
		}
		u.At = q.At
		out = append(out, u)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, "", internal("search units", err)
	}
	next := ""
	if len(out) > q.Limit {
		out = out[:q.Limit]
		next = out[len(out)-1].Code
	}
	for i := range out {
		p, err := s.parentRef(ctx, out[i].ID, q.At)
		if err != nil {
			return nil, "", err
		}
		out[i].Parent = p
	}
	return out, next, nil
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)
	return r.Replace(s)
}

// VillageBySlug finds a village by any slug it ever had; current reports
// whether the slug is its slug today (an old one should redirect).
func (s *Store) VillageBySlug(ctx context.Context, slug string, at domain.Date) (u domain.Unit, current bool, err error) {
	var id int64
	if err := s.r.QueryRowContext(ctx, "SELECT unit_id FROM unit_slugs WHERE slug = $1", slug).Scan(&id); err != nil {
		return domain.Unit{}, false, domain.Errorf(domain.ENOTFOUND, "village.slug_not_found", "slug", slug)
	}
	u, err = s.UnitByID(ctx, id, at)
	return u, err == nil && u.Slug == slug, err
}
