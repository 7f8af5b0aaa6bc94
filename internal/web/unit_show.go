package web

import (
	"net/http"

	"thonso/internal/domain"
	"thonso/internal/store"
)

type unitPage struct {
	*Page
	Unit         domain.Unit
	Children     []domain.Unit
	Predecessors []domain.LinkedUnit
	Successors   []domain.LinkedUnit
	Heirs        []domain.LinkedUnit // successors live on the page's date
	Events       []domain.Event
	SmartSince   domain.Date
	Reviews      []store.GrantReview // grants left on units merged into this one
	Teams        []domain.Team
}

// unitShow is a unit's page on a date: parent chain, children, history.
func (s *Server) unitShow(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "")
	ctx := r.Context()
	if p.AtError != "" {
		s.renderBadDate(w, p)
		return
	}
	u, err := s.Store.UnitAt(ctx, r.PathValue("code"), p.At)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	p.Title = u.Name
	anc, err := s.Store.Ancestors(ctx, u)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	p.Breadcrumb = []Crumb{{Name: p.T("ui.units"), URL: "/?at=" + p.At.String()}}
	for _, a := range anc {
		p.Breadcrumb = append(p.Breadcrumb, Crumb{Name: a.Name, URL: p.UnitURL(a.Code)})
	}
	p.Breadcrumb = append(p.Breadcrumb, Crumb{Name: u.Name})
	pg := unitPage{Page: p, Unit: u}
	if pg.Children, err = s.Store.Children(ctx, u.ID, p.At); err == nil {
		if pg.Predecessors, err = s.Store.Predecessors(ctx, u.ID); err == nil {
			if pg.Successors, err = s.Store.Successors(ctx, u.ID); err == nil {
				if pg.Events, err = s.Store.Events(ctx, u.ID); err == nil && !u.ValidTo.IsZero() {
					pg.Heirs, err = s.Store.SuccessorsOn(ctx, u.ID, p.Today)
				}
			}
		}
	}
	if err == nil {
		pg.Teams, err = s.Store.TeamsOf(ctx, u.ID, p.At)
	}
	if a := actorOf(r); err == nil && a != nil && a.Can(domain.PermUserManage) {
		pg.Reviews, err = s.Store.GrantsToReview(ctx, a, u.ID)
	}
	if err == nil && u.Level == domain.LevelVillage {
		pg.SmartSince, _, err = s.Store.EnrolledOn(ctx, u.ID, p.At)
	}
	if err != nil {
		s.fail(w, p, err)
		return
	}
	s.render(w, http.StatusOK, "unit", pg)
}

func (s *Server) renderBadDate(w http.ResponseWriter, p *Page) {
	s.render(w, http.StatusBadRequest, "error", errorPage{Page: p, Message: p.AtError})
}
