package web

import (
	"net/http"
	"strconv"
	"strings"

	"thonso/internal/domain"
)

type proceduresPage struct {
	*Page
	Procs   []domain.Procedure
	CanEdit bool
}

// procedureList is the catalogue: what each procedure needs, where it is
// filed, how long it takes.
func (s *Server) procedureList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.catalogue")
	ps, err := s.Store.Procedures(r.Context())
	if err != nil {
		s.fail(w, p, err)
		return
	}
	a := actorOf(r)
	s.render(w, http.StatusOK, "procedures", proceduresPage{Page: p, Procs: ps, CanEdit: a != nil && a.Can(domain.PermUnitManage)})
}

type procedureForm struct {
	*Page
	P      domain.Procedure
	Form   map[string]string
	Errors map[string]string
}

func (f procedureForm) formValue(n string) string { return f.Form[n] }
func (f procedureForm) formError(n string) string { return f.Errors[n] }

func (s *Server) procedureFormPage(w http.ResponseWriter, r *http.Request, p *Page) (*procedureForm, bool) {
	pr, err := s.Store.Procedure(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	online := ""
	if pr.FullyOnline {
		online = "1"
	}
	f := &procedureForm{Page: p, P: pr, Errors: map[string]string{}, Form: map[string]string{"name": pr.Name, "agency": pr.Agency, "portal": pr.Portal,
		"fully_online": online, "documents": strings.Join(pr.Documents, "\n"), "fee": pr.Fee, "processing_days": strconv.Itoa(pr.ProcessingDays),
		"retired_on": pr.RetiredOn.VN(), "version": strconv.Itoa(pr.Version)}}
	p.Title = pr.Name
	return f, true
}

func (s *Server) procedureEditForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.catalogue")
	if f, ok := s.procedureFormPage(w, r, p); ok {
		s.render(w, http.StatusOK, "procedure_edit", f)
	}
}

// procedureUpdate saves an officer's change to the catalogue.
func (s *Server) procedureUpdate(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.catalogue")
	f, ok := s.procedureFormPage(w, r, p)
	if !ok {
		return
	}
	for _, k := range []string{"name", "agency", "portal", "fully_online", "documents", "fee", "processing_days", "retired_on", "version"} {
		f.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	pr := f.P
	pr.Name, pr.Agency, pr.Portal, pr.FullyOnline, pr.Fee = f.Form["name"], f.Form["agency"], f.Form["portal"], f.Form["fully_online"] != "", f.Form["fee"]
	pr.Documents = domain.SplitDocuments(f.Form["documents"])
	pr.Version, _ = strconv.Atoi(f.Form["version"])
	days, err := strconv.Atoi(f.Form["processing_days"])
	if err != nil {
		f.Errors["processing_days"] = p.T("procedure.days_invalid")
	}
	pr.ProcessingDays = days
	if f.Form["retired_on"] != "" {
		if pr.RetiredOn, err = parseDate(f.Form["retired_on"]); err != nil {
			fieldErr(s, p.Lang, f.Errors, err, "retired_on")
		}
	} else {
		pr.RetiredOn = domain.Date{}
	}
	if len(f.Errors) == 0 {
		if err := s.Store.UpdateProcedure(r.Context(), actorOf(r), pr); err == nil {
			http.Redirect(w, r, "/procedures", http.StatusSeeOther)
			return
		} else if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.EFORBIDDEN {
			s.fail(w, p, err)
			return
		} else {
			fieldErr(s, p.Lang, f.Errors, err, "name")
		}
	}
	s.render(w, http.StatusUnprocessableEntity, "procedure_edit", f)
}

// featuredSet chooses the 1–2 fully online procedures a village features.
func (s *Server) featuredSet(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.team")
	v, err := s.village(r, p)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	r.ParseForm()
	if err := s.Store.SetFeatured(r.Context(), actorOf(r), v.ID, r.PostForm["procedures"], p.Today); err != nil {
		if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND {
			s.fail(w, p, err)
			return
		}
		s.render(w, http.StatusUnprocessableEntity, "error", errorPage{Page: p, Message: s.Cat.Err(p.Lang, err)})
		return
	}
	next := localNext(r.PostFormValue("next"))
	http.Redirect(w, r, next, http.StatusSeeOther)
}
