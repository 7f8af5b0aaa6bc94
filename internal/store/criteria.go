package store

import (
	"context"
	"database/sql"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

func knownComputation(name string) bool { _, ok := Computations()[name]; return ok }

// CreateSet records a new criteria set as a draft, version 1 unless given,
// for a unit within the actor's criteria:manage scope.
func (s *Store) CreateSet(ctx context.Context, a *domain.Actor, cs domain.CriteriaSet) (domain.CriteriaSet, error) {
	if err := s.inScope(ctx, a.Scope(domain.PermCriteriaManage), cs.OwnerID, "unit.not_found"); err != nil {
		return cs, err
	}
	return s.createSet(ctx, a, cs)
}

// createSet writes a new draft set once the caller checked the owner.
func (s *Store) createSet(ctx context.Context, a *domain.Actor, cs domain.CriteriaSet) (domain.CriteriaSet, error) {
	cs.Name = textvi.Normalize(cs.Name)
	if err := cs.Validate(knownComputation); err != nil {
		return cs, err
	}
	if cs.Version == 0 {
		cs.Version = 1
	}
	cs.Status, cs.Lock = domain.SetDraft, 1
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var from any
		if cs.CopiedFrom != 0 {
			from = cs.CopiedFrom
		}
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO criteria_sets (owner_id, name, description, period_from, period_to, version, status, rule, rule_min, copied_from, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`, cs.OwnerID, cs.Name, textvi.Normalize(cs.Description), cs.From, cs.To,
			cs.Version, string(cs.Status), string(cs.Rule), cs.RuleMin, from, now).Scan(&cs.ID); err != nil {
			return internal("criteria set", err)
		}
		if err := insertSetBody(ctx, tx, &cs); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "criteria_set", EntityID: strconv.FormatInt(cs.ID, 10), UnitID: cs.OwnerID,
			Changes: []Change{Plain("name", "", cs.Name), Plain("version", "", strconv.Itoa(cs.Version)), Plain("indicators", "", strconv.Itoa(len(cs.Indicators)))}})
	})
	return cs, err
}

func insertSetBody(ctx context.Context, tx *sql.Tx, cs *domain.CriteriaSet) error {
	for i := range cs.Groups {
		g := &cs.Groups[i]
		if err := tx.QueryRowContext(ctx, "INSERT INTO criteria_groups (set_id, position, code, name) VALUES ($1, $2, $3, $4) RETURNING id",
			cs.ID, i, g.Code, textvi.Normalize(g.Name)).Scan(&g.ID); err != nil {
			return internal("criteria groups", err)
		}
	}
	for i := range cs.Indicators {
		in := &cs.Indicators[i]
		var mmin, mmax any
		if in.Mountain != nil {
			mmin, mmax = in.Mountain.Min, in.Mountain.Max
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO indicators (set_id, position, code, group_code, name, explanation, target_type, target_min, target_max,
			mountain_min, mountain_max, mandatory, source, computation, param, assumed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
			cs.ID, i, in.Code, in.Group, textvi.Normalize(in.Name), textvi.Normalize(in.Explanation), string(in.Target.Type), in.Target.Min, in.Target.Max,
			mmin, mmax, in.Mandatory, string(in.Source), in.Computation, in.Param, in.Assumed).Scan(&in.ID); err != nil {
			return internal("indicators", err)
		}
	}
	return nil
}

// Set reads a criteria set with its groups and indicators.
func (s *Store) Set(ctx context.Context, id int64) (domain.CriteriaSet, error) {
	var cs domain.CriteriaSet
	var from sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT id, owner_id, name, description, period_from, period_to, version, status, rule, rule_min, copied_from, edit_version
		FROM criteria_sets WHERE id = $1`, id).Scan(&cs.ID, &cs.OwnerID, &cs.Name, &cs.Description, &cs.From, &cs.To, &cs.Version, &cs.Status, &cs.Rule, &cs.RuleMin, &from, &cs.Lock)
	if err == sql.ErrNoRows {
		return cs, domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
	}
	if err != nil {
		return cs, internal("criteria set", err)
	}
	cs.CopiedFrom = from.Int64
	gs, err := s.r.QueryContext(ctx, "SELECT id, code, name FROM criteria_groups WHERE set_id = $1 ORDER BY position", id)
	if err != nil {
		return cs, internal("criteria groups", err)
	}
	for gs.Next() {
		var g domain.CriteriaGroup
		if err := gs.Scan(&g.ID, &g.Code, &g.Name); err != nil {
			gs.Close()
			return cs, internal("criteria groups", err)
		}
		cs.Groups = append(cs.Groups, g)
	}
	gs.Close()
	is, err := s.r.QueryContext(ctx, `SELECT id, code, group_code, name, explanation, target_type, target_min, target_max, mountain_min, mountain_max,
		mandatory, source, computation, param, assumed FROM indicators WHERE set_id = $1 ORDER BY position`, id)
	if err != nil {
		return cs, internal("indicators", err)
	}
	defer is.Close()
	for is.Next() {
		var in domain.Indicator
		var mmin, mmax sql.NullFloat64
		if err := is.Scan(&in.ID, &in.Code, &in.Group, &in.Name, &in.Explanation, &in.Target.Type, &in.Target.Min, &in.Target.Max, &mmin, &mmax,
			&in.Mandatory, &in.Source, &in.Computation, &in.Param, &in.Assumed); err != nil {
			return cs, internal("indicators", err)
		}
		if mmin.Valid {
			in.Mountain = &domain.Target{Type: in.Target.Type, Min: mmin.Float64, Max: mmax.Float64}
		}
		cs.Indicators = append(cs.Indicators, in)
	}
	return cs, internal("indicators", is.Err())
}

// setHasAssessments says whether any assessment uses a set.
func (s *Store) setHasAssessments(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM assessments WHERE set_id = $1", id).Scan(&n)
	return n > 0, internal("criteria set", err)
}

// UpdateSet replaces a set's name, period, rule, groups and indicators. A
// set in force (or retired) that has assessments cannot change: copy it
// to a new version instead. Lock must be the version the user read.
func (s *Store) UpdateSet(ctx context.Context, a *domain.Actor, cs domain.CriteriaSet) (domain.CriteriaSet, error) {
	old, err := s.Set(ctx, cs.ID)
	if err != nil {
		return cs, err
	}
	if err := s.setInScope(ctx, a, old.OwnerID); err != nil {
		return cs, err
	}
	if used, err := s.setHasAssessments(ctx, cs.ID); err != nil || (used && old.Status != domain.SetDraft) {
		if err != nil {
			return cs, err
		}
		return cs, domain.Errorf(domain.ECONFLICT, "criteria.in_use").WithField("name")
	}
	if cs.Lock != old.Lock {
		return cs, domain.Errorf(domain.ECONFLICT, "criteria.changed").WithField("name")
	}
	cs.Name = textvi.Normalize(cs.Name)
	if err := cs.Validate(knownComputation); err != nil {
		return cs, err
	}
	cs.OwnerID, cs.Version, cs.Status, cs.CopiedFrom, cs.Lock = old.OwnerID, old.Version, old.Status, old.CopiedFrom, old.Lock+1
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE criteria_sets SET name = $1, description = $2, period_from = $3, period_to = $4, rule = $5, rule_min = $6,
			updated_at = $7, edit_version = edit_version + 1 WHERE id = $8 AND edit_version = $9`, cs.Name, textvi.Normalize(cs.Description), cs.From, cs.To,
			string(cs.Rule), cs.RuleMin, s.now(), cs.ID, old.Lock)
		if err != nil {
			return internal("criteria set", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.Errorf(domain.ECONFLICT, "criteria.changed").WithField("name")
		}
		for _, q := range []string{"DELETE FROM indicators WHERE set_id = $1", "DELETE FROM criteria_groups WHERE set_id = $1"} {
			if _, err := tx.ExecContext(ctx, q, cs.ID); err != nil {
				return internal("criteria set", err)
			}
		}
		if err := insertSetBody(ctx, tx, &cs); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "criteria_set", EntityID: strconv.FormatInt(cs.ID, 10), UnitID: cs.OwnerID,
			Changes: []Change{Plain("name", old.Name, cs.Name), Plain("indicators", strconv.Itoa(len(old.Indicators)), strconv.Itoa(len(cs.Indicators)))}})
	})
	return cs, err
}

// SetStatus moves a set between draft, in force and retired. Putting a
// set in force retires the owner's other sets in force whose period
// overlaps it.
func (s *Store) SetStatus(ctx context.Context, a *domain.Actor, id int64, status domain.SetStatus) error {
	cs, err := s.Set(ctx, id)
	if err != nil {
		return err
	}
	if err := s.setInScope(ctx, a, cs.OwnerID); err != nil {
		return err
	}
	switch status {
	case domain.SetDraft, domain.SetInForce, domain.SetRetired:
	default:
		return domain.Errorf(domain.EINVALID, "criteria.status_invalid").WithField("status")
	}
	if status == domain.SetDraft && cs.Status != domain.SetDraft {
		if used, err := s.setHasAssessments(ctx, id); err != nil || used {
			if err != nil {
				return err
			}
			return domain.Errorf(domain.ECONFLICT, "criteria.in_use").WithField("status")
		}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if status == domain.SetInForce {
			if _, err := tx.ExecContext(ctx, `UPDATE criteria_sets SET status = 'retired', updated_at = $1, edit_version = edit_version + 1
				WHERE owner_id = $2 AND status = 'in_force' AND id <> $3 AND period_from <= $4 AND period_to >= $5`, s.now(), cs.OwnerID, id, cs.To, cs.From); err != nil {
				return internal("criteria status", err)
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE criteria_sets SET status = $1, updated_at = $2, edit_version = edit_version + 1 WHERE id = $3", string(status), s.now(), id); err != nil {
			return internal("criteria status", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "criteria_set", EntityID: strconv.FormatInt(id, 10), UnitID: cs.OwnerID,
			Changes: []Change{Plain("status", string(cs.Status), string(status))}})
	})
}

// CopySet makes the next version of a set as a draft, with the same
// groups and indicators, for the same owner.
func (s *Store) CopySet(ctx context.Context, a *domain.Actor, id int64) (domain.CriteriaSet, error) {
	cs, err := s.Set(ctx, id)
	if err != nil {
		return cs, err
	}
	var top int
	if err := s.r.QueryRowContext(ctx, "SELECT COALESCE(max(version), 0) FROM criteria_sets WHERE owner_id = $1 AND name = $2", cs.OwnerID, cs.Name).Scan(&top); err != nil {
		return cs, internal("copy set", err)
	}
	if err := s.setInScope(ctx, a, cs.OwnerID); err != nil {
		return cs, err
	}
	cs.CopiedFrom, cs.Version = cs.ID, top+1
	return s.createSet(ctx, a, cs)
}

// SetSummary is a line of a list of sets.
type SetSummary struct {
	ID       int64
	OwnerID  int64
	Name     string
	From, To domain.Date
	Version  int
	Status   domain.SetStatus
}

// Sets lists the sets owned by the units within scope, newest first.
func (s *Store) Sets(ctx context.Context, scope domain.Scope) ([]SetSummary, error) {
	if scope.Empty() {
		return nil, nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	where := "1=1"
	if !scope.All {
		where = "owner_id IN " + ownersOf(scope, arg)
	}
	rs, err := s.r.QueryContext(ctx, "SELECT id, owner_id, name, period_from, period_to, version, status FROM criteria_sets WHERE "+where+" ORDER BY period_from DESC, name, version DESC", args...)
	if err != nil {
		return nil, internal("sets", err)
	}
	defer rs.Close()
	var out []SetSummary
	for rs.Next() {
		var x SetSummary
		if err := rs.Scan(&x.ID, &x.OwnerID, &x.Name, &x.From, &x.To, &x.Version, &x.Status); err != nil {
			return nil, internal("sets", err)
		}
		out = append(out, x)
	}
	return out, internal("sets", rs.Err())
}

// SetInForce finds the set that applies to a village on a date: in force,
// its period covering the date, owned by a unit above the village on that
// date or by a dissolved unit whose duties passed to one (Bảo Thắng's set
// after 01/07/2025 belongs to Lào Cai). The latest version wins.
func (s *Store) SetInForce(ctx context.Context, villageID int64, at domain.Date) (domain.CriteriaSet, bool, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `WITH RECURSIVE up(id) AS (SELECT CAST($1 AS BIGINT) UNION SELECT p.parent_id FROM unit_parents p JOIN up ON p.unit_id = up.id
		WHERE `+live("p", 2)+`), heirs(id) AS (SELECT id FROM up UNION SELECT l.from_id FROM unit_links l JOIN heirs h ON l.to_id = h.id
		WHERE l.kind = 'dissolve' AND l.effective <= $2)
		SELECT id FROM criteria_sets WHERE owner_id IN (SELECT id FROM heirs) AND status = 'in_force' AND period_from <= $2 AND period_to >= $2
		ORDER BY version DESC, id DESC LIMIT 1`, villageID, at).Scan(&id)
	if err == sql.ErrNoRows {
		return domain.CriteriaSet{}, false, nil
	}
	if err != nil {
		return domain.CriteriaSet{}, false, internal("set in force", err)
	}
	cs, err := s.Set(ctx, id)
	return cs, err == nil, err
}

// SetAssessmentCount counts the assessments made against a set.
func (s *Store) SetAssessmentCount(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM assessments WHERE set_id = $1", id).Scan(&n)
	return n, internal("criteria set", err)
}

// ownersOf is the SQL set of units whose criteria sets a scope manages:
// the units in scope, and those dissolved whose duties passed to one of
// them (CONVENTIONS.md: Bảo Thắng's set belongs to Lào Cai from
// 01/07/2025).
func ownersOf(scope domain.Scope, arg func(any) string) string {
	in := subtree(scope, arg)
	return "(SELECT id FROM units WHERE id IN " + in + " UNION SELECT l.from_id FROM unit_links l WHERE l.kind = 'dissolve' AND l.to_id IN " + in + ")"
}

// ManagesSet says whether a scope (criteria:manage) manages a set owned
// by ownerID, directly or as the heir of a dissolved owner.
func (s *Store) ManagesSet(ctx context.Context, scope domain.Scope, ownerID int64) (bool, error) {
	if scope.All {
		return true, nil
	}
	if scope.Empty() {
		return false, nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	q := "SELECT count(*) FROM units WHERE id = " + arg(ownerID) + " AND id IN " + ownersOf(scope, arg)
	var n int
	err := s.r.QueryRowContext(ctx, q, args...).Scan(&n)
	return n > 0, internal("manages set", err)
}

// setInScope is not-found for a set the actor does not manage.
func (s *Store) setInScope(ctx context.Context, a *domain.Actor, ownerID int64) error {
	ok, err := s.ManagesSet(ctx, a.Scope(domain.PermCriteriaManage), ownerID)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
	}
	return nil
}
