package web

import (
	"context"
	"net/http"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// provRow is one record behind a computed value, as the viewer may see it.
type provRow struct {
	Label  string // a name (residents only for who may see them), a household number, a procedure
	Detail string // birth year, head of household, date
	URL    string
	In     bool
}

// provenancePage lists the records behind one computed value: those
// counted, then the rest of the base.
type provenancePage struct {
	*Page
	Village   domain.Unit
	Indicator domain.Indicator
	Value     string
	Basis     string
	Counted   []provRow
	Others    []provRow
	Hidden    bool // names not shown: the viewer may not see residents
	Frozen    *store.Assessment
	Back      string
}

// describe turns provenance rows into lines the viewer may see; residents'
// names only with resident:view on the village, else masked.
func (s *Server) describe(ctx context.Context, a *domain.Actor, v domain.Unit, rows []store.ProvRow, lang string) (in, out []provRow, hidden bool, err error) {
	names, _ := s.Store.Covers(ctx, a.Scope(domain.PermResidentView), v.ID)
	dossiers, _ := s.Store.Covers(ctx, a.Scope(domain.PermDossierEdit), v.ID)
	procs := map[int64]string{}
	for _, r := range rows {
		var pr provRow
		switch r.Kind {
		case "resident":
			res, err := s.Store.Resident(ctx, domain.Scope{All: true}, r.ID)
			if err != nil {
				return nil, nil, false, err
			}
			pr.Label, pr.Detail = res.FullName, strconv.Itoa(res.BirthDate.Year())
			if !names {
				pr.Label, hidden = domain.MaskName(res.FullName), true
			} else {
				pr.URL = "/residents/" + strconv.FormatInt(res.ID, 10)
			}
		case "household":
			h, err := s.Store.Household(ctx, domain.Scope{All: true}, r.ID)
			if err != nil {
				return nil, nil, false, err
			}
			pr.Label = h.Number
			if names {
				pr.URL = "/households/" + strconv.FormatInt(h.ID, 10)
				if h.HeadID != 0 {
					if head, err := s.Store.Resident(ctx, domain.Scope{All: true}, h.HeadID); err == nil {
						pr.Detail = head.FullName
					}
				}
			}
		case "member":
			m, err := s.Store.MemberByID(ctx, r.ID)
			if err != nil {
				return nil, nil, false, err
			}
			pr.Label, pr.Detail = m.FullName, string(m.Role)
		case "dossier":
			d, err := s.Store.Dossier(ctx, domain.Scope{All: true}, r.ID)
			if err != nil {
				return nil, nil, false, err
			}
			if _, ok := procs[d.ProcedureID]; !ok {
				if p, err := s.Store.ProcedureByID(ctx, d.ProcedureID); err == nil {
					procs[d.ProcedureID] = p.Name
				}
			}
			pr.Label, pr.Detail = procs[d.ProcedureID], d.ReceivedOn.VN()
			if dossiers {
				pr.URL = "/dossiers/" + strconv.FormatInt(d.ID, 10)
			}
		case "training":
			t, err := s.Store.Training(ctx, r.ID)
			if err != nil {
				return nil, nil, false, err
			}
			pr.Label, pr.Detail = t.Topic, t.On.VN()
		case "wifi", "equipment":
			pr.Label, pr.Detail = s.infraLine(ctx, v, r, lang)
		default:
			continue
		}
		pr.In = r.In
		if r.In {
			in = append(in, pr)
		} else {
			out = append(out, pr)
		}
	}
	return in, out, hidden, nil
}

// scorecardRows: GET /villages/{code}/scorecard/{indicator}?at= — the
// records behind a live value. Audited: it lists residents.
func (s *Server) scorecardRows(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.provenance")
	v, ok := s.reportVillage(w, r, p)
	if !ok {
		return
	}
	ctx := r.Context()
	cs, ok, err := s.Store.SetInForce(ctx, v.ID, p.At)
	if err == nil && !ok {
		err = domain.Errorf(domain.ENOTFOUND, "assessment.no_set", "date", p.At)
	}
	if err != nil {
		s.fail(w, p, err)
		return
	}
	in, found := indicatorByCode(cs, r.PathValue("indicator"))
	if !found || in.Source != domain.SourceComputed {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "criteria.indicator_not_found"))
		return
	}
	c := store.CompInput{VillageID: v.ID, At: p.At, From: cs.From, Param: in.Param}
	m, err := s.Store.Compute(ctx, in.Computation, c)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	rows, err := s.Store.ComputeRows(ctx, in.Computation, c)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	pp := &provenancePage{Page: p, Village: v, Indicator: in, Back: "/villages/" + v.Code + "/scorecard?at=" + p.At.VN()}
	s.showProvenance(w, r, pp, m, rows)
}

