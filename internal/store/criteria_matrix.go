package store

import (
	"context"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// VillagesUnder lists the villages under a unit, named as on at: those
// under it on at (as it was), or those under it today (re-attributed,
// current), in Vietnamese order.
func (s *Store) VillagesUnder(ctx context.Context, unitID int64, at domain.Date, current bool) ([]domain.Unit, error) {
	return s.UnitsUnder(ctx, unitID, domain.LevelVillage, at, current)
}

// UnitsUnder lists the units of a level under a unit, as VillagesUnder.
func (s *Store) UnitsUnder(ctx context.Context, unitID int64, level domain.Level, at domain.Date, current bool) ([]domain.Unit, error) {
	tree := at
	if current {
		tree = domain.DateOf(s.now())
	}
	rs, err := s.r.QueryContext(ctx, `WITH RECURSIVE down(id) AS (SELECT CAST($1 AS BIGINT) UNION SELECT p.unit_id FROM unit_parents p JOIN down ON p.parent_id = down.id
		WHERE `+live("p", 3)+`) SELECT `+unitCols+", "+nameOn("$2")+` FROM units u WHERE u.id IN (SELECT id FROM down) AND u.level = $4`, unitID, at, tree, string(level))
	if err != nil {
		return nil, internal("villages under", err)
	}
	defer rs.Close()
	var out []domain.Unit
	for rs.Next() {
		u, err := scanUnit(rs)
		if err != nil {
			return nil, internal("villages under", err)
		}
		u.At = at
		out = append(out, u)
	}
	if err := rs.Err(); err != nil {
		return nil, internal("villages under", err)
	}
	textvi.SortBy(textvi.NewCollator(), out, func(u domain.Unit) string { _, r := domain.SplitTypeWord(u.Name); return r })
	return out, nil
}

// LatestAssessments reads, for each village, its latest approved
// assessment on or before at, with its values: what was decided as of a
// date, as a matrix of villages × indicators shows it.
func (s *Store) LatestAssessments(ctx context.Context, villageIDs []int64, at domain.Date) (map[int64]Assessment, error) {
	out := map[int64]Assessment{}
	for start := 0; start < len(villageIDs); start += 500 {
		chunk := villageIDs[start:min(start+500, len(villageIDs))]
		args := []any{at}
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			args = append(args, id)
			ph[i] = "$" + strconv.Itoa(len(args))
		}
		rs, err := s.r.QueryContext(ctx, `SELECT a.id, a.set_id, a.village_id, a.as_of, a.state, a.passed FROM assessments a
			WHERE a.village_id IN (`+strings.Join(ph, ",")+`) AND a.as_of <= $1 AND a.state = 'approved' ORDER BY a.village_id, a.as_of DESC, a.id DESC`, args...)
		if err != nil {
			return nil, internal("latest assessments", err)
		}
		var ids []int64
		for rs.Next() {
			var a Assessment
			if err := rs.Scan(&a.ID, &a.SetID, &a.VillageID, &a.AsOf, &a.State, &a.Passed); err != nil {
				rs.Close()
				return nil, internal("latest assessments", err)
			}
			if _, seen := out[a.VillageID]; !seen {
				a.Values = map[int64]AssessValue{}
				out[a.VillageID] = a
				ids = append(ids, a.ID)
			}
		}
		rs.Close()
		if err := s.assessmentValues(ctx, ids, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// assessmentValues fills the values of the given assessments (by village).
func (s *Store) assessmentValues(ctx context.Context, ids []int64, byVillage map[int64]Assessment) error {
	if len(ids) == 0 {
		return nil
	}
	village := map[int64]int64{}
	for v, a := range byVillage {
		village[a.ID] = v
	}
	args := make([]any, len(ids))
	ph := make([]string, len(ids))
	for i, id := range ids {
		args[i] = id
		ph[i] = "$" + strconv.Itoa(i+1)
	}
	rs, err := s.r.QueryContext(ctx, `SELECT assessment_id, indicator_id, known, value, num, den, met, verified FROM assessment_values
		WHERE assessment_id IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return internal("assessment values", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id int64
		var v AssessValue
		if err := rs.Scan(&id, &v.IndicatorID, &v.Measure.Known, &v.Measure.Value, &v.Measure.Num, &v.Measure.Den, &v.Met, &v.Verified); err != nil {
			return internal("assessment values", err)
		}
		v.Measure.Rate = v.Measure.Den > 0
		byVillage[village[id]].Values[v.IndicatorID] = v
	}
	return internal("assessment values", rs.Err())
}

// Attainment counts, under a unit as of a date, the villages with an
// approved assessment and those whose latest one passed.
type Attainment struct {
	Assessed, Passed int
}

// AttainmentAt counts approved assessments under a unit as of a date.
func (s *Store) AttainmentAt(ctx context.Context, unitID int64, at domain.Date, current bool) (Attainment, error) {
	vs, err := s.VillagesUnder(ctx, unitID, at, current)
	if err != nil {
		return Attainment{}, err
	}
	ids := make([]int64, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	latest, err := s.LatestAssessments(ctx, ids, at)
	if err != nil {
		return Attainment{}, err
	}
	var out Attainment
	for _, a := range latest {
		out.Assessed++
		if a.Passed {
			out.Passed++
		}
	}
	return out, nil
}

// Decisions are the villages' latest approved assessments as of a date
// with their sets, and the indicator codes (with names) across those sets
// in the order they first appear: what a villages × indicators matrix reads.
type Decisions struct {
	Latest map[int64]Assessment // by village
	Sets   map[int64]domain.CriteriaSet
	Codes  []string
	Names  map[string]string
}

// DecisionsOf reads the Decisions of the given villages as of at.
func (s *Store) DecisionsOf(ctx context.Context, villages []domain.Unit, at domain.Date) (Decisions, error) {
	d := Decisions{Sets: map[int64]domain.CriteriaSet{}, Names: map[string]string{}}
	ids := make([]int64, len(villages))
	for i, v := range villages {
		ids[i] = v.ID
	}
	var err error
	if d.Latest, err = s.LatestAssessments(ctx, ids, at); err != nil {
		return d, err
	}
	seen := map[string]bool{}
	for _, v := range villages {
		a, ok := d.Latest[v.ID]
		if !ok {
			continue
		}
		cs, ok := d.Sets[a.SetID]
		if !ok {
			if cs, err = s.Set(ctx, a.SetID); err != nil {
				return d, err
			}
			d.Sets[a.SetID] = cs
		}
		for _, in := range cs.Indicators {
			if !seen[in.Code] {
				seen[in.Code] = true
				d.Codes = append(d.Codes, in.Code)
				d.Names[in.Code] = in.Name
			}
		}
	}
	return d, nil
}

// ByCode indexes an assessment's set by indicator code.
func (d Decisions) ByCode(a Assessment) map[string]domain.Indicator {
	out := map[string]domain.Indicator{}
	for _, in := range d.Sets[a.SetID].Indicators {
		out[in.Code] = in
	}
	return out
}
