package store

import (
	"context"
	"database/sql"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// ActivityLoad is what teams did, for a bulk load (the demo): held
// sessions, trainings and announcements, already checked by the caller
// against the same rules as one by one (members on the team that day).
type ActivityLoad struct {
	Logs      []SessionLog
	Trainings []Training
	Notices   []Announcement
}

// LoadActivities writes an ActivityLoad in one transaction, as one audit
// entry.
func (s *Store) LoadActivities(ctx context.Context, a *domain.Actor, l ActivityLoad) error {
	for _, t := range l.Trainings {
		if textvi.Normalize(t.Topic) == "" || t.On.IsZero() || len(t.ResidentIDs) > t.ResidentsTrained {
			return domain.Errorf(domain.EINVALID, "training.topic_missing").WithField("topic")
		}
	}
	for _, n := range l.Notices {
		if n.Body == "" || len(n.Uses) == 0 {
			return domain.Errorf(domain.EINVALID, "announcement.body_missing").WithField("body")
		}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for _, g := range l.Logs {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO session_logs (team_id, on_date, slot_id, residents_helped, notes, created_at)
				VALUES ($1, $2, NULL, $3, $4, $5) RETURNING id`, g.TeamID, g.On, g.ResidentsHelped, textvi.Normalize(g.Notes), now).Scan(&id); err != nil {
				return internal("load sessions", err)
			}
			for _, m := range g.MemberIDs {
				if _, err := tx.ExecContext(ctx, "INSERT INTO session_attendance (log_id, member_id) VALUES ($1, $2)", id, m); err != nil {
					return internal("load sessions", err)
				}
			}
		}
		for _, t := range l.Trainings {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO trainings (unit_id, team_id, on_date, place, topic, trainer, hands_on, materials, residents_trained, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, t.UnitID, t.TeamID, t.On, textvi.Normalize(t.Place), textvi.Normalize(t.Topic),
				textvi.Normalize(t.Trainer), t.HandsOn, t.Materials, t.ResidentsTrained, now).Scan(&id); err != nil {
				return internal("load trainings", err)
			}
			if err := insertAttendees(ctx, tx, id, t.MemberIDs, t.ResidentIDs); err != nil {
				return err
			}
		}
		for _, n := range l.Notices {
			var id int64
			if err := tx.QueryRowContext(ctx, "INSERT INTO announcements (team_id, body, created_at) VALUES ($1, $2, $3) RETURNING id",
				n.TeamID, n.Body, now).Scan(&id); err != nil {
				return internal("load announcements", err)
			}
			for _, u := range n.Uses {
				if _, err := tx.ExecContext(ctx, "INSERT INTO announcement_uses (announcement_id, channel, used_on) VALUES ($1, $2, $3)", id, u.Channel, u.On); err != nil {
					return internal("load announcements", err)
				}
			}
			for _, v := range n.Villages {
				if _, err := tx.ExecContext(ctx, "INSERT INTO announcement_villages (announcement_id, village_id) VALUES ($1, $2)", id, v); err != nil {
					return internal("load announcements", err)
				}
			}
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "activities", EntityID: "load",
			Changes: []Change{Plain("sessions", "", strconv.Itoa(len(l.Logs))), Plain("trainings", "", strconv.Itoa(len(l.Trainings))),
				Plain("announcements", "", strconv.Itoa(len(l.Notices)))}})
	})
}
