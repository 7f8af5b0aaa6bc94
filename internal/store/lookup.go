package store

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"strconv"
	"time"

	"thonso/internal/domain"
)

// DossierStatus is all a resident sees of a dossier through the public
// lookup: the procedure, the current step and its date. No names, no
// numbers, no village.
type DossierStatus struct {
	ID            int64 // for the audit trail; never shown
	VillageID     int64 // to find the province's step labels; never shown
	ProcedureName string
	State         domain.DossierState
	On            domain.Date
}

// Lookup throttle: 5 wrong answers for one code, or 20 from one address,
// within 15 minutes make that code (or address) wait 15 minutes from the
// latest one. Malformed codes count against the address.
const (
	lookupWindow     = 15 * time.Minute
	maxCodeFailures  = 5
	maxLookupFailIPs = 20
)

// Lookup outcomes, as the audit trail records them.
const (
	LookupOK        = "ok"
	LookupMismatch  = "mismatch" // unknown code or wrong phone digits: one answer for both
	LookupMalformed = "malformed"
	LookupLocked    = "locked"
)

// dummyLast4 is compared against when the code is unknown, so an unknown
// code takes the same work as a wrong phone.
const dummyLast4 = "\x00\x00\x00\x00"

// LookupDossier answers a resident's status lookup: the code must exist,
// not be voided, and last4 must equal the last four digits of the
// applicant's phone (compared in constant time). A wrong answer reads the
// same whether the code or the phone was wrong. It neither records nor
// audits: the caller does both with the outcome.
func (s *Store) LookupDossier(ctx context.Context, code, last4 string) (DossierStatus, bool, error) {
	var st DossierStatus
	var phone string
	err := s.r.QueryRowContext(ctx, `SELECT d.id, d.village_id, p.name, d.state, d.last_step_on, COALESCE(d.applicant_phone, '')
		FROM dossiers d JOIN procedures p ON p.id = d.procedure_id WHERE d.lookup_code = $1 AND d.state <> $2`, code, string(domain.StateVoided)).
		Scan(&st.ID, &st.VillageID, &st.ProcedureName, &st.State, &st.On, &phone)
	if err != nil && err != sql.ErrNoRows {
		return DossierStatus{}, false, internal("lookup", err)
	}
	want := dummyLast4
	if err == nil && len(phone) >= 4 {
		want = phone[len(phone)-4:]
	}
	ok := subtle.ConstantTimeCompare([]byte(want), []byte(last4)) == 1 && err == nil
	if !ok {
		return DossierStatus{}, false, nil
	}
	return st, true, nil
}

// RecordLookupFailure counts a wrong or malformed lookup; failures older
// than a day are dropped so the table stays small.
func (s *Store) RecordLookupFailure(ctx context.Context, code, ip string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, "DELETE FROM lookup_failures WHERE at < $1", now.Add(-24*time.Hour)); err != nil {
			return internal("lookup failure", err)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO lookup_failures (code, ip, at) VALUES ($1, $2, $3)", truncate(code, 20), ip, now)
		return internal("lookup failure", err)
	})
}

// LookupLockedUntil says until when lookups of this code or from this
// address wait; zero when they don't. An empty code checks the address only.
func (s *Store) LookupLockedUntil(ctx context.Context, code, ip string) (time.Time, error) {
	now := s.now()
	since := now.Add(-lookupWindow)
	var until time.Time
	check := func(q string, arg any, max int) error {
		rs, err := s.r.QueryContext(ctx, q, arg, since, max)
		if err != nil {
			return internal("lookup throttle", err)
		}
		defer rs.Close()
		var times []time.Time
		for rs.Next() {
			var t time.Time
			if err := rs.Scan(&t); err != nil {
				return internal("lookup throttle", err)
			}
			times = append(times, t)
		}
		if len(times) >= max {
			if u := times[0].Add(lookupWindow); u.After(now) && u.After(until) {
				until = u
			}
		}
		return internal("lookup throttle", rs.Err())
	}
	if code != "" {
		if err := check("SELECT at FROM lookup_failures WHERE code = $1 AND at > $2 ORDER BY at DESC LIMIT $3", truncate(code, 20), maxCodeFailures); err != nil {
			return time.Time{}, err
		}
	}
	if err := check("SELECT at FROM lookup_failures WHERE ip = $1 AND at > $2 ORDER BY at DESC LIMIT $3", ip, maxLookupFailIPs); err != nil {
		return time.Time{}, err
	}
	return until, nil
}

// AuditLookup records one public lookup: the outcome, the code typed
// (not personal: it names no one) and the dossier when it matched.
func (s *Store) AuditLookup(ctx context.Context, ip, code, outcome string, dossierID int64) error {
	a := &domain.Actor{User: domain.User{Login: "public"}, Via: "web", IP: ip}
	id := ""
	if dossierID != 0 {
		id = strconv.FormatInt(dossierID, 10)
	}
	return s.audit(ctx, s.w, a, AuditEntry{Action: "lookup", Entity: "dossier", EntityID: id,
		Changes: []Change{Plain("code", "", truncate(code, 20)), Plain("outcome", "", outcome)}})
}
