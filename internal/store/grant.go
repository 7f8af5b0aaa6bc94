package store

import (
	"context"
	"database/sql"
	"strconv"

	"thonso/internal/domain"
)

// Grants lists a user's live grants, each with its unit as it was last
// (an ended unit's grant still covers what was recorded under it).
func (s *Store) Grants(ctx context.Context, userID int64) ([]domain.Grant, error) {
	rs, err := s.r.QueryContext(ctx, `SELECT g.id, g.user_id, g.role, COALESCE(g.unit_id, 0), COALESCE(g.granted_by, 0), g.created_at
		FROM grants g WHERE g.user_id = $1 AND g.revoked_at IS NULL ORDER BY g.id`, userID)
	if err != nil {
		return nil, internal("grants", err)
	}
	var out []domain.Grant
	for rs.Next() {
		var g domain.Grant
		var unit int64
		if err := rs.Scan(&g.ID, &g.UserID, &g.Role, &unit, &g.GrantedBy, &g.CreatedAt); err != nil {
			rs.Close()
			return nil, internal("grants", err)
		}
		if unit != 0 {
			g.Unit = &domain.UnitRef{ID: unit}
		}
		out = append(out, g)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, internal("grants", err)
	}
	for i := range out {
		if out[i].Unit == nil {
			continue
		}
		u, err := s.UnitByID(ctx, out[i].Unit.ID, domain.MustDate("9999-12-31"))
		if err != nil {
			return nil, err
		}
		r := u.Ref()
		out[i].Unit, out[i].UnitLevel, out[i].UnitEnded = &r, u.Level, u.ValidTo
	}
	return out, nil
}

// AddGrant gives a role over a unit's subtree. Nobody grants more than
// they hold or outside their own scope: each permission of the role at
// that unit's level must be the actor's over that unit.
func (s *Store) AddGrant(ctx context.Context, a *domain.Actor, userID int64, role domain.Role, unitID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.ManagedUserTx(ctx, tx, a, userID); err != nil {
			return err
		}
		return s.addGrant(ctx, tx, a, userID, role, unitID)
	})
}

// ManagedUserTx is ManagedUser for a user who may have no grant yet in
// scope (being given their first): administrators see everyone; others
// see users with a grant in their scope.
func (s *Store) ManagedUserTx(ctx context.Context, tx *sql.Tx, a *domain.Actor, userID int64) (domain.User, error) {
	if a.Scope(domain.PermUserManage).All {
		return s.UserByID(ctx, userID)
	}
	return s.ManagedUser(ctx, a, userID)
}

func (s *Store) addGrant(ctx context.Context, tx *sql.Tx, a *domain.Actor, userID int64, role domain.Role, unitID int64) error {
	if !role.Valid() {
		return domain.Errorf(domain.EINVALID, "grant.role_invalid", "role", string(role)).WithField("role")
	}
	var lv domain.Level
	var unit any
	if role.NeedsUnit() {
		if unitID == 0 {
			return domain.Errorf(domain.EINVALID, "grant.unit_missing").WithField("unit")
		}
		if err := tx.QueryRowContext(ctx, "SELECT level FROM units WHERE id = $1", unitID).Scan(&lv); err != nil {
			return domain.Errorf(domain.EINVALID, "grant.unit_missing").WithField("unit")
		}
		unit = unitID
	} else if unitID != 0 {
		return domain.Errorf(domain.EINVALID, "grant.admin_no_unit").WithField("unit")
	}
	for _, p := range role.Permissions(lv) {
		sc := a.Scope(p)
		ok := sc.All
		if !ok && unitID != 0 {
			var err error
			if ok, err = s.Covers(ctx, sc, unitID); err != nil {
				return err
			}
		}
		if !ok {
			return domain.Errorf(domain.EFORBIDDEN, "grant.beyond_own", "permission", string(p)).WithField("role")
		}
	}
	var by any
	if a.User.ID != 0 {
		by = a.User.ID
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM grants WHERE user_id = $1 AND role = $2 AND revoked_at IS NULL AND (unit_id = $3 OR (unit_id IS NULL AND $3 IS NULL))",
		userID, string(role), unit).Scan(&n); err != nil {
		return internal("grant", err)
	}
	if n > 0 {
		return domain.Errorf(domain.ECONFLICT, "grant.exists").WithField("role")
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO grants (user_id, role, unit_id, granted_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		userID, string(role), unit, by, s.now()).Scan(&id); err != nil {
		return internal("grant", err)
	}
	return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "grant", EntityID: strconv.FormatInt(id, 10), UnitID: unitID,
		Changes: []Change{Plain("user_id", "", strconv.FormatInt(userID, 10)), Plain("role", "", string(role))}})
}

