package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// Subject requests are handled by those who may see a resident's full
// data in the resident's village: officers and team leaders
// (resident:view_pii); "delete" also needs resident:edit there.
const requestPerm = domain.PermResidentViewPII

const requestCols = `q.id, q.resident_id, q.village_id, q.kind, q.received_on, q.due_on, q.state, q.note, q.reason, q.closed_on,
	COALESCE(q.recorded_by, 0), COALESCE(q.closed_by, 0), q.created_at, q.version, r.full_name`

func scanRequest(sc interface{ Scan(...any) error }) (domain.SubjectRequest, error) {
	var q domain.SubjectRequest
	err := sc.Scan(&q.ID, &q.ResidentID, &q.VillageID, &q.Kind, &q.ReceivedOn, &q.DueOn, &q.State, &q.Note, &q.Reason, &q.ClosedOn,
		&q.RecordedBy, &q.ClosedBy, &q.CreatedAt, &q.Version, &q.ResidentName)
	return q, err
}

// RequestDueOn is the due date of a request received on d: two working
// days later, skipping weekends and the days off of the days_off table.
func (s *Store) RequestDueOn(ctx context.Context, d domain.Date) (domain.Date, error) {
	days, err := s.DaysOff(ctx, d, d.AddDays(60))
	if err != nil {
		return d, err
	}
	return domain.RequestDue(d, DayOffMap(days)), nil
}

