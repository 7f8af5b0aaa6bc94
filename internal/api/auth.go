package api

import (
	"context"
	"net"
	"net/http"
	"strings"

	"thonso/internal/domain"
)

type ctxKey int

const actorKey ctxKey = 1

// withToken authenticates "Authorization: Bearer …": the request then acts
// with the token's user's grants. A bad, expired or revoked token is 401
// with the JSON error body; no header means an anonymous request, which
// only public endpoints accept.
func (a *API) withToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(secret) == "" {
			a.fail(w, r, domain.Errorf(domain.EUNAUTHORIZED, "auth.token_invalid"))
			return
		}
		u, err := a.Store.TokenUser(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		ip, _, _ := net.SplitHostPort(r.RemoteAddr)
		act, err := a.Store.Actor(r.Context(), u, ip, "api")
		if err != nil {
			a.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey, act)))
	})
}

func actorOf(r *http.Request) *domain.Actor {
	a, _ := r.Context().Value(actorKey).(*domain.Actor)
	return a
}

// authed wraps an endpoint that needs a token.
func (a *API) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if actorOf(r) == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="thonso"`)
			a.fail(w, r, domain.Errorf(domain.EUNAUTHORIZED, "auth.token_missing"))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r)
	}
}

type grantJSON struct {
	Role        domain.Role         `json:"role"`
	Unit        *unitRef            `json:"unit"`
	Permissions []domain.Permission `json:"permissions"`
}

type meJSON struct {
	Login  string      `json:"login"`
	Name   string      `json:"name"`
	Grants []grantJSON `json:"grants"`
}

// me: GET /api/v1/me — who the token acts as, with their grants.
func (a *API) me(w http.ResponseWriter, r *http.Request) {
	act := actorOf(r)
	out := meJSON{Login: act.User.Login, Name: act.User.Name, Grants: []grantJSON{}}
	for _, g := range act.Grants {
		out.Grants = append(out.Grants, grantJSON{Role: g.Role, Unit: ref(g.Unit), Permissions: g.Role.Permissions(g.UnitLevel)})
	}
	a.write(w, http.StatusOK, out)
}
