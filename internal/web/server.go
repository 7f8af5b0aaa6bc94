// Package web serves the HTML pages of Thôn Số: plain forms and
// server-drawn pages, fast on a cheap phone.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"os"
	"path"
	"sync"
	"time"

	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/obs"
	"thonso/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Server holds what the handlers need; built by cli/serve.go.
type Server struct {
	Store *store.Store
	Cat   *i18n.Catalog
	Log   *slog.Logger
	// Now is the clock; "today" is its date in Asia/Ho_Chi_Minh.
	Now func() time.Time
	// Demo marks every page "Dữ liệu minh hoạ".
	Demo bool
	// TrustedProxies may set X-Forwarded-For; nobody else can.
	TrustedProxies []netip.Prefix
	// PublicURL is the site's address as residents reach it
	// (https://thonso.example.vn); the QR codes carry it. Empty: the
	// request's own scheme and host.
	PublicURL string
	// ExportSyncVillages: a unit with more villages than this exports in
	// the background (0: DefaultExportSyncVillages); a province always does.
	ExportSyncVillages int

	// exportWake wakes an idle export worker when a job is queued.
	exportWake chan struct{}
	// Metrics counts requests for /metrics; New makes one when nil.
	Metrics *obs.Metrics

	// progress of running imports by upload id (rows done): kept in
	// memory because the import's own transaction holds SQLite's only
	// writer, so progress cannot be written while it runs.
	progress sync.Map

	pages  map[string]*template.Template
	static map[string]staticFile // by fingerprinted name
	css    string                // fingerprinted URL of the stylesheet
	js     string                // fingerprinted URL of the script (progressive: every page works without it)
	// publicCSS is the residents' pages' own small stylesheet.
	publicCSS string
	// offlineJS is the offline app's script; the icons install it.
	offlineJS, icon192, icon512 string
	// gzipWriters are reused by the public pages (see newGzipWriter).
	gzipWriters sync.Pool
	// villageCache keeps rendered public village pages, checked against
	// the database on every request (public_render_cache.go).
	villageCache pageCache
	// secHeaders are the security headers' values, made once.
	secHeaders securityHeaderValues
}

type staticFile struct {
	body  []byte
	ctype string
}

// New parses the templates once, failing fast on a broken page.
func New(s *Server) (*Server, error) {
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Log == nil {
		s.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if s.Metrics == nil {
		s.Metrics = obs.NewMetrics()
	}
	s.gzipWriters.New = newGzipWriter
	s.secHeaders = newSecurityHeaders()
	s.exportWake = make(chan struct{}, 1)
	if err := s.loadStatic(); err != nil {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	return s, nil
}

func (s *Server) loadStatic() error {
	s.static = map[string]staticFile{}
	return fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := d.Name()
		ext := path.Ext(name)
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		fp := name[:len(name)-len(ext)] + "." + hex.EncodeToString(sum[:])[:10] + ext
		s.static[fp] = staticFile{body: b, ctype: ctype}
		switch name {
		case "app.css":
			s.css = "/static/" + fp
		case "app.js":
			s.js = "/static/" + fp
		case "public.css":
			s.publicCSS = "/static/" + fp
		case "offline.js":
			s.offlineJS = "/static/" + fp
		case "icon-192.png":
			s.icon192 = "/static/" + fp
		case "icon-512.png":
			s.icon512 = "/static/" + fp
		}
		return nil
	})
}

// today is the civil date now in Vietnam.
func (s *Server) today() domain.Date { return domain.DateOf(s.Now()) }

// Handler returns the whole HTTP handler with its middleware.
func (s *Server) Handler(api http.Handler) http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	if api != nil {
		mux.Handle("/api/", obs.Route(api))
	}
	return s.Metrics.Middleware(s.Log, s.recoverer(s.securityHeaders(s.villageHit(s.withActor(obs.Route(mux))))))
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.static[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.body)
}
