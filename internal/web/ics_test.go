package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"thonso/internal/demo"
	"thonso/internal/domain"
)

// parseICS reads the VEVENTs of an iCalendar text into maps of property → value.
func parseICS(t *testing.T, text string) []map[string]string {
	t.Helper()
	if !strings.HasPrefix(text, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(text, "END:VCALENDAR\r\n") {
		t.Fatalf("not a calendar: %.200q", text)
	}
	var events []map[string]string
	var cur map[string]string
	for _, line := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		switch {
		case line == "BEGIN:VEVENT":
			cur = map[string]string{}
		case line == "END:VEVENT":
			events = append(events, cur)
			cur = nil
		case cur != nil:
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				t.Fatalf("bad line %q", line)
			}
			cur[k] = v
		}
	}
	return events
}

func TestCalendarFeed(t *testing.T) {
	env := newLoginEnv(t) // clock: 31/10/2026 10:00 Vietnam
	ctx := context.Background()
	dc, _ := env.store.UnitAt(ctx, "T000001", demo.End)
	teams, _ := env.store.TeamsOf(ctx, dc.ID, demo.End)
	ms, _ := env.store.Members(ctx, teams[0].ID, demo.End)
	slots, _ := env.store.Slots(ctx, teams[0].ID)
	admin := domain.CLIActor()
	// Rotate Monday's duty between the first two members.
	if err := env.store.SetRoster(ctx, admin, slots[0].ID, []int64{ms[0].ID, ms[1].ID}); err != nil {
		t.Fatal(err)
	}
	secret, err := env.store.CreateFeed(ctx, admin, ms[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, env.srv.URL)
	status, body, h := b.get("/lich/" + secret + ".ics")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", status, h.Get("Content-Type"))
	}
	events := parseICS(t, body)
	mondays, others := 0, 0
	for _, e := range events {
		start, err := time.Parse("20060102T150405Z", e["DTSTART"])
		if err != nil || e["UID"] == "" || !strings.Contains(e["SUMMARY"], "Đông Căm") || !strings.Contains(e["LOCATION"], "Nhà văn hoá") {
			t.Fatalf("event %v", e)
		}
		v := start.In(domain.Vietnam())
		if v.Hour() != 19 || v.Minute() != 30 {
			t.Fatalf("starts at %v, want 19:30 in Vietnam", v)
		}
		if v.Weekday() == time.Monday {
			mondays++
		} else {
			others++
		}
	}
	// 90 days: ~13 Mondays, half of them this member's; every Wed and Fri.
	if mondays < 5 || mondays > 8 || others < 24 {
		t.Fatalf("%d Mondays, %d other sessions", mondays, others)
	}
	// Revoked or unknown: 404, no data.
	env.store.RevokeFeeds(ctx, admin, ms[0].ID)
	if status, body, _ := b.get("/lich/" + secret + ".ics"); status != 404 || strings.Contains(body, "VEVENT") {
		t.Fatalf("revoked feed: %d", status)
	}
	if status, _, _ := b.get("/lich/khong-co.ics"); status != 404 {
		t.Fatalf("unknown feed: %d", status)
	}
}

// TestHolidayProposals: a Đông Căm session falling on a public holiday is
// proposed for cancelling on the team page, and one click cancels it.
func TestHolidayProposals(t *testing.T) {
	env := newLoginEnv(t) // today: 31/10/2026
	ctx := context.Background()
	// Monday 30/11/2026: an officer-added day off.
	if err := env.store.SetDayOff(ctx, domain.CLIActor(), domain.DayOff{On: domain.MustDate("2026-11-30"), Kind: "off", Name: "Ngày nghỉ thử"}); err != nil {
		t.Fatal(err)
	}
	dc, _ := env.store.UnitAt(ctx, "T000001", demo.End)
	teams, _ := env.store.TeamsOf(ctx, dc.ID, demo.End)
	b := loggedInAs(t, env, "totruong.dongcam")
	path := "/teams/" + strconv.FormatInt(teams[0].ID, 10)
	_, body, _ := b.get(path)
	if !strings.Contains(body, `id="holidays"`) || !strings.Contains(body, "30/11/2026 — Ngày nghỉ thử") {
		t.Fatalf("no proposal:\n%.300s", body)
	}
	if status, _, _ := b.post(path+"/exceptions", url.Values{"kind": {"cancel"}, "on": {"30/11/2026"}, "reason": {"Ngày nghỉ thử"}}); status != 303 {
		t.Fatalf("cancel: %d", status)
	}
	if _, body, _ = b.get(path); strings.Contains(body, "30/11/2026 — Ngày nghỉ thử") {
		t.Fatal("still proposed after cancelling")
	}
	// Visitors see no proposals.
	if _, body, _ := newBrowser(t, env.srv.URL).get(path); strings.Contains(body, `id="holidays"`) {
		t.Fatal("a visitor sees the proposals")
	}
}
