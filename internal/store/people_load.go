package store

import (
	"context"
	"database/sql"
	"errors"
	"hash/maphash"
	"strconv"
	"time"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// PeopleBatch is a bulk load of residents in progress inside its one
// transaction (see StreamPeople). Rows come in chunks, in file order, and
// a chunk's rows are written while the next chunk is checked, so the
// checks across the whole load (a CCCD or a person an earlier row has)
// find the earlier rows in the database, as they find the stored people,
// or, for the chunk just before, in its keys kept at hand
// (docs/decisions.md "Streaming resident imports"). Memory holds a
// chunk (and the stored residents it found), 4 bytes a written row (its
// row number), a small record a household, the ids of the stored people
// already matched, and, for rows not written (a dry run, a refused load),
// 128-bit hashes of their keys: nothing grows with a row's text.
type PeopleBatch struct {
	s     *Store
	ctx   context.Context
	tx    *sql.Tx
	opt   PeopleOptions
	scope domain.Scope
	today domain.Date
	now   time.Time
	col   *textvi.Collator
	seeds [2]maphash.Seed

	res     PeopleResult
	refused bool // problems found outside the store: check on, write nothing

	villages   map[int64]bool     // the load's villages: true once in scope and their households indexed
	claimed    map[int64]struct{} // existing residents already matched by a row
	households map[pkey]hhState   // (village, household number) → the household (no pointers: the GC skips the map)
	existingHH []domain.Household // the households stored before the load, of its villages, as hhState.ex points
	w          *peopleWriter      // the pending writes and prepared statements

	// The people this load creates are found again in the database once
	// written (a chunk's rows are written when the chunk ends), so that
	// memory does not grow with the file: only the rows not written (a
	// dry run, a refused load) are remembered, here.
	unwritten     map[pkey]int32   // person key → row
	unwrittenCCCD map[uint64]int32 // CCCD → row
	chunk         chunkState
}

// chunkState is what a chunk's rows are checked against: the database
// as the chunk began, and the chunk's rows before.
type chunkState struct {
	owners      map[string]cccdOwner      // the chunk's CCCDs already on a resident
	found       map[pkey]int64            // person keys of the chunk's households' stored members → resident
	stored      map[int64]domain.Resident // the stored residents found (members, CCCD owners), by id
	pending     map[pkey]int32            // person key → row, new people of the chunk
	pendingCCCD map[uint64]int32          // CCCD → row, of the chunk
	// The chunk before's, while its rows are being written.
	prevPending     map[pkey]int32
	prevPendingCCCD map[uint64]int32
}

// pkey is a 128-bit hash of a person's or household's key: at a million
// rows the chance that two keys collide is about 10⁻²⁷.
type pkey [2]uint64

type hhState struct {
	id      int64 // 0 in a dry run
	head    int64 // created: the first head (chu_ho) of this load, its head_id
	ex      int32 // existing: index in existingHH, as stored, for merging the rows' facts
	created bool  // by this load
}

type cccdOwner struct{ id, village int64 }

// PeopleChunk is how many rows a caller of StreamPeople should pass to Add
// at a time on SQLite: the batch's working memory is about a chunk's rows.
const PeopleChunk = 1000

// pgPeopleChunk is PostgreSQL's: each chunk costs the connection a few
// turns (the lookups, two COPYs), so twice the rows took a million-row
// load from 17,0 to 16,1 s (medians of 3, side by side) for 15 MB more;
// SQLite, in process, gained nothing.
const pgPeopleChunk = 2000

// PeopleChunkRows is how many rows a caller of StreamPeople should pass
// to Add at a time on this store's engine.
func (s *Store) PeopleChunkRows() int {
	if s.dialect.name == "postgres" {
		return pgPeopleChunk
	}
	return PeopleChunk
}

var errStopLoad = errors.New("people load rolled back")

// bulkCacheKB is SQLite's page cache during a bulk load (the default is
// 2 000 KB).
const bulkCacheKB = 16 << 10

// StreamPeople runs one bulk load of residents in one transaction: feed
// passes the rows to b.Add, chunk by chunk. A row matches an existing
// resident by CCCD, else by name + birth date + household number; a match
// is updated (or left unchanged), so re-importing an updated file never
// duplicates people. Every village must be in the actor's resident:edit
// scope (else ENOTFOUND and nothing is written). Problems are reported
// per row; unless ValidOnly, a problem (or b.Refuse) makes the load write
// nothing: the rows are still all checked, so every problem is listed,
// and the transaction is rolled back (*domain.FileErrors). A dry run
// checks and counts the same and writes nothing. The load is one audit
// entry listing the residents it created and updated.
func (s *Store) StreamPeople(ctx context.Context, a *domain.Actor, opt PeopleOptions, feed func(b *PeopleBatch) error) (PeopleResult, error) {
	var res PeopleResult
	if s.dialect.name == "sqlite" {
		// A page cache big enough for the indexes' working set: with the
		// default 2 MB, a load of a million rows spills and rewrites the
		// same index pages to the WAL again and again. It stays this size
		// whatever the file's; it is put back after the load.
		if _, err := s.w.ExecContext(ctx, "PRAGMA cache_size = -"+strconv.Itoa(bulkCacheKB)); err == nil {
			defer s.w.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = -2000")
		}
	}
	err := s.inConnTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		b := &PeopleBatch{s: s, ctx: ctx, tx: tx, opt: opt, scope: a.Scope(domain.PermResidentEdit), today: domain.DateOf(s.now()), now: s.now(),
			col: textvi.NewCollator(), seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
			villages: map[int64]bool{}, claimed: map[int64]struct{}{}, households: map[pkey]hhState{},
			unwritten: map[pkey]int32{}, unwrittenCCCD: map[uint64]int32{},
			chunk: chunkState{owners: map[string]cccdOwner{}, found: map[pkey]int64{}, stored: map[int64]domain.Resident{}, pending: map[pkey]int32{}, pendingCCCD: map[uint64]int32{},
				prevPending: map[pkey]int32{}, prevPendingCCCD: map[uint64]int32{}}}
		b.w = newPeopleWriter(s, ctx, conn, tx, b.now)
		err := feed(b)
		if !b.writing() {
			b.w.drop()
		}
		if werr := b.w.finish(); err == nil {
			err = werr
		}
		res = b.res
		if err != nil {
			return err
		}
		if !b.writing() {
			return errStopLoad
		}
		if err := b.w.fixHeads(); err != nil {
			return err
		}
		if res.Created+res.Updated+res.HouseholdsCreated+res.HouseholdsUpdated == 0 {
			return nil
		}
		return b.audit(a)
	})
	if err == errStopLoad {
		if len(res.Rejected) > 0 && !opt.ValidOnly {
			return res, &domain.FileErrors{Rows: res.Rejected}
		}
		return res, nil
	}
	return res, err
}

