package store

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"thonso/internal/domain"
)

// Pre-aggregated figures (issue #10, docs/decisions.md "Unit statistics
// at province scale"). Each unit's facts (residents, households,
// dossiers and their steps) are summarised once as step functions of the
// date: for every figure, the days on which it changes and its value from
// then on. A unit's summary is keyed by its revision in village_revs,
// which triggers replace with a new random value inside every write
// transaction that touches the unit's facts (migration 0019); Stats reads
// the revisions of the units under the one asked for, recomputes the
// summaries whose revision moved (one unit's rows: cheap) and adds the
// others' values on the date. The answer is the live one: what a write
// committed is seen by the next read, on any app server. StatsLive, the
// queries over the raw rows, stays as the reference the conformance test
// compares with.

// errNotCacheable sends a call to the live queries: a stored date not in
// the canonical YYYY-MM-DD form (the live queries compare text), or more
// procedure × portal pairs than a summary can index.
var errNotCacheable = errors.New("figures not summarisable")

// aggMaxUnits bounds the summaries one process keeps (about 15 kB each
// for a village of 700 residents): past it the cache starts over.
const aggMaxUnits = 50_000

// Figure indexes of the residents' step functions.
const (
	mResidents = iota
	mAged14
	mAccounts14
	mAdults18
	mPhone18
	mHouseholds
	mHouseholdsBank
	mHouseholdsZalo
	nMetrics
)

const (
	dayNever = math.MaxInt32 // a null date: never
	dayEver  = math.MinInt32 // a null start: since always
)

// stepFn is a count as a function of the day: base before the first
// change, cum[i] from days[i] on. It is exact from its floor on.
type stepFn struct {
	base int32
	days []int32
	cum  []int32
}

func (f *stepFn) at(d int32) int {
	i := sort.Search(len(f.days), func(i int) bool { return f.days[i] > d })
	if i == 0 {
		return int(f.base)
	}
	return int(f.cum[i-1])
}

type event struct{ day, delta int32 }

// interval adds [start, end) to a figure's events; an empty one nothing.
func interval(ev *[]event, start, end int32) {
	if start >= end || start == dayNever {
		return
	}
	*ev = append(*ev, event{start, 1})
	if end != dayNever {
		*ev = append(*ev, event{end, -1})
	}
}

// buildStep folds the events before floor into the base.
func buildStep(ev []event, floor int32) stepFn {
	slices.SortFunc(ev, func(a, b event) int { return int(int64(a.day) - int64(b.day)) })
	var f stepFn
	i := 0
	for ; i < len(ev) && ev[i].day < floor; i++ {
		f.base += ev[i].delta
	}
	run := f.base
	for ; i < len(ev); i++ {
		run += ev[i].delta
		if n := len(f.days); n > 0 && f.days[n-1] == ev[i].day {
			f.cum[n-1] = run
			continue
		}
		f.days = append(f.days, ev[i].day)
		f.cum = append(f.cum, run)
	}
	return f
}

// unitAgg is one unit's summary of its own facts.
type unitAgg struct {
	rev, global int64
	floor       int32 // the residents' figures are exact from this day on
	res         [nMetrics]stepFn
	// Residents' dossiers (practice and voided apart): receptions by
	// procedure × portal group, each sorted; months of reception as runs
	// over all of them sorted (run i: month months[i], dossiers up to
	// monthEnd[i] in recv order).
	recv     []int32
	byGroup  []groupDays
	months   []uint16
	monthEnd []int32
	practice []int32
	overdue  stepFn
}

type groupDays struct {
	group uint16
	days  []int32
}

// countUpTo counts the sorted days on or before d.
func countUpTo(days []int32, d int32) int {
	return sort.Search(len(days), func(i int) bool { return days[i] > d })
}

type groupKey struct {
	proc   int64
	portal string
}

type procInfo struct {
	sector, field, code string
	days                int
}

