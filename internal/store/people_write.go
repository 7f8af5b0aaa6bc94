package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// peopleWriter queues a bulk load's writes and sends them in multi-row
// statements prepared once per transaction. Ids are taken in Go: on
// SQLite the load is the only writer (BEGIN IMMEDIATE), so max(id)+1 on;
// on PostgreSQL from the table's sequence, a thousand at a time.
type peopleWriter struct {
	s    *Store
	ctx  context.Context
	conn *sql.Conn // tx's: PostgreSQL's COPY goes through it
	tx   *sql.Tx
	now  time.Time // the load's time, on what it updates

	residentIDs, householdIDs idPool
	// mu is held around each use of the transaction (a statement, or a
	// query and the reading of its rows): the batch in flight writes from
	// its own goroutine, and a PostgreSQL connection serves one statement
	// at a time. It guards stmts too.
	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	inserts map[string]string // "table/rows" → the INSERT's text (the writing goroutine's own)
	// PostgreSQL's COPY: the columns' types by table (read by the main
	// goroutine, at the first hold).
	copyOIDs     map[string][]uint32
	residentCols []string // residentLoadCols()

	// A chunk's writes go through three stages: q while its rows are
	// checked, held once they all are, then sent: written by their own
	// goroutine while the next chunk's rows are checked. The next chunk's
	// lookups run on the connection before the held batch is sent (see
	// PeopleBatch.Add), so the connection and the checks overlap: at most
	// one batch is in flight.
	q        *writeBatch   // the chunk's writes, being queued
	held     *writeBatch   // the chunk before's, complete, not sent yet
	hhHead   map[int64]int // household queued in q → index of its head_id in q.hhArgs
	inflight chan error
	next     chan func() error // what to run after the batch in flight (waitThen)
	sent     *writeBatch       // the batch in flight
	spare    []*writeBatch     // batches written, reset, for reuse

	created  []idRange          // the residents this load created, for the audit and rowOf
	rows     []int32            // the row of each created resident, in id order
	recheck  map[int64]struct{} // households whose head may have changed: recomputed at the end
	inserted map[int64]bool     // villages the load inserted into
	triggers map[string]string  // SQLite: the insert triggers dropped for the load, by name
}

// writeBatch is one chunk's writes.
type writeBatch struct {
	hhArgs  []any // households, householdLoadCols each
	hhN     int
	resArgs []any // residents, residentLoadCols each
	resN    int
	updates []domain.Resident
	hhUpd   []domain.Household // stored households the rows add facts to
	headFix []int64            // (household, head) pairs for households written before their head came
	// PostgreSQL: the households and residents in COPY's binary format,
	// encoded when the batch is held.
	hhCopy, resCopy []byte
}

func (q *writeBatch) reset() {
	clear(q.hhArgs)
	clear(q.resArgs)
	q.hhArgs, q.resArgs, q.hhN, q.resN = q.hhArgs[:0], q.resArgs[:0], 0, 0
	q.updates, q.hhUpd, q.headFix = q.updates[:0], q.hhUpd[:0], q.headFix[:0]
}

type idRange struct {
	from, to int64
	at       int // index in rows of from
}

type idPool struct {
	table string
	next  int64   // SQLite: the next free id (0: not read yet)
	ids   []int64 // PostgreSQL: ids taken from the sequence, not used yet
	seq   string  // PostgreSQL: the sequence, as a quoted literal ('public.residents_id_seq')
}

// Rows per multi-row INSERT: under SQLite's and PostgreSQL's parameter
// limits, big enough that a statement's overhead is spread thin.
const (
	residentsPerInsert  = 200
	householdsPerInsert = 300
	cccdsPerLookup      = 500
)

var householdLoadCols = []string{"id", "village_id", "number", "hamlet", "address", "head_id", "bank_since", "bank_helped", "zalo_since", "zalo_helped",
	"created_at", "updated_at", "version"}

const householdHeadCol = 5

func residentLoadCols() []string {
	cols := strings.Split(strings.Join(strings.Fields(residentWriteCols), ""), ",")
	return append(append([]string{"id"}, cols...), "created_at", "updated_at", "version")
}

func newPeopleWriter(s *Store, ctx context.Context, conn *sql.Conn, tx *sql.Tx, now time.Time) *peopleWriter {
	return &peopleWriter{s: s, ctx: ctx, conn: conn, tx: tx, now: now, residentCols: residentLoadCols(), residentIDs: idPool{table: "residents"}, householdIDs: idPool{table: "households"},
		stmts: map[string]*sql.Stmt{}, inserts: map[string]string{}, q: &writeBatch{}, hhHead: map[int64]int{}, recheck: map[int64]struct{}{}, inserted: map[int64]bool{}}
}

