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
	k   *collate.Collator // SortKey's: without the case level
	buf collate.Buffer    // reused by SortKey: 4 KB a call otherwise
	hex []byte
	// SortKey's keys of words, for names made of words (wordkey.go).
	words        map[string]wordKey
	space        wordKey
	prim, second []byte
	parts        []string
}

// NewCollator returns a Vietnamese collator.
func NewCollator() *Collator {
	return &Collator{c: collate.New(language.Vietnamese), k: collate.New(language.Vietnamese, collate.IgnoreCase)}
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
// The key has the letters' level and the diacritics' (tones), not the
// case level: names differing only in case are ties, which the lists
// break by id. Every resident stores two keys, so this is a fifth of a
// row's bytes (#10, P3). A key of the case level's days (stored before)
// is this key followed by the case level: the two kinds compare as they
// should except among those ties, so stored keys need not be rewritten.
func (c *Collator) SortKey(s string) string {
	k, ok := c.wordsKey(s)
	if !ok {
		c.buf.Reset()
		k = c.k.KeyFromString(&c.buf, s)
	}
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
