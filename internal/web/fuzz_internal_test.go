package web

import (
	"bytes"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"thonso/internal/i18n"
)

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

var fuzzTypes = []string{"application/x-www-form-urlencoded", "multipart/form-data; boundary=XyZ", "text/plain", "application/x-www-form-urlencoded; charset=windows-1258", ""}

// FuzzForms decodes arbitrary bodies as the resident and household forms:
// no panic, every problem is a non-empty message beside a field, and
// values come back trimmed.
func FuzzForms(f *testing.F) {
	cat, err := i18n.Load()
	if err != nil {
		f.Fatal(err)
	}
	s := &Server{Cat: cat}
	f.Add([]byte("full_name=L%C3%B2+V%C4%83n+A&birth=01%2F02%2F1990&sex=nam&phone=0912345678&relation=con&smartphone=31%2F10%2F2024"), uint8(0))
	f.Add([]byte("full_name=%ZZ&birth=1990&version=abc"), uint8(0))
	f.Add([]byte("number=12&bank=31/02/2024&zalo=2024-10-31&version=3"), uint8(0))
	f.Add([]byte("--XyZ\r\nContent-Disposition: form-data; name=\"full_name\"\r\n\r\nA\r\n--XyZ--\r\n"), uint8(1))
	f.Add([]byte("--XyZ\r\nContent-Disposition: form-data; name=\"birth\"\r\n\r\n\xff\xfe\r\n"), uint8(1))
	f.Add([]byte("birth=0000-01-01&moved_in=99/99/9999"), uint8(2))
	f.Fuzz(func(t *testing.T, body []byte, kind uint8) {
		for _, lang := range []string{"vi", "en"} {
			r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
			r.Header.Set("Content-Type", fuzzTypes[int(kind)%len(fuzzTypes)])
			_, form, errs := parseResidentForm(r, s, lang)
			check(t, form, errs)
			r = httptest.NewRequest("POST", "/", bytes.NewReader(body))
			r.Header.Set("Content-Type", fuzzTypes[int(kind)%len(fuzzTypes)])
			_, form, errs = parseHouseholdForm(r, s, lang)
			check(t, form, errs)
		}
	})
}

func check(t *testing.T, form, errs map[string]string) {
	for k, v := range form {
		if v != strings.TrimSpace(v) {
			t.Fatalf("%s = %q not trimmed", k, v)
		}
	}
	for k, m := range errs {
		// A placeholder left untranslated, once the user's own text (which
		// the message quotes, "{" included) is taken out.
		rest := m
		for _, v := range form {
			if v != "" {
				rest = strings.ReplaceAll(rest, v, "")
			}
		}
		if m == "" || placeholder.MatchString(rest) {
			t.Fatalf("%s: message %q", k, m)
		}
	}
}

// FuzzFieldParsers: the small readers of query and form fields (month,
// clock, date) never panic and return values in range.
func FuzzFieldParsers(f *testing.F) {
	for _, s := range []string{"10/2024", "2024-10", "10-2024", "13/2024", "19:30", "19h30", "24:00", "-1:30", "31/10/2024", "", "/", "9999999999999999999/2024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if from, to, ok := parseMonth(s); ok && (to.Before(from) || from.Day() != 1) {
			t.Fatalf("parseMonth(%q) = %v %v", s, from, to)
		}
		if m, ok := parseClock(s); ok && (m < 0 || m >= 24*60) {
			t.Fatalf("parseClock(%q) = %d", s, m)
		}
		if d, err := parseDate(s); err == nil && d.IsZero() {
			t.Fatalf("parseDate(%q) zero without error", s)
		}
	})
}
