package api

import (
	"net/http"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

type offlineProc struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Documents []string `json:"documents"`
}

type offlineDossier struct {
	ID         int64    `json:"id"`
	Procedure  string   `json:"procedure"`
	Applicant  string   `json:"applicant"`
	State      string   `json:"state"`
	Step       int      `json:"step"`
	Version    int      `json:"version"`
	LookupCode string   `json:"lookup_code"`
	Allowed    []string `json:"allowed"`
	LastStepOn string   `json:"last_step_on"`
}

// offlineResident is a resident as the phone keeps them: enough to find
// them and correct their name, birth date and digital adoption (the dates
// the team records in the field), never their phone or CCCD.
type offlineResident struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	BirthYear  int    `json:"birth_year"`
	Birth      string `json:"birth,omitempty"`
	Version    int    `json:"version"`
	Smartphone string `json:"smartphone,omitempty"`
	VNeID      string `json:"vneid,omitempty"`
	Portal     string `json:"portal,omitempty"`
	Bank       string `json:"bank,omitempty"`
}

// offlineTeam is the village team with its members on the day, for a
// session logged on the phone.
type offlineTeam struct {
	ID      int64           `json:"id"`
	Name    string          `json:"name"`
	Members []offlineMember `json:"members"`
}

type offlineMember struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// offlineHousehold is a household as the phone keeps it: enough to add a
// resident to it and to correct what the team records in the field.
type offlineHousehold struct {
	ID      int64  `json:"id"`
	Number  string `json:"number"`
	HeadID  int64  `json:"head_id,omitempty"` // among the residents, for "số hộ — chủ hộ"
	Hamlet  string `json:"hamlet,omitempty"`
	Address string `json:"address,omitempty"`
	Bank    string `json:"bank,omitempty"`
	Zalo    string `json:"zalo,omitempty"`
	Version int    `json:"version"`
}

type offlineSession struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Place string `json:"place"`
}

type offlineJSON struct {
	Village    villageItem        `json:"village"`
	AsOf       time.Time          `json:"as_of"`
	Procedures []offlineProc      `json:"procedures"`
	Queue      []offlineDossier   `json:"queue"`
	Sessions   []offlineSession   `json:"sessions"`
	Residents  []offlineResident  `json:"residents"`
	Households []offlineHousehold `json:"households"`
	Team       *offlineTeam       `json:"team"`
}

// offlineData: GET /api/v1/offline/{code} — what a member's phone keeps
// for working without a connection: the catalogue, the village's open
// dossiers, the team's next sessions and the residents (names and birth
// years only: phones and CCCD never leave the server). Audited: who took
// which village's list.
func (a *API) offlineData(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := actorOf(r)
	today := domain.DateOf(a.Now())
	v, err := a.Store.UnitAt(ctx, r.PathValue("code"), today)
	if err == nil && v.Level != domain.LevelVillage {
		err = domain.Errorf(domain.ENOTFOUND, "unit.not_found")
	}
	if err == nil {
		var ok bool
		if ok, err = a.Store.Covers(ctx, actor.Scope(domain.PermDossierEdit), v.ID); err == nil && !ok {
			err = domain.Errorf(domain.ENOTFOUND, "unit.not_found")
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := offlineJSON{Village: villageItem{Code: v.Code, Slug: v.Slug, Name: v.Name}, AsOf: a.Now(), Procedures: []offlineProc{}, Queue: []offlineDossier{},
		Sessions: []offlineSession{}, Residents: []offlineResident{}, Households: []offlineHousehold{}}
	ps, err := a.Store.Procedures(ctx)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	codes := map[int64]domain.Procedure{}
	for _, p := range ps {
		codes[p.ID] = p
		if p.RetiredOn.IsZero() {
			out.Procedures = append(out.Procedures, offlineProc{Code: p.Code, Name: p.Name, Documents: append([]string{}, p.Documents...)})
		}
	}
	ds, err := a.Store.Dossiers(ctx, actor.Scope(domain.PermDossierEdit), store.DossierQuery{VillageID: v.ID, Limit: 500,
		States: []domain.DossierState{domain.StateReceived, domain.StateSubmitted, domain.StateProcessing, domain.StateCorrection, domain.StateCollected}})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, d := range ds {
		p := codes[d.ProcedureID]
		allowed := []string{}
		for _, x := range domain.Allowed(d.State, p.FullyOnline) {
			allowed = append(allowed, string(x))
		}
		out.Queue = append(out.Queue, offlineDossier{ID: d.ID, Procedure: p.Name, Applicant: d.ApplicantName, State: string(d.State), Step: d.State.Step(),
			Version: d.Version, LookupCode: d.LookupCode, Allowed: allowed, LastStepOn: d.LastStepOn.String()})
	}
	if teams, err := a.Store.TeamsOf(ctx, v.ID, today); err == nil && len(teams) > 0 {
		slots, _ := a.Store.Slots(ctx, teams[0].ID)
		exc, _ := a.Store.Exceptions(ctx, teams[0].ID)
		for _, o := range domain.Sessions(slots, exc, today, today.AddDays(14)) {
			out.Sessions = append(out.Sessions, offlineSession{Start: o.Start.Format(time.RFC3339), End: o.End.Format(time.RFC3339), Place: o.Place})
		}
		out.Team = &offlineTeam{ID: teams[0].ID, Name: teams[0].Name, Members: []offlineMember{}}
		if ms, err := a.Store.Members(ctx, teams[0].ID, today); err == nil {
			for _, m := range ms {
				out.Team.Members = append(out.Team.Members, offlineMember{ID: m.ID, Name: m.FullName})
			}
		}
	}
	for cursor := ""; ; {
		people, next, err := a.Store.Residents(ctx, actor.Scope(domain.PermResidentView), store.ResidentQuery{VillageID: v.ID, At: today, Limit: 1000, After: cursor})
		if err != nil {
			a.fail(w, r, err)
			return
		}
		for _, p := range people {
			o := offlineResident{ID: p.ID, Name: p.FullName, BirthYear: p.BirthDate.Year(), Version: p.Version,
				Smartphone: since(p.Smartphone), VNeID: since(p.VNeID), Portal: since(p.Portal), Bank: since(p.PersonalBank)}
			if !p.YearOnly {
				o.Birth = p.BirthDate.String()
			}
			out.Residents = append(out.Residents, o)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	hs, err := a.Store.Households(ctx, actor.Scope(domain.PermResidentView), v.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, h := range hs {
		out.Households = append(out.Households, offlineHousehold{ID: h.ID, Number: h.Number, HeadID: h.HeadID, Hamlet: h.Hamlet, Address: h.Address,
			Bank: since(h.Bank), Zalo: since(h.Zalo), Version: h.Version})
	}
	// The copy has one purpose, fixed by what it is for (helping residents
	// with their dossiers while offline): it is audited with it (#11).
	if err := a.Store.Audit(ctx, actor, store.AuditEntry{Action: "offline_download", Entity: "village", EntityID: v.Code, UnitID: v.ID, Purpose: "support"}); err != nil {
		a.fail(w, r, err)
		return
	}
	a.write(w, http.StatusOK, out)
}

// since is an adoption's date as the phone's date fields want it, "" when none.
func since(a domain.Adoption) string {
	if a.Since.IsZero() {
		return ""
	}
	return a.Since.String()
}
