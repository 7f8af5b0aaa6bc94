package web

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"thonso/internal/domain"
)

// villageEditPage is where the team leader keeps the public page: the
// introduction, the photo, and the dated infrastructure.
type villageEditPage struct {
	*Page
	Village   domain.Unit
	Profile   domain.VillageProfile
	Wifi      []domain.WifiPoint
	Equipment []domain.Equipment
	Zalo      []domain.ZaloGroup
	Form      map[string]string
	Errors    map[string]string
	Saved     bool
}

func (f villageEditPage) formValue(n string) string { return f.Form[n] }
func (f villageEditPage) formError(n string) string { return f.Errors[n] }

// loadVillageEdit reads the village of /villages/{code}/… and what its
// page holds; the village must be in the actor's team:manage scope.
func (s *Server) loadVillageEdit(w http.ResponseWriter, r *http.Request) (*villageEditPage, bool) {
	p := s.newPage(w, r, "village.edit_title")
	v, err := s.village(r, p)
	if err == nil {
		err = s.inScope(r, actorOf(r).Scope(domain.PermTeamManage), v.ID)
	}
	ep := &villageEditPage{Page: p, Village: v, Form: map[string]string{}, Errors: map[string]string{}}
	if err == nil {
		ep.Profile, err = s.Store.VillageProfile(r.Context(), v.ID)
	}
	if err == nil {
		ep.Wifi, err = s.Store.WifiPoints(r.Context(), v.ID, domain.Date{})
	}
	if err == nil {
		ep.Equipment, err = s.Store.Equipment(r.Context(), v.ID, domain.Date{})
	}
	if err == nil {
		ep.Zalo, err = s.Store.ZaloGroups(r.Context(), v.ID, domain.Date{})
	}
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	ep.Form["intro"] = ep.Profile.Intro
	p.Breadcrumb = []Crumb{{Name: v.Name, URL: p.UnitURL(v.Code)}, {Name: p.T("village.edit_title")}}
	return ep, true
}

func (s *Server) villageEdit(w http.ResponseWriter, r *http.Request) {
	ep, ok := s.loadVillageEdit(w, r)
	if !ok {
		return
	}
	ep.Saved = r.URL.Query().Get("saved") != ""
	s.render(w, http.StatusOK, "village_edit", ep)
}

// villageEditDone goes back to the form after a save, or shows it again
// with the message beside the field (422; nothing was stored).
func (s *Server) villageEditDone(w http.ResponseWriter, r *http.Request, ep *villageEditPage, err error, field string) {
	if err == nil && len(ep.Errors) == 0 {
		http.Redirect(w, r, "/villages/"+url.PathEscape(ep.Village.Code)+"/public?saved=1", http.StatusSeeOther)
		return
	}
	if err != nil {
		if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND || c == domain.EFORBIDDEN {
			s.fail(w, ep.Page, err)
			return
		}
		fieldErr(s, ep.Lang, ep.Errors, err, field)
	}
	s.render(w, http.StatusUnprocessableEntity, "village_edit", ep)
}

