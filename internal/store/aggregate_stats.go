package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"thonso/internal/domain"
)

// Stats computes a unit's figures on a date, as it was or re-attributed
// (UnitStats): the residents' and dossiers' figures from the units'
// summaries (aggregate.go), current with every committed write; teams,
// members and assessments from their small tables. Equal to StatsLive.
func (s *Store) Stats(ctx context.Context, unitID int64, at domain.Date, current bool) (UnitStats, error) {
	st, err := s.statsAgg(ctx, unitID, at, current)
	if errors.Is(err, errNotCacheable) {
		return s.StatsLive(ctx, unitID, at, current)
	}
	return st, err
}

func (s *Store) statsAgg(ctx context.Context, unitID int64, at domain.Date, current bool) (UnitStats, error) {
	st, tree := newUnitStats(at, current, s.now())
	units, global, err := s.unitsWithRevs(ctx, unitID, tree)
	if err != nil {
		return st, err
	}
	floor, err := s.aggFloor(ctx, at)
	if err != nil {
		return st, err
	}
	aggs, c, err := s.summaries(ctx, units, global, floor)
	if err != nil {
		return st, err
	}
	if err := s.headerAgg(ctx, &st, unitID, at, tree, units, aggs); err != nil {
		return st, err
	}
	if st.TeamMembers, st.CommunityTeamMembers, err = s.memberCountsOf(ctx, unitID, units, at, tree); err != nil {
		return st, err
	}
	c.mu.Lock()
	groups, procs := c.groups, c.procs
	c.mu.Unlock()
	d := dateDay(at)
	var fig [nMetrics]int
	byGroup := make([]int, len(groups))
	byMonth := map[uint16]int{}
	for _, a := range aggs {
		for m := range fig {
			fig[m] += a.res[m].at(d)
		}
		n := countUpTo(a.recv, d)
		st.Dossiers += n
		st.PracticeDossiers += countUpTo(a.practice, d)
		for _, g := range a.byGroup {
			byGroup[g.group] += countUpTo(g.days, d)
		}
		prev := 0
		for i, m := range a.months {
			if prev >= n {
				break
			}
			end := min(int(a.monthEnd[i]), n)
			byMonth[m] += end - prev
			prev = end
		}
		st.Overdue += a.overdue.at(d)
	}
	for i, n := range byGroup {
		p, ok := procs[groups[i].proc]
		if n == 0 || !ok {
			continue // the live breakdown joins the procedure
		}
		st.BySector[p.sector] += n
		st.ByField[p.field] += n
		st.ByProcedure[p.code] += n
		st.ByPortal[groups[i].portal] += n
	}
	for m, n := range byMonth {
		st.ByMonth[monthKey(m)] += n
	}
	st.Figures = Figures{At: at, Residents: fig[mResidents], Aged14: fig[mAged14], Accounts14: fig[mAccounts14], Adults18: fig[mAdults18],
		Smartphone18: fig[mPhone18], Households: fig[mHouseholds], HouseholdsBank: fig[mHouseholdsBank], HouseholdsZalo: fig[mHouseholdsZalo]}
	st.Attainment, err = s.attainmentOf(ctx, units, at)
	return st, err
}

