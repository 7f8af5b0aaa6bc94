package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"thonso/internal/domain"
)

// villageInfo is everything the public village page, its poster and its
// QR code show: no resident appears in it, and a member's phone only
// with their consent.
type villageInfo struct {
	Village     domain.Unit
	Commune     string // the commune and province the village belongs to today
	CommuneName string // the commune alone
	Profile     domain.VillageProfile
	Team        *domain.Team
	Members     []domain.Member // active today; phones only through PublicPhone
	Slots       []domain.Slot   // live today
	Next        *domain.Occurrence
	Exceptions  []domain.Exception // upcoming changes to the schedule
	Featured    []domain.Procedure
	Wifi        []domain.WifiPoint
	Equipment   []domain.Equipment
	Zalo        []domain.ZaloGroup
	Updated     time.Time // when the team last changed anything shown
	URL         string    // the page's absolute URL, which the QR code carries
	allExc      []domain.Exception
}

// publicPage is the village page's template data.
type publicPage struct {
	*Page
	villageInfo
	PhotoURL string
}

// village resolves /v/{slug}: the village whose slug it is or was. An
// old slug is answered with a permanent redirect by the caller.
func (s *Server) villageBySlug(ctx context.Context, slug string) (domain.Unit, bool, error) {
	u, current, err := s.Store.VillageBySlug(ctx, strings.ToLower(slug), s.today())
	if err == nil && u.Level != domain.LevelVillage {
		return u, false, domain.Errorf(domain.ENOTFOUND, "village.slug_not_found", "slug", slug)
	}
	return u, current, err
}

// loadVillageInfo reads what the public page shows of a village today.
func (s *Server) loadVillageInfo(ctx context.Context, r *http.Request, u domain.Unit) (villageInfo, error) {
	today, now := s.today(), s.Now()
	vi := villageInfo{Village: u, URL: s.publicURL(r) + "/v/" + url.PathEscape(u.Slug)}
	if anc, err := s.Store.Ancestors(ctx, u); err == nil {
		var names []string
		for i := len(anc) - 1; i >= 0; i-- {
			names = append(names, anc[i].Name)
		}
		vi.Commune = strings.Join(names, ", ")
		if len(names) > 0 {
			vi.CommuneName = names[0]
		}
	} else {
		return vi, err
	}
	var err error
	if vi.Profile, err = s.Store.VillageProfile(ctx, u.ID); err != nil {
		return vi, err
	}
	teams, err := s.Store.TeamsOf(ctx, u.ID, today)
	if err != nil {
		return vi, err
	}
	for i := range teams {
		if teams[i].Kind == domain.TeamVillage {
			vi.Team = &teams[i]
			break
		}
	}
	if vi.Team != nil {
		if vi.Members, err = s.Store.Members(ctx, vi.Team.ID, today); err != nil {
			return vi, err
		}
		slots, err := s.Store.Slots(ctx, vi.Team.ID)
		if err != nil {
			return vi, err
		}
		for _, sl := range slots {
			if today.Within(sl.ValidFrom, sl.ValidTo) || sl.ValidFrom.After(today) {
				vi.Slots = append(vi.Slots, sl)
			}
		}
		exc, err := s.Store.Exceptions(ctx, vi.Team.ID)
		if err != nil {
			return vi, err
		}
		vi.allExc = exc
		if o, ok := domain.NextSession(slots, exc, now); ok {
			vi.Next = &o
		}
		horizon := today.AddDays(60)
		for _, e := range exc {
			if !e.On.Before(today) && !e.On.After(horizon) {
				vi.Exceptions = append(vi.Exceptions, e)
			}
		}
	}
	if vi.Featured, err = s.Store.Featured(ctx, u.ID); err != nil {
		return vi, err
	}
	if vi.Wifi, err = s.Store.WifiPoints(ctx, u.ID, today); err != nil {
		return vi, err
	}
	if vi.Equipment, err = s.Store.Equipment(ctx, u.ID, today); err != nil {
		return vi, err
	}
	if vi.Zalo, err = s.Store.ZaloGroups(ctx, u.ID, today); err != nil {
		return vi, err
	}
	vi.Updated, err = s.Store.VillageLastChange(ctx, u.ID)
	return vi, err
}

// publicURL is the site's address as residents reach it: the configured
// public base URL, else this request's scheme and host.
func (s *Server) publicURL(r *http.Request) string {
	if s.PublicURL != "" {
		return strings.TrimRight(s.PublicURL, "/")
	}
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// newPublicPage is a Page for the public pages residents open from a QR
// code: no session, no CSRF cookie (a Set-Cookie would stop caching).
func (s *Server) newPublicPage(r *http.Request, title string) *Page {
	p := &Page{Lang: s.lang(r), Today: s.today(), Demo: s.Demo, CSS: s.publicCSS, Path: r.URL.RequestURI(), PathOnly: r.URL.Path, s: s, ctx: r.Context()}
	p.At = p.Today
	p.Title = title
	return p
}

// publicVillage resolves the slug of a /v/{slug}… request: an old slug
// redirects permanently to the same path under the current one, an
// unknown one gets the friendly 404 with a search box.
func (s *Server) publicVillage(w http.ResponseWriter, r *http.Request) (domain.Unit, bool) {
	slug := r.PathValue("slug")
	u, current, err := s.villageBySlug(r.Context(), slug)
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			s.villageNotFound(w, r, slug)
		} else {
			s.fail(w, s.newPublicPage(r, ""), err)
		}
		return u, false
	}
	if !current || slug != u.Slug { // an old slug, or another spelling of it
		rest := strings.TrimPrefix(r.URL.Path, "/v/"+slug)
		target := "/v/" + url.PathEscape(u.Slug) + rest
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return u, false
	}
	return u, true
}

