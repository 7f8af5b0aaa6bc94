package domain

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParsePhone: no panic; an accepted number is canonical (reads back
// as itself) and an error is phone.invalid on the phone field.
func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"0912345678", "0912.345.678", "+84 912 345 678", "84912345678", "02143456789", "(0214) 345-6789", "", "+", "++84",
		"0", "091234567", "09123456789", "٠٩١٢٣٤٥٦٧٨", "0912345678\x00", "84", "8412"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePhone(s)
		if err != nil {
			if de, ok := AsError(err); !ok || de.Key != "phone.invalid" || de.Field != "phone" {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if p == "" {
			return
		}
		if again, err := ParsePhone(p); err != nil || again != p {
			t.Fatalf("%q → %q → %q %v", s, p, again, err)
		}
		if len(p) != 10 && len(p) != 11 {
			t.Fatalf("%q → %q", s, p)
		}
	})
}

// FuzzCheckCCCD: no panic for any string, sex and year; an accepted CCCD
// is 12 digits.
func FuzzCheckCCCD(f *testing.F) {
	f.Add("001090012345", "nam", 1990)
	f.Add("001190012345", "nu", 1990)
	f.Add("096300000001", "nu", 2000)
	f.Add("000000000000", "", 0)
	f.Add("12345678901", "nam", 1990)
	f.Add("00109001234５", "nam", 1990)
	f.Fuzz(func(t *testing.T, c, sex string, year int) {
		if err := CheckCCCD(c, Sex(sex), year); err == nil && (len(c) != 12 || !digits(c)) {
			t.Fatalf("accepted %q", c)
		}
	})
}

// FuzzLookupCode: reading a typed code is idempotent and a well-formed
// code is 8 letters of the alphabet (11 when made offline: a device
// prefix of 3 first); the last four phone digits are four ASCII digits.
func FuzzLookupCode(f *testing.F) {
	for _, s := range []string{"ABCD-EFGH", "abcd efgh", " A.B.C.D.E.F.G.H ", "0O1I0O1I", "ß", "ﬀ", "ǆ", "", "12 34", "１２３４", "123", "12345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeLookupCode(s)
		if NormalizeLookupCode(n) != n {
			t.Fatalf("NormalizeLookupCode(%q) = %q, again %q", s, n, NormalizeLookupCode(n))
		}
		if LookupCodeWellFormed(n) && ((len(n) != 8 && len(n) != 11) || strings.ContainsAny(n, "01IO")) {
			t.Fatalf("well formed %q", n)
		}
		if d, ok := PhoneLast4(s); ok {
			if len(d) != 4 || strings.Trim(d, "0123456789") != "" {
				t.Fatalf("PhoneLast4(%q) = %q", s, d)
			}
		}
	})
}

// FuzzDateJSON: a Date reads from any JSON without panicking, and one
// that reads writes back the same ISO text.
func FuzzDateJSON(f *testing.F) {
	for _, s := range []string{`"2024-10-31"`, `null`, `""`, `"31/10/2024"`, `"2024-02-30"`, `20241031`, `"0000-01-01"`, `"9999-12-31"`, `"2024-1-1"`, `"\u0032024-10-31"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Date
		if err := json.Unmarshal([]byte(s), &d); err != nil || d.IsZero() {
			return
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back Date
		if err := json.Unmarshal(b, &back); err != nil || back != d {
			t.Fatalf("%s → %s → %v %v", s, b, back, err)
		}
	})
}
