package web

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"thonso/internal/domain"
)

const (
	sessionCookie = "thonso_session"
	csrfCookie    = "thonso_csrf"
)

type ctxKey int

const actorKey ctxKey = 1

// actorOf returns the logged-in actor of a request, or nil.
func actorOf(r *http.Request) *domain.Actor {
	a, _ := r.Context().Value(actorKey).(*domain.Actor)
	return a
}

// clientIP is the address of the client: the connection's peer, or, when
// that peer is a trusted proxy, the right-most address in
// X-Forwarded-For that is not itself a trusted proxy (a client can put
// anything on the left of that header).
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	// Every X-Forwarded-For line, in order: a proxy may add its own line.
	parts := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(parts) - 1; i >= 0; i-- {
		p := strings.TrimSpace(parts[i])
		if p == "" {
			continue
		}
		if !s.trusted(p) {
			return p
		}
		host = p
	}
	return host
}

func (s *Server) trusted(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	for _, p := range s.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// withActor loads the session's user, if any, into the request context.
func (s *Server) withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err == nil && c.Value != "" {
			u, err := s.Store.SessionUser(r.Context(), c.Value)
			if err == nil {
				a, err := s.Store.Actor(r.Context(), u, s.clientIP(r), "web")
				if err != nil {
					s.Log.Error("actor", "err", err)
				} else {
					r = r.WithContext(context.WithValue(r.Context(), actorKey, a))
				}
			} else if domain.ErrorCode(err) == domain.EUNAUTHORIZED {
				clearCookie(w, sessionCookie) // expired; a database hiccup keeps it
			} else {
				s.Log.Error("session", "err", err)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// access says who may reach a route.
type access struct {
	public bool              // anyone, logged in or not
	perm   domain.Permission // a permission held on some unit ("" = any logged-in user)
}

// guard enforces a route's access rule: a visitor goes to the login page
// (and comes back after), a user lacking the permission gets 403 naming
// it, a user who must change their password goes to do so first. Pages
// behind a login may show personal data: they are never cached.
func (s *Server) guard(acc access, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			// Bound every body before anything parses it (uploads included).
			r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
		}
		if r.Method == http.MethodPost && !s.csrfOK(r) {
			p := s.newPage(w, r, "ui.error_title")
			s.render(w, http.StatusForbidden, "error", errorPage{Page: p, Message: p.T("auth.csrf")})
			return
		}
		if r.Method == http.MethodPost {
			s.markWrote(w, r) // this browser reads its own write from the primary
		}
		if acc.public {
			h(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		a := actorOf(r)
		if a == nil {
			next := r.URL.RequestURI()
			if r.Method != http.MethodGet {
				next = "/"
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		if a.User.MustChange && r.URL.Path != "/me/password" && r.URL.Path != "/logout" {
			http.Redirect(w, r, "/me/password", http.StatusSeeOther)
			return
		}
		if acc.perm != "" && !a.Can(acc.perm) {
			p := s.newPage(w, r, "ui.forbidden_title")
			s.render(w, http.StatusForbidden, "error", errorPage{Page: p, Message: p.T("auth.forbidden", "permission", string(acc.perm))})
			return
		}
		h(w, r)
	}
}

// csrfToken returns the request's double-submit token, setting the cookie
// when the browser has none yet.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 20 {
		return c.Value
	}
	tok := domain.NewSecret("")
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	return tok
}

// csrfOK checks a state-changing request: the form's token must equal the
// cookie's, and a browser's Origin, when sent, must be this site.
func (s *Server) csrfOK(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) == 1
}

func clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
}

// localNext keeps a redirect target on this site: a path with no scheme
// or host, no control characters or backslashes (browsers drop a tab in
// "/\t/evil.example" and follow "//evil.example").
func localNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// secure reports whether the client reached us over HTTPS: directly, or
// through a trusted proxy that says so (X-Forwarded-Proto), so cookies are
// Secure and HSTS is sent behind a TLS-terminating proxy too.
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return s.trusted(host) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
