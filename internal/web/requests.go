package web

import (
	"net/http"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/report"
	"thonso/internal/store"
)

// The register of data-subject requests (Law 91/2025/QH15): officers and
// team leaders (resident:view_pii) of the resident's village see, answer
// and close them; the store scopes every read.

type requestsPage struct {
	*Page
	Requests []domain.SubjectRequest
	Overdue  int
}

// requestList: GET /requests — open requests first by due date, overdue
// ones flagged, then closed ones.
func (s *Server) requestList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.requests")
	qs, err := s.Store.SubjectRequests(r.Context(), actorOf(r).Scope(domain.PermResidentViewPII), store.RequestQuery{})
	if err != nil {
		s.fail(w, p, err)
		return
	}
	rp := requestsPage{Page: p, Requests: qs}
	for _, q := range qs {
		if q.Overdue(p.Today) {
			rp.Overdue++
		}
	}
	s.render(w, http.StatusOK, "requests", rp)
}

type requestPage struct {
	*Page
	Q      domain.SubjectRequest
	Form   map[string]string
	Errors map[string]string
}

func (f requestPage) formValue(n string) string { return f.Form[n] }
func (f requestPage) formError(n string) string { return f.Errors[n] }

func (s *Server) loadRequest(w http.ResponseWriter, r *http.Request, p *Page) (*requestPage, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var q domain.SubjectRequest
	if err != nil {
		err = domain.Errorf(domain.ENOTFOUND, "request.not_found")
	} else {
		q, err = s.Store.SubjectRequest(r.Context(), actorOf(r).Scope(domain.PermResidentViewPII), id)
	}
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	p.Breadcrumb = []Crumb{{Name: p.T("ui.requests"), URL: "/requests"}, {Name: q.ResidentName}}
	return &requestPage{Page: p, Q: q, Form: map[string]string{"version": strconv.Itoa(q.Version)}, Errors: map[string]string{}}, true
}

// requestShow: GET /requests/{id}.
func (s *Server) requestShow(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.request")
	rp, ok := s.loadRequest(w, r, p)
	if !ok {
		return
	}
	s.render(w, http.StatusOK, "request", rp)
}

// requestClose: POST /requests/{id}/close with state (done|refused),
// reason (for a refusal) and version. A "delete" done anonymises the
// resident.
func (s *Server) requestClose(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.request")
	rp, ok := s.loadRequest(w, r, p)
	if !ok {
		return
	}
	for _, k := range []string{"state", "reason", "version"} {
		rp.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	v, _ := strconv.Atoi(rp.Form["version"])
	_, err := s.Store.CloseSubjectRequest(r.Context(), actorOf(r), store.CloseRequest{ID: rp.Q.ID, Version: v, State: rp.Form["state"], Reason: rp.Form["reason"]})
	if err == nil {
		http.Redirect(w, r, "/requests/"+strconv.FormatInt(rp.Q.ID, 10), http.StatusSeeOther)
		return
	}
	if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND || c == domain.EFORBIDDEN {
		s.fail(w, p, err)
		return
	}
	fieldErr(s, p.Lang, rp.Errors, err, "state")
	s.render(w, http.StatusUnprocessableEntity, "request", rp)
}

// requestData: GET /requests/{id}/data.pdf and /requests/{id}/data.json —
// everything held about the person of a "see" request. It is an export
// of personal data: audited with the purpose subject_request.
func (s *Server) requestData(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.request")
	rp, ok := s.loadRequest(w, r, p)
	if !ok {
		return
	}
	format := strings.TrimPrefix(r.PathValue("file"), "data.")
	if rp.Q.Kind != domain.RequestSee || (format != "pdf" && format != "json") {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "request.not_found"))
		return
	}
	a := actorOf(r)
	d, err := s.Store.SubjectDataOf(r.Context(), a, rp.Q.ResidentID)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	if err := s.Store.Audit(r.Context(), a, store.AuditEntry{Action: "export", Entity: "resident", EntityID: strconv.FormatInt(rp.Q.ResidentID, 10),
		UnitID: rp.Q.VillageID, Purpose: "subject_request", Changes: []store.Change{store.Plain("format", "", format), store.Plain("request_id", "", strconv.FormatInt(rp.Q.ID, 10))}}); err != nil {
		s.fail(w, p, err)
		return
	}
	f := report.NewSubjectFile(d, rp.Q.ID, s.Now())
	var b []byte
	if format == "pdf" {
		b, err = report.SubjectPDF(f, report.Text{Cat: s.Cat, Lang: p.Lang})
		w.Header().Set("Content-Type", "application/pdf")
	} else {
		b, err = report.SubjectJSON(f)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	if err != nil {
		s.fail(w, p, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="du-lieu-ca-nhan-`+strconv.FormatInt(rp.Q.ResidentID, 10)+"."+format+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}