// CreateSubjectRequest registers a resident's request about their data.
func (s *Store) CreateSubjectRequest(ctx context.Context, a *domain.Actor, q domain.SubjectRequest) (domain.SubjectRequest, error) {
	q.Note = textvi.Normalize(q.Note)
	if err := q.Validate(domain.DateOf(s.now())); err != nil {
		return q, err
	}
	res, err := s.Resident(ctx, a.Scope(requestPerm), q.ResidentID)
	if err != nil {
		return q, err
	}
	if q.DueOn, err = s.RequestDueOn(ctx, q.ReceivedOn); err != nil {
		return q, err
	}
	q.VillageID, q.State, q.RecordedBy, q.Version, q.ResidentName = res.VillageID, domain.RequestReceived, a.User.ID, 1, res.FullName
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO subject_requests (resident_id, village_id, kind, received_on, due_on, state, note, recorded_by, created_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) RETURNING id`,
			q.ResidentID, q.VillageID, q.Kind, q.ReceivedOn, q.DueOn, q.State, q.Note, nullID(a.User.ID), s.now()).Scan(&q.ID)
		if err != nil {
			return internal("insert subject request", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "subject_request", EntityID: strconv.FormatInt(q.ID, 10), UnitID: q.VillageID,
			Changes: []Change{Plain("resident_id", "", strconv.FormatInt(q.ResidentID, 10)), Plain("kind", "", q.Kind),
				Plain("received_on", "", q.ReceivedOn.String()), Plain("due_on", "", q.DueOn.String())}})
	})
	return q, err
}

// SubjectRequest reads one request within scope (ENOTFOUND outside it).
func (s *Store) SubjectRequest(ctx context.Context, scope domain.Scope, id int64) (domain.SubjectRequest, error) {
	q, err := scanRequest(s.r.QueryRowContext(ctx, "SELECT "+requestCols+" FROM subject_requests q JOIN residents r ON r.id = q.resident_id WHERE q.id = $1", id))
	if err == sql.ErrNoRows {
		return q, domain.Errorf(domain.ENOTFOUND, "request.not_found")
	}
	if err != nil {
		return q, internal("subject request", err)
	}
	return q, s.inScope(ctx, scope, q.VillageID, "request.not_found")
}

// RequestQuery filters the register.
type RequestQuery struct {
	VillageID  int64
	ResidentID int64
	OpenOnly   bool
	Limit      int
}

// SubjectRequests lists requests in scope: open ones first by due date,
// then closed ones, newest first.
func (s *Store) SubjectRequests(ctx context.Context, scope domain.Scope, f RequestQuery) ([]domain.SubjectRequest, error) {
	if scope.Empty() {
		return nil, nil
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 500
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	where := []string{"1=1"}
	if !scope.All {
		where = append(where, "q.village_id IN "+subtree(scope, arg))
	}
	if f.VillageID != 0 {
		where = append(where, "q.village_id = "+arg(f.VillageID))
	}
	if f.ResidentID != 0 {
		where = append(where, "q.resident_id = "+arg(f.ResidentID))
	}
	if f.OpenOnly {
		where = append(where, "q.state = 'received'")
	}
	rs, err := s.r.QueryContext(ctx, "SELECT "+requestCols+" FROM subject_requests q JOIN residents r ON r.id = q.resident_id WHERE "+
		strings.Join(where, " AND ")+" ORDER BY CASE WHEN q.state = 'received' THEN 0 ELSE 1 END, CASE WHEN q.state = 'received' THEN q.due_on ELSE '' END, q.id DESC LIMIT "+arg(f.Limit), args...)
	if err != nil {
		return nil, internal("subject requests", err)
	}
	defer rs.Close()
	var out []domain.SubjectRequest
	for rs.Next() {
		q, err := scanRequest(rs)
		if err != nil {
			return nil, internal("subject requests", err)
		}
		out = append(out, q)
	}
	return out, rs.Err()
}

// CloseRequest is how a request ends.
type CloseRequest struct {
	ID      int64
	Version int
	State   string // done or refused
	Reason  string // required when refused
}

// CloseSubjectRequest ends a request as done or refused (with a reason).
// Closing a "delete" request as done anonymises the resident in the same
// transaction; every step is audited.
func (s *Store) CloseSubjectRequest(ctx context.Context, a *domain.Actor, c CloseRequest) (domain.SubjectRequest, error) {
	q, err := s.SubjectRequest(ctx, a.Scope(requestPerm), c.ID)
	if err != nil {
		return q, err
	}
	c.Reason = textvi.Normalize(c.Reason)
	switch {
	case q.State != domain.RequestReceived:
		return q, domain.Errorf(domain.ECONFLICT, "request.closed").WithField("state")
	case c.State != domain.RequestDone && c.State != domain.RequestRefused:
		return q, domain.Errorf(domain.EINVALID, "request.state_invalid").WithField("state")
	case c.State == domain.RequestRefused && c.Reason == "":
		return q, domain.Errorf(domain.EINVALID, "request.reason_missing").WithField("reason")
	}
	if err := domain.CheckLength(c.Reason, domain.MaxNote, "reason"); err != nil {
		return q, err
	}
	if q.Kind == domain.RequestDelete && c.State == domain.RequestDone {
		if ok, err := s.Covers(ctx, a.Scope(domain.PermResidentEdit), q.VillageID); err != nil || !ok {
			if err != nil {
				return q, err
			}
			return q, domain.Errorf(domain.EFORBIDDEN, "auth.forbidden", "permission", string(domain.PermResidentEdit))
		}
	}
	today := domain.DateOf(s.now())
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE subject_requests SET state = $1, reason = $2, closed_on = $3, closed_by = $4, version = version + 1
			WHERE id = $5 AND version = $6 AND state = 'received'`, c.State, c.Reason, today, nullID(a.User.ID), q.ID, c.Version)
		if err != nil {
			return internal("close subject request", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ECONFLICT, "record.stale")
		}
		if q.Kind == domain.RequestDelete && c.State == domain.RequestDone {
			if err := s.anonymise(ctx, tx, a, q.ResidentID, today); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "close", Entity: "subject_request", EntityID: strconv.FormatInt(q.ID, 10), UnitID: q.VillageID,
			Changes: []Change{Plain("state", q.State, c.State), Plain("closed_on", "", today.String())}})
	})
	if err != nil {
		return q, err
	}
	return s.SubjectRequest(ctx, a.Scope(requestPerm), q.ID)
}
