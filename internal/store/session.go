package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"thonso/internal/domain"
)

// IdleTimeout ends a session nobody used for this long.
const IdleTimeout = 8 * time.Hour

// CreateSession starts a session for a user and returns its secret, which
// only the browser keeps (the database holds its hash), and audits the login.
func (s *Store) CreateSession(ctx context.Context, a *domain.Actor, userAgent string) (string, error) {
	secret := domain.NewSecret("s_")
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip, user_agent) VALUES ($1, $2, $3, $3, $4, $5)`,
			domain.HashSecret(secret), a.User.ID, now, a.IP, truncate(userAgent, 200)); err != nil {
			return internal("create session", err)
		}
		// Clean up sessions of this user that idled out.
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1 AND last_seen_at < $2", a.User.ID, now.Add(-IdleTimeout)); err != nil {
			return internal("create session", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "login", Entity: "user", EntityID: strconv.FormatInt(a.User.ID, 10)})
	})
	return secret, err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// SessionUser finds the user of a live session and marks it used; an
// unknown or idle session is EUNAUTHORIZED.
func (s *Store) SessionUser(ctx context.Context, secret string) (domain.User, error) {
	if secret == "" {
		return domain.User{}, domain.Errorf(domain.EUNAUTHORIZED, "auth.session_expired")
	}
	h := domain.HashSecret(secret)
	var last time.Time
	u, err := scanUser(s.r.QueryRowContext(ctx, "SELECT "+userCols+", s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1", h), &last)
	if err == sql.ErrNoRows {
		return domain.User{}, domain.Errorf(domain.EUNAUTHORIZED, "auth.session_expired")
	}
	if err != nil {
		return domain.User{}, internal("session", err)
	}
	now := s.now()
	if now.Sub(last) > IdleTimeout || u.Disabled {
		s.w.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", h)
		return domain.User{}, domain.Errorf(domain.EUNAUTHORIZED, "auth.session_expired")
	}
	if now.Sub(last) > time.Minute { // write at most once a minute per session
		if _, err := s.w.ExecContext(ctx, "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", now, h); err != nil {
			return domain.User{}, internal("session", err)
		}
	}
	return u, nil
}

// EndSession logs one session out.
func (s *Store) EndSession(ctx context.Context, a *domain.Actor, secret string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", domain.HashSecret(secret)); err != nil {
			return internal("logout", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "logout", Entity: "user", EntityID: strconv.FormatInt(a.User.ID, 10)})
	})
}

// EndAllSessions logs a user out everywhere.
func (s *Store) EndAllSessions(ctx context.Context, a *domain.Actor, userID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
			return internal("logout all", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "logout_all", Entity: "user", EntityID: strconv.FormatInt(userID, 10)})
	})
}

// Throttle limits: 5 failures of one account, or 20 from one address,
// within 15 minutes lock further attempts for 15 minutes.
const (
	throttleWindow    = 15 * time.Minute
	maxAccountFailure = 5
	maxAddressFailure = 20
)

// RecordLoginFailure notes a failed login for the throttle.
// Failures older than a day are dropped, so the table stays small.
func (s *Store) RecordLoginFailure(ctx context.Context, login, ip string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE at < $1", now.Add(-24*time.Hour)); err != nil {
			return internal("login failure", err)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO login_failures (login, ip, at) VALUES ($1, $2, $3)", truncate(NormalizeLogin(login), 100), ip, now)
		return internal("login failure", err)
	})
}

// LoginLockedUntil says until when logins for this account or from this
// address wait; zero when they don't.
func (s *Store) LoginLockedUntil(ctx context.Context, login, ip string) (time.Time, error) {
	now := s.now()
	since := now.Add(-throttleWindow)
	var until time.Time
	check := func(q string, arg any, max int) error {
		rs, err := s.r.QueryContext(ctx, q, arg, since)
		if err != nil {
			return internal("throttle", err)
		}
		defer rs.Close()
		var times []time.Time
		for rs.Next() {
			var t time.Time
			if err := rs.Scan(&t); err != nil {
				return internal("throttle", err)
			}
			times = append(times, t)
		}
		if len(times) >= max {
			// Locked for a window from the latest failure (none are
			// recorded while locked: the password is not even checked).
			if u := times[0].Add(throttleWindow); u.After(now) && u.After(until) {
				until = u
			}
		}
		return rs.Err()
	}
	if err := check("SELECT at FROM login_failures WHERE login = $1 AND at > $2 ORDER BY at DESC", NormalizeLogin(login), maxAccountFailure); err != nil {
		return time.Time{}, err
	}
	if ip != "" {
		if err := check("SELECT at FROM login_failures WHERE ip = $1 AND at > $2 ORDER BY at DESC", ip, maxAddressFailure); err != nil {
			return time.Time{}, err
		}
	}
	return until, nil
}
