package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"thonso/internal/domain"
)

// Slots lists a team's duty slots.
func (s *Store) Slots(ctx context.Context, teamID int64) ([]domain.Slot, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT "+slotCols+" FROM duty_slots s WHERE s.team_id = $1 ORDER BY (s.weekday + 6) % 7, s.start_min, s.id", teamID)
	if err != nil {
		return nil, internal("slots", err)
	}
	defer rs.Close()
	var out []domain.Slot
	for rs.Next() {
		sl, err := scanSlot(rs)
		if err != nil {
			return nil, internal("slots", err)
		}
		out = append(out, sl)
	}
	return out, rs.Err()
}

// AddSlot adds a weekly slot; one that overlaps another slot of the team
// is refused.
func (s *Store) AddSlot(ctx context.Context, a *domain.Actor, sl domain.Slot) (domain.Slot, error) {
	if sl.EveryWeeks == 0 {
		sl.EveryWeeks = 1
	}
	if err := sl.Validate(); err != nil {
		return sl, err
	}
	if err := s.teamInScope(ctx, a, sl.TeamID); err != nil {
		return sl, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		existing, err := s.Slots(ctx, sl.TeamID)
		if err != nil {
			return err
		}
		for _, o := range existing {
			if sl.Overlaps(o) {
				return domain.Errorf(domain.EINVALID, "slot.overlap", "weekday", int(o.Weekday), "start", domain.Clock(o.Start), "end", domain.Clock(o.End)).WithField("start")
			}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO duty_slots (team_id, weekday, start_min, end_min, place, valid_from, valid_to, every_weeks, anchor, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, sl.TeamID, int(sl.Weekday), sl.Start, sl.End, sl.Place, sl.ValidFrom, sl.ValidTo,
			sl.EveryWeeks, sl.Anchor, s.now()).Scan(&sl.ID); err != nil {
			return internal("add slot", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "slot", EntityID: strconv.FormatInt(sl.ID, 10),
			Changes: []Change{Plain("team_id", "", strconv.FormatInt(sl.TeamID, 10)), Plain("weekday", "", strconv.Itoa(int(sl.Weekday))),
				Plain("time", "", domain.Clock(sl.Start)+"–"+domain.Clock(sl.End)), Plain("place", "", sl.Place)}})
	})
	return sl, err
}

// Exceptions lists a team's schedule exceptions.
func (s *Store) Exceptions(ctx context.Context, teamID int64) ([]domain.Exception, error) {
	rs, err := s.r.QueryContext(ctx, `SELECT id, team_id, kind, COALESCE(slot_id, 0), on_date, to_date, start_min, end_min, place, reason
		FROM duty_exceptions WHERE team_id = $1 ORDER BY on_date, id`, teamID)
	if err != nil {
		return nil, internal("exceptions", err)
	}
	defer rs.Close()
	var out []domain.Exception
	for rs.Next() {
		var e domain.Exception
		if err := rs.Scan(&e.ID, &e.TeamID, &e.Kind, &e.SlotID, &e.On, &e.To, &e.Start, &e.End, &e.Place, &e.Reason); err != nil {
			return nil, internal("exceptions", err)
		}
		out = append(out, e)
	}
	return out, rs.Err()
}

