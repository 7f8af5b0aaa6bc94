package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

type residentForm struct {
	*Page
	Action    string
	Household domain.Household
	Form      map[string]string
	Errors    map[string]string
	Relations []domain.Relation
	IsNew     bool
}

func (f residentForm) formValue(n string) string { return f.Form[n] }
func (f residentForm) formError(n string) string { return f.Errors[n] }

var residentFields = []string{"full_name", "birth", "sex", "phone", "cccd", "relation", "moved_in", "left_on", "left_reason",
	"smartphone", "smartphone_helped", "vneid", "vneid_helped", "portal", "portal_helped", "bank", "bank_helped", "version"}

// formOfResident fills a form from a stored resident (dates dd/mm/yyyy).
func formOfResident(r domain.Resident) map[string]string {
	f := map[string]string{"full_name": r.FullName, "birth": r.BirthText(), "sex": string(r.Sex), "phone": r.Phone, "cccd": r.CCCD,
		"relation": string(r.Relation), "moved_in": r.MovedIn.VN(), "left_on": r.LeftOn.VN(), "left_reason": string(r.LeftReason),
		"version": strconv.Itoa(r.Version)}
	for name, a := range map[string]domain.Adoption{"smartphone": r.Smartphone, "vneid": r.VNeID, "portal": r.Portal, "bank": r.PersonalBank} {
		f[name] = a.Since.VN()
		if a.Helped {
			f[name+"_helped"] = "1"
		}
	}
	return f
}

// parseResidentForm reads the form into a resident; problems go beside
// their fields.
func parseResidentForm(r *http.Request, s *Server, lang string) (domain.Resident, map[string]string, map[string]string) {
	f := map[string]string{}
	for _, k := range residentFields {
		f[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	errs := map[string]string{}
	res := domain.Resident{FullName: f["full_name"], Sex: domain.Sex(f["sex"]), Phone: f["phone"], CCCD: f["cccd"], Relation: domain.Relation(f["relation"]),
		LeftReason: domain.LeftReason(f["left_reason"])}
	res.Version, _ = strconv.Atoi(f["version"])
	if y, err := strconv.Atoi(f["birth"]); err == nil && len(f["birth"]) == 4 {
		res.BirthDate, res.YearOnly = domain.NewDate(y, time.January, 1), true
	} else if d, err := textvi.ParseDate(f["birth"]); err != nil {
		errs["birth"] = s.Cat.Err(lang, err)
	} else {
		res.BirthDate = d
	}
	date := func(field string) domain.Date {
		d, err := textvi.ParseDate(f[field])
		if err != nil {
			errs[field] = s.Cat.Err(lang, err)
		}
		return d
	}
	res.MovedIn = date("moved_in")
	res.LeftOn = date("left_on")
	if res.LeftOn.IsZero() {
		res.LeftReason = ""
	}
	res.Smartphone = domain.Adoption{Since: date("smartphone"), Helped: f["smartphone_helped"] != ""}
	res.VNeID = domain.Adoption{Since: date("vneid"), Helped: f["vneid_helped"] != ""}
	res.Portal = domain.Adoption{Since: date("portal"), Helped: f["portal_helped"] != ""}
	res.PersonalBank = domain.Adoption{Since: date("bank"), Helped: f["bank_helped"] != ""}
	return res, f, errs
}

// residentNewForm: a form to add a member to a household.
func (s *Server) residentNewForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.resident_new")
	h, ok := s.householdFor(w, r, p, domain.PermResidentEdit)
	if !ok {
		return
	}
	s.render(w, http.StatusOK, "resident_form", residentForm{Page: p, Action: "/households/" + strconv.FormatInt(h.ID, 10) + "/residents", Household: h,
		Form: map[string]string{"relation": "con"}, Errors: map[string]string{}, Relations: domain.Relations, IsNew: true})
}

// residentCreate adds a member; bad input comes back beside its field (422).
func (s *Server) residentCreate(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.resident_new")
	h, ok := s.householdFor(w, r, p, domain.PermResidentEdit)
	if !ok {
		return
	}
	res, f, errs := parseResidentForm(r, s, p.Lang)
	rf := residentForm{Page: p, Action: "/households/" + strconv.FormatInt(h.ID, 10) + "/residents", Household: h, Form: f, Errors: errs, Relations: domain.Relations, IsNew: true}
	if len(errs) == 0 {
		res.HouseholdID = h.ID
		created, err := s.Store.CreateResident(r.Context(), actorOf(r), res)
		if err == nil {
			http.Redirect(w, r, "/residents/"+strconv.FormatInt(created.ID, 10), http.StatusSeeOther)
			return
		}
		if domain.ErrorCode(err) == domain.EINTERNAL || domain.ErrorCode(err) == domain.ENOTFOUND {
			s.fail(w, p, err)
			return
		}
		fieldErr(s, p.Lang, errs, err, "full_name")
	}
	s.render(w, http.StatusUnprocessableEntity, "resident_form", rf)
}

func (s *Server) residentEditForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.resident_edit")
	rp, ok := s.loadResident(w, r, p)
	if !ok {
		return
	}
	if ok, err := s.Store.Covers(r.Context(), actorOf(r).Scope(domain.PermResidentEdit), rp.R.VillageID); err != nil || !ok {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "resident.not_found"))
		return
	}
	s.render(w, http.StatusOK, "resident_form", residentForm{Page: p, Action: "/residents/" + strconv.FormatInt(rp.R.ID, 10), Household: rp.Household,
		Form: formOfResident(rp.R), Errors: map[string]string{}, Relations: domain.Relations})
}

// residentUpdate saves an edit; a stale version (someone saved first)
// comes back with the message, not silently overwritten.
func (s *Server) residentUpdate(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.resident_edit")
	rp, ok := s.loadResident(w, r, p)
	if !ok {
		return
	}
	res, f, errs := parseResidentForm(r, s, p.Lang)
	rf := residentForm{Page: p, Action: "/residents/" + strconv.FormatInt(rp.R.ID, 10), Household: rp.Household, Form: f, Errors: errs, Relations: domain.Relations}
	if len(errs) == 0 {
		res.ID, res.HouseholdID = rp.R.ID, rp.R.HouseholdID
		_, err := s.Store.UpdateResident(r.Context(), actorOf(r), res)
		if err == nil {
			http.Redirect(w, r, "/residents/"+strconv.FormatInt(res.ID, 10), http.StatusSeeOther)
			return
		}
		if domain.ErrorCode(err) == domain.EINTERNAL || domain.ErrorCode(err) == domain.ENOTFOUND {
			s.fail(w, p, err)
			return
		}
		fieldErr(s, p.Lang, errs, err, "full_name")
	}
	s.render(w, http.StatusUnprocessableEntity, "resident_form", rf)
}
