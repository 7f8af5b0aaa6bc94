package web

import (
	"net/http"
	"strconv"

	"thonso/internal/domain"
)

// Ways lists how a consent may be given, for the consent forms.
func (p *Page) Ways() []string { return domain.ConsentWays }

// memberConsent records that a member agreed to show their phone on the
// village page: POST /teams/{id}/members/{mid}/consent with given_on
// (dd/mm/yyyy) and how. The phone appears from then on.
func (s *Server) memberConsent(w http.ResponseWriter, r *http.Request) {
	tp, ok := s.teamForm(w, r, "given_on", "how")
	if !ok {
		return
	}
	mid, _ := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	field := "consent_" + strconv.FormatInt(mid, 10)
	if !s.memberOfTeam(tp, mid) {
		s.fail(w, tp.Page, domain.Errorf(domain.ENOTFOUND, "member.not_found"))
		return
	}
	given, err := parseDate(tp.Form["given_on"])
	if err != nil {
		err = domain.Errorf(domain.EINVALID, "consent.given_missing").WithField("given_on")
	} else {
		_, err = s.Store.RecordConsent(r.Context(), actorOf(r), domain.Consent{SubjectKind: "member", SubjectID: mid,
			Purpose: domain.ConsentPublicPhone, GivenOn: given, How: tp.Form["how"]})
	}
	if err != nil && domain.ErrorCode(err) != domain.EINTERNAL && domain.ErrorCode(err) != domain.ENOTFOUND {
		tp.Errors[field] = s.Cat.Err(tp.Lang, err)
		err = nil
	}
	s.teamDone(w, r, tp, err, field)
}

// memberConsentWithdraw ends a member's public_phone consent on
// withdrawn_on (dd/mm/yyyy); from that day the phone leaves the page.
func (s *Server) memberConsentWithdraw(w http.ResponseWriter, r *http.Request) {
	tp, ok := s.teamForm(w, r, "withdrawn_on")
	if !ok {
		return
	}
	mid, _ := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	field := "consent_" + strconv.FormatInt(mid, 10)
	if !s.memberOfTeam(tp, mid) {
		s.fail(w, tp.Page, domain.Errorf(domain.ENOTFOUND, "member.not_found"))
		return
	}
	on, err := parseDate(tp.Form["withdrawn_on"])
	if err != nil {
		err = domain.Errorf(domain.EINVALID, "consent.withdrawn_missing").WithField("withdrawn_on")
	} else {
		var cs []domain.Consent
		cs, err = s.Store.Consents(r.Context(), "member", mid)
		id := int64(0)
		for _, c := range cs {
			if c.Purpose == domain.ConsentPublicPhone && c.WithdrawnOn.IsZero() {
				id = c.ID
			}
		}
		if err == nil && id == 0 {
			err = domain.Errorf(domain.ECONFLICT, "consent.already_withdrawn").WithField("withdrawn_on")
		}
		if err == nil {
			_, err = s.Store.WithdrawConsent(r.Context(), actorOf(r), id, on)
		}
	}
	if err != nil && domain.ErrorCode(err) != domain.EINTERNAL && domain.ErrorCode(err) != domain.ENOTFOUND {
		tp.Errors[field] = s.Cat.Err(tp.Lang, err)
		err = nil
	}
	s.teamDone(w, r, tp, err, field)
}

// memberOfTeam reports whether mid is one of the members the page lists.
func (s *Server) memberOfTeam(tp *teamPage, mid int64) bool {
	for _, m := range tp.Members {
		if m.ID == mid {
			return true
		}
	}
	return false
}
