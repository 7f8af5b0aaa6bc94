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
