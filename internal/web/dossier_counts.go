package web

import (
	"net/http"
	"sort"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

// countRow is one line of a counts table.
type countRow struct {
	Label string
	Code  string
	Count int
}

type countTable struct {
	Key      string // i18n key of the heading
	Rows     []countRow
	ShowCode bool // the code means something to a reader (a village, a procedure)
}

type dossierCountsPage struct {
	*Page
	Unit    domain.Unit
	Current bool // re-attributed to today's unit
	Count   store.DossierCount
	Tables  []countTable
}

// dossierCounts: residents' dossiers under a unit as of a date, by
// village, step, sector, field, procedure, portal and month; practice
// apart; as the unit was, or re-attributed to today's unit.
func (s *Server) dossierCounts(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.dossier_counts")
	if p.AtError != "" {
		s.renderBadDate(w, p)
		return
	}
	ctx := r.Context()
	u, err := s.Store.UnitAt(ctx, r.PathValue("code"), p.At)
	if err == nil {
		err = s.inScope(r, actorOf(r).Scope(domain.PermReportView), u.ID)
	}
	if err != nil {
		s.fail(w, p, err)
		return
	}
	cp := dossierCountsPage{Page: p, Unit: u, Current: r.URL.Query().Get("view") == "current"}
	if cp.Count, err = s.Store.CountDossiers(ctx, u.ID, p.At, cp.Current); err != nil {
		s.fail(w, p, err)
		return
	}
	groups, err := s.Store.DossierBreakdown(ctx, u.ID, p.At, cp.Current)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	tally, err := s.Store.DossierTallies(ctx, u.ID, p.At, cp.Current)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	procs, _, err := s.procedureMap(r)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	procName := map[string]string{}
	for _, pr := range procs {
		procName[pr.Code] = pr.Name
	}
	// By village, in Vietnamese order of the names on the date.
	var villages []countRow
	for id, n := range tally.ByVillage {
		v, err := s.Store.UnitByID(ctx, id, p.At)
		name := v.Name
		if err != nil {
			name = "#"
		}
		villages = append(villages, countRow{Label: name, Code: v.Code, Count: n})
	}
	textvi.SortBy(textvi.NewCollator(), villages, func(c countRow) string { return c.Label })
	s.useStepLabels(r, p, u)
	var steps []countRow
	for _, st := range domain.DossierStates {
		if n := tally.ByState[st]; n > 0 {
			steps = append(steps, countRow{Label: p.StepLabel(st), Count: n})
		}
	}
	sum := func(key func(store.DossierGroup) (string, string)) []countRow {
		m := map[string]*countRow{}
		var out []countRow
		var order []string
		for _, g := range groups {
			code, label := key(g)
			if m[code] == nil {
				m[code] = &countRow{Code: code, Label: label}
				order = append(order, code)
			}
			m[code].Count += g.Count
		}
		for _, c := range order {
			out = append(out, *m[c])
		}
		return out
	}
	bySize := func(rows []countRow) []countRow {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Count > rows[j].Count })
		return rows
	}
	cp.Tables = []countTable{
		{"ui.by_village", villages, true},
		{"ui.by_step", steps, false},
		{"ui.by_sector", bySize(sum(func(g store.DossierGroup) (string, string) { return g.Sector, p.T("sector." + g.Sector) })), false},
		{"ui.by_field", bySize(sum(func(g store.DossierGroup) (string, string) { return g.Field, p.T("field." + g.Field) })), false},
		{"ui.by_procedure", bySize(sum(func(g store.DossierGroup) (string, string) { return g.Procedure, procName[g.Procedure] })), true},
		{"ui.by_portal", bySize(sum(func(g store.DossierGroup) (string, string) { return g.Portal, p.T("portal." + g.Portal) })), false},
		{"ui.by_month", sum(func(g store.DossierGroup) (string, string) { return g.Month, g.Month[5:7] + "/" + g.Month[:4] }), false},
	}
	p.Title = p.T("ui.dossier_counts_of", "unit", u.Name)
	p.Breadcrumb = []Crumb{{Name: u.Name, URL: "/units/" + u.Code}, {Name: p.T("ui.dossier_counts")}}
	s.render(w, http.StatusOK, "dossier_counts", cp)
}
