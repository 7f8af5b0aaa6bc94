package importer

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Many village lists were typed years ago with the legacy Vietnamese fonts
// (.VnTime for TCVN3/ABC, VNI-Times for VNI) that draw Vietnamese letters in
// place of Latin-1 characters. Opened anywhere else, or saved to a Unicode
// file, the text shows as "NguyÔn V¨n Hïng" (TCVN3) or "Nguyeãn Vaên Huøng"
// (VNI). Importing that would store garbage names no search can find, so
// such files are refused with the encoding named, and the officer converts
// them (Unikey's converter does it in a minute).
//
// Detection decodes a name under each legacy table and accepts the
// hypothesis only when (1) the name holds nothing beyond Latin-1 (real
// Unicode Vietnamese nearly always has ă, đ, ơ, ư or a letter of the
// U+1Exx block, which no legacy file produces), (2) some word changes, (3)
// every changed word decodes to a well-formed Vietnamese syllable and (4)
// at least one changed word was not a well-formed syllable before. A
// correct name — Vietnamese, minority or foreign, accented or ASCII — fails
// (1), (2) or (4), so it never triggers.

const (
	encTCVN3 = "TCVN3"
	encVNI   = "VNI"
)

// tcvn3Lower maps the TCVN3 (ABC) code points, as a Unicode-unaware
// program saves them (Windows-1252 / Latin-1), to the letters the font draws.
var tcvn3Lower = map[rune]rune{
	'µ': 'à', '¸': 'á', '¶': 'ả', '·': 'ã', '¹': 'ạ',
	'¨': 'ă', '»': 'ằ', '¾': 'ắ', '¼': 'ẳ', '½': 'ẵ', 'Æ': 'ặ',
	'©': 'â', 'Ç': 'ầ', 'Ê': 'ấ', 'È': 'ẩ', 'É': 'ẫ', 'Ë': 'ậ',
	'®': 'đ',
	'Ì': 'è', 'Ð': 'é', 'Î': 'ẻ', 'Ï': 'ẽ', 'Ñ': 'ẹ',
	'ª': 'ê', 'Ò': 'ề', 'Õ': 'ế', 'Ó': 'ể', 'Ô': 'ễ', 'Ö': 'ệ',
	'×': 'ì', 'Ý': 'í', 'Ø': 'ỉ', 'Ü': 'ĩ', 'Þ': 'ị',
	'ß': 'ò', 'ã': 'ó', 'á': 'ỏ', 'â': 'õ', 'ä': 'ọ',
	'«': 'ô', 'å': 'ồ', 'è': 'ố', 'æ': 'ổ', 'ç': 'ỗ', 'é': 'ộ',
	'¬': 'ơ', 'ê': 'ờ', 'í': 'ớ', 'ë': 'ở', 'ì': 'ỡ', 'î': 'ợ',
	'ï': 'ù', 'ó': 'ú', 'ñ': 'ủ', 'ò': 'ũ', 'ô': 'ụ',
	'\u00ad': 'ư', 'õ': 'ừ', 'ø': 'ứ', 'ö': 'ử', '÷': 'ữ', 'ù': 'ự',
	'ú': 'ỳ', 'ý': 'ý', 'û': 'ỷ', 'ü': 'ỹ', 'þ': 'ỵ',
	'¡': 'Ă', '¢': 'Â', '£': 'Ê', '¤': 'Ô', '¥': 'Ơ', '¦': 'Ư', '§': 'Đ',
}

// VNI writes a vowel as its base letter followed by one mark character.
// vniMarks maps each mark (lower and upper case) to the combining
// characters it adds; vniSingle holds the letters VNI writes as one
// character (i with tones, ỵ, đ, ơ, ư).
var vniMarks = map[rune]string{
	'ù': "\u0301", 'ø': "\u0300", 'û': "\u0309", 'õ': "\u0303", 'ï': "\u0323",
	'â': "\u0302", 'á': "\u0302\u0301", 'à': "\u0302\u0300", 'å': "\u0302\u0309", 'ã': "\u0302\u0303", 'ä': "\u0302\u0323",
	'ê': "\u0306", 'é': "\u0306\u0301", 'è': "\u0306\u0300", 'ú': "\u0306\u0309", 'ü': "\u0306\u0303", 'ë': "\u0306\u0323",
	'Ù': "\u0301", 'Ø': "\u0300", 'Û': "\u0309", 'Õ': "\u0303", 'Ï': "\u0323",
	'Â': "\u0302", 'Á': "\u0302\u0301", 'À': "\u0302\u0300", 'Å': "\u0302\u0309", 'Ã': "\u0302\u0303", 'Ä': "\u0302\u0323",
	'Ê': "\u0306", 'É': "\u0306\u0301", 'È': "\u0306\u0300", 'Ú': "\u0306\u0309", 'Ü': "\u0306\u0303", 'Ë': "\u0306\u0323",
}

