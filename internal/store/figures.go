package store

import (
	"context"

	"thonso/internal/domain"
)

// Figures are the registry's counts for a unit on a date, with their
// population bases explicit: residents aged 14+ for public-service
// accounts (as the report counts), adults 18+ for smartphones, and
// households for bank accounts and the Zalo group.
type Figures struct {
	At                     domain.Date
	Residents              int
	Aged14, Accounts14     int
	Adults18, Smartphone18 int
	Households             int
	HouseholdsBank         int // the household, or any member living there, has a bank account
	HouseholdsZalo         int
}

// Rate is n/base, 0 for an empty base.
func Rate(n, base int) float64 {
	if base == 0 {
		return 0
	}
	return float64(n) / float64(base)
}

// Figures counts the residents living on at in the villages under unitID
// on at (the unit as it was: attribution as_was), or in the village itself.
func (s *Store) Figures(ctx context.Context, unitID int64, at domain.Date) (Figures, error) {
	return s.figuresOn(ctx, unitID, at, at)
}

// figuresOn counts residents living on at in the villages under unitID on
// tree: at for the unit as it was, today for the unit re-attributed.
func (s *Store) figuresOn(ctx context.Context, unitID int64, at, tree domain.Date) (Figures, error) {
	f := Figures{At: at}
	living := "r.birth_date <= $2 AND (r.moved_in IS NULL OR r.moved_in <= $2) AND (r.left_on IS NULL OR r.left_on > $2)"
	err := s.r.QueryRowContext(ctx, downOn(5)+` SELECT count(*),
		COALESCE(sum(CASE WHEN r.birth_date <= $3 THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN r.birth_date <= $3 AND r.account_since <= $2 THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN r.birth_date <= $4 THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN r.birth_date <= $4 AND r.smartphone_since <= $2 THEN 1 ELSE 0 END), 0)
		FROM residents r WHERE r.village_id IN (SELECT id FROM down) AND `+living,
		unitID, at, domain.BornBy(at, 14), domain.BornBy(at, 18), tree).
		Scan(&f.Residents, &f.Aged14, &f.Accounts14, &f.Adults18, &f.Smartphone18)
	if err != nil {
		return f, internal("figures", err)
	}
	// One pass over the living residents grouped by household: a household
	// counts when someone lives in it; banked when it or a living member has
	// an account.
	err = s.r.QueryRowContext(ctx, downOn(3)+` SELECT count(*), COALESCE(sum(x.bank), 0), COALESCE(sum(x.zalo), 0) FROM (
		SELECT h.id, MAX(CASE WHEN h.bank_since <= $2 OR r.bank_since <= $2 THEN 1 ELSE 0 END) AS bank,
		MAX(CASE WHEN h.zalo_since <= $2 THEN 1 ELSE 0 END) AS zalo
		FROM households h JOIN residents r ON r.household_id = h.id
		WHERE h.village_id IN (SELECT id FROM down) AND `+living+` GROUP BY h.id) x`, unitID, at, tree).
		Scan(&f.Households, &f.HouseholdsBank, &f.HouseholdsZalo)
	return f, internal("figures", err)
}