// AddException cancels, moves or adds a session. Cancelling or moving a
// date with no session of that slot is refused.
func (s *Store) AddException(ctx context.Context, a *domain.Actor, e domain.Exception) (domain.Exception, error) {
	if err := s.teamInScope(ctx, a, e.TeamID); err != nil {
		return e, err
	}
	if e.On.IsZero() {
		return e, domain.Errorf(domain.EINVALID, "exception.date_missing").WithField("on")
	}
	slots, err := s.Slots(ctx, e.TeamID)
	if err != nil {
		return e, err
	}
	exc, err := s.Exceptions(ctx, e.TeamID)
	if err != nil {
		return e, err
	}
	switch e.Kind {
	case domain.ExceptionCancel, domain.ExceptionMove:
		found := false
		for _, o := range domain.Sessions(slots, exc, e.On, e.On) {
			if e.SlotID == 0 || o.SlotID == e.SlotID {
				e.SlotID, found = o.SlotID, true
				if e.Kind == domain.ExceptionMove && e.End == 0 {
					e.Start = int(o.Start.Sub(time.Date(e.On.Year(), e.On.Month(), e.On.Day(), 0, 0, 0, 0, domain.Vietnam())).Minutes())
					e.End = e.Start + int(o.End.Sub(o.Start).Minutes())
				}
				break
			}
		}
		if !found {
			return e, domain.Errorf(domain.EINVALID, "exception.no_session", "date", e.On).WithField("on")
		}
	case domain.ExceptionAdd:
	default:
		return e, domain.Errorf(domain.EINVALID, "exception.kind_invalid").WithField("kind")
	}
	if e.Kind != domain.ExceptionCancel && (e.End <= e.Start || e.Start < 0) {
		return e, domain.Errorf(domain.EINVALID, "slot.end_before_start").WithField("end")
	}
	var slot any
	if e.SlotID != 0 {
		slot = e.SlotID
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO duty_exceptions (team_id, kind, slot_id, on_date, to_date, start_min, end_min, place, reason, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, e.TeamID, string(e.Kind), slot, e.On, e.To, e.Start, e.End, e.Place, e.Reason, s.now()).Scan(&e.ID); err != nil {
			return internal("add exception", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "exception", EntityID: strconv.FormatInt(e.ID, 10),
			Changes: []Change{Plain("kind", "", string(e.Kind)), Plain("on", "", e.On.String()), Plain("reason", "", e.Reason)}})
	})
	return e, err
}

// NextSession is the team's session running now or the next one.
func (s *Store) NextSession(ctx context.Context, teamID int64, now time.Time) (domain.Occurrence, bool, error) {
	slots, err := s.Slots(ctx, teamID)
	if err != nil {
		return domain.Occurrence{}, false, err
	}
	exc, err := s.Exceptions(ctx, teamID)
	if err != nil {
		return domain.Occurrence{}, false, err
	}
	o, ok := domain.NextSession(slots, exc, now)
	return o, ok, nil
}

// SetRoster puts members on a slot's rotation, in order.
func (s *Store) SetRoster(ctx context.Context, a *domain.Actor, slotID int64, memberIDs []int64) error {
	var team int64
	if err := s.r.QueryRowContext(ctx, "SELECT team_id FROM duty_slots WHERE id = $1", slotID).Scan(&team); err != nil {
		return domain.Errorf(domain.ENOTFOUND, "slot.not_found")
	}
	if err := s.teamInScope(ctx, a, team); err != nil {
		return err
	}
	slot, err := s.slotByID(ctx, slotID)
	if err != nil {
		return err
	}
	for _, m := range memberIDs {
		others, err := s.memberSlots(ctx, m, slotID)
		if err != nil {
			return err
		}
		for _, o := range others {
			if slot.Overlaps(o) {
				return domain.Errorf(domain.EINVALID, "roster.overlap", "start", domain.Clock(o.Start), "end", domain.Clock(o.End)).WithField("members")
			}
		}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM duty_roster WHERE slot_id = $1", slotID); err != nil {
			return internal("roster", err)
		}
		for i, m := range memberIDs {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM team_members WHERE id = $1 AND team_id = $2", m, team).Scan(&n); err != nil || n == 0 {
				return domain.Errorf(domain.EINVALID, "roster.member_invalid").WithField("members")
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO duty_roster (slot_id, member_id, turn) VALUES ($1, $2, $3)", slotID, m, i); err != nil {
				return internal("roster", err)
			}
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "roster", EntityID: strconv.FormatInt(slotID, 10), Changes: []Change{Plain("members", "", joinIDs(memberIDs))}})
	})
}

// Roster lists the members of a slot's rotation, in turn order.
func (s *Store) Roster(ctx context.Context, slotID int64) ([]int64, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT member_id FROM duty_roster WHERE slot_id = $1 ORDER BY turn", slotID)
	if err != nil {
		return nil, internal("roster", err)
	}
	defer rs.Close()
	var out []int64
	for rs.Next() {
		var id int64
		rs.Scan(&id)
		out = append(out, id)
	}
	return out, rs.Err()
}