var vniSingle = map[rune]rune{
	'í': 'í', 'ì': 'ì', 'æ': 'ỉ', 'ó': 'ĩ', 'ò': 'ị', 'î': 'ỵ', 'ñ': 'đ', 'ô': 'ơ', 'ö': 'ư',
	'Í': 'Í', 'Ì': 'Ì', 'Æ': 'Ỉ', 'Ó': 'Ĩ', 'Ò': 'Ị', 'Î': 'Ỵ', 'Ñ': 'Đ', 'Ô': 'Ơ', 'Ö': 'Ư',
}

// legacyEncoding names the legacy font encoding name looks typed in, or "".
func legacyEncoding(name string) string {
	latin := false
	for _, r := range name {
		if r > 0xFF {
			return ""
		}
		if r >= 0x80 {
			latin = true
		}
	}
	if !latin {
		return ""
	}
	if plausibleDecoding(name, decodeTCVN3) {
		return encTCVN3
	}
	if plausibleDecoding(name, decodeVNI) {
		return encVNI
	}
	return ""
}

// legacyWatch weighs the evidence down the name column. A name with two
// or more legacy characters ("NguyÔn V¨n Hïng") settles it; a name with a
// single one ("Vµng A Pao", or a real name with a stray "×") only counts
// when a second such name follows, so one odd typo never refuses a file.
// The row reported is the first where legacy text was seen.
type legacyWatch struct {
	row int
	enc string
}

// see looks at the name of a row; found says the file is legacy.
func (w *legacyWatch) see(name string, row int) (enc string, at int, found bool) {
	e := legacyEncoding(name)
	if e == "" {
		return "", 0, false
	}
	if w.row != 0 {
		return w.enc, w.row, true
	}
	n := 0
	for _, r := range name {
		if r >= 0x80 {
			n++
		}
	}
	if n >= 2 {
		return e, row, true
	}
	w.row, w.enc = row, e
	return "", 0, false
}

// plausibleDecoding applies rules (2)–(4) of the file comment to each word.
func plausibleDecoding(name string, decode func(string) (string, bool)) bool {
	changed, wasBad := false, false
	for _, w := range strings.Fields(name) {
		d, ok := decode(w)
		if !ok {
			return false
		}
		if d == w {
			continue
		}
		changed = true
		for _, part := range splitLetters(d) {
			if !vietSyllable(part) {
				return false
			}
		}
		for _, part := range splitLetters(w) {
			if !vietSyllable(part) {
				wasBad = true
			}
		}
	}
	return changed && wasBad
}

// splitLetters splits a word on what is not a letter or mark ("H'Mông",
// "Nguyễn-Văn") so each part can be checked as a syllable. A Latin-1
// symbol (legacy garbage like ¨) stays inside its part.
func splitLetters(w string) []string {
	return strings.FieldsFunc(w, func(r rune) bool {
		return r < 0x80 && !unicode.IsLetter(r)
	})
}

// decodeTCVN3 reads s as TCVN3; false when s holds a Latin-1 character the
// table lacks. An upper-case vowel followed by its lower-case toned form
// ("A¸") is how capitals with tones were typed: it becomes one capital.
func decodeTCVN3(s string) (string, bool) {
	var out []rune
	for _, r := range s {
		if r < 0x80 {
			out = append(out, r)
			continue
		}
		d, ok := tcvn3Lower[r]
		if !ok {
			return "", false
		}
		if n := len(out); n > 0 && unicode.IsUpper(out[n-1]) && unicode.IsLower(d) && baseVowel(d) == unicode.ToLower(out[n-1]) {
			out[n-1] = unicode.ToUpper(d)
			continue
		}
		out = append(out, d)
	}
	return string(out), true
}

