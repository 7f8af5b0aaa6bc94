package store

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"thonso/internal/domain"
)

// UnitStats are a unit's figures on a date, as it was (villages and teams
// under it then) or re-attributed (those under it today, facts up to the
// date): what the dashboard, the stats API and the exports show.
type UnitStats struct {
	At      domain.Date
	Current bool

	Communes                 int
	CommunesWithSmartVillage int
	SmartVillages            int
	Teams                    int // smart-village teams
	TeamsWithDossiers        int
	TeamMembers              int
	CommunityTeamMembers     int

	Dossiers, PracticeDossiers int
	BySector, ByField          map[string]int
	ByProcedure, ByPortal      map[string]int
	ByMonth                    map[string]int // "2024-10"
	Overdue                    int

	Figures    Figures
	Attainment Attainment
}

// down is the recursive subtree of $1 on the date parameter n.
func downOn(n int) string {
	return `WITH RECURSIVE down(id) AS (SELECT CAST($1 AS BIGINT) UNION SELECT p.unit_id FROM unit_parents p JOIN down ON p.parent_id = down.id
		WHERE ` + live("p", n) + `)`
}

// newUnitStats is an empty UnitStats and the date of the tree to read:
// at as it was, today re-attributed.
func newUnitStats(at domain.Date, current bool, now time.Time) (UnitStats, domain.Date) {
	st := UnitStats{At: at, Current: current, BySector: map[string]int{}, ByField: map[string]int{}, ByProcedure: map[string]int{},
		ByPortal: map[string]int{}, ByMonth: map[string]int{}}
	if current {
		return st, domain.DateOf(now)
	}
	return st, at
}

// statsHeader counts communes, smart villages and the communes that have
// one; teams of smart villages and those with at least one residents'
// dossier (small tables, read live).
func (s *Store) statsHeader(ctx context.Context, st *UnitStats, unitID int64, at, tree domain.Date) error {
	smart := `(SELECT 1 FROM enrolments e WHERE e.village_id = v.id AND e.enrolled_on <= $2 AND (e.ended_on IS NULL OR e.ended_on >= $2))`
	err := s.r.QueryRowContext(ctx, downOn(3)+`,
		villages AS (SELECT u.id FROM units u WHERE u.id IN (SELECT id FROM down) AND u.level = 'village'),
		smartv AS (SELECT v.id FROM villages v WHERE EXISTS `+smart+`)
		SELECT (SELECT count(*) FROM units u WHERE u.id IN (SELECT id FROM down) AND u.level = 'commune'),
		(SELECT count(DISTINCT p.parent_id) FROM unit_parents p JOIN units c ON c.id = p.parent_id AND c.level = 'commune'
			WHERE p.unit_id IN (SELECT id FROM smartv) AND p.parent_id IN (SELECT id FROM down) AND `+live("p", 3)+`),
		(SELECT count(*) FROM smartv),
		(SELECT count(DISTINCT t.id) FROM teams t JOIN team_units tu ON tu.team_id = t.id
			WHERE t.kind = 'village' AND tu.unit_id IN (SELECT id FROM smartv) AND (t.started_on IS NULL OR t.started_on <= $2)),
		(SELECT count(DISTINCT t.id) FROM teams t JOIN team_units tu ON tu.team_id = t.id
			WHERE t.kind = 'village' AND tu.unit_id IN (SELECT id FROM smartv) AND (t.started_on IS NULL OR t.started_on <= $2)
			AND EXISTS (SELECT 1 FROM dossiers d WHERE d.village_id = tu.unit_id AND d.received_on <= $2 AND d.state <> 'voided' AND NOT d.practice))`,
		unitID, at, tree).Scan(&st.Communes, &st.CommunesWithSmartVillage, &st.SmartVillages, &st.Teams, &st.TeamsWithDossiers)
	if err != nil {
		return internal("stats", err)
	}
	// A commune counts itself when the unit is a commune.
	if st.Communes == 0 {
		var lv string
		if err := s.r.QueryRowContext(ctx, "SELECT level FROM units WHERE id = $1", unitID).Scan(&lv); err == nil && lv == "commune" {
			st.Communes = 1
			if st.SmartVillages > 0 {
				st.CommunesWithSmartVillage = 1
			}
		}
	}
	return nil
}