func (ep *villageEditPage) take(r *http.Request, keys ...string) {
	for _, k := range keys {
		ep.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
}

// date reads a dd/mm/yyyy field; empty is allowed when optional.
func (ep *villageEditPage) date(field string, optional bool) domain.Date {
	v := ep.Form[field]
	if v == "" {
		if !optional {
			ep.Errors[field] = ep.T("infra.since_missing")
			if field == "until" {
				ep.Errors[field] = ep.T("infra.until_missing")
			}
		}
		return domain.Date{}
	}
	d, err := parseDate(v)
	if err != nil {
		ep.Errors[field] = ep.s.Cat.Err(ep.Lang, err)
	}
	return d
}

func (ep *villageEditPage) number(field string) int {
	v := ep.Form[field]
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(strings.ReplaceAll(v, ".", ""))
	if err != nil {
		ep.Errors[field] = ep.T("infra.number_invalid", "value", v)
	}
	return n
}

func (s *Server) introSave(w http.ResponseWriter, r *http.Request) {
	ep, ok := s.loadVillageEdit(w, r)
	if !ok {
		return
	}
	ep.take(r, "intro")
	err := s.Store.SetIntro(r.Context(), actorOf(r), ep.Village.ID, ep.Form["intro"])
	s.villageEditDone(w, r, ep, err, "intro")
}

// photoUpload takes the page's photo: refused when it is not an image,
// too large a file or too many pixels; else re-encoded without EXIF.
func (s *Server) photoUpload(w http.ResponseWriter, r *http.Request) {
	ep, ok := s.loadVillageEdit(w, r)
	if !ok {
		return
	}
	var data []byte
	f, _, err := r.FormFile("photo")
	if err == nil {
		data, err = io.ReadAll(io.LimitReader(f, maxPhotoBytes+1))
		f.Close()
	}
	if err != nil && err != http.ErrMissingFile {
		s.villageEditDone(w, r, ep, domain.Errorf(domain.EINVALID, "photo.not_image").WithField("photo"), "photo")
		return
	}
	jpg, pw, ph, err := reencodePhoto(data)
	if err == nil {
		err = s.Store.SetPhoto(r.Context(), actorOf(r), ep.Village.ID, jpg, pw, ph)
	}
	s.villageEditDone(w, r, ep, err, "photo")
}

func (s *Server) wifiAdd(w http.ResponseWriter, r *http.Request) {
	ep, ok := s.loadVillageEdit(w, r)
	if !ok {
		return
	}
	ep.take(r, "place", "provider", "network_name", "hours", "free", "since", "until")
	wp := domain.WifiPoint{VillageID: ep.Village.ID, Place: ep.Form["place"], Provider: ep.Form["provider"], NetworkName: ep.Form["network_name"],
		Hours: ep.Form["hours"], Free: ep.Form["free"] != "", Since: ep.date("since", false), Until: ep.date("until", true)}
	var err error
	if len(ep.Errors) == 0 {
		_, err = s.Store.AddWifi(r.Context(), actorOf(r), wp)
	}
	s.villageEditDone(w, r, ep, err, "place")
}

func (s *Server) equipmentAdd(w http.ResponseWriter, r *http.Request) {
	ep, ok := s.loadVillageEdit(w, r)
	if !ok {
		return
	}
	ep.take(r, "kind", "quantity", "detail", "eq_since", "eq_until")
	e := domain.Equipment{VillageID: ep.Village.ID, Kind: domain.EquipmentKind(ep.Form["kind"]), Quantity: ep.number("quantity"), Detail: ep.Form["detail"],
		Since: ep.date("eq_since", false), Until: ep.date("eq_until", true)}
	if ep.Form["quantity"] == "" {
		e.Quantity = 1
	}
	var err error
	if len(ep.Errors) == 0 {
		_, err = s.Store.AddEquipment(r.Context(), actorOf(r), e)
		err = renameField(err, map[string]string{"since": "eq_since", "until": "eq_until"})
	}
	s.villageEditDone(w, r, ep, err, "kind")
}

func (s *Server) zaloAdd(w http.ResponseWriter, r *http.Request) {
	ep, ok := s.loadVillageEdit(w, r)
	if !ok {
		return
	}
	ep.take(r, "zalo_name", "link", "members", "households", "counted_on", "zalo_since", "zalo_until")
	z := domain.ZaloGroup{VillageID: ep.Village.ID, Name: ep.Form["zalo_name"], Link: ep.Form["link"], Members: ep.number("members"),
		Households: ep.number("households"), CountedOn: ep.date("counted_on", true), Since: ep.date("zalo_since", false), Until: ep.date("zalo_until", true)}
	var err error
	if len(ep.Errors) == 0 {
		_, err = s.Store.AddZaloGroup(r.Context(), actorOf(r), z)
		err = renameField(err, map[string]string{"since": "zalo_since", "until": "zalo_until", "name": "zalo_name"})
	}
	s.villageEditDone(w, r, ep, err, "link")
}

// renameField pins a domain error to the form's name of its field (the
// forms on one page cannot all be called "since").
func renameField(err error, names map[string]string) error {
	if e, ok := domain.AsError(err); ok {
		if n, ok := names[e.Field]; ok {
			c := *e
			c.Field = n
			return &c
		}
	}
	return err
}

// infraEnd records that a Wi-Fi point, equipment or the Zalo group is
// gone after a date (the row stays for earlier days).
func (s *Server) infraEnd(w http.ResponseWriter, r *http.Request) {
	ep, ok := s.loadVillageEdit(w, r)
	if !ok {
		return
	}
	ep.take(r, "until")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, ep.Page, domain.Errorf(domain.ENOTFOUND, "infra.not_found"))
		return
	}
	until := ep.date("until", false)
	if len(ep.Errors) == 0 {
		err = s.Store.EndInfra(r.Context(), actorOf(r), ep.Village.ID, r.PathValue("kind"), id, until)
	}
	if domain.ErrorCode(err) == domain.ECONFLICT {
		fieldErr(s, ep.Lang, ep.Errors, err, "until")
		s.render(w, http.StatusConflict, "village_edit", ep)
		return
	}
	s.villageEditDone(w, r, ep, err, "until")
}
