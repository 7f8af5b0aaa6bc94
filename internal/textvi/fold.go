package textvi

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold returns s lowercased, without diacritics, with đ folded to d, for
// search: Fold("Đông Căm") == Fold("dong cam") == "dong cam". Unicode
// decomposition leaves đ alone, so it is folded explicitly.
//
// It runs once per imported row (name keys, the column words), so it is
// cheap: ASCII input skips the Unicode transforms (and allocates nothing
// when it is already folded), and the transformer chain is pooled — a
// new chain per call was 24 of the 52 GB a 1 M-row import allocated.
func Fold(s string) string {
	if isASCII(s) {
		return foldASCII(s)
	}
	if out, ok := foldLatin(s); ok {
		return out
	}
	f := folders.Get().(*folder)
	defer folders.Put(f)
	f.src = append(f.src[:0], s...)
	out, _, err := transform.Append(f.t, f.dst[:0], f.src) // Append resets t first
	if err != nil {
		out = f.src
	}
	f.dst = out[:0]
	// As strings.Map(đ→d, ToLower) then strings.Fields joined by " ".
	var b strings.Builder
	b.Grow(len(out))
	space := false
	for len(out) > 0 {
		r, size := utf8.DecodeRune(out)
		out = out[size:]
		switch r {
		case 'đ', 'Đ':
			r = 'd'
		default:
			r = unicode.ToLower(r)
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// folder is a NFD → drop marks → NFC chain with its buffers: a chain
// holds state and is not safe for concurrent use, hence the pool.
type folder struct {
	t        transform.Transformer
	src, dst []byte
}

var folders = sync.Pool{New: func() any {
	return &folder{t: transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), dst: make([]byte, 0, 64)}
}}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldASCII is Fold for ASCII text: lowercase, white space collapsed; s
// itself when nothing changes.
func foldASCII(s string) string {
	clean := true
	prevSpace := true // a leading space is a change
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			clean = false
		case asciiSpace(c):
			if c != ' ' || prevSpace {
				clean = false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	if clean && (len(s) == 0 || s[len(s)-1] != ' ') {
		return s
	}
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if asciiSpace(c) {
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// asciiSpace is unicode.IsSpace for bytes below 0x80.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// Latin letters with diacritics (Vietnamese's among them) and the
// combining marks fold one rune at a time: their decomposition is a base
// letter and marks, the marks go, and nothing is left to recompose.
// latinFolds holds each such rune's fold (−1: dropped), computed once by
// the full chain; a rune whose fold is not one rune is not in it.
const (
	latinLo = 0x00C0
	latinHi = 0x1EFF
)

var (
	latinOnce  sync.Once
	latinFolds []rune // index r − latinLo; 0: not folded this way
)

func inLatin(r rune) bool {
	return (r >= 0x00C0 && r <= 0x024F) || (r >= 0x0300 && r <= 0x036F) || (r >= 0x1E00 && r <= 0x1EFF)
}

func latinTable() []rune {
	latinOnce.Do(func() {
		latinFolds = make([]rune, latinHi-latinLo+1)
		t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
		for r := rune(latinLo); r <= latinHi; r++ {
			if !inLatin(r) {
				continue
			}
			out, _, err := transform.String(t, string(r))
			if err != nil {
				continue
			}
			rs := []rune(out)
			switch {
			case len(rs) == 0:
				latinFolds[r-latinLo] = -1
			case len(rs) == 1 && !unicode.IsSpace(rs[0]):
				f := rs[0]
				if f == 'đ' || f == 'Đ' {
					f = 'd'
				}
				latinFolds[r-latinLo] = unicode.ToLower(f)
			}
		}
	})
	return latinFolds
}

// foldLatin is Fold for text of ASCII and those runes; ok is false for
// any other text.
func foldLatin(s string) (string, bool) {
	table := latinTable()
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r < utf8.RuneSelf {
			c := byte(r)
			if asciiSpace(c) {
				space = b.Len() > 0
				continue
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(c)
			continue
		}
		if r < latinLo || r > latinHi || table[r-latinLo] == 0 {
			return "", false
		}
		f := table[r-latinLo]
		if f < 0 {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(f)
	}
	return b.String(), true
}
