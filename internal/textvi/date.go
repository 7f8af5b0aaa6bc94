package textvi

import (
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
)

// ParseDate reads a date as Vietnamese users and files write it:
// dd/mm/yyyy (also d/m/yyyy, with - or . as separator) or ISO yyyy-mm-dd.
// An empty string is the zero Date. Anything else is EINVALID date.invalid.
func ParseDate(s string) (domain.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return domain.Date{}, nil
	}
	// The error is built only when needed: ParseDate runs on every date
	// cell of an import.
	bad := func() error { return domain.Errorf(domain.EINVALID, "date.invalid", "value", s) }
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		d, err := domain.ParseISO(s)
		if err != nil || d.Year() < 1000 { // as dd/mm/yyyy: a year before 1000 is a typo (found by FuzzParseDate)
			return domain.Date{}, bad()
		}
		return d, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return domain.Date{}, bad()
	}
	day, e1 := strconv.Atoi(parts[0])
	mon, e2 := strconv.Atoi(parts[1])
	yr, e3 := strconv.Atoi(parts[2])
	if e1 != nil || e2 != nil || e3 != nil || mon < 1 || mon > 12 || day < 1 || yr < 1000 {
		return domain.Date{}, bad()
	}
	d := domain.NewDate(yr, time.Month(mon), day)
	if d.Day() != day { // 31/02 rolls over
		return domain.Date{}, bad()
	}
	return d, nil
}
