package web

import (
	"net/http"
	"strconv"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

type mePage struct {
	*Page
	Grants   []domain.Grant
	Tokens   []store.Token
	NewToken string
	Flash    string
	Errors   map[string]string
	Form     map[string]string
}

func (s *Server) mePage(w http.ResponseWriter, r *http.Request) (*mePage, error) {
	p := s.newPage(w, r, "ui.me")
	a := actorOf(r)
	toks, err := s.Store.Tokens(r.Context(), a.User.ID)
	if err != nil {
		return nil, err
	}
	return &mePage{Page: p, Grants: a.Grants, Tokens: toks, Errors: map[string]string{}, Form: map[string]string{}}, nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	mp, err := s.mePage(w, r)
	if err != nil {
		s.fail(w, s.newPage(w, r, ""), err)
		return
	}
	if r.URL.Query().Get("done") == "password" {
		mp.Flash = mp.T("ui.password_changed")
	}
	s.render(w, http.StatusOK, "me", mp)
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) {
	mp, err := s.mePage(w, r)
	if err != nil {
		s.fail(w, s.newPage(w, r, ""), err)
		return
	}
	s.render(w, http.StatusOK, "password", mp)
}

// passwordChange sets the user's own password; other sessions end.
func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request) {
	mp, err := s.mePage(w, r)
	if err != nil {
		s.fail(w, s.newPage(w, r, ""), err)
		return
	}
	a := actorOf(r)
	cur, pw, again := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("again")
	_, hash, err := s.Store.Credentials(r.Context(), a.User.Login)
	switch {
	case err != nil:
		s.fail(w, mp.Page, err)
		return
	case !domain.VerifyPassword(hash, cur):
		mp.Errors["current"] = mp.T("password.wrong_current")
	case domain.CheckPassword(pw) != nil:
		mp.Errors["password"] = s.Cat.Err(mp.Lang, domain.CheckPassword(pw))
	case pw != again:
		mp.Errors["again"] = mp.T("password.mismatch")
	}
	if len(mp.Errors) > 0 {
		s.render(w, http.StatusUnprocessableEntity, "password", mp)
		return
	}
	keep := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		keep = c.Value
	}
	if err := s.Store.SetPassword(r.Context(), a, a.User.ID, domain.HashPassword(pw), false, keep); err != nil {
		s.fail(w, mp.Page, err)
		return
	}
	http.Redirect(w, r, "/me?done=password", http.StatusSeeOther)
}

// tokenCreate makes an API token and shows it once.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) {
	mp, err := s.mePage(w, r)
	if err != nil {
		s.fail(w, s.newPage(w, r, ""), err)
		return
	}
	a := actorOf(r)
	name := r.PostFormValue("name")
	mp.Form["name"], mp.Form["days"] = name, r.PostFormValue("days")
	days := 0
	if v := r.PostFormValue("days"); v != "" {
		days, err = strconv.Atoi(v)
		if err != nil || days < 0 || days > 3650 {
			mp.Errors["days"] = mp.T("token.days_invalid")
			s.render(w, http.StatusUnprocessableEntity, "me", mp)
			return
		}
	}
	secret, _, err := s.Store.CreateToken(r.Context(), a, a.User.ID, name, time.Duration(days)*24*time.Hour)
	if err != nil {
		s.fail(w, mp.Page, err)
		return
	}
	if mp.Tokens, err = s.Store.Tokens(r.Context(), a.User.ID); err != nil {
		s.fail(w, mp.Page, err)
		return
	}
	mp.NewToken = secret
	mp.Form = map[string]string{}
	s.render(w, http.StatusOK, "me", mp)
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.Store.RevokeToken(r.Context(), a, a.User.ID, id); err != nil {
		s.fail(w, s.newPage(w, r, ""), err)
		return
	}
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}
