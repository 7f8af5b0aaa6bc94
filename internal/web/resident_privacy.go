package web

import (
	"net/http"
	"strconv"
	"strings"

	"thonso/internal/domain"
)

// residentFormPage loads the resident page and reads the posted fields.
func (s *Server) residentFormPage(w http.ResponseWriter, r *http.Request, keys ...string) (*residentPage, bool) {
	p := s.newPage(w, r, "ui.resident")
	rp, ok := s.loadResident(w, r, p)
	if !ok {
		return nil, false
	}
	for _, k := range keys {
		rp.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	return rp, true
}

// residentDone redirects back to the resident after a change, or shows
// the page again with the message beside its field (422, nothing stored).
func (s *Server) residentDone(w http.ResponseWriter, r *http.Request, rp *residentPage, err error, fallback string) {
	if err == nil {
		http.Redirect(w, r, "/residents/"+strconv.FormatInt(rp.R.ID, 10), http.StatusSeeOther)
		return
	}
	if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND || c == domain.EFORBIDDEN {
		s.fail(w, rp.Page, err)
		return
	}
	fieldErr(s, rp.Lang, rp.Errors, err, fallback)
	s.render(w, http.StatusUnprocessableEntity, "resident", rp)
}

// residentConsent records a resident's consent to be phoned by the team:
// POST /residents/{id}/consents with given_on, how, note.
func (s *Server) residentConsent(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.residentFormPage(w, r, "given_on", "how", "note")
	if !ok {
		return
	}
	given, err := parseDate(rp.Form["given_on"])
	if err != nil {
		err = domain.Errorf(domain.EINVALID, "consent.given_missing").WithField("given_on")
	} else {
		_, err = s.Store.RecordConsent(r.Context(), actorOf(r), domain.Consent{SubjectKind: "resident", SubjectID: rp.R.ID,
			Purpose: domain.ConsentContactPhone, GivenOn: given, How: rp.Form["how"], Note: rp.Form["note"]})
	}
	s.residentDone(w, r, rp, err, "given_on")
}

// residentConsentWithdraw ends one of the resident's consents on
// withdrawn_on: POST /residents/{id}/consents/{cid}/withdraw.
func (s *Server) residentConsentWithdraw(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.residentFormPage(w, r, "withdrawn_on")
	if !ok {
		return
	}
	cid, _ := strconv.ParseInt(r.PathValue("cid"), 10, 64)
	found := false
	for _, c := range rp.Consents {
		found = found || c.ID == cid
	}
	if !found {
		s.fail(w, rp.Page, domain.Errorf(domain.ENOTFOUND, "consent.not_found"))
		return
	}
	on, err := parseDate(rp.Form["withdrawn_on"])
	if err != nil {
		err = domain.Errorf(domain.EINVALID, "consent.withdrawn_missing").WithField("withdrawn_on")
	} else {
		_, err = s.Store.WithdrawConsent(r.Context(), actorOf(r), cid, on)
	}
	s.residentDone(w, r, rp, err, "withdrawn_on")
}

// requestCreate registers a resident's request about their data:
// POST /residents/{id}/requests with kind, received_on, note; it opens
// the request's page.
func (s *Server) requestCreate(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.residentFormPage(w, r, "kind", "received_on", "request_note")
	if !ok {
		return
	}
	received, err := parseDate(rp.Form["received_on"])
	var q domain.SubjectRequest
	if err != nil {
		err = domain.Errorf(domain.EINVALID, "request.received_missing").WithField("received_on")
	} else {
		q, err = s.Store.CreateSubjectRequest(r.Context(), actorOf(r), domain.SubjectRequest{ResidentID: rp.R.ID, Kind: rp.Form["kind"],
			ReceivedOn: received, Note: rp.Form["request_note"]})
	}
	if err == nil {
		http.Redirect(w, r, "/requests/"+strconv.FormatInt(q.ID, 10), http.StatusSeeOther)
		return
	}
	s.residentDone(w, r, rp, err, "kind")
}

// RequestKinds lists the kinds of subject request, for the form.
func (p *Page) RequestKinds() []string { return domain.RequestKinds }
