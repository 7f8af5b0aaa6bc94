package web

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"
)

// scoreRow is one indicator on a scorecard: value, target, status,
// trend, gap and where its records are.
type scoreRow struct {
	Indicator domain.Indicator
	Group     string
	Value     string // "66,4%" or "2" or "Có"
	Basis     string // "257 / 387 người từ 14 tuổi"
	Target    string
	Known     bool
	Met       bool
	Gap       string
	Trend     string // "↑ 3,2 điểm so với 31/07/2024"
	RowsURL   string // the records behind a computed value
	Source    string // for an entered value: which assessment it comes from
	Evidence  int64
	Note      string
	Verified  bool
}

// scoreGroup is a criteria group with its rows.
type scoreGroup struct {
	Name string
	Rows []scoreRow
}

// numText writes a number the Vietnamese way: 66,4 and 1.189.
func numText(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return i18n.Int(int(f))
	}
	return strings.Replace(strconv.FormatFloat(f, 'f', 1, 64), ".", ",", 1)
}

// targetText writes a target: "≥ 90%", "1–2", "≥ 5", "≤ 3", "có".
func (p *Page) targetText(t domain.Target) string {
	switch t.Type {
	case domain.TargetMinPercent:
		return "≥ " + numText(t.Min) + "%"
	case domain.TargetMax:
		return "≤ " + numText(t.Max)
	case domain.TargetRange:
		return numText(t.Min) + "–" + numText(t.Max)
	case domain.TargetMinCount:
		return "≥ " + numText(t.Min)
	}
	return p.T("criteria.yes")
}

// valueText writes a measure under its indicator's target type.
func (p *Page) valueText(in domain.Indicator, m domain.Measure) (value, basis string) {
	if !m.Known {
		return p.T("criteria.unknown"), ""
	}
	switch {
	case in.Target.Type == domain.TargetExists:
		if m.Value >= 1 {
			return p.T("criteria.yes"), ""
		}
		return p.T("criteria.no"), ""
	case m.Rate || (in.Target.Type == domain.TargetMinPercent && m.Den > 0):
		basis := ""
		if c, ok := store.Computations()[in.Computation]; ok && m.Den > 0 {
			basis = p.T("criteria.basis", "num", m.Num, "den", m.Den, "of", p.T("basis."+c.Basis))
		}
		return numText(math.Round(m.Value*10)/10) + "%", basis
	case in.Target.Type == domain.TargetMinPercent:
		return numText(m.Value) + "%", ""
	}
	return numText(m.Value), ""
}

// gapText says what an unmet indicator still lacks, in the words of its
// computation where there are some.
func (p *Page) gapText(in domain.Indicator, t domain.Target, m domain.Measure) string {
	if !m.Known {
		return p.T("gap.unknown")
	}
	g := t.GapTo(m)
	switch {
	case g == (domain.Gap{}):
		return ""
	case g.Missing:
		return p.T("gap.missing")
	case g.Over:
		return p.T("gap.over", "count", g.Count, "target", p.targetText(t))
	}
	key := "gap." + in.Computation
	if in.Source == domain.SourceEntered || !p.s.Cat.Has(key) {
		key = "gap.generic"
	}
	return p.T(key, "count", g.Count, "target", p.targetText(t))
}

// scoreRows lays out a set's indicators with their measures by group;
// rowsURL gives the link to the records behind one, or "".
func (p *Page) scoreRows(cs domain.CriteriaSet, mountain bool, value func(domain.Indicator) (store.AssessValue, bool), rowsURL func(domain.Indicator) string) []scoreGroup {
	var out []scoreGroup
	for _, g := range cs.Groups {
		sg := scoreGroup{Name: g.Name}
		for _, in := range cs.Indicators {
			if in.Group != g.Code {
				continue
			}
			t := in.TargetFor(mountain)
			row := scoreRow{Indicator: in, Group: g.Name, Target: p.targetText(t)}
			if v, ok := value(in); ok {
				row.Known, row.Met = v.Measure.Known, t.Met(v.Measure)
				row.Value, row.Basis = p.valueText(in, v.Measure)
				row.Gap = p.gapText(in, t, v.Measure)
				row.Evidence, row.Note, row.Verified = v.EvidenceID, v.Note, v.Verified
			} else {
				row.Value, row.Gap = p.T("criteria.unknown"), p.T("gap.unknown")
			}
			if row.Known && in.Source == domain.SourceComputed && rowsURL != nil {
				if _, ok := store.Computations()[in.Computation]; ok {
					row.RowsURL = rowsURL(in)
				}
			}
			sg.Rows = append(sg.Rows, row)
		}
		out = append(out, sg)
	}
	return out
}

// scorecardPage is a village measured live against the set in force.
type scorecardPage struct {
	*Page
	Village     domain.Unit
	Set         domain.CriteriaSet
	HasSet      bool
	Groups      []scoreGroup
	Passed      bool
	MetCount    int
	Assessments []store.AssessmentList
	CanAssess   bool
	EnteredFrom *store.AssessmentList
	StartError  string // a refused start, beside the date box
	StartValue  string
}

