package domain

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WifiPoint is a Wi-Fi access point in a village, from Since to Until
// (inclusive; Until zero = still there): the criteria count free ones.
type WifiPoint struct {
	ID          int64
	VillageID   int64
	Place       string // where it is: "Nhà văn hoá thôn"
	Provider    string // VNPT, Viettel, …
	NetworkName string // the SSID residents look for
	Hours       string // when it is on, as the team words it
	Free        bool
	Since       Date
	Until       Date
}

// EquipmentKind is what the cultural house has.
type EquipmentKind string

const (
	EquipComputer     EquipmentKind = "computer"      // computers residents may use
	EquipInternetLine EquipmentKind = "internet_line" // a fixed internet line
)

// Equipment is one kind of equipment at the village cultural house.
type Equipment struct {
	ID        int64
	VillageID int64
	Kind      EquipmentKind
	Quantity  int
	Detail    string // "Cáp quang VNPT 100 Mbps"
	Since     Date
	Until     Date
}

// ZaloGroup is the village's Zalo group while it exists, with its size
// as counted on CountedOn.
type ZaloGroup struct {
	ID         int64
	VillageID  int64
	Name       string
	Link       string // https://zalo.me/g/…; may be empty (join through a member)
	Members    int
	Households int
	CountedOn  Date
	Since      Date
	Until      Date
}

// VillageProfile is what the team leader writes for the public page.
type VillageProfile struct {
	VillageID   int64
	Intro       string
	HasPhoto    bool
	PhotoWidth  int
	PhotoHeight int
}

// MaxIntro bounds the introduction: a short paragraph, read on a phone.
const MaxIntro = 600

// Validate checks an introduction.
func (p VillageProfile) Validate() error {
	if utf8.RuneCountInString(p.Intro) > MaxIntro {
		return Errorf(EINVALID, "village.intro_too_long", "max", MaxIntro).WithField("intro")
	}
	return nil
}

func checkSpan(since, until Date) error {
	if since.IsZero() {
		return Errorf(EINVALID, "infra.since_missing").WithField("since")
	}
	if !until.IsZero() && until.Before(since) {
		return Errorf(EINVALID, "infra.until_before_since").WithField("until")
	}
	return nil
}

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// Validate checks a Wi-Fi point: a place, short texts, a date span.
func (w WifiPoint) Validate() error {
	if strings.TrimSpace(w.Place) == "" {
		return Errorf(EINVALID, "wifi.place_missing").WithField("place")
	}
	for f, v := range map[string]string{"place": w.Place, "provider": w.Provider, "network_name": w.NetworkName, "hours": w.Hours} {
		if tooLong(v, 120) {
			return Errorf(EINVALID, "infra.text_too_long", "max", 120).WithField(f)
		}
	}
	return checkSpan(w.Since, w.Until)
}

// Validate checks equipment: a known kind, a positive quantity, a span.
func (e Equipment) Validate() error {
	if e.Kind != EquipComputer && e.Kind != EquipInternetLine {
		return Errorf(EINVALID, "equipment.kind_invalid").WithField("kind")
	}
	if e.Quantity < 1 || e.Quantity > 100 {
		return Errorf(EINVALID, "equipment.quantity_invalid").WithField("quantity")
	}
	if tooLong(e.Detail, 200) {
		return Errorf(EINVALID, "infra.text_too_long", "max", 200).WithField("detail")
	}
	return checkSpan(e.Since, e.Until)
}

// Validate checks a Zalo group: a link, when given, is a Zalo https link
// (the page must not send residents anywhere else); counts not negative.
func (z ZaloGroup) Validate() error {
	if z.Link != "" && !ZaloLink(z.Link) {
		return Errorf(EINVALID, "zalo.link_invalid").WithField("link")
	}
	if z.Members < 0 || z.Households < 0 {
		return Errorf(EINVALID, "zalo.count_invalid").WithField("members")
	}
	if tooLong(z.Name, 120) {
		return Errorf(EINVALID, "infra.text_too_long", "max", 120).WithField("name")
	}
	return checkSpan(z.Since, z.Until)
}

// ZaloLink reports whether s is an https link to zalo.me.
func ZaloLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && (u.Host == "zalo.me" || u.Host == "www.zalo.me") && u.User == nil
}

// LookupCodeWellFormed reports whether s could be a lookup code: 8 letters
// of the slip alphabet, or 11 for one made offline (a 3-letter device
// prefix first), after NormalizeLookupCode.
func LookupCodeWellFormed(s string) bool {
	if len(s) != 8 && len(s) != 11 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(lookupAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}

// NormalizeLookupCode reads a code as typed: white space of any kind,
// dots and dashes dropped, upper case. Look-alikes (0/O, 1/I) are not in
// the alphabet, so a code typed with one is malformed rather than
// silently another code. (FuzzLookupCode found "0\v." kept its tab-like
// \v once the dot behind it was gone.)
func NormalizeLookupCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r == '-' || r == '.' || unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// PhoneLast4 reads the last four digits a resident types: exactly four
// digits, spaces allowed.
func PhoneLast4(s string) (string, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if len(s) != 4 {
		return "", false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	return s, true
}

// PhoneDisplay groups a phone's digits the way it is read aloud:
// 0399 995 001 (mobiles), 0214 3456 789 (landlines); anything else as is.
func PhoneDisplay(p string) string {
	switch len(p) {
	case 10:
		return p[:4] + " " + p[4:7] + " " + p[7:]
	case 11:
		return p[:4] + " " + p[4:8] + " " + p[8:]
	}
	return p
}
