package web

import (
	"net/http"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

// setsPage lists the criteria sets an officer manages.
type setsPage struct {
	*Page
	Sets   []store.SetSummary
	Owners map[int64]string
}

// criteriaSets: GET /criteria.
func (s *Server) criteriaSets(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.criteria_sets")
	ctx := r.Context()
	sets, err := s.Store.Sets(ctx, actorOf(r).Scope(domain.PermCriteriaManage))
	if err != nil {
		s.fail(w, p, err)
		return
	}
	sp := &setsPage{Page: p, Sets: sets, Owners: map[int64]string{}}
	for _, x := range sets {
		if _, ok := sp.Owners[x.OwnerID]; !ok {
			if u, err := s.Store.UnitByID(ctx, x.OwnerID, x.From); err == nil {
				sp.Owners[x.OwnerID] = u.Name
			}
		}
	}
	s.render(w, http.StatusOK, "criteria_sets", sp)
}

// setFormPage shows a set, and edits it when it may change.
type setFormPage struct {
	*Page
	Set          domain.CriteriaSet
	Owner        domain.Unit
	Editable     bool
	InUse        bool
	Rows         []setRow
	Groups       []domain.CriteriaGroup
	Computations []string
	Form         map[string]string
	Errors       map[string]string
	Saved        bool
	lineOf       []int // the form line of each filled indicator row
}

// setRow is one indicator line of the form, as typed.
type setRow struct {
	I                                                     int
	Code, Group, Name, Explanation, Type, Min, Max, Param string
	Computation                                           string
	MMin, MMax                                            string // a mountain commune's own target, if any
	Mandatory, Assumed, Entered                           bool
}

func (f setFormPage) formValue(n string) string { return f.Form[n] }
func (f setFormPage) formError(n string) string { return f.Errors[n] }

// Err is the message for one box of an indicator row.
func (f setFormPage) Err(i int, box string) string {
	return f.Errors["indicators."+strconv.Itoa(i)+"."+box]
}

// blankRows is how many empty lines the form offers for new indicators.
const blankRows = 3

func rowsOf(cs domain.CriteriaSet) []setRow {
	var out []setRow
	for i, in := range cs.Indicators {
		var mmin, mmax string
		if in.Mountain != nil {
			mmin, mmax = numText(in.Mountain.Min), numText(in.Mountain.Max)
		}
		out = append(out, setRow{I: i, MMin: mmin, MMax: mmax, Code: in.Code, Group: in.Group, Name: in.Name, Explanation: in.Explanation, Type: string(in.Target.Type),
			Min: numText(in.Target.Min), Max: numText(in.Target.Max), Param: strconv.Itoa(in.Param), Computation: in.Computation,
			Mandatory: in.Mandatory, Assumed: in.Assumed, Entered: in.Source == domain.SourceEntered})
	}
	for k := 0; k < blankRows; k++ {
		out = append(out, setRow{I: len(out)})
	}
	return out
}

func (s *Server) loadSet(w http.ResponseWriter, r *http.Request, p *Page) (*setFormPage, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "criteria.not_found"))
		return nil, false
	}
	ctx := r.Context()
	cs, err := s.Store.Set(ctx, id)
	if err == nil {
		if ok, merr := s.Store.ManagesSet(ctx, actorOf(r).Scope(domain.PermCriteriaManage), cs.OwnerID); merr != nil || !ok {
			err = domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
		}
	}
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	f := &setFormPage{Page: p, Set: cs, Groups: cs.Groups, Computations: store.ComputationNames(), Form: map[string]string{}, Errors: map[string]string{}}
	f.Owner, _ = s.Store.UnitByID(ctx, cs.OwnerID, cs.From)
	f.InUse = cs.Status != domain.SetDraft && s.setUsed(r, cs.ID)
	f.Editable = !f.InUse
	f.Rows = rowsOf(cs)
	f.Form = map[string]string{"name": cs.Name, "description": cs.Description, "from": cs.From.VN(), "to": cs.To.VN(), "rule": string(cs.Rule),
		"rule_min": strconv.Itoa(cs.RuleMin), "lock": strconv.Itoa(cs.Lock)}
	p.Title = cs.Name
	p.Breadcrumb = []Crumb{{Name: p.T("ui.criteria_sets"), URL: "/criteria"}, {Name: p.T("ui.criteria_version", "version", strconv.Itoa(cs.Version))}}
	return f, true
}

func (s *Server) setUsed(r *http.Request, id int64) bool {
	n, err := s.Store.SetAssessmentCount(r.Context(), id)
	return err != nil || n > 0
}

// criteriaSetShow: GET /criteria/{id} — the set, as a form while it may
// still change.
func (s *Server) criteriaSetShow(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.criteria_sets")
	f, ok := s.loadSet(w, r, p)
	if !ok {
		return
	}
	f.Saved = r.URL.Query().Get("saved") != ""
	s.render(w, http.StatusOK, "criteria_set", f)
}

// criteriaSetUpdate: POST /criteria/{id} — the whole set as edited; a bad
// line comes back with the message beside its box and nothing stored.
func (s *Server) criteriaSetUpdate(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.criteria_sets")
	f, ok := s.loadSet(w, r, p)
	if !ok {
		return
	}
	cs := s.readSetForm(r, f)
	if len(f.Errors) == 0 {
		saved, err := s.Store.UpdateSet(r.Context(), actorOf(r), cs)
		if err == nil {
			http.Redirect(w, r, "/criteria/"+strconv.FormatInt(saved.ID, 10)+"?saved=1", http.StatusSeeOther)
			return
		}
		switch domain.ErrorCode(err) {
		case domain.EINTERNAL, domain.ENOTFOUND:
			s.fail(w, p, err)
			return
		}
		// The store counts filled rows; the form, its lines.
		if e, ok := domain.AsError(err); ok && strings.HasPrefix(e.Field, "indicators.") {
			parts := strings.SplitN(e.Field, ".", 3)
			if n, perr := strconv.Atoi(parts[1]); perr == nil && n < len(f.lineOf) && len(parts) == 3 {
				e.Field = "indicators." + strconv.Itoa(f.lineOf[n]) + "." + parts[2]
			}
		}
		fieldErr(s, p.Lang, f.Errors, err, "name")
	}
	s.render(w, http.StatusUnprocessableEntity, "criteria_set", f)
}

