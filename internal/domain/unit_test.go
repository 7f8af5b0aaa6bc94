package domain

import "testing"

func TestLevelOfCode(t *testing.T) {
	for code, want := range map[string]Level{"15": LevelProvince, "086": LevelDistrict, "02923": LevelCommune, "T000001": LevelVillage,
		"abc": "", "T": "", "Tx1": "", "1234": "", "": "", "0292a": ""} {
		if got := LevelOfCode(code); got != want {
			t.Errorf("LevelOfCode(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestSplitTypeWord(t *testing.T) {
	for name, want := range map[string][2]string{
		"Thôn Đông Căm":          {"Thôn", "Đông Căm"},
		"Thành phố Hà Nội":       {"Thành phố", "Hà Nội"},
		"Tổ dân phố số 1":        {"Tổ dân phố", "số 1"},
		"Thị trấn N.T Phong Hải": {"Thị trấn", "N.T Phong Hải"},
		"Đặc khu Côn Đảo":        {"Đặc khu", "Côn Đảo"},
		"Đông Căm":               {"", "Đông Căm"},
	} {
		tw, rest := SplitTypeWord(name)
		if tw != want[0] || rest != want[1] {
			t.Errorf("SplitTypeWord(%q) = %q, %q", name, tw, rest)
		}
	}
}

func TestDateWithinAndNearest(t *testing.T) {
	d := MustDate("2025-07-01")
	if !d.Within(Date{}, Date{}) || d.Within(Date{}, MustDate("2025-06-30")) || !d.Within(d, d) {
		t.Fatal("Within")
	}
	vs := []Validity{{ValidTo: MustDate("2025-06-30")}, {ValidFrom: MustDate("2027-01-01")}}
	n := Nearest(vs, d)
	if len(n) != 2 || n[0] != MustDate("2025-06-30") || n[1] != MustDate("2027-01-01") {
		t.Fatalf("Nearest %v", n)
	}
	if MustDate("2024-02-28").AddDays(1).VN() != "29/02/2024" {
		t.Fatal("AddDays")
	}
}
