package web

import (
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// queue is one column of a work queue: what waits for the team now.
type queue struct {
	Key      string
	Dossiers []domain.Dossier
}

type dossiersPage struct {
	*Page
	Village domain.Unit
	Queues  []queue
	Procs   map[int64]domain.Procedure
	Overdue map[int64]bool
	Count   store.DossierCount
	Notify  map[int64]string // ready-to-send text for results to hand back
	Members []domain.Member  // the team, to see one member's queue
	Member  int64            // the member whose queue is shown, or 0
	// Assessments waiting for the team: being filled in, or sent back by
	// the commune with a comment to act on.
	Assessments []store.AssessmentList
	Comments    map[int64]string
}

func (s *Server) procedureMap(r *http.Request) (map[int64]domain.Procedure, []domain.Procedure, error) {
	ps, err := s.Store.Procedures(r.Context())
	m := map[int64]domain.Procedure{}
	for _, p := range ps {
		m[p.ID] = p
	}
	return m, ps, err
}

// dossierQueue is a village's work queue: to submit, to correct, with the
// agency, to return — oldest first, overdue flagged.
func (s *Server) dossierQueue(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.dossiers")
	a := actorOf(r)
	v, err := s.village(r, p)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	dp := dossiersPage{Page: p, Village: v, Overdue: map[int64]bool{}, Notify: map[int64]string{}, Comments: map[int64]string{}}
	s.useStepLabels(r, p, v)
	if ok, _ := s.Store.Covers(r.Context(), a.Scope(domain.PermTeamManage), v.ID); ok {
		if dp.Assessments, err = s.Store.Returned(r.Context(), v.ID); err != nil {
			s.fail(w, p, err)
			return
		}
		for _, x := range dp.Assessments {
			if rounds, err := s.Store.Rounds(r.Context(), x.ID); err == nil && len(rounds) > 0 && rounds[len(rounds)-1].Action == "return" {
				dp.Comments[x.ID] = rounds[len(rounds)-1].Comment
			}
		}
	}
	where := p.T("ui.notify_place_default")
	when := ""
	if teams, err := s.Store.TeamsOf(r.Context(), v.ID, p.Today); err == nil && len(teams) > 0 {
		dp.Members, _ = s.Store.Members(r.Context(), teams[0].ID, p.Today)
		if o, ok, _ := s.Store.NextSession(r.Context(), teams[0].ID, s.Now()); ok {
			when = p.Moment(o.Start)
			if o.Place != "" {
				where = o.Place
			}
		}
	}
	// One member's queue: only a member of this team (anything else shows
	// the whole team's).
	if id, err := strconv.ParseInt(r.URL.Query().Get("member"), 10, 64); err == nil {
		for _, m := range dp.Members {
			if m.ID == id {
				dp.Member = id
			}
		}
	}
	if dp.Procs, _, err = s.procedureMap(r); err != nil {
		s.fail(w, p, err)
		return
	}
	days, err := s.Store.DaysOff(r.Context(), p.Today.AddDays(-120), p.Today.AddDays(60))
	if err != nil {
		s.fail(w, p, err)
		return
	}
	off := store.DayOffMap(days)
	for _, q := range []struct {
		key    string
		states []domain.DossierState
	}{
		{"queue.to_submit", []domain.DossierState{domain.StateReceived}},
		{"queue.to_correct", []domain.DossierState{domain.StateCorrection}},
		{"queue.with_agency", []domain.DossierState{domain.StateSubmitted, domain.StateProcessing}},
		{"queue.to_return", []domain.DossierState{domain.StateCollected}},
	} {
		ds, err := s.Store.Dossiers(r.Context(), a.Scope(domain.PermDossierEdit), store.DossierQuery{VillageID: v.ID, States: q.states, MemberID: dp.Member})
		if err != nil {
			s.fail(w, p, err)
			return
		}
		for _, d := range ds {
			dp.Overdue[d.ID] = domain.Overdue(d, dp.Procs[d.ProcedureID].ProcessingDays, p.Today, off)
			if d.State == domain.StateCollected {
				// The "to notify" text: paste into Zalo or an SMS.
				dp.Notify[d.ID] = p.T("ui.notify_text", "name", d.ApplicantName, "procedure", dp.Procs[d.ProcedureID].Name, "place", where, "when", when)
			}
		}
		// Overdue first, then what has waited longest (the store's order).
		sort.SliceStable(ds, func(i, j int) bool { return dp.Overdue[ds[i].ID] && !dp.Overdue[ds[j].ID] })
		dp.Queues = append(dp.Queues, queue{Key: q.key, Dossiers: ds})
	}
	if dp.Count, err = s.Store.CountDossiers(r.Context(), v.ID, p.At, false); err != nil {
		s.fail(w, p, err)
		return
	}
	p.Title = p.T("ui.dossiers_of", "village", v.Name)
	s.render(w, http.StatusOK, "dossiers", dp)
}

type dossierForm struct {
	*Page
	Village domain.Unit
	Procs   []domain.Procedure
	Members []domain.Member
	Form    map[string]string
	Linked  map[string]bool // codes ticked as filed together
	Helpers map[string]bool // members ticked as also helping
	Errors  map[string]string
	// Picking the applicant from the registry: who may see residents
	// searches by name (accents optional) and picks one.
	CanSearch bool
	Query     string
	Found     []domain.Resident
	Applicant *domain.Resident
}

func (f dossierForm) formValue(n string) string { return f.Form[n] }
func (f dossierForm) formError(n string) string { return f.Errors[n] }

func (s *Server) dossierFormPage(w http.ResponseWriter, r *http.Request, p *Page) (*dossierForm, bool) {
	v, err := s.village(r, p)
	if err == nil {
		err = s.inScope(r, actorOf(r).Scope(domain.PermDossierEdit), v.ID)
	}
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	_, ps, err := s.procedureMap(r)
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	f := &dossierForm{Page: p, Village: v, Procs: ps, Form: map[string]string{"received_on": p.Today.VN()}, Errors: map[string]string{}}
	if teams, err := s.Store.TeamsOf(r.Context(), v.ID, p.Today); err == nil && len(teams) > 0 {
		f.Members, _ = s.Store.Members(r.Context(), teams[0].ID, p.Today)
	}
	f.CanSearch = !actorOf(r).Scope(domain.PermResidentView).Empty()
	return f, true
}

// pickApplicant fills the form with a resident of this village chosen
// from the registry; anyone else (or out of scope) is not found.
func (s *Server) pickApplicant(r *http.Request, f *dossierForm, raw string) {
	if raw == "" {
		return
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		// A resident id that is not one: refused beside the name rather
		// than received under a typed name (found by the bad-input corpus).
		f.Errors["applicant_name"] = f.T("resident.not_found")
		return
	}
	if !f.CanSearch {
		return
	}
	res, err := s.Store.Resident(r.Context(), actorOf(r).Scope(domain.PermResidentView), id)
	if err != nil || res.VillageID != f.Village.ID {
		f.Errors["applicant_name"] = f.T("resident.not_found")
		return
	}
	f.Applicant = &res
	f.Form["applicant_id"] = raw
	f.Form["applicant_name"] = res.FullName
}

// dossierNewForm is the phone-friendly reception form.
func (s *Server) dossierNewForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.dossier_new")
	f, ok := s.dossierFormPage(w, r, p)
	if !ok {
		return
	}
	q := r.URL.Query()
	if f.Query = strings.TrimSpace(q.Get("q")); f.Query != "" && f.CanSearch {
		var err error
		f.Found, _, err = s.Store.Residents(r.Context(), actorOf(r).Scope(domain.PermResidentView), store.ResidentQuery{VillageID: f.Village.ID, Q: f.Query, At: p.Today, Limit: 10})
		if err != nil {
			s.fail(w, p, err)
			return
		}
	}
	s.pickApplicant(r, f, q.Get("applicant"))
	s.render(w, http.StatusOK, "dossier_new", f)
}

