package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// ReportDate is the date the report's figures hold on.
var ReportDate = domain.MustDate("2024-10-31")

// The report's figures for Thôn Đông Căm on ReportDate.
const (
	DongCamAged14   = 387
	DongCamAccounts = 257
)

// gen is the deterministic generator of the demo's people.
type gen struct {
	rng    *rand.Rand
	cccd   int // next CCCD serial
	phone  int // next phone in the 0399 99x xxx block
	people map[string]naming
	// fast: the village being generated adopts early and widely (most of
	// its residents by the end of 2025), as the model's best villages did;
	// the others adopt slowly and evenly over 2023–2026.
	fast bool
}

// FastVillage says whether a demo village adopts fast: Đông Căm and about
// two thirds of the others, chosen by name so the choice never moves.
func FastVillage(v Village) bool {
	return v.Name == "Thôn Đông Căm" || (!v.Enrolled.IsZero() && len([]rune(v.Name))%3 != 0)
}

// dayEarly returns a date between from and to, early ones likelier (the
// k-th power of one uniform draw: the same draws as day, so the rest of
// the stream does not move).
func (g *gen) dayEarly(from, to domain.Date, k float64) domain.Date {
	span := int(to.Time().Sub(from.Time()).Hours() / 24)
	if span <= 0 {
		return from
	}
	u := float64(g.rng.IntN(span+1)) / float64(span)
	return from.AddDays(int(math.Pow(u, k) * float64(span)))
}

// when dates an adoption: evenly, or early in a fast village.
func (g *gen) when(from, to domain.Date, k float64) domain.Date {
	if g.fast {
		return g.dayEarly(from, to, k)
	}
	return g.day(from, to)
}

// likely is a chance that is higher in a fast village.
func (g *gen) likely(slow, fast float64) bool {
	if g.fast {
		return g.chance(fast)
	}
	return g.chance(slow)
}

func newGen() *gen {
	return &gen{rng: rand.New(rand.NewPCG(2024, 1031)), cccd: 100, phone: 100, people: namings()}
}

// day returns a date between from and to, inclusive.
func (g *gen) day(from, to domain.Date) domain.Date {
	span := int(to.Time().Sub(from.Time()).Hours() / 24)
	if span <= 0 {
		return from
	}
	return from.AddDays(g.rng.IntN(span + 1))
}

func (g *gen) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// person makes a synthetic resident of a people, born between two dates.
func (g *gen) person(people, family string, sex domain.Sex, born0, born1 domain.Date) domain.Resident {
	n := g.people[people]
	if family == "" {
		family = g.pick(n.families)
	}
	var name string
	if sex == domain.SexMale {
		name = family + " " + g.pick(n.maleMiddle) + " " + g.pick(n.male)
	} else {
		name = family + " " + g.pick(n.femaleMiddle) + " " + g.pick(n.female)
	}
	r := domain.Resident{FullName: name, Sex: sex, BirthDate: g.day(born0, born1)}
	if g.chance(0.08) && r.BirthDate.Year() < 1970 {
		r.BirthDate, r.YearOnly = domain.NewDate(r.BirthDate.Year(), time.January, 1), true
	}
	return r
}

// identity gives a resident aged 14 or more by End a CCCD and, often, a phone.
func (g *gen) identity(r *domain.Resident) {
	if r.AgeOn(End) >= 14 {
		g.cccd++
		r.CCCD = domain.CCCDFor(10, r.Sex, r.BirthDate.Year(), g.cccd)
		if r.AgeOn(End) >= 16 && g.chance(0.7) && g.phone < 9999 {
			g.phone++
			r.Phone = fmt.Sprintf("039999%04d", g.phone)
		}
	}
}

