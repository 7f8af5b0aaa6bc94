package domain

import "testing"

func TestLunarToSolar(t *testing.T) {
	tet := map[int]string{2020: "2020-01-25", 2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06"}
	for y, want := range tet {
		if got := LunarToSolar(1, 1, y, false); got != MustDate(want) {
			t.Errorf("Tết %d = %s, want %s", y, got, want)
		}
	}
	gioTo := map[int]string{2023: "2023-04-29", 2024: "2024-04-18", 2025: "2025-04-07", 2026: "2026-04-26", 2027: "2027-04-16"}
	for y, want := range gioTo {
		if got := LunarToSolar(10, 3, y, false); got != MustDate(want) {
			t.Errorf("Giỗ Tổ %d = %s, want %s", y, got, want)
		}
	}
	// 2023 had a leap 2nd month: 1/2 nhuận = 22/03/2023.
	if got := LunarToSolar(1, 2, 2023, true); got != MustDate("2023-03-22") {
		t.Errorf("leap month 2023: %s", got)
	}
}
