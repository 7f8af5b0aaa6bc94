package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// NewUser is an account to create.
type NewUser struct {
	Login, Phone, Name string
	PasswordHash       string
	MustChange         bool
}

const userCols = "u.id, u.login, COALESCE(u.phone, ''), u.name, u.must_change, u.disabled, u.created_at, u.version"

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (domain.User, error) {
	var u domain.User
	err := sc.Scan(append([]any{&u.ID, &u.Login, &u.Phone, &u.Name, &u.MustChange, &u.Disabled, &u.CreatedAt, &u.Version}, extra...)...)
	return u, err
}

// NormalizeLogin lowercases a login and trims it.
func NormalizeLogin(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validLogin(l string) bool {
	if len(l) < 3 || len(l) > 64 {
		return false
	}
	for _, r := range l {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// CreateUser makes an account with one first grant, audited as one
// change. The actor must be allowed to make that grant.
func (s *Store) CreateUser(ctx context.Context, a *domain.Actor, nu NewUser, role domain.Role, unitID int64) (domain.User, error) {
	nu.Login = NormalizeLogin(nu.Login)
	nu.Name = textvi.Normalize(nu.Name)
	if !validLogin(nu.Login) {
		return domain.User{}, domain.Errorf(domain.EINVALID, "user.login_invalid", "value", nu.Login).WithField("login")
	}
	if nu.Name == "" {
		return domain.User{}, domain.Errorf(domain.EINVALID, "user.name_missing").WithField("name")
	}
	phone, err := domain.ParsePhone(nu.Phone)
	if err != nil {
		return domain.User{}, err
	}
	var u domain.User
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE login = $1 OR login = $2 OR (phone IS NOT NULL AND (phone = $2 OR phone = $1))", nu.Login, phone).Scan(&n); err != nil {
			return internal("create user", err)
		}
		if n > 0 {
			return domain.Errorf(domain.ECONFLICT, "user.exists", "login", nu.Login).WithField("login")
		}
		var ph any
		if phone != "" {
			ph = phone
		}
		now := s.now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO users (login, phone, name, password_hash, must_change, disabled, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, FALSE, $6, $6, 1) RETURNING id`, nu.Login, ph, nu.Name, nu.PasswordHash, nu.MustChange, now).Scan(&id); err != nil {
			return internal("create user", err)
		}
		if err := s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "user", EntityID: strconv.FormatInt(id, 10),
			Changes: []Change{Plain("login", "", nu.Login), Personal("name"), Personal("phone")}}); err != nil {
			return err
		}
		if err := s.addGrant(ctx, tx, a, id, role, unitID); err != nil {
			return err
		}
		u = domain.User{ID: id, Login: nu.Login, Phone: phone, Name: nu.Name, MustChange: nu.MustChange, CreatedAt: now, Version: 1}
		return nil
	})
	return u, err
}

// Credentials finds an account by login or phone for logging in; an
// unknown one is ENOTFOUND (the caller still spends the time of a check).
func (s *Store) Credentials(ctx context.Context, loginOrPhone string) (domain.User, string, error) {
	l := NormalizeLogin(loginOrPhone)
	phone, _ := domain.ParsePhone(loginOrPhone)
	if phone == "" {
		phone = "-"
	}
	var hash string
	u, err := scanUser(s.r.QueryRowContext(ctx, "SELECT "+userCols+", u.password_hash FROM users u WHERE u.login = $1 OR u.phone = $2", l, phone), &hash)
	if err == sql.ErrNoRows {
		return domain.User{}, "", domain.Errorf(domain.ENOTFOUND, "user.not_found")
	}
	return u, hash, internal("credentials", err)
}

// UserByID reads an account; its grants come from Grants.
func (s *Store) UserByID(ctx context.Context, id int64) (domain.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, "SELECT "+userCols+" FROM users u WHERE u.id = $1", id))
	if err == sql.ErrNoRows {
		return domain.User{}, domain.Errorf(domain.ENOTFOUND, "user.not_found")
	}
	return u, internal("user", err)
}

// ManagedUser reads an account the actor manages: one with a grant inside
// the actor's user:manage scope. Anything else is ENOTFOUND, so that its
// existence is not revealed.
func (s *Store) ManagedUser(ctx context.Context, a *domain.Actor, id int64) (domain.User, error) {
	us, err := s.ListUsers(ctx, a.Scope(domain.PermUserManage), id)
	if err != nil {
		return domain.User{}, err
	}
	if len(us) == 0 {
		return domain.User{}, domain.Errorf(domain.ENOTFOUND, "user.not_found")
	}
	return us[0], nil
}

// ListUsers lists accounts with a live grant inside scope (all accounts
// for an unlimited scope), by name in Vietnamese order; only is an
// optional single id.
func (s *Store) ListUsers(ctx context.Context, scope domain.Scope, only int64) ([]domain.User, error) {
	if scope.Empty() {
		return nil, nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	where := "1=1"
	if !scope.All {
		where = "u.id IN (SELECT g.user_id FROM grants g WHERE g.revoked_at IS NULL AND g.unit_id IN " + subtree(scope, arg) + ")"
	}
	if only != 0 {
		where += " AND u.id = " + arg(only)
	}
	rs, err := s.r.QueryContext(ctx, "SELECT "+userCols+" FROM users u WHERE "+where, args...)
	if err != nil {
		return nil, internal("list users", err)
	}
	defer rs.Close()
	var out []domain.User
	for rs.Next() {
		u, err := scanUser(rs)
		if err != nil {
			return nil, internal("list users", err)
		}
		out = append(out, u)
	}
	textvi.SortBy(textvi.NewCollator(), out, func(u domain.User) string { return u.Name })
	return out, rs.Err()
}

// SetPassword stores a new password hash. By the user: the other
// sessions end. By an administrator (reset): the user must change it at
// next login and every session ends.
func (s *Store) SetPassword(ctx context.Context, a *domain.Actor, userID int64, hash string, reset bool, keepSession string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = $1, must_change = $2, updated_at = $3, version = version + 1 WHERE id = $4",
			hash, reset, s.now(), userID)
		if err != nil {
			return internal("set password", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "user.not_found")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", userID, domain.HashSecret(keepSession)); err != nil {
			return internal("set password", err)
		}
		action := "password_change"
		if reset {
			action = "password_reset"
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: action, Entity: "user", EntityID: strconv.FormatInt(userID, 10), Changes: []Change{Personal("password")}})
	})
}
