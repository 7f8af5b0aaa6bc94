package textvi

import (
	"encoding/hex"
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Collator sorts by the Vietnamese alphabet (a ă â b c d đ e ê …). It is
// not safe for concurrent use; make one per request.
type Collator struct {
	c   *collate.Collator
	buf collate.Buffer // reused by SortKey: 4 KB a call otherwise
	hex []byte
}

// NewCollator returns a Vietnamese collator.
func NewCollator() *Collator {
	return &Collator{c: collate.New(language.Vietnamese)}
}

// Compare orders a and b.
func (c *Collator) Compare(a, b string) int { return c.c.CompareString(a, b) }

// SortBy sorts items in place by the name key gives.
func SortBy[T any](c *Collator, items []T, key func(T) string) {
	sort.SliceStable(items, func(i, j int) bool {
		return c.c.CompareString(key(items[i]), key(items[j])) < 0
	})
}

// SortKey returns a string whose byte order is the Vietnamese order of s
// (hex of the collation key), so a database can ORDER BY it on any engine.
func (c *Collator) SortKey(s string) string {
	c.buf.Reset()
	k := c.c.KeyFromString(&c.buf, s)
	c.hex = hex.AppendEncode(c.hex[:0], k)
	return string(c.hex)
}

// PersonSortKey orders people as Vietnamese lists do: by given name (the
// last word), then by the full name.
func (c *Collator) PersonSortKey(fullName string) string {
	words := strings.Fields(fullName)
	given := ""
	if len(words) > 0 {
		given = words[len(words)-1]
	}
	return c.SortKey(given + " " + fullName)
}
