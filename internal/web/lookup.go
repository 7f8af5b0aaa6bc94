package web

import (
	"net/http"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// lookupPage is /tra-cuu: a resident checks a dossier with the code on
// the receipt slip and the last four digits of the applicant's phone.
type lookupPage struct {
	*Page
	Code, Error, Field string
	Result             *store.DossierStatus
}

// lookupForm shows the form; ?ma= (from the slip's QR code) fills the code.
func (s *Server) lookupForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "lookup.title")
	p.CSS = s.publicCSS
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, http.StatusOK, "public_lookup", lookupPage{Page: p, Code: domain.NormalizeLookupCode(r.URL.Query().Get("ma"))})
}

// lookup answers a status lookup with the procedure, the current step
// and its date, and nothing else. A malformed code, an unknown code and a
// wrong phone are all counted against the client's address (and the
// code), compared in constant time, and audited; an unknown code and a
// wrong phone get the same answer, so the form tells nobody which codes
// exist. While locked, nothing is checked.
func (s *Server) lookup(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "lookup.title")
	p.CSS = s.publicCSS
	w.Header().Set("Cache-Control", "no-store")
	ctx := r.Context()
	ip := s.clientIP(r)
	code := domain.NormalizeLookupCode(r.PostFormValue("code"))
	lp := lookupPage{Page: p, Code: code}
	last4, phoneOK := domain.PhoneLast4(r.PostFormValue("phone4"))
	wellFormed := domain.LookupCodeWellFormed(code)
	key := code
	if !wellFormed {
		key = "" // a malformed code counts against the address only
	}
	until, err := s.Store.LookupLockedUntil(ctx, key, ip)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	if !until.IsZero() {
		_ = s.Store.AuditLookup(ctx, ip, code, store.LookupLocked, 0)
		t := until.In(domain.Vietnam())
		lp.Error = p.T("lookup.locked", "time", t.Format("15:04"))
		s.render(w, http.StatusTooManyRequests, "public_lookup", lp)
		return
	}
	fail := func(outcome, msg, field string, status int) {
		if err := s.Store.RecordLookupFailure(ctx, key, ip); err != nil {
			s.fail(w, p, err)
			return
		}
		if err := s.Store.AuditLookup(ctx, ip, code, outcome, 0); err != nil {
			s.fail(w, p, err)
			return
		}
		lp.Error, lp.Field = msg, field
		s.render(w, status, "public_lookup", lp)
	}
	if !wellFormed {
		fail(store.LookupMalformed, p.T("lookup.code_malformed", "code", code), "code", http.StatusUnprocessableEntity)
		return
	}
	if !phoneOK {
		fail(store.LookupMalformed, p.T("lookup.phone4_invalid"), "phone4", http.StatusUnprocessableEntity)
		return
	}
	st, ok, err := s.Store.LookupDossier(ctx, code, last4)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	if !ok {
		fail(store.LookupMismatch, p.T("lookup.mismatch"), "code", http.StatusUnprocessableEntity)
		return
	}
	if err := s.Store.AuditLookup(ctx, ip, code, store.LookupOK, st.ID); err != nil {
		s.fail(w, p, err)
		return
	}
	if v, err := s.Store.UnitByID(ctx, st.VillageID, st.On); err == nil {
		s.useStepLabels(r, p, v)
	}
	lp.Result = &st
	s.render(w, http.StatusOK, "public_lookup", lp)
}