// aggCache holds the summaries of one database, shared by the Store's
// copies (WithClock).
type aggCache struct {
	mu       sync.Mutex
	global   int64 // revision of the shared facts the summaries used
	haveProc bool
	procs    map[int64]procInfo
	off      map[domain.Date]domain.DayOff
	groups   []groupKey
	groupIdx map[groupKey]uint16
	units    map[int64]*unitAgg
	trees    map[treeKey]listedTree
	teams    teamCache   // the teams' tables (aggregate_teams.go)
	results  resultCache // whole answers of Stats (aggregate_results.go)
}

func newAggCache() *aggCache {
	return &aggCache{units: map[int64]*unitAgg{}, groupIdx: map[groupKey]uint16{}, trees: map[treeKey]listedTree{}}
}

// day numbers: days since 1970-01-01 of a canonical ISO date.
func isoDay(s string) (int32, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	n := func(a, b int) (int, bool) {
		v := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := n(0, 4)
	m, ok2 := n(5, 7)
	d, ok3 := n(8, 10)
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return civilToDay(y, m, d), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civilToDay is Howard Hinnant's days_from_civil.
func civilToDay(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

func dateDay(d domain.Date) int32 { return civilToDay(d.Year(), int(d.Month()), d.Day()) }

func dayDate(n int32) domain.Date {
	t := time.Unix(int64(n)*86400, 0).UTC()
	return domain.NewDate(t.Year(), t.Month(), t.Day())
}

// nullDay reads a nullable date column: absent is dayNever.
func nullDay(v sql.NullString) (int32, error) {
	if !v.Valid {
		return dayNever, nil
	}
	d, ok := isoDay(v.String)
	if !ok {
		return 0, errNotCacheable
	}
	return d, nil
}

// turnsOn is the first day on which someone born on b is n years old
// (birth <= BornBy(day, n)), as the live queries test it.
func turnsOn(b int32, n int, memo map[int32]int32) int32 {
	if v, ok := memo[b]; ok {
		return v
	}
	born := dayDate(b)
	c := dateDay(domain.NewDate(born.Year()+n, born.Month(), born.Day()))
	for dateDay(domain.BornBy(dayDate(c-1), n)) >= b {
		c--
	}
	for dateDay(domain.BornBy(dayDate(c), n)) < b {
		c++
	}
	memo[b] = c
	return c
}

// unitRev is a unit under the one asked for, with its revision (0: none).
type unitRev struct {
	id, rev, top int64
	level        string
}

// unitsWithRevs lists every unit under unitID on tree (the unit itself
// included) with its level and revision, and the shared revision (row 0).
func (s *Store) unitsWithRevs(ctx context.Context, unitID int64, tree domain.Date) ([]unitRev, sharedRevs, error) {
	return s.treeWithRevs(ctx, treeKey{unitID, dateDay(tree), false}, `WITH RECURSIVE down(id) AS (SELECT CAST($1 AS BIGINT) UNION
		SELECT p.unit_id FROM unit_parents p JOIN down ON p.parent_id = down.id WHERE `+live("p", 2)+`)
		SELECT down.id, 0, u.level, COALESCE(v.rev, 0) FROM down JOIN units u ON u.id = down.id LEFT JOIN village_revs v ON v.village_id = down.id
		UNION ALL SELECT village_id, 0, '', rev FROM village_revs WHERE village_id IN (0, -1, -2)`, unitID, tree)
}

// childUnitsWithRevs lists the units under each child of unitID on tree,
// with the child (top) each belongs to.
func (s *Store) childUnitsWithRevs(ctx context.Context, unitID int64, tree domain.Date) ([]unitRev, sharedRevs, error) {
	return s.treeWithRevs(ctx, treeKey{unitID, dateDay(tree), true}, `WITH RECURSIVE down(id, top) AS (SELECT p.unit_id, p.unit_id FROM unit_parents p WHERE p.parent_id = $1 AND `+live("p", 2)+`
		UNION SELECT p.unit_id, down.top FROM unit_parents p JOIN down ON p.parent_id = down.id WHERE `+live("p", 2)+`)
		SELECT down.id, down.top, u.level, COALESCE(v.rev, 0) FROM down JOIN units u ON u.id = down.id LEFT JOIN village_revs v ON v.village_id = down.id
		UNION ALL SELECT village_id, 0, '', rev FROM village_revs WHERE village_id IN (0, -1, -2)`, unitID, tree)
}

// treeKey names a subtree on a date (or the subtrees of its children).
type treeKey struct {
	unit     int64
	tree     int32
	children bool
}

// listedTree is a listed subtree and the tree revision (row -1) it was read at.
type listedTree struct {
	treeRev int64
	units   []unitRev
}

const aggMaxTrees = 5000

// sharedRevs are the revisions of village_revs' shared rows: 0, what
// every summary uses (procedures, days off); -1, the tree; -2, the
// teams' tables (aggregate_teams.go). 0 when the row is missing.
type sharedRevs struct{ global, tree, teams int64 }

// treeWithRevs runs q, which lists a subtree with levels and revisions
// plus rows 0 (shared), -1 (tree) and -2 (teams), and keeps the
// subtree: while the tree's revision holds, a later call only reads the
// revisions.
func (s *Store) treeWithRevs(ctx context.Context, key treeKey, q string, args ...any) ([]unitRev, sharedRevs, error) {
	c := s.agg
	c.mu.Lock()
	st, ok := c.trees[key]
	c.mu.Unlock()
	if ok {
		revs, err := s.readRevs(ctx, st.units)
		if err != nil {
			return nil, sharedRevs{}, err
		}
		if revs[-1] == st.treeRev {
			out := make([]unitRev, len(st.units))
			for i, u := range st.units {
				u.rev = revs[u.id]
				out[i] = u
			}
			return out, sharedRevs{revs[0], revs[-1], revs[-2]}, nil
		}
	}
	rs, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, sharedRevs{}, internal("unit revisions", err)
	}
	defer rs.Close()
	var out []unitRev
	var sh sharedRevs
	for rs.Next() {
		var u unitRev
		if err := rs.Scan(&u.id, &u.top, &u.level, &u.rev); err != nil {
			return nil, sharedRevs{}, internal("unit revisions", err)
		}
		switch u.id {
		case 0:
			sh.global = u.rev
		case -1:
			sh.tree = u.rev
		case -2:
			sh.teams = u.rev
		default:
			out = append(out, u)
		}
	}
	if err := rs.Err(); err != nil {
		return nil, sharedRevs{}, internal("unit revisions", err)
	}
	if sh.tree != 0 {
		c.mu.Lock()
		if len(c.trees) >= aggMaxTrees {
			c.trees = map[treeKey]listedTree{}
		}
		c.trees[key] = listedTree{sh.tree, slices.Clone(out)}
		c.mu.Unlock()
	}
	return out, sh, nil
}

// readRevs reads the revisions of units and rows 0 and -1: the whole
// table for a big subtree (one scan), else by id.
func (s *Store) readRevs(ctx context.Context, units []unitRev) (map[int64]int64, error) {
	q := "SELECT village_id, rev FROM village_revs"
	var args []any
	if len(units) <= 500 {
		ph := []string{"0", "-1", "-2"}
		for i, u := range units {
			args = append(args, u.id)
			ph = append(ph, "$"+strconv.Itoa(i+1))
		}
		q += " WHERE village_id IN (" + strings.Join(ph, ",") + ")"
	}
	rs, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, internal("unit revisions", err)
	}
	defer rs.Close()
	out := make(map[int64]int64, len(units)+2)
	for rs.Next() {
		var id, rev int64
		if err := rs.Scan(&id, &rev); err != nil {
			return nil, internal("unit revisions", err)
		}
		out[id] = rev
	}
	return out, internal("unit revisions", rs.Err())
}

// aggFloor is the day from which the residents' figures must be exact:
// the earlier of the date asked for and the first day of the model, so
// one summary serves every date the dashboards accept.
func (s *Store) aggFloor(ctx context.Context, at domain.Date) (int32, error) {
	since, err := s.DataSince(ctx)
	if err != nil {
		return 0, err
	}
	f := dateDay(at)
	if !since.IsZero() && dateDay(since) < f {
		f = dateDay(since)
	}
	return f, nil
}

// summaries returns the summaries of units, recomputing those whose
// revision moved (or that are not exact from floor on).
func (s *Store) summaries(ctx context.Context, units []unitRev, global int64, floor int32) ([]*unitAgg, *aggCache, error) {
	c := s.agg
	c.mu.Lock()
	if c.global != global || !c.haveProc {
		c.mu.Unlock()
		if err := s.loadShared(ctx, global); err != nil {
			return nil, nil, err
		}
		c.mu.Lock()
	}
	out := make([]*unitAgg, len(units))
	var stale []unitRev
	for i, u := range units {
		a := c.units[u.id]
		if a != nil && u.rev != 0 && a.rev == u.rev && a.global == global && a.floor <= floor {
			out[i] = a
			continue
		}
		stale = append(stale, u)
	}
	c.mu.Unlock()
	if len(stale) == 0 {
		return out, c, nil
	}
	fresh, err := s.summarise(ctx, stale, global, floor)
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	if len(c.units)+len(fresh) > aggMaxUnits {
		c.units = map[int64]*unitAgg{}
	}
	for _, u := range stale {
		if a := fresh[u.id]; a != nil && u.rev != 0 {
			c.units[u.id] = a
		}
	}
	c.mu.Unlock()
	for i, u := range units {
		if out[i] == nil {
			out[i] = fresh[u.id]
		}
	}
	return out, c, nil
}

// loadShared reads the procedures and days off the summaries use.
func (s *Store) loadShared(ctx context.Context, global int64) error {
	procs := map[int64]procInfo{}
	rs, err := s.r.QueryContext(ctx, "SELECT id, sector, field, code, processing_days FROM procedures")
	if err != nil {
		return internal("procedures", err)
	}
	for rs.Next() {
		var id int64
		var p procInfo
		if err := rs.Scan(&id, &p.sector, &p.field, &p.code, &p.days); err != nil {
			rs.Close()
			return internal("procedures", err)
		}
		procs[id] = p
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return internal("procedures", err)
	}
	offs, err := s.DaysOff(ctx, domain.NewDate(1000, 1, 1), domain.NewDate(9999, 12, 31)) // NewDate(1, 1, 1) is the zero Date: NULL
	if err != nil {
		return err
	}
	c := s.agg
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.global != global || !c.haveProc {
		c.units = map[int64]*unitAgg{} // their overdue counts used the old ones
	}
	c.global, c.procs, c.off, c.haveProc = global, procs, DayOffMap(offs), true
	return nil
}

// summarise computes the summaries of units from their rows, some
// hundred units per query.
func (s *Store) summarise(ctx context.Context, units []unitRev, global int64, floor int32) (map[int64]*unitAgg, error) {
	out := make(map[int64]*unitAgg, len(units))
	for start := 0; start < len(units); start += 400 {
		chunk := units[start:min(start+400, len(units))]
		ids := make([]any, len(chunk))
		ph := make([]string, len(chunk))
		for i, u := range chunk {
			ids[i] = u.id
			ph[i] = "$" + strconv.Itoa(i+1)
			out[u.id] = &unitAgg{rev: u.rev, global: global, floor: floor}
		}
		in := "(" + strings.Join(ph, ",") + ")"
		if err := s.summariseResidents(ctx, in, ids, out, floor); err != nil {
			return nil, err
		}
		if err := s.summariseHouseholds(ctx, in, ids, out, floor); err != nil {
			return nil, err
		}
		if err := s.summariseDossiers(ctx, in, ids, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) summariseResidents(ctx context.Context, in string, ids []any, out map[int64]*unitAgg, floor int32) error {
	rs, err := s.r.QueryContext(ctx, `SELECT village_id, birth_date, moved_in, left_on, account_since, smartphone_since FROM residents WHERE village_id IN `+in+` ORDER BY village_id`, ids...)
	if err != nil {
		return internal("summaries", err)
	}
	defer rs.Close()
	var cur int64 = -1
	var ev [mHouseholds][]event
	memo14, memo18 := map[int32]int32{}, map[int32]int32{}
	flush := func() {
		if a := out[cur]; a != nil {
			for m := range ev {
				a.res[m] = buildStep(ev[m], floor)
			}
		}
		for m := range ev {
			ev[m] = ev[m][:0]
		}
	}
	for rs.Next() {
		var v int64
		var born string
		var in, left, acct, phone sql.NullString
		if err := rs.Scan(&v, &born, &in, &left, &acct, &phone); err != nil {
			return internal("summaries", err)
		}
		if v != cur {
			if cur >= 0 {
				flush()
			}
			cur = v
		}
		b, ok := isoDay(born)
		if !ok {
			return errNotCacheable
		}
		var days [4]int32
		for i, x := range []sql.NullString{in, left, acct, phone} {
			if days[i], err = nullDay(x); err != nil {
				return err
			}
		}
		start, end := b, days[1]
		if days[0] != dayNever && days[0] > start {
			start = days[0]
		}
		t14, t18 := max(start, turnsOn(b, 14, memo14)), max(start, turnsOn(b, 18, memo18))
		interval(&ev[mResidents], start, end)
		interval(&ev[mAged14], t14, end)
		interval(&ev[mAccounts14], max(t14, days[2]), end)
		interval(&ev[mAdults18], t18, end)
		interval(&ev[mPhone18], max(t18, days[3]), end)
	}
	if err := rs.Err(); err != nil {
		return internal("summaries", err)
	}
	if cur >= 0 {
		flush()
	}
	return nil
}

// summariseHouseholds: a household counts while someone lives in it
// (its members wherever they are registered), banked while it or a
// living member has an account, on Zalo from its date while lived in.
func (s *Store) summariseHouseholds(ctx context.Context, in string, ids []any, out map[int64]*unitAgg, floor int32) error {
	rs, err := s.r.QueryContext(ctx, `SELECT h.village_id, h.id, h.bank_since, h.zalo_since, r.birth_date, r.moved_in, r.left_on, r.bank_since
		FROM households h JOIN residents r ON r.household_id = h.id WHERE h.village_id IN `+in+` ORDER BY h.village_id, h.id`, ids...)
	if err != nil {
		return internal("summaries", err)
	}
	defer rs.Close()
	var curV, curH int64 = -1, -1
	var ev [3][]event
	var live, bank []daySpan
	var zalo int32
	endHousehold := func() {
		union(&ev[0], live, dayEver)
		union(&ev[1], bank, dayEver)
		union(&ev[2], live, zalo)
		live, bank = live[:0], bank[:0]
	}
	flush := func() {
		if a := out[curV]; a != nil {
			for m := range ev {
				a.res[mHouseholds+m] = buildStep(ev[m], floor)
			}
		}
		for m := range ev {
			ev[m] = ev[m][:0]
		}
	}
	for rs.Next() {
		var v, h int64
		var hb, hz, in, left, rb sql.NullString
		var born string
		if err := rs.Scan(&v, &h, &hb, &hz, &born, &in, &left, &rb); err != nil {
			return internal("summaries", err)
		}
		if h != curH {
			if curH >= 0 {
				endHousehold()
			}
			if v != curV {
				if curV >= 0 {
					flush()
				}
				curV = v
			}
			curH = h
			if zalo, err = nullDay(hz); err != nil {
				return err
			}
		}
		b, ok := isoDay(born)
		if !ok {
			return errNotCacheable
		}
		var days [4]int32
		for i, x := range []sql.NullString{in, left, hb, rb} {
			if days[i], err = nullDay(x); err != nil {
				return err
			}
		}
		start, end := b, days[1]
		if days[0] != dayNever && days[0] > start {
			start = days[0]
		}
		if start < end {
			live = append(live, daySpan{start, end})
			if since := min(days[2], days[3]); since != dayNever && max(start, since) < end {
				bank = append(bank, daySpan{max(start, since), end})
			}
		}
	}
	if err := rs.Err(); err != nil {
		return internal("summaries", err)
	}
	if curH >= 0 {
		endHousehold()
	}
	if curV >= 0 {
		flush()
	}
	return nil
}

type daySpan struct{ from, to int32 }

// union adds the union of spans, clipped to start on or after from, as
// one household's events.
func union(ev *[]event, spans []daySpan, from int32) {
	if len(spans) == 0 || from == dayNever {
		return
	}
	slices.SortFunc(spans, func(a, b daySpan) int { return int(int64(a.from) - int64(b.from)) })
	cur := spans[0]
	emit := func(sp daySpan) { interval(ev, max(sp.from, from), sp.to) }
	for _, sp := range spans[1:] {
		if sp.from <= cur.to {
			cur.to = max(cur.to, sp.to)
			continue
		}
		emit(cur)
		cur = sp
	}
	emit(cur)
}

// summariseDossiers: receptions by group and month, practice ones apart,
// and the days each dossier is overdue (in processing past its
// processing days, or collected and not returned the next working day).
func (s *Store) summariseDossiers(ctx context.Context, in string, ids []any, out map[int64]*unitAgg) error {
	type dossier struct {
		village int64
		proc    int64
		recv    int32
	}
	rs, err := s.r.QueryContext(ctx, `SELECT d.id, d.village_id, d.procedure_id, d.portal, d.practice, d.received_on FROM dossiers d
		WHERE d.village_id IN `+in+` AND d.state <> 'voided' ORDER BY d.village_id, d.received_on, d.id`, ids...)
	if err != nil {
		return internal("summaries", err)
	}
	type recvRow struct {
		day   int32
		group uint16
		month uint16
	}
	byVillage := map[int64][]recvRow{}
	open := map[int64]dossier{}
	c := s.agg
	for rs.Next() {
		var id, v, proc int64
		var portal, recvOn string
		var practice bool
		if err := rs.Scan(&id, &v, &proc, &portal, &practice, &recvOn); err != nil {
			rs.Close()
			return internal("summaries", err)
		}
		day, ok := isoDay(recvOn)
		if !ok {
			rs.Close()
			return errNotCacheable
		}
		a := out[v]
		if practice {
			a.practice = append(a.practice, day)
			continue
		}
		y, _ := strconv.Atoi(recvOn[:4])
		m, _ := strconv.Atoi(recvOn[5:7])
		if y < 1900 || (y-1900)*12+m-1 > math.MaxUint16 {
			rs.Close()
			return errNotCacheable
		}
		c.mu.Lock()
		g, ok := c.groupIdx[groupKey{proc, portal}]
		if !ok {
			if len(c.groups) >= math.MaxUint16 {
				c.mu.Unlock()
				rs.Close()
				return errNotCacheable
			}
			g = uint16(len(c.groups))
			c.groups = append(c.groups, groupKey{proc, portal})
			c.groupIdx[groupKey{proc, portal}] = g
		}
		c.mu.Unlock()
		byVillage[v] = append(byVillage[v], recvRow{day, g, uint16((y-1900)*12 + m - 1)})
		open[id] = dossier{v, proc, day}
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return internal("summaries", err)
	}
	for v, rows := range byVillage {
		a := out[v]
		slices.SortStableFunc(rows, func(x, y recvRow) int { return int(x.day - y.day) })
		a.recv = make([]int32, len(rows))
		groups := map[uint16][]int32{}
		for i, r := range rows {
			a.recv[i] = r.day
			groups[r.group] = append(groups[r.group], r.day)
			if n := len(a.months); n > 0 && a.months[n-1] == r.month {
				a.monthEnd[n-1] = int32(i + 1)
			} else {
				a.months = append(a.months, r.month)
				a.monthEnd = append(a.monthEnd, int32(i+1))
			}
		}
		for g, days := range groups {
			a.byGroup = append(a.byGroup, groupDays{g, days})
		}
		slices.SortFunc(a.byGroup, func(x, y groupDays) int { return int(x.group) - int(y.group) })
	}
	// Steps of the residents' dossiers, in order: the state on a day is
	// the last step's of the latest step day on or before it.
	st, err := s.r.QueryContext(ctx, `SELECT st.dossier_id, st.to_state, st.on_date FROM dossier_steps st JOIN dossiers d ON d.id = st.dossier_id
		WHERE d.village_id IN `+in+` AND d.state <> 'voided' AND NOT d.practice ORDER BY st.dossier_id, st.on_date, st.id`, ids...)
	if err != nil {
		return internal("summaries", err)
	}
	defer st.Close()
	overdue := map[int64][]event{}
	var curID int64 = -1
	type seg struct {
		day   int32
		state string
	}
	var segs []seg
	c.mu.Lock()
	procs, off := c.procs, c.off
	c.mu.Unlock()
	endDossier := func() {
		d, ok := open[curID]
		if !ok || len(segs) == 0 {
			segs = segs[:0]
			return
		}
		for i, sg := range segs {
			end := int32(dayNever)
			if i+1 < len(segs) {
				end = segs[i+1].day
			}
			var due domain.Date
			switch domain.DossierState(sg.state) {
			case domain.StateProcessing:
				p, ok := procs[d.proc]
				if !ok {
					continue // the live query's join drops it
				}
				due = domain.AddWorkingDays(dayDate(sg.day), p.days, off)
			case domain.StateCollected:
				if _, ok := procs[d.proc]; !ok {
					continue
				}
				due = dayDate(sg.day).AddDays(1)
				for due.Time().Weekday() == time.Sunday || isOffDay(due, off) {
					due = due.AddDays(1)
				}
			default:
				continue
			}
			ev := overdue[d.village]
			interval(&ev, max(dateDay(due)+1, d.recv), end)
			overdue[d.village] = ev
		}
		segs = segs[:0]
	}
	for st.Next() {
		var id int64
		var to, on string
		if err := st.Scan(&id, &to, &on); err != nil {
			return internal("summaries", err)
		}
		if id != curID {
			if curID >= 0 {
				endDossier()
			}
			curID = id
		}
		day, ok := isoDay(on)
		if !ok {
			return errNotCacheable
		}
		if n := len(segs); n > 0 && segs[n-1].day == day {
			segs[n-1].state = to
		} else {
			segs = append(segs, seg{day, to})
		}
	}
	if err := st.Err(); err != nil {
		return internal("summaries", err)
	}
	if curID >= 0 {
		endDossier()
	}
	for v, ev := range overdue {
		out[v].overdue = buildStep(ev, dayEver)
	}
	return nil
}

func isOffDay(d domain.Date, days map[domain.Date]domain.DayOff) bool {
	x, ok := days[d]
	return ok && x.Kind == "off"
}

// WarmStats builds the summaries of every unit (up to the cache's bound),
// so the first dashboard after a start does not wait for them; serve runs
// it in the background. A write during it only makes its unit recompute
// on the next read.
func (s *Store) WarmStats(ctx context.Context) error {
	rs, err := s.r.QueryContext(ctx, `SELECT u.id, u.level, COALESCE(v.rev, 0) FROM units u LEFT JOIN village_revs v ON v.village_id = u.id
		UNION ALL SELECT village_id, '', rev FROM village_revs WHERE village_id IN (0, -1)`)
	if err != nil {
		return internal("warm stats", err)
	}
	var units []unitRev
	var global int64
	for rs.Next() {
		var u unitRev
		if err := rs.Scan(&u.id, &u.level, &u.rev); err != nil {
			rs.Close()
			return internal("warm stats", err)
		}
		switch u.id {
		case 0:
			global = u.rev
		case -1:
		default:
			units = append(units, u)
		}
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return internal("warm stats", err)
	}
	floor, err := s.aggFloor(ctx, domain.DateOf(s.now()))
	if err != nil {
		return err
	}
	_, _, err = s.summaries(ctx, units[:min(len(units), aggMaxUnits)], global, floor)
	if errors.Is(err, errNotCacheable) {
		return nil // the reads go to the live queries
	}
	return err
}