// adopt dates the digital-adoption facts of a resident: mostly after the
// village joined the model, with the team helping then.
func (g *gen) adopt(r *domain.Resident, enrolled domain.Date, account bool, accountFrom, accountTo domain.Date) {
	start := domain.MustDate("2023-01-01")
	// Facts begin at 14, and are dated over 2023–2026 (the demo's story).
	adultFrom := func() domain.Date {
		t := r.BirthDate.Time().AddDate(14, 0, 0)
		if d := domain.NewDate(t.Year(), t.Month(), t.Day()); d.After(start) {
			return d
		}
		return start
	}
	helped := func(d domain.Date) bool { return !enrolled.IsZero() && !d.Before(enrolled) && g.chance(0.6) }
	if g.likely(0.86, 0.995) {
		if from := adultFrom(); !from.After(End) {
			d := g.when(from, End, 10)
			r.Smartphone = domain.Adoption{Since: d, Helped: helped(d)}
		}
	}
	if account {
		from := accountFrom
		if a := adultFrom(); a.After(from) {
			from = a
		}
		if !from.After(accountTo) {
			v := g.day(from, accountTo)
			p := g.day(v, accountTo)
			h := helped(p)
			r.VNeID = domain.Adoption{Since: v, Helped: h}
			r.Portal = domain.Adoption{Since: p, Helped: h}
		}
	}
	if g.likely(0.55, 0.85) && r.AgeOn(End) >= 16 {
		if from := adultFrom(); !from.After(End) {
			d := g.when(from, End, 4)
			r.PersonalBank = domain.Adoption{Since: d, Helped: helped(d)}
		}
	}
}

// household makes the members of one household: a head, often a spouse,
// children, sometimes a grandparent.
func (g *gen) household(people string) []domain.Resident {
	headSex := domain.SexMale
	if g.chance(0.15) {
		headSex = domain.SexFemale
	}
	head := g.person(people, "", headSex, domain.MustDate("1950-01-01"), domain.MustDate("1998-12-31"))
	head.Relation = "chu_ho"
	family := firstWord(head.FullName)
	members := []domain.Resident{head}
	if g.chance(0.82) {
		sex := domain.SexFemale
		rel := domain.Relation("vo")
		if headSex == domain.SexFemale {
			sex, rel = domain.SexMale, "chong"
		}
		sp := g.person(people, "", sex, head.BirthDate.AddDays(-3000), head.BirthDate.AddDays(3000))
		if sp.BirthDate.After(domain.MustDate("2000-12-31")) {
			sp.BirthDate = domain.MustDate("2000-12-31")
		}
		sp.Relation = rel
		members = append(members, sp)
	}
	kids := g.rng.IntN(4)
	for k := 0; k < kids; k++ {
		from := head.BirthDate.Time().AddDate(19, 0, 0)
		to := head.BirthDate.Time().AddDate(42, 0, 0)
		if to.After(End.Time()) {
			to = End.Time().AddDate(0, -1, 0)
		}
		if !from.Before(to) {
			break
		}
		sex := domain.SexMale
		if g.chance(0.5) {
			sex = domain.SexFemale
		}
		c := g.person(people, family, sex, domain.NewDate(from.Year(), from.Month(), from.Day()), domain.NewDate(to.Year(), to.Month(), to.Day()))
		c.Relation = "con"
		members = append(members, c)
	}
	if g.chance(0.18) && head.BirthDate.Year() > 1965 {
		sex := domain.SexFemale
		rel := domain.Relation("me")
		if g.chance(0.4) {
			sex, rel = domain.SexMale, "bo"
		}
		gp := g.person(people, "", sex, domain.MustDate("1930-01-01"), head.BirthDate.AddDays(-18*366))
		gp.Relation = rel
		members = append(members, gp)
	}
	return members
}

func firstWord(s string) string {
	for i, r := range s {
		if r == ' ' {
			return s[:i]
		}
	}
	return s
}

// villagePeople builds the residents of one demo village.
func (g *gen) villagePeople(v Village, villageID int64, households int) []store.PersonRow {
	peoples := communePeoples()[v.CommuneCode]
	g.fast = FastVillage(v)
	var rows []store.PersonRow
	for h := 1; h <= households; h++ {
		people := peoples[g.rng.IntN(len(peoples))]
		hh := domain.Household{Number: fmt.Sprint(h), Hamlet: fmt.Sprintf("Xóm %d", 1+(h-1)*3/households), Address: fmt.Sprintf("Số nhà %d", h)}
		if g.likely(0.72, 0.97) {
			d := g.when(domain.MustDate("2023-03-01"), End, 6)
			hh.Zalo = domain.Adoption{Since: d, Helped: !v.Enrolled.IsZero() && !d.Before(v.Enrolled)}
		}
		for _, r := range g.household(people) {
			g.adopt(&r, v.Enrolled, g.chance(0.55), domain.MustDate("2022-06-01"), End)
			g.identity(&r)
			rows = append(rows, store.PersonRow{VillageID: villageID, Household: hh, Resident: r})
		}
	}
	return rows
}

