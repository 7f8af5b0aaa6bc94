package web

import (
	"net/http"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/poster"
)

// villagePoster is /v/{slug}/poster.pdf: an A4 poster for the cultural
// house with the QR code of the village page, in the page's language.
func (s *Server) villagePoster(w http.ResponseWriter, r *http.Request) {
	u, ok := s.publicVillage(w, r)
	if !ok {
		return
	}
	p := s.newPublicPage(r, u.Name)
	vi, err := s.loadVillageInfo(r.Context(), r, u)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	q, err := qrCode(vi.URL)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	png, err := q.PNG(600)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	doc := poster.Poster{Title: u.Name, Subtitle: vi.Commune, Call: p.T("poster.call"), QRPNG: png, URL: vi.URL, Made: vi.Updated}
	pp := publicPage{Page: p, villageInfo: vi}
	// A printed poster stays up for months: it shows the weekly
	// schedule, not the next session (the page has that).
	var sched []string
	for _, sl := range vi.Slots {
		line := p.Weekday(sl.Weekday) + " " + p.Clock(sl.Start) + "–" + p.Clock(sl.End)
		if sl.Place != "" {
			line += ", " + sl.Place
		}
		sched = append(sched, line)
	}
	var phones, procs, wifi []string
	for _, m := range pp.Phones() {
		phones = append(phones, m.FullName+" ("+pp.RoleName(m)+"): "+domain.PhoneDisplay(m.PublicPhone()))
	}
	for _, pr := range vi.Featured {
		line := pr.Name
		if len(pr.Documents) > 0 {
			line += " — " + p.T("village.bring") + " " + strings.Join(pr.Documents, "; ")
		}
		procs = append(procs, line)
	}
	for _, wp := range vi.Wifi {
		if wp.Free {
			line := wp.Place
			if wp.NetworkName != "" {
				line += " · " + p.T("village.network") + " " + wp.NetworkName
			}
			wifi = append(wifi, line)
		}
	}
	doc.Sections = []poster.Section{
		{Heading: p.T("village.weekly"), Lines: sched},
		{Heading: p.T("poster.phones"), Lines: phones},
		{Heading: p.T("village.featured"), Lines: procs},
		{Heading: p.T("poster.wifi"), Lines: wifi},
	}
	doc.Footer = p.T("village.privacy", "commune", vi.CommuneName)
	if s.Demo {
		doc.Footer = p.T("demo.banner") + " " + doc.Footer
	}
	pdf, err := poster.PDF(doc)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	w.Header().Set("Content-Disposition", `inline; filename="`+u.Slug+`.pdf"`)
	s.serveCached(w, r, "application/pdf", pdf, s.lastModified(vi))
}