// StatsLive computes a unit's figures on a date with queries over the
// raw rows: the reference the pre-aggregated Stats (aggregate.go) must
// equal, and its way out when the rows cannot be summarised.
func (s *Store) StatsLive(ctx context.Context, unitID int64, at domain.Date, current bool) (UnitStats, error) {
	st, tree := newUnitStats(at, current, s.now())
	if err := s.statsHeader(ctx, &st, unitID, at, tree); err != nil {
		return st, err
	}
	var err error
	if st.TeamMembers, st.CommunityTeamMembers, err = s.memberCounts(ctx, unitID, at, tree); err != nil {
		return st, err
	}
	c, err := s.CountDossiers(ctx, unitID, at, current)
	if err != nil {
		return st, err
	}
	st.Dossiers, st.PracticeDossiers = c.Residents, c.Practice
	groups, err := s.DossierBreakdown(ctx, unitID, at, current)
	if err != nil {
		return st, err
	}
	for _, g := range groups {
		st.BySector[g.Sector] += g.Count
		st.ByField[g.Field] += g.Count
		st.ByProcedure[g.Procedure] += g.Count
		st.ByPortal[g.Portal] += g.Count
		st.ByMonth[g.Month] += g.Count
	}
	if st.Figures, err = s.figuresOn(ctx, unitID, at, tree); err != nil {
		return st, err
	}
	if st.Attainment, err = s.AttainmentAt(ctx, unitID, at, current); err != nil {
		return st, err
	}
	st.Overdue, err = s.overdueUnder(ctx, unitID, at, tree)
	return st, err
}

// memberCounts counts members on at of the teams attached to the units
// under unitID on tree (at for as_was, today for current).
func (s *Store) memberCounts(ctx context.Context, unitID int64, at, tree domain.Date) (village, community int, err error) {
	err = s.r.QueryRowContext(ctx, downOn(3)+` SELECT
		COALESCE(sum(CASE WHEN t.kind = 'village' THEN 1 ELSE 0 END), 0), COALESCE(sum(CASE WHEN t.kind = 'community' THEN 1 ELSE 0 END), 0)
		FROM team_members m JOIN teams t ON t.id = m.team_id JOIN team_units tu ON tu.team_id = t.id AND `+live("tu", 3)+`
		WHERE tu.unit_id IN (SELECT id FROM down) AND m.joined_on <= $2 AND (m.left_on IS NULL OR m.left_on >= $2)`, unitID, at, tree).Scan(&village, &community)
	return village, community, internal("member counts", err)
}

// overdueUnder counts the residents' dossiers overdue on at under the
// unit, each in the state its steps had reached on at.
func (s *Store) overdueUnder(ctx context.Context, unitID int64, at, tree domain.Date) (int, error) {
	rs, err := s.r.QueryContext(ctx, downOn(3)+` SELECT x.state, x.last_on, pr.processing_days FROM (
			SELECT d.procedure_id,
			(SELECT st.to_state FROM dossier_steps st WHERE st.dossier_id = d.id AND st.on_date <= $2 ORDER BY st.on_date DESC, st.id DESC LIMIT 1) AS state,
			(SELECT max(st.on_date) FROM dossier_steps st WHERE st.dossier_id = d.id AND st.on_date <= $2) AS last_on
			FROM dossiers d WHERE d.village_id IN (SELECT id FROM down) AND d.received_on <= $2 AND d.state <> 'voided' AND NOT d.practice) x
		JOIN procedures pr ON pr.id = x.procedure_id WHERE x.state IN ('processing', 'result_collected')`, unitID, at, tree)
	if err != nil {
		return 0, internal("overdue", err)
	}
	var open []domain.Dossier
	var days []int
	for rs.Next() {
		var d domain.Dossier
		var n int
		if err := rs.Scan(&d.State, &d.LastStepOn, &n); err != nil {
			rs.Close()
			return 0, internal("overdue", err)
		}
		d.CollectedOn = d.LastStepOn // in result_collected, the last step is the collection
		open = append(open, d)
		days = append(days, n)
	}
	rs.Close()
	if err := rs.Err(); err != nil || len(open) == 0 {
		return 0, internal("overdue", err)
	}
	offs, err := s.DaysOff(ctx, at.AddDays(-400), at.AddDays(10))
	if err != nil {
		return 0, err
	}
	off := DayOffMap(offs)
	n := 0
	for i, d := range open {
		if domain.Overdue(d, days[i], at, off) {
			n++
		}
	}
	return n, nil
}

