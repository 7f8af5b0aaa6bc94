package domain

import "testing"

func TestParsePhone(t *testing.T) {
	for in, want := range map[string]string{"0912345678": "0912345678", "0912.345.678": "0912345678", "+84 912 345 678": "0912345678",
		"84912345678": "0912345678", "": "", "0399 990 002": "0399990002", "(024) 3825 1234": "02438251234", "+84 24 3825 1234": "02438251234"} {
		got, err := ParsePhone(in)
		if err != nil || got != want {
			t.Errorf("ParsePhone(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"12345", "0112345678", "091234567", "09123456789", "09x2345678", "+8491234567"} {
		if _, err := ParsePhone(in); err == nil {
			t.Errorf("ParsePhone(%q) accepted", in)
		}
	}
}

func TestCCCD(t *testing.T) {
	c := CCCDFor(10, SexFemale, 1985, 1234)
	if c != "010185001234" || CheckCCCD(c, SexFemale, 1985) != nil {
		t.Fatalf("CCCDFor = %s", c)
	}
	if e, _ := AsError(CheckCCCD(c, SexMale, 1985)); e == nil || e.Key != "cccd.mismatch" {
		t.Fatal("sex mismatch accepted")
	}
	if CheckCCCD(c, SexFemale, 1986) == nil {
		t.Fatal("year mismatch accepted")
	}
	if CheckCCCD(CCCDFor(15, SexMale, 2005, 7), SexMale, 2005) != nil {
		t.Fatal("2000s male")
	}
	for _, bad := range []string{"01018500123", "0101850012345", "01018500123a", "000185001234", "097185001234"} {
		if e, _ := AsError(CheckCCCD(bad, SexFemale, 1985)); e == nil || e.Key != "cccd.invalid" {
			t.Errorf("CheckCCCD(%q) = %v", bad, e)
		}
	}
	if Mask("010185001234") != "•••• 1234" || Mask("") != "" {
		t.Fatal("Mask")
	}
}

func TestResidentDates(t *testing.T) {
	d := MustDate("2024-10-31")
	r := Resident{FullName: "Lò Văn A", BirthDate: MustDate("2010-11-01"), Sex: SexMale}
	if r.AgeOn(d) != 13 || r.AgeOn(MustDate("2024-11-01")) != 14 {
		t.Fatal("AgeOn")
	}
	if BornBy(d, 14) != MustDate("2010-10-31") || BornBy(MustDate("2024-02-29"), 1) != MustDate("2023-02-28") {
		t.Fatalf("BornBy %v", BornBy(MustDate("2024-02-29"), 1))
	}
	r.LeftOn, r.LeftReason = MustDate("2024-10-31"), LeftMoved
	if !r.LivesOn(MustDate("2024-10-30")) || r.LivesOn(d) {
		t.Fatal("LivesOn")
	}
	r.VNeID = Adoption{Since: MustDate("2024-03-01")}
	r.Portal = Adoption{Since: MustDate("2024-05-01"), Helped: true}
	if a := r.Account(); a.Since != MustDate("2024-05-01") || !a.Helped || a.Has(MustDate("2024-04-30")) {
		t.Fatalf("Account %+v", a)
	}
	today := MustDate("2026-10-31")
	cases := map[string]Resident{
		"resident.birth_future":   {FullName: "A", BirthDate: MustDate("2027-01-01"), Sex: SexMale},
		"resident.too_old":        {FullName: "A", BirthDate: MustDate("1890-01-01"), Sex: SexMale},
		"resident.name_missing":   {BirthDate: MustDate("1990-01-01"), Sex: SexMale},
		"resident.sex_invalid":    {FullName: "A", BirthDate: MustDate("1990-01-01")},
		"cccd.mismatch":           {FullName: "A", BirthDate: MustDate("1990-01-01"), Sex: SexMale, CCCD: CCCDFor(10, SexFemale, 1990, 1)},
		"resident.left_before_in": {FullName: "A", BirthDate: MustDate("1990-01-01"), Sex: SexMale, MovedIn: MustDate("2020-01-01"), LeftOn: MustDate("2019-01-01"), LeftReason: LeftMoved},
	}
	for key, r := range cases {
		if e, _ := AsError(r.Validate(today)); e == nil || e.Key != key {
			t.Errorf("%s: got %v", key, e)
		}
	}
	ok := Resident{FullName: "Giàng Thị Mai", BirthDate: MustDate("1990-01-01"), YearOnly: true, Sex: SexFemale, CCCD: CCCDFor(10, SexFemale, 1990, 5), Phone: "0399990100"}
	if err := ok.Validate(today); err != nil || ok.BirthText() != "1990" {
		t.Fatalf("valid resident: %v %s", err, ok.BirthText())
	}
}
