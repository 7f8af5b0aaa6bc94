package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"thonso/internal/domain"
)

// Device is a phone a member registered as their own for offline work;
// lookup codes it makes start with its prefix.
type Device struct {
	ID     int64
	UserID int64
	Name   string
	Prefix string
}

// RegisterDevice records the actor's own phone with a fresh prefix.
func (s *Store) RegisterDevice(ctx context.Context, a *domain.Actor, name string) (Device, error) {
	d := Device{UserID: a.User.ID, Name: strings.TrimSpace(name)}
	if d.UserID == 0 {
		return d, domain.Errorf(domain.EUNAUTHORIZED, "auth.required")
	}
	if d.Name == "" || len([]rune(d.Name)) > 80 {
		return d, domain.Errorf(domain.EINVALID, "sync.device_name").WithField("name")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i := 0; ; i++ {
			d.Prefix = domain.NewDevicePrefix()
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM devices WHERE prefix = $1", d.Prefix).Scan(&n); err != nil {
				return internal("device", err)
			}
			if n == 0 {
				break
			}
			if i > 50 {
				return domain.Errorf(domain.ECONFLICT, "sync.prefix_exhausted")
			}
		}
		if err := tx.QueryRowContext(ctx, "INSERT INTO devices (user_id, name, prefix, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
			d.UserID, d.Name, d.Prefix, s.now()).Scan(&d.ID); err != nil {
			return internal("device", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "device", EntityID: strconv.FormatInt(d.ID, 10), Changes: []Change{Plain("name", "", d.Name)}})
	})
	return d, err
}

// DeviceOf reads one of the actor's own devices, not revoked.
func (s *Store) DeviceOf(ctx context.Context, a *domain.Actor, id int64) (Device, error) {
	var d Device
	var revoked sql.NullString
	err := s.r.QueryRowContext(ctx, "SELECT id, user_id, name, prefix, CAST(revoked_at AS TEXT) FROM devices WHERE id = $1", id).Scan(&d.ID, &d.UserID, &d.Name, &d.Prefix, &revoked)
	if err == sql.ErrNoRows || (err == nil && (d.UserID != a.User.ID || revoked.Valid)) {
		return Device{}, domain.Errorf(domain.ENOTFOUND, "sync.device_unknown").WithField("device_id")
	}
	return d, internal("device", err)
}

// SyncChange is a change as it arrived from a phone: the id the phone
// made, who sent it from which device, and what kind it is.
type SyncChange struct {
	ID       string
	UserID   int64
	DeviceID int64
	Kind     string
}

type changeKey struct{}

// WithChange marks ctx so that the write it carries records the change in
// its own transaction (see inTx).
func WithChange(ctx context.Context, c SyncChange) context.Context {
	return context.WithValue(ctx, changeKey{}, c)
}

// ChangeIDValid: 16 to 64 letters, digits and dashes (a UUID fits).
func ChangeIDValid(id string) bool {
	if len(id) < 16 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// errAppliedKey marks a change already recorded for the same user.
const errAppliedKey = "sync.already_applied"

func (s *Store) recordChange(ctx context.Context, tx *sql.Tx, c SyncChange) error {
	var user int64
	err := tx.QueryRowContext(ctx, "SELECT user_id FROM sync_changes WHERE change_id = $1", c.ID).Scan(&user)
	switch {
	case err == nil && user == c.UserID:
		return domain.Errorf(domain.ECONFLICT, errAppliedKey)
	case err == nil:
		return domain.Errorf(domain.EINVALID, "sync.id_taken").WithField("id")
	case err != sql.ErrNoRows:
		return internal("sync change", err)
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO sync_changes (change_id, user_id, device_id, kind, created_at) VALUES ($1, $2, $3, $4, $5)",
		c.ID, c.UserID, c.DeviceID, c.Kind, s.now())
	if err != nil {
		// Two sends of one change at once: the other one won.
		return domain.Errorf(domain.ECONFLICT, errAppliedKey)
	}
	return nil
}

// ChangeApplied says whether a change id was applied, and by whom.
func (s *Store) ChangeApplied(ctx context.Context, id string) (applied bool, userID int64, result string, err error) {
	err = s.r.QueryRowContext(ctx, "SELECT user_id, result FROM sync_changes WHERE change_id = $1", id).Scan(&userID, &result)
	if err == sql.ErrNoRows {
		return false, 0, "", nil
	}
	return err == nil, userID, result, internal("sync change", err)
}

// SetChangeResult keeps what an applied change produced (e.g. the new
// dossier's id), for a resend to get the same answer.
func (s *Store) SetChangeResult(ctx context.Context, id, result string) error {
	_, err := s.w.ExecContext(ctx, "UPDATE sync_changes SET result = $1 WHERE change_id = $2", result, id)
	return internal("sync change", err)
}

// IsAlreadyApplied reports whether err says the change was applied before.
func IsAlreadyApplied(err error) bool {
	e, ok := domain.AsError(err)
	return ok && e.Key == errAppliedKey
}
