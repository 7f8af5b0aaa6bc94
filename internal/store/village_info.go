package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
)

// VillageProfile reads what the team wrote for the public page (a zero
// profile when nothing yet).
func (s *Store) VillageProfile(ctx context.Context, villageID int64) (domain.VillageProfile, error) {
	p := domain.VillageProfile{VillageID: villageID}
	err := s.r.QueryRowContext(ctx, `SELECT intro, photo IS NOT NULL, photo_width, photo_height FROM village_profiles WHERE village_id = $1`, villageID).
		Scan(&p.Intro, &p.HasPhoto, &p.PhotoWidth, &p.PhotoHeight)
	if err == sql.ErrNoRows {
		return p, nil
	}
	return p, internal("village profile", err)
}

// SetIntro writes the public page's introduction (team:manage on the village).
func (s *Store) SetIntro(ctx context.Context, a *domain.Actor, villageID int64, intro string) error {
	if err := s.inScope(ctx, a.Scope(domain.PermTeamManage), villageID, "unit.not_found"); err != nil {
		return err
	}
	p := domain.VillageProfile{VillageID: villageID, Intro: strings.TrimSpace(intro)}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkVillage(ctx, tx, villageID); err != nil {
			return err
		}
		var before string
		_ = tx.QueryRowContext(ctx, "SELECT intro FROM village_profiles WHERE village_id = $1", villageID).Scan(&before)
		if _, err := tx.ExecContext(ctx, `INSERT INTO village_profiles (village_id, intro, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (village_id) DO UPDATE SET intro = excluded.intro, updated_at = excluded.updated_at`, villageID, p.Intro, s.now()); err != nil {
			return internal("set intro", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "village_profile", EntityID: strconv.FormatInt(villageID, 10), UnitID: villageID,
			Changes: []Change{Plain("intro", before, p.Intro)}})
	})
}

// SetPhoto keeps the public page's photo: a JPEG already re-encoded by
// the caller (so it carries no EXIF or GPS data), replacing any earlier one.
func (s *Store) SetPhoto(ctx context.Context, a *domain.Actor, villageID int64, jpeg []byte, width, height int) error {
	if err := s.inScope(ctx, a.Scope(domain.PermTeamManage), villageID, "unit.not_found"); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkVillage(ctx, tx, villageID); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO village_profiles (village_id, photo, photo_width, photo_height, photo_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
			ON CONFLICT (village_id) DO UPDATE SET photo = excluded.photo, photo_width = excluded.photo_width, photo_height = excluded.photo_height,
			photo_at = excluded.photo_at, updated_at = excluded.updated_at`, villageID, jpeg, width, height, now); err != nil {
			return internal("set photo", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "village_photo", EntityID: strconv.FormatInt(villageID, 10), UnitID: villageID,
			Changes: []Change{Plain("size", "", strconv.Itoa(width)+"×"+strconv.Itoa(height))}})
	})
}

// Photo reads the public page's photo (JPEG) and when it was uploaded.
func (s *Store) Photo(ctx context.Context, villageID int64) ([]byte, time.Time, error) {
	var b []byte
	var at time.Time
	err := s.r.QueryRowContext(ctx, "SELECT photo, photo_at FROM village_profiles WHERE village_id = $1 AND photo IS NOT NULL", villageID).Scan(&b, &at)
	if err == sql.ErrNoRows {
		return nil, at, domain.Errorf(domain.ENOTFOUND, "village.photo_not_found")
	}
	return b, at, internal("photo", err)
}

// AddWifi records a Wi-Fi point of a village (team:manage on it).
func (s *Store) AddWifi(ctx context.Context, a *domain.Actor, w domain.WifiPoint) (domain.WifiPoint, error) {
	if err := s.inScope(ctx, a.Scope(domain.PermTeamManage), w.VillageID, "unit.not_found"); err != nil {
		return w, err
	}
	w.Place, w.Provider, w.NetworkName, w.Hours = strings.TrimSpace(w.Place), strings.TrimSpace(w.Provider), strings.TrimSpace(w.NetworkName), strings.TrimSpace(w.Hours)
	if err := w.Validate(); err != nil {
		return w, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkVillage(ctx, tx, w.VillageID); err != nil {
			return err
		}
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO wifi_points (village_id, place, provider, network_name, hours, free, since, until, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`, w.VillageID, w.Place, w.Provider, w.NetworkName, w.Hours, w.Free, w.Since, w.Until, now).Scan(&w.ID); err != nil {
			return internal("add wifi", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "wifi_point", EntityID: strconv.FormatInt(w.ID, 10), UnitID: w.VillageID,
			Changes: []Change{Plain("place", "", w.Place), Plain("network_name", "", w.NetworkName), Plain("free", "", strconv.FormatBool(w.Free)), Plain("since", "", w.Since.String())}})
	})
	return w, err
}

