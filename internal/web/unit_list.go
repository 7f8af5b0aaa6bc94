package web

import (
	"net/http"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

type homePage struct {
	*Page
	Q         string
	Provinces []domain.Unit
}

// home shows the search box, the date picker and the provinces on the date.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "")
	p.Breadcrumb = []Crumb{{Name: p.T("ui.units")}}
	us, _, err := s.Store.SearchUnits(r.Context(), store.UnitQuery{At: p.At, Level: domain.LevelProvince, Limit: 1000})
	if err != nil {
		s.fail(w, p, err)
		return
	}
	textvi.SortBy(textvi.NewCollator(), us, func(u domain.Unit) string { _, n := domain.SplitTypeWord(u.Name); return n })
	status := http.StatusOK
	if p.AtError != "" {
		status = http.StatusBadRequest
	}
	s.render(w, status, "home", homePage{Page: p, Provinces: us})
}

type searchPage struct {
	*Page
	Q       string
	Results []domain.Unit
	More    bool
}

// unitSearch finds units by name on the date, accents optional.
func (s *Server) unitSearch(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.search")
	q := textvi.Normalize(r.URL.Query().Get("q"))
	if q == "" {
		http.Redirect(w, r, "/?at="+p.At.String(), http.StatusSeeOther)
		return
	}
	p.Breadcrumb = []Crumb{{Name: p.T("ui.units"), URL: "/?at=" + p.At.String()}, {Name: p.T("ui.search")}}
	us, next, err := s.Store.SearchUnits(r.Context(), store.UnitQuery{At: p.At, Q: q, Limit: 200})
	if err != nil {
		s.fail(w, p, err)
		return
	}
	// Best first: the name starting with the query, then by level, then A–Z.
	fq := textvi.Fold(q)
	col := textvi.NewCollator()
	rank := func(u domain.Unit) int {
		_, n := domain.SplitTypeWord(u.Name)
		if strings.HasPrefix(textvi.Fold(n), fq) {
			return 0
		}
		return 1
	}
	sortUnits(us, func(a, b domain.Unit) bool {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if a.Level.Rank() != b.Level.Rank() {
			return a.Level.Rank() < b.Level.Rank()
		}
		_, na := domain.SplitTypeWord(a.Name)
		_, nb := domain.SplitTypeWord(b.Name)
		return col.Compare(na, nb) < 0
	})
	status := http.StatusOK
	if p.AtError != "" {
		status = http.StatusBadRequest
	}
	s.render(w, status, "search", searchPage{Page: p, Q: q, Results: us, More: next != ""})
}

func sortUnits(us []domain.Unit, less func(a, b domain.Unit) bool) {
	for i := 1; i < len(us); i++ {
		for j := i; j > 0 && less(us[j], us[j-1]); j-- {
			us[j], us[j-1] = us[j-1], us[j]
		}
	}
}
