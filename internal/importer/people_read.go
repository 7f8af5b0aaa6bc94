package importer

import (
	"context"
	"io"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// peopleChunk is a chunk of parsed rows on its way to the store.
type peopleChunk struct {
	rows   []store.PersonRow
	values [][]string // each row's cells, for the rejected-rows file
	refuse bool       // a row before the chunk's last was rejected while reading
}

func newPeopleChunk(n int) *peopleChunk {
	return &peopleChunk{rows: make([]store.PersonRow, 0, n), values: make([][]string, 0, n)}
}

func (c *peopleChunk) reset() {
	clear(c.rows)
	clear(c.values)
	c.rows, c.values, c.refuse = c.rows[:0], c.values[:0], false
}

// peopleReader parses a resident file in its own goroutine, so that the
// parsing of a chunk overlaps the writing of the one before (the machine
// has more than one core): two chunks wait at most.
type peopleReader struct {
	chunks chan *peopleChunk
	free   chan *peopleChunk
	// Set by the goroutine, read after chunks is closed.
	info     SheetInfo
	err      error        // a problem of the file as a whole, or the context's
	rejected PeopleReport // Problems and Rejected of the rows it refused
}

// readPeople starts reading; the caller ranges over rd.chunks to the end
// (cancelling ctx to stop early) and gives chunks back on rd.free.
func readPeople(ctx context.Context, s *store.Store, r io.Reader, name string, today domain.Date, opt PeopleOptions) *peopleReader {
	rd := &peopleReader{chunks: make(chan *peopleChunk, 1), free: make(chan *peopleChunk, 3)}
	go func() {
		defer close(rd.chunks)
		villages := map[string]int64{}
		chunk := s.PeopleChunkRows()
		cur := newPeopleChunk(chunk)
		send := func() error {
			select {
			case rd.chunks <- cur:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case cur = <-rd.free:
				cur.reset()
			default:
				cur = newPeopleChunk(chunk)
			}
			return nil
		}
		seen := 0
		rd.info, rd.err = ReadResidents(r, name, ResidentOptions{Today: today, MaxRows: opt.MaxRows, StoreChecksCCCDRepeats: true}, func(row ResidentRow) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if opt.Progress != nil && seen%1000 == 0 {
				opt.Progress(seen, 0)
			}
			seen++
			if len(row.Errors) > 0 {
				rd.rejected.reject(name, row, row.Errors...)
				cur.refuse = true
				return nil
			}
			vid := opt.VillageID
			if vid == 0 {
				id, err := resolveVillage(ctx, s, villages, row.Village, today)
				if err != nil {
					e, ok := domain.AsError(err)
					if !ok || e.Code == domain.EINTERNAL {
						return err
					}
					rd.rejected.reject(name, row, CellError{Column: "Thôn", Err: e})
					cur.refuse = true
					return nil
				}
				vid = id
			}
			cur.rows = append(cur.rows, store.PersonRow{Pos: domain.Pos{File: name, Row: row.Row}, VillageID: vid,
				Household: domain.Household{Number: row.Household, Hamlet: row.Hamlet, Address: row.Address, Bank: row.HouseholdBank, Zalo: row.HouseholdZalo},
				Resident:  row.Resident})
			cur.values = append(cur.values, row.Values)
			if len(cur.rows) == cap(cur.rows) {
				return send()
			}
			return nil
		})
		if rd.err == nil && (len(cur.rows) > 0 || cur.refuse) {
			rd.err = send()
		}
	}()
	return rd
}