// liveValues measures a village on a date: computed indicators now,
// entered ones from the latest assessment on or before the date.
func (s *Server) liveValues(ctx context.Context, v domain.Unit, cs domain.CriteriaSet, at domain.Date, past []store.AssessmentList) (map[int64]store.AssessValue, *store.AssessmentList, error) {
	vals := map[int64]store.AssessValue{}
	var from *store.AssessmentList
	for i := range past {
		if past[i].SetID == cs.ID && !past[i].AsOf.After(at) {
			from = &past[i]
			break
		}
	}
	var entered store.Assessment
	if from != nil {
		var err error
		if entered, err = s.Store.Assessment(ctx, from.ID); err != nil {
			return nil, nil, err
		}
	}
	for _, in := range cs.Indicators {
		if in.Source == domain.SourceEntered {
			if ev, ok := entered.Values[in.ID]; ok && ev.Measure.Known {
				vals[in.ID] = ev
			}
			continue
		}
		m, err := s.Store.Compute(ctx, in.Computation, store.CompInput{VillageID: v.ID, At: at, From: cs.From, Param: in.Param})
		if err != nil {
			return nil, nil, err
		}
		vals[in.ID] = store.AssessValue{IndicatorID: in.ID, Measure: m, Met: in.Target.Met(m), Verified: true}
	}
	return vals, from, nil
}

// reportVillage resolves the village of a report page on its date, within
// the viewer's report:view scope; a bad date or a village out of reach is
// answered here.
func (s *Server) reportVillage(w http.ResponseWriter, r *http.Request, p *Page) (domain.Unit, bool) {
	if p.AtError != "" {
		s.renderBadDate(w, p)
		return domain.Unit{}, false
	}
	v, err := s.village(r, p)
	if err == nil {
		err = s.inScope(r, actorOf(r).Scope(domain.PermReportView), v.ID)
	}
	if err != nil {
		s.fail(w, p, err)
		return domain.Unit{}, false
	}
	return v, true
}

// scorecard: GET /villages/{code}/scorecard?at= — the 16 rows, live.
func (s *Server) scorecard(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.scorecard")
	v, ok := s.reportVillage(w, r, p)
	if !ok {
		return
	}
	a := actorOf(r)
	var err error
	ctx := r.Context()
	sp := &scorecardPage{Page: p, Village: v}
	sp.CanAssess, _ = s.Store.Covers(ctx, a.Scope(domain.PermTeamManage), v.ID)
	if sp.Assessments, err = s.Store.Assessments(ctx, v.ID); err != nil {
		s.fail(w, p, err)
		return
	}
	if sp.Set, sp.HasSet, err = s.Store.SetInForce(ctx, v.ID, p.At); err != nil {
		s.fail(w, p, err)
		return
	}
	p.Title = p.T("ui.scorecard_of", "village", v.Name)
	p.Breadcrumb = []Crumb{{Name: v.Name, URL: p.UnitURL(v.Code)}, {Name: p.T("ui.scorecard")}}
	if !sp.HasSet {
		s.render(w, http.StatusOK, "scorecard", sp)
		return
	}
	vals, from, err := s.liveValues(ctx, v, sp.Set, p.At, sp.Assessments)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	sp.EnteredFrom = from
	// The trend: the same computation three months before.
	before := p.At.AddDays(-91)
	old, _, err := s.liveValues(ctx, v, sp.Set, before, sp.Assessments)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	met := map[string]bool{}
	sp.Groups = p.scoreRows(sp.Set, false, func(in domain.Indicator) (store.AssessValue, bool) { x, ok := vals[in.ID]; return x, ok },
		func(in domain.Indicator) string {
			return "/villages/" + v.Code + "/scorecard/" + in.Code + "?at=" + p.At.VN()
		})
	for gi := range sp.Groups {
		for ri := range sp.Groups[gi].Rows {
			row := &sp.Groups[gi].Rows[ri]
			met[row.Indicator.Code] = row.Met
			if row.Met {
				sp.MetCount++
			}
			if in := row.Indicator; in.Source == domain.SourceComputed {
				if o, ok := old[in.ID]; ok && o.Measure.Known && vals[in.ID].Measure.Known {
					row.Trend = p.trendText(vals[in.ID].Measure.Value-o.Measure.Value, vals[in.ID].Measure.Rate, before)
				}
			} else if from != nil {
				row.Source = p.T("criteria.entered_from", "date", from.AsOf)
			}
		}
	}
	sp.Passed = sp.Set.Passes(met)
	s.render(w, http.StatusOK, "scorecard", sp)
}

// trendText writes the change since an earlier date: "↑ 3,2 điểm".
func (p *Page) trendText(delta float64, rate bool, since domain.Date) string {
	delta = math.Round(delta*10) / 10
	arrow := "→"
	switch {
	case delta > 0:
		arrow = "↑"
	case delta < 0:
		arrow = "↓"
	}
	unit := ""
	if rate {
		unit = " " + p.T("criteria.points")
	}
	return p.T("criteria.trend", "arrow", arrow, "delta", numText(math.Abs(delta))+unit, "date", since)
}
