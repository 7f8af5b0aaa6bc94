package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

type adoptionJSON struct {
	Since  domain.Date `json:"since"`
	Helped bool        `json:"helped"`
}

type residentJSON struct {
	ID                   int64        `json:"id"`
	HouseholdID          int64        `json:"household_id"`
	VillageCode          string       `json:"village_code"`
	FullName             string       `json:"full_name"`
	BirthDate            domain.Date  `json:"birth_date"`
	BirthYearOnly        bool         `json:"birth_year_only"`
	Sex                  domain.Sex   `json:"sex"`
	Phone                *string      `json:"phone"`
	CCCD                 *string      `json:"cccd"`
	Masked               bool         `json:"masked"`
	Relation             string       `json:"relation"`
	MovedIn              domain.Date  `json:"moved_in"`
	LeftOn               domain.Date  `json:"left_on"`
	LeftReason           *string      `json:"left_reason"`
	Smartphone           adoptionJSON `json:"smartphone"`
	VNeID                adoptionJSON `json:"vneid"`
	Portal               adoptionJSON `json:"portal"`
	Bank                 adoptionJSON `json:"bank"`
	PublicServiceAccount adoptionJSON `json:"public_service_account"`
	Version              int          `json:"version"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toResidentJSON(r domain.Resident, village string, reveal bool) residentJSON {
	phone, cccd := domain.Mask(r.Phone), domain.Mask(r.CCCD)
	if reveal {
		phone, cccd = r.Phone, r.CCCD
	}
	acc := r.Account()
	return residentJSON{ID: r.ID, HouseholdID: r.HouseholdID, VillageCode: village, FullName: r.FullName, BirthDate: r.BirthDate, BirthYearOnly: r.YearOnly,
		Sex: r.Sex, Phone: optional(phone), CCCD: optional(cccd), Masked: !reveal, Relation: string(r.Relation), MovedIn: r.MovedIn, LeftOn: r.LeftOn,
		LeftReason: optional(string(r.LeftReason)), Smartphone: adoptionJSON(r.Smartphone), VNeID: adoptionJSON(r.VNeID), Portal: adoptionJSON(r.Portal),
		Bank: adoptionJSON(r.PersonalBank), PublicServiceAccount: adoptionJSON(acc), Version: r.Version}
}

// residentInput is the body of POST /api/v1/residents and PATCH
// /api/v1/residents/{id}: the full record (PATCH also carries version).
type residentInput struct {
	HouseholdID   int64        `json:"household_id"`
	FullName      string       `json:"full_name"`
	BirthDate     domain.Date  `json:"birth_date"`
	BirthYearOnly bool         `json:"birth_year_only"`
	Sex           domain.Sex   `json:"sex"`
	Phone         *string      `json:"phone"`
	CCCD          *string      `json:"cccd"`
	Relation      string       `json:"relation"`
	MovedIn       domain.Date  `json:"moved_in"`
	LeftOn        domain.Date  `json:"left_on"`
	LeftReason    string       `json:"left_reason"`
	Smartphone    adoptionJSON `json:"smartphone"`
	VNeID         adoptionJSON `json:"vneid"`
	Portal        adoptionJSON `json:"portal"`
	Bank          adoptionJSON `json:"bank"`
	Version       int          `json:"version"`
}

func (in residentInput) resident() domain.Resident {
	b := in.BirthDate
	if in.BirthYearOnly && !b.IsZero() {
		b = domain.NewDate(b.Year(), time.January, 1)
	}
	return domain.Resident{HouseholdID: in.HouseholdID, FullName: in.FullName, BirthDate: b, YearOnly: in.BirthYearOnly, Sex: in.Sex,
		Phone: deref(in.Phone), CCCD: deref(in.CCCD), Relation: domain.Relation(in.Relation), MovedIn: in.MovedIn, LeftOn: in.LeftOn,
		LeftReason: domain.LeftReason(in.LeftReason), Smartphone: domain.Adoption(in.Smartphone), VNeID: domain.Adoption(in.VNeID),
		Portal: domain.Adoption(in.Portal), PersonalBank: domain.Adoption(in.Bank), Version: in.Version}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// unchanged reports whether a PATCH leaves a personal value as stored:
// absent, null, or the masked form a client was shown ("•••• 1234").
func unchanged(s *string) bool { return s == nil || strings.HasPrefix(*s, "•") }

// decode reads a JSON body strictly: unknown fields and trailing data are
// EINVALID with the field named when JSON says which.
func decode(r *http.Request, v any) error {
	// A body sent as a form, text or XML is refused even when it happens
	// to parse as JSON: the client is not speaking this API.
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return domain.Errorf(domain.EINVALID, "api.content_type", "type", ct)
		}
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return domain.Errorf(domain.EINVALID, "api.body_invalid", "reason", "trailing data")
	}
	return nil
}

// jsonError says what is wrong with a JSON body: a value our types refuse
// (a date) as they say it, a field of the wrong type or unknown by name.
func jsonError(err error) error {
	var de *domain.Error
	if errors.As(err, &de) {
		return de
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return domain.Errorf(domain.EINVALID, "api.body_field_invalid", "field", te.Field).WithField(te.Field)
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		f = strings.Trim(f, `"`)
		return domain.Errorf(domain.EINVALID, "api.body_unknown_field", "field", f).WithField(f)
	}
	return domain.Errorf(domain.EINVALID, "api.body_invalid", "reason", msg)
}

