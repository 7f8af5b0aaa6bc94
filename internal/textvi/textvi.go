// Package textvi handles Vietnamese text: Unicode normalisation, folding
// for accent-blind search, slugs, collation and dd/mm/yyyy dates.
package textvi

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in NFC with runs of white space collapsed to one
// space and trimmed: the form every stored name takes, whatever keyboard
// or spreadsheet it came from (many old files use decomposed NFD text).
func Normalize(s string) string {
	s = norm.NFC.String(s)
	return strings.Join(strings.Fields(s), " ")
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
