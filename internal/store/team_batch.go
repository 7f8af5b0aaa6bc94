package store

import (
	"context"
	"database/sql"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// TeamLoad is a team with its members and slots, for a bulk load (the demo).
type TeamLoad struct {
	Team    domain.Team
	Members []domain.Member
	Slots   []domain.Slot
}

// LoadTeams creates teams with their members and slots in one
// transaction, validated like one by one, as one audit entry.
func (s *Store) LoadTeams(ctx context.Context, a *domain.Actor, loads []TeamLoad) error {
	sc := a.Scope(domain.PermTeamManage)
	for _, l := range loads {
		if err := s.inScope(ctx, sc, l.Team.UnitID, "unit.not_found"); err != nil {
			return err
		}
		for _, m := range l.Members {
			if err := m.Validate(); err != nil {
				return err
			}
		}
		for _, sl := range l.Slots {
			if err := sl.Validate(); err != nil {
				return err
			}
		}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var members [][]any
		var ids []int64
		for _, l := range loads {
			t := l.Team
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO teams (kind, name, decision_no, decision_date, started_on, ended_on, created_at, updated_at, version)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1) RETURNING id`, string(t.Kind), textvi.Normalize(t.Name), t.DecisionNo, t.DecisionDate, t.StartedOn, t.EndedOn, now).Scan(&id); err != nil {
				return internal("load teams", err)
			}
			ids = append(ids, id)
			if _, err := tx.ExecContext(ctx, "INSERT INTO team_units (team_id, unit_id, valid_from, valid_to) VALUES ($1, $2, $3, NULL)", id, t.UnitID, t.StartedOn); err != nil {
				return internal("load teams", err)
			}
			for _, m := range l.Members {
				var phone, res any
				if m.Phone != "" {
					phone = m.Phone
				}
				if m.ResidentID != 0 {
					res = m.ResidentID
				}
				members = append(members, []any{id, res, textvi.Normalize(m.FullName), phone, string(m.Role), m.Position, m.JoinedOn, m.LeftOn, m.PhonePublic, m.ConsentOn, now, now, 1})
			}
			for _, sl := range l.Slots {
				if sl.EveryWeeks == 0 {
					sl.EveryWeeks = 1
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO duty_slots (team_id, weekday, start_min, end_min, place, valid_from, valid_to, every_weeks, anchor, created_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, id, int(sl.Weekday), sl.Start, sl.End, sl.Place, sl.ValidFrom, sl.ValidTo, sl.EveryWeeks, sl.Anchor, now); err != nil {
					return internal("load teams", err)
				}
			}
		}
		cols := []string{"team_id", "resident_id", "full_name", "phone", "role", "position", "joined_on", "left_on", "phone_public", "consent_on", "created_at", "updated_at", "version"}
		if _, err := s.insertMany(ctx, tx, "team_members", cols, members, false); err != nil {
			return err
		}
		if err := s.recordMemberConsents(ctx, tx, a, ids, "paper_form"); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "import", Entity: "team", Changes: []Change{Plain("teams", "", joinIDs(ids)), Plain("members", "", strconv.Itoa(len(members)))}})
	})
}