// stmt prepares q once per transaction; w.mu is held.
func (w *peopleWriter) stmt(q string) (*sql.Stmt, error) {
	if st, ok := w.stmts[q]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(w.ctx, q)
	if err != nil {
		return nil, internal("prepare", err)
	}
	w.stmts[q] = st
	return st, nil
}

func (w *peopleWriter) take(p *idPool) (int64, error) {
	if w.s.dialect.name == "postgres" {
		if len(p.ids) == 0 {
			if err := w.takeFromSequence(p); err != nil {
				return 0, internal("ids", err)
			}
		}
		id := p.ids[0]
		p.ids = p.ids[1:]
		return id, nil
	}
	if p.next == 0 {
		w.mu.Lock()
		defer w.mu.Unlock()
		if err := w.tx.QueryRowContext(w.ctx, "SELECT COALESCE(max(id), 0) + 1 FROM "+p.table).Scan(&p.next); err != nil {
			return 0, internal("ids", err)
		}
	}
	p.next++
	return p.next - 1, nil
}

// takeFromSequence takes the next thousand ids of a PostgreSQL table's
// sequence. Sequences are outside transactions, so this runs on another
// connection of the pool: the load's own may be busy writing the chunk
// before. The sequence is named once: pg_get_serial_sequence in the
// select list cost 2 µs an id, five times nextval itself.
func (w *peopleWriter) takeFromSequence(p *idPool) error {
	if p.seq == "" {
		var name sql.NullString
		if err := w.s.w.QueryRowContext(w.ctx, "SELECT pg_get_serial_sequence($1, 'id')", p.table).Scan(&name); err != nil {
			return err
		}
		if !name.Valid {
			return fmt.Errorf("%s has no id sequence", p.table)
		}
		p.seq = "'" + strings.ReplaceAll(name.String, "'", "''") + "'"
	}
	rs, err := w.s.w.QueryContext(w.ctx, "SELECT nextval("+p.seq+"::regclass) FROM generate_series(1, 1000)")
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return err
		}
		p.ids = append(p.ids, id)
	}
	if err := rs.Err(); err != nil {
		return err
	}
	if len(p.ids) == 0 {
		return fmt.Errorf("%s: no ids", p.seq)
	}
	return nil
}

// addHousehold queues a new household and returns its id.
func (w *peopleWriter) addHousehold(now time.Time, h domain.Household) (int64, error) {
	id, err := w.take(&w.householdIDs)
	if err != nil {
		return 0, err
	}
	w.inserted[h.VillageID] = true
	q := w.q
	w.hhHead[id] = len(q.hhArgs) + householdHeadCol
	q.hhArgs = append(q.hhArgs, id, h.VillageID, h.Number, h.Hamlet, h.Address, nil, h.Bank.Since, h.Bank.Helped, h.Zalo.Since, h.Zalo.Helped, now, now, 1)
	q.hhN++
	return id, nil
}

// updateHousehold queues the update of a stored household.
func (w *peopleWriter) updateHousehold(h *domain.Household) {
	w.q.hhUpd = append(w.q.hhUpd, *h)
}

// addResident queues a new resident and returns its id.
func (w *peopleWriter) addResident(r domain.Resident, fold string, col *textvi.Collator, now time.Time, row int32) (int64, error) {
	id, err := w.take(&w.residentIDs)
	if err != nil {
		return 0, err
	}
	w.inserted[r.VillageID] = true
	q := w.q
	q.resArgs = append(q.resArgs, id)
	q.resArgs = appendResidentArgs(q.resArgs, r, fold, col)
	q.resArgs = append(q.resArgs, now, now, 1)
	q.resN++
	if n := len(w.created); n > 0 && w.created[n-1].to == id-1 {
		w.created[n-1].to = id
	} else {
		w.created = append(w.created, idRange{id, id, len(w.rows)})
	}
	w.rows = append(w.rows, row)
	return id, nil
}

// rowOf says whether this load created resident id (ids are taken in
// increasing order), and from which row.
func (w *peopleWriter) rowOf(id int64) (int32, bool) {
	i, _ := slices.BinarySearchFunc(w.created, id, func(r idRange, id int64) int {
		switch {
		case r.to < id:
			return -1
		case r.from > id:
			return 1
		}
		return 0
	})
	if i == len(w.created) || w.created[i].from > id || w.created[i].to < id {
		return 0, false
	}
	return w.rows[w.created[i].at+int(id-w.created[i].from)], true
}

// villageHouseholds calls fn with each household stored in the villages.
func (w *peopleWriter) villageHouseholds(villages []int64, fn func(domain.Household)) error {
	for start := 0; start < len(villages); start += cccdsPerLookup {
		part := villages[start:min(start+cccdsPerLookup, len(villages))]
		args := make([]any, len(part))
		for i, v := range part {
			args[i] = v
		}
		if err := w.query("SELECT "+householdCols+" FROM households h WHERE h.village_id IN ("+w.params(0, len(part))+")", args, func(rs *sql.Rows) error {
			h, err := scanHousehold(rs)
			if err != nil {
				return err
			}
			fn(h)
			return nil
		}); err != nil {
			return internal("load households", err)
		}
	}
	return nil
}

