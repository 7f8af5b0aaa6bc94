package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// live is the SQL test that alias's validity range contains $n.
func live(alias string, n int) string {
	return fmt.Sprintf("(%[1]s.valid_from IS NULL OR %[1]s.valid_from <= $%[2]d) AND (%[1]s.valid_to IS NULL OR %[1]s.valid_to >= $%[2]d)", alias, n)
}

// nameOn is a subquery for the name of unit u on the date expression d.
func nameOn(d string) string {
	return "(SELECT n.name FROM unit_names n WHERE n.unit_id = u.id AND (n.valid_from IS NULL OR n.valid_from <= " + d +
		") ORDER BY COALESCE(n.valid_from, '0000-01-01') DESC LIMIT 1)"
}

const unitCols = "u.id, u.code, u.level, u.type_word, u.valid_from, u.valid_to, COALESCE(u.slug, '')"

func scanUnit(sc interface{ Scan(...any) error }, extra ...any) (domain.Unit, error) {
	var u domain.Unit
	var name sql.NullString
	dest := append([]any{&u.ID, &u.Code, &u.Level, &u.TypeWord, &u.ValidFrom, &u.ValidTo, &u.Slug, &name}, extra...)
	err := sc.Scan(dest...)
	u.Name = name.String
	return u, err
}

// clamp returns at moved into the unit's life, so that an ended unit
// reads as it was on its last day.
func clamp(at, from, to domain.Date) domain.Date {
	if !to.IsZero() && at.After(to) {
		return to
	}
	if !from.IsZero() && at.Before(from) {
		return from
	}
	return at
}

// UnitAt resolves a code on a date (codes are reused: 15 was Yên Bái and
// is Lào Cai). A code unknown on that date is ENOTFOUND with the dates on
// which it was valid nearest to the one asked for.
func (s *Store) UnitAt(ctx context.Context, code string, at domain.Date) (domain.Unit, error) {
	code = strings.TrimSpace(code)
	rs, err := s.r.QueryContext(ctx, "SELECT "+unitCols+", "+nameOn("$2")+" FROM units u WHERE u.code = $1 AND "+live("u", 2), code, at)
	if err != nil {
		return domain.Unit{}, internal("unit at", err)
	}
	var best domain.Unit
	found := false
	for rs.Next() {
		u, err := scanUnit(rs)
		if err != nil {
			rs.Close()
			return domain.Unit{}, internal("unit at", err)
		}
		if !found || u.Level.Rank() < best.Level.Rank() {
			best, found = u, true
		}
	}
	rs.Close()
	if !found {
		vs, err := s.CodeValidities(ctx, code)
		if err != nil {
			return domain.Unit{}, err
		}
		e := domain.Errorf(domain.ENOTFOUND, "unit.not_found_on", "code", code, "date", at)
		if near := domain.Nearest(vs, at); len(near) > 0 {
			e.Args["nearest"] = near
		}
		return domain.Unit{}, e
	}
	best.At = at
	best.Parent, err = s.parentRef(ctx, best.ID, at)
	return best, err
}

// UnitByID reads a unit on a date (moved into its life when outside it).
func (s *Store) UnitByID(ctx context.Context, id int64, at domain.Date) (domain.Unit, error) {
	var from, to domain.Date
	if err := s.r.QueryRowContext(ctx, "SELECT valid_from, valid_to FROM units WHERE id = $1", id).Scan(&from, &to); err != nil {
		if err == sql.ErrNoRows {
			return domain.Unit{}, domain.Errorf(domain.ENOTFOUND, "unit.not_found")
		}
		return domain.Unit{}, internal("unit by id", err)
	}
	at = clamp(at, from, to)
	u, err := scanUnit(s.r.QueryRowContext(ctx, "SELECT "+unitCols+", "+nameOn("$2")+" FROM units u WHERE u.id = $1", id, at))
	if err != nil {
		return domain.Unit{}, internal("unit by id", err)
	}
	u.At = at
	u.Parent, err = s.parentRef(ctx, id, at)
	return u, err
}

