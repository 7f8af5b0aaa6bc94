// Package textvi handles Vietnamese text: Unicode normalisation, folding
// for accent-blind search, slugs, collation and dd/mm/yyyy dates.
package textvi

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in NFC with runs of white space collapsed to one
// space and trimmed: the form every stored name takes, whatever keyboard
// or spreadsheet it came from (many old files use decomposed NFD text).
func Normalize(s string) string {
	s = norm.NFC.String(s) // s itself when already NFC
	if spacedOnce(s) {
		return s // the common case, without allocating
	}
	return strings.Join(strings.Fields(s), " ")
}

// spacedOnce reports whether strings.Join(strings.Fields(s), " ") == s:
// no white space but single ASCII spaces between words.
func spacedOnce(s string) bool {
	prevSpace := true
	for _, r := range s {
		if unicode.IsSpace(r) {
			if r != ' ' || prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return s == "" || !prevSpace
}

// Slug returns the ASCII words of s joined by "-": "Đông Căm" → "dong-cam".
func Slug(s string) string {
	f := Fold(s)
	var b strings.Builder
	dash := false
	for _, r := range f {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}