// RevokeGrant ends a grant the actor could have given.
func (s *Store) RevokeGrant(ctx context.Context, a *domain.Actor, grantID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var userID, unit int64
		var role domain.Role
		err := tx.QueryRowContext(ctx, "SELECT user_id, role, COALESCE(unit_id, 0) FROM grants WHERE id = $1 AND revoked_at IS NULL", grantID).Scan(&userID, &role, &unit)
		if err == sql.ErrNoRows {
			return domain.Errorf(domain.ENOTFOUND, "grant.not_found")
		}
		if err != nil {
			return internal("revoke grant", err)
		}
		if ok, err := s.managesGrantUnit(ctx, a, unit); err != nil || !ok {
			if err != nil {
				return err
			}
			return domain.Errorf(domain.ENOTFOUND, "grant.not_found")
		}
		var by any
		if a.User.ID != 0 {
			by = a.User.ID
		}
		if _, err := tx.ExecContext(ctx, "UPDATE grants SET revoked_at = $1, revoked_by = $2 WHERE id = $3", s.now(), by, grantID); err != nil {
			return internal("revoke grant", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "delete", Entity: "grant", EntityID: strconv.FormatInt(grantID, 10), UnitID: unit,
			Changes: []Change{Plain("user_id", strconv.FormatInt(userID, 10), ""), Plain("role", string(role), "")}})
	})
}

// GrantReview is a live grant on a unit that has ended, to be reviewed on
// its successor's page ("quyền cần xem lại").
type GrantReview struct {
	GrantID int64
	User    domain.User
	Role    domain.Role
	Unit    domain.UnitRef
	Ended   domain.Date
}

// GrantsToReview lists the live, unreviewed grants on units whose
// successor (merge, split, dissolution) is unitID; only for an actor who
// manages users there.
func (s *Store) GrantsToReview(ctx context.Context, a *domain.Actor, unitID int64) ([]GrantReview, error) {
	ok, err := s.Covers(ctx, a.Scope(domain.PermUserManage), unitID)
	if err != nil || !ok {
		return nil, err
	}
	rs, err := s.r.QueryContext(ctx, `SELECT DISTINCT `+userCols+`, g.id, g.role, g.unit_id, u0.valid_to
		FROM grants g JOIN units u0 ON u0.id = g.unit_id JOIN unit_links l ON l.from_id = g.unit_id
		JOIN users u ON u.id = g.user_id
		WHERE l.to_id = $1 AND g.revoked_at IS NULL AND g.reviewed_at IS NULL AND u0.valid_to IS NOT NULL
		ORDER BY g.id`, unitID)
	if err != nil {
		return nil, internal("grants to review", err)
	}
	var out []GrantReview
	for rs.Next() {
		var r GrantReview
		var err error
		r.User, err = scanUser(rs, &r.GrantID, &r.Role, &r.Unit.ID, &r.Ended)
		if err != nil {
			rs.Close()
			return nil, internal("grants to review", err)
		}
		out = append(out, r)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, internal("grants to review", err)
	}
	for i := range out {
		u, err := s.UnitByID(ctx, out[i].Unit.ID, out[i].Ended)
		if err != nil {
			return nil, err
		}
		out[i].Unit = u.Ref()
	}
	return out, nil
}

// MarkGrantReviewed records that an officer kept a grant on an ended unit
// after review (revoking is RevokeGrant).
func (s *Store) MarkGrantReviewed(ctx context.Context, a *domain.Actor, grantID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var unit int64
		err := tx.QueryRowContext(ctx, "SELECT COALESCE(unit_id, 0) FROM grants WHERE id = $1 AND revoked_at IS NULL", grantID).Scan(&unit)
		if err == sql.ErrNoRows {
			return domain.Errorf(domain.ENOTFOUND, "grant.not_found")
		}
		if err != nil {
			return internal("review grant", err)
		}
		if ok, err := s.managesGrantUnit(ctx, a, unit); err != nil || !ok {
			if err != nil {
				return err
			}
			return domain.Errorf(domain.ENOTFOUND, "grant.not_found")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE grants SET reviewed_at = $1 WHERE id = $2", s.now(), grantID); err != nil {
			return internal("review grant", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "review", Entity: "grant", EntityID: strconv.FormatInt(grantID, 10), UnitID: unit})
	})
}

// managesGrantUnit reports whether the actor manages users on unit, or on
// a unit it became (the officer of today's commune reviews grants left on
// the communes merged into it).
func (s *Store) managesGrantUnit(ctx context.Context, a *domain.Actor, unit int64) (bool, error) {
	sc := a.Scope(domain.PermUserManage)
	if sc.All {
		return true, nil
	}
	if unit == 0 {
		return false, nil
	}
	if ok, err := s.Covers(ctx, sc, unit); err != nil || ok {
		return ok, err
	}
	succ, err := s.Successors(ctx, unit)
	if err != nil {
		return false, err
	}
	for _, x := range succ {
		if ok, err := s.Covers(ctx, sc, x.ID); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}
