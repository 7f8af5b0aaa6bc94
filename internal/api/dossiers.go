package api

import (
	"net/http"
	"sort"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/store"
)

type procedureJSON struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	Sector         string   `json:"sector"`
	Field          string   `json:"field"`
	Agency         string   `json:"agency"`
	Portal         string   `json:"portal"`
	FullyOnline    bool     `json:"fully_online"`
	Documents      []string `json:"documents"`
	Fee            string   `json:"fee"`
	ProcessingDays int      `json:"processing_days"`
}

// procedures: GET /api/v1/procedures — the catalogue (public).
func (a *API) procedures(w http.ResponseWriter, r *http.Request) {
	ps, err := a.Store.Procedures(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]procedureJSON, 0, len(ps))
	for _, p := range ps {
		docs := p.Documents
		if docs == nil {
			docs = []string{}
		}
		items = append(items, procedureJSON{Code: p.Code, Name: p.Name, Sector: p.Sector, Field: p.Field, Agency: p.Agency, Portal: p.Portal,
			FullyOnline: p.FullyOnline, Documents: docs, Fee: p.Fee, ProcessingDays: p.ProcessingDays})
	}
	a.write(w, http.StatusOK, list{Items: items, Next: nil})
}

type dossierJSON struct {
	ID            int64       `json:"id"`
	VillageCode   string      `json:"village_code"`
	Procedure     string      `json:"procedure"`
	ApplicantName string      `json:"applicant_name"`
	Practice      bool        `json:"practice"`
	Portal        string      `json:"portal"`
	PortalCode    *string     `json:"portal_code"`
	LookupCode    string      `json:"lookup_code"`
	State         string      `json:"state"`
	Step          int         `json:"step"`
	ReceivedOn    domain.Date `json:"received_on"`
	SubmittedOn   domain.Date `json:"submitted_on"`
	CollectedOn   domain.Date `json:"collected_on"`
	ReturnedOn    domain.Date `json:"returned_on"`
	Allowed       []string    `json:"allowed"`
	Version       int         `json:"version"`
	Linked        []string    `json:"linked"`
	MemberID      *int64      `json:"member_id"`
	HelperIDs     []int64     `json:"helper_ids"`
	Overdue       bool        `json:"overdue"`
}

func (a *API) dossierJSON(r *http.Request, d domain.Dossier, off map[domain.Date]domain.DayOff) (dossierJSON, error) {
	p, err := a.Store.ProcedureByID(r.Context(), d.ProcedureID)
	if err != nil {
		return dossierJSON{}, err
	}
	allowed := []string{}
	for _, x := range domain.Allowed(d.State, p.FullyOnline) {
		allowed = append(allowed, string(x))
	}
	linked := []string{}
	for _, pid := range d.Linked {
		lp, err := a.Store.ProcedureByID(r.Context(), pid)
		if err != nil {
			return dossierJSON{}, err
		}
		linked = append(linked, lp.Code)
	}
	var member *int64
	if d.MemberID != 0 {
		member = &d.MemberID
	}
	helpers := append([]int64{}, d.HelperIDs...)
	overdue := domain.Overdue(d, p.ProcessingDays, domain.DateOf(a.Now()), off)
	return dossierJSON{Linked: linked, MemberID: member, HelperIDs: helpers, Overdue: overdue, ID: d.ID, VillageCode: a.villageCode(r, d.VillageID), Procedure: p.Code, ApplicantName: d.ApplicantName, Practice: d.Practice,
		Portal: d.Portal, PortalCode: optional(d.PortalCode), LookupCode: d.LookupCode, State: string(d.State), Step: d.State.Step(),
		ReceivedOn: d.ReceivedOn, SubmittedOn: d.SubmittedOn, CollectedOn: d.CollectedOn, ReturnedOn: d.ReturnedOn, Allowed: allowed, Version: d.Version}, nil
}

type dossierInput struct {
	VillageCode    string      `json:"village_code"`
	Procedure      string      `json:"procedure"`
	ApplicantID    int64       `json:"applicant_id"`
	ApplicantName  string      `json:"applicant_name"`
	ApplicantPhone string      `json:"applicant_phone"`
	SubjectName    string      `json:"subject_name"`
	Practice       bool        `json:"practice"`
	ReceivedOn     domain.Date `json:"received_on"`
	Note           string      `json:"note"`
	Linked         []string    `json:"linked"`
	MemberID       int64       `json:"member_id"`
	HelperIDs      []int64     `json:"helper_ids"`
}

