package store

import (
	"context"
	"database/sql"
	"slices"
	"sync"
)

// The small tables the unit statistics read besides the summaries
// (aggregate.go): enrolments, teams, their units and members, approved
// assessments, and the villages' dated parents. A province has a few
// thousand rows of each, a country about a million members; reading and
// grouping them for every province request was three quarters of its
// time (issue #10). They are kept in memory as one snapshot, keyed by
// row -2 of village_revs (which triggers give a new random value in the
// same transaction as any change to these tables, migration 0021) and
// by row -1 (the tree, for the parents), and every figure is computed
// from the snapshot for the date asked for, exactly as the live queries
// (stats.go) compute it: the answer is the live one.

// teamFacts is one snapshot, never modified once built.
type teamFacts struct {
	teamsRev, treeRev int64
	enrol             []enrolSpan
	teams             map[int64]teamInfo
	unitsOf           map[int64][]unitSpan // team → its dated units
	members           []memberSpan
	assessed          map[int64][]assessedOn // village → approved, latest first
	parents           map[int64][]unitSpan   // unit → its dated parents (unit = parent)
}

type enrolSpan struct {
	village  int64
	from, to int32 // enrolled_on, ended_on (dayNever: open)
}

type teamInfo struct {
	village bool  // kind: 'village', else 'community'
	started int32 // started_on (dayEver: null)
}

// unitSpan is a dated link: a team's unit, or a unit's parent.
type unitSpan struct {
	unit     int64
	from, to int32 // valid_from (dayEver: null), valid_to (dayNever: null)
}

func (u unitSpan) liveOn(d int32) bool { return u.from <= d && d <= u.to }

type memberSpan struct {
	team         int64
	joined, left int32
}

type assessedOn struct {
	asOf   int32
	id     int64
	passed bool
}

// teamCache holds the snapshot of one database.
type teamCache struct {
	mu    sync.Mutex
	facts *teamFacts
}

// teamFactsFor returns the snapshot for the revisions read with the
// units, loading it when either moved. A missing row -2 (0) is never
// kept: each call then reads the tables.
func (s *Store) teamFactsFor(ctx context.Context, sh sharedRevs) (*teamFacts, error) {
	c := &s.agg.teams
	c.mu.Lock()
	f := c.facts
	c.mu.Unlock()
	if f != nil && sh.teams != 0 && f.teamsRev == sh.teams && f.treeRev == sh.tree {
		return f, nil
	}
	f, err := s.loadTeamFacts(ctx, sh)
	if err != nil {
		return nil, err
	}
	if sh.teams != 0 && sh.tree != 0 {
		c.mu.Lock()
		c.facts = f
		c.mu.Unlock()
	}
	return f, nil
}

