package web

import (
	"fmt"
	"net/http"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// icsFeed serves a member's duties for the next 90 days as iCalendar, for
// the phone's calendar app. An unknown or revoked feed is 404, no data.
func (s *Server) icsFeed(w http.ResponseWriter, r *http.Request) {
	secret := strings.TrimSuffix(r.PathValue("file"), ".ics")
	ctx := r.Context()
	m, err := s.Store.FeedMember(ctx, secret)
	if err != nil {
		http.Error(w, s.Cat.T(s.lang(r), "error.not_found_page", nil), http.StatusNotFound)
		return
	}
	today := s.today()
	team, err := s.Store.Team(ctx, m.TeamID, today)
	if err != nil {
		http.Error(w, s.Cat.T(s.lang(r), "error.not_found_page", nil), http.StatusNotFound)
		return
	}
	slots, err1 := s.Store.Slots(ctx, m.TeamID)
	exc, err2 := s.Store.Exceptions(ctx, m.TeamID)
	if err1 != nil || err2 != nil {
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	rosters := map[int64][]int64{}
	for _, sl := range slots {
		if rosters[sl.ID], err = s.Store.Roster(ctx, sl.ID); err != nil {
			http.Error(w, "error", http.StatusInternalServerError)
			return
		}
	}
	bySlot := map[int64]domain.Slot{}
	for _, sl := range slots {
		bySlot[sl.ID] = sl
	}
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\r\n") }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Thon So//Lich truc//VI")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + icsText(team.Name))
	line("X-WR-TIMEZONE:Asia/Ho_Chi_Minh")
	stamp := s.Now().UTC().Format("20060102T150405Z")
	for _, o := range domain.Sessions(slots, exc, today, today.AddDays(90)) {
		if !m.ActiveOn(o.Date) {
			continue
		}
		if ro := rosters[o.SlotID]; len(ro) > 0 && store.OnDuty(ro, domain.OccurrenceIndex(bySlot[o.SlotID], o.Date)) != m.ID {
			continue
		}
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:%d-%d-%s@thonso", m.ID, o.SlotID, o.Start.UTC().Format("20060102T1504")))
		line("DTSTAMP:" + stamp)
		line("DTSTART:" + o.Start.UTC().Format("20060102T150405Z"))
		line("DTEND:" + o.End.UTC().Format("20060102T150405Z"))
		line("SUMMARY:" + icsText("Trực "+team.Name))
		if o.Place != "" {
			line("LOCATION:" + icsText(o.Place))
		}
		if o.Reason != "" {
			line("DESCRIPTION:" + icsText(o.Reason))
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(b.String()))
}

// icsText escapes text for iCalendar (RFC 5545 §3.3.11).
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}
