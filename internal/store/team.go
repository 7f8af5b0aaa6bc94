package store

import (
	"context"
	"database/sql"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

const teamCols = "t.id, t.kind, t.name, t.decision_no, t.decision_date, t.started_on, t.ended_on, t.version"

func scanTeam(sc interface{ Scan(...any) error }, extra ...any) (domain.Team, error) {
	var t domain.Team
	err := sc.Scan(append([]any{&t.ID, &t.Kind, &t.Name, &t.DecisionNo, &t.DecisionDate, &t.StartedOn, &t.EndedOn, &t.Version}, extra...)...)
	return t, err
}

// CreateTeam sets up a team on a village (village team) or a commune
// (community team) in the actor's team:manage scope.
func (s *Store) CreateTeam(ctx context.Context, a *domain.Actor, t domain.Team) (domain.Team, error) {
	t.Name = textvi.Normalize(t.Name)
	if t.Name == "" {
		return t, domain.Errorf(domain.EINVALID, "team.name_missing").WithField("name")
	}
	if t.Kind != domain.TeamVillage && t.Kind != domain.TeamCommunity {
		return t, domain.Errorf(domain.EINVALID, "team.kind_invalid").WithField("kind")
	}
	if err := s.inScope(ctx, a.Scope(domain.PermTeamManage), t.UnitID, "unit.not_found"); err != nil {
		return t, err
	}
	var lv domain.Level
	if err := s.r.QueryRowContext(ctx, "SELECT level FROM units WHERE id = $1", t.UnitID).Scan(&lv); err != nil {
		return t, domain.Errorf(domain.ENOTFOUND, "unit.not_found")
	}
	if (t.Kind == domain.TeamVillage) != (lv == domain.LevelVillage) || (t.Kind == domain.TeamCommunity && lv != domain.LevelCommune) {
		return t, domain.Errorf(domain.EINVALID, "team.unit_level").WithField("unit")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO teams (kind, name, decision_no, decision_date, started_on, ended_on, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1) RETURNING id`, string(t.Kind), t.Name, t.DecisionNo, t.DecisionDate, t.StartedOn, t.EndedOn, now).Scan(&t.ID); err != nil {
			return internal("create team", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO team_units (team_id, unit_id, valid_from, valid_to) VALUES ($1, $2, $3, NULL)", t.ID, t.UnitID, t.StartedOn); err != nil {
			return internal("create team", err)
		}
		t.Version = 1
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "team", EntityID: strconv.FormatInt(t.ID, 10), UnitID: t.UnitID,
			Changes: []Change{Plain("name", "", t.Name), Plain("kind", "", string(t.Kind)), Plain("decision_no", "", t.DecisionNo)}})
	})
	return t, err
}

// Team reads a team with the unit it belonged to on at (team facts are
// public: name, schedule; members' phones only with consent).
func (s *Store) Team(ctx context.Context, id int64, at domain.Date) (domain.Team, error) {
	var unit sql.NullInt64
	t, err := scanTeam(s.r.QueryRowContext(ctx, "SELECT "+teamCols+`, (SELECT tu.unit_id FROM team_units tu WHERE tu.team_id = t.id
		AND (tu.valid_from IS NULL OR tu.valid_from <= $2) ORDER BY COALESCE(tu.valid_from, '0000-01-01') DESC LIMIT 1)
		FROM teams t WHERE t.id = $1`, id, at), &unit)
	if err == sql.ErrNoRows {
		return t, domain.Errorf(domain.ENOTFOUND, "team.not_found")
	}
	if !unit.Valid {
		// Asked for a date before the team began: the unit it began with.
		_ = s.r.QueryRowContext(ctx, "SELECT unit_id FROM team_units WHERE team_id = $1 ORDER BY COALESCE(valid_from, '0000-01-01') LIMIT 1", id).Scan(&unit)
	}
	t.UnitID = unit.Int64
	return t, internal("team", err)
}

// TeamsOf lists the teams belonging to a unit on a date.
func (s *Store) TeamsOf(ctx context.Context, unitID int64, at domain.Date) ([]domain.Team, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT "+teamCols+", tu.unit_id FROM teams t JOIN team_units tu ON tu.team_id = t.id WHERE tu.unit_id = $1 AND "+live("tu", 2)+
		" ORDER BY t.name", unitID, at)
	if err != nil {
		return nil, internal("teams", err)
	}
	defer rs.Close()
	var out []domain.Team
	for rs.Next() {
		var t domain.Team
		if t, err = scanTeam(rs, &t.UnitID); err != nil {
			return nil, internal("teams", err)
		}
		out = append(out, t)
	}
	return out, rs.Err()
}

const memberCols = `m.id, m.team_id, COALESCE(m.resident_id, 0), m.full_name, COALESCE(m.phone, ''), m.role, m.position, m.joined_on, m.left_on,
	m.phone_public, m.consent_on, m.version`

func scanMember(sc interface{ Scan(...any) error }) (domain.Member, error) {
	var m domain.Member
	err := sc.Scan(&m.ID, &m.TeamID, &m.ResidentID, &m.FullName, &m.Phone, &m.Role, &m.Position, &m.JoinedOn, &m.LeftOn, &m.PhonePublic, &m.ConsentOn, &m.Version)
	return m, err
}

// teamUnitScope checks the actor's team:manage scope on the team's unit
// today (and on any unit it had: the scope covers what was recorded there).
func (s *Store) teamInScope(ctx context.Context, a *domain.Actor, teamID int64) error {
	rs, err := s.r.QueryContext(ctx, "SELECT unit_id FROM team_units WHERE team_id = $1", teamID)
	if err != nil {
		return internal("team scope", err)
	}
	var units []int64
	for rs.Next() {
		var u int64
		rs.Scan(&u)
		units = append(units, u)
	}
	rs.Close()
	for _, u := range units {
		if ok, err := s.Covers(ctx, a.Scope(domain.PermTeamManage), u); err != nil || ok {
			return err
		}
	}
	return domain.Errorf(domain.ENOTFOUND, "team.not_found")
}

// AddMember puts a person on a team.
func (s *Store) AddMember(ctx context.Context, a *domain.Actor, m domain.Member) (domain.Member, error) {
	m.FullName = textvi.Normalize(m.FullName)
	p, err := domain.ParsePhone(m.Phone)
	if err != nil {
		return m, err
	}
	m.Phone = p
	if err := m.Validate(); err != nil {
		return m, err
	}
	if ok, err := s.positionKnown(ctx, m.Position); err != nil || !ok {
		if err != nil {
			return m, err
		}
		return m, domain.Errorf(domain.EINVALID, "member.position_invalid").WithField("position")
	}
	if err := s.teamInScope(ctx, a, m.TeamID); err != nil {
		return m, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		m.ID, err = s.insertMember(ctx, tx, m)
		if err != nil {
			return err
		}
		m.Version = 1
		if err := s.recordMemberConsents(ctx, tx, a, []int64{m.TeamID}, m.ConsentHow); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "member", EntityID: strconv.FormatInt(m.ID, 10),
			Changes: []Change{Personal("full_name"), Personal("phone"), Plain("role", "", string(m.Role)), Plain("position", "", m.Position),
				Plain("joined_on", "", m.JoinedOn.String()), Plain("phone_public", "", strconv.FormatBool(m.PhonePublic))}})
	})
	return m, err
}

func (s *Store) insertMember(ctx context.Context, q querier, m domain.Member) (int64, error) {
	var res, phone any
	if m.ResidentID != 0 {
		res = m.ResidentID
	}
	if m.Phone != "" {
		phone = m.Phone
	}
	var id int64
	now := s.now()
	err := q.QueryRowContext(ctx, `INSERT INTO team_members (team_id, resident_id, full_name, phone, role, position, joined_on, left_on, phone_public, consent_on, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 1) RETURNING id`,
		m.TeamID, res, m.FullName, phone, string(m.Role), m.Position, m.JoinedOn, m.LeftOn, m.PhonePublic, m.ConsentOn, now).Scan(&id)
	return id, internal("add member", err)
}

// Members lists a team's members on a date (all members when at is zero),
// leader first.
func (s *Store) Members(ctx context.Context, teamID int64, at domain.Date) ([]domain.Member, error) {
	q := "SELECT " + memberCols + " FROM team_members m WHERE m.team_id = $1"
	args := []any{teamID}
	if !at.IsZero() {
		q += " AND m.joined_on <= $2 AND (m.left_on IS NULL OR m.left_on >= $2)"
		args = append(args, at)
	}
	rs, err := s.r.QueryContext(ctx, q+" ORDER BY CASE m.role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, m.id", args...)
	if err != nil {
		return nil, internal("members", err)
	}
	defer rs.Close()
	var out []domain.Member
	for rs.Next() {
		m, err := scanMember(rs)
		if err != nil {
			return nil, internal("members", err)
		}
		out = append(out, m)
	}
	return out, rs.Err()
}

// MemberCounts counts, on a date, the members of the village teams of the
// villages under unitID and of the community teams of the communes under
// it (the unit as it was on that date).
func (s *Store) MemberCounts(ctx context.Context, unitID int64, at domain.Date) (village, community int, err error) {
	down := `WITH RECURSIVE down(id) AS (SELECT CAST($1 AS BIGINT) UNION SELECT p.unit_id FROM unit_parents p JOIN down ON p.parent_id = down.id
		WHERE ` + live("p", 2) + `)`
	err = s.r.QueryRowContext(ctx, down+` SELECT
		COALESCE(sum(CASE WHEN t.kind = 'village' THEN 1 ELSE 0 END), 0), COALESCE(sum(CASE WHEN t.kind = 'community' THEN 1 ELSE 0 END), 0)
		FROM team_members m JOIN teams t ON t.id = m.team_id JOIN team_units tu ON tu.team_id = t.id AND `+live("tu", 2)+`
		WHERE tu.unit_id IN (SELECT id FROM down) AND m.joined_on <= $2 AND (m.left_on IS NULL OR m.left_on >= $2)`, unitID, at).Scan(&village, &community)
	return village, community, internal("member counts", err)
}

// MemberByID reads one team member; none is ENOTFOUND.
func (s *Store) MemberByID(ctx context.Context, id int64) (domain.Member, error) {
	m, err := scanMember(s.r.QueryRowContext(ctx, "SELECT "+memberCols+" FROM team_members m WHERE m.id = $1", id))
	if err == sql.ErrNoRows {
		return m, domain.Errorf(domain.ENOTFOUND, "member.not_found")
	}
	return m, internal("member", err)
}
