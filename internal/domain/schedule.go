package domain

import (
	"sort"
	"time"
)

// Slot is a weekly recurring duty slot of a team: a weekday, a start and
// end time (minutes after midnight, Vietnam time; an end past 24:00 runs
// past midnight), a place, a validity range, and optionally which weeks
// it runs in (every week, or alternating weeks counted from Anchor, for
// teams that follow factory shifts).
type Slot struct {
	ID        int64
	TeamID    int64
	Weekday   time.Weekday
	Start     int // minutes after midnight
	End       int // minutes after midnight; may exceed 24*60
	Place     string
	ValidFrom Date
	ValidTo   Date
	// EveryWeeks is 1 for every week, 2 for every other week (from Anchor's week).
	EveryWeeks int
	Anchor     Date
}

// ExceptionKind says what an exception does to the schedule.
type ExceptionKind string

const (
	ExceptionCancel ExceptionKind = "cancel" // the slot does not run that date
	ExceptionMove   ExceptionKind = "move"   // it runs at another time (and/or date)
	ExceptionAdd    ExceptionKind = "add"    // an extra session
)

// Exception changes one date of a schedule.
type Exception struct {
	ID     int64
	TeamID int64
	Kind   ExceptionKind
	SlotID int64 // for cancel and move
	On     Date  // the date concerned (for move: the original date)
	To     Date  // for move: the new date (zero: same date)
	Start  int   // for move and add
	End    int
	Place  string
	Reason string
}

// Occurrence is one session in the calendar.
type Occurrence struct {
	SlotID     int64
	Date       Date
	Start, End time.Time // instants
	Place      string
	Reason     string // why it differs from the plain schedule, if it does
}

// Validate checks a slot: a weekday, an end after the start, within a day
// and a bit (a session may run past midnight, not for days).
func (s Slot) Validate() error {
	if s.Weekday < time.Sunday || s.Weekday > time.Saturday {
		return Errorf(EINVALID, "slot.weekday_missing").WithField("weekday")
	}
	if s.Start < 0 || s.Start >= 24*60 {
		return Errorf(EINVALID, "slot.time_invalid").WithField("start")
	}
	if s.End <= s.Start || s.End-s.Start > 12*60 {
		return Errorf(EINVALID, "slot.end_before_start").WithField("end")
	}
	if !s.ValidTo.IsZero() && !s.ValidFrom.IsZero() && s.ValidTo.Before(s.ValidFrom) {
		return Errorf(EINVALID, "slot.range_invalid").WithField("valid_to")
	}
	if s.EveryWeeks < 0 || s.EveryWeeks > 4 {
		return Errorf(EINVALID, "slot.weeks_invalid").WithField("every_weeks")
	}
	return nil
}

// runsOn reports whether the slot is scheduled on d (before exceptions).
func (s Slot) runsOn(d Date) bool {
	if d.Time().Weekday() != s.Weekday || !d.Within(s.ValidFrom, s.ValidTo) {
		return false
	}
	if s.EveryWeeks <= 1 {
		return true
	}
	anchor := s.Anchor
	if anchor.IsZero() {
		anchor = s.ValidFrom
	}
	weeks := weeksBetween(mondayOf(anchor), mondayOf(d))
	if weeks < 0 {
		weeks = -weeks
	}
	return weeks%s.EveryWeeks == 0
}

// weeksBetween counts whole weeks between two Mondays (negative when b is earlier).
func weeksBetween(a, b Date) int {
	return int(b.Time().Sub(a.Time()).Round(24*time.Hour).Hours()) / 24 / 7
}

func mondayOf(d Date) Date {
	wd := int(d.Time().Weekday()+6) % 7 // Monday 0
	return d.AddDays(-wd)
}

