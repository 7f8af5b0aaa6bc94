package store

import (
	"context"
	"database/sql"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// Training is a tập huấn, hands-on ("cầm tay chỉ việc") or not. Its
// attendees are team members and residents; ResidentsTrained is the
// headcount of residents, of whom ResidentIDs are the ones named from the
// registry (never more than the headcount).
type Training struct {
	ID               int64
	UnitID           int64
	TeamID           int64
	On               domain.Date
	Place, Topic     string
	Trainer          string
	HandsOn          bool
	Materials        string
	ResidentsTrained int
	MemberIDs        []int64
	ResidentIDs      []int64
}

// AddTraining records a training held for a team's unit.
func (s *Store) AddTraining(ctx context.Context, a *domain.Actor, t Training) (Training, error) {
	t.Topic = textvi.Normalize(t.Topic)
	if t.Topic == "" {
		return t, domain.Errorf(domain.EINVALID, "training.topic_missing").WithField("topic")
	}
	if len([]rune(t.Topic)) > 300 || len([]rune(t.Materials)) > 2000 || len([]rune(t.Place)) > 300 || len([]rune(t.Trainer)) > 300 {
		return t, domain.Errorf(domain.EINVALID, "training.too_long").WithField("topic")
	}
	if t.On.IsZero() {
		return t, domain.Errorf(domain.EINVALID, "training.date_missing").WithField("on")
	}
	if t.On.After(domain.DateOf(s.now())) {
		return t, domain.Errorf(domain.EINVALID, "training.date_future").WithField("on")
	}
	if t.ResidentsTrained < 0 || t.ResidentsTrained > 10000 {
		return t, domain.Errorf(domain.EINVALID, "log.count_invalid").WithField("residents_trained")
	}
	if err := s.teamInScope(ctx, a, t.TeamID); err != nil {
		return t, err
	}
	team, err := s.Team(ctx, t.TeamID, t.On)
	if err != nil {
		return t, err
	}
	t.UnitID = team.UnitID
	if err := s.checkTrainees(ctx, team, t.On, nil, t.ResidentIDs); err != nil {
		return t, err
	}
	if len(t.ResidentIDs) > t.ResidentsTrained {
		t.ResidentsTrained = len(t.ResidentIDs)
	}
	active, err := s.Members(ctx, t.TeamID, t.On)
	if err != nil {
		return t, err
	}
	on := map[int64]bool{}
	for _, m := range active {
		on[m.ID] = true
	}
	for _, id := range t.MemberIDs {
		if !on[id] {
			return t, domain.Errorf(domain.EINVALID, "log.member_invalid").WithField("members")
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO trainings (unit_id, team_id, on_date, place, topic, trainer, hands_on, materials, residents_trained, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, t.UnitID, t.TeamID, t.On, textvi.Normalize(t.Place), t.Topic, textvi.Normalize(t.Trainer),
			t.HandsOn, textvi.Normalize(t.Materials), t.ResidentsTrained, s.now()).Scan(&t.ID); err != nil {
			return internal("training", err)
		}
		if err := insertAttendees(ctx, tx, t.ID, t.MemberIDs, t.ResidentIDs); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "training", EntityID: strconv.FormatInt(t.ID, 10), UnitID: t.UnitID,
			Changes: []Change{Plain("topic", "", t.Topic), Plain("on", "", t.On.String()), Plain("residents_trained", "", strconv.Itoa(t.ResidentsTrained)),
				Plain("residents", "", joinIDs(t.ResidentIDs))}})
	})
	return t, err
}

func insertAttendees(ctx context.Context, tx *sql.Tx, id int64, members, residents []int64) error {
	for _, m := range members {
		if _, err := tx.ExecContext(ctx, "INSERT INTO training_attendees (training_id, member_id) VALUES ($1, $2)", id, m); err != nil {
			return internal("training", err)
		}
	}
	for _, r := range residents {
		if _, err := tx.ExecContext(ctx, "INSERT INTO training_attendees (training_id, resident_id) VALUES ($1, $2)", id, r); err != nil {
			return internal("training", err)
		}
	}
	return nil
}

// checkTrainees refuses a resident named twice, already on the training,
// or not living on that date in a village the team serves.
func (s *Store) checkTrainees(ctx context.Context, team domain.Team, on domain.Date, have, add []int64) error {
	seen := map[int64]bool{}
	for _, id := range have {
		seen[id] = true
	}
	for _, id := range add {
		if seen[id] {
			return domain.Errorf(domain.ECONFLICT, "training.resident_twice").WithField("residents")
		}
		seen[id] = true
		r, err := s.Resident(ctx, domain.Scope{UnitIDs: []int64{team.UnitID}}, id)
		if err != nil || !r.LivesOn(on) {
			return domain.Errorf(domain.EINVALID, "training.resident_invalid").WithField("residents")
		}
	}
	return nil
}

