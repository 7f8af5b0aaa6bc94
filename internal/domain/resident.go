package domain

import "strings"

// Sex as recorded on the citizen ID.
type Sex string

const (
	SexMale   Sex = "male"
	SexFemale Sex = "female"
)

// Valid reports whether s is known.
func (s Sex) Valid() bool { return s == SexMale || s == SexFemale }

// Relation to the head of household (quan hệ với chủ hộ).
type Relation string

// Relations, in the words household books use; an officer-facing list.
var Relations = []Relation{"chu_ho", "vo", "chong", "con", "bo", "me", "ong", "ba", "chau", "anh", "chi", "em", "con_dau", "con_re", "khac"}

// ValidRelation reports whether r is one of Relations.
func ValidRelation(r Relation) bool {
	for _, x := range Relations {
		if x == r {
			return true
		}
	}
	return false
}

// LeftReason says why a resident stopped living in the village.
type LeftReason string

const (
	LeftMoved    LeftReason = "moved"
	LeftDeceased LeftReason = "deceased"
)

// Adoption is a digital-adoption fact: the date it became true (zero:
// not true yet) and whether the team helped.
type Adoption struct {
	Since  Date `json:"since"`
	Helped bool `json:"helped"`
}

// Has reports whether the fact was true on d.
func (a Adoption) Has(d Date) bool { return !a.Since.IsZero() && !a.Since.After(d) }

// Household is a hộ gia đình of a village.
type Household struct {
	ID        int64
	VillageID int64
	Number    string // số hộ
	Hamlet    string // xóm
	Address   string // số nhà, đường
	HeadID    int64
	Bank      Adoption // any member has a bank account for cashless payment
	Zalo      Adoption // represented in the village Zalo group
	Version   int
}

// Resident is a person living (or who lived) in a village.
type Resident struct {
	ID           int64
	HouseholdID  int64
	VillageID    int64
	FullName     string
	BirthDate    Date // with BirthYearOnly, 1 January of the year
	YearOnly     bool
	Sex          Sex
	Phone        string // canonical 0XXXXXXXXX, "" when unknown
	CCCD         string // 12 digits, "" when unknown
	Relation     Relation
	MovedIn      Date // zero: since before our records
	LeftOn       Date // zero: still living here
	LeftReason   LeftReason
	Smartphone   Adoption
	VNeID        Adoption // level 2 activated
	Portal       Adoption // logged in to the public-service portal
	PersonalBank Adoption
	ErasedOn     Date // anonymised on a data subject's request (name, phone, CCCD gone)
	Version      int
}

// Account is the public-service account fact: VNeID level 2 and a login
// to the portal, true from the later of the two dates.
func (r Resident) Account() Adoption {
	if r.VNeID.Since.IsZero() || r.Portal.Since.IsZero() {
		return Adoption{}
	}
	a := r.VNeID
	if r.Portal.Since.After(a.Since) {
		a = r.Portal
	}
	a.Helped = r.VNeID.Helped || r.Portal.Helped
	return a
}

// LivesOn reports whether r lived in the village on d.
func (r Resident) LivesOn(d Date) bool {
	if r.BirthDate.After(d) || (!r.MovedIn.IsZero() && r.MovedIn.After(d)) {
		return false
	}
	return r.LeftOn.IsZero() || r.LeftOn.After(d)
}

// AgeOn is the age in completed years on d.
func (r Resident) AgeOn(d Date) int {
	age := d.Year() - r.BirthDate.Year()
	if d.Month() < r.BirthDate.Month() || (d.Month() == r.BirthDate.Month() && d.Day() < r.BirthDate.Day()) {
		age--
	}
	return age
}

// BirthText is how a birth shows: dd/mm/yyyy, or the year alone.
func (r Resident) BirthText() string {
	if r.YearOnly {
		return itoa4(r.BirthDate.Year())
	}
	return r.BirthDate.VN()
}

func itoa4(y int) string {
	b := []byte{'0', '0', '0', '0'}
	for i := 3; i >= 0; i-- {
		b[i] = byte('0' + y%10)
		y /= 10
	}
	return string(b)
}

// BornBy is the latest birth date of someone aged at least n on d.
func BornBy(d Date, n int) Date {
	t := d.Time().AddDate(-n, 0, 0)
	if t.Day() != d.Day() { // 29/02 minus years rolls to 01/03: keep 28/02
		t = t.AddDate(0, 0, -t.Day())
	}
	return NewDate(t.Year(), t.Month(), t.Day())
}

