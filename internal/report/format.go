package report

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"thonso/internal/domain"
	"thonso/internal/i18n"
)

// Num formats a count for the reader: 1.189 in Vietnamese, 1,189 in English.
func (t Text) Num(n int) string {
	s := i18n.Int(n)
	if t.Lang == "en" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// Pct formats a rate (0..1) with one decimal: 66,4% (66.4% in English).
func (t Text) Pct(rate float64) string {
	if t.Lang == "en" {
		return strconv.FormatFloat(rate*100, 'f', 1, 64) + "%"
	}
	return i18n.Percent(rate)
}

// People's Committee ("UBND") of a unit, as the issuing body is written
// on an administrative document: "UBND XÃ GIA PHÚ".
func committee(name string) string {
	return "UBND " + strings.ToUpper(name)
}

// runningName writes a unit's type word in lower case, as in running
// text: "huyện Bảo Thắng".
func runningName(name string) string {
	tw, rest := domain.SplitTypeWord(name)
	if tw == "" {
		return name
	}
	r, n := utf8.DecodeRuneInString(tw)
	return string(unicode.ToLower(r)) + tw[n:] + " " + rest
}

// placeName is a unit's name without its type word: "Gia Phú".
func placeName(name string) string {
	if _, rest := domain.SplitTypeWord(name); rest != "" {
		return rest
	}
	return name
}

// two writes day and month numbers as Decree 30/2020 wants: a leading
// zero for days below 10 and for January and February.
func two(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// placeDate is the place and date line: "Gia Phú, ngày 31 tháng 10 năm 2024".
func placeDate(t Text, place string, d domain.Date) string {
	month := strconv.Itoa(int(d.Month()))
	if d.Month() < 3 {
		month = two(int(d.Month()))
	}
	return t.T("export.place_date", "place", place, "day", two(d.Day()), "month", month, "year", strconv.Itoa(d.Year()))
}
