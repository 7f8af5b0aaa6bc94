package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// Assessment states: the team fills in (draft), submits, the commune
// officer sends back (returned) or verifies, the owner unit approves.
const (
	AssessDraft     = "draft"
	AssessSubmitted = "submitted"
	AssessReturned  = "returned"
	AssessVerified  = "verified"
	AssessApproved  = "approved"
)

// Assessment is a village against a set on a date, with every indicator's
// value as decided.
type Assessment struct {
	ID           int64
	SetID        int64
	VillageID    int64
	AsOf         domain.Date
	State        string
	Passed       bool
	Mountain     bool
	DecisionNo   string
	DecisionDate domain.Date
	Version      int
	Values       map[int64]AssessValue // by indicator id
}

// AssessValue is one indicator's value in an assessment.
type AssessValue struct {
	IndicatorID int64
	Measure     domain.Measure
	Met         bool
	Note        string
	EvidenceID  int64
	Verified    bool
}

// Round is one step of an assessment's review.
type Round struct {
	Action  string
	Comment string
	ByUser  int64
	At      time.Time
}

// Assess starts an assessment of a village on a date against the set in
// force then: computed values are computed and frozen with the records
// behind them; entered ones wait for the team. mountain: the village's
// commune is classed mountainous / ethnic-minority, so indicators with a
// target of their own for such communes use it.
func (s *Store) Assess(ctx context.Context, a *domain.Actor, villageID int64, at domain.Date, mountain bool) (Assessment, error) {
	if err := s.inScope(ctx, a.Scope(domain.PermTeamManage), villageID, "unit.not_found"); err != nil {
		return Assessment{}, err
	}
	fa, err := s.freshAssessment(ctx, villageID, at, mountain)
	if err != nil {
		return fa.Assessment, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.writeAssessment(ctx, tx, &fa); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "assessment", EntityID: strconv.FormatInt(fa.ID, 10), UnitID: villageID,
			Changes: []Change{Plain("set", "", strconv.FormatInt(fa.set.ID, 10)), Plain("as_of", "", at.String())}})
	})
	return fa.Assessment, err
}

// fresh is an assessment computed but not yet written.
type fresh struct {
	Assessment
	set  domain.CriteriaSet
	rows map[int64][]ProvRow
}

// freshAssessment checks the date and the set in force, and computes the
// computed values with the records behind them.
func (s *Store) freshAssessment(ctx context.Context, villageID int64, at domain.Date, mountain bool) (fresh, error) {
	var fa fresh
	if at.IsZero() || at.After(domain.DateOf(s.now())) {
		return fa, domain.Errorf(domain.EINVALID, "assessment.date_invalid").WithField("as_of")
	}
	cs, ok, err := s.SetInForce(ctx, villageID, at)
	if err != nil {
		return fa, err
	}
	if !ok {
		return fa, domain.Errorf(domain.EINVALID, "assessment.no_set", "date", at).WithField("as_of")
	}
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM assessments WHERE set_id = $1 AND village_id = $2 AND as_of = $3", cs.ID, villageID, at).Scan(&n); err != nil {
		return fa, internal("assess", err)
	}
	if n > 0 {
		return fa, domain.Errorf(domain.ECONFLICT, "assessment.exists", "date", at).WithField("as_of")
	}
	fa = fresh{Assessment: Assessment{SetID: cs.ID, VillageID: villageID, AsOf: at, State: AssessDraft, Version: 1, Mountain: mountain, Values: map[int64]AssessValue{}},
		set: cs, rows: map[int64][]ProvRow{}}
	for _, in := range cs.Indicators {
		v := AssessValue{IndicatorID: in.ID}
		if in.Source == domain.SourceComputed {
			c := CompInput{VillageID: villageID, At: at, From: cs.From, Param: in.Param}
			if v.Measure, err = s.Compute(ctx, in.Computation, c); err != nil {
				return fa, err
			}
			if fa.rows[in.ID], err = s.ComputeRows(ctx, in.Computation, c); err != nil {
				return fa, err
			}
			v.Met, v.Verified = in.TargetFor(fa.Mountain).Met(v.Measure), true
		}
		fa.Values[in.ID] = v
	}
	fa.Passed = passed(cs, fa.Assessment)
	return fa, nil
}

