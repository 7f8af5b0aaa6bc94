package importer

import (
	"cmp"
	"context"
	"errors"
	"io"
	"slices"
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
//
// The file is streamed into the transaction a chunk of rows at a time
// (docs/decisions.md "Streaming resident imports"): memory holds one
// chunk, the rejected rows and a few compact bytes per row for the checks
// across the file, never the whole file. A problem found anywhere rolls
// the whole transaction back; the rows after it are still checked, so
// the report lists every problem at once.
func ImportPeople(ctx context.Context, s *store.Store, a *domain.Actor, r io.Reader, name string, today domain.Date, opt PeopleOptions) (PeopleReport, error) {
	var rep PeopleReport
	var fromStore []int // indexes in rep.Problems of problems the store found: their column is known at the end
	readCtx, stop := context.WithCancel(ctx)
	defer stop()
	rd := readPeople(readCtx, s, r, name, today, opt)
	apply := store.PeopleOptions{DryRun: opt.DryRun, ValidOnly: opt.ValidOnly, Source: name}
	res, err := s.StreamPeople(ctx, a, apply, func(b *store.PeopleBatch) error {
		for c := range rd.chunks {
			if c.refuse {
				b.Refuse()
			}
			if len(c.rows) == 0 {
				continue
			}
			rejected, err := b.Add(c.rows)
			if err != nil {
				return err
			}
			for _, re := range rejected {
				for i := range c.rows {
					if c.rows[i].Pos.Row == re.Row {
						fromStore = append(fromStore, len(rep.Problems))
						rep.reject(name, ResidentRow{Row: re.Row, Values: c.values[i]}, CellError{Err: re.Err})
						break
					}
				}
			}
			select {
			case rd.free <- c:
			default:
			}
		}
		return rd.err
	})
	// The reader has stopped (its channel is closed) unless the store
	// failed first: stop it and wait for it.
	stop()
	for range rd.chunks {
	}
	rep.Info = rd.info
	if rd.err != nil && ctx.Err() == nil && !errors.Is(rd.err, context.Canceled) {
		return rep, rd.err // the file as a whole
	}
	if err != nil && !errors.As(err, new(*domain.FileErrors)) {
		return rep, err
	}
	for _, i := range fromStore {
		rep.Problems[i].Column = rep.Info.ColumnFor(fieldOf(rep.Problems[i].Err))
	}
	rep.Problems = append(rep.Problems, rd.rejected.Problems...)
	rep.Rejected = append(rep.Rejected, rd.rejected.Rejected...)
	rep.sortProblems()
	// Refused rows: nothing was written; Result says what the valid rows
	// would do.
	rep.Result = res
	if len(rep.Problems) > 0 && !opt.ValidOnly {
		return rep, rep.fileErrors()
	}
	return rep, nil
}

// sortProblems puts the problems and rejected rows in file order: the
// reader's and the store's come in as each finds them.
func (rep *PeopleReport) sortProblems() {
	slices.SortStableFunc(rep.Problems, func(x, y domain.RowError) int { return cmp.Compare(x.Row, y.Row) })
	slices.SortStableFunc(rep.Rejected, func(x, y ResidentRow) int { return cmp.Compare(x.Row, y.Row) })
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
