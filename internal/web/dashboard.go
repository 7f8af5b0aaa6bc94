package web

import (
	"context"
	"html/template"
	"net/http"
	"sort"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"
)

// dashboardPage is a unit's figures on a date, for the steering committee
// (behind a login, with links to the villages) or as the public board
// (aggregates only, never a name or a phone).
type dashboardPage struct {
	*Page
	Unit     domain.Unit
	Current  bool
	Public   bool
	Base     string // the page's own path, for the view switch
	Stats    store.UnitStats
	Target   float64 // the account-rate target of the set in force, 0 if none
	Fields   []countRow
	Procs    []countRow
	Portals  []countRow
	Sectors  []countRow
	Charts   []template.HTML
	Children []childRow
}

// childRow is one commune or village under the unit, for the short table.
type childRow struct {
	Unit        domain.Unit
	Dossiers    int
	AccountRate float64
	Smart       int
}

// Share writes n of base as a percentage: "100,0%".
func (p *Page) Share(n, base int) string { return p.Pct(n, base) }

// resolveBoardUnit resolves the code on the date (as it was) or today
// (re-attributed; a unit gone today is not found).
func (s *Server) resolveBoardUnit(r *http.Request, p *Page, current bool) (domain.Unit, error) {
	on := p.At
	if current {
		on = p.Today
	}
	return s.Store.UnitAt(r.Context(), r.PathValue("code"), on)
}

func (s *Server) buildDashboard(ctx context.Context, p *Page, u domain.Unit, current, public bool) (*dashboardPage, error) {
	dp := &dashboardPage{Page: p, Unit: u, Current: current, Public: public}
	var err error
	if dp.Stats, err = s.Store.Stats(ctx, u.ID, p.At, current); err != nil {
		return nil, err
	}
	if cs, ok, err := s.Store.SetInForce(ctx, u.ID, p.At); err != nil {
		return nil, err
	} else if ok {
		for _, in := range cs.Indicators {
			if in.Computation == "account_rate_14" && in.Target.Type == domain.TargetMinPercent {
				dp.Target = in.Target.Min
			}
		}
	}
	procs, err := s.Store.Procedures(ctx)
	if err != nil {
		return nil, err
	}
	procName := map[string]string{}
	for _, pr := range procs {
		procName[pr.Code] = pr.Name
	}
	rows := func(m map[string]int, label func(string) string) []countRow {
		var out []countRow
		for k, n := range m {
			out = append(out, countRow{Label: label(k), Code: k, Count: n})
		}
		sort.Slice(out, func(i, j int) bool {
			return out[i].Count > out[j].Count || (out[i].Count == out[j].Count && out[i].Code < out[j].Code)
		})
		return out
	}
	dp.Sectors = rows(dp.Stats.BySector, func(k string) string { return p.T("sector." + k) })
	dp.Fields = rows(dp.Stats.ByField, func(k string) string { return p.T("field." + k) })
	dp.Procs = rows(dp.Stats.ByProcedure, func(k string) string { return procName[k] })
	dp.Portals = rows(dp.Stats.ByPortal, func(k string) string { return p.T("portal." + k) })
	// Trends: the twelve months up to the date.
	from := domain.NewDate(p.At.Year(), p.At.Month()-11, 1)
	trend, err := s.Store.Trend(ctx, u.ID, from, p.At, current)
	if err != nil {
		return nil, err
	}
	var received, accounts []chartPoint
	prev := 0
	for i, t := range trend {
		label := strconv.Itoa(int(t.On.Month())) + "/" + strconv.Itoa(t.On.Year()%100)
		if i == 0 {
			if before, err := s.Store.CountDossiers(ctx, u.ID, from.AddDays(-1), current); err == nil {
				prev = before.Residents
			}
		}
		received = append(received, chartPoint{label, float64(t.Dossiers - prev)})
		prev = t.Dossiers
		accounts = append(accounts, chartPoint{label, 100 * store.Rate(t.Accounts14, t.Aged14)})
	}
	dp.Charts = []template.HTML{
		svgChart(p.T("chart.dossiers_month"), received, true, 0, ""),
		svgChart(p.T("chart.account_rate"), accounts, false, dp.Target, "%"),
	}
	if !public || u.Level != domain.LevelVillage {
		if dp.Children, err = s.childRows(ctx, u, p.At, current); err != nil {
			return nil, err
		}
	}
	return dp, nil
}

// childRows are the units one level down (communes, or villages), with
// their dossiers, account rate and smart villages.
func (s *Server) childRows(ctx context.Context, u domain.Unit, at domain.Date, current bool) ([]childRow, error) {
	tree := at
	if current {
		tree = domain.DateOf(s.Now())
	}
	kids, err := s.Store.Children(ctx, u.ID, tree)
	if err != nil {
		return nil, err
	}
	figs, err := s.Store.ChildStats(ctx, u.ID, at, current)
	if err != nil {
		return nil, err
	}
	var out []childRow
	for _, k := range kids {
		f := figs[k.ID]
		out = append(out, childRow{Unit: k, Dossiers: f.Dossiers, AccountRate: store.Rate(f.Accounts14, f.Aged14), Smart: f.SmartVillages})
	}
	return out, nil
}

// dashboard: GET /units/{code}/dashboard?at=&view=current.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	s.serveBoard(w, r, false)
}

// publicBoard: GET /u/{code}?at=&view=current — no login; aggregates only.
func (s *Server) publicBoard(w http.ResponseWriter, r *http.Request) {
	s.serveBoard(w, r, true)
}

func (s *Server) serveBoard(w http.ResponseWriter, r *http.Request, public bool) {
	p := s.newPage(w, r, "ui.dashboard")
	if p.AtError != "" {
		s.renderBadDate(w, p)
		return
	}
	view := r.URL.Query().Get("view")
	if view != "" && view != "current" && view != "as_was" {
		s.render(w, http.StatusBadRequest, "error", errorPage{Page: p, Message: p.T("stats.view_invalid", "value", view)})
		return
	}
	current := view == "current"
	if since, err := s.Store.DataSince(r.Context()); err == nil && !since.IsZero() && p.At.Before(since) {
		s.render(w, http.StatusBadRequest, "error", errorPage{Page: p, Message: p.T("stats.before_data", "date", p.At, "since", since)})
		return
	}
	u, err := s.resolveBoardUnit(r, p, current)
	if err == nil && !public {
		err = s.inScope(r, actorOf(r).Scope(domain.PermReportView), u.ID)
	}
	if err != nil {
		s.fail(w, p, err)
		return
	}
	dp, err := s.buildDashboard(r.Context(), p, u, current, public)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	dp.Base = r.URL.Path
	p.Title = p.T("ui.dashboard_of", "unit", u.Name)
	if public {
		p.Title = p.T("ui.board_of", "unit", u.Name)
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	p.Breadcrumb = []Crumb{{Name: u.Name, URL: p.UnitURL(u.Code)}, {Name: p.T("ui.dashboard")}}
	s.render(w, http.StatusOK, "dashboard", dp)
}

// PctRate writes a 0–1 rate as "66,4%".
func (p *Page) PctRate(r float64) string { return i18n.Percent(r) }
