package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"thonso/internal/domain"
)

// DossierLoad is a dossier with the steps it went through, for a bulk
// load (the demo). Every step is checked by the same state machine and
// date rules as one entered by hand.
type DossierLoad struct {
	Dossier domain.Dossier // VillageID, ProcedureID, applicant, Practice, MemberID, ReceivedOn
	Steps   []Step         // in order; DossierID and Version are ignored
}

// LoadDossiers writes dossiers and their steps in one transaction, as one
// audit entry; the first problem refuses the whole load.
func (s *Store) LoadDossiers(ctx context.Context, a *domain.Actor, loads []DossierLoad) error {
	procs, err := s.Procedures(ctx)
	if err != nil {
		return err
	}
	byID := map[int64]domain.Procedure{}
	for _, p := range procs {
		byID[p.ID] = p
	}
	today := domain.DateOf(s.now())
	sc := a.Scope(domain.PermDossierEdit)
	checked := map[int64]bool{}
	type stepRow struct {
		lookup string
		row    []any
	}
	var dossiers [][]any
	var steps []stepRow
	var by any
	if a.User.ID != 0 {
		by = a.User.ID
	}
	now := s.now()
	for i := range loads {
		d := &loads[i].Dossier
		if !checked[d.VillageID] {
			if err := s.inScope(ctx, sc, d.VillageID, "unit.not_found"); err != nil {
				return err
			}
			checked[d.VillageID] = true
		}
		p, ok := byID[d.ProcedureID]
		if !ok {
			return domain.Errorf(domain.EINVALID, "procedure.not_found", "code", strconv.FormatInt(d.ProcedureID, 10))
		}
		if err := domain.CheckStepDate(d.ReceivedOn, domain.Date{}, today); err != nil {
			return err
		}
		d.Portal, d.State, d.LastStepOn = p.Portal, domain.StateReceived, d.ReceivedOn
		if d.LookupCode == "" {
			d.LookupCode = domain.NewLookupCode()
		}
		steps = append(steps, stepRow{d.LookupCode, []any{"receive", "", string(domain.StateReceived), d.ReceivedOn, by, "", now}})
		for _, st := range loads[i].Steps {
			to, err := domain.Transition(d.State, st.Action, p.FullyOnline)
			if err != nil {
				return err
			}
			if err := domain.CheckStepDate(st.On, d.LastStepOn, today); err != nil {
				return err
			}
			switch st.Action {
			case domain.ActSubmit, domain.ActResubmit:
				d.SubmittedOn = st.On
				if st.PortalCode != "" {
					d.PortalCode = st.PortalCode
				}
			case domain.ActCollect:
				d.CollectedOn = st.On
			case domain.ActReturn:
				d.ReturnedOn = st.On
			}
			if to.Final() {
				d.EndedOn = st.On
			}
			steps = append(steps, stepRow{d.LookupCode, []any{string(st.Action), string(d.State), string(to), st.On, by, st.Note, now}})
			d.State, d.LastStepOn = to, st.On
		}
		var app, ph, mem, code any
		if d.ApplicantID != 0 {
			app = d.ApplicantID
		}
		if d.ApplicantPhone != "" {
			ph = d.ApplicantPhone
		}
		if d.MemberID != 0 {
			mem = d.MemberID
		}
		if d.PortalCode != "" {
			code = d.PortalCode
		}
		dossiers = append(dossiers, []any{d.VillageID, d.ProcedureID, app, d.ApplicantName, ph, d.SubjectName, d.Practice, mem, d.Portal, code,
			d.LookupCode, string(d.State), d.ReceivedOn, d.SubmittedOn, d.CollectedOn, d.ReturnedOn, d.EndedOn, d.LastStepOn, now, now, 1})
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		cols := []string{"village_id", "procedure_id", "applicant_id", "applicant_name", "applicant_phone", "subject_name", "practice", "member_id",
			"portal", "portal_code", "lookup_code", "state", "received_on", "submitted_on", "collected_on", "returned_on", "ended_on", "last_step_on",
			"created_at", "updated_at", "version"}
		if _, err := s.insertMany(ctx, tx, "dossiers", cols, dossiers, false); err != nil {
			return err
		}
		ids := map[string]int64{}
		codes := make([]string, 0, len(loads))
		for _, l := range loads {
			codes = append(codes, l.Dossier.LookupCode)
		}
		for start := 0; start < len(codes); start += 500 {
			part := codes[start:min(start+500, len(codes))]
			args := make([]any, len(part))
			ph := make([]string, len(part))
			for i, c := range part {
				args[i], ph[i] = c, s.dialect.param(i+1)
			}
			rs, err := tx.QueryContext(ctx, "SELECT id, lookup_code FROM dossiers WHERE lookup_code IN ("+strings.Join(ph, ",")+")", args...)
			if err != nil {
				return internal("load dossiers", err)
			}
			for rs.Next() {
				var id int64
				var c string
				rs.Scan(&id, &c)
				ids[c] = id
			}
			rs.Close()
		}
		rows := make([][]any, len(steps))
		for i, st := range steps {
			rows[i] = append([]any{ids[st.lookup]}, st.row...)
		}
		if _, err := s.insertMany(ctx, tx, "dossier_steps", []string{"dossier_id", "action", "from_state", "to_state", "on_date", "by_user", "note", "created_at"}, rows, false); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "import", Entity: "dossier", Changes: []Change{Plain("dossiers", "", strconv.Itoa(len(loads))), Plain("steps", "", strconv.Itoa(len(steps)))}})
	})
}
