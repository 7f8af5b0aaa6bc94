package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// SessionLog is one held session: who came, how many residents were
// helped, what was done.
type SessionLog struct {
	ID              int64
	TeamID          int64
	On              domain.Date
	SlotID          int64
	ResidentsHelped int
	Notes           string
	MemberIDs       []int64
	// Dossiers received that day in the team's village(s), residents'
	// and practice apart: the dossiers opened in this session (read only).
	Dossiers, Practice int
}

// LogSession records a held session; the members must be on the team on
// that date, and the date not in the future.
func (s *Store) LogSession(ctx context.Context, a *domain.Actor, l SessionLog) (SessionLog, error) {
	if err := s.teamInScope(ctx, a, l.TeamID); err != nil {
		return l, err
	}
	if l.On.IsZero() || l.On.After(domain.DateOf(s.now())) {
		return l, domain.Errorf(domain.EINVALID, "log.date_invalid").WithField("on")
	}
	if l.ResidentsHelped < 0 || l.ResidentsHelped > 10000 {
		return l, domain.Errorf(domain.EINVALID, "log.count_invalid").WithField("residents_helped")
	}
	active, err := s.Members(ctx, l.TeamID, l.On)
	if err != nil {
		return l, err
	}
	on := map[int64]bool{}
	for _, m := range active {
		on[m.ID] = true
	}
	for _, id := range l.MemberIDs {
		if !on[id] {
			return l, domain.Errorf(domain.EINVALID, "log.member_invalid").WithField("members")
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var slot, by any
		if l.SlotID != 0 {
			slot = l.SlotID
		}
		if a.User.ID != 0 {
			by = a.User.ID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO session_logs (team_id, on_date, slot_id, residents_helped, notes, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, l.TeamID, l.On, slot, l.ResidentsHelped, textvi.Normalize(l.Notes), by, s.now()).Scan(&l.ID); err != nil {
			return internal("log session", err)
		}
		for _, m := range l.MemberIDs {
			if _, err := tx.ExecContext(ctx, "INSERT INTO session_attendance (log_id, member_id) VALUES ($1, $2)", l.ID, m); err != nil {
				return internal("log session", err)
			}
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "session_log", EntityID: strconv.FormatInt(l.ID, 10),
			Changes: []Change{Plain("on", "", l.On.String()), Plain("residents_helped", "", strconv.Itoa(l.ResidentsHelped)), Plain("members", "", joinIDs(l.MemberIDs))}})
	})
	return l, err
}

// SessionLogs lists a team's held sessions, newest first.
func (s *Store) SessionLogs(ctx context.Context, teamID int64, limit int) ([]SessionLog, error) {
	rs, err := s.r.QueryContext(ctx, `SELECT id, team_id, on_date, COALESCE(slot_id, 0), residents_helped, notes FROM session_logs
		WHERE team_id = $1 ORDER BY on_date DESC, id DESC LIMIT $2`, teamID, limit)
	if err != nil {
		return nil, internal("session logs", err)
	}
	var out []SessionLog
	for rs.Next() {
		var l SessionLog
		if err := rs.Scan(&l.ID, &l.TeamID, &l.On, &l.SlotID, &l.ResidentsHelped, &l.Notes); err != nil {
			rs.Close()
			return nil, internal("session logs", err)
		}
		out = append(out, l)
	}
	rs.Close()
	for i := range out {
		ar, err := s.r.QueryContext(ctx, "SELECT member_id FROM session_attendance WHERE log_id = $1 ORDER BY member_id", out[i].ID)
		if err != nil {
			return nil, internal("session logs", err)
		}
		for ar.Next() {
			var id int64
			ar.Scan(&id)
			out[i].MemberIDs = append(out[i].MemberIDs, id)
		}
		ar.Close()
		if err := s.r.QueryRowContext(ctx, `SELECT COALESCE(sum(CASE WHEN NOT d.practice THEN 1 ELSE 0 END), 0), COALESCE(sum(CASE WHEN d.practice THEN 1 ELSE 0 END), 0)
			FROM dossiers d JOIN team_units tu ON tu.unit_id = d.village_id AND tu.team_id = $1 AND `+live("tu", 2)+`
			WHERE d.received_on = $2 AND d.state <> 'voided'`, out[i].TeamID, out[i].On).Scan(&out[i].Dossiers, &out[i].Practice); err != nil {
			return nil, internal("session logs", err)
		}
	}
	return out, nil
}