// writeAssessment inserts a fresh assessment in its current state.
func (s *Store) writeAssessment(ctx context.Context, tx *sql.Tx, fa *fresh) error {
	now := s.now()
	var dd any
	if !fa.DecisionDate.IsZero() {
		dd = fa.DecisionDate
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO assessments (set_id, village_id, as_of, state, passed, mountain, decision_no, decision_date, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`, fa.SetID, fa.VillageID, fa.AsOf, fa.State, fa.Passed, fa.Mountain, fa.DecisionNo, dd, now).Scan(&fa.ID); err != nil {
		return internal("assess", err)
	}
	for _, in := range fa.set.Indicators {
		v := fa.Values[in.ID]
		if _, err := tx.ExecContext(ctx, `INSERT INTO assessment_values (assessment_id, indicator_id, known, value, num, den, met, note, verified)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, fa.ID, in.ID, v.Measure.Known, v.Measure.Value, v.Measure.Num, v.Measure.Den, v.Met, v.Note, v.Verified); err != nil {
			return internal("assess", err)
		}
		rs, ok := fa.rows[in.ID]
		if !ok {
			continue
		}
		var kind string
		var counted, others []int64
		for _, r := range rs {
			kind = r.Kind
			if r.In {
				counted = append(counted, r.ID)
			} else {
				others = append(others, r.ID)
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO assessment_rows (assessment_id, indicator_id, kind, counted, others) VALUES ($1, $2, $3, $4, $5)",
			fa.ID, in.ID, kind, joinIDs(counted), joinIDs(others)); err != nil {
			return internal("assess", err)
		}
	}
	return nil
}

// AssessmentLoad is a decided assessment for a bulk load (the demo): the
// entered values by indicator code, and the recognition decision when
// the village passes. It goes through the same computations and rules,
// and is recorded as submitted, verified and approved.
type AssessmentLoad struct {
	VillageID    int64
	At           domain.Date
	Mountain     bool
	Entered      map[string]float64
	Note         string
	DecisionNo   string
	DecisionDate domain.Date
}

// LoadAssessments writes decided assessments in one transaction, as one
// audit entry.
func (s *Store) LoadAssessments(ctx context.Context, a *domain.Actor, loads []AssessmentLoad) ([]Assessment, error) {
	if a.Scope(domain.PermAssessmentApprove).Empty() {
		return nil, domain.Errorf(domain.EFORBIDDEN, "auth.forbidden", "permission", string(domain.PermAssessmentApprove))
	}
	var all []fresh
	for _, l := range loads {
		fa, err := s.freshAssessment(ctx, l.VillageID, l.At, l.Mountain)
		if err != nil {
			return nil, err
		}
		for _, in := range fa.set.Indicators {
			if in.Source != domain.SourceEntered {
				continue
			}
			val, ok := l.Entered[in.Code]
			if !ok {
				return nil, domain.Errorf(domain.EINVALID, "assessment.entered_missing", "code", in.Code).WithField("action")
			}
			m := domain.Measure{Known: true, Value: val}
			fa.Values[in.ID] = AssessValue{IndicatorID: in.ID, Measure: m, Met: in.TargetFor(fa.Mountain).Met(m), Note: textvi.Normalize(l.Note), Verified: true}
		}
		fa.Passed = passed(fa.set, fa.Assessment)
		if fa.Passed && (l.DecisionNo == "" || l.DecisionDate.IsZero()) {
			return nil, domain.Errorf(domain.EINVALID, "assessment.decision_missing").WithField("decision_no")
		}
		fa.State = AssessApproved
		if fa.Passed { // recognition only for a village that passes
			fa.DecisionNo, fa.DecisionDate = textvi.Normalize(l.DecisionNo), l.DecisionDate
		}
		all = append(all, fa)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i := range all {
			if err := s.writeAssessment(ctx, tx, &all[i]); err != nil {
				return err
			}
			for _, action := range []string{"submit", "verify", "approve"} {
				if _, err := tx.ExecContext(ctx, "INSERT INTO assessment_rounds (assessment_id, action, comment, by_user, done_at) VALUES ($1, $2, '', $3, $4)",
					all[i].ID, action, nullID(a.User.ID), s.now()); err != nil {
					return internal("round", err)
				}
			}
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "assessments", EntityID: "load", Changes: []Change{Plain("assessments", "", strconv.Itoa(len(all)))}})
	})
	out := make([]Assessment, len(all))
	for i, fa := range all {
		out[i] = fa.Assessment
	}
	return out, err
}

// passed applies the set's rule to an assessment's values.
func passed(cs domain.CriteriaSet, as Assessment) bool {
	met := map[string]bool{}
	for _, in := range cs.Indicators {
		met[in.Code] = as.Values[in.ID].Met
	}
	return cs.Passes(met)
}

