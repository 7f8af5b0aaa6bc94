package web

import (
	"net/http"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// positionsPage lists the positions members may hold, for officers to
// extend.
type positionsPage struct {
	*Page
	Positions []store.Position
	Form      map[string]string
	Errors    map[string]string
	Added     string
}

func (f positionsPage) formValue(n string) string { return f.Form[n] }
func (f positionsPage) formError(n string) string { return f.Errors[n] }

// PositionName names a position in the page's language: built-in ones by
// translation, added ones as the officer wrote them.
func (p *Page) PositionName(ps []store.Position, code string) string {
	for _, x := range ps {
		if x.Code == code {
			if x.Builtin {
				return p.T("position." + code)
			}
			return x.Name
		}
	}
	return code
}

func (s *Server) positionsRender(w http.ResponseWriter, r *http.Request, p *Page, pp *positionsPage, status int) {
	var err error
	if pp.Positions, err = s.Store.Positions(r.Context()); err != nil {
		s.fail(w, p, err)
		return
	}
	s.render(w, status, "positions", pp)
}

func (s *Server) positionList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.positions")
	s.positionsRender(w, r, p, &positionsPage{Page: p, Form: map[string]string{}, Errors: map[string]string{}, Added: r.URL.Query().Get("added")}, http.StatusOK)
}

func (s *Server) positionAdd(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.positions")
	pp := &positionsPage{Page: p, Form: map[string]string{"name": strings.TrimSpace(r.PostFormValue("name"))}, Errors: map[string]string{}}
	pos, err := s.Store.AddPosition(r.Context(), actorOf(r), pp.Form["name"])
	if err == nil {
		http.Redirect(w, r, "/positions?added="+pos.Code, http.StatusSeeOther)
		return
	}
	if domain.ErrorCode(err) == domain.EINTERNAL {
		s.fail(w, p, err)
		return
	}
	fieldErr(s, p.Lang, pp.Errors, err, "name")
	s.positionsRender(w, r, p, pp, http.StatusUnprocessableEntity)
}