// OnDuty says who is on duty at the n-th session of a slot: the rotation
// moves one member on at each session.
func OnDuty(roster []int64, n int) int64 {
	if len(roster) == 0 {
		return 0
	}
	return roster[((n%len(roster))+len(roster))%len(roster)]
}

// CreateFeed makes a calendar feed for a member; the secret is returned once.
func (s *Store) CreateFeed(ctx context.Context, a *domain.Actor, memberID int64) (string, error) {
	var team int64
	if err := s.r.QueryRowContext(ctx, "SELECT team_id FROM team_members WHERE id = $1", memberID).Scan(&team); err != nil {
		return "", domain.Errorf(domain.ENOTFOUND, "member.not_found")
	}
	if err := s.teamInScope(ctx, a, team); err != nil {
		return "", err
	}
	secret := domain.NewSecret("")
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO calendar_feeds (token_hash, member_id, created_at) VALUES ($1, $2, $3)", domain.HashSecret(secret), memberID, s.now()); err != nil {
			return internal("feed", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "calendar_feed", EntityID: strconv.FormatInt(memberID, 10)})
	})
	return secret, err
}

// RevokeFeeds ends every calendar feed of a member.
func (s *Store) RevokeFeeds(ctx context.Context, a *domain.Actor, memberID int64) error {
	var team int64
	if err := s.r.QueryRowContext(ctx, "SELECT team_id FROM team_members WHERE id = $1", memberID).Scan(&team); err != nil {
		return domain.Errorf(domain.ENOTFOUND, "member.not_found")
	}
	if err := s.teamInScope(ctx, a, team); err != nil {
		return err
	}
	_, err := s.w.ExecContext(ctx, "UPDATE calendar_feeds SET revoked_at = $1 WHERE member_id = $2 AND revoked_at IS NULL", s.now(), memberID)
	return internal("revoke feeds", err)
}

// FeedMember finds the member of a live feed; anything else is ENOTFOUND.
func (s *Store) FeedMember(ctx context.Context, secret string) (domain.Member, error) {
	m, err := scanMember(s.r.QueryRowContext(ctx, "SELECT "+memberCols+` FROM calendar_feeds f JOIN team_members m ON m.id = f.member_id
		WHERE f.token_hash = $1 AND f.revoked_at IS NULL`, domain.HashSecret(secret)))
	if err != nil {
		return m, domain.Errorf(domain.ENOTFOUND, "feed.not_found")
	}
	return m, nil
}

const slotCols = "s.id, s.team_id, s.weekday, s.start_min, s.end_min, s.place, s.valid_from, s.valid_to, s.every_weeks, s.anchor"

func scanSlot(sc interface{ Scan(...any) error }) (domain.Slot, error) {
	var sl domain.Slot
	var wd int
	err := sc.Scan(&sl.ID, &sl.TeamID, &wd, &sl.Start, &sl.End, &sl.Place, &sl.ValidFrom, &sl.ValidTo, &sl.EveryWeeks, &sl.Anchor)
	sl.Weekday = time.Weekday(wd)
	return sl, err
}

func (s *Store) slotByID(ctx context.Context, id int64) (domain.Slot, error) {
	sl, err := scanSlot(s.r.QueryRowContext(ctx, "SELECT "+slotCols+" FROM duty_slots s WHERE s.id = $1", id))
	if err == sql.ErrNoRows {
		return sl, domain.Errorf(domain.ENOTFOUND, "slot.not_found")
	}
	return sl, internal("slot", err)
}

// memberSlots lists the slots (of any team) a member is rostered on, but one.
func (s *Store) memberSlots(ctx context.Context, memberID, except int64) ([]domain.Slot, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT "+slotCols+" FROM duty_roster r JOIN duty_slots s ON s.id = r.slot_id WHERE r.member_id = $1 AND s.id <> $2", memberID, except)
	if err != nil {
		return nil, internal("member slots", err)
	}
	defer rs.Close()
	var out []domain.Slot
	for rs.Next() {
		sl, err := scanSlot(rs)
		if err != nil {
			return nil, internal("member slots", err)
		}
		out = append(out, sl)
	}
	return out, rs.Err()
}