func (a *API) villageCode(r *http.Request, id int64) string {
	u, err := a.Store.UnitByID(r.Context(), id, domain.DateOf(a.Now()))
	if err != nil {
		return ""
	}
	return u.Code
}

// revealed checks ?reveal=true&purpose=…: only with resident:view_pii on
// the village, and audited with the purpose.
func (a *API) revealed(r *http.Request, villageID int64, entity string, ids ...int64) (bool, error) {
	if r.URL.Query().Get("reveal") != "true" {
		return false, nil
	}
	act := actorOf(r)
	ok, err := a.Store.Covers(r.Context(), act.Scope(domain.PermResidentViewPII), villageID)
	if err != nil {
		return false, err
	}
	if !ok {
		return false, domain.Errorf(domain.EFORBIDDEN, "auth.forbidden", "permission", string(domain.PermResidentViewPII))
	}
	purpose := r.URL.Query().Get("purpose")
	if !domain.ValidPurpose(purpose) {
		return false, domain.Errorf(domain.EINVALID, "purpose.missing").WithField("purpose")
	}
	for _, id := range ids {
		if err := a.Store.Audit(r.Context(), act, store.AuditEntry{Action: "reveal", Entity: entity, EntityID: strconv.FormatInt(id, 10), UnitID: villageID, Purpose: purpose}); err != nil {
			return false, err
		}
	}
	return true, nil
}

