package textvi

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// A name's sort key is assembled from its words' keys, which are kept:
// a province's million names are made of a few thousand syllables, and
// the collator's key was a seventh of a million-row import's CPU (#10,
// P3). A key without the case level is the primary weights of the
// string's collation elements, two zero bytes, then their secondary
// weights. Words made of letters and digits, separated by single spaces,
// have no contraction or normalization across a space, so the string's
// elements are its words' and the spaces' in turn: each level is the
// words' levels joined by the space's. Anything else (a hyphen, an
// apostrophe, two spaces, a key of another shape) takes the collator's
// own way. TestWordsKeyIsTheCollatorsKey checks the two agree.
type wordKey struct {
	primary, secondary []byte
}

// maxWords bounds the words kept; past it they are forgotten and learnt again.
const maxWords = 1 << 16

// wordsKey returns s's key assembled from its words' keys, and whether s
// is made of words. The key is valid until the next call.
func (c *Collator) wordsKey(s string) ([]byte, bool) {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return nil, false
	}
	if c.words == nil || len(c.words) > maxWords {
		c.words = make(map[string]wordKey, 1024)
		sp, ok := c.split(" ")
		if !ok {
			return nil, false
		}
		c.space = sp
	}
	c.prim, c.second = c.prim[:0], c.second[:0]
	for start := 0; start < len(s); {
		end := start
		for end < len(s) && s[end] != ' ' {
			end++
		}
		word := s[start:end]
		if start > 0 {
			c.prim = append(c.prim, c.space.primary...)
			c.second = append(c.second, c.space.secondary...)
		}
		// A number is its digits' keys in turn (no numeric ordering):
		// numbers are not kept, or a file of numbered names would
		// fill the words with numbers seen once.
		parts := []string{word}
		if digits(word) {
			parts = c.digitParts(word)
		}
		for _, part := range parts {
			k, ok := c.words[part]
			if !ok {
				if !isWord(part) {
					return nil, false
				}
				if k, ok = c.split(part); !ok {
					return nil, false
				}
				c.words[part] = k
			}
			c.prim = append(c.prim, k.primary...)
			c.second = append(c.second, k.secondary...)
		}
		start = end + 1
		if end < len(s) && start < len(s) && s[start] == ' ' {
			return nil, false // two spaces
		}
	}
	c.prim = append(c.prim, 0, 0)
	return append(c.prim, c.second...), true
}

// digits reports whether w is ASCII digits only.
func digits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// digitParts cuts a number into its digits (strings sharing w's bytes).
func (c *Collator) digitParts(w string) []string {
	c.parts = c.parts[:0]
	for i := 0; i < len(w); i++ {
		c.parts = append(c.parts, w[i:i+1])
	}
	return c.parts
}

// split computes a word's key and cuts it into its two levels: primary
// weights (two bytes each, never zero), 0000, secondary weights (two
// bytes each, never zero). Any other shape is refused.
func (c *Collator) split(word string) (wordKey, bool) {
	c.buf.Reset()
	k := c.k.KeyFromString(&c.buf, word)
	cut := -1
	for i := 0; i+1 < len(k); i += 2 {
		if k[i] == 0 && k[i+1] == 0 {
			cut = i
			break
		}
	}
	if cut < 0 || len(k)%2 != 0 {
		return wordKey{}, false
	}
	sec := k[cut+2:]
	for i := 0; i+1 < len(sec); i += 2 {
		if sec[i] == 0 && sec[i+1] == 0 {
			return wordKey{}, false // a third level
		}
	}
	return wordKey{primary: bytes.Clone(k[:cut]), secondary: bytes.Clone(sec)}, true
}

// isWord reports whether w is letters (with their marks) and digits
// only, beginning with a letter or a digit.
func isWord(w string) bool {
	for i := 0; i < len(w); {
		r, n := utf8.DecodeRuneInString(w[i:])
		mark := i > 0 && unicode.Is(unicode.Mn, r)
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r) || mark) {
			return false
		}
		i += n
	}
	return w != ""
}
