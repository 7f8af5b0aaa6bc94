package api

import (
	"net/http"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// unitStatsJSON is the machine-readable twin of a unit's dashboard: the
// field names of issue #9, then more.
type unitStatsJSON struct {
	Unit                     unitRef        `json:"unit"`
	At                       domain.Date    `json:"at"`
	Attribution              string         `json:"attribution"`
	Communes                 int            `json:"communes"`
	CommunesWithSmartVillage int            `json:"communes_with_smart_village"`
	SmartVillages            int            `json:"smart_villages"`
	Teams                    int            `json:"teams"`
	TeamsWithDossiers        int            `json:"teams_with_dossiers"`
	TeamMembers              int            `json:"team_members"`
	CommunityTeamMembers     int            `json:"community_team_members"`
	Dossiers                 int            `json:"dossiers"`
	PracticeDossiers         int            `json:"practice_dossiers"`
	BySector                 map[string]int `json:"dossiers_by_sector"`
	ByField                  map[string]int `json:"dossiers_by_field"`
	ByProcedure              map[string]int `json:"dossiers_by_procedure"`
	ByPortal                 map[string]int `json:"dossiers_by_portal"`
	ByMonth                  map[string]int `json:"dossiers_by_month"`
	OverdueDossiers          int            `json:"overdue_dossiers"`
	Residents14              int            `json:"residents_14plus"`
	Accounts                 int            `json:"public_service_accounts"`
	AccountRate              float64        `json:"public_service_account_rate"`
	AccountTarget            *float64       `json:"public_service_account_target"`
	Adults18                 int            `json:"adults_18plus"`
	Smartphones              int            `json:"smartphones_18plus"`
	SmartphoneRate           float64        `json:"smartphone_rate"`
	Households               int            `json:"households"`
	HouseholdsBank           int            `json:"households_with_bank_account"`
	HouseholdBankRate        float64        `json:"household_bank_rate"`
	HouseholdsZalo           int            `json:"households_in_zalo_group"`
	HouseholdZaloRate        float64        `json:"household_zalo_rate"`
	VillagesAssessed         int            `json:"villages_assessed"`
	VillagesPassed           int            `json:"villages_passed"`
}

// attribution reads ?attribution=as_was|current (as_was by default).
func attribution(r *http.Request) (bool, error) {
	switch v := r.URL.Query().Get("attribution"); v {
	case "", "as_was":
		return false, nil
	case "current":
		return true, nil
	default:
		return false, domain.Errorf(domain.EINVALID, "api.attribution_invalid", "value", v).WithField("attribution")
	}
}

// unitStats: GET /api/v1/units/{code}/stats?at=&attribution= — public:
// aggregates only, never a name or a phone (the public board shows them).
// As it was, the code resolves on at; re-attributed, it resolves today
// (a unit gone today is a 404).
func (a *API) unitStats(w http.ResponseWriter, r *http.Request) {
	at, err := a.statsAt(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	current, err := attribution(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	on := at
	if current {
		on = domain.DateOf(a.Now())
	}
	u, err := a.Store.UnitAt(r.Context(), r.PathValue("code"), on)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	st, err := a.Store.Stats(r.Context(), u.ID, at, current)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	target, err := a.accountTarget(r, u.ID, at)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := statsJSON(st, target)
	out.Unit = unitRef{Code: u.Code, Name: u.Name, Level: u.Level}
	out.At, out.Attribution = at, "as_was"
	if current {
		out.Attribution = "current"
	}
	a.write(w, http.StatusOK, out)
}

func statsJSON(st store.UnitStats, target *float64) unitStatsJSON {
	f := st.Figures
	nonNil := func(m map[string]int) map[string]int {
		if m == nil {
			return map[string]int{}
		}
		return m
	}
	return unitStatsJSON{Communes: st.Communes, CommunesWithSmartVillage: st.CommunesWithSmartVillage, SmartVillages: st.SmartVillages,
		Teams: st.Teams, TeamsWithDossiers: st.TeamsWithDossiers, TeamMembers: st.TeamMembers, CommunityTeamMembers: st.CommunityTeamMembers,
		Dossiers: st.Dossiers, PracticeDossiers: st.PracticeDossiers, BySector: nonNil(st.BySector), ByField: nonNil(st.ByField),
		ByProcedure: nonNil(st.ByProcedure), ByPortal: nonNil(st.ByPortal), ByMonth: nonNil(st.ByMonth), OverdueDossiers: st.Overdue,
		Residents14: f.Aged14, Accounts: f.Accounts14, AccountRate: store.Rate(f.Accounts14, f.Aged14), AccountTarget: target,
		Adults18: f.Adults18, Smartphones: f.Smartphone18, SmartphoneRate: store.Rate(f.Smartphone18, f.Adults18),
		Households: f.Households, HouseholdsBank: f.HouseholdsBank, HouseholdBankRate: store.Rate(f.HouseholdsBank, f.Households),
		HouseholdsZalo: f.HouseholdsZalo, HouseholdZaloRate: store.Rate(f.HouseholdsZalo, f.Households),
		VillagesAssessed: st.Attainment.Assessed, VillagesPassed: st.Attainment.Passed}
}

type villageStatsJSON struct {
	Village           villageItem    `json:"village"`
	At                domain.Date    `json:"at"`
	TeamMembers       int            `json:"team_members"`
	Dossiers          int            `json:"dossiers"`
	PracticeDossiers  int            `json:"practice_dossiers"`
	BySector          map[string]int `json:"dossiers_by_sector"`
	ByField           map[string]int `json:"dossiers_by_field"`
	ByMonth           map[string]int `json:"dossiers_by_month"`
	OverdueDossiers   int            `json:"overdue_dossiers"`
	Residents14       int            `json:"residents_14plus"`
	Accounts          int            `json:"public_service_accounts"`
	AccountRate       float64        `json:"public_service_account_rate"`
	AccountTarget     *float64       `json:"public_service_account_target"`
	SmartphoneRate    float64        `json:"smartphone_rate"`
	HouseholdBankRate float64        `json:"household_bank_rate"`
	HouseholdZaloRate float64        `json:"household_zalo_rate"`
	SmartVillage      bool           `json:"smart_village"`
}

// villageStats: GET /api/v1/villages/{code-or-slug}/stats?at= — public, as
// the village's page and board are.
func (a *API) villageStats(w http.ResponseWriter, r *http.Request) {
	at, err := a.statsAt(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ref := r.PathValue("code")
	var v domain.Unit
	if strings.HasPrefix(ref, "T") && len(ref) == 7 {
		v, err = a.Store.UnitAt(r.Context(), ref, at)
	} else {
		v, _, err = a.Store.VillageBySlug(r.Context(), strings.ToLower(ref), at)
	}
	if err == nil && v.Level != domain.LevelVillage {
		err = domain.Errorf(domain.ENOTFOUND, "unit.not_found")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if v.Parent == nil {
		if full, err := a.Store.UnitByID(r.Context(), v.ID, at); err == nil {
			v = full
		}
	}
	st, err := a.Store.Stats(r.Context(), v.ID, at, false)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	target, err := a.accountTarget(r, v.ID, at)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	j := statsJSON(st, target)
	item := villageItem{Code: v.Code, Slug: v.Slug, Name: v.Name}
	if v.Parent != nil {
		item.Commune = &communeRef{Code: v.Parent.Code, Name: v.Parent.Name}
	}
	a.write(w, http.StatusOK, villageStatsJSON{Village: item, At: at, TeamMembers: j.TeamMembers, Dossiers: j.Dossiers, PracticeDossiers: j.PracticeDossiers,
		BySector: j.BySector, ByField: j.ByField, ByMonth: j.ByMonth, OverdueDossiers: j.OverdueDossiers, Residents14: j.Residents14, Accounts: j.Accounts,
		AccountRate: j.AccountRate, AccountTarget: target, SmartphoneRate: j.SmartphoneRate, HouseholdBankRate: j.HouseholdBankRate,
		HouseholdZaloRate: j.HouseholdZaloRate, SmartVillage: st.SmartVillages > 0})
}

// statsAt reads ?at= and refuses a day before the model's first day in
// this database: there are no figures to give.
func (a *API) statsAt(r *http.Request) (domain.Date, error) {
	at, err := a.at(r)
	if err != nil {
		return at, err
	}
	since, err := a.Store.DataSince(r.Context())
	if err != nil {
		return at, err
	}
	if !since.IsZero() && at.Before(since) {
		return at, domain.Errorf(domain.EINVALID, "stats.before_data", "date", at, "since", since).WithField("at")
	}
	return at, nil
}