// Refuse marks the load as refused by problems found outside the store
// (rows the reader rejected): the rows still coming are checked and
// counted, nothing is written. Without ValidOnly it has no effect.
func (b *PeopleBatch) Refuse() {
	if !b.opt.ValidOnly {
		b.refused = true
	}
}

// Result is what the load has done (or would do) so far.
func (b *PeopleBatch) Result() PeopleResult { return b.res }

func (b *PeopleBatch) writing() bool {
	return !b.opt.DryRun && !b.refused && (b.opt.ValidOnly || len(b.res.Rejected) == 0)
}

// Add checks and applies rows (in file order) and returns the problems
// of these rows. An error (a village out of scope, the database) ends the
// load: StreamPeople's feed should return it.
func (b *PeopleBatch) Add(rows []PersonRow) ([]domain.RowError, error) {
	before := len(b.res.Rejected)
	var fresh []int64
	for _, row := range rows {
		if _, seen := b.villages[row.VillageID]; !seen {
			b.villages[row.VillageID] = false
			fresh = append(fresh, row.VillageID)
		}
	}
	look, err := b.lookup(rows, fresh)
	if err != nil {
		return nil, err
	}
	// Once the chunk before last is written, the database has every row
	// but the chunk before's, whose keys are at hand (prevPending): the
	// lookups run then, from the writer, with no turn back here between.
	// The chunk before's batch is sent once they are done, and written
	// while these rows are checked.
	if err := b.w.waitThen(look); err != nil {
		return nil, err
	}
	for _, v := range fresh {
		b.villages[v] = true
	}
	if b.writing() {
		b.w.send()
	}
	for i := range rows {
		if err := b.row(&rows[i]); err != nil {
			return nil, err
		}
	}
	c := &b.chunk
	if b.writing() {
		if err := b.w.hold(); err != nil {
			return nil, err
		}
		// The chunk's keys stay at hand until its rows are in the database.
		c.prevPending, c.pending = c.pending, c.prevPending
		c.prevPendingCCCD, c.pendingCCCD = c.pendingCCCD, c.prevPendingCCCD
	} else {
		// Not written: remember the new people and CCCDs of this chunk and
		// of the chunk before (held, now dropped; if it was sent, its rows
		// are in the database too, which finds the same rows).
		if err := b.w.wait(); err != nil {
			return nil, err
		}
		b.w.drop()
		for _, m := range []map[pkey]int32{c.prevPending, c.pending} {
			for k, row := range m {
				b.unwritten[k] = row
			}
		}
		for _, m := range []map[uint64]int32{c.prevPendingCCCD, c.pendingCCCD} {
			for k, row := range m {
				b.unwrittenCCCD[k] = row
			}
		}
		clear(c.prevPending)
		clear(c.prevPendingCCCD)
	}
	clear(c.pending)
	clear(c.pendingCCCD)
	return b.res.Rejected[before:], nil
}

