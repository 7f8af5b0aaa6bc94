package api

import (
	"net/http"

	"thonso/internal/domain"
	"thonso/internal/store"
)

type unitRef struct {
	Code  string       `json:"code"`
	Name  string       `json:"name"`
	Level domain.Level `json:"level"`
}

type predecessor struct {
	Code    string          `json:"code"`
	Name    string          `json:"name"`
	ValidTo domain.Date     `json:"valid_to"`
	Kind    domain.LinkKind `json:"kind"`
}

type successor struct {
	Code      string          `json:"code"`
	Name      string          `json:"name"`
	ValidFrom domain.Date     `json:"valid_from"`
	Kind      domain.LinkKind `json:"kind"`
}

type unitJSON struct {
	Code         string        `json:"code"`
	Name         string        `json:"name"`
	Level        domain.Level  `json:"level"`
	ValidFrom    domain.Date   `json:"valid_from"`
	ValidTo      domain.Date   `json:"valid_to"`
	Slug         *string       `json:"slug,omitempty"`
	Parent       *unitRef      `json:"parent"`
	Predecessors []predecessor `json:"predecessors"`
	Successors   []successor   `json:"successors"`
}

type unitItem struct {
	Code      string       `json:"code"`
	Name      string       `json:"name"`
	Level     domain.Level `json:"level"`
	ValidFrom domain.Date  `json:"valid_from"`
	ValidTo   domain.Date  `json:"valid_to"`
	Parent    *unitRef     `json:"parent"`
}

func ref(r *domain.UnitRef) *unitRef {
	if r == nil {
		return nil
	}
	return &unitRef{Code: r.Code, Name: r.Name, Level: r.Level}
}

// unitGet: GET /api/v1/units/{code}?at=YYYY-MM-DD.
func (a *API) unitGet(w http.ResponseWriter, r *http.Request) {
	at, err := a.at(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	u, err := a.Store.UnitAt(ctx, r.PathValue("code"), at)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := unitJSON{Code: u.Code, Name: u.Name, Level: u.Level, ValidFrom: u.ValidFrom, ValidTo: u.ValidTo,
		Parent: ref(u.Parent), Predecessors: []predecessor{}, Successors: []successor{}}
	if u.Level == domain.LevelVillage {
		out.Slug = &u.Slug
	}
	pred, err := a.Store.Predecessors(ctx, u.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, p := range pred {
		out.Predecessors = append(out.Predecessors, predecessor{Code: p.Code, Name: p.Name, ValidTo: p.ValidTo, Kind: p.Kind})
	}
	succ, err := a.Store.Successors(ctx, u.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, s := range succ {
		out.Successors = append(out.Successors, successor{Code: s.Code, Name: s.Name, ValidFrom: s.ValidFrom, Kind: s.Kind})
	}
	a.write(w, http.StatusOK, out)
}

// unitList: GET /api/v1/units?parent=CODE&q=…&level=…&at=…&limit=…&cursor=….
func (a *API) unitList(w http.ResponseWriter, r *http.Request) {
	q, err := a.query(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	us, next, err := a.Store.SearchUnits(r.Context(), q)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]unitItem, 0, len(us))
	for _, u := range us {
		items = append(items, unitItem{Code: u.Code, Name: u.Name, Level: u.Level, ValidFrom: u.ValidFrom, ValidTo: u.ValidTo, Parent: ref(u.Parent)})
	}
	a.write(w, http.StatusOK, list{Items: items, Next: nextOf(next)})
}

type communeRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type villageItem struct {
	Code    string      `json:"code"`
	Slug    string      `json:"slug"`
	Name    string      `json:"name"`
	Commune *communeRef `json:"commune"`
}

// villageList: GET /api/v1/villages?q=…&at=….
func (a *API) villageList(w http.ResponseWriter, r *http.Request) {
	q, err := a.query(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	q.Level = domain.LevelVillage
	us, next, err := a.Store.SearchUnits(r.Context(), q)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]villageItem, 0, len(us))
	for _, u := range us {
		v := villageItem{Code: u.Code, Slug: u.Slug, Name: u.Name}
		if u.Parent != nil {
			v.Commune = &communeRef{Code: u.Parent.Code, Name: u.Parent.Name}
		}
		items = append(items, v)
	}
	a.write(w, http.StatusOK, list{Items: items, Next: nextOf(next)})
}

func (a *API) query(r *http.Request) (store.UnitQuery, error) {
	at, err := a.at(r)
	if err != nil {
		return store.UnitQuery{}, err
	}
	limit, cursor, err := page(r)
	if err != nil {
		return store.UnitQuery{}, err
	}
	q := store.UnitQuery{At: at, Q: r.URL.Query().Get("q"), Limit: limit, After: cursor}
	if lv := r.URL.Query().Get("level"); lv != "" {
		q.Level = domain.Level(lv)
		if !q.Level.Valid() {
			return q, domain.Errorf(domain.EINVALID, "api.level_invalid", "value", lv).WithField("level")
		}
	}
	if pc := r.URL.Query().Get("parent"); pc != "" {
		p, err := a.Store.UnitAt(r.Context(), pc, at)
		if err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return q, domain.Errorf(domain.ENOTFOUND, "api.parent_not_found", "code", pc, "date", at).WithField("parent")
			}
			return q, err
		}
		q.ParentID = p.ID
	}
	return q, nil
}
