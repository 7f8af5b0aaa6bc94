package store

import (
	"context"
	"database/sql"
	"strconv"

	"thonso/internal/domain"
)

// RetentionResult says what a retention run removed.
type RetentionResult struct {
	Cutoff           domain.Date // records dated before it were cleaned
	PracticeDossiers int         // practice dossiers whose details were removed
	SessionLogs      int         // session logs deleted
}

// RetentionCutoff is the first day kept by a retention of years years on
// today.
func RetentionCutoff(today domain.Date, years int) domain.Date {
	t := today.Time().AddDate(-years, 0, 0)
	return domain.NewDate(t.Year(), t.Month(), t.Day())
}

// ApplyRetention removes, for records dated before today minus years:
// the details of practice dossiers (applicant's name and phone, person
// concerned, portal code, step notes — the dossier stays, so counts of
// practice dossiers stay right), and session logs with their attendance
// (dossiers received at a session lose only the link). One audit entry
// says what was removed; a run with nothing to remove changes nothing and
// is still audited, so the inspector sees it ran.
func (s *Store) ApplyRetention(ctx context.Context, a *domain.Actor, years int) (RetentionResult, error) {
	var out RetentionResult
	if years < 1 {
		return out, domain.Errorf(domain.EINVALID, "retention.years_invalid").WithField("retention_years")
	}
	out.Cutoff = RetentionCutoff(domain.DateOf(s.now()), years)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		old := "practice AND received_on < $1 AND (applicant_name <> '' OR applicant_phone IS NOT NULL OR subject_name <> '' OR portal_code IS NOT NULL OR applicant_id IS NOT NULL)"
		if _, err := tx.ExecContext(ctx, "UPDATE dossier_steps SET note = '' WHERE note <> '' AND dossier_id IN (SELECT id FROM dossiers WHERE "+old+")", out.Cutoff); err != nil {
			return internal("retention steps", err)
		}
		res, err := tx.ExecContext(ctx, "UPDATE dossiers SET applicant_name = '', applicant_phone = NULL, subject_name = '', portal_code = NULL, applicant_id = NULL, updated_at = $2 WHERE "+old,
			out.Cutoff, s.now())
		if err != nil {
			return internal("retention dossiers", err)
		}
		n, _ := res.RowsAffected()
		out.PracticeDossiers = int(n)
		logs := "SELECT id FROM session_logs WHERE on_date < $1"
		if _, err := tx.ExecContext(ctx, "UPDATE dossiers SET session_log_id = NULL WHERE session_log_id IN ("+logs+")", out.Cutoff); err != nil {
			return internal("retention dossier links", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM session_attendance WHERE log_id IN ("+logs+")", out.Cutoff); err != nil {
			return internal("retention attendance", err)
		}
		res, err = tx.ExecContext(ctx, "DELETE FROM session_logs WHERE on_date < $1", out.Cutoff)
		if err != nil {
			return internal("retention session logs", err)
		}
		n, _ = res.RowsAffected()
		out.SessionLogs = int(n)
		return s.audit(ctx, tx, a, AuditEntry{Action: "retention", Entity: "database", EntityID: out.Cutoff.String(), Changes: []Change{
			Plain("years", "", strconv.Itoa(years)), Plain("cutoff", "", out.Cutoff.String()),
			Plain("practice_dossiers", "", strconv.Itoa(out.PracticeDossiers)), Plain("session_logs", "", strconv.Itoa(out.SessionLogs))}})
	})
	return out, err
}