// assessmentRows: GET /assessments/{id}/rows/{indicator} — the records
// behind a value as frozen when the assessment was made.
func (s *Server) assessmentRows(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.provenance")
	ap, ok := s.loadAssessment(w, r, p)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("indicator"), 10, 64)
	var in domain.Indicator
	found := false
	for _, x := range ap.Set.Indicators {
		if x.ID == id && x.Source == domain.SourceComputed {
			in, found = x, true
		}
	}
	if !found {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "criteria.indicator_not_found"))
		return
	}
	rows, err := s.Store.AssessmentRows(r.Context(), ap.Assessment.ID, in.ID)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	p.At = ap.Assessment.AsOf
	pp := &provenancePage{Page: p, Village: ap.Village, Indicator: in, Frozen: &ap.Assessment, Back: "/assessments/" + strconv.FormatInt(ap.Assessment.ID, 10)}
	s.showProvenance(w, r, pp, ap.Assessment.Values[in.ID].Measure, rows)
}

func (s *Server) showProvenance(w http.ResponseWriter, r *http.Request, pp *provenancePage, m domain.Measure, rows []store.ProvRow) {
	p := pp.Page
	a := actorOf(r)
	var err error
	if pp.Counted, pp.Others, pp.Hidden, err = s.describe(r.Context(), a, pp.Village, rows, p.Lang); err != nil {
		s.fail(w, p, err)
		return
	}
	pp.Value, pp.Basis = p.valueText(pp.Indicator, m)
	if err := s.Store.Audit(r.Context(), a, store.AuditEntry{Action: "view", Entity: "provenance", EntityID: pp.Indicator.Code, UnitID: pp.Village.ID}); err != nil {
		s.fail(w, p, err)
		return
	}
	p.Title = p.T("ui.provenance_of", "code", pp.Indicator.Code, "village", pp.Village.Name)
	p.Breadcrumb = []Crumb{{Name: pp.Village.Name, URL: p.UnitURL(pp.Village.Code)}, {Name: p.T("ui.scorecard"), URL: pp.Back}, {Name: p.T("ui.indicator") + " " + pp.Indicator.Code}}
	s.render(w, http.StatusOK, "provenance", pp)
}

func indicatorByCode(cs domain.CriteriaSet, code string) (domain.Indicator, bool) {
	for _, in := range cs.Indicators {
		if in.Code == code {
			return in, true
		}
	}
	return domain.Indicator{}, false
}

// infraLine describes a Wi-Fi point or a piece of equipment of the village
// (any date: the record may have ended since).
func (s *Server) infraLine(ctx context.Context, v domain.Unit, r store.ProvRow, lang string) (label, detail string) {
	if r.Kind == "wifi" {
		ws, _ := s.Store.WifiPoints(ctx, v.ID, domain.Date{})
		for _, w := range ws {
			if w.ID == r.ID {
				return w.Place, w.Provider + " · " + w.Since.VN()
			}
		}
		return "Wi-Fi", ""
	}
	es, _ := s.Store.Equipment(ctx, v.ID, domain.Date{})
	for _, e := range es {
		if e.ID == r.ID {
			return s.Cat.T(lang, "equipment.kind."+string(e.Kind), nil), e.Detail + " · " + e.Since.VN()
		}
	}
	return "", ""
}