// headerAgg is statsHeader over the units already listed: communes,
// smart villages (enrolled on at) and the communes with one, their
// village teams started by at and those with a residents' dossier (from
// the summaries).
func (s *Store) headerAgg(ctx context.Context, st *UnitStats, unitID int64, at, tree domain.Date, units []unitRev, aggs []*unitAgg) error {
	level := make(map[int64]string, len(units))
	agg := make(map[int64]*unitAgg, len(units))
	for i, u := range units {
		level[u.id] = u.level
		agg[u.id] = aggs[i]
		if u.level == string(domain.LevelCommune) {
			st.Communes++
		}
	}
	active := `SELECT e.village_id FROM enrolments e WHERE e.enrolled_on <= $1 AND (e.ended_on IS NULL OR e.ended_on >= $1)`
	rs, err := s.r.QueryContext(ctx, `SELECT e.village_id, COALESCE(p.parent_id, 0) FROM (`+active+`) e
		LEFT JOIN unit_parents p ON p.unit_id = e.village_id AND `+live("p", 2), at, tree)
	if err != nil {
		return internal("stats", err)
	}
	smart, communes := map[int64]bool{}, map[int64]bool{}
	for rs.Next() {
		var v, parent int64
		if err := rs.Scan(&v, &parent); err != nil {
			rs.Close()
			return internal("stats", err)
		}
		if level[v] != string(domain.LevelVillage) {
			continue
		}
		smart[v] = true
		if level[parent] == string(domain.LevelCommune) {
			communes[parent] = true
		}
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return internal("stats", err)
	}
	st.SmartVillages, st.CommunesWithSmartVillage = len(smart), len(communes)
	rs, err = s.r.QueryContext(ctx, `SELECT t.id, tu.unit_id FROM teams t JOIN team_units tu ON tu.team_id = t.id
		WHERE t.kind = 'village' AND (t.started_on IS NULL OR t.started_on <= $1) AND tu.unit_id IN (`+active+`)`, at)
	if err != nil {
		return internal("stats", err)
	}
	teams, busy := map[int64]bool{}, map[int64]bool{}
	d := dateDay(at)
	for rs.Next() {
		var t, v int64
		if err := rs.Scan(&t, &v); err != nil {
			rs.Close()
			return internal("stats", err)
		}
		if !smart[v] {
			continue
		}
		teams[t] = true
		if a := agg[v]; a != nil && countUpTo(a.recv, d) > 0 {
			busy[t] = true
		}
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return internal("stats", err)
	}
	st.Teams, st.TeamsWithDossiers = len(teams), len(busy)
	// A commune counts itself when the unit is a commune.
	if st.Communes == 0 && level[unitID] == string(domain.LevelCommune) {
		st.Communes = 1
		if st.SmartVillages > 0 {
			st.CommunesWithSmartVillage = 1
		}
	}
	return nil
}

// attainmentOf is AttainmentAt over the villages listed: those with an
// approved assessment as of at, and those whose latest one passed.
func (s *Store) attainmentOf(ctx context.Context, units []unitRev, at domain.Date) (Attainment, error) {
	var out Attainment
	var ids []int64
	for _, u := range units {
		if u.level == string(domain.LevelVillage) {
			ids = append(ids, u.id)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := []any{at}
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			args = append(args, id)
			ph[i] = "$" + strconv.Itoa(len(args))
		}
		rs, err := s.r.QueryContext(ctx, `SELECT a.village_id, a.passed FROM assessments a
			WHERE a.village_id IN (`+strings.Join(ph, ",")+`) AND a.as_of <= $1 AND a.state = 'approved' ORDER BY a.village_id, a.as_of DESC, a.id DESC`, args...)
		if err != nil {
			return out, internal("attainment", err)
		}
		last := int64(-1)
		for rs.Next() {
			var v int64
			var passed bool
			if err := rs.Scan(&v, &passed); err != nil {
				rs.Close()
				return out, internal("attainment", err)
			}
			if v == last {
				continue // an older one
			}
			last = v
			out.Assessed++
			if passed {
				out.Passed++
			}
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return out, internal("attainment", err)
		}
	}
	return out, nil
}

func monthKey(m uint16) string { return fmt.Sprintf("%04d-%02d", 1900+int(m)/12, int(m)%12+1) }

// Trend computes a unit's figures at the end of each month from from up
// to at (the last point at the date itself): the trend charts, from the
// summaries. Equal to TrendLive.
func (s *Store) Trend(ctx context.Context, unitID int64, from, at domain.Date, current bool) ([]MonthPoint, error) {
	out, err := s.trendAgg(ctx, unitID, from, at, current)
	if errors.Is(err, errNotCacheable) {
		return s.TrendLive(ctx, unitID, from, at, current)
	}
	return out, err
}

func (s *Store) trendAgg(ctx context.Context, unitID int64, from, at domain.Date, current bool) ([]MonthPoint, error) {
	tree := at
	if current {
		tree = domain.DateOf(s.now())
	}
	out := []MonthPoint{}
	for d := domain.NewDate(from.Year(), from.Month(), 1); !d.After(at); d = domain.NewDate(d.Year(), d.Month()+1, 1) {
		end := domain.NewDate(d.Year(), d.Month()+1, 1).AddDays(-1)
		if end.After(at) {
			end = at
		}
		out = append(out, MonthPoint{On: end})
	}
	if len(out) == 0 {
		return out, nil
	}
	units, global, err := s.unitsWithRevs(ctx, unitID, tree)
	if err != nil {
		return nil, err
	}
	floor, err := s.aggFloor(ctx, out[0].On)
	if err != nil {
		return nil, err
	}
	aggs, _, err := s.summaries(ctx, units, global, floor)
	if err != nil {
		return nil, err
	}
	for i := range out {
		d := dateDay(out[i].On)
		p := &out[i]
		for _, a := range aggs {
			p.Dossiers += countUpTo(a.recv, d)
			p.Aged14 += a.res[mAged14].at(d)
			p.Accounts14 += a.res[mAccounts14].at(d)
			p.Adults18 += a.res[mAdults18].at(d)
			p.Smartphones += a.res[mPhone18].at(d)
		}
	}
	return out, nil
}

