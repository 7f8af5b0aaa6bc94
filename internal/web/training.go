package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

// trainingPage is one training: who attended, and for the team's
// managers a search of the registry to name the residents trained.
type trainingPage struct {
	*Page
	Training  store.Training
	Team      domain.Team
	Members   []string          // members who attended, by name
	Named     []domain.Resident // residents named from the registry
	CanSearch bool              // the viewer may see residents of the team's unit
	Query     string
	Found     []domain.Resident
	Errors    map[string]string
}

func (s *Server) loadTraining(w http.ResponseWriter, r *http.Request, p *Page) (*trainingPage, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "training.not_found"))
		return nil, false
	}
	ctx := r.Context()
	t, err := s.Store.Training(ctx, id)
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	team, err := s.Store.Team(ctx, t.TeamID, t.On)
	if err == nil {
		// Outside the manager's scope the training does not exist.
		if err = s.inScope(r, actorOf(r).Scope(domain.PermTeamManage), team.UnitID); err != nil {
			err = domain.Errorf(domain.ENOTFOUND, "training.not_found")
		}
	}
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	tp := &trainingPage{Page: p, Training: t, Team: team, Errors: map[string]string{}}
	for _, mid := range t.MemberIDs {
		if m, err := s.Store.MemberByID(ctx, mid); err == nil {
			tp.Members = append(tp.Members, m.FullName)
		}
	}
	view := actorOf(r).Scope(domain.PermResidentView)
	tp.CanSearch, _ = s.Store.Covers(ctx, view, team.UnitID)
	if tp.CanSearch {
		for _, rid := range t.ResidentIDs {
			if res, err := s.Store.Resident(ctx, view, rid); err == nil {
				tp.Named = append(tp.Named, res)
			}
		}
		// Vietnamese list order: by given name, then the full name.
		c := textvi.NewCollator()
		sort.SliceStable(tp.Named, func(i, j int) bool {
			return c.PersonSortKey(tp.Named[i].FullName) < c.PersonSortKey(tp.Named[j].FullName)
		})
	}
	p.Title = t.Topic
	p.Breadcrumb = []Crumb{{Name: team.Name, URL: "/teams/" + strconv.FormatInt(team.ID, 10)}, {Name: p.T("ui.training") + " " + t.On.VN()}}
	return tp, true
}

// searchTrainees finds residents of the team's unit by name (accents
// optional), leaving out those already named.
func (s *Server) searchTrainees(r *http.Request, tp *trainingPage, q string) error {
	tp.Query = strings.TrimSpace(q)
	if tp.Query == "" || !tp.CanSearch {
		return nil
	}
	rq := store.ResidentQuery{Q: tp.Query, At: tp.Training.On, Limit: 20}
	if tp.Team.Kind == domain.TeamVillage {
		rq.VillageID = tp.Team.UnitID
	}
	found, _, err := s.Store.Residents(r.Context(), domain.Scope{UnitIDs: []int64{tp.Team.UnitID}}, rq)
	if err != nil {
		return err
	}
	named := map[int64]bool{}
	for _, id := range tp.Training.ResidentIDs {
		named[id] = true
	}
	for _, f := range found {
		if !named[f.ID] {
			tp.Found = append(tp.Found, f)
		}
	}
	return nil
}

// trainingShow shows a training and who attended; viewing the names of
// the residents trained is audited like any list of residents.
func (s *Server) trainingShow(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.training")
	tp, ok := s.loadTraining(w, r, p)
	if !ok {
		return
	}
	if err := s.searchTrainees(r, tp, r.URL.Query().Get("q")); err != nil {
		s.fail(w, p, err)
		return
	}
	if len(tp.Named) > 0 || len(tp.Found) > 0 {
		if err := s.Store.Audit(r.Context(), actorOf(r), store.AuditEntry{Action: "view", Entity: "training", EntityID: strconv.FormatInt(tp.Training.ID, 10), UnitID: tp.Team.UnitID}); err != nil {
			s.fail(w, p, err)
			return
		}
	}
	s.render(w, http.StatusOK, "training", tp)
}

// traineesAdd names the ticked residents as trained.
func (s *Server) traineesAdd(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.training")
	tp, ok := s.loadTraining(w, r, p)
	if !ok {
		return
	}
	var ids []int64
	for _, v := range r.PostForm["residents"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			ids = append(ids, -1) // refused by the store as not a resident of the village
			continue
		}
		ids = append(ids, id)
	}
	_, err := s.Store.AddTrainees(r.Context(), actorOf(r), tp.Training.ID, ids)
	if err == nil {
		http.Redirect(w, r, "/trainings/"+strconv.FormatInt(tp.Training.ID, 10), http.StatusSeeOther)
		return
	}
	if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND {
		s.fail(w, p, err)
		return
	}
	fieldErr(s, p.Lang, tp.Errors, err, "residents")
	if serr := s.searchTrainees(r, tp, r.PostFormValue("q")); serr != nil {
		s.fail(w, p, serr)
		return
	}
	s.render(w, http.StatusUnprocessableEntity, "training", tp)
}