// Assessment reads one assessment with its values.
func (s *Store) Assessment(ctx context.Context, id int64) (Assessment, error) {
	var as Assessment
	var dd sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT id, set_id, village_id, as_of, state, passed, mountain, decision_no, decision_date, version FROM assessments WHERE id = $1`, id).
		Scan(&as.ID, &as.SetID, &as.VillageID, &as.AsOf, &as.State, &as.Passed, &as.Mountain, &as.DecisionNo, &dd, &as.Version)
	if err == sql.ErrNoRows {
		return as, domain.Errorf(domain.ENOTFOUND, "assessment.not_found")
	}
	if err != nil {
		return as, internal("assessment", err)
	}
	if dd.Valid && dd.String != "" {
		as.DecisionDate, _ = domain.ParseISO(dd.String)
	}
	rs, err := s.r.QueryContext(ctx, `SELECT indicator_id, known, value, num, den, met, note, COALESCE(evidence_id, 0), verified FROM assessment_values WHERE assessment_id = $1`, id)
	if err != nil {
		return as, internal("assessment", err)
	}
	defer rs.Close()
	as.Values = map[int64]AssessValue{}
	for rs.Next() {
		var v AssessValue
		if err := rs.Scan(&v.IndicatorID, &v.Measure.Known, &v.Measure.Value, &v.Measure.Num, &v.Measure.Den, &v.Met, &v.Note, &v.EvidenceID, &v.Verified); err != nil {
			return as, internal("assessment", err)
		}
		v.Measure.Rate = v.Measure.Den > 0
		as.Values[v.IndicatorID] = v
	}
	return as, internal("assessment", rs.Err())
}

// AssessmentRows lists the frozen records behind one computed value:
// those counted first, then the rest of the base.
func (s *Store) AssessmentRows(ctx context.Context, id, indicatorID int64) ([]ProvRow, error) {
	var kind, counted, others string
	err := s.r.QueryRowContext(ctx, "SELECT kind, counted, others FROM assessment_rows WHERE assessment_id = $1 AND indicator_id = $2", id, indicatorID).Scan(&kind, &counted, &others)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, internal("assessment rows", err)
	}
	var out []ProvRow
	for _, part := range []struct {
		ids string
		in  bool
	}{{counted, true}, {others, false}} {
		for _, f := range strings.Split(part.ids, ",") {
			if id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64); err == nil {
				out = append(out, ProvRow{Kind: kind, ID: id, In: part.in})
			}
		}
	}
	return out, nil
}

// AssessmentList is a line of a village's assessments.
type AssessmentList struct {
	ID     int64
	SetID  int64
	AsOf   domain.Date
	State  string
	Passed bool
}

// Assessments lists a village's assessments, newest first.
func (s *Store) Assessments(ctx context.Context, villageID int64) ([]AssessmentList, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT id, set_id, as_of, state, passed FROM assessments WHERE village_id = $1 ORDER BY as_of DESC, id DESC", villageID)
	if err != nil {
		return nil, internal("assessments", err)
	}
	defer rs.Close()
	var out []AssessmentList
	for rs.Next() {
		var x AssessmentList
		if err := rs.Scan(&x.ID, &x.SetID, &x.AsOf, &x.State, &x.Passed); err != nil {
			return nil, internal("assessments", err)
		}
		out = append(out, x)
	}
	return out, internal("assessments", rs.Err())
}

// Rounds lists an assessment's review rounds, oldest first.
func (s *Store) Rounds(ctx context.Context, id int64) ([]Round, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT action, comment, COALESCE(by_user, 0), done_at FROM assessment_rounds WHERE assessment_id = $1 ORDER BY id", id)
	if err != nil {
		return nil, internal("rounds", err)
	}
	defer rs.Close()
	var out []Round
	for rs.Next() {
		var r Round
		if err := rs.Scan(&r.Action, &r.Comment, &r.ByUser, &r.At); err != nil {
			return nil, internal("rounds", err)
		}
		out = append(out, r)
	}
	return out, internal("rounds", rs.Err())
}

// Entry is a value the team types for an entered indicator.
type Entry struct {
	AssessmentID int64
	IndicatorID  int64
	Version      int
	Value        float64
	Note         string
	Evidence     *Evidence // optional new evidence file
}

// EnterValue records an entered indicator's value (and evidence) while the
// assessment is with the team (draft or sent back).
func (s *Store) EnterValue(ctx context.Context, a *domain.Actor, e Entry) (Assessment, error) {
	as, cs, err := s.assessmentFor(ctx, a, e.AssessmentID, domain.PermTeamManage)
	if err != nil {
		return as, err
	}
	if as.State != AssessDraft && as.State != AssessReturned {
		return as, domain.Errorf(domain.ECONFLICT, "assessment.not_with_team").WithField("value")
	}
	var in *domain.Indicator
	for i := range cs.Indicators {
		if cs.Indicators[i].ID == e.IndicatorID {
			in = &cs.Indicators[i]
		}
	}
	if in == nil || in.Source != domain.SourceEntered {
		return as, domain.Errorf(domain.EINVALID, "assessment.not_entered").WithField("indicator")
	}
	if e.Value < 0 || (in.Target.Type == domain.TargetMinPercent && e.Value > 100) || (in.Target.Type == domain.TargetExists && e.Value != 0 && e.Value != 1) {
		return as, domain.Errorf(domain.EINVALID, "assessment.value_invalid").WithField("value")
	}
	if e.Version != as.Version {
		return as, domain.Errorf(domain.ECONFLICT, "assessment.changed").WithField("value")
	}
	if e.Evidence != nil {
		if err := e.Evidence.clean(); err != nil {
			return as, err
		}
	}
	m := domain.Measure{Known: true, Value: e.Value}
	v := as.Values[in.ID]
	v.Measure, v.Met, v.Note, v.Verified = m, in.TargetFor(as.Mountain).Met(m), textvi.Normalize(e.Note), false
	as.Values[in.ID] = v
	as.Passed = passed(cs, as)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.bumpAssessment(ctx, tx, &as, as.State); err != nil {
			return err
		}
		var ev any
		if e.Evidence != nil {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO evidence (assessment_id, indicator_id, name, content_type, data, created_by, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, as.ID, in.ID, e.Evidence.Name, e.Evidence.ContentType, e.Evidence.Data, nullID(a.User.ID), s.now()).Scan(&id); err != nil {
				return internal("evidence", err)
			}
			ev, v.EvidenceID = id, id
		} else if v.EvidenceID != 0 {
			ev = v.EvidenceID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE assessment_values SET known = TRUE, value = $1, met = $2, note = $3, evidence_id = $4, verified = FALSE
			WHERE assessment_id = $5 AND indicator_id = $6`, e.Value, v.Met, v.Note, ev, as.ID, in.ID); err != nil {
			return internal("enter value", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "assessment", EntityID: strconv.FormatInt(as.ID, 10), UnitID: as.VillageID,
			Changes: []Change{Plain("indicator "+in.Code, "", strconv.FormatFloat(e.Value, 'f', -1, 64))}})
	})
	as.Values[in.ID] = v
	return as, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// assessmentFor reads an assessment and its set for an actor holding perm
