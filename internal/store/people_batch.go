package store

import (
	"context"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// PersonRow is one resident of a bulk load (a spreadsheet row, or the
// demo): the household is named by its number within the village.
type PersonRow struct {
	Pos       domain.Pos
	VillageID int64
	Household domain.Household // Number, Hamlet, Address, Bank, Zalo; VillageID filled from the row
	Resident  domain.Resident
}

// PeopleResult says what a bulk load did (or, in a dry run, would do).
type PeopleResult struct {
	Created, Updated, Unchanged int
	HouseholdsCreated           int
	HouseholdsUpdated           int
	Rejected                    []domain.RowError // rows left out (valid-only mode) or refusing the whole load
	ResidentIDs                 []int64           // the residents updated (the created ones are in the audit entry)
}

// PeopleOptions choose how a bulk load applies.
type PeopleOptions struct {
	DryRun    bool // plan only: count, check, write nothing
	ValidOnly bool // skip rejected rows instead of refusing the whole load
	Source    string
	Progress  func(done, total int)
}

// ApplyPeople loads rows already in memory (the demo, small batches):
// StreamPeople fed a chunk at a time; see there for what it checks.
func (s *Store) ApplyPeople(ctx context.Context, a *domain.Actor, rows []PersonRow, opt PeopleOptions) (PeopleResult, error) {
	res, err := s.StreamPeople(ctx, a, opt, func(b *PeopleBatch) error {
		chunk := s.PeopleChunkRows()
		for start := 0; start < len(rows); start += chunk {
			if opt.Progress != nil {
				opt.Progress(start, len(rows))
			}
			if _, err := b.Add(rows[start:min(start+chunk, len(rows))]); err != nil {
				return err
			}
		}
		return nil
	})
	if opt.Progress != nil {
		opt.Progress(len(rows), len(rows))
	}
	return res, err
}

func (r *PeopleResult) reject(p domain.Pos, err error) {
	e, ok := domain.AsError(err)
	if !ok {
		e = domain.Errorf(domain.EINTERNAL, "error.internal")
	}
	r.Rejected = append(r.Rejected, domain.RowError{File: p.File, Row: p.Row, Err: e})
}

// mergeResident applies a row to the stored resident: the identity the
// row always carries (name, birth, sex, household) is taken; every other
// field only when the row has it, so a file without a phone column does
// not erase phones. A fact already true keeps its earlier date: a file
// that only says "yes" must not move history.
func mergeResident(stored, row domain.Resident) domain.Resident {
	out := stored
	out.FullName, out.BirthDate, out.YearOnly, out.Sex, out.HouseholdID = row.FullName, row.BirthDate, row.YearOnly, row.Sex, row.HouseholdID
	if row.Phone != "" {
		out.Phone = row.Phone
	}
	if row.CCCD != "" {
		out.CCCD = row.CCCD
	}
	if row.Relation != "" {
		out.Relation = row.Relation
	}
	if !row.MovedIn.IsZero() {
		out.MovedIn = row.MovedIn
	}
	if !row.LeftOn.IsZero() {
		out.LeftOn, out.LeftReason = row.LeftOn, row.LeftReason
	}
	out.Smartphone = earlier(stored.Smartphone, row.Smartphone)
	out.VNeID = earlier(stored.VNeID, row.VNeID)
	out.Portal = earlier(stored.Portal, row.Portal)
	out.PersonalBank = earlier(stored.PersonalBank, row.PersonalBank)
	return out
}

// earlier keeps a fact from the earlier of two dates (either may be unset).
func earlier(a, b domain.Adoption) domain.Adoption {
	switch {
	case b.Since.IsZero():
		return a
	case a.Since.IsZero() || b.Since.Before(a.Since):
		b.Helped = b.Helped || (a.Helped && !a.Since.IsZero())
		return b
	}
	a.Helped = a.Helped || b.Helped
	return a
}

// mergeHousehold takes a row's household facts that are set and differ.
func mergeHousehold(h *domain.Household, row domain.Household) bool {
	changed := false
	set := func(dst *string, v string) {
		if v = textvi.Normalize(v); v != "" && v != *dst {
			*dst, changed = v, true
		}
	}
	set(&h.Hamlet, row.Hamlet)
	set(&h.Address, row.Address)
	for _, f := range []struct{ dst, src *domain.Adoption }{{&h.Bank, &row.Bank}, {&h.Zalo, &row.Zalo}} {
		if m := earlier(*f.dst, *f.src); m != *f.dst {
			*f.dst, changed = m, true
		}
	}
	return changed
}

func sameResident(a, b domain.Resident) bool {
	a.Version, b.Version = 0, 0
	return a == b
}
