package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"thonso/internal/domain"
)

// Token is an API token as its owner sees it (never the secret again).
type Token struct {
	ID        int64
	Name      string
	Prefix    string
	CreatedAt time.Time
	ExpiresAt *time.Time
	LastUsed  *time.Time
}

// CreateToken makes an API token for a user; the secret is returned once
// and only its hash is kept.
func (s *Store) CreateToken(ctx context.Context, a *domain.Actor, userID int64, name string, ttl time.Duration) (string, Token, error) {
	secret := domain.NewSecret("ts_")
	t := Token{Name: name, Prefix: secret[:7], CreatedAt: s.now()}
	var exp any
	if ttl > 0 {
		e := t.CreatedAt.Add(ttl)
		t.ExpiresAt, exp = &e, e
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			userID, name, domain.HashSecret(secret), t.Prefix, t.CreatedAt, exp).Scan(&t.ID); err != nil {
			return internal("create token", err)
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "token", EntityID: strconv.FormatInt(t.ID, 10),
			Changes: []Change{Plain("user_id", "", strconv.FormatInt(userID, 10)), Plain("name", "", name)}})
	})
	return secret, t, err
}

// TokenUser finds the user of a live token; a revoked, expired or unknown
// one is EUNAUTHORIZED.
func (s *Store) TokenUser(ctx context.Context, secret string) (domain.User, error) {
	h := domain.HashSecret(secret)
	var id int64
	var exp, revoked sql.NullTime
	u, err := scanUser(s.r.QueryRowContext(ctx, "SELECT "+userCols+", t.id, t.expires_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1", h), &id, &exp, &revoked)
	if err == sql.ErrNoRows {
		return domain.User{}, domain.Errorf(domain.EUNAUTHORIZED, "auth.token_invalid")
	}
	if err != nil {
		return domain.User{}, internal("token", err)
	}
	now := s.now()
	if revoked.Valid || (exp.Valid && !exp.Time.After(now)) || u.Disabled {
		return domain.User{}, domain.Errorf(domain.EUNAUTHORIZED, "auth.token_invalid")
	}
	s.w.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", now, id)
	return u, nil
}

// Tokens lists a user's live tokens.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	rs, err := s.r.QueryContext(ctx, `SELECT id, name, prefix, created_at, expires_at, last_used_at FROM api_tokens
		WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id`, userID)
	if err != nil {
		return nil, internal("tokens", err)
	}
	defer rs.Close()
	var out []Token
	for rs.Next() {
		var t Token
		var exp, used sql.NullTime
		if err := rs.Scan(&t.ID, &t.Name, &t.Prefix, &t.CreatedAt, &exp, &used); err != nil {
			return nil, internal("tokens", err)
		}
		if exp.Valid {
			t.ExpiresAt = &exp.Time
		}
		if used.Valid {
			t.LastUsed = &used.Time
		}
		out = append(out, t)
	}
	return out, rs.Err()
}

// RevokeToken revokes one of a user's tokens.
func (s *Store) RevokeToken(ctx context.Context, a *domain.Actor, userID, tokenID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL", s.now(), tokenID, userID)
		if err != nil {
			return internal("revoke token", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "token.not_found")
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "delete", Entity: "token", EntityID: strconv.FormatInt(tokenID, 10)})
	})
}

// Actor builds the acting user with their grants.
func (s *Store) Actor(ctx context.Context, u domain.User, ip, via string) (*domain.Actor, error) {
	gs, err := s.Grants(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return &domain.Actor{User: u, Grants: gs, IP: ip, Via: via}, nil
}
