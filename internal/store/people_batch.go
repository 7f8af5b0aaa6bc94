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
	ResidentIDs                 []int64
}

// PeopleOptions choose how a bulk load applies.
type PeopleOptions struct {
	DryRun    bool // plan only: count, check, write nothing
	ValidOnly bool // skip rejected rows instead of refusing the whole load
	Source    string
	Progress  func(done, total int)
}

type existing struct {
	r    domain.Resident
	hnum string
}

// ApplyPeople creates or updates households and residents in one
// transaction. A row matches an existing resident by CCCD, else by name +
// birth date + household number; a match is updated (or left unchanged),
// so re-importing an updated file never duplicates people. Every row
// must be in the actor's resident:edit scope. Problems that need the
// database (a CCCD already used by another resident) are reported per
// row; unless ValidOnly, any problem refuses the whole load. The load is
// one audit entry listing the residents it touched.
func (s *Store) ApplyPeople(ctx context.Context, a *domain.Actor, rows []PersonRow, opt PeopleOptions) (PeopleResult, error) {
	var res PeopleResult
	scope := a.Scope(domain.PermResidentEdit)
	villages := map[int64]bool{}
	for _, r := range rows {
		villages[r.VillageID] = true
	}
	for v := range villages {
		ok, err := s.Covers(ctx, scope, v)
		if err != nil {
			return res, err
		}
		if !ok {
			return res, domain.Errorf(domain.ENOTFOUND, "unit.not_found")
		}
	}
	today := domain.DateOf(s.now())
	errStop := domain.Errorf(domain.EINVALID, "import.refused")
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		households, people, err := s.loadPeople(ctx, tx, villages)
		if err != nil {
			return err
		}
		byCCCD := map[string]*existing{}
		byKey := map[string]*existing{}
		for _, p := range people {
			if p.r.CCCD != "" {
				byCCCD[p.r.CCCD] = p
			}
			byKey[personKey(p.r.VillageID, p.r.FullName, p.r.BirthDate, p.hnum)] = p
		}
		var maxBefore int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(max(id), 0) FROM residents").Scan(&maxBefore); err != nil {
			return internal("people", err)
		}
		elsewhere, err := s.cccdOwners(ctx, tx, rows)
		if err != nil {
			return err
		}
		col := textvi.NewCollator()
		var newRows [][]any
		var updates []domain.Resident
		seenCCCD := map[string]domain.Pos{}
		planned := map[string]domain.Pos{} // new people of this load, by name+birth+household
		claimed := map[int64]bool{}        // existing people already matched by a row
		createdHouseholds := map[string]bool{}
		for i, row := range rows {
			if opt.Progress != nil && i%1000 == 0 {
				opt.Progress(i, len(rows))
			}
			r := row.Resident
			r.VillageID = row.VillageID
			if err := normalizeResident(&r); err != nil {
				res.reject(row.Pos, err)
				continue
			}
			if err := r.Validate(today); err != nil {
				res.reject(row.Pos, err)
				continue
			}
			hnum := textvi.Normalize(row.Household.Number)
			if hnum == "" {
				res.reject(row.Pos, domain.Errorf(domain.EINVALID, "household.number_missing").WithField("number"))
				continue
			}
			match := byKey[personKey(r.VillageID, r.FullName, r.BirthDate, hnum)]
			if r.CCCD != "" {
				if p, ok := seenCCCD[r.CCCD]; ok {
					res.reject(row.Pos, domain.Errorf(domain.EINVALID, "cccd.duplicate_in_file", "other_row", p.Row).WithField("cccd"))
					continue
				}
				seenCCCD[r.CCCD] = row.Pos
				if m, ok := byCCCD[r.CCCD]; ok {
					if match != nil && match != m {
						res.reject(row.Pos, domain.Errorf(domain.EINVALID, "cccd.duplicate", "other", m.r.ID).WithField("cccd"))
						continue
					}
					match = m
				} else if other, ok := elsewhere[r.CCCD]; ok {
					// Used by a resident of a village this load does not cover.
					res.reject(row.Pos, domain.Errorf(domain.EINVALID, "cccd.duplicate", "other", other).WithField("cccd"))
					continue
				}
			}
			// The household, created or updated as the row says.
			hkey := strconv.FormatInt(r.VillageID, 10) + "#" + hnum
			h, ok := households[hkey]
			if !ok {
				h = &domain.Household{VillageID: r.VillageID, Number: hnum, Hamlet: textvi.Normalize(row.Household.Hamlet), Address: textvi.Normalize(row.Household.Address),
					Bank: row.Household.Bank, Zalo: row.Household.Zalo}
				if !opt.DryRun {
					created, err := s.createHouseholdQuiet(ctx, tx, h)
					if err != nil {
						return err
					}
					h.ID = created
				}
				households[hkey] = h
				createdHouseholds[hkey] = true
				res.HouseholdsCreated++
			} else if mergeHousehold(h, row.Household) && !createdHouseholds[hkey] {
				if !opt.DryRun && h.ID != 0 {
					if _, err := tx.ExecContext(ctx, `UPDATE households SET hamlet = $1, address = $2, bank_since = $3, bank_helped = $4, zalo_since = $5, zalo_helped = $6,
						updated_at = $7, version = version + 1 WHERE id = $8`, h.Hamlet, h.Address, h.Bank.Since, h.Bank.Helped, h.Zalo.Since, h.Zalo.Helped, s.now(), h.ID); err != nil {
						return internal("update household", err)
					}
				}
				res.HouseholdsUpdated++
			}
			r.HouseholdID = h.ID
			if match == nil {
				// A second row for the same person (no CCCD) is a mistake in
				// the file, not a second person.
				k := personKey(r.VillageID, r.FullName, r.BirthDate, hnum)
				if p, ok := planned[k]; ok {
					res.reject(row.Pos, domain.Errorf(domain.EINVALID, "resident.duplicate_in_file_row", "other_row", p.Row).WithField("full_name"))
					continue
				}
				planned[k] = row.Pos
				res.Created++
				if !opt.DryRun {
					newRows = append(newRows, append(residentArgs(r, col), s.now(), s.now(), 1))
					if len(newRows) == 500 { // write as we go: memory stays flat
						if _, err := s.insertMany(ctx, tx, "residents", residentInsertCols(), newRows, false); err != nil {
							return err
						}
						newRows = newRows[:0]
					}
				}
				continue
			}
			if claimed[match.r.ID] {
				res.reject(row.Pos, domain.Errorf(domain.EINVALID, "resident.duplicate_in_file").WithField("full_name"))
				continue
			}
			claimed[match.r.ID] = true
			r = mergeResident(match.r, r)
			if sameResident(match.r, r) {
				res.Unchanged++
				continue
			}
			res.Updated++
			updates = append(updates, r)
		}
		if len(res.Rejected) > 0 && !opt.ValidOnly {
			return errStop
		}
		if opt.DryRun {
			return errStop // roll back: nothing is written in a dry run
		}
		if _, err := s.insertMany(ctx, tx, "residents", residentInsertCols(), newRows, false); err != nil {
			return err
		}
		for _, r := range updates {
			if err := s.updateResident(ctx, tx, r, col); err != nil {
				return err
			}
			res.ResidentIDs = append(res.ResidentIDs, r.ID)
		}
		if err := s.fixHeads(ctx, tx, villages); err != nil {
			return err
		}
		if res.Created+res.Updated+res.HouseholdsCreated+res.HouseholdsUpdated == 0 {
			return nil
		}
		return s.auditPeople(ctx, tx, a, opt.Source, maxBefore, updates, villages)
	})
	if opt.Progress != nil {
		opt.Progress(len(rows), len(rows))
	}
	if err == errStop {
		if len(res.Rejected) > 0 && !opt.ValidOnly {
			return res, &domain.FileErrors{Rows: res.Rejected}
		}
		return res, nil
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

func personKey(village int64, name string, birth domain.Date, hnum string) string {
	return strconv.FormatInt(village, 10) + "|" + textvi.Fold(name) + "|" + birth.String() + "|" + hnum
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

func (s *Store) createHouseholdQuiet(ctx context.Context, tx *sql.Tx, h *domain.Household) (int64, error) {
	var id int64
	now := s.now()
	err := tx.QueryRowContext(ctx, `INSERT INTO households (village_id, number, hamlet, address, bank_since, bank_helped, zalo_since, zalo_helped, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1) RETURNING id`,
		h.VillageID, h.Number, h.Hamlet, h.Address, h.Bank.Since, h.Bank.Helped, h.Zalo.Since, h.Zalo.Helped, now).Scan(&id)
	return id, internal("create household", err)
}

// loadPeople reads the households and residents of some villages, for
// matching a bulk load against them.
func (s *Store) loadPeople(ctx context.Context, tx *sql.Tx, villages map[int64]bool) (map[string]*domain.Household, []*existing, error) {
	hs := map[string]*domain.Household{}
	byID := map[int64]*domain.Household{}
	var people []*existing
	ids := make([]int64, 0, len(villages))
	for v := range villages {
		ids = append(ids, v)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, v := range ids {
		rs, err := tx.QueryContext(ctx, "SELECT "+householdCols+" FROM households h WHERE h.village_id = $1", v)
		if err != nil {
			return nil, nil, internal("load households", err)
		}
		for rs.Next() {
			h, err := scanHousehold(rs)
			if err != nil {
				rs.Close()
				return nil, nil, internal("load households", err)
			}
			hp := &h
			hs[strconv.FormatInt(h.VillageID, 10)+"#"+h.Number] = hp
			byID[h.ID] = hp
		}
		rs.Close()
		rs, err = tx.QueryContext(ctx, "SELECT "+residentCols+" FROM residents r WHERE r.village_id = $1", v)
		if err != nil {
			return nil, nil, internal("load residents", err)
		}
		for rs.Next() {
			r, err := scanResident(rs)
			if err != nil {
				rs.Close()
				return nil, nil, internal("load residents", err)
			}
			num := ""
			if h := byID[r.HouseholdID]; h != nil {
				num = h.Number
			}
			people = append(people, &existing{r: r, hnum: num})
		}
		rs.Close()
	}
	return hs, people, nil
}

// fixHeads points each household of the villages at its head (the member
// whose relation is chu_ho), after a bulk load.
func (s *Store) fixHeads(ctx context.Context, tx *sql.Tx, villages map[int64]bool) error {
	for v := range villages {
		if _, err := tx.ExecContext(ctx, `UPDATE households SET head_id = (SELECT min(r.id) FROM residents r WHERE r.household_id = households.id AND r.relation = 'chu_ho')
			WHERE village_id = $1`, v); err != nil {
			return internal("household heads", err)
		}
	}
	return nil
}

// cccdOwners finds which of the rows' CCCDs are already on a resident,
// anywhere (CCCD is unique nationally, not per village).
func (s *Store) cccdOwners(ctx context.Context, tx *sql.Tx, rows []PersonRow) (map[string]int64, error) {
	out := map[string]int64{}
	var all []string
	for _, r := range rows {
		if c := strings.ReplaceAll(strings.ReplaceAll(r.Resident.CCCD, " ", ""), ".", ""); c != "" {
			all = append(all, c)
		}
	}
	for start := 0; start < len(all); start += 500 {
		part := all[start:min(start+500, len(all))]
		args := make([]any, len(part))
		ph := make([]string, len(part))
		for i, c := range part {
			args[i] = c
			ph[i] = s.dialect.param(i + 1)
		}
		rs, err := tx.QueryContext(ctx, "SELECT cccd, id FROM residents WHERE cccd IN ("+strings.Join(ph, ",")+")", args...)
		if err != nil {
			return nil, internal("cccd owners", err)
		}
		for rs.Next() {
			var c string
			var id int64
			if err := rs.Scan(&c, &id); err != nil {
				rs.Close()
				return nil, internal("cccd owners", err)
			}
			out[c] = id
		}
		rs.Close()
	}
	return out, nil
}

func residentInsertCols() []string {
	cols := strings.Split(strings.Join(strings.Fields(residentWriteCols), ""), ",")
	return append(cols, "created_at", "updated_at", "version")
}

// auditPeople writes one audit entry per village of a bulk load, listing
// the residents it created and updated (a bulk operation is one entry per
// village, so that the village's officers see it in their trail).
func (s *Store) auditPeople(ctx context.Context, tx *sql.Tx, a *domain.Actor, source string, maxBefore int64, updates []domain.Resident, villages map[int64]bool) error {
	created := map[int64][]int64{}
	rs, err := tx.QueryContext(ctx, "SELECT id, village_id FROM residents WHERE id > $1 ORDER BY id", maxBefore)
	if err != nil {
		return internal("audit people", err)
	}
	for rs.Next() {
		var id, v int64
		if err := rs.Scan(&id, &v); err != nil {
			rs.Close()
			return internal("audit people", err)
		}
		if villages[v] {
			created[v] = append(created[v], id)
		}
	}
	rs.Close()
	updated := map[int64][]int64{}
	for _, r := range updates {
		updated[r.VillageID] = append(updated[r.VillageID], r.ID)
	}
	ids := make([]int64, 0, len(villages))
	for v := range villages {
		ids = append(ids, v)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, v := range ids {
		if len(created[v])+len(updated[v]) == 0 {
			continue
		}
		if err := s.audit(ctx, tx, a, AuditEntry{Action: "import", Entity: "resident", EntityID: source, UnitID: v,
			Changes: []Change{Plain("created", "", joinIDs(created[v])), Plain("updated", "", joinIDs(updated[v]))}}); err != nil {
			return err
		}
	}
	return nil
}
