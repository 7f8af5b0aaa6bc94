package store

import (
	"context"
	"database/sql"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

const consentCols = `c.id, c.subject_kind, c.subject_id, COALESCE(c.unit_id, 0), c.purpose, c.given_on, c.how, c.note, c.withdrawn_on,
	COALESCE(c.recorded_by, 0), c.created_at`

func scanConsent(sc interface{ Scan(...any) error }) (domain.Consent, error) {
	var c domain.Consent
	err := sc.Scan(&c.ID, &c.SubjectKind, &c.SubjectID, &c.UnitID, &c.Purpose, &c.GivenOn, &c.How, &c.Note, &c.WithdrawnOn, &c.RecordedBy, &c.CreatedAt)
	return c, err
}

// consentSubject checks that a may record consents of the subject and
// returns the unit the consent belongs to: a member's team's unit
// (team:manage), a resident's village (resident:edit).
func (s *Store) consentSubject(ctx context.Context, a *domain.Actor, kind string, id int64) (int64, domain.Member, error) {
	switch kind {
	case "member":
		m, err := s.MemberByID(ctx, id)
		if err != nil {
			return 0, m, err
		}
		if err := s.teamInScope(ctx, a, m.TeamID); err != nil {
			return 0, m, domain.Errorf(domain.ENOTFOUND, "member.not_found")
		}
		unit, err := s.teamUnitNow(ctx, s.w, m.TeamID)
		return unit, m, err
	case "resident":
		r, err := s.Resident(ctx, a.Scope(domain.PermResidentEdit), id)
		return r.VillageID, domain.Member{}, err
	}
	return 0, domain.Member{}, domain.Errorf(domain.EINVALID, "consent.purpose_invalid").WithField("consent_purpose")
}

// teamUnitNow is the unit a team belongs to now (or last belonged to).
func (s *Store) teamUnitNow(ctx context.Context, q querier, teamID int64) (int64, error) {
	var u int64
	err := q.QueryRowContext(ctx, `SELECT unit_id FROM team_units WHERE team_id = $1
		ORDER BY CASE WHEN valid_to IS NULL THEN 0 ELSE 1 END, valid_to DESC LIMIT 1`, teamID).Scan(&u)
	if err == sql.ErrNoRows {
		return 0, domain.Errorf(domain.ENOTFOUND, "team.not_found")
	}
	return u, internal("team unit", err)
}

// RecordConsent records a consent. A member's public_phone consent puts
// the phone on the village page (phone_public and consent_on follow it);
// a consent already in force for the same purpose is ECONFLICT.
func (s *Store) RecordConsent(ctx context.Context, a *domain.Actor, c domain.Consent) (domain.Consent, error) {
	c.Note = textvi.Normalize(c.Note)
	if err := c.Validate(domain.DateOf(s.now())); err != nil {
		return c, err
	}
	unit, m, err := s.consentSubject(ctx, a, c.SubjectKind, c.SubjectID)
	if err != nil {
		return c, err
	}
	if c.SubjectKind == "member" && c.Purpose == domain.ConsentPublicPhone && m.Phone == "" {
		return c, domain.Errorf(domain.EINVALID, "consent.no_phone").WithField("consent_purpose")
	}
	c.UnitID, c.RecordedBy, c.CreatedAt = unit, a.User.ID, s.now()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM consents WHERE subject_kind = $1 AND subject_id = $2 AND purpose = $3 AND withdrawn_on IS NULL`,
			c.SubjectKind, c.SubjectID, c.Purpose).Scan(&open); err != nil {
			return internal("consents", err)
		}
		if open > 0 {
			return domain.Errorf(domain.ECONFLICT, "consent.already").WithField("consent_purpose")
		}
		var err error
		if c.ID, err = s.insertConsent(ctx, tx, c); err != nil {
			return err
		}
		if err := s.followConsent(ctx, tx, c.SubjectKind, c.SubjectID, c.Purpose, c.GivenOn, true); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "consent", Entity: c.SubjectKind, EntityID: strconv.FormatInt(c.SubjectID, 10), UnitID: unit,
			Changes: []Change{Plain("purpose", "", c.Purpose), Plain("given_on", "", c.GivenOn.String()), Plain("how", "", c.How)}})
	})
	return c, err
}

func (s *Store) insertConsent(ctx context.Context, q querier, c domain.Consent) (int64, error) {
	var unit, by any
	if c.UnitID != 0 {
		unit = c.UnitID
	}
	if c.RecordedBy != 0 {
		by = c.RecordedBy
	}
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO consents (subject_kind, subject_id, unit_id, purpose, given_on, how, note, withdrawn_on, recorded_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		c.SubjectKind, c.SubjectID, unit, c.Purpose, c.GivenOn, c.How, c.Note, c.WithdrawnOn, by, s.now()).Scan(&id)
	return id, internal("insert consent", err)
}

// followConsent keeps a member's phone_public and consent_on equal to the
// public_phone consent in force, so every reader of PublicPhone (village
// page, poster, announcements, criteria) obeys the consents table.
func (s *Store) followConsent(ctx context.Context, q querier, kind string, id int64, purpose string, given domain.Date, inForce bool) error {
	if kind != "member" || purpose != domain.ConsentPublicPhone {
		return nil
	}
	var on any
	if inForce {
		on = given
	}
	_, err := q.ExecContext(ctx, "UPDATE team_members SET phone_public = $1, consent_on = $2, updated_at = $3, version = version + 1 WHERE id = $4",
		inForce, on, s.now(), id)
	return internal("member consent", err)
}

// WithdrawConsent ends a consent on a day (not before it was given, not
// after today); from that day the phone leaves the village page.
func (s *Store) WithdrawConsent(ctx context.Context, a *domain.Actor, id int64, on domain.Date) (domain.Consent, error) {
	c, err := scanConsent(s.r.QueryRowContext(ctx, "SELECT "+consentCols+" FROM consents c WHERE c.id = $1", id))
	if err == sql.ErrNoRows {
		return c, domain.Errorf(domain.ENOTFOUND, "consent.not_found")
	}
	if err != nil {
		return c, internal("consent", err)
	}
	if _, _, err := s.consentSubject(ctx, a, c.SubjectKind, c.SubjectID); err != nil {
		return c, domain.Errorf(domain.ENOTFOUND, "consent.not_found")
	}
	today := domain.DateOf(s.now())
	switch {
	case !c.WithdrawnOn.IsZero():
		return c, domain.Errorf(domain.ECONFLICT, "consent.already_withdrawn").WithField("withdrawn_on")
	case on.IsZero():
		return c, domain.Errorf(domain.EINVALID, "consent.withdrawn_missing").WithField("withdrawn_on")
	case on.Before(c.GivenOn):
		return c, domain.Errorf(domain.EINVALID, "consent.withdrawn_before_given", "given", c.GivenOn.VN()).WithField("withdrawn_on")
	case on.After(today):
		return c, domain.Errorf(domain.EINVALID, "consent.withdrawn_future").WithField("withdrawn_on")
	}
	c.WithdrawnOn = on
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE consents SET withdrawn_on = $1 WHERE id = $2 AND withdrawn_on IS NULL", on, id)
		if err != nil {
			return internal("withdraw consent", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ECONFLICT, "consent.already_withdrawn").WithField("withdrawn_on")
		}
		if err := s.followConsent(ctx, tx, c.SubjectKind, c.SubjectID, c.Purpose, domain.Date{}, false); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "consent_withdraw", Entity: c.SubjectKind, EntityID: strconv.FormatInt(c.SubjectID, 10), UnitID: c.UnitID,
			Changes: []Change{Plain("purpose", c.Purpose, c.Purpose), Plain("withdrawn_on", "", on.String())}})
	})
	return c, err
}

// Consents lists a subject's consents, newest first.
func (s *Store) Consents(ctx context.Context, kind string, id int64) ([]domain.Consent, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT "+consentCols+" FROM consents c WHERE c.subject_kind = $1 AND c.subject_id = $2 ORDER BY c.given_on DESC, c.id DESC", kind, id)
	if err != nil {
		return nil, internal("consents", err)
	}
	defer rs.Close()
	var out []domain.Consent
	for rs.Next() {
		c, err := scanConsent(rs)
		if err != nil {
			return nil, internal("consents", err)
		}
		out = append(out, c)
	}
	return out, rs.Err()
}

// recordMemberConsents adds, for members that show their phone with a
// consent date and have no consent in force, the public_phone consent
// they gave (new members, the demo's teams). how is the way it was given.
func (s *Store) recordMemberConsents(ctx context.Context, q querier, a *domain.Actor, teamIDs []int64, how string) error {
	if len(teamIDs) == 0 {
		return nil
	}
	if how == "" {
		how = "unknown"
	}
	var by int64
	if a != nil {
		by = a.User.ID
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	ph := ""
	for i, id := range teamIDs {
		if i > 0 {
			ph += ", "
		}
		ph += arg(id)
	}
	rs, err := q.QueryContext(ctx, `SELECT m.id, m.team_id, m.consent_on FROM team_members m WHERE m.team_id IN (`+ph+`) AND m.phone_public AND m.consent_on IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.subject_kind = 'member' AND c.subject_id = m.id AND c.purpose = 'public_phone' AND c.withdrawn_on IS NULL)
		ORDER BY m.id`, args...)
	if err != nil {
		return internal("member consents", err)
	}
	var cs []domain.Consent
	for rs.Next() {
		var c domain.Consent
		if err := rs.Scan(&c.SubjectID, &c.UnitID, &c.GivenOn); err != nil {
			rs.Close()
			return internal("member consents", err)
		}
		cs = append(cs, c)
	}
	rs.Close()
	units := map[int64]int64{}
	for _, c := range cs {
		team := c.UnitID
		if _, ok := units[team]; !ok {
			if units[team], err = s.teamUnitNow(ctx, q, team); err != nil {
				return err
			}
		}
		c.SubjectKind, c.Purpose, c.How, c.RecordedBy, c.UnitID = "member", domain.ConsentPublicPhone, how, by, units[team]
		if _, err := s.insertConsent(ctx, q, c); err != nil {
			return err
		}
	}
	return nil
}