// over the village (else not found).
func (s *Store) assessmentFor(ctx context.Context, a *domain.Actor, id int64, perm domain.Permission) (Assessment, domain.CriteriaSet, error) {
	as, err := s.Assessment(ctx, id)
	if err != nil {
		return as, domain.CriteriaSet{}, err
	}
	if err := s.inScope(ctx, a.Scope(perm), as.VillageID, "assessment.not_found"); err != nil {
		if ok, _ := s.Covers(ctx, a.Scope(domain.PermReportView), as.VillageID); ok {
			return as, domain.CriteriaSet{}, domain.Errorf(domain.EFORBIDDEN, "auth.forbidden", "permission", string(perm))
		}
		return as, domain.CriteriaSet{}, err
	}
	cs, err := s.Set(ctx, as.SetID)
	return as, cs, err
}

// bumpAssessment moves an assessment to state and bumps its version,
// refusing when someone changed it meanwhile.
func (s *Store) bumpAssessment(ctx context.Context, tx *sql.Tx, as *Assessment, state string) error {
	res, err := tx.ExecContext(ctx, "UPDATE assessments SET state = $1, passed = $2, updated_at = $3, version = version + 1 WHERE id = $4 AND version = $5",
		state, as.Passed, s.now(), as.ID, as.Version)
	if err != nil {
		return internal("assessment", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.ECONFLICT, "assessment.changed")
	}
	as.State, as.Version = state, as.Version+1
	return nil
}

// Review is a step of the review: submit (team), send back with a
// comment or verify (commune officer), approve with the recognition
// decision (owner unit).
type Review struct {
	AssessmentID int64
	Version      int
	Action       string // submit, return, verify, approve
	Comment      string
	DecisionNo   string
	DecisionDate domain.Date
}