// loadTeamFacts reads the tables. The revisions were read before, so a
// write landing meanwhile leaves a snapshot the next call finds stale.
func (s *Store) loadTeamFacts(ctx context.Context, sh sharedRevs) (*teamFacts, error) {
	f := &teamFacts{teamsRev: sh.teams, treeRev: sh.tree, teams: map[int64]teamInfo{}, unitsOf: map[int64][]unitSpan{},
		assessed: map[int64][]assessedOn{}, parents: map[int64][]unitSpan{}}
	err := s.scanRows(ctx, "SELECT village_id, enrolled_on, ended_on FROM enrolments", func(rs *sql.Rows) error {
		var e enrolSpan
		var from string
		var to sql.NullString
		if err := rs.Scan(&e.village, &from, &to); err != nil {
			return err
		}
		var err error
		if e.from, err = reqDay(from); err != nil {
			return err
		}
		if e.to, err = nullDay(to); err != nil {
			return err
		}
		f.enrol = append(f.enrol, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.scanRows(ctx, "SELECT id, kind, started_on FROM teams", func(rs *sql.Rows) error {
		var id int64
		var kind string
		var started sql.NullString
		if err := rs.Scan(&id, &kind, &started); err != nil {
			return err
		}
		d, err := fromDay(started)
		f.teams[id] = teamInfo{village: kind == "village", started: d}
		return err
	})
	if err != nil {
		return nil, err
	}
	spans := func(q string, into map[int64][]unitSpan) error {
		return s.scanRows(ctx, q, func(rs *sql.Rows) error {
			var key int64
			var u unitSpan
			var from, to sql.NullString
			if err := rs.Scan(&key, &u.unit, &from, &to); err != nil {
				return err
			}
			var err error
			if u.from, err = fromDay(from); err != nil {
				return err
			}
			if u.to, err = nullDay(to); err != nil {
				return err
			}
			into[key] = append(into[key], u)
			return nil
		})
	}
	if err := spans("SELECT team_id, unit_id, valid_from, valid_to FROM team_units", f.unitsOf); err != nil {
		return nil, err
	}
	if err := spans("SELECT unit_id, parent_id, valid_from, valid_to FROM unit_parents", f.parents); err != nil {
		return nil, err
	}
	err = s.scanRows(ctx, "SELECT team_id, joined_on, left_on FROM team_members", func(rs *sql.Rows) error {
		var m memberSpan
		var joined string
		var left sql.NullString
		if err := rs.Scan(&m.team, &joined, &left); err != nil {
			return err
		}
		var err error
		if m.joined, err = reqDay(joined); err != nil {
			return err
		}
		if m.left, err = nullDay(left); err != nil {
			return err
		}
		f.members = append(f.members, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.scanRows(ctx, "SELECT village_id, as_of, id, passed FROM assessments WHERE state = 'approved'", func(rs *sql.Rows) error {
		var v int64
		var a assessedOn
		var asOf string
		if err := rs.Scan(&v, &asOf, &a.id, &a.passed); err != nil {
			return err
		}
		var err error
		if a.asOf, err = reqDay(asOf); err != nil {
			return err
		}
		f.assessed[v] = append(f.assessed[v], a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, as := range f.assessed {
		slices.SortFunc(as, func(a, b assessedOn) int { // as_of DESC, id DESC
			if a.asOf != b.asOf {
				return int(int64(b.asOf) - int64(a.asOf))
			}
			return int(b.id - a.id)
		})
	}
	return f, nil
}

// scanRows runs q on the readers and hands each row to fn.
func (s *Store) scanRows(ctx context.Context, q string, fn func(*sql.Rows) error) error {
	rs, err := s.r.QueryContext(ctx, q)
	if err != nil {
		return internal("team facts", err)
	}
	defer rs.Close()
	for rs.Next() {
		if err := fn(rs); err != nil {
			return internal("team facts", err)
		}
	}
	return internal("team facts", rs.Err())
}

// reqDay reads a NOT NULL date column.
func reqDay(v string) (int32, error) {
	d, ok := isoDay(v)
	if !ok {
		return 0, errNotCacheable
	}
	return d, nil
}

// fromDay reads a nullable start: absent is dayEver.
func fromDay(v sql.NullString) (int32, error) {
	if !v.Valid {
		return dayEver, nil
	}
	return reqDay(v.String)
}

// header is headerAgg's figures from the snapshot: smart villages
// (enrolled on at, as villages under the unit) and the communes under the
// unit holding one on tree; their village teams started by at, and those
// whose village has a residents' dossier by at.
func (f *teamFacts) header(st *UnitStats, level map[int64]string, agg map[int64]*unitAgg, at, tree int32) {
	smart, communes := map[int64]bool{}, map[int64]bool{}
	for _, e := range f.enrol {
		if e.from > at || e.to < at || level[e.village] != "village" {
			continue
		}
		smart[e.village] = true
		for _, p := range f.parents[e.village] {
			if p.liveOn(tree) && level[p.unit] == "commune" {
				communes[p.unit] = true
			}
		}
	}
	teams, busy := map[int64]bool{}, map[int64]bool{}
	for id, t := range f.teams {
		if !t.village || t.started > at {
			continue
		}
		for _, u := range f.unitsOf[id] {
			if !smart[u.unit] {
				continue
			}
			teams[id] = true
			if a := agg[u.unit]; a != nil && countUpTo(a.recv, at) > 0 {
				busy[id] = true
			}
		}
	}
	st.SmartVillages, st.CommunesWithSmartVillage = len(smart), len(communes)
	st.Teams, st.TeamsWithDossiers = len(teams), len(busy)
}

// memberCounts is memberCounts from the snapshot: the members on at of
// the teams whose unit on tree lies under the unit, by the team's kind.
func (f *teamFacts) memberCounts(in map[int64]bool, at, tree int32) (village, community int) {
	for _, m := range f.members {
		if m.joined > at || m.left < at {
			continue
		}
		t, ok := f.teams[m.team]
		if !ok {
			continue
		}
		for _, u := range f.unitsOf[m.team] {
			if !u.liveOn(tree) || !in[u.unit] {
				continue
			}
			if t.village {
				village++
			} else {
				community++
			}
		}
	}
	return village, community
}

// attainment is AttainmentAt from the snapshot: the villages listed with
// an approved assessment as of at, and those whose latest one passed.
func (f *teamFacts) attainment(units []unitRev, at int32) Attainment {
	var out Attainment
	for _, u := range units {
		if u.level != "village" {
			continue
		}
		for _, a := range f.assessed[u.id] {
			if a.asOf > at {
				continue
			}
			out.Assessed++
			if a.passed {
				out.Passed++
			}
			break
		}
	}
	return out
}