// row checks one row and plans (or, when writing, queues) its writes.
func (b *PeopleBatch) row(row *PersonRow) error {
	res := &b.res
	r := row.Resident
	r.VillageID = row.VillageID
	if err := normalizeResident(&r); err != nil {
		res.reject(row.Pos, err)
		return nil
	}
	if err := r.Validate(b.today); err != nil {
		res.reject(row.Pos, err)
		return nil
	}
	hnum := textvi.Normalize(row.Household.Number)
	if hnum == "" {
		res.reject(row.Pos, domain.Errorf(domain.EINVALID, "household.number_missing").WithField("number"))
		return nil
	}
	fold := textvi.Fold(r.FullName)
	pk := b.personKey(r.VillageID, fold, r.BirthDate, hnum)
	// A second row for the same person (same name, birth and household;
	// no CCCD to tell them apart) is a mistake in the file, not a second
	// person.
	dupRow := b.chunk.pending[pk]
	if dupRow == 0 {
		dupRow = b.chunk.prevPending[pk]
	}
	if dupRow == 0 {
		dupRow = b.unwritten[pk]
	}
	var match int64
	if id, ok := b.chunk.found[pk]; ok && dupRow == 0 {
		if first, mine := b.w.rowOf(id); mine {
			dupRow = first
		} else {
			match = id
		}
	}
	if r.CCCD != "" {
		ck := cccdKey(r.CCCD, b.seeds[0])
		first := b.chunk.pendingCCCD[ck]
		if first == 0 {
			first = b.chunk.prevPendingCCCD[ck]
		}
		if first == 0 {
			first = b.unwrittenCCCD[ck]
		}
		o, owned := b.chunk.owners[r.CCCD]
		if owned && first == 0 {
			if mine, ok := b.w.rowOf(o.id); ok {
				first, owned = mine, false // written by this load
			}
		}
		if first != 0 {
			res.reject(row.Pos, domain.Errorf(domain.EINVALID, "cccd.duplicate_in_file", "other_row", int(first)).WithField("cccd"))
			return nil
		}
		b.chunk.pendingCCCD[ck] = int32(row.Pos.Row)
		if owned {
			if !b.villages[o.village] || (match != 0 && match != o.id) {
				// Used by another resident (of this village, or of one
				// this load does not cover).
				res.reject(row.Pos, domain.Errorf(domain.EINVALID, "cccd.duplicate", "other", o.id).WithField("cccd"))
				return nil
			}
			match = o.id
		}
	}

	// The household, created or updated as the row says.
	hk := b.householdKey(r.VillageID, hnum)
	h, ok := b.households[hk]
	if !ok {
		h = hhState{created: true}
		if b.writing() {
			id, err := b.w.addHousehold(b.now, domain.Household{VillageID: r.VillageID, Number: hnum, Hamlet: textvi.Normalize(row.Household.Hamlet),
				Address: textvi.Normalize(row.Household.Address), Bank: row.Household.Bank, Zalo: row.Household.Zalo})
			if err != nil {
				return err
			}
			h.id = id
		}
		b.households[hk] = h
		res.HouseholdsCreated++
	} else if !h.created {
		if stored := &b.existingHH[h.ex]; mergeHousehold(stored, row.Household) {
			if b.writing() {
				b.w.updateHousehold(stored)
			}
			res.HouseholdsUpdated++
		}
	}
	r.HouseholdID = h.id
	if match == 0 {
		if dupRow != 0 {
			res.reject(row.Pos, domain.Errorf(domain.EINVALID, "resident.duplicate_in_file_row", "other_row", int(dupRow)).WithField("full_name"))
			return nil
		}
		b.chunk.pending[pk] = int32(row.Pos.Row)
		res.Created++
		if !b.writing() {
			return nil
		}
		id, err := b.w.addResident(r, fold, b.col, b.now, int32(row.Pos.Row))
		if err != nil {
			return err
		}
		if r.Relation == "chu_ho" {
			b.w.headJoined(&h, id)
			b.households[hk] = h
		}
		return nil
	}
	if _, ok := b.claimed[match]; ok {
		res.reject(row.Pos, domain.Errorf(domain.EINVALID, "resident.duplicate_in_file").WithField("full_name"))
		return nil
	}
	b.claimed[match] = struct{}{}
	stored, ok := b.chunk.stored[match]
	if !ok {
		var err error
		if stored, err = b.w.resident(match); err != nil {
			return err
		}
	}
	r = mergeResident(stored, r)
	if sameResident(stored, r) {
		res.Unchanged++
		return nil
	}
	res.Updated++
	if b.writing() {
		b.w.updateResident(r, stored.HouseholdID)
		res.ResidentIDs = append(res.ResidentIDs, r.ID)
	}
	return nil
}

