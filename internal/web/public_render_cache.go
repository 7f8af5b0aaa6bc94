package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"thonso/internal/domain"
)

// maxCachedPages bounds the rendered-page cache; past it the cache starts
// again empty (a country has ~100,000 villages, few of them hot at once).
const maxCachedPages = 4096

// pageCache keeps rendered public village pages, so a repeat visit costs
// the slug and two small queries instead of a dozen and a render.
//
// It is correct across app servers without any message between them: an
// entry is used only while its validator — the public data version, read
// from the database on every request — is the one it was rendered under, and only until the page's own clock
// moves (the next session starts or ends, midnight in Vietnam). A change
// made through any server, or the command line, changes the validator in
// the database every server reads, so it shows at the next request. The
// validator is read before the page's data, so a write landing between
// the two leaves an entry that the next request finds stale. With read
// replicas the validator and the page come from the same database, so a
// lagging replica never pins an old page.
type pageCache struct {
	mu sync.Mutex
	m  map[string]*cachedPage
}

type cachedPage struct {
	validator string
	expires   time.Time
	ctype     string
	body, gz  []byte // gz is nil when the body is not worth compressing
	etag      string
	lastMod   time.Time
}

func (c *pageCache) get(key, validator string, now time.Time) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[key]
	if e == nil || e.validator != validator || !now.Before(e.expires) {
		return nil
	}
	return e
}

func (c *pageCache) put(key string, e *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedPages {
		c.m = map[string]*cachedPage{}
	}
	c.m[key] = e
}

// villageValidator is what a cached village page depends on in the
// database: the public data version, which triggers bump with every
// change to what a public page shows (migration 0020), and the village's
// own name and slug. ok is false when the version is missing (a database
// being reset): then nothing is cached.
func (s *Server) villageValidator(ctx context.Context, u domain.Unit) (string, bool, error) {
	v, ok, err := s.Store.PublicVersion(ctx)
	if err != nil || !ok {
		return "", false, err
	}
	return strconv.FormatInt(v, 10) + "|" + u.Name + "|" + u.Slug, true, nil
}

// villagePageExpiry is when a page rendered now stops being right by the
// clock alone: the next session starting or ending, or midnight.
func (s *Server) villagePageExpiry(vi villageInfo) time.Time {
	today := s.today().AddDays(1)
	exp := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, domain.Vietnam())
	now := s.Now()
	if vi.Next != nil {
		for _, t := range []time.Time{vi.Next.Start, vi.Next.End} {
			if t.After(now) && t.Before(exp) {
				exp = t
			}
		}
	}
	return exp
}

// newCachedPage compresses a body once for every visitor that takes gzip.
func (s *Server) newCachedPage(ctype string, body []byte, lastMod time.Time) *cachedPage {
	e := &cachedPage{ctype: ctype, body: body, etag: etagOf(body), lastMod: lastMod}
	if len(body) > 512 && (strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "image/svg")) {
		var buf bytes.Buffer
		zw := s.gzipWriters.Get().(*gzip.Writer)
		zw.Reset(&buf)
		zw.Write(body)
		zw.Close()
		s.gzipWriters.Put(zw)
		e.gz = buf.Bytes()
	}
	return e
}

// serveEntry answers like serveCached, from a prepared entry.
func (s *Server) serveEntry(w http.ResponseWriter, r *http.Request, e *cachedPage) {
	h := w.Header()
	h.Set("Cache-Control", "public, no-cache")
	h.Set("Vary", "Accept-Encoding, Cookie")
	if !e.lastMod.IsZero() {
		h.Set("Last-Modified", e.lastMod.UTC().Format(http.TimeFormat))
	}
	gz := e.gz != nil && acceptsGzip(r)
	tag := e.etag
	if gz {
		tag = strings.TrimSuffix(e.etag, `"`) + `-gz"`
	}
	h.Set("ETag", tag)
	if notModified(r, e.etag, e.lastMod) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", e.ctype)
	body := e.body
	if gz {
		h.Set("Content-Encoding", "gzip")
		body = e.gz
	}
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}
