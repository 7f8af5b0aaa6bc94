package domain

import "unicode/utf8"

// Longest texts a person types: a name, a short line, a note. Longer
// input is refused rather than stored (the bad-input corpus sent 100 000
// characters as a name).
const (
	MaxName = 200
	MaxNote = 4000
)

// CheckLength refuses s when it has more than max characters, naming
// field.
func CheckLength(s string, max int, field string) error {
	if utf8.RuneCountInString(s) > max {
		return Errorf(EINVALID, "text.too_long", "max", max).WithField(field)
	}
	return nil
}