// dongCam builds Thôn Đông Căm so that on 31/10/2024 exactly 387 residents
// are 14 or older and exactly 257 of them have a public-service account,
// and the rate keeps rising after that. Three residents who left before
// that date and two who came after it show the as-of rules at work.
func (g *gen) dongCam(v Village, villageID int64) []store.PersonRow {
	peoples := communePeoples()[v.CommuneCode]
	type member struct {
		hh domain.Household
		r  domain.Resident
	}
	var ms []member
	counted := func(r domain.Resident) bool { return r.LivesOn(ReportDate) && r.AgeOn(ReportDate) >= 14 }
	g.fast = FastVillage(v)
	n14 := 0
	for h := 1; n14 < DongCamAged14; h++ {
		hh := domain.Household{Number: fmt.Sprint(h), Hamlet: fmt.Sprintf("Xóm %d", 1+h%3), Address: fmt.Sprintf("Số nhà %d", h)}
		if g.likely(0.8, 0.995) {
			d := g.when(domain.MustDate("2023-06-01"), End, 6)
			hh.Zalo = domain.Adoption{Since: d, Helped: !d.Before(v.Enrolled)}
		}
		for _, r := range g.household(peoples[g.rng.IntN(len(peoples))]) {
			if counted(r) {
				if n14 == DongCamAged14 {
					continue // the last household is trimmed to the exact figure
				}
				n14++
			}
			ms = append(ms, member{hh, r})
		}
	}
	// Choose exactly 257 of the 387 to have an account by the report date;
	// of the others, most open one later.
	var base []int
	for i, m := range ms {
		if counted(m.r) {
			base = append(base, i)
		}
	}
	g.rng.Shuffle(len(base), func(i, j int) { base[i], base[j] = base[j], base[i] })
	has := map[int]bool{}
	for _, i := range base[:DongCamAccounts] {
		has[i] = true
	}
	later := domain.MustDate("2024-11-01")
	var rows []store.PersonRow
	for i, m := range ms {
		r := m.r
		switch {
		case has[i]:
			g.adopt(&r, v.Enrolled, true, domain.MustDate("2023-01-15"), ReportDate)
			if !r.Account().Has(ReportDate) { // born too late for the window: cannot happen for the 14+
				panic("demo: Đông Căm account after the report date")
			}
		case counted(r):
			g.adopt(&r, v.Enrolled, g.chance(0.75), later, End)
		default:
			g.adopt(&r, v.Enrolled, g.chance(0.5) && r.AgeOn(End) >= 14, later, End)
		}
		g.identity(&r)
		rows = append(rows, store.PersonRow{VillageID: villageID, Household: m.hh, Resident: r})
	}
	// People who left before the report date (with accounts: not counted)
	// and people who came after it.
	extra := []struct {
		leftOn  domain.Date
		reason  domain.LeftReason
		movedIn domain.Date
	}{
		{domain.MustDate("2024-06-20"), domain.LeftMoved, domain.Date{}},
		{domain.MustDate("2024-03-02"), domain.LeftDeceased, domain.Date{}},
		{domain.MustDate("2023-12-10"), domain.LeftMoved, domain.Date{}},
		{domain.Date{}, "", domain.MustDate("2025-02-14")},
		{domain.Date{}, "", domain.MustDate("2025-09-01")},
	}
	for k, e := range extra {
		hh := domain.Household{Number: fmt.Sprint(1000 + k), Hamlet: "Xóm 1", Address: fmt.Sprintf("Số nhà %d", 200+k)}
		r := g.person("tay", "", []domain.Sex{domain.SexMale, domain.SexFemale}[k%2], domain.MustDate("1960-01-01"), domain.MustDate("1995-12-31"))
		r.Relation = "chu_ho"
		r.LeftOn, r.LeftReason, r.MovedIn = e.leftOn, e.reason, e.movedIn
		if !e.leftOn.IsZero() {
			r.VNeID = domain.Adoption{Since: domain.MustDate("2023-11-01")}
			r.Portal = domain.Adoption{Since: domain.MustDate("2023-11-02")}
		} else {
			r.VNeID = domain.Adoption{Since: e.movedIn.AddDays(20)}
			r.Portal = domain.Adoption{Since: e.movedIn.AddDays(21), Helped: true}
		}
		g.identity(&r)
		rows = append(rows, store.PersonRow{VillageID: villageID, Household: hh, Resident: r})
	}
	return rows
}
