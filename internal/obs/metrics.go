// Package obs holds what operators watch: request metrics in the
// Prometheus text format, request ids and the access log. Nothing here is
// global; serve makes one Metrics and hands it to the web server.
package obs

import (
	"database/sql"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// buckets are the latency histogram's upper bounds in seconds: a page
// on a weak phone should answer well under a second.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type reqKey struct {
	route, method string
	code          int
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	n      uint64
}

// Metrics counts requests by route pattern, method and status and keeps a
// latency histogram per route. Routes are the mux's patterns, so the
// number of series is bounded by the route table.
type Metrics struct {
	mu       sync.Mutex
	requests map[reqKey]uint64
	latency  map[string]*histogram
	inFlight int64
	started  time.Time
}

// NewMetrics makes an empty set.
func NewMetrics() *Metrics {
	return &Metrics{requests: map[reqKey]uint64{}, latency: map[string]*histogram{}, started: time.Now()}
}

// Observe records one finished request.
func (m *Metrics) Observe(route, method string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{route, method, code}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets)+1)}
		m.latency[route] = h
	}
	sec := d.Seconds()
	i := sort.SearchFloat64s(buckets, sec)
	h.counts[i]++
	h.sum += sec
	h.n++
}

func (m *Metrics) addInFlight(d int64) {
	m.mu.Lock()
	m.inFlight += d
	m.mu.Unlock()
}

// Pool is one database connection pool's statistics, by name.
type Pool struct {
	Name  string
	Stats sql.DBStats
}

// Write prints every metric in the Prometheus text exposition format.
func (m *Metrics) Write(w io.Writer, pools []Pool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP thonso_http_requests_total HTTP requests by route pattern, method and status.")
	fmt.Fprintln(w, "# TYPE thonso_http_requests_total counter")
	keys := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.route != b.route {
			return a.route < b.route
		}
		if a.method != b.method {
			return a.method < b.method
		}
		return a.code < b.code
	})
	for _, k := range keys {
		fmt.Fprintf(w, "thonso_http_requests_total{route=%s,method=%s,code=\"%d\"} %d\n", quote(k.route), quote(k.method), k.code, m.requests[k])
	}
	fmt.Fprintln(w, "# HELP thonso_http_request_duration_seconds Time to answer a request, by route pattern.")
	fmt.Fprintln(w, "# TYPE thonso_http_request_duration_seconds histogram")
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		h := m.latency[r]
		var cum uint64
		for i, b := range buckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "thonso_http_request_duration_seconds_bucket{route=%s,le=\"%g\"} %d\n", quote(r), b, cum)
		}
		fmt.Fprintf(w, "thonso_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", quote(r), h.n)
		fmt.Fprintf(w, "thonso_http_request_duration_seconds_sum{route=%s} %g\n", quote(r), h.sum)
		fmt.Fprintf(w, "thonso_http_request_duration_seconds_count{route=%s} %d\n", quote(r), h.n)
	}
	fmt.Fprintln(w, "# HELP thonso_http_requests_in_flight Requests being answered now.")
	fmt.Fprintln(w, "# TYPE thonso_http_requests_in_flight gauge")
	fmt.Fprintf(w, "thonso_http_requests_in_flight %d\n", m.inFlight)
	gauge := func(name, help string, val func(sql.DBStats) float64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
		for _, p := range pools {
			fmt.Fprintf(w, "%s{pool=%s} %g\n", name, quote(p.Name), val(p.Stats))
		}
	}
	gauge("thonso_db_open_connections", "Open database connections.", func(s sql.DBStats) float64 { return float64(s.OpenConnections) })
	gauge("thonso_db_in_use_connections", "Database connections in use.", func(s sql.DBStats) float64 { return float64(s.InUse) })
	gauge("thonso_db_idle_connections", "Idle database connections.", func(s sql.DBStats) float64 { return float64(s.Idle) })
	gauge("thonso_db_max_open_connections", "The pool's limit.", func(s sql.DBStats) float64 { return float64(s.MaxOpenConnections) })
	counter := func(name, help string, val func(sql.DBStats) float64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", name, help, name)
		for _, p := range pools {
			fmt.Fprintf(w, "%s{pool=%s} %g\n", name, quote(p.Name), val(p.Stats))
		}
	}
	counter("thonso_db_wait_count_total", "Times a request waited for a database connection.", func(s sql.DBStats) float64 { return float64(s.WaitCount) })
	counter("thonso_db_wait_seconds_total", "Time spent waiting for a database connection.", func(s sql.DBStats) float64 { return s.WaitDuration.Seconds() })
	fmt.Fprintln(w, "# HELP thonso_uptime_seconds Seconds since the server started.")
	fmt.Fprintln(w, "# TYPE thonso_uptime_seconds gauge")
	fmt.Fprintf(w, "thonso_uptime_seconds %g\n", time.Since(m.started).Seconds())
}

// quote writes a label value with the escapes the format asks for.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
