package store

import (
	"context"
	"database/sql"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// DaysOff lists the days off and make-up days between two dates.
func (s *Store) DaysOff(ctx context.Context, from, to domain.Date) ([]domain.DayOff, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT on_date, kind, name, provisional FROM days_off WHERE on_date >= $1 AND on_date <= $2 ORDER BY on_date", from, to)
	if err != nil {
		return nil, internal("days off", err)
	}
	defer rs.Close()
	var out []domain.DayOff
	for rs.Next() {
		var d domain.DayOff
		if err := rs.Scan(&d.On, &d.Kind, &d.Name, &d.Provisional); err != nil {
			return nil, internal("days off", err)
		}
		out = append(out, d)
	}
	return out, rs.Err()
}

// SetDayOff adds or changes a day (officers with unit:manage); saving a
// provisional day confirms it.
func (s *Store) SetDayOff(ctx context.Context, a *domain.Actor, d domain.DayOff) error {
	if !a.Can(domain.PermUnitManage) {
		return domain.Errorf(domain.EFORBIDDEN, "auth.forbidden", "permission", string(domain.PermUnitManage))
	}
	d.Name = textvi.Normalize(d.Name)
	if d.On.IsZero() {
		return domain.Errorf(domain.EINVALID, "dayoff.date_missing").WithField("on")
	}
	if d.Kind != "off" && d.Kind != "makeup" {
		return domain.Errorf(domain.EINVALID, "dayoff.kind_invalid").WithField("kind")
	}
	if d.Name == "" {
		return domain.Errorf(domain.EINVALID, "dayoff.name_missing").WithField("name")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var old domain.DayOff
		err := tx.QueryRowContext(ctx, "SELECT kind, name FROM days_off WHERE on_date = $1", d.On).Scan(&old.Kind, &old.Name)
		if err == sql.ErrNoRows {
			_, err = tx.ExecContext(ctx, "INSERT INTO days_off (on_date, kind, name, provisional) VALUES ($1, $2, $3, FALSE)", d.On, d.Kind, d.Name)
		} else if err == nil {
			_, err = tx.ExecContext(ctx, "UPDATE days_off SET kind = $1, name = $2, provisional = FALSE WHERE on_date = $3", d.Kind, d.Name, d.On)
		}
		if err != nil {
			return internal("day off", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "day_off", EntityID: d.On.String(),
			Changes: []Change{Plain("kind", old.Kind, d.Kind), Plain("name", old.Name, d.Name)}})
	})
}

// DayOffMap indexes days for domain.WorkingDay.
func DayOffMap(days []domain.DayOff) map[domain.Date]domain.DayOff {
	m := make(map[domain.Date]domain.DayOff, len(days))
	for _, d := range days {
		m[d.On] = d
	}
	return m
}
