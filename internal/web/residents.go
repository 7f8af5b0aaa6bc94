package web

import (
	"net/http"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"
)

type residentsPage struct {
	*Page
	Village domain.Unit
	Q       string
	People  []domain.Resident
	Numbers map[int64]string // household id → number
	Next    string
	Figures store.Figures
	CanEdit bool
	CanPII  bool
	ByFull  bool   // sorted by full name, not given name first
	Note    string // why a search was not run
}

// Pct formats a rate of n over base: 66,4%.
func (p *Page) Pct(n, base int) string { return i18n.Percent(store.Rate(n, base)) }

// Masked shows a phone or CCCD as •••• 1234.
func (p *Page) Masked(s string) string { return domain.Mask(s) }

// village resolves {code} (system code or slug) of a village on the page's date.
func (s *Server) village(r *http.Request, p *Page) (domain.Unit, error) {
	code := r.PathValue("code")
	if strings.HasPrefix(code, "T") {
		u, err := s.Store.UnitAt(r.Context(), code, p.At)
		if err == nil && u.Level != domain.LevelVillage {
			err = domain.Errorf(domain.ENOTFOUND, "unit.not_found")
		}
		return u, err
	}
	u, _, err := s.Store.VillageBySlug(r.Context(), code, p.At)
	return u, err
}

// residentList shows a village's residents living on the page's date, in
// Vietnamese order, phones masked, with the village's figures on top.
func (s *Server) residentList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.residents")
	if p.AtError != "" { // a bad ?at= is said, not silently today (bad-input corpus)
		s.renderBadDate(w, p)
		return
	}
	a := actorOf(r)
	v, err := s.village(r, p)
	if err == nil {
		err = s.inScope(r, a.Scope(domain.PermResidentView), v.ID)
	}
	if err != nil {
		s.fail(w, p, err)
		return
	}
	p.Title = p.T("ui.residents_of", "village", v.Name)
	anc, _ := s.Store.Ancestors(r.Context(), v)
	p.Breadcrumb = []Crumb{{Name: p.T("ui.units"), URL: "/"}}
	for _, x := range anc {
		p.Breadcrumb = append(p.Breadcrumb, Crumb{Name: x.Name, URL: p.UnitURL(x.Code)})
	}
	p.Breadcrumb = append(p.Breadcrumb, Crumb{Name: v.Name, URL: p.UnitURL(v.Code)}, Crumb{Name: p.T("ui.residents")})
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	rq := store.ResidentQuery{VillageID: v.ID, Q: q, At: p.At, After: r.URL.Query().Get("after"), Limit: 50, ByFullName: r.URL.Query().Get("sort") == "full"}
	note := ""
	if c := strings.ReplaceAll(q, " ", ""); len(c) == 12 && strings.Trim(c, "0123456789") == "" {
		// A CCCD: searched only by those who may see it (and audited).
		if ok, _ := s.Store.Covers(r.Context(), a.Scope(domain.PermResidentViewPII), v.ID); ok {
			rq.Q, rq.CCCD = "", c
			s.Store.Audit(r.Context(), a, store.AuditEntry{Action: "search_cccd", Entity: "resident", UnitID: v.ID})
		} else {
			rq.Q, note = "", p.T("ui.cccd_search_forbidden")
			rq.Limit = 0
		}
	}
	people, next, err := s.Store.Residents(r.Context(), a.Scope(domain.PermResidentView), rq)
	if note != "" {
		people, next = nil, ""
	}
	if err != nil {
		s.fail(w, p, err)
		return
	}
	f, err := s.Store.Figures(r.Context(), v.ID, p.At)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	hs, err := s.Store.Households(r.Context(), a.Scope(domain.PermResidentView), v.ID)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	nums := map[int64]string{}
	for _, h := range hs {
		nums[h.ID] = h.Number
	}
	s.render(w, http.StatusOK, "residents", residentsPage{Page: p, Village: v, Q: q, People: people, Numbers: nums, Next: next, Figures: f,
		CanEdit: a.Can(domain.PermResidentEdit), CanPII: a.Can(domain.PermResidentViewPII), ByFull: rq.ByFullName, Note: note})
}

// inScope is ENOTFOUND outside the scope (existence is not revealed).
func (s *Server) inScope(r *http.Request, scope domain.Scope, unitID int64) error {
	ok, err := s.Store.Covers(r.Context(), scope, unitID)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, "unit.not_found")
	}
	return nil
}
