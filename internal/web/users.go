package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
)

type usersPage struct {
	*Page
	Users []domain.User
}

// userList shows the accounts with a grant in the officer's subtrees.
func (s *Server) userList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.users")
	us, err := s.Store.ListUsers(r.Context(), actorOf(r).Scope(domain.PermUserManage), 0)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	s.render(w, http.StatusOK, "users", usersPage{Page: p, Users: us})
}

type userForm struct {
	*Page
	Form   map[string]string
	Errors map[string]string
	Roles  []domain.Role
}

func (s *Server) userNewForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.user_new")
	s.render(w, http.StatusOK, "user_new", userForm{Page: p, Form: map[string]string{"role": "member"}, Errors: map[string]string{}, Roles: grantableRoles(actorOf(r))})
}

func grantableRoles(a *domain.Actor) []domain.Role {
	if a.Scope(domain.PermUserManage).All {
		return domain.Roles
	}
	return domain.Roles[1:]
}

// fieldErr pins a domain error to its form field (or the form as a whole).
func fieldErr(s *Server, lang string, errs map[string]string, err error, fallback string) {
	f := fallback
	if e, ok := domain.AsError(err); ok && e.Field != "" {
		f = e.Field
	}
	errs[f] = s.Cat.Err(lang, err)
}

// userCreate makes an account with a first grant; the user must change
// the initial password at first login. Bad input re-renders the form
// with the message beside the field (422) and stores nothing.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.user_new")
	a := actorOf(r)
	f := map[string]string{}
	for _, k := range []string{"login", "phone", "name", "role", "unit", "password"} {
		f[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	uf := userForm{Page: p, Form: f, Errors: map[string]string{}, Roles: grantableRoles(a)}
	role := domain.Role(f["role"])
	var unitID int64
	if role.NeedsUnit() {
		if f["unit"] == "" {
			uf.Errors["unit"] = p.T("grant.unit_missing")
		} else if u, err := s.Store.UnitAt(r.Context(), f["unit"], p.Today); err != nil {
			fieldErr(s, p.Lang, uf.Errors, err, "unit")
		} else {
			unitID = u.ID
		}
	}
	if err := domain.CheckPassword(f["password"]); err != nil {
		fieldErr(s, p.Lang, uf.Errors, err, "password")
	}
	if len(uf.Errors) == 0 {
		u, err := s.Store.CreateUser(r.Context(), a, store.NewUser{Login: f["login"], Phone: f["phone"], Name: f["name"],
			PasswordHash: domain.HashPassword(f["password"]), MustChange: true}, role, unitID)
		if err == nil {
			http.Redirect(w, r, "/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
			return
		}
		if domain.ErrorCode(err) == domain.EINTERNAL {
			s.fail(w, p, err)
			return
		}
		fieldErr(s, p.Lang, uf.Errors, err, "role")
	}
	uf.Form["password"] = ""
	s.render(w, http.StatusUnprocessableEntity, "user_new", uf)
}

type userPage struct {
	*Page
	User   domain.User
	Grants []domain.Grant
	Roles  []domain.Role
	Form   map[string]string
	Errors map[string]string
	Flash  string
}

func (s *Server) loadUserPage(w http.ResponseWriter, r *http.Request) (*userPage, bool) {
	p := s.newPage(w, r, "ui.user")
	a := actorOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "user.not_found"))
		return nil, false
	}
	u, err := s.Store.ManagedUser(r.Context(), a, id)
	if err != nil && a.Scope(domain.PermUserManage).All {
		u, err = s.Store.UserByID(r.Context(), id)
	}
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	gs, err := s.Store.Grants(r.Context(), u.ID)
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	p.Title = u.Name
	return &userPage{Page: p, User: u, Grants: gs, Roles: grantableRoles(a), Form: map[string]string{}, Errors: map[string]string{}}, true
}