// members calls fn with each resident stored in the households.
func (w *peopleWriter) members(households []int64, fn func(domain.Resident)) error {
	return residentsIn(w, "household_id", "members", households, fn)
}

// cccdOwners calls fn with the residents holding any of the CCCDs.
func (w *peopleWriter) cccdOwners(cccds []string, fn func(domain.Resident)) error {
	return residentsIn(w, "cccd", "cccd owners", cccds, fn)
}

// residentsIn calls fn with each stored resident whose col is one of
// values, cccdsPerLookup values a statement, padded with the last one so
// that every lookup is the one prepared statement.
func residentsIn[T any](w *peopleWriter, col, op string, values []T, fn func(domain.Resident)) error {
	for start := 0; start < len(values); start += cccdsPerLookup {
		part := values[start:min(start+cccdsPerLookup, len(values))]
		args := make([]any, cccdsPerLookup)
		for i := range args {
			args[i] = part[min(i, len(part)-1)]
		}
		if err := w.query("SELECT "+residentCols+" FROM residents r WHERE r."+col+" IN ("+w.params(0, cccdsPerLookup)+")", args,
			func(rs *sql.Rows) error {
				r, err := scanResident(rs)
				if err != nil {
					return err
				}
				fn(r)
				return nil
			}); err != nil {
			return internal(op, err)
		}
	}
	return nil
}

// headJoined notes that resident id, a head of household (chu_ho), joined
// household h: a household's head is its first head by id.
func (w *peopleWriter) headJoined(h *hhState, id int64) {
	if !h.created {
		w.recheck[h.id] = struct{}{}
		return
	}
	if h.head != 0 {
		return
	}
	h.head = id
	if i, queued := w.hhHead[h.id]; queued {
		w.q.hhArgs[i] = id
		return
	}
	w.q.headFix = append(w.q.headFix, h.id, id)
}

// updateResident queues the update of a matched resident.
func (w *peopleWriter) updateResident(r domain.Resident, oldHousehold int64) {
	w.q.updates = append(w.q.updates, r)
	w.recheck[oldHousehold] = struct{}{}
	w.recheck[r.HouseholdID] = struct{}{}
}

// query runs a prepared query and reads every row with fn, holding w.mu.
func (w *peopleWriter) query(q string, args []any, fn func(*sql.Rows) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	st, err := w.stmt(q)
	if err != nil {
		return err
	}
	rs, err := st.QueryContext(w.ctx, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		if err := fn(rs); err != nil {
			return err
		}
	}
	if err := rs.Err(); err != nil {
		return err
	}
	return rs.Close()
}

// resident reads a stored resident matched by a row.
func (w *peopleWriter) resident(id int64) (domain.Resident, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	st, err := w.stmt("SELECT " + residentCols + " FROM residents r WHERE r.id = $1")
	if err != nil {
		return domain.Resident{}, err
	}
	r, err := scanResident(st.QueryRowContext(w.ctx, id))
	return r, internal("resident", err)
}

// params is the placeholder list of n bulk arguments after the first k.
func (w *peopleWriter) params(k, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteString(w.s.dialect.param(k + i))
	}
	return b.String()
}

// insertRows inserts n queued rows of len(cols) arguments each.
func (w *peopleWriter) insertRows(table string, cols []string, per int, args []any, n int) error {
	width := len(cols)
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		key := table + "/" + strconv.Itoa(k)
		q, ok := w.inserts[key]
		if !ok {
			var b strings.Builder
			b.WriteString(w.s.dialect.bulkInsert + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
			for i := 0; i < k; i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(" + w.params(i*width, width) + ")")
			}
			q = b.String()
			w.inserts[key] = q
		}
		if err := w.exec(q, args[start*width:(start+k)*width]...); err != nil {
			return internal("insert "+table, err)
		}
	}
	return nil
}

// hold closes the chunk's batch: it is sent by send, once the next
// chunk's lookups have run. On PostgreSQL it is encoded for COPY now,
// while the batch before is written.
func (w *peopleWriter) hold() error {
	w.held, w.q = w.q, w.batch()
	clear(w.hhHead)
	if w.s.dialect.name == "postgres" {
		return internal("encode", w.encodeCopy(w.held))
	}
	return nil
}