// covers checks the villages a chunk names first are in scope.
func (b *PeopleBatch) covers(ids []int64) error {
	for _, v := range ids {
		ok, err := b.s.Covers(b.ctx, b.scope, v)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.ENOTFOUND, "unit.not_found")
		}
	}
	return nil
}

// stored indexes a household stored before the load, of one of its villages.
func (b *PeopleBatch) stored(h domain.Household) {
	b.households[b.householdKey(h.VillageID, h.Number)] = hhState{id: h.ID, ex: int32(len(b.existingHH))}
	b.existingHH = append(b.existingHH, h)
}

// lookup prepares what the chunk's rows are checked against, and returns
// the reading of it, to run once the chunk before last is written: the
// households of the villages it names first (fresh), the residents
// already holding its CCCDs, anywhere (CCCD is unique nationally, not
// per village), and the members stored in its households (a person is
// matched by name + birth date within the household). The last two find
// the rows this load wrote in earlier chunks too. On PostgreSQL the
// reading is one round trip.
func (b *PeopleBatch) lookup(rows []PersonRow, fresh []int64) (func() error, error) {
	if err := b.covers(fresh); err != nil {
		return nil, err
	}
	clear(b.chunk.owners)
	clear(b.chunk.found)
	clear(b.chunk.stored)
	var cccds []string
	for _, r := range rows {
		if c := cleanCCCD(r.Resident.CCCD); c != "" {
			cccds = append(cccds, c)
		}
	}
	type hhRef struct {
		village int64
		number  string
	}
	refs := map[int64]hhRef{}
	var ids []int64
	// The rows' households, keyed once: addRefs may run twice.
	type rowHH struct {
		key    pkey
		number string
	}
	rowHHs := make([]rowHH, len(rows))
	for i, r := range rows {
		hnum := textvi.Normalize(r.Household.Number)
		rowHHs[i] = rowHH{b.householdKey(r.VillageID, hnum), hnum}
	}
	// addRefs notes the chunk's households known so far (a fresh
	// village's once its households are read).
	addRefs := func() {
		for i, r := range rows {
			h, ok := b.households[rowHHs[i].key]
			if _, seen := refs[h.id]; ok && h.id != 0 && !seen {
				refs[h.id] = hhRef{r.VillageID, rowHHs[i].number}
				ids = append(ids, h.id)
			}
		}
	}
	// The stored residents found are kept for the chunk: a row matching
	// one updates it from this copy, not from a query of its own (a
	// re-import matches every row).
	member := func(r domain.Resident) {
		if h := refs[r.HouseholdID]; h.village == r.VillageID {
			b.chunk.found[b.personKey(r.VillageID, textvi.Fold(r.FullName), r.BirthDate, h.number)] = r.ID
			b.chunk.stored[r.ID] = r
		}
	}
	owner := func(r domain.Resident) {
		b.chunk.owners[r.CCCD] = cccdOwner{r.ID, r.VillageID}
		b.chunk.stored[r.ID] = r
	}
	addRefs()
	if b.s.dialect.name == "postgres" {
		known := ids
		return func() error {
			return b.w.lookupPipelined(lookupRequest{fresh: fresh, cccds: cccds, households: known}, lookupAnswers{
				household: b.stored, householdsDone: addRefs, owner: owner, member: member})
		}, nil
	}
	return func() error {
		if err := b.w.villageHouseholds(fresh, b.stored); err != nil {
			return err
		}
		addRefs()
		if err := b.w.cccdOwners(cccds, owner); err != nil {
			return err
		}
		return b.w.members(ids, member)
	}, nil
}