// userShow shows an account (its name and phone are personal data: the
// view is audited).
func (s *Server) userShow(w http.ResponseWriter, r *http.Request) {
	up, ok := s.loadUserPage(w, r)
	if !ok {
		return
	}
	if err := s.Store.Audit(r.Context(), actorOf(r), store.AuditEntry{Action: "view", Entity: "user", EntityID: strconv.FormatInt(up.User.ID, 10)}); err != nil {
		s.fail(w, up.Page, err)
		return
	}
	switch r.URL.Query().Get("done") {
	case "reset":
		up.Flash = up.T("ui.password_was_reset")
	case "grant":
		up.Flash = up.T("ui.grant_saved")
	}
	s.render(w, http.StatusOK, "user", up)
}

func (s *Server) grantAdd(w http.ResponseWriter, r *http.Request) {
	up, ok := s.loadUserPage(w, r)
	if !ok {
		return
	}
	role := domain.Role(r.PostFormValue("role"))
	code := strings.TrimSpace(r.PostFormValue("unit"))
	up.Form["role"], up.Form["unit"] = string(role), code
	var unitID int64
	if role.NeedsUnit() {
		u, err := s.Store.UnitAt(r.Context(), code, up.Today)
		if err != nil {
			fieldErr(s, up.Lang, up.Errors, err, "unit")
			s.render(w, http.StatusUnprocessableEntity, "user", up)
			return
		}
		unitID = u.ID
	}
	if err := s.Store.AddGrant(r.Context(), actorOf(r), up.User.ID, role, unitID); err != nil {
		if domain.ErrorCode(err) == domain.EINTERNAL {
			s.fail(w, up.Page, err)
			return
		}
		fieldErr(s, up.Lang, up.Errors, err, "role")
		s.render(w, http.StatusUnprocessableEntity, "user", up)
		return
	}
	http.Redirect(w, r, "/users/"+strconv.FormatInt(up.User.ID, 10)+"?done=grant", http.StatusSeeOther)
}

func (s *Server) grantRevoke(w http.ResponseWriter, r *http.Request) {
	s.grantAction(w, r, s.Store.RevokeGrant)
}

func (s *Server) grantKeep(w http.ResponseWriter, r *http.Request) {
	s.grantAction(w, r, s.Store.MarkGrantReviewed)
}

func (s *Server) grantAction(w http.ResponseWriter, r *http.Request, do func(context.Context, *domain.Actor, int64) error) {
	gid, err := strconv.ParseInt(r.PathValue("gid"), 10, 64)
	if err != nil {
		s.fail(w, s.newPage(w, r, ""), domain.Errorf(domain.ENOTFOUND, "grant.not_found"))
		return
	}
	if err := do(r.Context(), actorOf(r), gid); err != nil {
		s.fail(w, s.newPage(w, r, ""), err)
		return
	}
	next := r.PostFormValue("next")
	if next == "" {
		next = "/users/" + r.PathValue("id") + "?done=grant"
	}
	http.Redirect(w, r, localNext(next), http.StatusSeeOther)
}

// passwordReset sets a new password for a user the officer manages; the
// user must change it at next login, and every session of theirs ends.
func (s *Server) passwordReset(w http.ResponseWriter, r *http.Request) {
	up, ok := s.loadUserPage(w, r)
	if !ok {
		return
	}
	pw := r.PostFormValue("password")
	if err := domain.CheckPassword(pw); err != nil {
		fieldErr(s, up.Lang, up.Errors, err, "password")
		s.render(w, http.StatusUnprocessableEntity, "user", up)
		return
	}
	if err := s.Store.SetPassword(r.Context(), actorOf(r), up.User.ID, domain.HashPassword(pw), true, ""); err != nil {
		s.fail(w, up.Page, err)
		return
	}
	http.Redirect(w, r, "/users/"+strconv.FormatInt(up.User.ID, 10)+"?done=reset", http.StatusSeeOther)
}

func (f userForm) formValue(n string) string { return f.Form[n] }
func (f userForm) formError(n string) string { return f.Errors[n] }
