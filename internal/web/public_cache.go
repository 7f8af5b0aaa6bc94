package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"
)

// newGzipWriter fills Server.gzipWriters: writers are reused, since a new
// one allocates about 800 KB, far more than the page it compresses.
func newGzipWriter() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
	return zw
}

// gzipped compresses body with a pooled writer.
func (s *Server) gzipped(body []byte) []byte {
	var buf bytes.Buffer
	zw := s.gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(body)
	zw.Close()
	s.gzipWriters.Put(zw)
	return buf.Bytes()
}

// renderBytes executes a page into memory.
func (s *Server) renderBytes(name string, data any) ([]byte, error) {
	t, ok := s.pages[name]
	if !ok {
		panic("no template " + name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// etagOf is a strong validator of a body: its hash. It changes exactly
// when what the resident would see changes (a member's consent, a slot,
// the next session moving on, the language), so a cached copy is never
// kept past a change.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
}

// serveCached answers a public GET with validators: 304 when the client
// already holds this body (If-None-Match; or, without it, If-Modified-Since
// not older than lastMod), else the body, gzipped when the client takes
// it. "no-cache" makes every visit revalidate, so a change shows at once.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, ctype string, body []byte, lastMod time.Time) {
	etag := etagOf(body)
	h := w.Header()
	h.Set("Cache-Control", "public, no-cache")
	h.Set("Vary", "Accept-Encoding, Cookie")
	if !lastMod.IsZero() {
		h.Set("Last-Modified", lastMod.UTC().Format(http.TimeFormat))
	}
	gz := acceptsGzip(r) && len(body) > 512 && (strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "image/svg"))
	tag := etag
	if gz {
		tag = strings.TrimSuffix(etag, `"`) + `-gz"`
	}
	h.Set("ETag", tag)
	if notModified(r, etag, lastMod) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", ctype)
	if gz {
		h.Set("Content-Encoding", "gzip")
		body = s.gzipped(body)
	}
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// notModified applies RFC 9110: If-None-Match wins when present (either
// encoding's tag of the same body matches); If-Modified-Since is used only
// without it.
func notModified(r *http.Request, etag string, lastMod time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		base := strings.TrimSuffix(etag, `"`)
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == etag || t == base+`-gz"` {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !lastMod.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !lastMod.Truncate(time.Second).After(t)
	}
	return false
}

func acceptsGzip(r *http.Request) bool {
	rest := r.Header.Get("Accept-Encoding")
	for rest != "" { // strings.Split would allocate on every cache hit
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
