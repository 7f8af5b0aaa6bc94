package web

import (
	"net/http"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// useStepLabels makes p name the dossier steps in the words of the
// province over v. Without a province (or on a read error) the standard
// labels stay: a label is wording, never a reason to fail a page.
func (s *Server) useStepLabels(r *http.Request, p *Page, v domain.Unit) {
	prov, ok, err := s.Store.ProvinceOf(r.Context(), v)
	if err != nil || !ok {
		return
	}
	if ls, err := s.Store.StepLabels(r.Context(), prov.ID); err == nil {
		p.stepLabels = ls
	}
}

type stepLabelsPage struct {
	*Page
	Unit   domain.Unit
	States []domain.DossierState
	Saved  bool
	Form   map[string]string
	Errors map[string]string
}

func (f stepLabelsPage) formValue(n string) string { return f.Form[n] }
func (f stepLabelsPage) formError(n string) string { return f.Errors[n] }

// stepLabelsForm lets a province officer word the five steps their way.
func (s *Server) stepLabelsForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.step_labels")
	f, ok := s.stepLabelsPage(w, r, p)
	if !ok {
		return
	}
	ls, err := s.Store.StepLabels(r.Context(), f.Unit.ID)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	for _, st := range store.StepStates {
		f.Form[string(st)] = ls[st]
	}
	f.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, http.StatusOK, "step_labels", f)
}

func (s *Server) stepLabelsSave(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.step_labels")
	f, ok := s.stepLabelsPage(w, r, p)
	if !ok {
		return
	}
	ls := map[domain.DossierState]string{}
	for _, st := range store.StepStates {
		f.Form[string(st)] = r.PostFormValue(string(st))
		ls[st] = f.Form[string(st)]
	}
	err := s.Store.SetStepLabels(r.Context(), actorOf(r), f.Unit, ls)
	if err == nil {
		http.Redirect(w, r, "/units/"+f.Unit.Code+"/step-labels?saved=1", http.StatusSeeOther)
		return
	}
	if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND {
		s.fail(w, p, err)
		return
	}
	fieldErr(s, p.Lang, f.Errors, err, string(domain.StateReceived))
	s.render(w, http.StatusUnprocessableEntity, "step_labels", f)
}

func (s *Server) stepLabelsPage(w http.ResponseWriter, r *http.Request, p *Page) (*stepLabelsPage, bool) {
	u, err := s.Store.UnitAt(r.Context(), r.PathValue("code"), p.Today)
	if err == nil && u.Level != domain.LevelProvince {
		err = domain.Errorf(domain.ENOTFOUND, "unit.not_found")
	}
	if err == nil {
		err = s.inScope(r, actorOf(r).Scope(domain.PermCriteriaManage), u.ID)
	}
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	p.Title = p.T("ui.step_labels_of", "unit", u.Name)
	p.Breadcrumb = []Crumb{{Name: u.Name, URL: "/units/" + u.Code}, {Name: p.T("ui.step_labels")}}
	return &stepLabelsPage{Page: p, Unit: u, States: store.StepStates, Form: map[string]string{}, Errors: map[string]string{}}, true
}
