package web

import (
	"net/http"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

// householdFor reads {id} as a household within the permission's scope.
func (s *Server) householdFor(w http.ResponseWriter, r *http.Request, p *Page, perm domain.Permission) (domain.Household, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "household.not_found"))
		return domain.Household{}, false
	}
	h, err := s.Store.Household(r.Context(), actorOf(r).Scope(perm), id)
	if err != nil {
		s.fail(w, p, err)
		return h, false
	}
	return h, true
}

type householdPage struct {
	*Page
	H       domain.Household
	Village domain.Unit
	Members []domain.Resident
	Form    map[string]string
	Errors  map[string]string
	CanEdit bool
	IsNew   bool
	Action  string
}

func (f householdPage) formValue(n string) string { return f.Form[n] }
func (f householdPage) formError(n string) string { return f.Errors[n] }

func formOfHousehold(h domain.Household) map[string]string {
	f := map[string]string{"number": h.Number, "hamlet": h.Hamlet, "address": h.Address, "bank": h.Bank.Since.VN(), "zalo": h.Zalo.Since.VN(), "version": strconv.Itoa(h.Version)}
	if h.Bank.Helped {
		f["bank_helped"] = "1"
	}
	if h.Zalo.Helped {
		f["zalo_helped"] = "1"
	}
	return f
}

func (s *Server) householdShow(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.household")
	h, ok := s.householdFor(w, r, p, domain.PermResidentView)
	if !ok {
		return
	}
	a := actorOf(r)
	v, err := s.Store.UnitByID(r.Context(), h.VillageID, p.At)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	members, _, err := s.Store.Residents(r.Context(), a.Scope(domain.PermResidentView), store.ResidentQuery{HouseholdID: h.ID, WithLeft: true})
	if err != nil {
		s.fail(w, p, err)
		return
	}
	p.Title = p.T("ui.household_no", "number", h.Number)
	p.Breadcrumb = []Crumb{{Name: v.Name, URL: "/villages/" + v.Code + "/residents"}, {Name: p.Title}}
	can, _ := s.Store.Covers(r.Context(), a.Scope(domain.PermResidentEdit), h.VillageID)
	s.render(w, http.StatusOK, "household", householdPage{Page: p, H: h, Village: v, Members: members, Form: formOfHousehold(h), Errors: map[string]string{},
		CanEdit: can, Action: "/households/" + strconv.FormatInt(h.ID, 10)})
}

func parseHouseholdForm(r *http.Request, s *Server, lang string) (domain.Household, map[string]string, map[string]string) {
	f := map[string]string{}
	for _, k := range []string{"number", "hamlet", "address", "bank", "bank_helped", "zalo", "zalo_helped", "version"} {
		f[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	errs := map[string]string{}
	h := domain.Household{Number: f["number"], Hamlet: f["hamlet"], Address: f["address"]}
	h.Version, _ = strconv.Atoi(f["version"])
	for _, k := range []string{"bank", "zalo"} {
		d, err := textvi.ParseDate(f[k])
		if err != nil {
			errs[k] = s.Cat.Err(lang, err)
		}
		a := domain.Adoption{Since: d, Helped: f[k+"_helped"] != ""}
		if k == "bank" {
			h.Bank = a
		} else {
			h.Zalo = a
		}
	}
	return h, f, errs
}

// editableVillage reads {code} as a village the actor may edit residents of.
func (s *Server) editableVillage(w http.ResponseWriter, r *http.Request, p *Page) (domain.Unit, bool) {
	v, err := s.village(r, p)
	if err == nil {
		err = s.inScope(r, actorOf(r).Scope(domain.PermResidentEdit), v.ID)
	}
	if err != nil {
		s.fail(w, p, err)
		return v, false
	}
	return v, true
}

// householdNewForm and householdCreate add a household to a village.
func (s *Server) householdNewForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.household_new")
	v, ok := s.editableVillage(w, r, p)
	if !ok {
		return
	}
	s.render(w, http.StatusOK, "household", householdPage{Page: p, Village: v, Form: map[string]string{}, Errors: map[string]string{}, CanEdit: true, IsNew: true,
		Action: "/villages/" + v.Code + "/households"})
}

func (s *Server) householdCreate(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.household_new")
	v, ok := s.editableVillage(w, r, p)
	if !ok {
		return
	}
	h, f, errs := parseHouseholdForm(r, s, p.Lang)
	hp := householdPage{Page: p, Village: v, Form: f, Errors: errs, CanEdit: true, IsNew: true, Action: "/villages/" + v.Code + "/households"}
	if len(errs) == 0 {
		h.VillageID = v.ID
		created, err := s.Store.CreateHousehold(r.Context(), actorOf(r), h)
		if err == nil {
			http.Redirect(w, r, "/households/"+strconv.FormatInt(created.ID, 10), http.StatusSeeOther)
			return
		}
		if domain.ErrorCode(err) == domain.EINTERNAL {
			s.fail(w, p, err)
			return
		}
		fieldErr(s, p.Lang, errs, err, "number")
	}
	s.render(w, http.StatusUnprocessableEntity, "household", hp)
}

// householdUpdate saves the household's facts.
func (s *Server) householdUpdate(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.household")
	old, ok := s.householdFor(w, r, p, domain.PermResidentEdit)
	if !ok {
		return
	}
	h, f, errs := parseHouseholdForm(r, s, p.Lang)
	v, _ := s.Store.UnitByID(r.Context(), old.VillageID, p.At)
	hp := householdPage{Page: p, H: old, Village: v, Form: f, Errors: errs, CanEdit: true, Action: "/households/" + strconv.FormatInt(old.ID, 10)}
	if len(errs) == 0 {
		h.ID = old.ID
		if _, err := s.Store.UpdateHousehold(r.Context(), actorOf(r), h); err == nil {
			http.Redirect(w, r, "/households/"+strconv.FormatInt(h.ID, 10), http.StatusSeeOther)
			return
		} else if domain.ErrorCode(err) == domain.EINTERNAL {
			s.fail(w, p, err)
			return
		} else {
			fieldErr(s, p.Lang, errs, err, "number")
		}
	}
	hp.Members, _, _ = s.Store.Residents(r.Context(), actorOf(r).Scope(domain.PermResidentView), store.ResidentQuery{HouseholdID: old.ID, WithLeft: true})
	s.render(w, http.StatusUnprocessableEntity, "household", hp)
}
