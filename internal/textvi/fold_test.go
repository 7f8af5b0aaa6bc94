package textvi

import (
	"math/rand"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// foldReference is Fold as first written (a new chain per call): the
// pooled, ASCII-fast Fold must answer exactly as it does.
func foldReference(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		switch r {
		case 'đ', 'Đ':
			return 'd'
		}
		return unicode.ToLower(r)
	}, out)
	return strings.Join(strings.Fields(out), " ")
}

func TestFoldMatchesReference(t *testing.T) {
	cases := []string{"", " ", "a", "A", " a", "a ", "a  b", "a\tb", "a\u00a0b", "x\u0085y", "dong cam", "Dong Cam", "Đông Căm",
		norm.NFD.String("Thị trấn Tằng Loỏng"), "  Huyện   Bảo Thắng ", "ĐẶC KHU CÔN ĐẢO", "\xff\xfe", "a\xffB", "ǅ", "İ", "ﬁ", "Ⅻ",
		"Nguyễn Văn An 12345", "chủ hộ", "x", "Nam", "Nữ", "\u3000全角\u3000", "e\u0301", "\u0301", "ß", "Σ"}
	alphabet := []rune("aAbBđĐăâêôơư \t\n\u00a0\u0301\u0300\u0323\u0345\u0338xyzXYZ019ÀÁẠẢÃÈÉỆỂİǅǕẛĳſÆØ×÷ɐʯ\u0370\u1e9e\u1ef9\xff")
	// Every rune of the Latin fast path, alone and after a letter.
	for r := rune(latinLo); r <= latinHi; r++ {
		cases = append(cases, string(r), "A"+string(r)+"b", string(r)+"\u0301")
	}
	r := rand.New(rand.NewSource(1))
	for range 20000 {
		n := r.Intn(12)
		var b strings.Builder
		for range n {
			b.WriteRune(alphabet[r.Intn(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, c := range cases {
		if got, want := Fold(c), foldReference(c); got != want {
			t.Fatalf("Fold(%q) = %q, reference %q", c, got, want)
		}
		// Normalize's fast path too.
		if got, want := Normalize(c), strings.Join(strings.Fields(norm.NFC.String(c)), " "); got != want {
			t.Fatalf("Normalize(%q) = %q, want %q", c, got, want)
		}
	}
}

func TestFoldASCIIAllocatesNothing(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { Fold("nguyen van an") }); n != 0 {
		t.Errorf("Fold of folded ASCII: %v allocations, want 0", n)
	}
}

// BenchmarkFold: a Vietnamese name, its ASCII form, and the short words
// of a sheet's columns (run with -benchmem).
func BenchmarkFold(b *testing.B) {
	for _, c := range []struct{ name, in string }{
		{"vietnamese", "Nguyễn Thị Thuỷ 123456"},
		{"ascii", "Nguyen Thi Thuy 123456"},
		{"ascii-folded", "nguyen thi thuy 123456"},
		{"word", "Nữ"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Fold(c.in)
			}
		})
		b.Run(c.name+"-reference", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				foldReference(c.in)
			}
		})
	}
}