// readSetForm reads the form into a set, keeping what was typed for the
// page; boxes that do not read are errors at once.
func (s *Server) readSetForm(r *http.Request, f *setFormPage) domain.CriteriaSet {
	cs := f.Set
	for _, k := range []string{"name", "description", "from", "to", "rule", "rule_min", "lock"} {
		f.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	cs.Name, cs.Description, cs.Rule = f.Form["name"], f.Form["description"], domain.PassRule(f.Form["rule"])
	cs.Lock, _ = strconv.Atoi(f.Form["lock"])
	var err error
	if cs.From, err = textvi.ParseDate(f.Form["from"]); err != nil {
		f.Errors["from"] = s.Cat.Err(f.Lang, err)
	}
	if cs.To, err = textvi.ParseDate(f.Form["to"]); err != nil {
		f.Errors["to"] = s.Cat.Err(f.Lang, err)
	}
	if f.Form["rule_min"] != "" {
		if cs.RuleMin, err = strconv.Atoi(f.Form["rule_min"]); err != nil {
			f.Errors["rule_min"] = f.T("criteria.number_invalid")
		}
	}
	cs.Indicators = nil
	f.Rows = nil
	for i := 0; ; i++ {
		pre := "ind." + strconv.Itoa(i) + "."
		if _, present := r.PostForm[pre+"code"]; !present {
			break
		}
		row := setRow{I: i, Code: strings.TrimSpace(r.PostFormValue(pre + "code")), Group: r.PostFormValue(pre + "group"), Name: strings.TrimSpace(r.PostFormValue(pre + "name")),
			Explanation: strings.TrimSpace(r.PostFormValue(pre + "explanation")), Type: r.PostFormValue(pre + "type"), Min: strings.TrimSpace(r.PostFormValue(pre + "min")),
			Max: strings.TrimSpace(r.PostFormValue(pre + "max")), Param: strings.TrimSpace(r.PostFormValue(pre + "param")), Computation: r.PostFormValue(pre + "computation"),
			MMin: strings.TrimSpace(r.PostFormValue(pre + "mmin")), MMax: strings.TrimSpace(r.PostFormValue(pre + "mmax")),
			Mandatory: r.PostFormValue(pre+"mandatory") != "", Assumed: r.PostFormValue(pre+"assumed") != "", Entered: r.PostFormValue(pre+"source") == "entered"}
		f.Rows = append(f.Rows, row)
		if row.Code == "" && row.Name == "" {
			continue // a blank line
		}
		in := domain.Indicator{Code: row.Code, Group: row.Group, Name: row.Name, Explanation: row.Explanation, Target: domain.Target{Type: domain.TargetType(row.Type)},
			Mandatory: row.Mandatory, Assumed: row.Assumed, Source: domain.SourceComputed, Computation: row.Computation}
		if row.Entered {
			in.Source, in.Computation = domain.SourceEntered, ""
		}
		num := func(v, box string) float64 {
			if v == "" {
				return 0
			}
			x, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
			if err != nil {
				f.Errors["indicators."+strconv.Itoa(i)+"."+box] = f.T("criteria.number_invalid")
			}
			return x
		}
		in.Target.Min, in.Target.Max = num(row.Min, "target"), num(row.Max, "target")
		in.Param = int(num(row.Param, "param"))
		if row.MMin != "" || row.MMax != "" {
			in.Mountain = &domain.Target{Type: in.Target.Type, Min: num(row.MMin, "mountain"), Max: num(row.MMax, "mountain")}
		}
		cs.Indicators = append(cs.Indicators, in)
	}
	// The store names rows by their place among the filled ones; the form
	// by their line: map one to the other for the messages.
	for _, row := range f.Rows {
		if row.Code != "" || row.Name != "" {
			f.lineOf = append(f.lineOf, row.I)
		}
	}
	return cs
}

// criteriaSetCopy: POST /criteria/{id}/copy — the next version, a draft.
func (s *Server) criteriaSetCopy(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.criteria_sets")
	f, ok := s.loadSet(w, r, p)
	if !ok {
		return
	}
	cs, err := s.Store.CopySet(r.Context(), actorOf(r), f.Set.ID)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	http.Redirect(w, r, "/criteria/"+strconv.FormatInt(cs.ID, 10), http.StatusSeeOther)
}

// criteriaSetStatus: POST /criteria/{id}/status — draft, in force, retired.
func (s *Server) criteriaSetStatus(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.criteria_sets")
	f, ok := s.loadSet(w, r, p)
	if !ok {
		return
	}
	err := s.Store.SetStatus(r.Context(), actorOf(r), f.Set.ID, domain.SetStatus(r.PostFormValue("status")))
	if err == nil {
		http.Redirect(w, r, "/criteria/"+strconv.FormatInt(f.Set.ID, 10), http.StatusSeeOther)
		return
	}
	if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND {
		s.fail(w, p, err)
		return
	}
	f.Errors["status"] = s.Cat.Err(p.Lang, err)
	s.render(w, http.StatusUnprocessableEntity, "criteria_set", f)
}