func (s *Store) parentRef(ctx context.Context, id int64, at domain.Date) (*domain.UnitRef, error) {
	var r domain.UnitRef
	var name sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT u.id, u.code, u.level, `+nameOn("$2")+`
		FROM unit_parents p JOIN units u ON u.id = p.parent_id WHERE p.unit_id = $1 AND `+live("p", 2), id, at).
		Scan(&r.ID, &r.Code, &r.Level, &name)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, internal("parent", err)
	}
	r.Name = name.String
	return &r, nil
}

// Ancestors returns the chain of parents of a unit on a date, top first.
func (s *Store) Ancestors(ctx context.Context, u domain.Unit) ([]domain.UnitRef, error) {
	var out []domain.UnitRef
	p := u.Parent
	for i := 0; p != nil && i < 6; i++ {
		out = append([]domain.UnitRef{*p}, out...)
		next, err := s.parentRef(ctx, p.ID, u.At)
		if err != nil {
			return nil, err
		}
		p = next
	}
	return out, nil
}

// Children lists the units under a unit on a date, in Vietnamese order.
func (s *Store) Children(ctx context.Context, id int64, at domain.Date) ([]domain.Unit, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT "+unitCols+", "+nameOn("$2")+` FROM unit_parents p JOIN units u ON u.id = p.unit_id
		WHERE p.parent_id = $1 AND `+live("p", 2)+" AND "+live("u", 2), id, at)
	if err != nil {
		return nil, internal("children", err)
	}
	defer rs.Close()
	var out []domain.Unit
	for rs.Next() {
		u, err := scanUnit(rs)
		if err != nil {
			return nil, internal("children", err)
		}
		u.At = at
		out = append(out, u)
	}
	if err := rs.Err(); err != nil {
		return nil, internal("children", err)
	}
	textvi.SortBy(textvi.NewCollator(), out, func(u domain.Unit) string { _, r := domain.SplitTypeWord(u.Name); return r })
	return out, nil
}

// CodeValidities lists every unit that ever carried a code.
func (s *Store) CodeValidities(ctx context.Context, code string) ([]domain.Validity, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT u.code, u.level, u.valid_from, u.valid_to, "+nameOn("COALESCE(u.valid_to, '9999-12-31')")+
		" FROM units u WHERE u.code = $1 ORDER BY COALESCE(u.valid_from, '0000-01-01')", code)
	if err != nil {
		return nil, internal("validities", err)
	}
	defer rs.Close()
	var out []domain.Validity
	for rs.Next() {
		var v domain.Validity
		var name sql.NullString
		if err := rs.Scan(&v.Code, &v.Level, &v.ValidFrom, &v.ValidTo, &name); err != nil {
			return nil, internal("validities", err)
		}
		v.Name = name.String
		out = append(out, v)
	}
	return out, rs.Err()
}

// Predecessors lists the units a unit came from, named as they were the
// day before the change.
func (s *Store) Predecessors(ctx context.Context, id int64) ([]domain.LinkedUnit, error) {
	return s.linked(ctx, `SELECT `+unitCols+`,
		(SELECT n.name FROM unit_names n WHERE n.unit_id = u.id AND COALESCE(n.valid_from, '0000-01-01') < l.effective
		 ORDER BY COALESCE(n.valid_from, '0000-01-01') DESC LIMIT 1), l.kind, l.effective, l.legal_act
		FROM unit_links l JOIN units u ON u.id = l.from_id WHERE l.to_id = $1`, id)
}

// Successors lists the units a unit became, named as on the change.
func (s *Store) Successors(ctx context.Context, id int64) ([]domain.LinkedUnit, error) {
	return s.linked(ctx, `SELECT `+unitCols+`,
		(SELECT n.name FROM unit_names n WHERE n.unit_id = u.id AND COALESCE(n.valid_from, '0000-01-01') <= l.effective
		 ORDER BY COALESCE(n.valid_from, '0000-01-01') DESC LIMIT 1), l.kind, l.effective, l.legal_act
		FROM unit_links l JOIN units u ON u.id = l.to_id WHERE l.from_id = $1`, id)
}

func (s *Store) linked(ctx context.Context, q string, id int64) ([]domain.LinkedUnit, error) {
	rs, err := s.r.QueryContext(ctx, q+" ORDER BY l.effective, u.code", id)
	if err != nil {
		return nil, internal("links", err)
	}
	defer rs.Close()
	var out []domain.LinkedUnit
	for rs.Next() {
		var l domain.LinkedUnit
		u, err := scanUnit(rs, &l.Kind, &l.Effective, &l.LegalAct)
		if err != nil {
			return nil, internal("links", err)
		}
		l.UnitRef, l.ValidFrom, l.ValidTo = u.Ref(), u.ValidFrom, u.ValidTo
		out = append(out, l)
	}
	return out, rs.Err()
}
