package web

import (
	"net/http"
	"runtime/debug"
	"strings"

	"thonso/internal/obs"
)

// securityHeaders sets the headers every response carries: a CSP without
// inline script, no framing, no sniffing, a strict referrer policy, and
// HSTS when the request came over TLS (directly or via a trusted proxy).
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// Values made once (New), assigned without canonicalising: this
		// runs on every request, the public page's cache hits included.
		sh := &s.secHeaders
		h["Content-Security-Policy"] = sh.csp
		h["X-Content-Type-Options"] = sh.nosniff
		h["Referrer-Policy"] = sh.referrer
		h["X-Frame-Options"] = sh.frame
		if s.secure(r) {
			h["Strict-Transport-Security"] = sh.hsts
		}
		next.ServeHTTP(w, r)
	})
}

// securityHeaderValues are the values securityHeaders sets; each a
// one-element slice that net/http only reads (an Add would copy it).
type securityHeaderValues struct{ csp, nosniff, referrer, frame, hsts []string }

func newSecurityHeaders() securityHeaderValues {
	return securityHeaderValues{
		csp:      []string{"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
		nosniff:  []string{"nosniff"},
		referrer: []string{"strict-origin-when-cross-origin"},
		frame:    []string{"DENY"},
		hsts:     []string{"max-age=63072000; includeSubDomains"},
	}
}

// villageHit answers a public village page from the rendered-page cache
// before the session, the router and the read-replica mark, which a hit
// does not need: only a request URI that villagePage itself rendered
// (and so the router sent there) can hit.
func (s *Server) villageHit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && len(r.URL.Path) > 3 && r.URL.Path[:3] == "/v/" &&
			strings.IndexByte(r.URL.Path[3:], '/') < 0 {
			if e, _ := s.villageCached(r); e != nil {
				obs.SetRoute(r.Context(), "GET /v/{slug}")
				s.serveEntry(w, r, e)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into the generic error page and a log line.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.ErrorContext(r.Context(), "panic", "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				http.Error(w, s.Cat.T(s.lang(r), "error.internal", nil), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
