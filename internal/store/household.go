package store

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

const householdCols = "h.id, h.village_id, h.number, h.hamlet, h.address, COALESCE(h.head_id, 0), h.bank_since, h.bank_helped, h.zalo_since, h.zalo_helped, h.version"

func scanHousehold(sc interface{ Scan(...any) error }) (domain.Household, error) {
	var h domain.Household
	err := sc.Scan(&h.ID, &h.VillageID, &h.Number, &h.Hamlet, &h.Address, &h.HeadID, &h.Bank.Since, &h.Bank.Helped, &h.Zalo.Since, &h.Zalo.Helped, &h.Version)
	return h, err
}

// inScope returns ENOTFOUND unless unitID is in scope: a record outside
// the caller's subtrees does not exist for them.
func (s *Store) inScope(ctx context.Context, scope domain.Scope, unitID int64, notFound string) error {
	ok, err := s.Covers(ctx, scope, unitID)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, notFound)
	}
	return nil
}

func (s *Store) checkVillage(ctx context.Context, q querier, villageID int64) error {
	var lv domain.Level
	if err := q.QueryRowContext(ctx, "SELECT level FROM units WHERE id = $1", villageID).Scan(&lv); err != nil || lv != domain.LevelVillage {
		return domain.Errorf(domain.EINVALID, "household.village_invalid").WithField("village")
	}
	return nil
}

// CreateHousehold adds a household to a village in the actor's
// resident:edit scope.
func (s *Store) CreateHousehold(ctx context.Context, a *domain.Actor, h domain.Household) (domain.Household, error) {
	h.Number = textvi.Normalize(h.Number)
	if h.Number == "" {
		return h, domain.Errorf(domain.EINVALID, "household.number_missing").WithField("number")
	}
	if err := s.inScope(ctx, a.Scope(domain.PermResidentEdit), h.VillageID, "unit.not_found"); err != nil {
		return h, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		h, err = s.createHousehold(ctx, tx, a, h)
		return err
	})
	return h, err
}

func (s *Store) createHousehold(ctx context.Context, tx *sql.Tx, a *domain.Actor, h domain.Household) (domain.Household, error) {
	if err := s.checkVillage(ctx, tx, h.VillageID); err != nil {
		return h, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM households WHERE village_id = $1 AND number = $2", h.VillageID, h.Number).Scan(&n); err != nil {
		return h, internal("household", err)
	}
	if n > 0 {
		return h, domain.Errorf(domain.ECONFLICT, "household.number_taken", "number", h.Number).WithField("number")
	}
	now := s.now()
	err := tx.QueryRowContext(ctx, `INSERT INTO households (village_id, number, hamlet, address, bank_since, bank_helped, zalo_since, zalo_helped, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1) RETURNING id`,
		h.VillageID, h.Number, textvi.Normalize(h.Hamlet), textvi.Normalize(h.Address), h.Bank.Since, h.Bank.Helped, h.Zalo.Since, h.Zalo.Helped, now).Scan(&h.ID)
	if err != nil {
		return h, internal("household", err)
	}
	h.Version = 1
	return h, s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "household", EntityID: strconv.FormatInt(h.ID, 10), UnitID: h.VillageID,
		Changes: []Change{Plain("number", "", h.Number), Plain("bank_since", "", h.Bank.Since.String()), Plain("zalo_since", "", h.Zalo.Since.String())}})
}

// UpdateHousehold changes a household's facts; a stale version is ECONFLICT.
func (s *Store) UpdateHousehold(ctx context.Context, a *domain.Actor, h domain.Household) (domain.Household, error) {
	old, err := s.Household(ctx, a.Scope(domain.PermResidentEdit), h.ID)
	if err != nil {
		return h, err
	}
	h.VillageID = old.VillageID
	h.Number = textvi.Normalize(h.Number)
	if h.Number == "" {
		return h, domain.Errorf(domain.EINVALID, "household.number_missing").WithField("number")
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE households SET number = $1, hamlet = $2, address = $3, bank_since = $4, bank_helped = $5,
			zalo_since = $6, zalo_helped = $7, updated_at = $8, version = version + 1 WHERE id = $9 AND version = $10`,
			h.Number, textvi.Normalize(h.Hamlet), textvi.Normalize(h.Address), h.Bank.Since, h.Bank.Helped, h.Zalo.Since, h.Zalo.Helped, s.now(), h.ID, h.Version)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "unique") {
				return domain.Errorf(domain.ECONFLICT, "household.number_taken", "number", h.Number).WithField("number")
			}
			return internal("update household", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ECONFLICT, "record.stale")
		}
		h.Version++
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "household", EntityID: strconv.FormatInt(h.ID, 10), UnitID: h.VillageID,
			Changes: diffHousehold(old, h)})
	})
	return h, err
}

func diffHousehold(a, b domain.Household) []Change {
	var out []Change
	add := func(f, x, y string) {
		if x != y {
			out = append(out, Plain(f, x, y))
		}
	}
	add("number", a.Number, b.Number)
	add("hamlet", a.Hamlet, b.Hamlet)
	add("address", a.Address, b.Address)
	add("bank_since", a.Bank.Since.String(), b.Bank.Since.String())
	add("zalo_since", a.Zalo.Since.String(), b.Zalo.Since.String())
	return out
}

// Household reads one household within scope.
func (s *Store) Household(ctx context.Context, scope domain.Scope, id int64) (domain.Household, error) {
	h, err := scanHousehold(s.r.QueryRowContext(ctx, "SELECT "+householdCols+" FROM households h WHERE h.id = $1", id))
	if err == sql.ErrNoRows {
		return h, domain.Errorf(domain.ENOTFOUND, "household.not_found")
	}
	if err != nil {
		return h, internal("household", err)
	}
	return h, s.inScope(ctx, scope, h.VillageID, "household.not_found")
}

// Households lists a village's households by number.
func (s *Store) Households(ctx context.Context, scope domain.Scope, villageID int64) ([]domain.Household, error) {
	if err := s.inScope(ctx, scope, villageID, "unit.not_found"); err != nil {
		return nil, err
	}
	rs, err := s.r.QueryContext(ctx, "SELECT "+householdCols+" FROM households h WHERE h.village_id = $1", villageID)
	if err != nil {
		return nil, internal("households", err)
	}
	defer rs.Close()
	var out []domain.Household
	for rs.Next() {
		h, err := scanHousehold(rs)
		if err != nil {
			return nil, internal("households", err)
		}
		out = append(out, h)
	}
	sortHouseholds(out)
	return out, rs.Err()
}

// sortHouseholds orders numbers naturally: 2 before 10.
func sortHouseholds(hs []domain.Household) {
	key := func(s string) int {
		n, err := strconv.Atoi(strings.TrimLeft(s, "0"))
		if err != nil {
			return 1 << 30
		}
		return n
	}
	sort.SliceStable(hs, func(i, j int) bool {
		a, b := key(hs[i].Number), key(hs[j].Number)
		if a != b {
			return a < b
		}
		return hs[i].Number < hs[j].Number
	})
}
