package web

import (
	"net/http"
	"strconv"
	"strings"

	"thonso/internal/domain"
)

type loginPage struct {
	*Page
	Login, Next, Error string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.login")
	if actorOf(r) != nil {
		http.Redirect(w, r, localNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	lp := loginPage{Page: p, Next: localNext(r.URL.Query().Get("next"))}
	if r.URL.Query().Get("expired") != "" {
		lp.Error = p.T("auth.session_expired")
	}
	s.render(w, http.StatusOK, "login", lp)
}

// login checks a login or phone and a password. A wrong password and an
// unknown login get the same message and take the same time (an unknown
// login is still checked against a dummy hash). Five failures in 15
// minutes make the account wait 15 minutes; the page says until when.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.login")
	ctx := r.Context()
	login := strings.TrimSpace(r.PostFormValue("login"))
	lp := loginPage{Page: p, Login: login, Next: localNext(r.PostFormValue("next"))}
	ip := s.clientIP(r)
	u, hash, err := s.Store.Credentials(ctx, login)
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		s.fail(w, p, err)
		return
	}
	// The throttle counts per account, however its login or phone was
	// spelt; for an unknown login, per what was typed.
	key := strings.ToLower(login)
	if u.ID != 0 {
		key = "#" + strconv.FormatInt(u.ID, 10)
	}
	until, err := s.Store.LoginLockedUntil(ctx, key, ip)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	if !until.IsZero() {
		t := until.In(domain.Vietnam())
		lp.Error = p.T("auth.locked", "time", t.Format("15:04"), "date", domain.DateOf(until))
		s.render(w, http.StatusTooManyRequests, "login", lp)
		return
	}
	ok := domain.VerifyPassword(hash, r.PostFormValue("password")) && !u.Disabled
	if !ok {
		if err := s.Store.RecordLoginFailure(ctx, key, ip); err != nil {
			s.fail(w, p, err)
			return
		}
		lp.Error = p.T("auth.bad_credentials")
		s.render(w, http.StatusUnprocessableEntity, "login", lp)
		return
	}
	a, err := s.Store.Actor(ctx, u, ip, "web")
	if err != nil {
		s.fail(w, p, err)
		return
	}
	secret, err := s.Store.CreateSession(ctx, a, r.UserAgent())
	if err != nil {
		s.fail(w, p, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	next := lp.Next
	if u.MustChange {
		next = "/me/password"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// clearOnLogout is what the browser is told to drop at logout: everything
// (the shared computer keeps nothing), except on a phone registered for
// offline work, whose script asks to keep its storage — the outbox of
// unsent changes and the device token — so nothing typed is lost; the
// village's reference data is dropped by the script itself.
func clearOnLogout(r *http.Request) string {
	if r.PostFormValue("keep") == "outbox" {
		return `"cache"`
	}
	return `"cache", "storage"`
}

// logout ends this session; the shared computer keeps nothing.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Store.EndSession(r.Context(), actorOf(r), c.Value); err != nil {
			s.fail(w, s.newPage(w, r, ""), err)
			return
		}
	}
	clearCookie(w, sessionCookie)
	w.Header().Set("Clear-Site-Data", clearOnLogout(r))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// logoutAll ends every session of the user, on every device.
func (s *Server) logoutAll(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	if err := s.Store.EndAllSessions(r.Context(), a, a.User.ID); err != nil {
		s.fail(w, s.newPage(w, r, ""), err)
		return
	}
	clearCookie(w, sessionCookie)
	w.Header().Set("Clear-Site-Data", `"cache", "storage"`)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
