package api

import (
	"context"
	"encoding/json"

	"thonso/internal/domain"
)

// householdPatch is a household corrected on a phone: only the fields it
// names change, on the version the phone read.
type householdPatch struct {
	HouseholdID int64         `json:"household_id"`
	Version     int           `json:"version"`
	Number      *string       `json:"number"`
	Hamlet      *string       `json:"hamlet"`
	Address     *string       `json:"address"`
	Bank        *adoptionJSON `json:"bank"`
	Zalo        *adoptionJSON `json:"zalo"`
}

// syncHouseholdCreate applies a household.create change: a household added
// on the phone, in a village of the member's resident:edit scope.
func (a *API) syncHouseholdCreate(ctx context.Context, actor *domain.Actor, raw json.RawMessage) (any, error) {
	var p householdInput
	if err := readPayload(raw, &p); err != nil {
		return nil, err
	}
	v, err := a.Store.UnitAt(ctx, p.VillageCode, domain.DateOf(a.Now()))
	if err != nil || v.Level != domain.LevelVillage {
		return nil, domain.Errorf(domain.EINVALID, "household.village_invalid").WithField("village_code")
	}
	h, err := a.Store.CreateHousehold(ctx, actor, domain.Household{VillageID: v.ID, Number: p.Number, Hamlet: p.Hamlet, Address: p.Address,
		Bank: domain.Adoption(p.Bank), Zalo: domain.Adoption(p.Zalo)})
	if err != nil {
		return nil, err
	}
	return map[string]any{"household_id": h.ID, "version": h.Version}, nil
}

// syncHouseholdUpdate applies a household.update change: the household
// must still be in scope and unchanged since the phone read it.
func (a *API) syncHouseholdUpdate(ctx context.Context, actor *domain.Actor, raw json.RawMessage) (any, error) {
	var p householdPatch
	if err := readPayload(raw, &p); err != nil {
		return nil, err
	}
	if p.HouseholdID <= 0 {
		return nil, idMissing("household_id")
	}
	if p.Version <= 0 {
		return nil, domain.Errorf(domain.EINVALID, "api.version_missing").WithField("version")
	}
	h, err := a.Store.Household(ctx, actor.Scope(domain.PermResidentEdit), p.HouseholdID)
	if err != nil {
		return nil, err
	}
	if h.Version != p.Version {
		return nil, domain.Errorf(domain.ECONFLICT, "sync.household_stale", "number", h.Number).WithField("version")
	}
	for _, f := range []struct {
		in  *string
		out *string
	}{{p.Number, &h.Number}, {p.Hamlet, &h.Hamlet}, {p.Address, &h.Address}} {
		if f.in != nil {
			*f.out = *f.in
		}
	}
	if p.Bank != nil {
		h.Bank = domain.Adoption(*p.Bank)
	}
	if p.Zalo != nil {
		h.Zalo = domain.Adoption(*p.Zalo)
	}
	out, err := a.Store.UpdateHousehold(ctx, actor, h)
	if err != nil {
		if e, ok := domain.AsError(err); ok && e.Key == "record.stale" {
			return nil, domain.Errorf(domain.ECONFLICT, "sync.household_stale", "number", h.Number).WithField("version")
		}
		return nil, err
	}
	return map[string]any{"household_id": out.ID, "version": out.Version}, nil
}

// syncResidentCreate applies a resident.create change. A resident added
// offline to a household also added offline names that household by the
// id of its household.create change (household_change): the phone sends
// its outbox oldest first, so that change was applied before, by the same
// member; otherwise the resident waits, refused with the reason.
func (a *API) syncResidentCreate(ctx context.Context, actor *domain.Actor, raw json.RawMessage) (any, error) {
	var p struct {
		residentInput
		HouseholdChange string `json:"household_change"`
	}
	if err := readPayload(raw, &p); err != nil {
		return nil, err
	}
	if p.HouseholdID == 0 && p.HouseholdChange != "" {
		done, user, result, err := a.Store.ChangeApplied(ctx, p.HouseholdChange)
		if err != nil {
			return nil, err
		}
		var made struct {
			HouseholdID int64 `json:"household_id"`
		}
		if !done || user != actor.User.ID || json.Unmarshal([]byte(result), &made) != nil || made.HouseholdID == 0 {
			return nil, domain.Errorf(domain.EINVALID, "sync.household_pending").WithField("household_change")
		}
		p.HouseholdID = made.HouseholdID
	}
	res, err := a.Store.CreateResident(ctx, actor, p.resident())
	if err != nil {
		return nil, err
	}
	return map[string]any{"resident_id": res.ID, "version": res.Version}, nil
}