// MonthPoint is a unit's running figures at the end of a month (the last
// point at the date itself): the trend charts.
type MonthPoint struct {
	On          domain.Date
	Dossiers    int
	Accounts14  int
	Aged14      int
	Smartphones int
	Adults18    int
}

// TrendLive computes a unit's figures at the end of each month up to at
// from the raw rows (the reference of Trend).
func (s *Store) TrendLive(ctx context.Context, unitID int64, from, at domain.Date, current bool) ([]MonthPoint, error) {
	tree := at
	if current {
		tree = domain.DateOf(s.now())
	}
	var dates []domain.Date
	for d := domain.NewDate(from.Year(), from.Month(), 1); !d.After(at); d = domain.NewDate(d.Year(), d.Month()+1, 1) {
		end := domain.NewDate(d.Year(), d.Month()+1, 1).AddDays(-1)
		if end.After(at) {
			end = at
		}
		dates = append(dates, end)
	}
	out, err := s.residentTrend(ctx, unitID, dates, tree)
	if err != nil {
		return nil, err
	}
	// Residents' dossiers received by each month's end: one count per month
	// of reception, summed.
	rs, err := s.r.QueryContext(ctx, downOn(3)+` SELECT d.received_on FROM dossiers d
		WHERE d.village_id IN (SELECT id FROM down) AND d.received_on <= $2 AND d.state <> 'voided' AND NOT d.practice`, unitID, at, tree)
	if err != nil {
		return nil, internal("trend", err)
	}
	defer rs.Close()
	for rs.Next() {
		var on domain.Date
		if err := rs.Scan(&on); err != nil {
			return nil, internal("trend", err)
		}
		for i, d := range dates {
			if !on.After(d) {
				out[i].Dossiers++
			}
		}
	}
	return out, internal("trend", rs.Err())
}