// dossierCreate receives a dossier (step 1) and shows its receipt slip.
func (s *Server) dossierCreate(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.dossier_new")
	f, ok := s.dossierFormPage(w, r, p)
	if !ok {
		return
	}
	for _, k := range []string{"procedure", "applicant_name", "applicant_phone", "subject_name", "practice", "member", "received_on", "note"} {
		f.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	on, err := parseDate(f.Form["received_on"])
	if err != nil {
		fieldErr(s, p.Lang, f.Errors, err, "received_on")
	}
	mid, _ := strconv.ParseInt(f.Form["member"], 10, 64)
	s.pickApplicant(r, f, r.PostFormValue("applicant_id"))
	var applicantID int64
	if f.Applicant != nil {
		applicantID = f.Applicant.ID
	}
	linked := r.PostForm["linked"]
	f.Linked = map[string]bool{}
	for _, c := range linked {
		f.Linked[c] = true
	}
	var helpers []int64
	f.Helpers = map[string]bool{}
	for _, h := range r.PostForm["helpers"] {
		f.Helpers[h] = true
		id, err := strconv.ParseInt(h, 10, 64)
		if err != nil || id <= 0 {
			id = -1 // not a member of the team: refused by the store, beside the boxes
		}
		helpers = append(helpers, id)
	}
	if len(f.Errors) == 0 {
		d, err := s.Store.ReceiveDossier(r.Context(), actorOf(r), store.NewDossier{VillageID: f.Village.ID, ProcedureCode: f.Form["procedure"], ApplicantID: applicantID,
			ApplicantName: f.Form["applicant_name"], ApplicantPhone: f.Form["applicant_phone"], SubjectName: f.Form["subject_name"],
			Practice: f.Form["practice"] != "", MemberID: mid, HelperIDs: helpers, ReceivedOn: on, Note: f.Form["note"], Linked: linked})
		if err == nil {
			http.Redirect(w, r, "/dossiers/"+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
			return
		}
		if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND {
			s.fail(w, p, err)
			return
		}
		fieldErr(s, p.Lang, f.Errors, err, "procedure")
		// The store names the field; the form's box may be called otherwise.
		for from, to := range map[string]string{"applicant": "applicant_name", "phone": "applicant_phone", "on": "received_on"} {
			if m, ok := f.Errors[from]; ok {
				f.Errors[to] = m
				delete(f.Errors, from)
			}
		}
	}
	s.render(w, http.StatusUnprocessableEntity, "dossier_new", f)
}

type dossierPage struct {
	*Page
	D       domain.Dossier
	Proc    domain.Procedure
	Village domain.Unit
	Steps   []domain.StepChange
	Allowed []domain.DossierAction
	Overdue bool
	// Expected is the earliest day the result may be back: the
	// procedure's processing time in working days from receipt.
	Expected domain.Date
	// Linked are the procedures filed together; Documents the checklist
	// of them all, each paper once.
	Linked    []domain.Procedure
	Documents []string
	Member    string        // the assisting member's name, for the slip
	Helpers   string        // the other members who helped, by name
	LookupQR  template.HTML // QR code to /tra-cuu?ma=CODE, printed on the slip
	Form      map[string]string
	Errors    map[string]string
}

func (s *Server) loadDossier(w http.ResponseWriter, r *http.Request, p *Page) (*dossierPage, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "dossier.not_found"))
		return nil, false
	}
	ctx := r.Context()
	d, err := s.Store.Dossier(ctx, actorOf(r).Scope(domain.PermDossierEdit), id)
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	dp := &dossierPage{Page: p, D: d, Form: map[string]string{"on": p.Today.VN()}, Errors: map[string]string{}, LookupQR: s.lookupQR(r, d.LookupCode)}
	if dp.Proc, err = s.Store.ProcedureByID(ctx, d.ProcedureID); err == nil {
		if dp.Village, err = s.Store.UnitByID(ctx, d.VillageID, p.At); err == nil {
			dp.Steps, err = s.Store.DossierSteps(ctx, d.ID)
		}
	}
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	days, _ := s.Store.DaysOff(ctx, d.ReceivedOn, p.Today.AddDays(60))
	seen := map[string]bool{}
	addDocs := func(docs []string) {
		for _, doc := range docs {
			if !seen[doc] {
				seen[doc] = true
				dp.Documents = append(dp.Documents, doc)
			}
		}
	}
	if d.MemberID != 0 {
		if m, err := s.Store.MemberByID(ctx, d.MemberID); err == nil {
			dp.Member = m.FullName
		}
	}
	for i, h := range d.HelperIDs {
		if m, err := s.Store.MemberByID(ctx, h); err == nil {
			if i > 0 {
				dp.Helpers += ", "
			}
			dp.Helpers += m.FullName
		}
	}
	addDocs(dp.Proc.Documents)
	for _, pid := range d.Linked {
		lp, err := s.Store.ProcedureByID(ctx, pid)
		if err != nil {
			s.fail(w, p, err)
			return nil, false
		}
		dp.Linked = append(dp.Linked, lp)
		addDocs(lp.Documents)
	}
	off := store.DayOffMap(days)
	dp.Overdue = domain.Overdue(d, dp.Proc.ProcessingDays, p.Today, off)
	if dp.Proc.ProcessingDays > 0 {
		dp.Expected = domain.AddWorkingDays(d.ReceivedOn, dp.Proc.ProcessingDays, off)
	}
	dp.Allowed = domain.Allowed(d.State, dp.Proc.FullyOnline)
	s.useStepLabels(r, p, dp.Village)
	p.Title = dp.Proc.Name
	p.Breadcrumb = []Crumb{{Name: dp.Village.Name, URL: "/villages/" + dp.Village.Code + "/dossiers"}, {Name: p.T("ui.dossier") + " " + d.LookupCode}}
	return dp, true
}