// Overlaps reports whether two slots of a team can run at the same time.
func (s Slot) Overlaps(o Slot) bool {
	if s.Weekday != o.Weekday {
		return false
	}
	if !rangesMeet(s.ValidFrom, s.ValidTo, o.ValidFrom, o.ValidTo) {
		return false
	}
	if s.EveryWeeks > 1 && o.EveryWeeks > 1 && s.EveryWeeks == o.EveryWeeks {
		// alternating slots in different weeks never meet
		a, b := s.Anchor, o.Anchor
		if !a.IsZero() && !b.IsZero() {
			if weeksBetween(mondayOf(b), mondayOf(a))%s.EveryWeeks != 0 {
				return false
			}
		}
	}
	return s.Start < o.End && o.Start < s.End
}

func rangesMeet(f1, t1, f2, t2 Date) bool {
	if !t1.IsZero() && !f2.IsZero() && t1.Before(f2) {
		return false
	}
	if !t2.IsZero() && !f1.IsZero() && t2.Before(f1) {
		return false
	}
	return true
}

// instant is the moment minutes after midnight of d, in Vietnam.
func instant(d Date, minutes int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Vietnam()).Add(time.Duration(minutes) * time.Minute)
}

// Sessions lists the occurrences of a schedule on the days from..to
// (inclusive), exceptions applied, in time order.
func Sessions(slots []Slot, exceptions []Exception, from, to Date) []Occurrence {
	cancel := map[[2]int64]Exception{} // slot, day number → exception
	key := func(slot int64, d Date) [2]int64 { return [2]int64{slot, d.Time().Unix() / 86400} }
	var out []Occurrence
	for _, e := range exceptions {
		switch e.Kind {
		case ExceptionCancel, ExceptionMove:
			cancel[key(e.SlotID, e.On)] = e
		}
	}
	for d := from; !d.After(to); d = d.AddDays(1) {
		for _, s := range slots {
			if !s.runsOn(d) {
				continue
			}
			if _, ok := cancel[key(s.ID, d)]; ok {
				continue
			}
			out = append(out, Occurrence{SlotID: s.ID, Date: d, Start: instant(d, s.Start), End: instant(d, s.End), Place: s.Place})
		}
	}
	for _, e := range exceptions {
		var d Date
		switch e.Kind {
		case ExceptionMove:
			d = e.To
			if d.IsZero() {
				d = e.On
			}
		case ExceptionAdd:
			d = e.On
		default:
			continue
		}
		if d.Before(from) || d.After(to) {
			continue
		}
		place := e.Place
		if place == "" {
			for _, s := range slots {
				if s.ID == e.SlotID {
					place = s.Place
				}
			}
		}
		out = append(out, Occurrence{SlotID: e.SlotID, Date: d, Start: instant(d, e.Start), End: instant(d, e.End), Place: place, Reason: e.Reason})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// NextSession is the session running at now, or else the next one to
// start, looking up to 120 days ahead; now may be in any time zone.
func NextSession(slots []Slot, exceptions []Exception, now time.Time) (Occurrence, bool) {
	today := DateOf(now)
	// From yesterday: a session that began last evening may still run.
	for _, o := range Sessions(slots, exceptions, today.AddDays(-1), today.AddDays(120)) {
		if o.End.After(now) {
			return o, true
		}
	}
	return Occurrence{}, false
}

// OccurrenceIndex numbers a slot's sessions from its first week (0, 1, …),
// for rotating the roster.
func OccurrenceIndex(s Slot, d Date) int {
	from := s.ValidFrom
	if from.IsZero() {
		from = s.Anchor
	}
	if from.IsZero() {
		from = NewDate(2000, time.January, 3) // a Monday
	}
	n := weeksBetween(mondayOf(from), mondayOf(d))
	if s.EveryWeeks > 1 {
		n /= s.EveryWeeks
	}
	return n
}

// Clock writes minutes after midnight as 19:30 (a time past midnight, 24:30, as 00:30).
func Clock(m int) string {
	m %= 24 * 60
	return string([]byte{byte('0' + m/600), byte('0' + m/60%10), ':', byte('0' + m%60/10), byte('0' + m%10)})
}
