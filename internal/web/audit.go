package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

type auditPage struct {
	*Page
	Purposes []string
	Entries  []store.AuditEntry
	Next     int64
	Filter   map[string]string
	Errors   map[string]string
	Query    string
	Hidden   map[string]string // the filter, carried by the export form
}

// auditFilter reads ?unit=CODE&user=LOGIN&entity=&id=&from=&to= (dates dd/mm/yyyy).
func (s *Server) auditFilter(r *http.Request, p *Page) (store.AuditFilter, map[string]string, map[string]string) {
	q := r.URL.Query()
	vals := map[string]string{}
	errs := map[string]string{}
	var f store.AuditFilter
	for _, k := range []string{"unit", "user", "entity", "id", "from", "to"} {
		vals[k] = strings.TrimSpace(q.Get(k))
	}
	if v := vals["unit"]; v != "" {
		u, err := s.Store.UnitAt(r.Context(), v, p.At)
		if err != nil {
			errs["unit"] = s.Cat.Err(p.Lang, err)
		} else {
			f.UnitID = u.ID
		}
	}
	if v := vals["user"]; v != "" {
		u, _, err := s.Store.Credentials(r.Context(), v)
		if err != nil {
			errs["user"] = s.Cat.Err(p.Lang, err)
		} else {
			f.UserID = u.ID
		}
	}
	f.Entity, f.EntityID = vals["entity"], vals["id"]
	for _, k := range []string{"from", "to"} {
		if vals[k] == "" {
			continue
		}
		d, err := textvi.ParseDate(vals[k])
		if err != nil {
			errs[k] = s.Cat.Err(p.Lang, err)
		} else if k == "from" {
			f.From = d
		} else {
			f.To = d
		}
	}
	f.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	return f, vals, errs
}

// auditList shows the trail within the viewer's scope, newest first.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.audit")
	f, vals, errs := s.auditFilter(r, p)
	ap := auditPage{Page: p, Filter: vals, Errors: errs, Purposes: domain.Purposes}
	status := http.StatusOK
	if len(errs) == 0 {
		f.Limit = 100
		es, next, err := s.Store.AuditEntries(r.Context(), actorOf(r).Scope(domain.PermAuditView), f)
		if err != nil {
			s.fail(w, p, err)
			return
		}
		ap.Entries, ap.Next = es, next
	} else {
		status = http.StatusBadRequest
	}
	q := r.URL.Query()
	q.Del("before")
	ap.Query = q.Encode()
	ap.Hidden = map[string]string{}
	for k, v := range vals {
		if v != "" {
			ap.Hidden[k] = v
		}
	}
	s.render(w, status, "audit", ap)
}

// auditExport writes the filtered trail as CSV (UTF-8 with BOM, so Excel
// reads the Vietnamese); the export is itself audited.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.audit")
	f, _, errs := s.auditFilter(r, p)
	if len(errs) > 0 {
		s.fail(w, p, domain.Errorf(domain.EINVALID, "error.bad_request"))
		return
	}
	purpose := r.URL.Query().Get("purpose")
	if !domain.ValidPurpose(purpose) {
		s.fail(w, p, domain.Errorf(domain.EINVALID, "purpose.missing").WithField("purpose"))
		return
	}
	a := actorOf(r)
	f.Limit = 5000
	es, _, err := s.Store.AuditEntries(r.Context(), a.Scope(domain.PermAuditView), f)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	if err := s.Store.Audit(r.Context(), a, store.AuditEntry{Action: "export", Entity: "audit_log", EntityID: strconv.Itoa(len(es)), Purpose: purpose}); err != nil {
		s.fail(w, p, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="nhat-ky-thon-so.csv"`)
	w.Write([]byte("\xef\xbb\xbf"))
	cw := csv.NewWriter(w)
	cw.Write([]string{p.T("ui.audit_time"), p.T("ui.audit_user"), p.T("ui.audit_ip"), p.T("ui.audit_action"), p.T("ui.audit_record"), p.T("ui.audit_changes"), p.T("ui.audit_purpose")})
	for _, e := range es {
		cw.Write([]string{p.When(e), e.Login, e.IP, p.Action(e), p.Record(e), p.ChangesText(e), e.Purpose})
	}
	cw.Flush()
}

// When formats an entry's time in Vietnam: 31/10/2024 19:45.
func (p *Page) When(e store.AuditEntry) string {
	return e.At.In(domain.Vietnam()).Format("02/01/2006 15:04:05")
}

// Action names an entry's action in the page's language.
func (p *Page) Action(e store.AuditEntry) string {
	k := "audit.action." + e.Action
	if p.s.Cat.Has(k) {
		return p.T(k)
	}
	return e.Action
}

// Record names an entry's record in the page's language: "tài khoản 4".
func (p *Page) Record(e store.AuditEntry) string {
	name := e.Entity
	if k := "audit.entity." + e.Entity; p.s.Cat.Has(k) {
		name = p.T(k)
	}
	return strings.TrimSpace(name + " " + e.EntityID)
}

func (p *Page) fieldName(f string) string {
	if k := "audit.field." + f; p.s.Cat.Has(k) {
		return p.T(k)
	}
	return f
}

// ChangesText writes the changed fields: "role: → officer; name (thay đổi)".
func (p *Page) ChangesText(e store.AuditEntry) string {
	var parts []string
	for _, c := range e.Changes {
		switch {
		case c.Changed:
			parts = append(parts, p.fieldName(c.Field)+" ("+p.T("ui.audit_changed")+")")
		default:
			b, a := "", ""
			if c.Before != nil {
				b = *c.Before
			}
			if c.After != nil {
				a = *c.After
			}
			parts = append(parts, p.fieldName(c.Field)+": "+b+" → "+a)
		}
	}
	return strings.Join(parts, "; ")
}
