package store

import (
	"maps"
	"sync"
)

// A province's figures summed from its 1,500 villages' summaries still
// take a few milliseconds of CPU (a binary search per village, figure and
// procedure); a dashboard asks the same unit and date again and again.
// resultCache keeps each answer with the revisions it was computed from
// (every unit's under the one asked for, and the shared rows 0, -1, -2),
// and gives it back only while all of them are the ones just read: any
// committed write to a fact under the unit moves one of them, so the
// answer is still the live one.

// aggMaxResults bounds the answers kept; past it the cache starts over.
const aggMaxResults = 2000

type resultKey struct {
	unit     int64
	at, tree int32
	current  bool
}

type keptResult struct {
	sh   sharedRevs
	revs []int64 // the units' revisions, in the order listed
	st   UnitStats
}

type resultCache struct {
	mu sync.Mutex
	m  map[resultKey]*keptResult
}

// get returns a copy of the answer kept for key when every revision is
// the same as in units and sh.
func (c *resultCache) get(key resultKey, units []unitRev, sh sharedRevs) (UnitStats, bool) {
	c.mu.Lock()
	k := c.m[key]
	c.mu.Unlock()
	if k == nil || k.sh != sh || len(k.revs) != len(units) {
		return UnitStats{}, false
	}
	for i, u := range units {
		if k.revs[i] != u.rev {
			return UnitStats{}, false
		}
	}
	return k.st.clone(), true
}

// put keeps a copy of st, unless a revision is missing (a unit or shared
// row without one is never cached, as in the summaries).
func (c *resultCache) put(key resultKey, units []unitRev, sh sharedRevs, st UnitStats) {
	if sh.global == 0 || sh.tree == 0 || sh.teams == 0 {
		return
	}
	revs := make([]int64, len(units))
	for i, u := range units {
		if u.rev == 0 {
			return
		}
		revs[i] = u.rev
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= aggMaxResults {
		c.m = map[resultKey]*keptResult{}
	}
	c.m[key] = &keptResult{sh: sh, revs: revs, st: st.clone()}
}

// clone copies st with its maps, so no caller shares them.
func (st UnitStats) clone() UnitStats {
	st.BySector, st.ByField = maps.Clone(st.BySector), maps.Clone(st.ByField)
	st.ByProcedure, st.ByPortal, st.ByMonth = maps.Clone(st.ByProcedure), maps.Clone(st.ByPortal), maps.Clone(st.ByMonth)
	return st
}
