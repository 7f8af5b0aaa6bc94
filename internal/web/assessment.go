package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

// assessmentPage is one assessment as decided (or being decided): its
// values frozen, the review rounds, and the forms the viewer may use.
type assessmentPage struct {
	*Page
	Assessment store.Assessment
	Set        domain.CriteriaSet
	Village    domain.Unit
	Groups     []scoreGroup
	Rounds     []store.Round
	Users      map[int64]string
	CanEnter   bool // the team, while it is with them
	CanVerify  bool // the commune officer, once submitted
	CanApprove bool // the owner unit, once verified
	Form       map[string]string
	Errors     map[string]string
	Status     int
}

func (f assessmentPage) formValue(n string) string { return f.Form[n] }
func (f assessmentPage) formError(n string) string { return f.Errors[n] }

// Entered lists the entered indicators, for the team's forms.
func (f assessmentPage) Entered() []domain.Indicator {
	var out []domain.Indicator
	for _, in := range f.Set.Indicators {
		if in.Source == domain.SourceEntered {
			out = append(out, in)
		}
	}
	return out
}

// StateText names an assessment state.
func (p *Page) StateText(state string) string { return p.T("assessment_state." + state) }

func (s *Server) loadAssessment(w http.ResponseWriter, r *http.Request, p *Page) (*assessmentPage, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "assessment.not_found"))
		return nil, false
	}
	ctx := r.Context()
	a := actorOf(r)
	as, err := s.Store.Assessment(ctx, id)
	if err == nil {
		if err = s.inScope(r, a.Scope(domain.PermReportView), as.VillageID); err != nil {
			err = domain.Errorf(domain.ENOTFOUND, "assessment.not_found")
		}
	}
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	ap := &assessmentPage{Page: p, Assessment: as, Form: map[string]string{}, Errors: map[string]string{}, Status: http.StatusOK, Users: map[int64]string{}}
	if ap.Set, err = s.Store.Set(ctx, as.SetID); err == nil {
		ap.Village, err = s.Store.UnitByID(ctx, as.VillageID, as.AsOf)
	}
	if err == nil {
		ap.Rounds, err = s.Store.Rounds(ctx, id)
	}
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	for _, rd := range ap.Rounds {
		if rd.ByUser != 0 {
			if u, err := s.Store.UserByID(ctx, rd.ByUser); err == nil {
				ap.Users[rd.ByUser] = u.Name
			}
		}
	}
	covers := func(perm domain.Permission) bool {
		ok, _ := s.Store.Covers(ctx, a.Scope(perm), as.VillageID)
		return ok
	}
	ap.CanEnter = (as.State == store.AssessDraft || as.State == store.AssessReturned) && covers(domain.PermTeamManage)
	ap.CanVerify = (as.State == store.AssessSubmitted || as.State == store.AssessVerified) && covers(domain.PermAssessmentVerify)
	ap.CanApprove = as.State == store.AssessVerified && covers(domain.PermAssessmentApprove)
	ap.Groups = p.scoreRows(ap.Set, as.Mountain, func(in domain.Indicator) (store.AssessValue, bool) { x, ok := as.Values[in.ID]; return x, ok },
		func(in domain.Indicator) string {
			return "/assessments/" + strconv.FormatInt(as.ID, 10) + "/rows/" + strconv.FormatInt(in.ID, 10)
		})
	p.At = as.AsOf
	p.Title = p.T("ui.assessment_of", "village", ap.Village.Name, "date", as.AsOf)
	p.Breadcrumb = []Crumb{{Name: ap.Village.Name, URL: p.UnitURL(ap.Village.Code)}, {Name: p.T("ui.scorecard"), URL: "/villages/" + ap.Village.Code + "/scorecard?at=" + as.AsOf.VN()},
		{Name: p.T("ui.assessment") + " " + as.AsOf.VN()}}
	return ap, true
}

// assessmentShow: GET /assessments/{id}.
func (s *Server) assessmentShow(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.assessment")
	ap, ok := s.loadAssessment(w, r, p)
	if !ok {
		return
	}
	s.render(w, http.StatusOK, "assessment", ap)
}