// AddTrainees names residents of the registry as attendees of a recorded
// training; the headcount rises when the named outnumber it.
func (s *Store) AddTrainees(ctx context.Context, a *domain.Actor, trainingID int64, residentIDs []int64) (Training, error) {
	t, err := s.Training(ctx, trainingID)
	if err != nil {
		return t, err
	}
	if err := s.teamInScope(ctx, a, t.TeamID); err != nil {
		return t, err
	}
	if len(residentIDs) == 0 {
		return t, domain.Errorf(domain.EINVALID, "training.resident_missing").WithField("residents")
	}
	team, err := s.Team(ctx, t.TeamID, t.On)
	if err != nil {
		return t, err
	}
	if err := s.checkTrainees(ctx, team, t.On, t.ResidentIDs, residentIDs); err != nil {
		return t, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := insertAttendees(ctx, tx, t.ID, nil, residentIDs); err != nil {
			return err
		}
		n := len(t.ResidentIDs) + len(residentIDs)
		if n > t.ResidentsTrained {
			if _, err := tx.ExecContext(ctx, "UPDATE trainings SET residents_trained = $1 WHERE id = $2", n, t.ID); err != nil {
				return internal("training", err)
			}
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "training", EntityID: strconv.FormatInt(t.ID, 10), UnitID: t.UnitID,
			Changes: []Change{Plain("residents", joinIDs(t.ResidentIDs), joinIDs(append(append([]int64{}, t.ResidentIDs...), residentIDs...)))}})
	})
	if err != nil {
		return t, err
	}
	return s.Training(ctx, trainingID)
}

const trainingCols = "id, unit_id, COALESCE(team_id, 0), on_date, place, topic, trainer, hands_on, materials, residents_trained"

func scanTraining(sc interface{ Scan(...any) error }) (Training, error) {
	var t Training
	err := sc.Scan(&t.ID, &t.UnitID, &t.TeamID, &t.On, &t.Place, &t.Topic, &t.Trainer, &t.HandsOn, &t.Materials, &t.ResidentsTrained)
	return t, err
}

// Training reads one training with its attendees.
func (s *Store) Training(ctx context.Context, id int64) (Training, error) {
	t, err := scanTraining(s.r.QueryRowContext(ctx, "SELECT "+trainingCols+" FROM trainings WHERE id = $1", id))
	if err == sql.ErrNoRows {
		return t, domain.Errorf(domain.ENOTFOUND, "training.not_found")
	}
	if err != nil {
		return t, internal("training", err)
	}
	rs, err := s.r.QueryContext(ctx, "SELECT COALESCE(member_id, 0), COALESCE(resident_id, 0) FROM training_attendees WHERE training_id = $1 ORDER BY member_id, resident_id", id)
	if err != nil {
		return t, internal("training", err)
	}
	defer rs.Close()
	for rs.Next() {
		var m, r int64
		if err := rs.Scan(&m, &r); err != nil {
			return t, internal("training", err)
		}
		if m != 0 {
			t.MemberIDs = append(t.MemberIDs, m)
		}
		if r != 0 {
			t.ResidentIDs = append(t.ResidentIDs, r)
		}
	}
	return t, internal("training", rs.Err())
}

// Trainings lists a team's trainings, newest first (attendees not read).
func (s *Store) Trainings(ctx context.Context, teamID int64) ([]Training, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT "+trainingCols+" FROM trainings WHERE team_id = $1 ORDER BY on_date DESC, id DESC", teamID)
	if err != nil {
		return nil, internal("trainings", err)
	}
	defer rs.Close()
	var out []Training
	for rs.Next() {
		t, err := scanTraining(rs)
		if err != nil {
			return nil, internal("trainings", err)
		}
		out = append(out, t)
	}
	return out, internal("trainings", rs.Err())
}

// ResidentsTrained counts residents trained by the teams of the villages
// under a unit up to a date (the digital-skills indicator): the headcounts.
func (s *Store) ResidentsTrained(ctx context.Context, unitID int64, at domain.Date) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `WITH RECURSIVE down(id) AS (SELECT CAST($1 AS BIGINT) UNION SELECT p.unit_id FROM unit_parents p JOIN down ON p.parent_id = down.id
		WHERE `+live("p", 2)+`) SELECT COALESCE(sum(residents_trained), 0) FROM trainings WHERE unit_id IN (SELECT id FROM down) AND on_date <= $2`, unitID, at).Scan(&n)
	return n, internal("residents trained", err)
}

// NamedTrainees lists the distinct residents of a village named on a
// training held up to a date: the people behind a digital-skills rate.
func (s *Store) NamedTrainees(ctx context.Context, villageID int64, at domain.Date) ([]int64, error) {
	rs, err := s.r.QueryContext(ctx, `SELECT DISTINCT a.resident_id FROM training_attendees a JOIN trainings t ON t.id = a.training_id
		JOIN residents r ON r.id = a.resident_id WHERE r.village_id = $1 AND t.on_date <= $2 ORDER BY a.resident_id`, villageID, at)
	if err != nil {
		return nil, internal("trainees", err)
	}
	defer rs.Close()
	var out []int64
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return nil, internal("trainees", err)
		}
		out = append(out, id)
	}
	return out, internal("trainees", rs.Err())
}