// Channels an announcement goes out on.
var Channels = []string{"loudspeaker", "zalo", "door_to_door", "notice_board"}

// Announcement is a thông báo with the channels and dates it was used.
type Announcement struct {
	ID       int64
	TeamID   int64
	Body     string
	Uses     []AnnouncementUse
	Villages []int64 // target villages; empty: the team's own unit
}

// AnnouncementUse is one channel on one date.
type AnnouncementUse struct {
	Channel string
	On      domain.Date
}

// AddAnnouncement records an announcement and where it was made.
func (s *Store) AddAnnouncement(ctx context.Context, a *domain.Actor, an Announcement) (Announcement, error) {
	an.Body = strings.TrimSpace(an.Body)
	if an.Body == "" {
		return an, domain.Errorf(domain.EINVALID, "announcement.body_missing").WithField("body")
	}
	if len(an.Uses) == 0 {
		return an, domain.Errorf(domain.EINVALID, "announcement.channel_missing").WithField("channels")
	}
	for _, u := range an.Uses {
		ok := false
		for _, c := range Channels {
			ok = ok || c == u.Channel
		}
		if !ok || u.On.IsZero() {
			return an, domain.Errorf(domain.EINVALID, "announcement.channel_missing").WithField("channels")
		}
	}
	if err := s.teamInScope(ctx, a, an.TeamID); err != nil {
		return an, err
	}
	team, err := s.Team(ctx, an.TeamID, domain.DateOf(s.now()))
	if err != nil {
		return an, err
	}
	for _, v := range an.Villages {
		// Only villages of the team's own unit (its commune, or itself).
		if ok, err := s.Covers(ctx, domain.Scope{UnitIDs: []int64{team.UnitID}}, v); err != nil || !ok {
			if err != nil {
				return an, err
			}
			return an, domain.Errorf(domain.EINVALID, "announcement.village_invalid").WithField("villages")
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var by any
		if a.User.ID != 0 {
			by = a.User.ID
		}
		if err := tx.QueryRowContext(ctx, "INSERT INTO announcements (team_id, body, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
			an.TeamID, an.Body, by, s.now()).Scan(&an.ID); err != nil {
			return internal("announcement", err)
		}
		for _, u := range an.Uses {
			if _, err := tx.ExecContext(ctx, "INSERT INTO announcement_uses (announcement_id, channel, used_on) VALUES ($1, $2, $3)", an.ID, u.Channel, u.On); err != nil {
				return internal("announcement", err)
			}
		}
		for _, v := range an.Villages {
			if _, err := tx.ExecContext(ctx, "INSERT INTO announcement_villages (announcement_id, village_id) VALUES ($1, $2)", an.ID, v); err != nil {
				return internal("announcement", err)
			}
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "announcement", EntityID: strconv.FormatInt(an.ID, 10)})
	})
	return an, err
}

// Announcements lists a team's announcements, newest first.
func (s *Store) Announcements(ctx context.Context, teamID int64) ([]Announcement, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT id, team_id, body FROM announcements WHERE team_id = $1 ORDER BY id DESC", teamID)
	if err != nil {
		return nil, internal("announcements", err)
	}
	var out []Announcement
	for rs.Next() {
		var an Announcement
		if err := rs.Scan(&an.ID, &an.TeamID, &an.Body); err != nil {
			rs.Close()
			return nil, internal("announcements", err)
		}
		out = append(out, an)
	}
	rs.Close()
	for i := range out {
		ur, err := s.r.QueryContext(ctx, "SELECT channel, used_on FROM announcement_uses WHERE announcement_id = $1 ORDER BY used_on", out[i].ID)
		if err != nil {
			return nil, internal("announcements", err)
		}
		for ur.Next() {
			var u AnnouncementUse
			ur.Scan(&u.Channel, &u.On)
			out[i].Uses = append(out[i].Uses, u)
		}
		ur.Close()
		vr, err := s.r.QueryContext(ctx, "SELECT village_id FROM announcement_villages WHERE announcement_id = $1 ORDER BY village_id", out[i].ID)
		if err != nil {
			return nil, internal("announcements", err)
		}
		for vr.Next() {
			var v int64
			vr.Scan(&v)
			out[i].Villages = append(out[i].Villages, v)
		}
		vr.Close()
	}
	return out, nil
}