// assessmentStart: POST /villages/{code}/assessments — the team starts an
// assessment on a date (computed values frozen then).
func (s *Server) assessmentStart(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.scorecard")
	v, err := s.village(r, p)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	raw := strings.TrimSpace(r.PostFormValue("as_of"))
	on, err := textvi.ParseDate(raw)
	if err == nil {
		var as store.Assessment
		if as, err = s.Store.Assess(r.Context(), actorOf(r), v.ID, on, r.PostFormValue("mountain") != ""); err == nil {
			http.Redirect(w, r, "/assessments/"+strconv.FormatInt(as.ID, 10), http.StatusSeeOther)
			return
		}
	}
	if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND {
		s.fail(w, p, err)
		return
	}
	// Back to the scorecard with the message beside the date box.
	p.At = p.Today
	sp := &scorecardPage{Page: p, Village: v}
	sp.Assessments, _ = s.Store.Assessments(r.Context(), v.ID)
	sp.CanAssess = true
	sp.StartError, sp.StartValue = s.Cat.Err(p.Lang, err), raw
	p.Title = p.T("ui.scorecard_of", "village", v.Name)
	s.render(w, http.StatusUnprocessableEntity, "scorecard", sp)
}

// assessmentValue: POST /assessments/{id}/values/{indicator} — the team
// enters a value, optionally with an evidence file (photo or PDF).
func (s *Server) assessmentValue(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.assessment")
	ap, ok := s.loadAssessment(w, r, p)
	if !ok {
		return
	}
	ind, _ := strconv.ParseInt(r.PathValue("indicator"), 10, 64)
	field := "value_" + strconv.FormatInt(ind, 10)
	raw := strings.TrimSpace(r.PostFormValue("value"))
	ap.Form[field] = raw
	e := store.Entry{AssessmentID: ap.Assessment.ID, IndicatorID: ind, Note: r.PostFormValue("note")}
	e.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	val, perr := strconv.ParseFloat(strings.Replace(raw, ",", ".", 1), 64)
	if raw == "yes" {
		val, perr = 1, nil
	} else if raw == "no" {
		val, perr = 0, nil
	}
	var err error
	if perr != nil {
		err = domain.Errorf(domain.EINVALID, "assessment.value_invalid").WithField("value")
	} else {
		e.Value = val
		if file, hdr, ferr := r.FormFile("evidence"); ferr == nil {
			data, rerr := io.ReadAll(io.LimitReader(file, store.EvidenceMaxBytes+1))
			file.Close()
			if rerr != nil {
				err = domain.Errorf(domain.EINVALID, "evidence.too_big", "max", "5 MB").WithField("evidence")
			}
			e.Evidence = &store.Evidence{Name: hdr.Filename, Data: data}
		}
		if err == nil {
			_, err = s.Store.EnterValue(r.Context(), actorOf(r), e)
		}
	}
	if err == nil {
		http.Redirect(w, r, "/assessments/"+strconv.FormatInt(ap.Assessment.ID, 10)+"#ind-"+strconv.FormatInt(ind, 10), http.StatusSeeOther)
		return
	}
	s.assessmentFailed(w, ap, err, field)
}

func (s *Server) assessmentFailed(w http.ResponseWriter, ap *assessmentPage, err error, field string) {
	switch domain.ErrorCode(err) {
	case domain.EINTERNAL, domain.ENOTFOUND, domain.EFORBIDDEN:
		s.fail(w, ap.Page, err)
		return
	}
	msg := s.Cat.Err(ap.Lang, err)
	if f := domain.ErrorField(err); f == "comment" || f == "decision_no" || f == "decision_date" {
		field = f
	}
	ap.Errors[field] = msg
	s.render(w, http.StatusUnprocessableEntity, "assessment", ap)
}

// assessmentReview: POST /assessments/{id}/review — submit, send back,
// verify or approve; the store checks who may.
func (s *Server) assessmentReview(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.assessment")
	ap, ok := s.loadAssessment(w, r, p)
	if !ok {
		return
	}
	rv := store.Review{AssessmentID: ap.Assessment.ID, Action: r.PostFormValue("action"), Comment: r.PostFormValue("comment"), DecisionNo: r.PostFormValue("decision_no")}
	rv.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	for _, k := range []string{"comment", "decision_no", "decision_date"} {
		ap.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	var err error
	if raw := ap.Form["decision_date"]; raw != "" {
		if rv.DecisionDate, err = textvi.ParseDate(raw); err != nil {
			err = domain.Errorf(domain.EINVALID, "assessment.decision_date_invalid").WithField("decision_date")
		}
	}
	if err == nil {
		_, err = s.Store.ReviewAssessment(r.Context(), actorOf(r), rv)
	}
	if err == nil {
		http.Redirect(w, r, "/assessments/"+strconv.FormatInt(ap.Assessment.ID, 10), http.StatusSeeOther)
		return
	}
	s.assessmentFailed(w, ap, err, "review")
}

// evidenceFile: GET /evidence/{id} — an evidence file, for who may see the
// village's assessments; never cached.
func (s *Server) evidenceFile(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.assessment")
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	e, err := s.Store.EvidenceFile(r.Context(), actorOf(r).Scope(domain.PermReportView), id)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	w.Header().Set("Content-Type", e.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", "inline")
	w.Write(e.Data)
}