func cleanCCCD(c string) string {
	if c == "" {
		return ""
	}
	var r domain.Resident
	r.CCCD = c
	normalizeResident(&r)
	return r.CCCD
}

func (b *PeopleBatch) personKey(village int64, fold string, birth domain.Date, hnum string) pkey {
	var buf [40]byte
	p := strconv.AppendInt(buf[:0], village, 10)
	p = append(p, '|')
	p = strconv.AppendInt(p, int64(birth.Year()*10000+int(birth.Month())*100+birth.Day()), 10)
	p = append(p, '|')
	return b.hash(p, fold, hnum)
}

func (b *PeopleBatch) householdKey(village int64, hnum string) pkey {
	var buf [24]byte
	p := strconv.AppendInt(buf[:0], village, 10)
	p = append(p, '#')
	return b.hash(p, hnum, "")
}

// hash is 128 bits of prefix + "|" + a + "|" + b.
func (b *PeopleBatch) hash(prefix []byte, x, y string) pkey {
	var k pkey
	for i := range k {
		var h maphash.Hash
		h.SetSeed(b.seeds[i])
		h.Write(prefix)
		h.WriteString(x)
		h.WriteByte('|')
		h.WriteString(y)
		k[i] = h.Sum64()
	}
	return k
}

// cccdKey is a CCCD as a number (12 digits: exact), its length in the low
// bits so that leading zeros count; anything else, a 64-bit hash with the
// top bit set.
func cccdKey(c string, seed maphash.Seed) uint64 {
	if len(c) > 0 && len(c) <= 15 {
		var v uint64
		digits := true
		for i := 0; i < len(c); i++ {
			if c[i] < '0' || c[i] > '9' {
				digits = false
				break
			}
			v = v*10 + uint64(c[i]-'0')
		}
		if digits {
			return v<<4 | uint64(len(c))
		}
	}
	return maphash.String(seed, c) | 1<<63
}