// residentGet: GET /api/v1/residents/{id}[?reveal=true&purpose=…].
func (a *API) residentGet(w http.ResponseWriter, r *http.Request) {
	act := actorOf(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	res, err := a.Store.Resident(r.Context(), act.Scope(domain.PermResidentView), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	reveal, err := a.revealed(r, res.VillageID, "resident", res.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if !reveal {
		if err := a.Store.Audit(r.Context(), act, store.AuditEntry{Action: "view", Entity: "resident", EntityID: strconv.FormatInt(res.ID, 10), UnitID: res.VillageID}); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	a.write(w, http.StatusOK, toResidentJSON(res, a.villageCode(r, res.VillageID), reveal))
}

// villageResidents: GET /api/v1/villages/{code}/residents?q=&at=&limit=&cursor=.
func (a *API) villageResidents(w http.ResponseWriter, r *http.Request) {
	act := actorOf(r)
	at, err := a.at(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	limit, cursor, err := pageLong(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Store.UnitAt(r.Context(), r.PathValue("code"), at)
	if err == nil && v.Level != domain.LevelVillage {
		err = domain.Errorf(domain.ENOTFOUND, "unit.not_found")
	}
	if err == nil {
		var ok bool
		if ok, err = a.Store.Covers(r.Context(), act.Scope(domain.PermResidentView), v.ID); err == nil && !ok {
			err = domain.Errorf(domain.ENOTFOUND, "unit.not_found")
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rq := store.ResidentQuery{VillageID: v.ID, Q: r.URL.Query().Get("q"), At: at, Limit: limit, After: cursor}
	if c := r.URL.Query().Get("cccd"); c != "" {
		// Searching by CCCD needs the personal-data permission, and is audited.
		ok, err := a.Store.Covers(r.Context(), act.Scope(domain.PermResidentViewPII), v.ID)
		if err == nil && !ok {
			err = domain.Errorf(domain.EFORBIDDEN, "auth.forbidden", "permission", string(domain.PermResidentViewPII))
		}
		if err == nil {
			err = a.Store.Audit(r.Context(), act, store.AuditEntry{Action: "search_cccd", Entity: "resident", UnitID: v.ID})
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		rq.CCCD = c
	}
	people, next, err := a.Store.Residents(r.Context(), act.Scope(domain.PermResidentView), rq)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	reveal, err := a.revealed(r, v.ID, "resident", ids...)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]residentJSON, 0, len(people))
	for _, p := range people {
		items = append(items, toResidentJSON(p, v.Code, reveal))
	}
	a.write(w, http.StatusOK, list{Items: items, Next: nextOf(next)})
}

// pageLong is page with a cursor that may be long (a collation key).
func pageLong(r *http.Request) (int, string, error) {
	q := r.URL.Query()
	cursor := q.Get("cursor")
	q.Del("cursor")
	r2 := *r
	u := *r.URL
	u.RawQuery = q.Encode()
	r2.URL = &u
	limit, _, err := page(&r2)
	return limit, cursor, err
}

// residentCreate: POST /api/v1/residents.
func (a *API) residentCreate(w http.ResponseWriter, r *http.Request) {
	var in residentInput
	if err := decode(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	res, err := a.Store.CreateResident(r.Context(), actorOf(r), in.resident())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.write(w, http.StatusCreated, toResidentJSON(res, a.villageCode(r, res.VillageID), false))
}

// residentUpdate: PATCH /api/v1/residents/{id} with the version read.
func (a *API) residentUpdate(w http.ResponseWriter, r *http.Request) {
	var in residentInput
	if err := decode(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	if in.Version == 0 {
		a.fail(w, r, domain.Errorf(domain.EINVALID, "api.version_missing").WithField("version"))
		return
	}
	res := in.resident()
	res.ID, _ = strconv.ParseInt(r.PathValue("id"), 10, 64)
	old, err := a.Store.Resident(r.Context(), actorOf(r).Scope(domain.PermResidentEdit), res.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if res.HouseholdID == 0 {
		res.HouseholdID = old.HouseholdID
	}
	if unchanged(in.Phone) {
		res.Phone = old.Phone
	}
	if unchanged(in.CCCD) {
		res.CCCD = old.CCCD
	}
	out, err := a.Store.UpdateResident(r.Context(), actorOf(r), res)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.write(w, http.StatusOK, toResidentJSON(out, a.villageCode(r, out.VillageID), false))
}

type householdJSON struct {
	ID          int64        `json:"id"`
	VillageCode string       `json:"village_code"`
	Number      string       `json:"number"`
	Hamlet      string       `json:"hamlet"`
	Address     string       `json:"address"`
	HeadID      *int64       `json:"head_id"`
	Bank        adoptionJSON `json:"bank"`
	Zalo        adoptionJSON `json:"zalo"`
	Version     int          `json:"version"`
}

func toHouseholdJSON(h domain.Household, village string) householdJSON {
	var head *int64
	if h.HeadID != 0 {
		head = &h.HeadID
	}
	return householdJSON{ID: h.ID, VillageCode: village, Number: h.Number, Hamlet: h.Hamlet, Address: h.Address, HeadID: head,
		Bank: adoptionJSON(h.Bank), Zalo: adoptionJSON(h.Zalo), Version: h.Version}
}

// villageHouseholds: GET /api/v1/villages/{code}/households.
func (a *API) villageHouseholds(w http.ResponseWriter, r *http.Request) {
	at, err := a.at(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Store.UnitAt(r.Context(), r.PathValue("code"), at)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	hs, err := a.Store.Households(r.Context(), actorOf(r).Scope(domain.PermResidentView), v.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]householdJSON, 0, len(hs))
	for _, h := range hs {
		items = append(items, toHouseholdJSON(h, v.Code))
	}
	a.write(w, http.StatusOK, list{Items: items, Next: nil})
}

type householdInput struct {
	VillageCode string       `json:"village_code"`
	Number      string       `json:"number"`
	Hamlet      string       `json:"hamlet"`
	Address     string       `json:"address"`
	Bank        adoptionJSON `json:"bank"`
	Zalo        adoptionJSON `json:"zalo"`
}

// householdCreate: POST /api/v1/households.
func (a *API) householdCreate(w http.ResponseWriter, r *http.Request) {
	var in householdInput
	if err := decode(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.Store.UnitAt(r.Context(), in.VillageCode, domain.DateOf(a.Now()))
	if err != nil {
		a.fail(w, r, domain.Errorf(domain.EINVALID, "household.village_invalid").WithField("village_code"))
		return
	}
	h, err := a.Store.CreateHousehold(r.Context(), actorOf(r), domain.Household{VillageID: v.ID, Number: in.Number, Hamlet: in.Hamlet, Address: in.Address,
		Bank: domain.Adoption(in.Bank), Zalo: domain.Adoption(in.Zalo)})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.write(w, http.StatusCreated, toHouseholdJSON(h, v.Code))
}

// householdGet: GET /api/v1/households/{id}.
func (a *API) householdGet(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	h, err := a.Store.Household(r.Context(), actorOf(r).Scope(domain.PermResidentView), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.write(w, http.StatusOK, toHouseholdJSON(h, a.villageCode(r, h.VillageID)))
}

type figuresJSON struct {
	At                domain.Date `json:"at"`
	Residents         int         `json:"residents"`
	Aged14            int         `json:"aged_14_plus"`
	Accounts14        int         `json:"public_service_accounts_14_plus"`
	AccountRate       float64     `json:"public_service_account_rate"`
	Adults18          int         `json:"adults_18_plus"`
	Smartphones18     int         `json:"smartphones_18_plus"`
	SmartphoneRate    float64     `json:"smartphone_rate"`
	Households        int         `json:"households"`
	HouseholdsBank    int         `json:"households_with_bank_account"`
	HouseholdBankRate float64     `json:"household_bank_rate"`
	HouseholdsZalo    int         `json:"households_in_zalo_group"`
	HouseholdZaloRate float64     `json:"household_zalo_rate"`
	AccountTarget     *float64    `json:"public_service_account_target"`
}

// unitFigures: GET /api/v1/units/{code}/figures?at= — the registry's
// counts and rates for a unit as it was on the date (report:view).
func (a *API) unitFigures(w http.ResponseWriter, r *http.Request) {
	at, err := a.at(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	u, err := a.Store.UnitAt(r.Context(), r.PathValue("code"), at)
	if err == nil {
		var ok bool
		if ok, err = a.Store.Covers(r.Context(), actorOf(r).Scope(domain.PermReportView), u.ID); err == nil && !ok {
			err = domain.Errorf(domain.ENOTFOUND, "unit.not_found")
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	f, err := a.Store.Figures(r.Context(), u.ID, at)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	target, err := a.accountTarget(r, u.ID, at)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.write(w, http.StatusOK, figuresJSON{AccountTarget: target, At: at, Residents: f.Residents, Aged14: f.Aged14, Accounts14: f.Accounts14, AccountRate: store.Rate(f.Accounts14, f.Aged14),
		Adults18: f.Adults18, Smartphones18: f.Smartphone18, SmartphoneRate: store.Rate(f.Smartphone18, f.Adults18), Households: f.Households,
		HouseholdsBank: f.HouseholdsBank, HouseholdBankRate: store.Rate(f.HouseholdsBank, f.Households), HouseholdsZalo: f.HouseholdsZalo,
		HouseholdZaloRate: store.Rate(f.HouseholdsZalo, f.Households)})
}

// accountTarget is the public-service account target of the criteria set
// in force for the unit on the date (its account-rate indicator, as a
// rate), or nil when no set is in force or it has no such indicator.
func (a *API) accountTarget(r *http.Request, unitID int64, at domain.Date) (*float64, error) {
	cs, ok, err := a.Store.SetInForce(r.Context(), unitID, at)
	if err != nil || !ok {
		return nil, err
	}
	for _, in := range cs.Indicators {
		if in.Computation == "account_rate_14" && in.Target.Type == domain.TargetMinPercent {
			v := in.Target.Min / 100
			return &v, nil
		}
	}
	return nil, nil
}
