package store

import (
	"context"
	"database/sql"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// Position is a post a member may hold in the village: the built-in ones
// (named by translation, Name empty) and those officers added (named here).
type Position struct {
	Code, Name string
	Builtin    bool
}

// Positions lists the built-in positions, then those officers added in
// Vietnamese name order.
func (s *Store) Positions(ctx context.Context) ([]Position, error) {
	var out []Position
	for _, c := range domain.Positions {
		out = append(out, Position{Code: c, Builtin: true})
	}
	rs, err := s.r.QueryContext(ctx, "SELECT code, name FROM positions WHERE NOT builtin")
	if err != nil {
		return nil, internal("positions", err)
	}
	defer rs.Close()
	var added []Position
	for rs.Next() {
		var p Position
		if err := rs.Scan(&p.Code, &p.Name); err != nil {
			return nil, internal("positions", err)
		}
		added = append(added, p)
	}
	textvi.SortBy(textvi.NewCollator(), added, func(p Position) string { return p.Name })
	return append(out, added...), internal("positions", rs.Err())
}

// positionKnown says whether a code names a position (empty: none).
func (s *Store) positionKnown(ctx context.Context, code string) (bool, error) {
	if code == "" {
		return true, nil
	}
	for _, c := range domain.Positions {
		if c == code {
			return true, nil
		}
	}
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM positions WHERE code = $1", code).Scan(&n)
	return n > 0, internal("positions", err)
}

// AddPosition extends the list of positions with one more name; its code
// is the name without accents. A name already on the list is refused.
func (s *Store) AddPosition(ctx context.Context, a *domain.Actor, name string) (Position, error) {
	name = textvi.Normalize(name)
	p := Position{Name: name, Code: strings.ReplaceAll(textvi.Slug(name), "-", "_")}
	if p.Code == "" {
		return p, domain.Errorf(domain.EINVALID, "position.name_missing").WithField("name")
	}
	if len([]rune(name)) > 80 {
		return p, domain.Errorf(domain.EINVALID, "position.name_long").WithField("name")
	}
	if a.Scope(domain.PermUnitManage).Empty() {
		return p, domain.Errorf(domain.EFORBIDDEN, "auth.forbidden", "permission", string(domain.PermUnitManage))
	}
	if ok, err := s.positionKnown(ctx, p.Code); err != nil || ok {
		if err != nil {
			return p, err
		}
		return p, domain.Errorf(domain.ECONFLICT, "position.exists", "name", name).WithField("name")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO positions (code, name, builtin) VALUES ($1, $2, FALSE)", p.Code, p.Name); err != nil {
			return internal("add position", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "position", EntityID: p.Code, Changes: []Change{Plain("name", "", p.Name)}})
	})
	return p, err
}