type villageNotFoundPage struct {
	*Page
	Slug, Query string
}

// villageNotFound is the friendly 404 of an unknown slug: what was
// looked for, and a search box for the village's name.
func (s *Server) villageNotFound(w http.ResponseWriter, r *http.Request, slug string) {
	p := s.newPublicPage(r, "")
	p.Title = p.T("village.not_found_title")
	w.Header().Set("Cache-Control", "no-cache")
	s.render(w, http.StatusNotFound, "public_notfound", villageNotFoundPage{Page: p, Slug: slug, Query: strings.ReplaceAll(slug, "-", " ")})
}

// villagePage is /v/{slug}: the page a resident opens by scanning the
// poster at the cultural house, often on an old phone over 3G. Small,
// no JavaScript, revalidated with an ETag so a repeat visit is a 304.
func (s *Server) villagePage(w http.ResponseWriter, r *http.Request) {
	// A rendered copy serves while the public data version it was made
	// under is the current one (public_render_cache.go): checked before
	// anything else, so a hit reads no table. (villageHit answers most
	// hits before the router; this one counts for requests it passed.)
	e, err := s.villageCached(r)
	if err != nil {
		s.fail(w, s.newPublicPage(r, ""), err)
		return
	}
	if e != nil {
		s.serveEntry(w, r, e)
		return
	}
	key := s.villageKey(r)
	// The version the page is rendered under comes from the database its
	// data come from (a read replica may lag), read before them.
	version, cacheable, err := s.Store.PublicVersion(r.Context())
	if err != nil {
		s.fail(w, s.newPublicPage(r, ""), err)
		return
	}
	u, ok := s.publicVillage(w, r)
	if !ok {
		return
	}
	vi, err := s.loadVillageInfo(r.Context(), r, u)
	if err != nil {
		s.fail(w, s.newPublicPage(r, ""), err)
		return
	}
	p := s.newPublicPage(r, u.Name)
	pp := publicPage{Page: p, villageInfo: vi}
	if vi.Profile.HasPhoto {
		pp.PhotoURL = "/v/" + url.PathEscape(u.Slug) + "/photo.jpg"
	}
	body, err := s.renderBytes("public_village", pp)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	e = s.newCachedPage("text/html; charset=utf-8", body, s.lastModified(vi))
	e.version, e.expires = version, s.villagePageExpiry(vi)
	if cacheable {
		s.villageCache.put(key, e)
	}
	s.serveEntry(w, r, e)
}

// villageKey names a request's rendered page: the language, the site's
// address (the QR code carries it, as publicURL) and the request URI.
func (s *Server) villageKey(r *http.Request) string {
	return string(s.appendVillageKey(nil, r))
}

func (s *Server) appendVillageKey(b []byte, r *http.Request) []byte {
	b = append(b, s.lang(r)...)
	b = append(b, ' ')
	if s.PublicURL != "" {
		b = append(b, strings.TrimRight(s.PublicURL, "/")...)
	} else {
		if s.secure(r) {
			b = append(b, "https://"...)
		} else {
			b = append(b, "http://"...)
		}
		b = append(b, r.Host...)
	}
	b = append(b, ' ')
	return append(b, r.URL.RequestURI()...)
}

// villageCached is the rendered page for r when it is still current
// (nil when not). The key is villageKey's, built in a stack buffer: a
// hit allocates no string for it.
func (s *Server) villageCached(r *http.Request) (*cachedPage, error) {
	cur, cacheable, err := s.Store.CurrentPublicVersion(r.Context())
	if err != nil || !cacheable {
		return nil, err
	}
	var buf [256]byte
	return s.villageCache.get(s.appendVillageKey(buf[:0], r), cur, s.Now()), nil
}

// lastModified is the Last-Modified of a village page: the later of the
// team's last change, the start of today (dates on the page are relative
// to it) and the end of the latest session (the next session moves on).
func (s *Server) lastModified(vi villageInfo) time.Time {
	now := s.Now()
	lm := vi.Updated
	today := s.today()
	if t := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, domain.Vietnam()); t.After(lm) {
		lm = t
	}
	for _, o := range domain.Sessions(vi.Slots, vi.allExc, today.AddDays(-1), today) {
		if !o.End.After(now) && o.End.After(lm) {
			lm = o.End
		}
	}
	if lm.After(now) {
		lm = now
	}
	return lm
}

// RoleName names a member's role.
func (p publicPage) RoleName(m domain.Member) string { return p.T("member_role." + string(m.Role)) }

// Phones lists the members whose phone may be shown.
func (p publicPage) Phones() []domain.Member {
	var out []domain.Member
	for _, m := range p.Members {
		if m.PublicPhone() != "" {
			out = append(out, m)
		}
	}
	return out
}

// PlaceOf is where the next session or a slot is held.
func (vi villageInfo) PlaceOf(slotID int64) string {
	for _, sl := range vi.Slots {
		if sl.ID == slotID {
			return sl.Place
		}
	}
	return ""
}
