package domain

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a Vietnamese civil calendar day. The zero Date means "no date"
// (an open end of a validity range) and is stored as NULL.
type Date struct{ t time.Time }

// Vietnam is the time zone every civil date is read in.
var vietnam = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// time/tzdata is imported by the binary; a fixed +7 is the truth anyway.
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
}

// Vietnam returns the Asia/Ho_Chi_Minh location.
func Vietnam() *time.Location { return vietnam }

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the civil date of an instant in Asia/Ho_Chi_Minh.
func DateOf(t time.Time) Date {
	v := t.In(vietnam)
	return NewDate(v.Year(), v.Month(), v.Day())
}

// ParseISO reads YYYY-MM-DD; an empty string is the zero Date.
func ParseISO(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	if len(s) > 10 { // tolerate timestamps from drivers: 2025-07-01T00:00:00Z
		s = s[:10]
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "date.invalid", "value", s)
	}
	return Date{t}, nil
}

// MustDate parses an ISO date or panics; for tests and fixed data.
func MustDate(s string) Date {
	d, err := ParseISO(s)
	if err != nil || d.IsZero() {
		panic(fmt.Sprintf("bad date %q", s))
	}
	return d
}

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d.t.IsZero() }

// String is the ISO form, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}

// VN is the dd/mm/yyyy form shown to users.
func (d Date) VN() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("02/01/2006")
}

// Year, Month and Day give the parts of d.
func (d Date) Year() int         { return d.t.Year() }
func (d Date) Month() time.Month { return d.t.Month() }
func (d Date) Day() int          { return d.t.Day() }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// Before, After and Equal compare two non-zero dates.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }
func (d Date) After(o Date) bool  { return d.t.After(o.t) }
func (d Date) Equal(o Date) bool  { return d.t.Equal(o.t) }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return d.t }

// Value stores the ISO text, or NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads ISO text (or a driver time) or NULL.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		p, err := ParseISO(v)
		*d = p
		return err
	case []byte:
		p, err := ParseISO(string(v))
		*d = p
		return err
	case time.Time:
		*d = NewDate(v.Year(), v.Month(), v.Day())
		return nil
	}
	return fmt.Errorf("domain.Date: cannot scan %T", src)
}

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return Errorf(EINVALID, "date.invalid", "value", string(b))
	}
	// Exactly YYYY-MM-DD from outside (ParseISO also takes the drivers'
	// timestamps), and no year before 1000: "0000-01-01" is a typo, as
	// textvi.ParseDate holds (found by the bad-input corpus).
	if s != "" && len(s) != 10 {
		return Errorf(EINVALID, "date.invalid", "value", s)
	}
	p, err := ParseISO(s)
	if err != nil {
		return err
	}
	if !p.IsZero() && p.Year() < 1000 {
		return Errorf(EINVALID, "date.invalid", "value", s)
	}
	*d = p
	return nil
}

// Within reports whether d lies in [from, to], inclusive, where a zero
// from means "since before our records" and a zero to means "still valid".
func (d Date) Within(from, to Date) bool {
	if !from.IsZero() && d.Before(from) {
		return false
	}
	if !to.IsZero() && d.After(to) {
		return false
	}
	return true
}
