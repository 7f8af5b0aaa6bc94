package domain

import "time"

// DayOff is a public day off, or a make-up working day (làm bù): a
// Saturday worked in exchange for a weekday off.
type DayOff struct {
	On          Date
	Kind        string // "off" or "makeup"
	Name        string
	Provisional bool // computed or expected; an officer has not confirmed it
}

// WorkingDay reports whether d is a working day: not a Saturday or
// Sunday unless a make-up day, and not a day off.
func WorkingDay(d Date, days map[Date]DayOff) bool {
	if x, ok := days[d]; ok {
		return x.Kind == "makeup"
	}
	wd := d.Time().Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns the date n working days after d.
func AddWorkingDays(d Date, n int, days map[Date]DayOff) Date {
	for n > 0 {
		d = d.AddDays(1)
		if WorkingDay(d, days) {
			n--
		}
	}
	return d
}
