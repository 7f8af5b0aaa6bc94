package store

import (
	"context"
	"errors"
	"fmt"

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
	units, sh, err := s.unitsWithRevs(ctx, unitID, tree)
	if err != nil {
		return st, err
	}
	key := resultKey{unitID, dateDay(at), dateDay(tree), current}
	if kept, ok := s.agg.results.get(key, units, sh); ok {
		return kept, nil
	}
	floor, err := s.aggFloor(ctx, at)
	if err != nil {
		return st, err
	}
	aggs, c, err := s.summaries(ctx, units, sh.global, floor)
	if err != nil {
		return st, err
	}
	facts, err := s.teamFactsFor(ctx, sh)
	if err != nil {
		return st, err
	}
	headerAgg(&st, facts, unitID, at, tree, units, aggs)
	in := make(map[int64]bool, len(units))
	for _, u := range units {
		in[u.id] = true
	}
	st.TeamMembers, st.CommunityTeamMembers = facts.memberCounts(in, dateDay(at), dateDay(tree))
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
	st.Attainment = facts.attainment(units, dateDay(at))
	s.agg.results.put(key, units, sh, st)
	return st, nil
}

// headerAgg is statsHeader over the units already listed: communes,
// smart villages (enrolled on at) and the communes with one, their
// village teams started by at and those with a residents' dossier (from
// the summaries), the last ones from the teams' snapshot.
func headerAgg(st *UnitStats, facts *teamFacts, unitID int64, at, tree domain.Date, units []unitRev, aggs []*unitAgg) {
	level := make(map[int64]string, len(units))
	agg := make(map[int64]*unitAgg, len(units))
	for i, u := range units {
		level[u.id] = u.level
		agg[u.id] = aggs[i]
		if u.level == string(domain.LevelCommune) {
			st.Communes++
		}
	}
	facts.header(st, level, agg, dateDay(at), dateDay(tree))
	// A commune counts itself when the unit is a commune.
	if st.Communes == 0 && level[unitID] == string(domain.LevelCommune) {
		st.Communes = 1
		if st.SmartVillages > 0 {
			st.CommunesWithSmartVillage = 1
		}
	}
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
	units, sh, err := s.unitsWithRevs(ctx, unitID, tree)
	if err != nil {
		return nil, err
	}
	floor, err := s.aggFloor(ctx, out[0].On)
	if err != nil {
		return nil, err
	}
	aggs, _, err := s.summaries(ctx, units, sh.global, floor)
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
	units, sh, err := s.childUnitsWithRevs(ctx, unitID, tree)
	if err != nil {
		return nil, err
	}
	floor, err := s.aggFloor(ctx, at)
	if err != nil {
		return nil, err
	}
	aggs, _, err := s.summaries(ctx, units, sh.global, floor)
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
