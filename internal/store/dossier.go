package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

const dossierCols = `d.id, d.village_id, d.procedure_id, COALESCE(d.applicant_id, 0), d.applicant_name, COALESCE(d.applicant_phone, ''), d.subject_name,
	d.practice, COALESCE(d.member_id, 0), d.portal, COALESCE(d.portal_code, ''), d.lookup_code, d.state, d.received_on, d.submitted_on,
	d.collected_on, d.returned_on, d.ended_on, d.last_step_on, d.version, d.documents_received`

func scanDossier(sc interface{ Scan(...any) error }) (domain.Dossier, error) {
	var d domain.Dossier
	var docs string
	err := sc.Scan(&d.ID, &d.VillageID, &d.ProcedureID, &d.ApplicantID, &d.ApplicantName, &d.ApplicantPhone, &d.SubjectName, &d.Practice,
		&d.MemberID, &d.Portal, &d.PortalCode, &d.LookupCode, &d.State, &d.ReceivedOn, &d.SubmittedOn, &d.CollectedOn, &d.ReturnedOn,
		&d.EndedOn, &d.LastStepOn, &d.Version, &docs)
	d.DocumentsReceived = domain.SplitDocuments(docs)
	return d, err
}

// NewDossier is a dossier received at a session (step 1).
type NewDossier struct {
	VillageID      int64
	ProcedureCode  string
	ApplicantID    int64
	ApplicantName  string
	ApplicantPhone string
	SubjectName    string
	Practice       bool
	MemberID       int64
	HelperIDs      []int64 // other members who helped (with no MemberID the first becomes it)
	ReceivedOn     domain.Date
	Note           string
	Linked         []string // codes of procedures filed together (liên thông)
	LookupCode     string   // made offline on a registered phone (checked by the caller), else made here
}

