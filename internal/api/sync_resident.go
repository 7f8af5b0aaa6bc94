package api

import (
	"context"
	"encoding/json"

	"thonso/internal/domain"
)

// residentPatch is a correction made on a phone: only the fields it names
// change, on the version the phone read. Phones and CCCD never reach the
// phone, so they cannot be corrected offline and are kept as they are.
type residentPatch struct {
	ResidentID int64         `json:"resident_id"`
	Version    int           `json:"version"`
	FullName   *string       `json:"full_name"`
	BirthDate  *domain.Date  `json:"birth_date"`
	Sex        *domain.Sex   `json:"sex"`
	Relation   *string       `json:"relation"`
	Smartphone *adoptionJSON `json:"smartphone"`
	VNeID      *adoptionJSON `json:"vneid"`
	Portal     *adoptionJSON `json:"portal"`
	Bank       *adoptionJSON `json:"bank"`
}

// syncResidentUpdate applies a resident.update change: the resident must
// still be in the member's scope and unchanged since the phone read it;
// otherwise the member is told someone else changed it first.
func (a *API) syncResidentUpdate(ctx context.Context, actor *domain.Actor, raw json.RawMessage) (any, error) {
	var p residentPatch
	if err := readPayload(raw, &p); err != nil {
		return nil, err
	}
	if p.ResidentID <= 0 {
		return nil, idMissing("resident_id")
	}
	if p.Version <= 0 {
		return nil, domain.Errorf(domain.EINVALID, "api.version_missing").WithField("version")
	}
	r, err := a.Store.Resident(ctx, actor.Scope(domain.PermResidentEdit), p.ResidentID)
	if err != nil {
		return nil, err
	}
	if r.Version != p.Version {
		return nil, domain.Errorf(domain.ECONFLICT, "sync.resident_stale", "name", r.FullName).WithField("version")
	}
	if p.FullName != nil {
		r.FullName = *p.FullName
	}
	if p.BirthDate != nil {
		r.BirthDate, r.YearOnly = *p.BirthDate, false
	}
	if p.Sex != nil {
		r.Sex = *p.Sex
	}
	if p.Relation != nil {
		r.Relation = domain.Relation(*p.Relation)
	}
	for _, f := range []struct {
		in  *adoptionJSON
		out *domain.Adoption
	}{{p.Smartphone, &r.Smartphone}, {p.VNeID, &r.VNeID}, {p.Portal, &r.Portal}, {p.Bank, &r.PersonalBank}} {
		if f.in != nil {
			*f.out = domain.Adoption(*f.in)
		}
	}
	out, err := a.Store.UpdateResident(ctx, actor, r)
	if err != nil {
		return nil, err
	}
	return map[string]any{"resident_id": out.ID, "version": out.Version}, nil
}

// staleStep turns "someone changed this record" into what the member needs
// on the phone: which step the dossier has reached since, so the step can
// be discarded and taken again from the fresh queue.
func (a *API) staleStep(ctx context.Context, actor *domain.Actor, dossierID int64, err error) error {
	if e, ok := domain.AsError(err); !ok || e.Key != "record.stale" {
		return err
	}
	d, derr := a.Store.Dossier(ctx, actor.Scope(domain.PermDossierEdit), dossierID)
	if derr != nil {
		return err
	}
	return domain.Errorf(domain.ECONFLICT, "sync.dossier_stale", "step", d.State.Step(), "code", d.LookupCode).WithField("version")
}
