package importer

import (
	"context"
	"io"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// PeopleOptions choose how a resident spreadsheet is imported.
type PeopleOptions struct {
	// VillageID is the village every row belongs to; 0 means the file
	// names each row's village in a "Mã thôn" or "Thôn" column.
	VillageID int64
	DryRun    bool // preview: count and check, write nothing
	ValidOnly bool // import the valid rows, return the others
	MaxRows   int
	Progress  func(done, total int)
}

// PeopleReport is a preview or the outcome of an import.
type PeopleReport struct {
	Info     SheetInfo
	Result   store.PeopleResult
	Problems []domain.RowError // every rejected row with its column and reason
	Rejected []ResidentRow     // those rows as read, for the rejected-rows file
}

// Refused reports whether the import wrote nothing because of problems.
func (r PeopleReport) Refused(opt PeopleOptions) bool { return len(r.Problems) > 0 && !opt.ValidOnly }

// ImportPeople reads a resident spreadsheet and applies it through the
// store in one transaction (or previews it). Problems of the file (not a
// spreadsheet, no header, legacy font) come back as *domain.FileErrors;
// problems of rows are listed in the report, and unless ValidOnly they
// refuse the whole file (*domain.FileErrors too, nothing written).
func ImportPeople(ctx context.Context, s *store.Store, a *domain.Actor, r io.Reader, name string, today domain.Date, opt PeopleOptions) (PeopleReport, error) {
	var rep PeopleReport
	var rows []store.PersonRow
	// kept holds, for each row in rows, only what a rejected-rows file
	// needs (its number and cells): the parsed rows are in rows already.
	var kept []ResidentRow
	villages := map[string]int64{}
	info, err := ReadResidents(r, name, ResidentOptions{Today: today, MaxRows: opt.MaxRows}, func(row ResidentRow) error {
		if opt.Progress != nil && len(kept)%1000 == 0 {
			opt.Progress(len(kept), 0)
		}
		if len(row.Errors) > 0 {
			rep.reject(name, row, row.Errors...)
			return nil
		}
		vid := opt.VillageID
		if vid == 0 {
			id, err := resolveVillage(ctx, s, villages, row.Village, today)
			if err != nil {
				e, _ := domain.AsError(err)
				rep.reject(name, row, CellError{Column: "Thôn", Err: e})
				return nil
			}
			vid = id
		}
		rows = append(rows, store.PersonRow{Pos: domain.Pos{File: name, Row: row.Row}, VillageID: vid,
			Household: domain.Household{Number: row.Household, Hamlet: row.Hamlet, Address: row.Address, Bank: row.HouseholdBank, Zalo: row.HouseholdZalo},
			Resident:  row.Resident})
		kept = append(kept, ResidentRow{Row: row.Row, Values: row.Values})
		return nil
	})
	rep.Info = info
	if err != nil {
		return rep, err
	}
	byRow := make(map[int]int, len(kept)) // sheet row → index in kept
	for i, k := range kept {
		byRow[k.Row] = i
	}
	apply := store.PeopleOptions{DryRun: opt.DryRun, ValidOnly: opt.ValidOnly, Source: name, Progress: opt.Progress}
	if len(rep.Problems) > 0 && !opt.ValidOnly {
		// Still check the rest against the database, so the preview lists
		// every problem at once; write nothing.
		apply.DryRun, apply.ValidOnly = true, true
	}
	res, err := s.ApplyPeople(ctx, a, rows, apply)
	if err != nil {
		if fe, ok := err.(*domain.FileErrors); ok {
			for _, re := range fe.Rows {
				rep.reject(name, kept[byRow[re.Row]], CellError{Column: rep.Info.ColumnFor(fieldOf(re.Err)), Err: re.Err})
			}
			return rep, rep.fileErrors()
		}
		return rep, err
	}
	rep.Result = res
	for _, re := range res.Rejected {
		rep.reject(name, kept[byRow[re.Row]], CellError{Column: rep.Info.ColumnFor(fieldOf(re.Err)), Err: re.Err})
	}
	if len(rep.Problems) > 0 && !opt.ValidOnly {
		// Nothing was written; Result says what the valid rows would do.
		return rep, rep.fileErrors()
	}
	return rep, nil
}

func (rep *PeopleReport) reject(file string, row ResidentRow, errs ...CellError) {
	for _, e := range errs {
		rep.Problems = append(rep.Problems, domain.RowError{File: file, Row: row.Row, Column: e.Column, Err: e.Err})
	}
	rep.Rejected = append(rep.Rejected, row)
}

func (rep *PeopleReport) fileErrors() error {
	return &domain.FileErrors{Rows: rep.Problems}
}

// resolveVillage finds a row's village by system code, slug or name.
func resolveVillage(ctx context.Context, s *store.Store, cache map[string]int64, ref string, today domain.Date) (int64, error) {
	ref = strings.TrimSpace(ref)
	if id, ok := cache[ref]; ok {
		return id, nil
	}
	if ref == "" {
		return 0, domain.Errorf(domain.EINVALID, "import.village_missing")
	}
	var id int64
	if u, err := s.UnitAt(ctx, ref, today); err == nil && u.Level == domain.LevelVillage {
		id = u.ID
	} else if u, _, err := s.VillageBySlug(ctx, ref, today); err == nil {
		id = u.ID
	} else {
		us, _, err := s.SearchUnits(ctx, store.UnitQuery{At: today, Q: ref, Level: domain.LevelVillage, Limit: 3})
		if err != nil {
			return 0, err
		}
		var exact []domain.Unit
		for _, u := range us {
			if strings.EqualFold(u.Name, ref) || strings.HasSuffix(u.Name, " "+ref) {
				exact = append(exact, u)
			}
		}
		if len(exact) != 1 {
			return 0, domain.Errorf(domain.EINVALID, "import.village_unknown", "value", ref)
		}
		id = exact[0].ID
	}
	cache[ref] = id
	return id, nil
}

func fieldOf(e *domain.Error) string {
	if e == nil {
		return ""
	}
	return e.Field
}
