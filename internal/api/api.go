// Package api is the JSON API over the same domain and store as the web
// pages, described by the OpenAPI document at /api/openapi.json.
package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/obs"
	"thonso/internal/store"
)

//go:embed openapi.json
var openapiDoc []byte

// API serves /api/….
type API struct {
	Store *store.Store
	Cat   *i18n.Catalog
	Log   *slog.Logger
	Now   func() time.Time
}

// Handler returns the API's routes.
func (a *API) Handler() http.Handler {
	if a.Now == nil {
		a.Now = time.Now
	}
	if a.Log == nil {
		a.Log = slog.Default()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapiDoc)
	})
	for _, rt := range a.routes() {
		mux.HandleFunc(rt.Method+" "+rt.Pattern, rt.h)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, domain.Errorf(domain.ENOTFOUND, "error.not_found_page"))
	})
	return a.withToken(obs.Route(mux))
}

// Route is one /api/v1 route; the OpenAPI test checks each is described.
type Route struct {
	Method, Pattern string
	h               http.HandlerFunc
}

// Routes lists the /api/v1 routes.
func (a *API) Routes() []Route { return a.routes() }

func (a *API) routes() []Route {
	return []Route{
		{"GET", "/api/v1/units/{code}", readOnly(a.unitGet)},
		{"GET", "/api/v1/units", readOnly(a.unitList)},
		{"GET", "/api/v1/villages", readOnly(a.villageList)},
		{"GET", "/api/v1/me", a.authed(a.me)},
		{"GET", "/api/v1/units/{code}/figures", readOnly(a.authed(a.unitFigures))},
		{"GET", "/api/v1/units/{code}/stats", readOnly(a.unitStats)},
		{"GET", "/api/v1/villages/{code}/stats", readOnly(a.villageStats)},
		{"GET", "/api/v1/villages/{code}/residents", a.authed(a.villageResidents)},
		{"GET", "/api/v1/villages/{code}/households", a.authed(a.villageHouseholds)},
		{"GET", "/api/v1/residents/{id}", a.authed(a.residentGet)},
		{"POST", "/api/v1/residents", a.authed(a.residentCreate)},
		{"PATCH", "/api/v1/residents/{id}", a.authed(a.residentUpdate)},
		{"GET", "/api/v1/households/{id}", a.authed(a.householdGet)},
		{"POST", "/api/v1/households", a.authed(a.householdCreate)},
		{"GET", "/api/v1/procedures", readOnly(a.procedures)},
		{"POST", "/api/v1/dossiers", a.authed(a.dossierCreate)},
		{"GET", "/api/v1/dossiers/{id}", a.authed(a.dossierGet)},
		{"POST", "/api/v1/dossiers/{id}/steps", a.authed(a.dossierStep)},
		{"GET", "/api/v1/villages/{code}/dossiers", a.authed(a.villageDossiers)},
		{"POST", "/api/v1/devices", a.authed(a.deviceRegister)},
		{"POST", "/api/v1/sync", a.authed(a.sync)},
		{"GET", "/api/v1/offline/{code}", a.authed(a.offlineData)},
	}
}

// readOnly lets a route's reads be served by a read replica (--db-read):
// public figures and lists that tolerate the replica's bounded lag. The
// other routes, a client's own records and every write, stay on the
// primary.
func readOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h(w, r.WithContext(store.ReadOnly(r.Context())))
	}
}

// statusOf maps error codes to HTTP statuses (CONVENTIONS.md).
var statusOf = map[string]int{
	domain.EINVALID:      http.StatusBadRequest,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.ECONFLICT:     http.StatusConflict,
	domain.EINTERNAL:     http.StatusInternalServerError,
}

type errorBody struct {
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Field   *string `json:"field"`
}

func (a *API) lang(r *http.Request) string { return i18n.Lang(r.Header.Get("Accept-Language")) }

func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	if ctx := r.Context(); ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		// The client gave up: not a server fault (nginx's 499).
		a.Log.Info("api abandoned", "path", r.URL.Path)
		w.WriteHeader(499)
		return
	}
	body := a.errJSON(r, err)
	a.write(w, statusOf[body.Code], body)
}

// errJSON is an error as the API answers it, in the caller's language.
func (a *API) errJSON(r *http.Request, err error) errorBody {
	code := domain.ErrorCode(err)
	body := errorBody{Code: code, Message: a.Cat.Err(a.lang(r), err)}
	if e, ok := domain.AsError(err); ok && e.Field != "" {
		body.Field = &e.Field
	}
	if code == domain.EINTERNAL {
		a.Log.Error("api", "path", r.URL.Path, "err", err)
	}
	return body
}

func (a *API) write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Language", "vi")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// at reads ?at=YYYY-MM-DD, today in Vietnam by default.
func (a *API) at(r *http.Request) (domain.Date, error) {
	raw := r.URL.Query().Get("at")
	if raw == "" {
		return domain.DateOf(a.Now()), nil
	}
	d, err := domain.ParseISO(raw)
	if err != nil || d.IsZero() || len(raw) != 10 {
		return domain.Date{}, domain.Errorf(domain.EINVALID, "api.at_invalid", "value", raw).WithField("at")
	}
	return d, nil
}

// page reads ?limit= and ?cursor=.
func page(r *http.Request) (limit int, cursor string, err error) {
	limit = 100
	if raw := r.URL.Query().Get("limit"); raw != "" {
		n, e := strconv.Atoi(raw)
		if e != nil || n < 1 || n > 1000 {
			return 0, "", domain.Errorf(domain.EINVALID, "api.limit_invalid", "value", raw).WithField("limit")
		}
		limit = n
	}
	cursor = r.URL.Query().Get("cursor")
	if len(cursor) > 32 || strings.ContainsAny(cursor, " %") {
		return 0, "", domain.Errorf(domain.EINVALID, "api.cursor_invalid").WithField("cursor")
	}
	return limit, cursor, nil
}

type list struct {
	Items any     `json:"items"`
	Next  *string `json:"next"`
}

func nextOf(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
