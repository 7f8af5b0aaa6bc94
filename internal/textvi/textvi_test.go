package textvi

import (
	"testing"

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
