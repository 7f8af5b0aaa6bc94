package web

import (
	"net/http"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// matrixCell is one village × indicator: met or not as decided.
type matrixCell struct {
	Known, Met bool
	Title      string // the value, for a tooltip and screen readers
}

type matrixRow struct {
	Village  domain.Unit
	Assessed *store.Assessment
	Cells    []matrixCell
}

type criteriaMatrixPage struct {
	*Page
	Unit       domain.Unit
	Current    bool
	Codes      []string // indicator codes, in the set's order
	Names      map[string]string
	Rows       []matrixRow
	Attainment store.Attainment
	Villages   int
}

// criteriaMatrix: GET /units/{code}/criteria?at=&view=current — the
// villages under a unit × the indicators, from each village's latest
// approved assessment as of the date, colour-coded.
func (s *Server) criteriaMatrix(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.criteria_matrix")
	if p.AtError != "" {
		s.renderBadDate(w, p)
		return
	}
	ctx := r.Context()
	current := r.URL.Query().Get("view") == "current"
	// As the dashboard: re-attributed, the code is today's unit.
	u, err := s.resolveBoardUnit(r, p, current)
	if err == nil {
		err = s.inScope(r, actorOf(r).Scope(domain.PermReportView), u.ID)
	}
	if err != nil {
		s.fail(w, p, err)
		return
	}
	mp := &criteriaMatrixPage{Page: p, Unit: u, Current: current, Names: map[string]string{}}
	villages, err := s.Store.VillagesUnder(ctx, u.ID, p.At, mp.Current)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	dec, err := s.Store.DecisionsOf(ctx, villages, p.At)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	mp.Codes, mp.Names = dec.Codes, dec.Names
	for _, v := range villages {
		row := matrixRow{Village: v}
		a, ok := dec.Latest[v.ID]
		if ok {
			row.Assessed = &a
			mp.Attainment.Assessed++
			if a.Passed {
				mp.Attainment.Passed++
			}
		}
		byCode := map[string]domain.Indicator{}
		if ok {
			byCode = dec.ByCode(a)
		}
		for _, code := range mp.Codes {
			in, has := byCode[code]
			c := matrixCell{}
			if has {
				if val, ok := a.Values[in.ID]; ok && val.Measure.Known {
					c.Known, c.Met = true, val.Met
					value, basis := p.valueText(in, val.Measure)
					c.Title = code + ". " + in.Name + ": " + value
					if basis != "" {
						c.Title += " (" + basis + ")"
					}
				}
			}
			row.Cells = append(row.Cells, c)
		}
		mp.Rows = append(mp.Rows, row)
	}
	mp.Villages = len(villages)
	p.Title = p.T("ui.criteria_matrix_of", "unit", u.Name)
	p.Breadcrumb = []Crumb{{Name: u.Name, URL: p.UnitURL(u.Code)}, {Name: p.T("ui.criteria_matrix")}}
	s.render(w, http.StatusOK, "criteria_matrix", mp)
}