// ReviewAssessment applies a review step; any other transition is refused.
func (s *Store) ReviewAssessment(ctx context.Context, a *domain.Actor, r Review) (Assessment, error) {
	perm, from, to := domain.PermTeamManage, []string{AssessDraft, AssessReturned}, AssessSubmitted
	switch r.Action {
	case "submit":
	case "return":
		perm, from, to = domain.PermAssessmentVerify, []string{AssessSubmitted, AssessVerified}, AssessReturned
	case "verify":
		perm, from, to = domain.PermAssessmentVerify, []string{AssessSubmitted}, AssessVerified
	case "approve":
		perm, from, to = domain.PermAssessmentApprove, []string{AssessVerified}, AssessApproved
	default:
		return Assessment{}, domain.Errorf(domain.EINVALID, "assessment.action_invalid").WithField("action")
	}
	as, cs, err := s.assessmentFor(ctx, a, r.AssessmentID, perm)
	if err != nil {
		return as, err
	}
	ok := false
	for _, f := range from {
		ok = ok || as.State == f
	}
	if !ok {
		if r.Action == "approve" && as.State == AssessSubmitted {
			return as, domain.Errorf(domain.ECONFLICT, "assessment.unverified").WithField("action")
		}
		return as, domain.Errorf(domain.ECONFLICT, "assessment.transition", "state", as.State, "action", r.Action).WithField("action")
	}
	if r.Version != as.Version {
		return as, domain.Errorf(domain.ECONFLICT, "assessment.changed").WithField("action")
	}
	r.Comment = textvi.Normalize(r.Comment)
	switch r.Action {
	case "submit":
		for _, in := range cs.Indicators {
			if in.Source == domain.SourceEntered && !as.Values[in.ID].Measure.Known {
				return as, domain.Errorf(domain.EINVALID, "assessment.entered_missing", "code", in.Code).WithField("action")
			}
		}
	case "return":
		if r.Comment == "" {
			return as, domain.Errorf(domain.EINVALID, "assessment.comment_missing").WithField("comment")
		}
	case "approve":
		for _, in := range cs.Indicators {
			if in.Source == domain.SourceEntered && !as.Values[in.ID].Verified {
				return as, domain.Errorf(domain.ECONFLICT, "assessment.unverified").WithField("action")
			}
		}
		r.DecisionNo = textvi.Normalize(r.DecisionNo)
		if !as.Passed { // recognition only for a village that passes
			r.DecisionNo, r.DecisionDate = "", domain.Date{}
		}
		if as.Passed && (r.DecisionNo == "" || r.DecisionDate.IsZero()) {
			return as, domain.Errorf(domain.EINVALID, "assessment.decision_missing").WithField("decision_no")
		}
		if !r.DecisionDate.IsZero() && (r.DecisionDate.Before(as.AsOf) || r.DecisionDate.After(domain.DateOf(s.now()))) {
			return as, domain.Errorf(domain.EINVALID, "assessment.decision_date_invalid").WithField("decision_date")
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.bumpAssessment(ctx, tx, &as, to); err != nil {
			return err
		}
		switch r.Action {
		case "verify":
			if _, err := tx.ExecContext(ctx, "UPDATE assessment_values SET verified = TRUE WHERE assessment_id = $1", as.ID); err != nil {
				return internal("verify", err)
			}
		case "approve":
			var dd any
			if !r.DecisionDate.IsZero() {
				dd = r.DecisionDate
			}
			if _, err := tx.ExecContext(ctx, "UPDATE assessments SET decision_no = $1, decision_date = $2 WHERE id = $3", r.DecisionNo, dd, as.ID); err != nil {
				return internal("approve", err)
			}
			as.DecisionNo, as.DecisionDate = r.DecisionNo, r.DecisionDate
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO assessment_rounds (assessment_id, action, comment, by_user, done_at) VALUES ($1, $2, $3, $4, $5)",
			as.ID, r.Action, r.Comment, nullID(a.User.ID), s.now()); err != nil {
			return internal("round", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: r.Action, Entity: "assessment", EntityID: strconv.FormatInt(as.ID, 10), UnitID: as.VillageID,
			Changes: []Change{Plain("state", strings.Join(from, "|"), to)}})
	})
	if err != nil {
		return as, err
	}
	return s.Assessment(ctx, as.ID)
}

// Returned lists the assessments sent back to the teams of villages in
// scope: the team's work queue shows them.
func (s *Store) Returned(ctx context.Context, villageID int64) ([]AssessmentList, error) {
	all, err := s.Assessments(ctx, villageID)
	var out []AssessmentList
	for _, x := range all {
		if x.State == AssessReturned || x.State == AssessDraft {
			out = append(out, x)
		}
	}
	return out, err
}
