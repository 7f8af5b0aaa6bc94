package store

import (
	"context"
	"database/sql"
	"time"

	"thonso/internal/domain"
)

// Events lists a unit's history entries, oldest first.
func (s *Store) Events(ctx context.Context, id int64) ([]domain.Event, error) {
	rs, err := s.r.QueryContext(ctx, `SELECT e.id, e.unit_id, e.kind, e.on_date, e.legal_act, e.detail, e.other_id
		FROM unit_events e WHERE e.unit_id = $1 ORDER BY e.on_date, e.id`, id)
	if err != nil {
		return nil, internal("events", err)
	}
	var out []domain.Event
	var others []sql.NullInt64
	for rs.Next() {
		var e domain.Event
		var other sql.NullInt64
		if err := rs.Scan(&e.ID, &e.UnitID, &e.Kind, &e.Date, &e.LegalAct, &e.Detail, &other); err != nil {
			rs.Close()
			return nil, internal("events", err)
		}
		out = append(out, e)
		others = append(others, other)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, internal("events", err)
	}
	for i, o := range others {
		if !o.Valid {
			continue
		}
		u, err := s.UnitByID(ctx, o.Int64, out[i].Date)
		if err != nil {
			return nil, err
		}
		r := u.Ref()
		out[i].Other = &r
	}
	return out, nil
}

// SuccessorsOn follows a unit's successors until the units live on date
// d: "what is old Xã Xuân Giao today?" → Xã Gia Phú (02923).
func (s *Store) SuccessorsOn(ctx context.Context, id int64, d domain.Date) ([]domain.LinkedUnit, error) {
	seen := map[int64]bool{id: true}
	frontier := []int64{id}
	var out []domain.LinkedUnit
	for depth := 0; len(frontier) > 0 && depth < 10; depth++ {
		var next []int64
		for _, f := range frontier {
			succ, err := s.Successors(ctx, f)
			if err != nil {
				return nil, err
			}
			for _, l := range succ {
				if seen[l.ID] {
					continue
				}
				seen[l.ID] = true
				if d.Within(l.ValidFrom, l.ValidTo) {
					out = append(out, l)
				} else if l.Effective.Before(d) || l.Effective.Equal(d) {
					next = append(next, l.ID)
				}
			}
		}
		frontier = next
	}
	return out, nil
}

// Enrolment is a village's entry into the smart-village model.
type Enrolment struct {
	VillageID  int64
	EnrolledOn domain.Date
	EndedOn    domain.Date
	Decision   string
	ByUnitID   int64
}

// Enrol records that a village joined the model on a date; enrolling
// again on the same date changes nothing.
func (s *Store) Enrol(ctx context.Context, e Enrolment) (bool, error) {
	added := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM enrolments WHERE village_id = $1 AND enrolled_on = $2", e.VillageID, e.EnrolledOn).Scan(&n); err != nil {
			return internal("enrol", err)
		}
		if n > 0 {
			return nil
		}
		var by any
		if e.ByUnitID != 0 {
			by = e.ByUnitID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO enrolments (village_id, enrolled_on, ended_on, decision, by_unit_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, e.VillageID, e.EnrolledOn, e.EndedOn, e.Decision, by, s.now()); err != nil {
			return internal("enrol", err)
		}
		added = true
		return s.addEvent(ctx, tx, e.VillageID, domain.EventEnrol, e.EnrolledOn, e.Decision, "", 0)
	})
	return added, err
}

// EnrolledOn reports the date a village joined the model, if it did by at.
func (s *Store) EnrolledOn(ctx context.Context, villageID int64, at domain.Date) (domain.Date, bool, error) {
	var d domain.Date
	err := s.r.QueryRowContext(ctx, `SELECT enrolled_on FROM enrolments WHERE village_id = $1 AND enrolled_on <= $2
		AND (ended_on IS NULL OR ended_on >= $2) ORDER BY enrolled_on LIMIT 1`, villageID, at).Scan(&d)
	if err == sql.ErrNoRows {
		return domain.Date{}, false, nil
	}
	return d, err == nil, internal("enrolled on", err)
}

// Meta reads a value of the meta table ("" when absent).
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = $1", key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, internal("meta", err)
}

// SetMeta writes a value of the meta table.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM meta WHERE key = $1", key); err != nil {
			return internal("meta", err)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ($1, $2)", key, value)
		return internal("meta", err)
	})
}

// WithClock returns a store that shares s's connections but reads time
// from now: the demo uses it so created_at follows its story.
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.Now = now
	return &c
}
