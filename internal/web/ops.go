package web

import (
	"fmt"
	"net/http"
)

// readyz answers 200 when the database answers and its schema is current,
// else 503 with the reason, so a load balancer stops sending traffic.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.Store.Ready(r.Context()); err != nil {
		s.Log.WarnContext(r.Context(), "not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(s.Cat.Err(s.lang(r), err) + "\n"))
		return
	}
	w.Write([]byte("ok\n"))
	// Replicas never make the server unready: a lagging or lost one only
	// sends its reads to the primary. Shown so operators see it.
	for _, st := range s.Store.Replicas() {
		w.Write([]byte(ReplicaLine(s.Cat, s.lang(r), st) + "\n"))
	}
}

// metrics serves the Prometheus text format; restrict it at the reverse
// proxy (docs/deploy.md) when the site is public.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	s.Metrics.Write(w, s.Store.Pools())
	s.writeReplicaMetrics(w)
	running := 0
	s.progress.Range(func(_, _ any) bool { running++; return true })
	fmt.Fprintf(w, "# HELP thonso_import_jobs_running Resident imports running in the background on this server.\n# TYPE thonso_import_jobs_running gauge\nthonso_import_jobs_running %d\n", running)
}
