package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
)

// Change is one field of an audited change. Personal values are never
// stored: only that they changed (CONVENTIONS.md), so erasing a person
// never has to touch the append-only audit.
type Change struct {
	Field   string  `json:"field"`
	Before  *string `json:"before,omitempty"`
	After   *string `json:"after,omitempty"`
	Changed bool    `json:"changed,omitempty"`
}

// Plain records a non-personal field's before and after.
func Plain(field, before, after string) Change {
	return Change{Field: field, Before: &before, After: &after}
}

// Personal records only that a personal field changed.
func Personal(field string) Change { return Change{Field: field, Changed: true} }

// AuditEntry is one line of the audit trail.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserID   int64
	Login    string
	Via      string
	IP       string
	Action   string // create, update, delete, view, reveal, export, login, …
	Entity   string // user, grant, token, unit, resident, …
	EntityID string
	UnitID   int64
	Changes  []Change
	Purpose  string
}

// audit appends an entry inside the caller's transaction.
func (s *Store) audit(ctx context.Context, q querier, a *domain.Actor, e AuditEntry) error {
	if a == nil {
		a = &domain.Actor{User: domain.User{Login: "system"}, Via: "system"}
	}
	var changes string
	if len(e.Changes) > 0 {
		b, _ := json.Marshal(e.Changes)
		changes = string(b)
	}
	var uid, unit any
	if a.User.ID != 0 {
		uid = a.User.ID
	}
	if e.UnitID != 0 {
		unit = e.UnitID
	}
	_, err := q.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, login, via, ip, action, entity, entity_id, unit_id, changes, purpose)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		s.now(), uid, a.User.Login, a.Via, a.IP, e.Action, e.Entity, e.EntityID, unit, changes, e.Purpose)
	return internal("audit", err)
}

// Audit appends an entry on its own (views and exports of personal data).
func (s *Store) Audit(ctx context.Context, a *domain.Actor, e AuditEntry) error {
	return s.audit(ctx, s.w, a, e)
}

// AuditFilter narrows the audit trail.
type AuditFilter struct {
	UnitID   int64
	UserID   int64
	Entity   string
	EntityID string
	From, To domain.Date
	Before   int64 // id cursor: entries older than this
	Limit    int
}

// AuditEntries lists entries newest first, within scope: an entry is in
// scope when its unit is in the caller's subtrees (entries without a unit
// — logins, users — are seen by those whose scope is everything, and by
// those who manage the user concerned).
func (s *Store) AuditEntries(ctx context.Context, scope domain.Scope, f AuditFilter) ([]AuditEntry, int64, error) {
	if scope.Empty() {
		return nil, 0, nil
	}
	if f.Limit <= 0 || f.Limit > 5000 {
		f.Limit = 100
	}
	var args []any
	where := []string{"1=1"}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if !scope.All {
		sub := subtree(scope, arg)
		where = append(where, "(a.unit_id IN "+sub+" OR (a.entity = 'user' AND a.entity_id IN (SELECT CAST(g.user_id AS TEXT) FROM grants g WHERE g.unit_id IN "+sub+")))")
	}
	if f.UnitID != 0 {
		where = append(where, "a.unit_id IN "+subtree(domain.Scope{UnitIDs: []int64{f.UnitID}}, arg))
	}
	if f.UserID != 0 {
		where = append(where, "a.user_id = "+arg(f.UserID))
	}
	if f.Entity != "" {
		where = append(where, "a.entity = "+arg(f.Entity))
	}
	if f.EntityID != "" {
		where = append(where, "a.entity_id = "+arg(f.EntityID))
	}
	if !f.From.IsZero() {
		where = append(where, "a.at >= "+arg(dayStart(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, "a.at < "+arg(dayStart(f.To.AddDays(1))))
	}
	if f.Before != 0 {
		where = append(where, "a.id < "+arg(f.Before))
	}
	q := `SELECT a.id, a.at, COALESCE(a.user_id, 0), a.login, a.via, a.ip, a.action, a.entity, a.entity_id, COALESCE(a.unit_id, 0), a.changes, a.purpose
		FROM audit_log a WHERE ` + strings.Join(where, " AND ") + " ORDER BY a.id DESC LIMIT " + arg(f.Limit+1)
	rs, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, internal("audit entries", err)
	}
	defer rs.Close()
	var out []AuditEntry
	for rs.Next() {
		var e AuditEntry
		var changes string
		if err := rs.Scan(&e.ID, &e.At, &e.UserID, &e.Login, &e.Via, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.UnitID, &changes, &e.Purpose); err != nil {
			return nil, 0, internal("audit entries", err)
		}
		if changes != "" {
			json.Unmarshal([]byte(changes), &e.Changes)
		}
		out = append(out, e)
	}
	var next int64
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = out[len(out)-1].ID
	}
	return out, next, rs.Err()
}

// dayStart is the UTC instant a Vietnamese civil day begins.
func dayStart(d domain.Date) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, domain.Vietnam()).UTC()
}

// subtree is a SQL subquery of every unit that is, or ever was, under one
// of scope's units (a village keeps counting under the commune it was
// recorded under, and under the one it moved to).
func subtree(scope domain.Scope, arg func(any) string) string {
	ph := make([]string, len(scope.UnitIDs))
	for i, id := range scope.UnitIDs {
		ph[i] = arg(id)
	}
	// Below a unit: its children at any date, and the units that became it
	// (merged whole into it, renamed into it, or dissolved with their
	// duties passed to it), so today's officers read the old units' past.
	return "(WITH RECURSIVE edges(child, parent) AS (SELECT unit_id, parent_id FROM unit_parents UNION ALL " +
		"SELECT from_id, to_id FROM unit_links WHERE kind IN ('merge_full', 'rename', 'dissolve')), " +
		"down(id) AS (SELECT id FROM units WHERE id IN (" + strings.Join(ph, ",") +
		") UNION SELECT e.child FROM edges e JOIN down ON e.parent = down.id) SELECT id FROM down)"
}

// Covers reports whether unitID is in scope (itself or under one of its
// units at any date, or a unit that became one of them).
func (s *Store) Covers(ctx context.Context, scope domain.Scope, unitID int64) (bool, error) {
	if scope.All {
		return true, nil
	}
	if scope.Empty() {
		return false, nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	q := "SELECT count(*) FROM units WHERE id = " + arg(unitID) + " AND id IN " + subtree(scope, arg)
	var n int
	err := s.r.QueryRowContext(ctx, q, args...).Scan(&n)
	return n > 0, internal("covers", err)
}