// send starts writing the held batch, if any, in a goroutine; the batch
// before must be written (wait).
func (w *peopleWriter) send() {
	if w.held == nil {
		return
	}
	q := w.held
	w.held, w.sent = nil, q
	done := make(chan error, 1)
	w.inflight = done
	next := make(chan func() error, 1)
	w.next = next
	go func() {
		err := w.write(q)
		// What the main goroutine asks to run after the batch (waitThen):
		// the next chunk's lookups follow the write on the connection at
		// once, without this goroutine handing back and being woken again.
		if fn := <-next; err == nil && fn != nil {
			err = fn()
		}
		done <- err
	}()
	// Let the writer start its statement now: on a busy client the new
	// goroutine waited for the checks of the next chunk to block or be
	// preempted, with the connection idle.
	runtime.Gosched()
}

// wait waits for the batch in flight, if any, and returns its error.
func (w *peopleWriter) wait() error { return w.waitThen(nil) }

// waitThen runs fn (if not nil) once the batch in flight, if any, is
// written, from the writing goroutine, and returns the first error.
func (w *peopleWriter) waitThen(fn func() error) error {
	if w.inflight == nil {
		if fn == nil {
			return nil
		}
		return fn()
	}
	w.next <- fn
	err := <-w.inflight
	w.inflight = nil
	w.sent.reset()
	w.spare = append(w.spare, w.sent)
	w.sent = nil
	return err
}

// finish writes what is still queued: the batch in flight and the held one.
func (w *peopleWriter) finish() error {
	if err := w.wait(); err != nil {
		return err
	}
	w.send()
	return w.wait()
}

func (w *peopleWriter) batch() *writeBatch {
	if n := len(w.spare); n > 0 {
		q := w.spare[n-1]
		w.spare = w.spare[:n-1]
		return q
	}
	return &writeBatch{}
}

// write sends a batch: households before the residents that point at them.
func (w *peopleWriter) write(q *writeBatch) error {
	if q.hhN+q.resN > 0 {
		w.mu.Lock()
		err := w.suspendTriggers()
		w.mu.Unlock()
		if err != nil {
			return err
		}
	}
	if w.s.dialect.name == "postgres" {
		if q.hhN > 0 {
			if err := w.copyRows("households", householdLoadCols, q.hhCopy, q.hhN); err != nil {
				return internal("copy households", err)
			}
		}
		if q.resN > 0 {
			if err := w.copyRows("residents", w.residentCols, q.resCopy, q.resN); err != nil {
				return internal("copy residents", err)
			}
		}
	} else {
		if err := w.insertRows("households", householdLoadCols, householdsPerInsert, q.hhArgs, q.hhN); err != nil {
			return err
		}
		if err := w.insertRows("residents", w.residentCols, residentsPerInsert, q.resArgs, q.resN); err != nil {
			return err
		}
	}
	if err := w.updateHouseholds(q.hhUpd); err != nil {
		return internal("update household", err)
	}
	if err := w.updateResidents(q.updates); err != nil {
		return err
	}
	for i := 0; i < len(q.headFix); i += 2 {
		if err := w.exec("UPDATE households SET head_id = $1 WHERE id = $2", q.headFix[i+1], q.headFix[i]); err != nil {
			return internal("household head", err)
		}
	}
	return nil
}

// exec runs a prepared statement, holding w.mu.
func (w *peopleWriter) exec(q string, args ...any) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	st, err := w.stmt(q)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(w.ctx, args...)
	return err
}

// drop forgets the queued writes not sent (a load that will be rolled
// back).
func (w *peopleWriter) drop() {
	w.q.reset()
	if w.held != nil {
		w.held.reset()
		w.spare = append(w.spare, w.held)
		w.held = nil
	}
	clear(w.hhHead)
}

// fixHeads points the households whose members changed other than by
// new rows at their head (the member with relation chu_ho of lowest id).
// min(r.id + 0): PostgreSQL would answer min(r.id) by walking the whole
// primary key (README, P3).
func (w *peopleWriter) fixHeads() error {
	if err := w.restoreTriggers(); err != nil {
		return err
	}
	ids := make([]int64, 0, len(w.recheck))
	for id := range w.recheck {
		if id != 0 {
			ids = append(ids, id)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE households SET head_id = (SELECT min(r.id + 0) FROM residents r WHERE r.household_id = households.id AND r.relation = 'chu_ho')
			WHERE id IN (`+w.params(0, len(part))+")", args...); err != nil {
			return internal("household heads", err)
		}
	}
	return nil
}

// createdList is the created residents' ids, comma-separated, a run of
// three or more consecutive ids written first-last ("7,9-1008"): a
// million-row load is one short entry, not 8 MB of digits.
func (w *peopleWriter) createdList() string {
	var b []byte
	for _, r := range w.created {
		if len(b) > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, r.from, 10)
		switch {
		case r.to == r.from+1:
			b = append(b, ',')
			b = strconv.AppendInt(b, r.to, 10)
		case r.to > r.from:
			b = append(b, '-')
			b = strconv.AppendInt(b, r.to, 10)
		}
	}
	return string(b)
}
