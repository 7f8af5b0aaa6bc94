package obs

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMetricsText(t *testing.T) {
	m := NewMetrics()
	m.Observe("GET /v/{slug}", "GET", 200, 30*time.Millisecond)
	m.Observe("GET /v/{slug}", "GET", 200, 2*time.Second)
	m.Observe(`odd "route"`+"\n", "POST", 400, time.Millisecond)
	var b bytes.Buffer
	m.Write(&b, []Pool{{Name: "writer", Stats: sql.DBStats{OpenConnections: 1, MaxOpenConnections: 1}}})
	out := b.String()
	for _, want := range []string{
		`thonso_http_requests_total{route="GET /v/{slug}",method="GET",code="200"} 2`,
		`thonso_http_request_duration_seconds_bucket{route="GET /v/{slug}",le="0.05"} 1`,
		`thonso_http_request_duration_seconds_bucket{route="GET /v/{slug}",le="2.5"} 2`,
		`thonso_http_request_duration_seconds_bucket{route="GET /v/{slug}",le="+Inf"} 2`,
		`thonso_http_request_duration_seconds_count{route="GET /v/{slug}"} 2`,
		`route="odd \"route\"\n"`,
		`thonso_db_open_connections{pool="writer"} 1`,
		"# TYPE thonso_http_requests_total counter",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
}

func TestRequestID(t *testing.T) {
	var logs bytes.Buffer
	log := NewLogger(&logs, "json", "info")
	m := NewMetrics()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /x/{id}", func(w http.ResponseWriter, r *http.Request) {
		log.InfoContext(r.Context(), "inside")
		w.WriteHeader(http.StatusTeapot)
	})
	h := m.Middleware(log, Route(mux))
	for _, c := range []struct{ sent, want string }{{"abc-123", "abc-123"}, {"bad id; drop", ""}, {"", ""}} {
		logs.Reset()
		req := httptest.NewRequest("GET", "/x/1", nil)
		if c.sent != "" {
			req.Header.Set("X-Request-Id", c.sent)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		id := rec.Header().Get("X-Request-Id")
		if c.want != "" && id != c.want || c.want == "" && len(id) != 16 {
			t.Errorf("sent %q: id %q", c.sent, id)
		}
		lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
		if len(lines) != 2 {
			t.Fatalf("log lines: %q", lines)
		}
		for _, l := range lines {
			var rec map[string]any
			if err := json.Unmarshal([]byte(l), &rec); err != nil || rec["request_id"] != id {
				t.Errorf("line without the id: %s", l)
			}
		}
		if !strings.Contains(lines[1], `"route":"GET /x/{id}"`) || !strings.Contains(lines[1], `"status":418`) {
			t.Errorf("access line: %s", lines[1])
		}
	}
}