// decodeVNI reads s as VNI; false when a mark follows no vowel that takes
// it, or s holds a Latin-1 character VNI does not use.
func decodeVNI(s string) (string, bool) {
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		base := r
		if x, ok := vniSingle[r]; ok {
			base = x
		} else if r >= 0x80 {
			return "", false
		}
		if i+1 < len(rs) {
			if m, ok := vniMarks[rs[i+1]]; ok && vniTakes(base, m) {
				b.WriteString(norm.NFC.String(string(base) + m))
				i++
				continue
			}
		}
		b.WriteRune(base)
	}
	return b.String(), true
}

// vniTakes reports whether base can carry the combining marks m: a breve
// only on a, a circumflex on a, e and o, tones on any vowel.
func vniTakes(base rune, m string) bool {
	l := unicode.ToLower(base)
	switch {
	case strings.HasPrefix(m, "\u0306"):
		return l == 'a'
	case strings.HasPrefix(m, "\u0302"):
		return l == 'a' || l == 'e' || l == 'o'
	}
	return strings.ContainsRune("aeiouyơư", l)
}

// baseVowel is a lower-case letter without its tone, keeping ă â ê ô ơ ư.
func baseVowel(r rune) rune {
	var base rune
	for _, c := range norm.NFD.String(string(r)) {
		switch c {
		case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
		default:
			if base == 0 {
				base = c
			} else {
				base = []rune(norm.NFC.String(string(base) + string(c)))[0]
			}
		}
	}
	return unicode.ToLower(base)
}

// Vietnamese syllable structure, tone removed: onset, nucleus, coda.
// Generous on purpose (minority names, loan words): it only needs to tell
// a syllable from legacy-font garbage.
var (
	vietOnsets = []string{"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
		"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "f", "j", "w", "z", ""}
	vietCodas  = []string{"ng", "nh", "ch", "c", "m", "n", "p", "t", ""}
	vietNuclei = map[string]bool{
		"a": true, "ă": true, "â": true, "e": true, "ê": true, "i": true, "o": true, "ô": true, "ơ": true, "u": true, "ư": true, "y": true,
		"ai": true, "ao": true, "au": true, "ay": true, "âu": true, "ây": true, "eo": true, "êu": true, "ia": true, "iê": true, "iu": true,
		"oa": true, "oă": true, "oe": true, "oi": true, "ôi": true, "ơi": true, "oo": true, "ua": true, "uâ": true, "uê": true, "ui": true,
		"uô": true, "uơ": true, "uy": true, "ưa": true, "ưi": true, "ươ": true, "ưu": true, "ya": true, "yê": true,
		"iêu": true, "yêu": true, "oai": true, "oao": true, "oay": true, "oeo": true, "uây": true, "uôi": true, "uya": true,
		"uyê": true, "uyu": true, "ươi": true, "ươu": true,
	}
)

// vietSyllable reports whether w (one word, any case) is a well-formed
// Vietnamese syllable: letters of the Vietnamese alphabet, at most one
// tone mark, and onset + nucleus + coda from the tables above.
func vietSyllable(w string) bool {
	var skel []rune
	tones := 0
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		switch {
		case r >= 'a' && r <= 'z' || r == 'đ':
			skel = append(skel, r)
		case r == '\u0300' || r == '\u0301' || r == '\u0303' || r == '\u0309' || r == '\u0323':
			tones++
			if len(skel) == 0 || !strings.ContainsRune("aăâeêioôơuưy", skel[len(skel)-1]) {
				return false
			}
		case r == '\u0302' || r == '\u0306' || r == '\u031B':
			if len(skel) == 0 {
				return false
			}
			last := skel[len(skel)-1]
			ok := (r == '\u0302' && (last == 'a' || last == 'e' || last == 'o')) ||
				(r == '\u0306' && last == 'a') || (r == '\u031B' && (last == 'o' || last == 'u'))
			if !ok {
				return false
			}
			skel[len(skel)-1] = []rune(norm.NFC.String(string(last) + string(r)))[0]
		default:
			return false
		}
	}
	if tones > 1 || len(skel) == 0 {
		return false
	}
	s := string(skel)
	for _, on := range vietOnsets {
		if !strings.HasPrefix(s, on) {
			continue
		}
		rest := s[len(on):]
		for _, coda := range vietCodas {
			if strings.HasSuffix(rest, coda) && vietNuclei[rest[:len(rest)-len(coda)]] {
				return true
			}
		}
	}
	return false
}
