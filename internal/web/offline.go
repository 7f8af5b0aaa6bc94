package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
)

// offlinePage is the member's offline app: registering this phone, then
// receiving dossiers without a connection into an outbox that syncs.
type offlinePage struct {
	*Page
	Village    domain.Unit
	Procedures []domain.Procedure
	// Just registered: handed to the script once, kept on the phone.
	DeviceID  int64
	Prefix    string
	Token     string
	Error     string
	SyncURL   string
	OfflineJS string
	StepsJSON string // the steps the phone offers, named in the page's language
	Relations []domain.Relation
	Facts     []offlineFact
	CanLog    bool // a session is logged by who manages the team
}

// offlineFact is a digital-adoption date the phone can correct.
type offlineFact struct{ Key, Label string }

func offlineFacts() []offlineFact {
	return []offlineFact{{"smartphone", "ui.fact_smartphone"}, {"vneid", "ui.fact_vneid"}, {"portal", "ui.fact_portal"}, {"bank", "ui.fact_bank"}}
}

// offlineVillage is the village a member works offline for: their own
// (the first village among their dossier:edit grants).
func (s *Server) offlineVillage(r *http.Request, p *Page) (domain.Unit, error) {
	for _, g := range actorOf(r).Grants {
		if g.Unit != nil && g.UnitLevel == domain.LevelVillage {
			return s.Store.UnitByID(r.Context(), g.Unit.ID, p.Today)
		}
	}
	return domain.Unit{}, domain.Errorf(domain.EFORBIDDEN, "offline.no_village")
}

func (s *Server) offlineRender(w http.ResponseWriter, r *http.Request, op *offlinePage, status int) {
	v, err := s.offlineVillage(r, op.Page)
	if err != nil {
		s.fail(w, op.Page, err)
		return
	}
	op.Village = v
	ps, err := s.Store.Procedures(r.Context())
	if err != nil {
		s.fail(w, op.Page, err)
		return
	}
	for _, p := range ps {
		if p.RetiredOn.IsZero() {
			op.Procedures = append(op.Procedures, p)
		}
	}
	op.SyncURL, op.OfflineJS, op.Relations, op.Facts = "/api/v1/sync", s.offlineJS, domain.Relations, offlineFacts()
	op.CanLog = actorOf(r).Can(domain.PermTeamManage)
	steps := map[string]string{}
	for _, a := range []domain.DossierAction{domain.ActSubmit, domain.ActDecline, domain.ActAccept, domain.ActRequestCorrection, domain.ActResubmit,
		domain.ActRefuse, domain.ActCollect, domain.ActReturn} {
		steps[string(a)] = op.T("action." + string(a))
	}
	b, _ := json.Marshal(steps)
	op.StepsJSON = string(b)
	op.Page.Title = op.T("offline.title")
	s.render(w, status, "offline", op)
}

// offline: GET /offline — the app; the script shows what this phone holds.
func (s *Server) offline(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "offline.title")
	s.offlineRender(w, r, &offlinePage{Page: p}, http.StatusOK)
}

// offlineDevice: POST /offline/device — register this phone as the
// member's own: a device with a lookup-code prefix and a token for it
// (valid 90 days), handed to the page's script once.
func (s *Server) offlineDevice(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "offline.title")
	op := &offlinePage{Page: p}
	if _, err := s.offlineVillage(r, p); err != nil {
		s.fail(w, p, err)
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	a := actorOf(r)
	dev, err := s.Store.RegisterDevice(r.Context(), a, name)
	if err != nil {
		op.Error = s.Cat.Err(p.Lang, err)
		s.offlineRender(w, r, op, http.StatusUnprocessableEntity)
		return
	}
	secret, _, err := s.Store.CreateToken(r.Context(), a, a.User.ID, "Điện thoại: "+dev.Name+" #"+strconv.FormatInt(dev.ID, 10), 90*24*time.Hour)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	op.DeviceID, op.Prefix, op.Token = dev.ID, dev.Prefix, secret
	s.offlineRender(w, r, op, http.StatusOK)
}

// serviceWorker: GET /sw.js — at the root so it may serve /offline when
// the phone has no connection.
func (s *Server) serviceWorker(w http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("static/sw.js")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Service-Worker-Allowed", "/")
	body := strings.ReplaceAll(string(b), "__ASSETS__", `"`+s.css+`", "`+s.offlineJS+`"`)
	w.Write([]byte(body))
}

// manifest: GET /manifest.webmanifest — install on a phone.
func (s *Server) manifest(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write([]byte(`{"name":"Thôn Số — tổ công nghệ số","short_name":"Thôn Số","lang":"vi","start_url":"/offline","scope":"/","display":"standalone",` +
		`"background_color":"#ffffff","theme_color":"#c8102e","icons":[{"src":"` + s.icon192 + `","sizes":"192x192","type":"image/png"},{"src":"` + s.icon512 + `","sizes":"512x512","type":"image/png"}]}`))
}
