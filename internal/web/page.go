package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

// Page is what every template gets: the language, the translator and the
// common skeleton (title, as-of date, breadcrumb, demo banner).
type Page struct {
	Lang       string
	Title      string
	At         domain.Date
	AtText     string // the date field as typed
	AtError    string
	Today      domain.Date
	Breadcrumb []Crumb
	Demo       bool
	CSS        string
	JS         string
	Path       string // current path and query, for the language switch
	PathOnly   string // current path, where the date form sends
	Actor      *domain.Actor
	CSRF       string
	stepLabels map[domain.DossierState]string // the province's own words for the steps
	s          *Server
	ctx        context.Context
}

// Crumb is one step of the breadcrumb.
type Crumb struct {
	Name, URL string
}

// StepLabel names a dossier state: the province's own label for one of
// the five steps when it has one (in Vietnamese), else the standard one.
func (p *Page) StepLabel(st domain.DossierState) string {
	if l := p.stepLabels[st]; l != "" && p.Lang == "vi" {
		return l
	}
	return p.T("state." + string(st))
}

// T translates a key; kv are placeholder name/value pairs.
func (p *Page) T(key string, kv ...any) string {
	var args map[string]any
	if len(kv) > 0 {
		args = map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			args[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return p.s.Cat.T(p.Lang, key, args)
}

// Other is the language the footer offers to switch to.
func (p *Page) Other() string {
	if p.Lang == "en" {
		return "vi"
	}
	return "en"
}

// LangURL switches language and comes back to this page.
func (p *Page) LangURL(lang string) string {
	return "/lang/" + lang + "?next=" + url.QueryEscape(p.Path)
}

// UnitURL links to a unit's page as of the page's date.
func (p *Page) UnitURL(code string) string { return unitURL(code, p.At) }

// UnitURLOn links to a unit's page on a given date.
func (p *Page) UnitURLOn(code string, d domain.Date) string { return unitURL(code, d) }

func unitURL(code string, d domain.Date) string {
	if d.IsZero() {
		return "/units/" + url.PathEscape(code)
	}
	return "/units/" + url.PathEscape(code) + "?at=" + d.String()
}

// Num formats an integer the Vietnamese way.
func (p *Page) Num(n int) string { return i18n.Int(n) }

func (s *Server) lang(r *http.Request) string {
	// Vietnamese first: English only when chosen (and then remembered),
	// whatever language the phone's browser asks for.
	if c, err := r.Cookie("lang"); err == nil && c.Value == "en" {
		return "en"
	}
	return "vi"
}

// newPage reads the language and the as-of date (?at=dd/mm/yyyy or ISO;
// today by default). A bad date leaves today and an error to show.
func (s *Server) newPage(w http.ResponseWriter, r *http.Request, title string) *Page {
	p := &Page{Lang: s.lang(r), Title: title, Today: s.today(), Demo: s.Demo, CSS: s.css, JS: s.js, Path: r.URL.RequestURI(), PathOnly: r.URL.Path,
		Actor: actorOf(r), CSRF: s.csrfToken(w, r), s: s, ctx: r.Context()}
	p.At = p.Today
	if raw := strings.TrimSpace(r.URL.Query().Get("at")); raw != "" {
		d, err := textvi.ParseDate(raw)
		if err != nil || d.IsZero() {
			p.AtText = raw
			p.AtError = s.Cat.Err(p.Lang, err)
			if err == nil {
				p.AtError = s.Cat.T(p.Lang, "date.invalid", map[string]any{"value": raw})
			}
		} else {
			p.At = d
		}
	}
	if p.AtText == "" {
		p.AtText = p.At.VN()
	}
	if p.Title == "" {
		p.Title = p.T("app.name")
	} else {
		p.Title = p.T(title)
	}
	return p
}

func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	// Partials (_name.html) hold blocks several pages share.
	partials, err := fs.Glob(templateFS, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || base == "public_layout" || strings.HasPrefix(base, "_") {
			continue
		}
		// Residents' pages (public_*) have their own tiny skeleton: no
		// script, no account menu, no date bar; the others share partials.
		layout := "layout.html"
		files := []string{"templates/layout.html"}
		if strings.HasPrefix(base, "public_") {
			layout, files = "public_layout.html", []string{"templates/public_layout.html"}
		} else {
			files = append(files, partials...)
		}
		t, err := template.New(layout).Funcs(funcs).ParseFS(templateFS, append(files, n)...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		out[base] = t
	}
	return out, nil
}

// render writes a page; the body is built first so a template error
// becomes a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	t, ok := s.pages[name]
	if !ok {
		panic("no template " + name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		s.Log.Error("render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// setLang remembers the chosen language for a year and goes back.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if lang != "vi" && lang != "en" {
		lang = "vi"
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

type errorPage struct {
	*Page
	Message string
	Code    string
	Nearest []domain.Date
	Became  []domain.LinkedUnit
}

func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.not_found_title")
	s.render(w, http.StatusNotFound, "error", errorPage{Page: p, Message: p.T("error.not_found_page")})
}

// fail shows an error page with the status the error's code maps to.
func (s *Server) fail(w http.ResponseWriter, p *Page, err error) {
	status := http.StatusInternalServerError
	switch domain.ErrorCode(err) {
	case domain.ENOTFOUND:
		status = http.StatusNotFound
	case domain.EINVALID:
		status = http.StatusBadRequest
	case domain.EFORBIDDEN:
		status = http.StatusForbidden
	case domain.ECONFLICT:
		status = http.StatusConflict
	}
	if status == http.StatusInternalServerError && clientGone(p.ctx, err) {
		// The browser gave up (closed, timed out): not a server fault.
		s.Log.InfoContext(p.ctx, "page abandoned", "path", p.Path)
		w.WriteHeader(statusClientGone)
		return
	}
	if status == http.StatusInternalServerError {
		s.Log.ErrorContext(p.ctx, "page", "path", p.Path, "err", err)
	}
	ep := errorPage{Page: p, Message: s.Cat.Err(p.Lang, err)}
	if e, ok := domain.AsError(err); ok {
		ep.Code, _ = e.Args["code"].(string)
		ep.Nearest, _ = e.Args["nearest"].([]domain.Date)
		if at, ok := e.Args["date"].(domain.Date); ok && len(ep.Nearest) > 0 {
			ep.Became = s.became(p.ctx, ep.Code, at)
		}
	}
	p.Title = p.T("ui.not_found_title")
	if status != http.StatusNotFound {
		p.Title = p.T("ui.error_title")
	}
	s.render(w, status, "error", ep)
}

// became lists what the units that carried code before at had become on
// at: Huyện Bảo Thắng on 01/07/2025 → Tỉnh Lào Cai (its duties).
func (s *Server) became(ctx context.Context, code string, at domain.Date) []domain.LinkedUnit {
	vs, err := s.Store.CodeValidities(ctx, code)
	if err != nil {
		return nil
	}
	var out []domain.LinkedUnit
	for _, v := range vs {
		if v.ValidTo.IsZero() || !v.ValidTo.Before(at) {
			continue
		}
		u, err := s.Store.UnitAt(ctx, code, v.ValidTo)
		if err != nil {
			continue
		}
		heirs, err := s.Store.SuccessorsOn(ctx, u.ID, at)
		if err == nil {
			out = append(out, heirs...)
		}
	}
	return out
}

// funcs are the few helpers templates need beyond Page's methods.
var funcs = template.FuncMap{
	"list":            func(xs ...string) []string { return xs },
	"list2":           func(a, b any) []any { return []any{a, b} },
	"channels":        func() []string { return store.Channels },
	"add":             func(a, b int) int { return a + b },
	"portalCodeUsual": domain.PortalCodeUsual,
	"phoneVN":         domain.PhoneDisplay,
	"minutes":         func(t time.Time) int { v := t.In(domain.Vietnam()); return v.Hour()*60 + v.Minute() },
	"deref":           func(t *time.Time) time.Time { return *t },
	"fieldOf": func(f formPage, name, label, typ string) formField {
		return formField{Name: name, Label: f.T(label), Type: typ, Value: f.formValue(name), Error: f.formError(name)}
	},
}

// formPage is a page with a form: its values and its errors by field.
type formPage interface {
	T(key string, kv ...any) string
	formValue(name string) string
	formError(name string) string
}

type formField struct {
	Name, Label, Type, Value, Error string
}

// DateOf is the civil date of an instant, dd/mm/yyyy.
func (p *Page) DateOf(t time.Time) string { return domain.DateOf(t).VN() }

// parseDate reads a dd/mm/yyyy (or ISO) field that must not be empty.
func parseDate(v string) (domain.Date, error) {
	d, err := textvi.ParseDate(v)
	if err == nil && d.IsZero() {
		err = domain.Errorf(domain.EINVALID, "date.invalid", "value", v)
	}
	return d, err
}
