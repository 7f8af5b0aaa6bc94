package web

import (
	"context"
	"math"
	"net/http"
	"sort"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// rankFigure is a figure units can be ranked by: a value (with its
// numerator and base for a rate) from a unit's stats.
type rankFigure struct {
	Key  string
	Rate bool
	pick func(st store.UnitStats) (num, den int)
}

var rankFigures = []rankFigure{
	{"account_rate", true, func(st store.UnitStats) (int, int) { return st.Figures.Accounts14, st.Figures.Aged14 }},
	{"smartphone_rate", true, func(st store.UnitStats) (int, int) { return st.Figures.Smartphone18, st.Figures.Adults18 }},
	{"bank_rate", true, func(st store.UnitStats) (int, int) { return st.Figures.HouseholdsBank, st.Figures.Households }},
	{"zalo_rate", true, func(st store.UnitStats) (int, int) { return st.Figures.HouseholdsZalo, st.Figures.Households }},
	{"dossiers", false, func(st store.UnitStats) (int, int) { return st.Dossiers, 0 }},
	{"team_members", false, func(st store.UnitStats) (int, int) { return st.TeamMembers, 0 }},
	{"smart_villages", false, func(st store.UnitStats) (int, int) { return st.SmartVillages, 0 }},
	{"overdue", false, func(st store.UnitStats) (int, int) { return st.Overdue, 0 }},
}

// rankRow is one ranked unit: its value now, a month before, and why it
// moved (which of numerator and base changed).
type rankRow struct {
	Rank   int
	Unit   domain.Unit
	Value  string
	Change string
	Why    string
	Up     bool
	Down   bool
	sortBy float64
}

type rankingsPage struct {
	*Page
	Unit    domain.Unit
	Current bool
	By      string
	Level   string
	Figures []string
	Rows    []rankRow
	Before  domain.Date
}

// rankings: GET /units/{code}/rankings?at=&view=&by=&level=village|commune.
func (s *Server) rankings(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.rankings")
	if p.AtError != "" {
		s.renderBadDate(w, p)
		return
	}
	q := r.URL.Query()
	rp := &rankingsPage{Page: p, Current: q.Get("view") == "current", By: q.Get("by"), Level: q.Get("level")}
	if rp.By == "" {
		rp.By = "account_rate"
	}
	var fig *rankFigure
	for i := range rankFigures {
		rp.Figures = append(rp.Figures, rankFigures[i].Key)
		if rankFigures[i].Key == rp.By {
			fig = &rankFigures[i]
		}
	}
	if fig == nil {
		s.render(w, http.StatusBadRequest, "error", errorPage{Page: p, Message: p.T("rank.by_invalid", "value", rp.By)})
		return
	}
	if rp.Level == "" {
		rp.Level = "village"
	}
	if rp.Level != "village" && rp.Level != "commune" {
		s.render(w, http.StatusBadRequest, "error", errorPage{Page: p, Message: p.T("rank.level_invalid", "value", rp.Level)})
		return
	}
	u, err := s.resolveBoardUnit(r, p, rp.Current)
	if err == nil {
		err = s.inScope(r, actorOf(r).Scope(domain.PermReportView), u.ID)
	}
	if err != nil {
		s.fail(w, p, err)
		return
	}
	rp.Unit = u
	// The previous month: the same day a month before (or its month's end).
	rp.Before = domain.NewDate(p.At.Year(), p.At.Month(), 1).AddDays(-1)
	if d := domain.NewDate(p.At.Year(), p.At.Month()-1, p.At.Day()); d.Month() == rp.Before.Month() {
		rp.Before = d
	}
	units, err := s.Store.UnitsUnder(r.Context(), u.ID, domain.Level(rp.Level), p.At, rp.Current)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	if rp.Rows, err = s.rankRows(r.Context(), p, units, *fig, rp.Current, rp.Before); err != nil {
		s.fail(w, p, err)
		return
	}
	p.Title = p.T("ui.rankings_of", "unit", u.Name)
	p.Breadcrumb = []Crumb{{Name: u.Name, URL: p.UnitURL(u.Code)}, {Name: p.T("ui.dashboard"), URL: "/units/" + u.Code + "/dashboard?at=" + p.At.VN()}, {Name: p.T("ui.rankings")}}
	s.render(w, http.StatusOK, "rankings", rp)
}

func (s *Server) rankRows(ctx context.Context, p *Page, units []domain.Unit, fig rankFigure, current bool, before domain.Date) ([]rankRow, error) {
	var rows []rankRow
	for _, v := range units {
		now, err := s.Store.Stats(ctx, v.ID, p.At, current)
		if err != nil {
			return nil, err
		}
		if v.Level == domain.LevelVillage && now.SmartVillages == 0 {
			continue // only the villages in the model
		}
		then, err := s.Store.Stats(ctx, v.ID, before, current)
		if err != nil {
			return nil, err
		}
		n1, d1 := fig.pick(now)
		n0, d0 := fig.pick(then)
		row := rankRow{Unit: v}
		if fig.Rate {
			r1, r0 := 100*store.Rate(n1, d1), 100*store.Rate(n0, d0)
			row.sortBy = r1
			row.Value = numText(math.Round(r1*10)/10) + "% (" + p.Num(n1) + "/" + p.Num(d1) + ")"
			delta := math.Round((r1-r0)*10) / 10
			row.Up, row.Down = delta > 0, delta < 0
			row.Change = signed(delta) + " " + p.T("criteria.points")
			var why []string
			if n1 != n0 {
				why = append(why, p.T("rank.why_num", "delta", signedInt(n1-n0), "what", p.T("rank.num."+fig.Key)))
			}
			if d1 != d0 {
				why = append(why, p.T("rank.why_den", "delta", signedInt(d1-d0), "what", p.T("rank.den."+fig.Key)))
			}
			row.Why = strings.Join(why, "; ")
		} else {
			row.sortBy = float64(n1)
			row.Value = p.Num(n1)
			row.Up, row.Down = n1 > n0, n1 < n0
			row.Change = signedInt(n1 - n0)
			if n1 != n0 {
				row.Why = p.T("rank.why_count", "delta", signedInt(n1-n0), "what", p.T("rank.fig."+fig.Key))
			}
		}
		rows = append(rows, row)
	}
	desc := fig.Key != "overdue" // fewer overdue dossiers rank higher
	sort.SliceStable(rows, func(i, j int) bool {
		if desc {
			return rows[i].sortBy > rows[j].sortBy
		}
		return rows[i].sortBy < rows[j].sortBy
	})
	for i := range rows {
		rows[i].Rank = i + 1
		if i > 0 && rows[i].sortBy == rows[i-1].sortBy {
			rows[i].Rank = rows[i-1].Rank
		}
	}
	return rows, nil
}

func signed(f float64) string {
	if f > 0 {
		return "+" + numText(f)
	}
	if f < 0 {
		return "−" + numText(-f)
	}
	return "0"
}

func signedInt(n int) string { return signed(float64(n)) }