// ChildStats computes the figures of every unit one level below a unit
// on a date (its children on tree: at, or today when re-attributed):
// dossiers and residents from the summaries, smart villages from the
// enrolments. A child with none of them is absent, as in ChildStatsLive.
func (s *Store) ChildStats(ctx context.Context, unitID int64, at domain.Date, current bool) (map[int64]ChildStat, error) {
	out, err := s.childStatsAgg(ctx, unitID, at, current)
	if errors.Is(err, errNotCacheable) {
		return s.ChildStatsLive(ctx, unitID, at, current)
	}
	return out, err
}

func (s *Store) childStatsAgg(ctx context.Context, unitID int64, at domain.Date, current bool) (map[int64]ChildStat, error) {
	tree := at
	if current {
		tree = domain.DateOf(s.now())
	}
	units, global, err := s.childUnitsWithRevs(ctx, unitID, tree)
	if err != nil {
		return nil, err
	}
	floor, err := s.aggFloor(ctx, at)
	if err != nil {
		return nil, err
	}
	aggs, _, err := s.summaries(ctx, units, global, floor)
	if err != nil {
		return nil, err
	}
	out := map[int64]ChildStat{}
	d := dateDay(at)
	for i, a := range aggs {
		c := out[units[i].top]
		c.Dossiers += countUpTo(a.recv, d)
		c.Aged14 += a.res[mAged14].at(d)
		c.Accounts14 += a.res[mAccounts14].at(d)
		out[units[i].top] = c
	}
	rs, err := s.r.QueryContext(ctx, `WITH RECURSIVE down(id, top) AS (SELECT p.unit_id, p.unit_id FROM unit_parents p WHERE p.parent_id = $1 AND `+live("p", 3)+`
		UNION SELECT p.unit_id, down.top FROM unit_parents p JOIN down ON p.parent_id = down.id WHERE `+live("p", 3)+`)
		SELECT d.top, count(*) FROM enrolments e JOIN down d ON d.id = e.village_id
		WHERE e.enrolled_on <= $2 AND (e.ended_on IS NULL OR e.ended_on >= $2) GROUP BY d.top`, unitID, at, tree)
	if err != nil {
		return nil, internal("child stats", err)
	}
	defer rs.Close()
	for rs.Next() {
		var top int64
		var n int
		if err := rs.Scan(&top, &n); err != nil {
			return nil, internal("child stats", err)
		}
		c := out[top]
		c.SmartVillages = n
		out[top] = c
	}
	if err := rs.Err(); err != nil {
		return nil, internal("child stats", err)
	}
	for top, c := range out {
		if c.Dossiers == 0 && c.SmartVillages == 0 && c.Aged14 == 0 {
			delete(out, top)
		}
	}
	return out, nil
}

// memberCountsOf is memberCounts over the units listed: past a commune's
// size one grouped pass over the members (no recursion), summed here.
// (The demo's district and provinces take this path in the conformance
// test, its communes and villages the other.)
func (s *Store) memberCountsOf(ctx context.Context, unitID int64, units []unitRev, at, tree domain.Date) (village, community int, err error) {
	if len(units) <= 30 {
		return s.memberCounts(ctx, unitID, at, tree)
	}
	in := make(map[int64]bool, len(units))
	for _, u := range units {
		in[u.id] = true
	}
	rs, err := s.r.QueryContext(ctx, `SELECT tu.unit_id, COALESCE(sum(CASE WHEN t.kind = 'village' THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN t.kind = 'community' THEN 1 ELSE 0 END), 0)
		FROM team_members m JOIN teams t ON t.id = m.team_id JOIN team_units tu ON tu.team_id = t.id AND `+live("tu", 2)+`
		WHERE m.joined_on <= $1 AND (m.left_on IS NULL OR m.left_on >= $1) GROUP BY tu.unit_id`, at, tree)
	if err != nil {
		return 0, 0, internal("member counts", err)
	}
	defer rs.Close()
	for rs.Next() {
		var u int64
		var v, c int
		if err := rs.Scan(&u, &v, &c); err != nil {
			return 0, 0, internal("member counts", err)
		}
		if in[u] {
			village += v
			community += c
		}
	}
	return village, community, internal("member counts", rs.Err())
}