// ReceiveDossier records step 1 in a village of the actor's dossier:edit
// scope, with a fresh lookup code for the receipt slip.
func (s *Store) ReceiveDossier(ctx context.Context, a *domain.Actor, n NewDossier) (domain.Dossier, error) {
	var d domain.Dossier
	if err := s.inScope(ctx, a.Scope(domain.PermDossierEdit), n.VillageID, "unit.not_found"); err != nil {
		return d, err
	}
	p, err := s.Procedure(ctx, n.ProcedureCode)
	if err != nil {
		return d, domain.Errorf(domain.EINVALID, "procedure.not_found", "code", n.ProcedureCode).WithField("procedure")
	}
	if p.Retired(n.ReceivedOn) {
		return d, domain.Errorf(domain.EINVALID, "procedure.retired", "code", p.Code, "date", p.RetiredOn).WithField("procedure")
	}
	if err := domain.CheckStepDate(n.ReceivedOn, domain.Date{}, domain.DateOf(s.now())); err != nil {
		return d, err
	}
	linked, err := s.linkedProcedures(ctx, p, n.Linked, n.ReceivedOn)
	if err != nil {
		return d, err
	}
	if n.MemberID == 0 && len(n.HelperIDs) > 0 {
		n.MemberID, n.HelperIDs = n.HelperIDs[0], n.HelperIDs[1:]
	}
	if n.MemberID != 0 {
		if err := s.checkVillageMember(ctx, n.VillageID, n.MemberID, n.ReceivedOn); err != nil {
			return d, err
		}
	}
	if len(n.HelperIDs) > 5 {
		return d, domain.Errorf(domain.EINVALID, "dossier.helpers_many").WithField("helpers")
	}
	seen := map[int64]bool{n.MemberID: true}
	for _, h := range n.HelperIDs {
		if seen[h] {
			return d, domain.Errorf(domain.EINVALID, "dossier.helper_twice").WithField("helpers")
		}
		seen[h] = true
		if err := s.checkVillageMember(ctx, n.VillageID, h, n.ReceivedOn); err != nil {
			if e, ok := domain.AsError(err); ok && e.Code == domain.EINVALID {
				return d, domain.Errorf(domain.EINVALID, "dossier.member_invalid", "date", n.ReceivedOn).WithField("helpers")
			}
			return d, err
		}
	}
	name := textvi.Normalize(n.ApplicantName)
	if n.ApplicantID != 0 {
		r, err := s.Resident(ctx, a.Scope(domain.PermResidentView), n.ApplicantID)
		if err != nil {
			return d, domain.Errorf(domain.EINVALID, "resident.not_found").WithField("applicant")
		}
		name = r.FullName
	}
	if name == "" {
		return d, domain.Errorf(domain.EINVALID, "dossier.applicant_missing").WithField("applicant")
	}
	for _, c := range []struct {
		v     string
		max   int
		field string
	}{{name, domain.MaxName, "applicant"}, {n.SubjectName, domain.MaxName, "subject_name"}, {n.Note, domain.MaxNote, "note"}} {
		if err := domain.CheckLength(c.v, c.max, c.field); err != nil {
			return d, err
		}
	}
	phone, err := domain.ParsePhone(n.ApplicantPhone)
	if err != nil {
		return d, err
	}
	d = domain.Dossier{VillageID: n.VillageID, ProcedureID: p.ID, ApplicantID: n.ApplicantID, ApplicantName: name, ApplicantPhone: phone,
		SubjectName: textvi.Normalize(n.SubjectName), Practice: n.Practice, MemberID: n.MemberID, HelperIDs: n.HelperIDs, Portal: p.Portal, State: domain.StateReceived,
		ReceivedOn: n.ReceivedOn, LastStepOn: n.ReceivedOn, Version: 1}
	linkedCodes := make([]string, len(linked))
	for i, lp := range linked {
		d.Linked = append(d.Linked, lp.ID)
		linkedCodes[i] = lp.Code
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if n.LookupCode != "" { // made offline: it must not be taken
			var taken int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM dossiers WHERE lookup_code = $1", n.LookupCode).Scan(&taken); err != nil {
				return internal("dossier", err)
			}
			if taken > 0 {
				return domain.Errorf(domain.ECONFLICT, "sync.lookup_taken", "code", n.LookupCode).WithField("lookup_code")
			}
			d.LookupCode = n.LookupCode
		}
		for d.LookupCode == "" { // a lookup code never repeats
			code := domain.NewLookupCode()
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM dossiers WHERE lookup_code = $1", code).Scan(&n); err != nil {
				return internal("dossier", err)
			}
			if n == 0 {
				d.LookupCode = code
			}
		}
		var app, ph, mem any
		if d.ApplicantID != 0 {
			app = d.ApplicantID
		}
		if d.ApplicantPhone != "" {
			ph = d.ApplicantPhone
		}
		if d.MemberID != 0 {
			mem = d.MemberID
		}
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO dossiers (village_id, procedure_id, applicant_id, applicant_name, applicant_phone, subject_name,
			practice, member_id, portal, lookup_code, state, received_on, last_step_on, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $13, 1) RETURNING id`,
			d.VillageID, d.ProcedureID, app, d.ApplicantName, ph, d.SubjectName, d.Practice, mem, d.Portal, d.LookupCode, string(d.State), d.ReceivedOn, now).Scan(&d.ID); err != nil {
			return internal("dossier", err)
		}
		if err := s.addStep(ctx, tx, a, d.ID, "receive", "", domain.StateReceived, d.ReceivedOn, n.Note); err != nil {
			return err
		}
		for _, pid := range d.Linked {
			if _, err := tx.ExecContext(ctx, "INSERT INTO dossier_links (dossier_id, procedure_id) VALUES ($1, $2)", d.ID, pid); err != nil {
				return internal("dossier links", err)
			}
		}
		for _, h := range d.HelperIDs {
			if _, err := tx.ExecContext(ctx, "INSERT INTO dossier_helpers (dossier_id, member_id) VALUES ($1, $2)", d.ID, h); err != nil {
				return internal("dossier helpers", err)
			}
		}
		changes := []Change{Plain("procedure", "", p.Code), Personal("applicant"), Plain("practice", "", strconv.FormatBool(d.Practice))}
		if len(d.HelperIDs) > 0 {
			changes = append(changes, Plain("helpers", "", joinIDs(d.HelperIDs)))
		}
		if len(linkedCodes) > 0 {
			changes = append(changes, Plain("linked", "", strings.Join(linkedCodes, ", ")))
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "dossier", EntityID: strconv.FormatInt(d.ID, 10), UnitID: d.VillageID, Changes: changes})
	})
	return d, err
}

func (s *Store) addStep(ctx context.Context, tx *sql.Tx, a *domain.Actor, id int64, action string, from, to domain.DossierState, on domain.Date, note string) error {
	var by any
	if a != nil && a.User.ID != 0 {
		by = a.User.ID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO dossier_steps (dossier_id, action, from_state, to_state, on_date, by_user, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, action, string(from), string(to), on, by, textvi.Normalize(note), s.now())
	return internal("dossier step", err)
}

// Dossier reads one dossier within scope.
func (s *Store) Dossier(ctx context.Context, scope domain.Scope, id int64) (domain.Dossier, error) {
	d, err := scanDossier(s.r.QueryRowContext(ctx, "SELECT "+dossierCols+" FROM dossiers d WHERE d.id = $1", id))
	if err == sql.ErrNoRows {
		return d, domain.Errorf(domain.ENOTFOUND, "dossier.not_found")
	}
	if err != nil {
		return d, internal("dossier", err)
	}
	if err := s.inScope(ctx, scope, d.VillageID, "dossier.not_found"); err != nil {
		return domain.Dossier{}, err
	}
	rs, err := s.r.QueryContext(ctx, "SELECT procedure_id FROM dossier_links WHERE dossier_id = $1 ORDER BY procedure_id", id)
	if err != nil {
		return d, internal("dossier links", err)
	}
	defer rs.Close()
	for rs.Next() {
		var pid int64
		if err := rs.Scan(&pid); err != nil {
			return d, internal("dossier links", err)
		}
		d.Linked = append(d.Linked, pid)
	}
	if err := rs.Err(); err != nil {
		return d, internal("dossier links", err)
	}
	hs, err := s.r.QueryContext(ctx, "SELECT member_id FROM dossier_helpers WHERE dossier_id = $1 ORDER BY member_id", id)
	if err != nil {
		return d, internal("dossier helpers", err)
	}
	defer hs.Close()
	for hs.Next() {
		var m int64
		if err := hs.Scan(&m); err != nil {
			return d, internal("dossier helpers", err)
		}
		d.HelperIDs = append(d.HelperIDs, m)
	}
	return d, internal("dossier helpers", hs.Err())
}

// linkedProcedures checks the codes filed together with main: each one
// in the catalogue, in force on the day, not main itself, no repeats.
func (s *Store) linkedProcedures(ctx context.Context, main domain.Procedure, codes []string, on domain.Date) ([]domain.Procedure, error) {
	var out []domain.Procedure
	seen := map[string]bool{main.Code: true}
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if c == main.Code {
			return nil, domain.Errorf(domain.EINVALID, "dossier.linked_same", "code", c).WithField("linked")
		}
		if seen[c] {
			continue
		}
		seen[c] = true
		p, err := s.Procedure(ctx, c)
		if err != nil {
			return nil, domain.Errorf(domain.EINVALID, "procedure.not_found", "code", c).WithField("linked")
		}
		if p.Retired(on) {
			return nil, domain.Errorf(domain.EINVALID, "procedure.retired", "code", p.Code, "date", p.RetiredOn).WithField("linked")
		}
		out = append(out, p)
	}
	return out, nil
}

// Step is an action asked for a dossier read at Version.
type Step struct {
	DossierID  int64
	Version    int
	Action     domain.DossierAction
	On         domain.Date
	Note       string // reason for decline, refusal, voiding; what is missing
	PortalCode string // with submit
}

// AdvanceDossier applies one step: the state machine decides what may
// follow, dates keep their order, a portal code is unique per portal, and
// a stale version (someone advanced it first) is ECONFLICT.
func (s *Store) AdvanceDossier(ctx context.Context, a *domain.Actor, st Step) (domain.Dossier, error) {
	d, err := s.Dossier(ctx, a.Scope(domain.PermDossierEdit), st.DossierID)
	if err != nil {
		return d, err
	}
	if st.Version != d.Version {
		// Someone advanced it since it was read: say so, not "wrong step".
		return d, domain.Errorf(domain.ECONFLICT, "record.stale")
	}
	var online bool
	var level string
	if err := s.r.QueryRowContext(ctx, "SELECT service_level FROM procedures WHERE id = $1", d.ProcedureID).Scan(&level); err != nil {
		return d, internal("dossier", err)
	}
	online = level == "full"
	to, err := domain.Transition(d.State, st.Action, online)
	if err != nil {
		return d, err
	}
	if err := domain.CheckStepDate(st.On, d.LastStepOn, domain.DateOf(s.now())); err != nil {
		return d, err
	}
	needsNote := st.Action == domain.ActDecline || st.Action == domain.ActRefuse || st.Action == domain.ActVoid || st.Action == domain.ActRequestCorrection
	if needsNote && strings.TrimSpace(st.Note) == "" {
		return d, domain.Errorf(domain.EINVALID, "dossier.reason_missing").WithField("note")
	}
	code := strings.TrimSpace(st.PortalCode)
	if st.Action == domain.ActSubmit {
		if code == "" && d.PortalCode == "" {
			return d, domain.Errorf(domain.EINVALID, "dossier.portal_code_missing").WithField("portal_code")
		}
		if code == "" {
			code = d.PortalCode
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if code != "" && code != d.PortalCode {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM dossiers WHERE portal = $1 AND portal_code = $2 AND id <> $3", d.Portal, code, d.ID).Scan(&n); err != nil {
				return internal("dossier", err)
			}
			if n > 0 {
				return domain.Errorf(domain.ECONFLICT, "dossier.portal_code_taken", "code", code).WithField("portal_code")
			}
		}
		sets := []string{"state = $1", "last_step_on = $2", "updated_at = $3", "version = version + 1"}
		args := []any{string(to), st.On, s.now()}
		add := func(col string, v any) {
			args = append(args, v)
			sets = append(sets, col+" = $"+strconv.Itoa(len(args)))
		}
		switch st.Action {
		case domain.ActSubmit, domain.ActResubmit:
			add("submitted_on", st.On)
			if code != "" {
				add("portal_code", code)
			}
		case domain.ActCollect:
			add("collected_on", st.On)
		case domain.ActReturn:
			add("returned_on", st.On)
		}
		if to.Final() {
			add("ended_on", st.On)
		}
		args = append(args, d.ID, st.Version) // the version the caller read
		res, err := tx.ExecContext(ctx, "UPDATE dossiers SET "+strings.Join(sets, ", ")+" WHERE id = $"+strconv.Itoa(len(args)-1)+" AND version = $"+strconv.Itoa(len(args)), args...)
		if err != nil {
			return internal("advance dossier", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ECONFLICT, "record.stale")
		}
		if err := s.addStep(ctx, tx, a, d.ID, string(st.Action), d.State, to, st.On, st.Note); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "dossier", EntityID: strconv.FormatInt(d.ID, 10), UnitID: d.VillageID,
			Changes: []Change{Plain("state", string(d.State), string(to))}})
	})
	if err != nil {
		return d, err
	}
	return s.Dossier(ctx, a.Scope(domain.PermDossierEdit), d.ID)
}

// DossierCount counts dossiers received by a date (CONVENTIONS.md: step 1
// on or before D, voided ones nowhere, refused and withdrawn counted),
// residents' and practice apart.
type DossierCount struct {
	Residents, Practice int
}

// CountDossiers counts for a unit on a date: as it was (villages under it
// on at) or re-attributed (villages under the unit as it is today).
func (s *Store) CountDossiers(ctx context.Context, unitID int64, at domain.Date, current bool) (DossierCount, error) {
	var c DossierCount
	treeAt := at
	if current {
		treeAt = domain.DateOf(s.now())
	}
	err := s.r.QueryRowContext(ctx, `WITH RECURSIVE down(id) AS (SELECT CAST($1 AS BIGINT) UNION SELECT p.unit_id FROM unit_parents p JOIN down ON p.parent_id = down.id
		WHERE `+live("p", 3)+`) SELECT COALESCE(sum(CASE WHEN NOT d.practice THEN 1 ELSE 0 END), 0), COALESCE(sum(CASE WHEN d.practice THEN 1 ELSE 0 END), 0)
		FROM dossiers d WHERE d.village_id IN (SELECT id FROM down) AND d.received_on <= $2 AND d.state <> 'voided'`, unitID, at, treeAt).Scan(&c.Residents, &c.Practice)
	return c, internal("count dossiers", err)
}

// DossierQuery filters a village's dossiers.
type DossierQuery struct {
	VillageID int64
	States    []domain.DossierState
	MemberID  int64 // the assisting member's queue; 0 for the whole team
	Limit     int
}

// Dossiers lists a village's dossiers within scope, oldest step first
// (a work queue: what has waited longest comes first).
func (s *Store) Dossiers(ctx context.Context, scope domain.Scope, q DossierQuery) ([]domain.Dossier, error) {
	if err := s.inScope(ctx, scope, q.VillageID, "unit.not_found"); err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 200
	}
	args := []any{q.VillageID}
	where := "d.village_id = $1"
	if len(q.States) > 0 {
		ph := make([]string, len(q.States))
		for i, st := range q.States {
			args = append(args, string(st))
			ph[i] = "$" + strconv.Itoa(len(args))
		}
		where += " AND d.state IN (" + strings.Join(ph, ",") + ")"
	}
	if q.MemberID > 0 {
		args = append(args, q.MemberID)
		n := strconv.Itoa(len(args))
		where += " AND (d.member_id = $" + n + " OR d.id IN (SELECT dossier_id FROM dossier_helpers WHERE member_id = $" + n + "))"
	}
	args = append(args, q.Limit)
	rs, err := s.r.QueryContext(ctx, "SELECT "+dossierCols+" FROM dossiers d WHERE "+where+" ORDER BY d.last_step_on, d.id LIMIT $"+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, internal("dossiers", err)
	}
	var out []domain.Dossier
	for rs.Next() {
		d, err := scanDossier(rs)
		if err != nil {
			rs.Close()
			return nil, internal("dossiers", err)
		}
		out = append(out, d)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, internal("dossiers", err)
	}
	// Their linked procedures, in one query for the village.
	at := map[int64]int{}
	for i, d := range out {
		at[d.ID] = i
	}
	ls, err := s.r.QueryContext(ctx, `SELECT l.dossier_id, l.procedure_id FROM dossier_links l JOIN dossiers d ON d.id = l.dossier_id
		WHERE d.village_id = $1 ORDER BY l.dossier_id, l.procedure_id`, q.VillageID)
	if err != nil {
		return nil, internal("dossiers", err)
	}
	defer ls.Close()
	for ls.Next() {
		var id, pid int64
		if err := ls.Scan(&id, &pid); err != nil {
			return nil, internal("dossiers", err)
		}
		if i, ok := at[id]; ok {
			out[i].Linked = append(out[i].Linked, pid)
		}
	}
	if err := ls.Err(); err != nil {
		return nil, internal("dossiers", err)
	}
	hs, err := s.r.QueryContext(ctx, `SELECT h.dossier_id, h.member_id FROM dossier_helpers h JOIN dossiers d ON d.id = h.dossier_id
		WHERE d.village_id = $1 ORDER BY h.dossier_id, h.member_id`, q.VillageID)
	if err != nil {
		return nil, internal("dossiers", err)
	}
	defer hs.Close()
	for hs.Next() {
		var id, m int64
		if err := hs.Scan(&id, &m); err != nil {
			return nil, internal("dossiers", err)
		}
		if i, ok := at[id]; ok {
			out[i].HelperIDs = append(out[i].HelperIDs, m)
		}
	}
	return out, internal("dossiers", hs.Err())
}

// DossierSteps lists a dossier's recorded steps, oldest first.
func (s *Store) DossierSteps(ctx context.Context, id int64) ([]domain.StepChange, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT action, from_state, to_state, on_date, COALESCE(by_user, 0), note FROM dossier_steps WHERE dossier_id = $1 ORDER BY id", id)
	if err != nil {
		return nil, internal("dossier steps", err)
	}
	defer rs.Close()
	var out []domain.StepChange
	for rs.Next() {
		var c domain.StepChange
		if err := rs.Scan(&c.Action, &c.From, &c.To, &c.On, &c.ByUser, &c.Note); err != nil {
			return nil, internal("dossier steps", err)
		}
		out = append(out, c)
	}
	return out, rs.Err()
}

// ProcedureByID reads one procedure.
func (s *Store) ProcedureByID(ctx context.Context, id int64) (domain.Procedure, error) {
	p, err := scanProcedure(s.r.QueryRowContext(ctx, "SELECT "+procedureCols+" FROM procedures p WHERE p.id = $1", id))
	if err == sql.ErrNoRows {
		return p, domain.Errorf(domain.ENOTFOUND, "procedure.not_found", "code", strconv.FormatInt(id, 10))
	}
	return p, internal("procedure", err)
}

// DossierGroup is one cell of the breakdown of residents' dossiers.
type DossierGroup struct {
	Sector, Field, Procedure, Portal string
	Month                            string // YYYY-MM of reception
	Count                            int
}

// DossierBreakdown counts residents' dossiers received by at (practice
// and voided apart), by sector, field, procedure, portal and month — for
// the unit as it was, or re-attributed to today's unit.
func (s *Store) DossierBreakdown(ctx context.Context, unitID int64, at domain.Date, current bool) ([]DossierGroup, error) {
	treeAt := at
	if current {
		treeAt = domain.DateOf(s.now())
	}
	rs, err := s.r.QueryContext(ctx, `WITH RECURSIVE down(id) AS (SELECT CAST($1 AS BIGINT) UNION SELECT p.unit_id FROM unit_parents p JOIN down ON p.parent_id = down.id
		WHERE `+live("p", 3)+`) SELECT pr.sector, pr.field, pr.code, d.portal, substr(d.received_on, 1, 7) AS month, count(*)
		FROM dossiers d JOIN procedures pr ON pr.id = d.procedure_id
		WHERE d.village_id IN (SELECT id FROM down) AND d.received_on <= $2 AND d.state <> 'voided' AND NOT d.practice
		GROUP BY pr.sector, pr.field, pr.code, d.portal, substr(d.received_on, 1, 7)
		ORDER BY month, pr.sector, pr.field, pr.code`, unitID, at, treeAt)
	if err != nil {
		return nil, internal("dossier breakdown", err)
	}
	defer rs.Close()
	var out []DossierGroup
	for rs.Next() {
		var g DossierGroup
		if err := rs.Scan(&g.Sector, &g.Field, &g.Procedure, &g.Portal, &g.Month, &g.Count); err != nil {
			return nil, internal("dossier breakdown", err)
		}
		out = append(out, g)
	}
	return out, rs.Err()
}

// DossierLog is a village's "sổ theo dõi tiếp nhận và trả kết quả" for
// the days from..to: every dossier received or returned in those days,
// voided ones left out, in order of reception. A month of one village is a
// few dozen rows, so it is not paged.
func (s *Store) DossierLog(ctx context.Context, scope domain.Scope, villageID int64, from, to domain.Date) ([]domain.Dossier, error) {
	if err := s.inScope(ctx, scope, villageID, "unit.not_found"); err != nil {
		return nil, err
	}
	rs, err := s.r.QueryContext(ctx, "SELECT "+dossierCols+` FROM dossiers d WHERE d.village_id = $1 AND d.state <> 'voided'
		AND ((d.received_on BETWEEN $2 AND $3) OR (d.returned_on IS NOT NULL AND d.returned_on BETWEEN $2 AND $3))
		ORDER BY d.received_on, d.id`, villageID, from, to)
	if err != nil {
		return nil, internal("dossier log", err)
	}
	defer rs.Close()
	var out []domain.Dossier
	for rs.Next() {
		d, err := scanDossier(rs)
		if err != nil {
			return nil, internal("dossier log", err)
		}
		out = append(out, d)
	}
	return out, rs.Err()
}

// DossierTally counts residents' dossiers received by at (practice and
// voided apart) by the step each was at on that date, and by village.
type DossierTally struct {
	ByState   map[domain.DossierState]int
	ByVillage map[int64]int
}

// DossierTallies is the tally under a unit as it was on at, or under
// today's unit (current: re-attributed after a reorganisation).
func (s *Store) DossierTallies(ctx context.Context, unitID int64, at domain.Date, current bool) (DossierTally, error) {
	t := DossierTally{ByState: map[domain.DossierState]int{}, ByVillage: map[int64]int{}}
	treeAt := at
	if current {
		treeAt = domain.DateOf(s.now())
	}
	rs, err := s.r.QueryContext(ctx, `WITH RECURSIVE down(id) AS (SELECT CAST($1 AS BIGINT) UNION SELECT p.unit_id FROM unit_parents p JOIN down ON p.parent_id = down.id
		WHERE `+live("p", 3)+`) SELECT x.village_id, x.state, count(*) FROM (
			SELECT d.village_id, (SELECT st.to_state FROM dossier_steps st WHERE st.dossier_id = d.id AND st.on_date <= $2 ORDER BY st.on_date DESC, st.id DESC LIMIT 1) AS state
			FROM dossiers d WHERE d.village_id IN (SELECT id FROM down) AND d.received_on <= $2 AND d.state <> 'voided' AND NOT d.practice) x
		GROUP BY x.village_id, x.state`, unitID, at, treeAt)
	if err != nil {
		return t, internal("dossier tallies", err)
	}
	defer rs.Close()
	for rs.Next() {
		var v int64
		var st sql.NullString
		var n int
		if err := rs.Scan(&v, &st, &n); err != nil {
			return t, internal("dossier tallies", err)
		}
		t.ByState[domain.DossierState(st.String)] += n
		t.ByVillage[v] += n
	}
	return t, rs.Err()
}

// TickDocuments records which papers of the checklist the team has
// received (step 1's checklist), for a dossier read at version. A paper
// not on the checklist of its procedures is refused; a stale version is
// ECONFLICT.
func (s *Store) TickDocuments(ctx context.Context, a *domain.Actor, id int64, version int, docs []string) (domain.Dossier, error) {
	d, err := s.Dossier(ctx, a.Scope(domain.PermDossierEdit), id)
	if err != nil {
		return d, err
	}
	allowed := map[string]bool{}
	for _, pid := range append([]int64{d.ProcedureID}, d.Linked...) {
		p, err := s.ProcedureByID(ctx, pid)
		if err != nil {
			return d, err
		}
		for _, doc := range p.Documents {
			allowed[doc] = true
		}
	}
	var ticked []string
	seen := map[string]bool{}
	for _, doc := range docs {
		if !allowed[doc] {
			return d, domain.Errorf(domain.EINVALID, "dossier.document_unknown", "document", doc).WithField("documents")
		}
		if !seen[doc] {
			seen[doc] = true
			ticked = append(ticked, doc)
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE dossiers SET documents_received = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
			strings.Join(ticked, "\n"), s.now(), d.ID, version)
		if err != nil {
			return internal("tick documents", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ECONFLICT, "record.stale")
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "dossier", EntityID: strconv.FormatInt(d.ID, 10), UnitID: d.VillageID,
			Changes: []Change{Plain("documents_received", strings.Join(d.DocumentsReceived, "; "), strings.Join(ticked, "; "))}})
	})
	if err != nil {
		return d, err
	}
	return s.Dossier(ctx, a.Scope(domain.PermDossierEdit), id)
}

// checkVillageMember refuses an assisting member who was not on a team of
// the village on the day.
func (s *Store) checkVillageMember(ctx context.Context, villageID, memberID int64, on domain.Date) error {
	teams, err := s.TeamsOf(ctx, villageID, on)
	if err != nil {
		return err
	}
	for _, t := range teams {
		ms, err := s.Members(ctx, t.ID, on)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.ID == memberID {
				return nil
			}
		}
	}
	return domain.Errorf(domain.EINVALID, "dossier.member_invalid", "date", on).WithField("member")
}