// WifiPoints lists a village's Wi-Fi points live on at (all when at is zero).
func (s *Store) WifiPoints(ctx context.Context, villageID int64, at domain.Date) ([]domain.WifiPoint, error) {
	rs, err := s.r.QueryContext(ctx, `SELECT id, village_id, place, provider, network_name, hours, free, since, until FROM wifi_points
		WHERE village_id = $1 ORDER BY since, id`, villageID)
	if err != nil {
		return nil, internal("wifi points", err)
	}
	defer rs.Close()
	var out []domain.WifiPoint
	for rs.Next() {
		var w domain.WifiPoint
		if err := rs.Scan(&w.ID, &w.VillageID, &w.Place, &w.Provider, &w.NetworkName, &w.Hours, &w.Free, &w.Since, &w.Until); err != nil {
			return nil, internal("wifi points", err)
		}
		if at.IsZero() || at.Within(w.Since, w.Until) {
			out = append(out, w)
		}
	}
	return out, internal("wifi points", rs.Err())
}

// AddEquipment records equipment of a village's cultural house.
func (s *Store) AddEquipment(ctx context.Context, a *domain.Actor, e domain.Equipment) (domain.Equipment, error) {
	if err := s.inScope(ctx, a.Scope(domain.PermTeamManage), e.VillageID, "unit.not_found"); err != nil {
		return e, err
	}
	e.Detail = strings.TrimSpace(e.Detail)
	if err := e.Validate(); err != nil {
		return e, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkVillage(ctx, tx, e.VillageID); err != nil {
			return err
		}
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO village_equipment (village_id, kind, quantity, detail, since, until, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, e.VillageID, string(e.Kind), e.Quantity, e.Detail, e.Since, e.Until, now).Scan(&e.ID); err != nil {
			return internal("add equipment", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "village_equipment", EntityID: strconv.FormatInt(e.ID, 10), UnitID: e.VillageID,
			Changes: []Change{Plain("kind", "", string(e.Kind)), Plain("quantity", "", strconv.Itoa(e.Quantity)), Plain("detail", "", e.Detail), Plain("since", "", e.Since.String())}})
	})
	return e, err
}

// Equipment lists a village cultural house's equipment live on at (all when zero).
func (s *Store) Equipment(ctx context.Context, villageID int64, at domain.Date) ([]domain.Equipment, error) {
	rs, err := s.r.QueryContext(ctx, `SELECT id, village_id, kind, quantity, detail, since, until FROM village_equipment
		WHERE village_id = $1 ORDER BY kind, since, id`, villageID)
	if err != nil {
		return nil, internal("equipment", err)
	}
	defer rs.Close()
	var out []domain.Equipment
	for rs.Next() {
		var e domain.Equipment
		if err := rs.Scan(&e.ID, &e.VillageID, &e.Kind, &e.Quantity, &e.Detail, &e.Since, &e.Until); err != nil {
			return nil, internal("equipment", err)
		}
		if at.IsZero() || at.Within(e.Since, e.Until) {
			out = append(out, e)
		}
	}
	return out, internal("equipment", rs.Err())
}