// dossierCreate: POST /api/v1/dossiers — receive a dossier (step 1).
func (a *API) dossierCreate(w http.ResponseWriter, r *http.Request) {
	var in dossierInput
	if err := decode(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Store.UnitAt(r.Context(), in.VillageCode, domain.DateOf(a.Now()))
	if err != nil || v.Level != domain.LevelVillage {
		a.fail(w, r, domain.Errorf(domain.EINVALID, "household.village_invalid").WithField("village_code"))
		return
	}
	d, err := a.Store.ReceiveDossier(r.Context(), actorOf(r), store.NewDossier{VillageID: v.ID, ProcedureCode: in.Procedure, ApplicantID: in.ApplicantID,
		ApplicantName: in.ApplicantName, ApplicantPhone: in.ApplicantPhone, SubjectName: in.SubjectName, Practice: in.Practice, ReceivedOn: in.ReceivedOn, Note: in.Note, Linked: in.Linked,
		MemberID: in.MemberID, HelperIDs: in.HelperIDs})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.writeDossier(w, r, http.StatusCreated, d)
}

// dossierGet: GET /api/v1/dossiers/{id}.
func (a *API) dossierGet(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d, err := a.Store.Dossier(r.Context(), actorOf(r).Scope(domain.PermDossierEdit), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.writeDossier(w, r, http.StatusOK, d)
}

type stepInput struct {
	Action     string      `json:"action"`
	On         domain.Date `json:"on"`
	Note       string      `json:"note"`
	PortalCode string      `json:"portal_code"`
	Version    int         `json:"version"`
}

// dossierStep: POST /api/v1/dossiers/{id}/steps — advance or send back.
func (a *API) dossierStep(w http.ResponseWriter, r *http.Request) {
	var in stepInput
	if err := decode(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	if in.Version == 0 {
		a.fail(w, r, domain.Errorf(domain.EINVALID, "api.version_missing").WithField("version"))
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d, err := a.Store.AdvanceDossier(r.Context(), actorOf(r), store.Step{DossierID: id, Version: in.Version, Action: domain.DossierAction(in.Action),
		On: in.On, Note: in.Note, PortalCode: in.PortalCode})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.writeDossier(w, r, http.StatusOK, d)
}

// villageDossiers: GET /api/v1/villages/{code}/dossiers?state=… — the work
// queue (oldest step first); without state, the open ones.
func (a *API) villageDossiers(w http.ResponseWriter, r *http.Request) {
	v, err := a.Store.UnitAt(r.Context(), r.PathValue("code"), domain.DateOf(a.Now()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	states := []domain.DossierState{domain.StateReceived, domain.StateSubmitted, domain.StateProcessing, domain.StateCorrection, domain.StateCollected}
	if q := r.URL.Query()["state"]; len(q) > 0 {
		states = nil
		for _, x := range q {
			valid := false
			for _, s := range domain.DossierStates {
				valid = valid || string(s) == x
			}
			if !valid {
				a.fail(w, r, domain.Errorf(domain.EINVALID, "api.state_invalid", "value", x).WithField("state"))
				return
			}
			states = append(states, domain.DossierState(x))
		}
	}
	var member int64
	if m := r.URL.Query().Get("member"); m != "" {
		if member, err = strconv.ParseInt(m, 10, 64); err != nil || member <= 0 {
			a.fail(w, r, domain.Errorf(domain.EINVALID, "api.member_invalid", "value", m).WithField("member"))
			return
		}
	}
	ds, err := a.Store.Dossiers(r.Context(), actorOf(r).Scope(domain.PermDossierEdit), store.DossierQuery{VillageID: v.ID, States: states, MemberID: member, Limit: 1000})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	off, err := a.daysOff(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]dossierJSON, 0, len(ds))
	for _, d := range ds {
		j, err := a.dossierJSON(r, d, off)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		items = append(items, j)
	}
	// Overdue first, then what has waited longest (the store's order), as
	// the web queue.
	sort.SliceStable(items, func(i, j int) bool { return items[i].Overdue && !items[j].Overdue })
	a.write(w, http.StatusOK, list{Items: items, Next: nil})
}

// daysOff reads the days off around today, for the overdue rules.
func (a *API) daysOff(r *http.Request) (map[domain.Date]domain.DayOff, error) {
	today := domain.DateOf(a.Now())
	days, err := a.Store.DaysOff(r.Context(), today.AddDays(-400), today.AddDays(60))
	if err != nil {
		return nil, err
	}
	return store.DayOffMap(days), nil
}

// writeDossier answers with one dossier as JSON.
func (a *API) writeDossier(w http.ResponseWriter, r *http.Request, status int, d domain.Dossier) {
	off, err := a.daysOff(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out, err := a.dossierJSON(r, d, off)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.write(w, status, out)
}