// Validate checks a resident against today (Asia/Ho_Chi_Minh): name,
// birth not in the future and not over 130 years ago, sex, CCCD agreeing
// with sex and birth year, phone form, move dates in order.
func (r Resident) Validate(today Date) error {
	if strings.TrimSpace(r.FullName) == "" {
		return Errorf(EINVALID, "resident.name_missing").WithField("full_name")
	}
	if r.BirthDate.IsZero() {
		return Errorf(EINVALID, "resident.birth_missing").WithField("birth")
	}
	if r.BirthDate.After(today) {
		return Errorf(EINVALID, "resident.birth_future", "date", r.BirthDate).WithField("birth")
	}
	if r.AgeOn(today) > 130 {
		return Errorf(EINVALID, "resident.too_old", "date", r.BirthDate).WithField("birth")
	}
	if !r.Sex.Valid() {
		return Errorf(EINVALID, "resident.sex_invalid").WithField("sex")
	}
	if r.Phone != "" {
		if _, err := ParsePhone(r.Phone); err != nil {
			return err
		}
	}
	if r.CCCD != "" {
		if err := CheckCCCD(r.CCCD, r.Sex, r.BirthDate.Year()); err != nil {
			return err
		}
	}
	if r.Relation != "" && !ValidRelation(r.Relation) {
		return Errorf(EINVALID, "resident.relation_invalid", "value", string(r.Relation)).WithField("relation")
	}
	if !r.MovedIn.IsZero() && r.MovedIn.Before(r.BirthDate) {
		return Errorf(EINVALID, "resident.moved_in_before_birth").WithField("moved_in")
	}
	if !r.LeftOn.IsZero() {
		if r.LeftReason != LeftMoved && r.LeftReason != LeftDeceased {
			return Errorf(EINVALID, "resident.left_reason_invalid").WithField("left_reason")
		}
		if (!r.MovedIn.IsZero() && r.LeftOn.Before(r.MovedIn)) || r.LeftOn.Before(r.BirthDate) {
			return Errorf(EINVALID, "resident.left_before_in").WithField("left_on")
		}
	}
	for _, f := range []struct {
		a     Adoption
		field string
	}{{r.Smartphone, "smartphone"}, {r.VNeID, "vneid"}, {r.Portal, "portal"}, {r.PersonalBank, "bank"}} {
		if !f.a.Since.IsZero() && (f.a.Since.After(today) || f.a.Since.Before(r.BirthDate)) {
			return Errorf(EINVALID, "resident.fact_date_invalid", "date", f.a.Since).WithField(f.field)
		}
	}
	return nil
}

// ParsePhone returns a Vietnamese phone number in its canonical form
// (0 then the national number, digits only) from 0912345678, 0912.345.678, +84 912 345 678 or
// 84912345678. An impossible number is EINVALID phone.invalid.
func ParsePhone(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || (r == '+' && b.Len() == 0):
		default:
			return "", Errorf(EINVALID, "phone.invalid", "value", s).WithField("phone")
		}
	}
	p := b.String()
	if p == "" {
		return "", nil
	}
	if strings.HasPrefix(p, "84") && (len(p) == 11 || len(p) == 12) {
		p = "0" + p[2:]
	}
	// Mobiles: 10 digits, 03/05/07/08/09. Landlines: 11 digits, 02x.
	mobile := len(p) == 10 && strings.ContainsRune("35789", rune(p[1]))
	landline := len(p) == 11 && p[1] == '2'
	if p[0] != '0' || !(mobile || landline) {
		return "", Errorf(EINVALID, "phone.invalid", "value", s).WithField("phone")
	}
	return p, nil
}

// CheckCCCD checks a citizen ID: 12 digits; digits 1–3 a province code
// (001–096); digit 4 the sex and century (0/1 born 1900–1999 male/female,
// 2/3 2000–2099, 4/5 2100–2199, 6/7 2200–2299, 8/9 1800–1899); digits
// 5–6 the last two digits of the birth year. A CCCD that contradicts the
// row's sex or birth year is EINVALID cccd.mismatch.
func CheckCCCD(c string, sex Sex, birthYear int) error {
	if len(c) != 12 || !digits(c) {
		return Errorf(EINVALID, "cccd.invalid", "value", c).WithField("cccd")
	}
	prov := int(c[0]-'0')*100 + int(c[1]-'0')*10 + int(c[2]-'0')
	if prov < 1 || prov > 96 {
		return Errorf(EINVALID, "cccd.invalid", "value", c).WithField("cccd")
	}
	code := int(c[3] - '0')
	century := [10]int{1900, 1900, 2000, 2000, 2100, 2100, 2200, 2200, 1800, 1800}[code] // an array: a map literal allocated 1 KB a call
	female := code%2 == 1
	year := century + int(c[4]-'0')*10 + int(c[5]-'0')
	if (sex == SexFemale) != female || (sex != SexFemale && sex != SexMale) || year != birthYear {
		return Errorf(EINVALID, "cccd.mismatch", "value", c, "year", year).WithField("cccd")
	}
	return nil
}

// CCCDFor builds a valid synthetic CCCD (demo data): province, sex and
// birth year encoded, serial last.
func CCCDFor(province int, sex Sex, birthYear int, serial int) string {
	code := map[int]int{1800: 8, 1900: 0, 2000: 2, 2100: 4, 2200: 6}[birthYear/100*100]
	if sex == SexFemale {
		code++
	}
	b := make([]byte, 12)
	put := func(at, n, width int) {
		for i := width - 1; i >= 0; i-- {
			b[at+i] = byte('0' + n%10)
			n /= 10
		}
	}
	put(0, province, 3)
	b[3] = byte('0' + code)
	put(4, birthYear%100, 2)
	put(6, serial, 6)
	return string(b)
}

// Mask shows only the last four characters: "•••• 1234".
func Mask(s string) string {
	if s == "" {
		return ""
	}
	if len(s) <= 4 {
		return "••••"
	}
	return "•••• " + s[len(s)-4:]
}

// MaskName hides a name behind its initials, "Lò Văn Thử" → "L. V. T.",
// for someone who may see that a person counts but not who.
func MaskName(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		r := []rune(w)
		b.WriteRune(r[0])
		b.WriteString(". ")
	}
	return strings.TrimSpace(b.String())
}
