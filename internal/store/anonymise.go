package store

import (
	"context"
	"database/sql"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// AnonymiseResident erases what identifies a resident (a "delete"
// request, or an officer acting on one) while the counts stay right.
func (s *Store) AnonymiseResident(ctx context.Context, a *domain.Actor, id int64) error {
	res, err := s.Resident(ctx, a.Scope(domain.PermResidentEdit), id)
	if err != nil {
		return err
	}
	if ok, err := s.Covers(ctx, a.Scope(requestPerm), res.VillageID); err != nil || !ok {
		if err != nil {
			return err
		}
		return domain.Errorf(domain.EFORBIDDEN, "auth.forbidden", "permission", string(requestPerm))
	}
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.anonymise(ctx, tx, a, id, domain.DateOf(s.now())) })
}

// anonymise, inside the caller's transaction: the name becomes "Người dân
// đã xoá #id", phone and CCCD are cleared, the dossiers they applied for
// lose the applicant's name, phone and the name of the person concerned,
// consents in force end. Kept, because the figures are built on them:
// the household, sex, birth date (every age band an indicator names, on
// every past date, needs the exact day), the dates of moving and of each
// digital-adoption fact, the dossiers' procedures and dates, the
// trainings attended. The audit trail holds no personal value and is not
// touched.
func (s *Store) anonymise(ctx context.Context, tx *sql.Tx, a *domain.Actor, id int64, today domain.Date) error {
	var village int64
	var erased domain.Date
	if err := tx.QueryRowContext(ctx, "SELECT village_id, erased_on FROM residents WHERE id = $1", id).Scan(&village, &erased); err != nil {
		if err == sql.ErrNoRows {
			return domain.Errorf(domain.ENOTFOUND, "resident.not_found")
		}
		return internal("anonymise", err)
	}
	if !erased.IsZero() {
		return domain.Errorf(domain.ECONFLICT, "resident.already_erased")
	}
	name := domain.ErasedName(id)
	col := textvi.NewCollator()
	if _, err := tx.ExecContext(ctx, `UPDATE residents SET full_name = $1, name_fold = $2, sort_key = $3, sort_full = $4, phone = NULL, cccd = NULL,
		erased_on = $5, updated_at = $6, version = version + 1 WHERE id = $7`,
		name, textvi.Fold(name), col.PersonSortKey(name), col.SortKey(name), today, s.now(), id); err != nil {
		return internal("anonymise resident", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE dossiers SET applicant_name = $1, applicant_phone = NULL, subject_name = '', updated_at = $2 WHERE applicant_id = $3",
		name, s.now(), id); err != nil {
		return internal("anonymise dossiers", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE consents SET withdrawn_on = $1 WHERE subject_kind = 'resident' AND subject_id = $2 AND withdrawn_on IS NULL", today, id); err != nil {
		return internal("anonymise consents", err)
	}
	return s.audit(ctx, tx, a, AuditEntry{Action: "anonymise", Entity: "resident", EntityID: strconv.FormatInt(id, 10), UnitID: village,
		Changes: []Change{Personal("full_name"), Personal("phone"), Personal("cccd")}})
}
