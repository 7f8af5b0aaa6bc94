package web

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"thonso/internal/domain"
)

// maxCachedPages bounds the rendered-page cache; past it the cache starts
// again empty (a country has ~100,000 villages, few of them hot at once).
const maxCachedPages = 4096

// pageCache keeps rendered public village pages, so a repeat visit costs
// no query at all: no slug lookup, no page data, no render, no gzip.
//
// It is correct across app servers and processes: an entry is used only
// while the public data version it was rendered under — which triggers
// move with every change to what a public page shows (migration 0020) —
// is the current one (Store.CurrentPublicVersion: on PostgreSQL known
// from LISTEN/NOTIFY without a query, on SQLite one prepared read), and
// only until the page's own clock moves (the next session starts or
// ends, midnight in Vietnam). The version an entry carries is read from
// the same database as its data and before it, so a write landing in
// between, or a lagging read replica, leaves an entry that never matches
// the current version and is rendered again.
type pageCache struct {
	mu sync.RWMutex
	m  map[string]*cachedPage
}

type cachedPage struct {
	version int64
	expires time.Time
	ctype   string
	body    []byte
	gz      []byte // nil when the body is not worth compressing
	etag    string
	lastMod time.Time
	// The header values, made once: a hit only copies slices.
	hCtype, hETag, hETagGz, hLastMod, hCache, hVary, hGzip []string
}

func (c *pageCache) get(key []byte, version int64, now time.Time) *cachedPage {
	c.mu.RLock()
	e := c.m[string(key)] // no allocation: the compiler looks the bytes up
	c.mu.RUnlock()
	if e == nil || e.version != version || !now.Before(e.expires) {
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
	e.hCtype = []string{ctype}
	e.hCache, e.hVary, e.hGzip = []string{"public, no-cache"}, []string{"Accept-Encoding, Cookie"}, []string{"gzip"}
	e.hETag = []string{e.etag}
	e.hETagGz = []string{strings.TrimSuffix(e.etag, `"`) + `-gz"`}
	if !lastMod.IsZero() {
		e.hLastMod = []string{lastMod.UTC().Format(http.TimeFormat)}
	}
	if len(body) > 512 && (strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "image/svg")) {
		e.gz = s.gzipped(body)
	}
	return e
}

// serveEntry answers like serveCached, from a prepared entry: the
// headers were made with the entry, so a hit formats nothing.
func (s *Server) serveEntry(w http.ResponseWriter, r *http.Request, e *cachedPage) {
	h := w.Header()
	h["Cache-Control"] = e.hCache
	h["Vary"] = e.hVary
	if e.hLastMod != nil {
		h["Last-Modified"] = e.hLastMod
	}
	gz := e.gz != nil && acceptsGzip(r)
	if gz {
		h["Etag"] = e.hETagGz
	} else {
		h["Etag"] = e.hETag
	}
	if notModified(r, e.etag, e.lastMod) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Type"] = e.hCtype
	body := e.body
	if gz {
		h["Content-Encoding"] = e.hGzip
		body = e.gz
	}
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}
