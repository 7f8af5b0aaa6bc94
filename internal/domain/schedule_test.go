package domain

import (
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Vietnam())
	if err != nil {
		panic(err)
	}
	return t
}

func TestNextSession(t *testing.T) {
	// Đông Căm: Mon, Wed, Fri 19:30–21:00 from 01/2024.
	var slots []Slot
	for i, wd := range []time.Weekday{time.Monday, time.Wednesday, time.Friday} {
		slots = append(slots, Slot{ID: int64(i + 1), Weekday: wd, Start: 19*60 + 30, End: 21 * 60, Place: "Nhà văn hoá thôn", ValidFrom: MustDate("2024-01-01"), EveryWeeks: 1})
	}
	cases := []struct {
		now  string
		want string
		exc  []Exception
	}{
		{"2024-10-28 08:00", "2024-10-28 19:30", nil}, // Monday morning → tonight
		{"2024-10-28 20:00", "2024-10-28 19:30", nil}, // in progress
		{"2024-10-28 21:00", "2024-10-30 19:30", nil}, // just ended → Wednesday
		{"2024-11-01 22:00", "2024-11-04 19:30", nil}, // Friday night → Monday
		{"2024-10-28 08:00", "2024-10-30 19:30", []Exception{{Kind: ExceptionCancel, SlotID: 1, On: MustDate("2024-10-28"), Reason: "Họp thôn"}}},
		{"2024-10-28 08:00", "2024-10-29 19:00", []Exception{{Kind: ExceptionMove, SlotID: 1, On: MustDate("2024-10-28"), To: MustDate("2024-10-29"), Start: 19 * 60, End: 20*60 + 30, Reason: "Đổi ngày"}}},
		{"2024-10-28 08:00", "2024-10-28 14:00", []Exception{{Kind: ExceptionAdd, On: MustDate("2024-10-28"), Start: 14 * 60, End: 16 * 60, Place: "Nhà văn hoá", Reason: "Buổi thêm"}}},
		{"2023-12-25 08:00", "2024-01-01 19:30", nil}, // before the schedule begins
	}
	for _, c := range cases {
		o, ok := NextSession(slots, c.exc, at(c.now))
		if !ok || !o.Start.Equal(at(c.want)) {
			t.Errorf("now %s: got %v, want %s", c.now, o.Start, c.want)
		}
	}
	// Tết 2025 (29/01 is Wednesday): the whole week cancelled.
	var tet []Exception
	for _, d := range []string{"2025-01-27", "2025-01-29", "2025-01-31"} {
		for _, s := range slots {
			tet = append(tet, Exception{Kind: ExceptionCancel, SlotID: s.ID, On: MustDate(d), Reason: "Tết Nguyên đán"})
		}
	}
	if o, _ := NextSession(slots, tet, at("2025-01-26 12:00")); !o.Start.Equal(at("2025-02-03 19:30")) {
		t.Errorf("after Tết: %v", o.Start)
	}
	// The server's zone does not matter: the same instant in UTC.
	if o, _ := NextSession(slots, nil, at("2024-10-28 21:30").UTC()); !o.Start.Equal(at("2024-10-30 19:30")) {
		t.Errorf("UTC now: %v", o.Start)
	}
}

func TestShiftsAndMidnight(t *testing.T) {
	// A factory-shift village: Sat 20:00–23:30 one week, Sun 08:00–10:00 the other,
	// and a night slot Tue 22:30–00:30.
	slots := []Slot{
		{ID: 1, Weekday: time.Saturday, Start: 20 * 60, End: 23*60 + 30, EveryWeeks: 2, Anchor: MustDate("2024-03-04")},
		{ID: 2, Weekday: time.Sunday, Start: 8 * 60, End: 10 * 60, EveryWeeks: 2, Anchor: MustDate("2024-03-11")},
		{ID: 3, Weekday: time.Tuesday, Start: 22*60 + 30, End: 24*60 + 30},
	}
	for _, s := range slots {
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	got := Sessions(slots, nil, MustDate("2024-03-04"), MustDate("2024-03-17"))
	var starts []string
	for _, o := range got {
		starts = append(starts, o.Start.In(Vietnam()).Format("2006-01-02 15:04"))
	}
	want := []string{"2024-03-05 22:30", "2024-03-09 20:00", "2024-03-12 22:30", "2024-03-17 08:00"}
	if len(starts) != len(want) {
		t.Fatalf("sessions %v, want %v", starts, want)
	}
	for i := range want {
		if starts[i] != want[i] {
			t.Fatalf("sessions %v, want %v", starts, want)
		}
	}
	// Just after midnight, the Tuesday night session is still running.
	if o, _ := NextSession(slots, nil, at("2024-03-06 00:10")); !o.Start.Equal(at("2024-03-05 22:30")) {
		t.Fatalf("past midnight: %v", o.Start)
	}
	if slots[0].Overlaps(slots[1]) || !slots[2].Overlaps(Slot{Weekday: time.Tuesday, Start: 23 * 60, End: 24 * 60}) {
		t.Fatal("Overlaps")
	}
	if (Slot{Weekday: time.Monday, Start: 600, End: 500}).Validate() == nil || (Slot{Weekday: 9, Start: 1, End: 2}).Validate() == nil {
		t.Fatal("bad slots accepted")
	}
}
