package store

import (
	"context"
	"database/sql"
	"strconv"
	"unicode/utf8"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// StepStates are the five steps a province may rename.
var StepStates = []domain.DossierState{domain.StateReceived, domain.StateSubmitted, domain.StateProcessing, domain.StateCollected, domain.StateReturned}

// StepLabels returns a province's own labels by state; a missing state
// keeps the standard label.
func (s *Store) StepLabels(ctx context.Context, provinceID int64) (map[domain.DossierState]string, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT state, label FROM step_labels WHERE province_id = $1", provinceID)
	if err != nil {
		return nil, internal("step labels", err)
	}
	defer rs.Close()
	out := map[domain.DossierState]string{}
	for rs.Next() {
		var st, l string
		if err := rs.Scan(&st, &l); err != nil {
			return nil, internal("step labels", err)
		}
		out[domain.DossierState(st)] = l
	}
	return out, rs.Err()
}

// ProvinceOf is the province over u on u's date, or u itself.
func (s *Store) ProvinceOf(ctx context.Context, u domain.Unit) (domain.UnitRef, bool, error) {
	if u.Level == domain.LevelProvince {
		return u.Ref(), true, nil
	}
	as, err := s.Ancestors(ctx, u)
	if err != nil {
		return domain.UnitRef{}, false, err
	}
	for _, a := range as {
		if a.Level == domain.LevelProvince {
			return a, true, nil
		}
	}
	return domain.UnitRef{}, false, nil
}

// SetStepLabels replaces a province's labels (an empty label restores the
// standard one), for an actor who manages that province's criteria.
func (s *Store) SetStepLabels(ctx context.Context, a *domain.Actor, province domain.Unit, labels map[domain.DossierState]string) error {
	if province.Level != domain.LevelProvince {
		return domain.Errorf(domain.EINVALID, "step_labels.not_province", "code", province.Code)
	}
	if err := s.inScope(ctx, a.Scope(domain.PermCriteriaManage), province.ID, "unit.not_found"); err != nil {
		return err
	}
	clean := map[domain.DossierState]string{}
	for _, st := range StepStates {
		l := textvi.Normalize(labels[st])
		if utf8.RuneCountInString(l) > 60 {
			return domain.Errorf(domain.EINVALID, "step_labels.too_long", "max", 60).WithField(string(st))
		}
		clean[st] = l
	}
	old, err := s.StepLabels(ctx, province.ID)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var changes []Change
		for _, st := range StepStates {
			if old[st] == clean[st] {
				continue
			}
			changes = append(changes, Plain(string(st), old[st], clean[st]))
			if _, err := tx.ExecContext(ctx, "DELETE FROM step_labels WHERE province_id = $1 AND state = $2", province.ID, string(st)); err != nil {
				return internal("step labels", err)
			}
			if clean[st] != "" {
				if _, err := tx.ExecContext(ctx, "INSERT INTO step_labels (province_id, state, label) VALUES ($1, $2, $3)", province.ID, string(st), clean[st]); err != nil {
					return internal("step labels", err)
				}
			}
		}
		if len(changes) == 0 {
			return nil
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "step_labels", EntityID: strconv.FormatInt(province.ID, 10), UnitID: province.ID, Changes: changes})
	})
}
