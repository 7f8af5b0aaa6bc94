package textvi

import (
	"encoding/hex"
	"strings"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Đông Căm", "dong cam"},
		{"dong cam", "dong cam"},
		{"Xã Gia Phú", "xa gia phu"},
		{norm.NFD.String("Thị trấn Tằng Loỏng"), "thi tran tang loong"},
		{"  Huyện   Bảo Thắng ", "huyen bao thang"},
		{"ĐẶC KHU CÔN ĐẢO", "dac khu con dao"},
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSlug(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Đông Căm", "dong-cam"},
		{"Tổ dân phố số 1", "to-dan-pho-so-1"},
		{"Phú Hợp 2", "phu-hop-2"},
		{"Làng – Mới!", "lang-moi"},
	} {
		if got := Slug(c.in); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	nfd := norm.NFD.String("Thôn  Đông Căm ")
	if got := Normalize(nfd); got != "Thôn Đông Căm" || !norm.NFC.IsNormalString(got) {
		t.Errorf("Normalize = %q", got)
	}
}

func TestCollatorVietnameseOrder(t *testing.T) {
	names := []string{"Đông Căm", "Dương", "Ân", "Anh", "Ăn", "Bình", "Êm", "Em"}
	SortBy(NewCollator(), names, func(s string) string { return s })
	want := []string{"Anh", "Ăn", "Ân", "Bình", "Dương", "Đông Căm", "Em", "Êm"}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("order = %v, want %v", names, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	ok := map[string]string{
		"01/07/2025": "2025-07-01",
		"1/7/2025":   "2025-07-01",
		"31-10-2024": "2024-10-31",
		"2024-10-31": "2024-10-31",
		"29/02/2024": "2024-02-29",
	}
	for in, want := range ok {
		d, err := ParseDate(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"31/02/2025", "2025/07/01", "07/2025", "abc", "00/01/2025", "01/13/2025", "2025-13-01"} {
		if _, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted", in)
		}
	}
}

func TestPersonSortKey(t *testing.T) {
	c := NewCollator()
	names := []string{"Nguyễn Văn Bình", "Lò Thị Ánh", "Trần An", "Đỗ Văn Bình", "Hoàng Thị Ân"}
	SortBy(c, names, c.PersonSortKey)
	want := []string{"Trần An", "Lò Thị Ánh", "Hoàng Thị Ân", "Đỗ Văn Bình", "Nguyễn Văn Bình"}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("order %v, want %v", names, want)
		}
	}
}

// Sort keys order as the collator does, a case difference aside (a tie);
// a key stored before keys dropped the case level compares with a new
// one as the names do, so stored keys need no rewriting.
func TestSortKeyOrderAndStoredKeys(t *testing.T) {
	names := []string{"Nguyễn Văn An", "nguyễn văn an", "Nguyen Van An", "Nguyễn Văn Ân", "Nguyễn Văn Ăn", "Nguyễn Văn Ấn", "Nguyễn Văn Ận",
		"Đỗ Thị Hà", "Do Thi Ha", "Đỗ Thị Hà", "Đổ Thị Hả", "Giàng A Páo", "Hầu A Chư", "Sùng Thị Mỷ", "Lò Văn Thử 10", "Lò Văn Thử 9",
		"Vàng A Sử", "VÀNG A SỬ", "Thào Seo Lử", "Y Kông", "H'Hen Niê", "Trần An", "Trần Anh", "Ông", "Ơn", "Ưng", "Ung", "Z'rốt"}
	c := NewCollator()
	full := collate.New(language.Vietnamese)
	var buf collate.Buffer
	stored := func(s string) string {
		buf.Reset()
		return hex.EncodeToString(full.KeyFromString(&buf, s))
	}
	caseTie := func(a, b string) bool { return strings.EqualFold(a, b) || strings.ToLower(a) == strings.ToLower(b) }
	for _, a := range names {
		ka := c.SortKey(a)
		if !strings.HasPrefix(stored(a), ka) || len(ka) >= len(stored(a)) {
			t.Fatalf("%q: key %s is not a shorter prefix of the stored kind %s", a, ka, stored(a))
		}
		for _, b := range names {
			want := full.CompareString(a, b)
			if caseTie(a, b) {
				if got := strings.Compare(ka, c.SortKey(b)); got != 0 {
					t.Errorf("%q %q differ only in case: keys compare %d", a, b, got)
				}
				continue
			}
			if got := strings.Compare(ka, c.SortKey(b)); got != want {
				t.Errorf("keys of %q, %q compare %d, names %d", a, b, got, want)
			}
			if got := strings.Compare(ka, stored(b)); got != want {
				t.Errorf("new key of %q, stored key of %q compare %d, names %d", a, b, got, want)
			}
		}
	}
}

// A key assembled from words' keys is the collator's own, on names made
// of many syllables with every tone, both cases, đ, digits; strings that
// are not words separated by single spaces take the collator's way.
func TestWordsKeyIsTheCollatorsKey(t *testing.T) {
	c := NewCollator()
	slow := func(s string) string {
		var buf collate.Buffer
		return hex.EncodeToString(c.k.KeyFromString(&buf, s))
	}
	syllables := []string{"Nguyễn", "nguyễn", "Văn", "Thị", "An", "Ân", "Ăn", "Ấn", "Ận", "Đỗ", "đỗ", "Hà", "Hả", "Hã", "Há", "Hạ", "Giàng", "Páo",
		"Hầu", "Chư", "Sùng", "Mỷ", "Lò", "Thử", "Vàng", "Sử", "Ưng", "Ơn", "Ông", "Y", "Kông", "Niê", "10", "9", "Quỳnh", "Nguyệt", "Khuyến", "Ngoãn",
		"Thuỷ", "Thủy", "Lưu", "Trương", "A", "Seo", "Lử", "Z", "Wừ", "ÀNH", "Ếch", "Nguye\u0302\u0303n", "Tho\u031b\u0300", "999999", "0", "2025", "A1", "1A"}
	for i := 0; i < 5000; i++ {
		n := 1 + i%5
		words := make([]string, n)
		for j := range words {
			words[j] = syllables[(i*7+j*13+i/3)%len(syllables)]
		}
		name := strings.Join(words, " ")
		if got, want := c.SortKey(name), slow(name); got != want {
			t.Fatalf("%q: words key %s, collator's %s", name, got, want)
		}
		if _, ok := c.wordsKey(name); !ok {
			t.Fatalf("%q not taken as words", name)
		}
	}
	for _, s := range []string{"H'Hen Niê", "Lò  Văn", " An", "An ", "Nguyễn-Văn", "", "Trần An.", "An\tBình", "An \u0301Bình"} {
		if _, ok := c.wordsKey(s); ok {
			t.Errorf("%q taken as words", s)
		}
		if got, want := c.SortKey(s), slow(s); got != want {
			t.Errorf("%q: key %s, collator's %s", s, got, want)
		}
	}
}
