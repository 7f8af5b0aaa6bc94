package web

import (
	"net/http"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/store"
)

type residentPage struct {
	*Page
	R         domain.Resident
	Household domain.Household
	Village   domain.Unit
	Revealed  bool
	Purposes  []string
	CanEdit   bool
	CanPII    bool
	Error     string
	Form      map[string]string
	Errors    map[string]string
	Consents  []domain.Consent
	Requests  []domain.SubjectRequest
}

func (f residentPage) formValue(n string) string { return f.Form[n] }
func (f residentPage) formError(n string) string { return f.Errors[n] }

func (s *Server) loadResident(w http.ResponseWriter, r *http.Request, p *Page) (*residentPage, bool) {
	a := actorOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "resident.not_found"))
		return nil, false
	}
	res, err := s.Store.Resident(r.Context(), a.Scope(domain.PermResidentView), id)
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	h, err := s.Store.Household(r.Context(), a.Scope(domain.PermResidentView), res.HouseholdID)
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	v, err := s.Store.UnitByID(r.Context(), res.VillageID, p.At)
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	p.Title = res.FullName
	p.Breadcrumb = []Crumb{{Name: v.Name, URL: "/villages/" + v.Code + "/residents"}, {Name: p.T("ui.household_no", "number", h.Number), URL: "/households/" + strconv.FormatInt(h.ID, 10)}, {Name: res.FullName}}
	rp := &residentPage{Page: p, R: res, Household: h, Village: v, Purposes: domain.Purposes,
		CanEdit: a.Can(domain.PermResidentEdit), CanPII: a.Can(domain.PermResidentViewPII),
		Form: map[string]string{"given_on": p.Today.VN(), "withdrawn_on": p.Today.VN(), "received_on": p.Today.VN()}, Errors: map[string]string{}}
	if rp.Consents, err = s.Store.Consents(r.Context(), "resident", res.ID); err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	if rp.CanPII {
		if rp.Requests, err = s.Store.SubjectRequests(r.Context(), a.Scope(domain.PermResidentViewPII), store.RequestQuery{ResidentID: res.ID}); err != nil {
			s.fail(w, p, err)
			return nil, false
		}
	}
	return rp, true
}

// residentShow is a resident's page; opening it is audited. Phone and
// CCCD stay masked until revealed with a purpose.
func (s *Server) residentShow(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.resident")
	rp, ok := s.loadResident(w, r, p)
	if !ok {
		return
	}
	if err := s.Store.Audit(r.Context(), actorOf(r), store.AuditEntry{Action: "view", Entity: "resident", EntityID: strconv.FormatInt(rp.R.ID, 10), UnitID: rp.R.VillageID}); err != nil {
		s.fail(w, p, err)
		return
	}
	s.render(w, http.StatusOK, "resident", rp)
}

// residentReveal shows the masked values to a user with resident:view_pii
// who states why; the reveal is audited with that purpose.
func (s *Server) residentReveal(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.resident")
	a := actorOf(r)
	rp, ok := s.loadResident(w, r, p)
	if !ok {
		return
	}
	if ok, err := s.Store.Covers(r.Context(), a.Scope(domain.PermResidentViewPII), rp.R.VillageID); err != nil || !ok {
		s.render(w, http.StatusForbidden, "error", errorPage{Page: p, Message: p.T("auth.forbidden", "permission", string(domain.PermResidentViewPII))})
		return
	}
	purpose := r.PostFormValue("purpose")
	if !domain.ValidPurpose(purpose) {
		rp.Error = p.T("purpose.missing")
		rp.Errors["purpose"] = rp.Error
		s.render(w, http.StatusUnprocessableEntity, "resident", rp)
		return
	}
	if err := s.Store.Audit(r.Context(), a, store.AuditEntry{Action: "reveal", Entity: "resident", EntityID: strconv.FormatInt(rp.R.ID, 10),
		UnitID: rp.R.VillageID, Purpose: purpose, Changes: []store.Change{store.Personal("phone"), store.Personal("cccd")}}); err != nil {
		s.fail(w, p, err)
		return
	}
	rp.Revealed = true
	s.render(w, http.StatusOK, "resident", rp)
}