// dossierShow is a dossier with its receipt-slip details, its steps and
// the actions allowed next.
func (s *Server) dossierShow(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.dossier")
	dp, ok := s.loadDossier(w, r, p)
	if !ok {
		return
	}
	s.render(w, http.StatusOK, "dossier", dp)
}

// dossierStep applies one action; a refused one comes back with the
// message and what may come next.
func (s *Server) dossierStep(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.dossier")
	dp, ok := s.loadDossier(w, r, p)
	if !ok {
		return
	}
	for _, k := range []string{"action", "on", "note", "portal_code", "version"} {
		dp.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	on, err := parseDate(dp.Form["on"])
	if err != nil {
		fieldErr(s, p.Lang, dp.Errors, err, "on")
	}
	version, _ := strconv.Atoi(dp.Form["version"])
	if len(dp.Errors) == 0 {
		_, err := s.Store.AdvanceDossier(r.Context(), actorOf(r), store.Step{DossierID: dp.D.ID, Version: version, Action: domain.DossierAction(dp.Form["action"]),
			On: on, Note: dp.Form["note"], PortalCode: dp.Form["portal_code"]})
		if err == nil {
			http.Redirect(w, r, "/dossiers/"+strconv.FormatInt(dp.D.ID, 10), http.StatusSeeOther)
			return
		}
		if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND {
			s.fail(w, p, err)
			return
		}
		fieldErr(s, p.Lang, dp.Errors, err, "action")
	}
	s.render(w, http.StatusUnprocessableEntity, "dossier", dp)
}

func (f dossierPage) formValue(n string) string { return f.Form[n] }
func (f dossierPage) formError(n string) string { return f.Errors[n] }

// dossierDocuments records the checklist papers ticked as received.
func (s *Server) dossierDocuments(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.dossier")
	dp, ok := s.loadDossier(w, r, p)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err := s.Store.TickDocuments(r.Context(), actorOf(r), dp.D.ID, version, r.PostForm["doc"])
	if err == nil {
		http.Redirect(w, r, "/dossiers/"+strconv.FormatInt(dp.D.ID, 10), http.StatusSeeOther)
		return
	}
	if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND {
		s.fail(w, p, err)
		return
	}
	dp.Errors["documents"] = s.Cat.Err(p.Lang, err)
	s.render(w, http.StatusUnprocessableEntity, "dossier", dp)
}

// Ticked reports whether a checklist paper was received.
func (f dossierPage) Ticked(doc string) bool {
	for _, d := range f.D.DocumentsReceived {
		if d == doc {
			return true
		}
	}
	return false
}
