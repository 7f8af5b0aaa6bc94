package domain

import "testing"

func TestLookupInput(t *testing.T) {
	for in, want := range map[string]bool{"ABCD EFGH": true, "abcd-efgh": true, "ABCDEFG": false, "ABCDEFGHJ": false, "ABCDEFG0": false, "ABCDEFGI": false, "ÀBCDEFGH": false} {
		if got := LookupCodeWellFormed(NormalizeLookupCode(in)); got != want {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string]string{"1234": "1234", " 12 34 ": "1234", "123": "", "12345": "", "12a4": "", "١٢٣٤": ""} {
		got, ok := PhoneLast4(in)
		if got != want || ok != (want != "") {
			t.Errorf("%q: %q %v", in, got, ok)
		}
	}
	if PhoneDisplay("0399995001") != "0399 995 001" || PhoneDisplay("02143456789") != "0214 3456 789" || PhoneDisplay("123") != "123" {
		t.Error("PhoneDisplay")
	}
	for link, ok := range map[string]bool{"https://zalo.me/g/abc": true, "http://zalo.me/g/abc": false, "https://zalo.me.evil.vn/g": false, "https://u@zalo.me/g": false, "javascript:alert(1)": false} {
		if ZaloLink(link) != ok {
			t.Errorf("ZaloLink(%q)", link)
		}
	}
}
