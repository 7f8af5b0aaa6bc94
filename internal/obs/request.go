package obs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"
)

type ctxKey int

const (
	routeKey ctxKey = iota
)

// RequestID is the id of the request ctx belongs to ("" outside one).
func RequestID(ctx context.Context) string {
	if slot, ok := ctx.Value(routeKey).(*routeSlot); ok {
		return slot.id
	}
	return ""
}

// routeSlot carries the request's id, and the matched pattern from the
// innermost mux back out to the middleware that counts the request. One
// value in the context for both, allocated with the status writer: the
// public page's cache hits go through here tens of thousands of times a
// second.
type routeSlot struct {
	id, pattern string
	sw          statusWriter
}

// Route wraps a ServeMux (or anything that sets Request.Pattern): after
// it answers, the pattern it matched is handed to Middleware. The
// innermost mux wins, so /api/… requests are counted by the API's
// patterns, not by the web mux's "/api/".
func Route(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if slot, ok := r.Context().Value(routeKey).(*routeSlot); ok && slot.pattern == "" {
			slot.pattern = r.Pattern
		}
	})
}

// SetRoute names the route of a request answered before any mux (a
// cache hit on a hot path), for Middleware to count it under.
func SetRoute(ctx context.Context, pattern string) {
	if slot, ok := ctx.Value(routeKey).(*routeSlot); ok && slot.pattern == "" {
		slot.pattern = pattern
	}
}

// validID accepts a proxy's request id when it is short and plain.
func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// Middleware gives every request an id (the proxy's X-Request-Id when it
// sends a plain one, else 16 random hex digits), returns it in the
// X-Request-Id header, counts the request in m and writes one access-log
// line with the id, the route, the status and the time taken (at Info;
// server errors at Error).
func (m *Metrics) Middleware(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validID(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		slot := &routeSlot{id: id, sw: statusWriter{ResponseWriter: w, code: http.StatusOK}}
		ctx := context.WithValue(r.Context(), routeKey, slot)
		sw := &slot.sw
		m.addInFlight(1)
		defer func() {
			m.addInFlight(-1)
			d := time.Since(start)
			route := slot.pattern
			if route == "" {
				route = "other"
			}
			m.Observe(route, r.Method, sw.code, d)
			level := slog.LevelInfo
			if sw.code >= 500 {
				level = slog.LevelError
			}
			if log.Enabled(ctx, level) { // the arguments alone cost a few allocations
				log.Log(ctx, level, "request", "request_id", id, "method", r.Method, "route", route, "path", r.URL.Path,
					"status", sw.code, "bytes", sw.bytes, "duration_ms", float64(d.Microseconds())/1000)
			}
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
	})
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	code        int
	bytes       int64
	wroteHeader bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wroteHeader {
		s.code = code
		s.wroteHeader = true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.wroteHeader = true
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (flushing).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Flush passes flushes through.
func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
