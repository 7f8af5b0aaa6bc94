package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/store"
)

type syncInput struct {
	DeviceID int64         `json:"device_id"`
	Changes  []changeInput `json:"changes"`
}

type changeInput struct {
	ID      string          `json:"id"`
	Kind    string          `json:"kind"`
	Payload json.RawMessage `json:"payload"`
}

type changeResult struct {
	ID     string          `json:"id"`
	Status string          `json:"status"` // applied, already_applied, refused
	Result json.RawMessage `json:"result"`
	Error  *errorBody      `json:"error"`
}

type syncOutput struct {
	Results []changeResult `json:"results"`
}

type receivePayload struct {
	dossierInput
	LookupCode string `json:"lookup_code"`
}

type stepPayload struct {
	DossierID int64 `json:"dossier_id"`
	stepInput
}

// maxChanges bounds one sync request; a longer outbox is sent in turns.
const maxChanges = 200

// sync: POST /api/v1/sync — a registered phone sends its outbox, oldest
// first. Each change carries an id the phone made: a change already
// applied answers already_applied with what it produced, and is never
// applied twice; a refused change answers why and stays with the phone.
func (a *API) sync(w http.ResponseWriter, r *http.Request) {
	var in syncInput
	if err := decode(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	actor := actorOf(r)
	dev, err := a.Store.DeviceOf(r.Context(), actor, in.DeviceID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if len(in.Changes) > maxChanges {
		a.fail(w, r, domain.Errorf(domain.EINVALID, "sync.too_many", "max", maxChanges).WithField("changes"))
		return
	}
	out := syncOutput{Results: []changeResult{}}
	for _, c := range in.Changes {
		out.Results = append(out.Results, a.applyChange(r, actor, dev, c))
	}
	a.write(w, http.StatusOK, out)
}

func (a *API) refused(r *http.Request, id string, err error) changeResult {
	e := a.errJSON(r, err)
	return changeResult{ID: id, Status: "refused", Result: json.RawMessage("null"), Error: &e}
}

func (a *API) applyChange(r *http.Request, actor *domain.Actor, dev store.Device, c changeInput) changeResult {
	ctx := r.Context()
	if !store.ChangeIDValid(c.ID) {
		return a.refused(r, c.ID, domain.Errorf(domain.EINVALID, "sync.id_invalid").WithField("id"))
	}
	if done, user, result, err := a.Store.ChangeApplied(ctx, c.ID); err != nil {
		return a.refused(r, c.ID, err)
	} else if done && user == actor.User.ID {
		return changeResult{ID: c.ID, Status: "already_applied", Result: rawOrNull(result)}
	} else if done {
		return a.refused(r, c.ID, domain.Errorf(domain.EINVALID, "sync.id_taken").WithField("id"))
	}
	cctx := store.WithChange(ctx, store.SyncChange{ID: c.ID, UserID: actor.User.ID, DeviceID: dev.ID, Kind: c.Kind})
	var result any
	var err error
	switch c.Kind {
	case "dossier.receive":
		var p receivePayload
		if err = readPayload(c.Payload, &p); err != nil {
			break
		}
		code := domain.NormalizeLookupCode(p.LookupCode)
		if code == "" || len(code) != len(dev.Prefix)+8 || code[:len(dev.Prefix)] != dev.Prefix || !domain.LookupCodeWellFormed(code) {
			err = domain.Errorf(domain.EINVALID, "sync.lookup_invalid", "prefix", dev.Prefix).WithField("lookup_code")
			break
		}
		v, verr := a.Store.UnitAt(ctx, p.VillageCode, domain.DateOf(a.Now()))
		if verr != nil || v.Level != domain.LevelVillage {
			err = domain.Errorf(domain.EINVALID, "household.village_invalid").WithField("village_code")
			break
		}
		var d domain.Dossier
		d, err = a.Store.ReceiveDossier(cctx, actor, store.NewDossier{VillageID: v.ID, ProcedureCode: p.Procedure, ApplicantID: p.ApplicantID,
			ApplicantName: p.ApplicantName, ApplicantPhone: p.ApplicantPhone, SubjectName: p.SubjectName, Practice: p.Practice, ReceivedOn: p.ReceivedOn,
			Note: p.Note, Linked: p.Linked, MemberID: p.MemberID, HelperIDs: p.HelperIDs, LookupCode: code})
		result = map[string]any{"dossier_id": d.ID, "lookup_code": d.LookupCode, "version": d.Version}
	case "dossier.step":
		var p stepPayload
		if err = readPayload(c.Payload, &p); err != nil {
			break
		}
		if p.DossierID <= 0 {
			err = idMissing("dossier_id")
			break
		}
		if p.Version <= 0 {
			err = domain.Errorf(domain.EINVALID, "api.version_missing").WithField("version")
			break
		}
		var d domain.Dossier
		d, err = a.Store.AdvanceDossier(cctx, actor, store.Step{DossierID: p.DossierID, Version: p.Version, Action: domain.DossierAction(p.Action),
			On: p.On, Note: p.Note, PortalCode: p.PortalCode})
		err = a.staleStep(ctx, actor, p.DossierID, err)
		result = map[string]any{"dossier_id": d.ID, "state": string(d.State), "version": d.Version}
	case "resident.create":
		result, err = a.syncResidentCreate(cctx, actor, c.Payload)
	case "household.create":
		result, err = a.syncHouseholdCreate(cctx, actor, c.Payload)
	case "household.update":
		result, err = a.syncHouseholdUpdate(cctx, actor, c.Payload)
	case "resident.update":
		result, err = a.syncResidentUpdate(cctx, actor, c.Payload)
	case "session.log":
		var p struct {
			TeamID          int64       `json:"team_id"`
			On              domain.Date `json:"on"`
			ResidentsHelped int         `json:"residents_helped"`
			Notes           string      `json:"notes"`
			MemberIDs       []int64     `json:"member_ids"`
		}
		if err = readPayload(c.Payload, &p); err != nil {
			break
		}
		if p.TeamID <= 0 {
			err = idMissing("team_id")
			break
		}
		var l store.SessionLog
		l, err = a.Store.LogSession(cctx, actor, store.SessionLog{TeamID: p.TeamID, On: p.On, ResidentsHelped: p.ResidentsHelped, Notes: p.Notes, MemberIDs: p.MemberIDs})
		result = map[string]any{"log_id": l.ID}
	default:
		err = domain.Errorf(domain.EINVALID, "sync.kind_unknown", "kind", c.Kind).WithField("kind")
	}
	if store.IsAlreadyApplied(err) {
		_, _, stored, _ := a.Store.ChangeApplied(ctx, c.ID)
		return changeResult{ID: c.ID, Status: "already_applied", Result: rawOrNull(stored)}
	}
	if err != nil {
		a.auditRefusal(r, actor, c, err)
		return a.refused(r, c.ID, err)
	}
	raw, _ := json.Marshal(result)
	if err := a.Store.SetChangeResult(ctx, c.ID, string(raw)); err != nil {
		a.Log.Error("sync result", "change", c.ID, "err", err)
	}
	return changeResult{ID: c.ID, Status: "applied", Result: raw}
}

// readPayload reads a change's payload, saying what is wrong with it as
// the API says it of a body (the field named, else the payload).
func readPayload(raw json.RawMessage, v any) error {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	e, ok := domain.AsError(jsonError(err))
	switch {
	case !ok || e.Key == "api.body_invalid" || e.Field == "" && e.Key == "api.body_field_invalid":
		// Not JSON, or not an object: nothing more precise to say.
		return domain.Errorf(domain.EINVALID, "sync.payload_invalid").WithField("payload")
	case e.Field == "":
		return e.WithField("payload") // a date our types refuse, said as such
	}
	return e
}

// idMissing is a change that does not name the record it is about.
func idMissing(field string) error {
	return domain.Errorf(domain.EINVALID, "sync.id_missing", "field", field).WithField(field)
}

func rawOrNull(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("null")
	}
	return json.RawMessage(s)
}

// auditRefusal records a refused change: a forged or stale entry is seen.
func (a *API) auditRefusal(r *http.Request, actor *domain.Actor, c changeInput, err error) {
	key := ""
	if e, ok := domain.AsError(err); ok {
		key = e.Key
	}
	_ = a.Store.Audit(r.Context(), actor, store.AuditEntry{Action: "sync_refused", Entity: "sync_change", EntityID: c.ID,
		Changes: []store.Change{store.Plain("kind", "", c.Kind), store.Plain("reason", "", key)}})
}

// deviceRegister: POST /api/v1/devices — the member registers this phone
// as their own for offline work; the answer gives its lookup-code prefix.
func (a *API) deviceRegister(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	d, err := a.Store.RegisterDevice(r.Context(), actorOf(r), in.Name)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.write(w, http.StatusCreated, map[string]any{"id": d.ID, "name": d.Name, "prefix": d.Prefix, "self": "/api/v1/devices/" + strconv.FormatInt(d.ID, 10)})
}