// Sorted returns a map's keys in order, for stable output.
func Sorted(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DataSince is the first day of the model in this database: the earliest
// day a village joined it (zero when none has). Figures before it have no
// meaning, and the dashboards and the stats API refuse such a date.
func (s *Store) DataSince(ctx context.Context) (domain.Date, error) {
	var d domain.Date
	var raw sql.NullString
	if err := s.r.QueryRowContext(ctx, "SELECT min(enrolled_on) FROM enrolments").Scan(&raw); err != nil {
		return d, internal("data since", err)
	}
	if raw.Valid && raw.String != "" {
		d, _ = domain.ParseISO(raw.String)
	}
	return d, nil
}

// ChildStat is what the dashboard's table shows for a unit one level down.
type ChildStat struct {
	Dossiers, SmartVillages int
	Aged14, Accounts14      int
}

// ChildStatsLive computes, in three grouped queries, the figures of every
// unit one level below a unit on a date (its children on tree: at, or
// today when re-attributed), from the raw rows (the reference of
// ChildStats).
func (s *Store) ChildStatsLive(ctx context.Context, unitID int64, at domain.Date, current bool) (map[int64]ChildStat, error) {
	tree := at
	if current {
		tree = domain.DateOf(s.now())
	}
	down := `WITH RECURSIVE down(id, top) AS (SELECT p.unit_id, p.unit_id FROM unit_parents p WHERE p.parent_id = $1 AND ` + live("p", 3) + `
		UNION SELECT p.unit_id, down.top FROM unit_parents p JOIN down ON p.parent_id = down.id WHERE ` + live("p", 3) + `)`
	out := map[int64]ChildStat{}
	scan := func(q string, args []any, set func(c *ChildStat, n ...int)) error {
		rs, err := s.r.QueryContext(ctx, q, args...)
		if err != nil {
			return internal("child stats", err)
		}
		defer rs.Close()
		for rs.Next() {
			var top int64
			var a, b int
			if err := rs.Scan(&top, &a, &b); err != nil {
				return internal("child stats", err)
			}
			c := out[top]
			set(&c, a, b)
			out[top] = c
		}
		return internal("child stats", rs.Err())
	}
	if err := scan(down+` SELECT d.top, count(*), 0 FROM dossiers x JOIN down d ON d.id = x.village_id
		WHERE x.received_on <= $2 AND x.state <> 'voided' AND NOT x.practice GROUP BY d.top`, []any{unitID, at, tree},
		func(c *ChildStat, n ...int) { c.Dossiers = n[0] }); err != nil {
		return nil, err
	}
	if err := scan(down+` SELECT d.top, count(*), 0 FROM enrolments e JOIN down d ON d.id = e.village_id
		WHERE e.enrolled_on <= $2 AND (e.ended_on IS NULL OR e.ended_on >= $2) GROUP BY d.top`, []any{unitID, at, tree},
		func(c *ChildStat, n ...int) { c.SmartVillages = n[0] }); err != nil {
		return nil, err
	}
	if err := scan(down+` SELECT d.top, count(*), COALESCE(sum(CASE WHEN r.account_since <= $2 THEN 1 ELSE 0 END), 0)
		FROM residents r JOIN down d ON d.id = r.village_id WHERE `+livingOn+` AND r.birth_date <= $4 GROUP BY d.top`,
		[]any{unitID, at, tree, domain.BornBy(at, 14)},
		func(c *ChildStat, n ...int) { c.Aged14, c.Accounts14 = n[0], n[1] }); err != nil {
		return nil, err
	}
	return out, nil
}

// residentTrend counts, for each date, the residents 14+ (with an
// account) and 18+ (with a smartphone) living under a unit: the unit's
// residents are read once and counted for every date in memory.
func (s *Store) residentTrend(ctx context.Context, unitID int64, dates []domain.Date, tree domain.Date) ([]MonthPoint, error) {
	out := make([]MonthPoint, len(dates))
	for i, d := range dates {
		out[i].On = d
	}
	if len(dates) == 0 {
		return out, nil
	}
	last := dates[len(dates)-1]
	rs, err := s.r.QueryContext(ctx, downOn(2)+` SELECT r.birth_date, COALESCE(r.moved_in, ''), COALESCE(r.left_on, ''), COALESCE(r.account_since, ''), COALESCE(r.smartphone_since, '')
		FROM residents r WHERE r.village_id IN (SELECT id FROM down) AND r.birth_date <= $3 AND (r.left_on IS NULL OR r.left_on > $4)`,
		unitID, tree, last, dates[0])
	if err != nil {
		return nil, internal("trend", err)
	}
	defer rs.Close()
	type person struct{ born, in, left, account, phone string }
	var people []person
	for rs.Next() {
		var p person
		if err := rs.Scan(&p.born, &p.in, &p.left, &p.account, &p.phone); err != nil {
			return nil, internal("trend", err)
		}
		people = append(people, p)
	}
	if err := rs.Err(); err != nil {
		return nil, internal("trend", err)
	}
	// ISO dates compare as strings.
	has := func(since, on string) bool { return since != "" && since <= on }
	for i, d := range dates {
		on, b14, b18 := d.String(), domain.BornBy(d, 14).String(), domain.BornBy(d, 18).String()
		for _, p := range people {
			if p.born > on || (p.in != "" && p.in > on) || (p.left != "" && p.left <= on) {
				continue
			}
			if p.born <= b14 {
				out[i].Aged14++
				if has(p.account, on) {
					out[i].Accounts14++
				}
			}
			if p.born <= b18 {
				out[i].Adults18++
				if has(p.phone, on) {
					out[i].Smartphones++
				}
			}
		}
	}
	return out, nil
}