// AddZaloGroup records the village's Zalo group.
func (s *Store) AddZaloGroup(ctx context.Context, a *domain.Actor, z domain.ZaloGroup) (domain.ZaloGroup, error) {
	if err := s.inScope(ctx, a.Scope(domain.PermTeamManage), z.VillageID, "unit.not_found"); err != nil {
		return z, err
	}
	z.Name, z.Link = strings.TrimSpace(z.Name), strings.TrimSpace(z.Link)
	if err := z.Validate(); err != nil {
		return z, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkVillage(ctx, tx, z.VillageID); err != nil {
			return err
		}
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO zalo_groups (village_id, name, link, members, households, counted_on, since, until, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`, z.VillageID, z.Name, z.Link, z.Members, z.Households, z.CountedOn, z.Since, z.Until, now).Scan(&z.ID); err != nil {
			return internal("add zalo group", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "zalo_group", EntityID: strconv.FormatInt(z.ID, 10), UnitID: z.VillageID,
			Changes: []Change{Plain("link", "", z.Link), Plain("members", "", strconv.Itoa(z.Members)), Plain("households", "", strconv.Itoa(z.Households)), Plain("since", "", z.Since.String())}})
	})
	return z, err
}

// ZaloGroups lists a village's Zalo groups live on at (all when zero).
func (s *Store) ZaloGroups(ctx context.Context, villageID int64, at domain.Date) ([]domain.ZaloGroup, error) {
	rs, err := s.r.QueryContext(ctx, `SELECT id, village_id, name, link, members, households, counted_on, since, until FROM zalo_groups
		WHERE village_id = $1 ORDER BY since, id`, villageID)
	if err != nil {
		return nil, internal("zalo groups", err)
	}
	defer rs.Close()
	var out []domain.ZaloGroup
	for rs.Next() {
		var z domain.ZaloGroup
		if err := rs.Scan(&z.ID, &z.VillageID, &z.Name, &z.Link, &z.Members, &z.Households, &z.CountedOn, &z.Since, &z.Until); err != nil {
			return nil, internal("zalo groups", err)
		}
		if at.IsZero() || at.Within(z.Since, z.Until) {
			out = append(out, z)
		}
	}
	return out, internal("zalo groups", rs.Err())
}

// VillageLastChange is when anything the public page shows last changed:
// the profile, the infrastructure, the team and its members, slots and
// exceptions, the featured procedures and their catalogue entries, the
// village's name or parent (zero when nothing is recorded).
func (s *Store) VillageLastChange(ctx context.Context, villageID int64) (time.Time, error) {
	teams := "(SELECT team_id FROM team_units WHERE unit_id = $1)"
	// One compound query (a page view pays for each statement it prepares).
	q := strings.Join([]string{
		"SELECT updated_at FROM village_profiles WHERE village_id = $1",
		"SELECT updated_at FROM wifi_points WHERE village_id = $1",
		"SELECT updated_at FROM village_equipment WHERE village_id = $1",
		"SELECT updated_at FROM zalo_groups WHERE village_id = $1",
		"SELECT updated_at FROM teams WHERE id IN " + teams,
		"SELECT updated_at FROM team_members WHERE team_id IN " + teams,
		"SELECT created_at FROM duty_slots WHERE team_id IN " + teams,
		"SELECT created_at FROM duty_exceptions WHERE team_id IN " + teams,
		"SELECT created_at FROM unit_events WHERE unit_id = $1",
		// Featured procedures, and officers' edits of their catalogue entries.
		"SELECT at FROM audit_log WHERE (unit_id = $1 AND entity = 'featured_procedures') OR (entity = 'procedure' AND entity_id IN " +
			"(SELECT p.code FROM featured_procedures f JOIN procedures p ON p.id = f.procedure_id WHERE f.village_id = $1))",
	}, " UNION ALL ") + " ORDER BY 1 DESC LIMIT 1"
	var last time.Time
	err := s.r.QueryRowContext(ctx, q, villageID).Scan(&last)
	if err == sql.ErrNoRows {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, internal("village last change", err)
	}
	return last.UTC(), nil
}

// infraTables names the dated infrastructure tables by kind, for EndInfra.
var infraTables = map[string]string{"wifi": "wifi_points", "equipment": "village_equipment", "zalo": "zalo_groups"}

// EndInfra records that a Wi-Fi point, a piece of equipment or the Zalo
// group is gone after until (inclusive): the row stays, so the village
// still reads as it was on earlier days. Only a row still open may end,
// and not before it began.
func (s *Store) EndInfra(ctx context.Context, a *domain.Actor, villageID int64, kind string, id int64, until domain.Date) error {
	table, ok := infraTables[kind]
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, "infra.not_found")
	}
	if err := s.inScope(ctx, a.Scope(domain.PermTeamManage), villageID, "unit.not_found"); err != nil {
		return err
	}
	if until.IsZero() {
		return domain.Errorf(domain.EINVALID, "infra.until_missing").WithField("until")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var since, end domain.Date
		err := tx.QueryRowContext(ctx, "SELECT since, until FROM "+table+" WHERE id = $1 AND village_id = $2", id, villageID).Scan(&since, &end)
		if err == sql.ErrNoRows {
			return domain.Errorf(domain.ENOTFOUND, "infra.not_found")
		}
		if err != nil {
			return internal("end infra", err)
		}
		if !end.IsZero() {
			return domain.Errorf(domain.ECONFLICT, "infra.already_ended", "date", end)
		}
		if until.Before(since) {
			return domain.Errorf(domain.EINVALID, "infra.until_before_since").WithField("until")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET until = $1, updated_at = $2 WHERE id = $3", until, s.now(), id); err != nil {
			return internal("end infra", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: strings.TrimSuffix(table, "s"), EntityID: strconv.FormatInt(id, 10), UnitID: villageID,
			Changes: []Change{Plain("until", "", until.String())}})
	})
}
