package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"thonso/internal/i18n"
	"thonso/internal/store"
)

// wroteCookie marks a browser that changed something a moment ago: while
// it is there, its reads go to the primary, so a user always sees their
// own write even when a replica lags (docs/decisions.md, "read replicas").
const wroteCookie = "thonso_w"

// replicaRoute says whether a GET route's reads may be served by a read
// replica: dashboards, reports, exports and the public pages — work that
// only reads and tolerates --db-read-max-lag. Everything else reads from
// the primary. A route added here must not read-then-write.
func replicaRoute(pattern string) bool {
	switch pattern {
	case "/{$}",
		"/units",
		"/units/{code}",
		"/teams/{id}",
		"/days-off",
		"/procedures",
		"/u/{code}",
		"/v/{slug}",
		"/v/{slug}/qr.svg",
		"/v/{slug}/qr.png",
		"/v/{slug}/poster.pdf",
		"/v/{slug}/photo.jpg",
		"/units/{code}/dossiers",
		"/villages/{code}/scorecard",
		"/units/{code}/criteria",
		"/units/{code}/dashboard",
		"/units/{code}/rankings",
		"/units/{code}/export",
		"/villages/{code}/scorecard/{indicator}":
		return true
	}
	return false
}

// stickySpan is how long after a write a browser keeps reading from the
// primary: a replica in use is at most MaxLag behind (measured every
// second), so by then it holds the write.
func (s *Server) stickySpan() time.Duration {
	span := time.Duration(0)
	for _, rp := range s.Store.Replicas() {
		span = max(span, rp.MaxLag)
	}
	if span == 0 {
		return 0
	}
	return span + 2*time.Second
}

// readReplica marks a replica-eligible request ReadOnly unless its
// browser wrote a moment ago.
func (s *Server) readReplica(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(wroteCookie); err == nil && c.Value != "" {
			h(w, r)
			return
		}
		h(w, r.WithContext(store.ReadOnly(r.Context())))
	}
}

// markWrote sets the cookie that keeps this browser on the primary for a
// while; only when replicas are configured, so a single database sends
// no extra cookie.
func (s *Server) markWrote(w http.ResponseWriter, r *http.Request) {
	span := s.stickySpan()
	if span == 0 {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: wroteCookie, Value: "1", Path: "/", MaxAge: int(span / time.Second), HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// ReplicaLine describes a read replica's state in lang, for /readyz and
// serve's start-up lines.
func ReplicaLine(cat *i18n.Catalog, lang string, st store.ReplicaStatus) string {
	lag := cat.T(lang, "ready.lag_unknown", nil)
	if st.Up && st.Lag >= 0 {
		lag = strconv.FormatFloat(st.Lag.Seconds(), 'f', 1, 64) + " s"
		if st.LagBytes > 0 {
			lag += fmt.Sprintf(", %d B", st.LagBytes)
		}
	}
	args := map[string]any{"name": st.Name, "where": st.Where, "lag": lag, "max": st.MaxLag.String(), "reason": st.Reason}
	switch {
	case st.InUse:
		return cat.T(lang, "ready.replica_in_use", args)
	case st.Up && st.Reason == "lag":
		return cat.T(lang, "ready.replica_lagging", args)
	default:
		return cat.T(lang, "ready.replica_down", args)
	}
}

// writeReplicaMetrics adds each replica's lag and state to /metrics.
func (s *Server) writeReplicaMetrics(w http.ResponseWriter) {
	reps := s.Store.Replicas()
	if len(reps) == 0 {
		return
	}
	fmt.Fprintf(w, "# HELP thonso_db_replica_lag_seconds How far a read replica's data is behind the primary (-1: unknown).\n# TYPE thonso_db_replica_lag_seconds gauge\n")
	for _, st := range reps {
		lag := st.Lag.Seconds()
		if !st.Up || st.Lag < 0 {
			lag = -1
		}
		fmt.Fprintf(w, "thonso_db_replica_lag_seconds{replica=%q} %g\n", st.Name, lag)
	}
	fmt.Fprintf(w, "# HELP thonso_db_replica_in_use 1 when read-only work goes to the replica.\n# TYPE thonso_db_replica_in_use gauge\n")
	for _, st := range reps {
		v := 0
		if st.InUse {
			v = 1
		}
		fmt.Fprintf(w, "thonso_db_replica_in_use{replica=%q} %d\n", st.Name, v)
	}
	fmt.Fprintf(w, "# HELP thonso_db_replica_queries_total Queries sent to the replica.\n# TYPE thonso_db_replica_queries_total counter\n")
	for _, st := range reps {
		fmt.Fprintf(w, "thonso_db_replica_queries_total{replica=%q} %d\n", st.Name, st.Served)
	}
}
