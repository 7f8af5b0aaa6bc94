package store

import (
	"context"
	"sort"

	"thonso/internal/domain"
)

// A Computation turns a village's recorded data into one indicator value
// as of a date. From is the start of the set's period (for counts over
// the period); Param is the indicator's parameter (e.g. N members).
type Computation struct {
	Name string
	// Basis names the population a rate is over, or the thing counted,
	// for "257 / 387 người từ 14 tuổi" (a translation key suffix).
	Basis string
	Rate  bool
	run   func(ctx context.Context, s *Store, c CompInput) (domain.Measure, error)
	// rows lists the records behind the value (nil: none to show).
	rows func(ctx context.Context, s *Store, c CompInput) ([]ProvRow, error)
}

// CompInput is what a computation reads.
type CompInput struct {
	VillageID int64
	At, From  domain.Date
	Param     int
}

// ProvRow is one record behind a computed value: a resident, a household,
// a member, a dossier, a training; In says whether it counts in the
// numerator (for a rate) or at all (for a count).
type ProvRow struct {
	Kind string // resident, household, member, dossier, training, announcement
	ID   int64
	In   bool
}

// Computations lists every computation the system offers, by name.
func Computations() map[string]Computation {
	list := []Computation{
		{Name: "smartphone_rate_18", Basis: "adults18", Rate: true, run: figureRate(func(f Figures) (int, int) { return f.Smartphone18, f.Adults18 }),
			rows: residentRows(18, "r.smartphone_since <= $2")},
		{Name: "account_rate_14", Basis: "aged14", Rate: true, run: figureRate(func(f Figures) (int, int) { return f.Accounts14, f.Aged14 }),
			rows: residentRows(14, "r.account_since <= $2")},
		{Name: "bank_rate_households", Basis: "households", Rate: true, run: figureRate(func(f Figures) (int, int) { return f.HouseholdsBank, f.Households }),
			rows: householdRows(`h.bank_since <= $2 OR EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.bank_since <= $2 AND ` + livingOn + `)`)},
		{Name: "zalo_rate_households", Basis: "households", Rate: true, run: figureRate(func(f Figures) (int, int) { return f.HouseholdsZalo, f.Households }),
			rows: householdRows("h.zalo_since <= $2")},
		{Name: "trained_rate_working_age", Basis: "working_age", Rate: true, run: trainedRate, rows: trainedRows},
		{Name: "team_members", Basis: "members", run: teamMembers(false), rows: memberRows},
		{Name: "team_by_decision", Basis: "members", run: teamMembers(true), rows: memberRows},
		{Name: "team_active", Basis: "active", run: teamActive, rows: memberRows},
		{Name: "featured_procedures", Basis: "procedures", run: featuredCount},
		{Name: "dossiers_in_period", Basis: "dossiers", run: dossiersInPeriod, rows: dossierRows},
		{Name: "hands_on_trainings", Basis: "trainings", run: handsOnTrainings, rows: trainingRows},
		{Name: "announcements_month", Basis: "announcements", run: announcementsMonth},
		{Name: "free_wifi_points", Basis: "wifi", run: freeWifi, rows: wifiRows},
		{Name: "cultural_house_equipped", Basis: "equipment", run: equipped, rows: equipmentRows},
		{Name: "village_page_published", Basis: "page", run: pagePublished},
	}
	out := make(map[string]Computation, len(list))
	for _, c := range list {
		out[c.Name] = c
	}
	return out
}

// ComputationNames lists the names in a stable order, for forms.
func ComputationNames() []string {
	var out []string
	for n := range Computations() {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Compute runs a named computation.
func (s *Store) Compute(ctx context.Context, name string, c CompInput) (domain.Measure, error) {
	comp, ok := Computations()[name]
	if !ok {
		return domain.Measure{}, domain.Errorf(domain.EINVALID, "criteria.computation_unknown", "code", "", "name", name)
	}
	return comp.run(ctx, s, c)
}

// ComputeRows lists the records behind a computed value, as of its date.
func (s *Store) ComputeRows(ctx context.Context, name string, c CompInput) ([]ProvRow, error) {
	comp, ok := Computations()[name]
	if !ok || comp.rows == nil {
		return nil, nil
	}
	return comp.rows(ctx, s, c)
}

const livingOn = "r.birth_date <= $2 AND (r.moved_in IS NULL OR r.moved_in <= $2) AND (r.left_on IS NULL OR r.left_on > $2)"

func rate(num, den int) domain.Measure {
	return domain.Measure{Known: true, Num: num, Den: den, Rate: true, Value: 100 * Rate(num, den)}
}

func count(n int) domain.Measure { return domain.Measure{Known: true, Value: float64(n), Num: n} }

func yes(ok bool) domain.Measure {
	if ok {
		return domain.Measure{Known: true, Value: 1, Num: 1}
	}
	return domain.Measure{Known: true}
}

// figureRate reads a rate from the registry's figures, so the scorecard
// and the dashboards can never disagree.
func figureRate(pick func(Figures) (int, int)) func(context.Context, *Store, CompInput) (domain.Measure, error) {
	return func(ctx context.Context, s *Store, c CompInput) (domain.Measure, error) {
		f, err := s.Figures(ctx, c.VillageID, c.At)
		if err != nil {
			return domain.Measure{}, err
		}
		n, d := pick(f)
		return rate(n, d), nil
	}
}

func collectRows(ctx context.Context, s *Store, kind, q string, args ...any) ([]ProvRow, error) {
	rs, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, internal("provenance", err)
	}
	defer rs.Close()
	var out []ProvRow
	for rs.Next() {
		p := ProvRow{Kind: kind}
		if err := rs.Scan(&p.ID, &p.In); err != nil {
			return nil, internal("provenance", err)
		}
		out = append(out, p)
	}
	return out, internal("provenance", rs.Err())
}

// residentRows lists the residents of the base (aged ≥ age, living there
// on the date) with whether they count in the numerator.
func residentRows(age int, in string) func(context.Context, *Store, CompInput) ([]ProvRow, error) {
	return func(ctx context.Context, s *Store, c CompInput) ([]ProvRow, error) {
		return collectRows(ctx, s, "resident", `SELECT r.id, CASE WHEN `+in+` THEN TRUE ELSE FALSE END FROM residents r
			WHERE r.village_id = $1 AND `+livingOn+` AND r.birth_date <= $3 ORDER BY r.sort_key, r.id`, c.VillageID, c.At, domain.BornBy(c.At, age))
	}
}

func householdRows(in string) func(context.Context, *Store, CompInput) ([]ProvRow, error) {
	return func(ctx context.Context, s *Store, c CompInput) ([]ProvRow, error) {
		return collectRows(ctx, s, "household", `SELECT h.id, CASE WHEN `+in+` THEN TRUE ELSE FALSE END FROM households h
			WHERE h.village_id = $1 AND EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND `+livingOn+`) ORDER BY h.number, h.id`, c.VillageID, c.At)
	}
}

// Working age for digital-skills training: 15 to 60 (the labour code's
// lower bound and the common retirement age), living there on the date.
func workingAge(at domain.Date) (born, bornBy domain.Date) {
	return domain.BornBy(at, 61).AddDays(1), domain.BornBy(at, 15)
}

func trainedRows(ctx context.Context, s *Store, c CompInput) ([]ProvRow, error) {
	from, to := workingAge(c.At)
	return collectRows(ctx, s, "resident", `SELECT r.id, CASE WHEN EXISTS (SELECT 1 FROM training_attendees a JOIN trainings t ON t.id = a.training_id
		WHERE a.resident_id = r.id AND t.on_date <= $2) THEN TRUE ELSE FALSE END FROM residents r
		WHERE r.village_id = $1 AND `+livingOn+` AND r.birth_date >= $3 AND r.birth_date <= $4 ORDER BY r.sort_key, r.id`, c.VillageID, c.At, from, to)
}

func trainedRate(ctx context.Context, s *Store, c CompInput) (domain.Measure, error) {
	rows, err := trainedRows(ctx, s, c)
	if err != nil {
		return domain.Measure{}, err
	}
	n := 0
	for _, r := range rows {
		if r.In {
			n++
		}
	}
	return rate(n, len(rows)), nil
}

// villageTeam is the village's own team on a date, if any.
func (s *Store) villageTeam(ctx context.Context, villageID int64, at domain.Date) (domain.Team, bool, error) {
	ts, err := s.TeamsOf(ctx, villageID, at)
	if err != nil {
		return domain.Team{}, false, err
	}
	for _, t := range ts {
		if t.Kind == domain.TeamVillage {
			return t, true, nil
		}
	}
	return domain.Team{}, false, nil
}

func memberRows(ctx context.Context, s *Store, c CompInput) ([]ProvRow, error) {
	t, ok, err := s.villageTeam(ctx, c.VillageID, c.At)
	if err != nil || !ok {
		return nil, err
	}
	ms, err := s.Members(ctx, t.ID, c.At)
	if err != nil {
		return nil, err
	}
	out := make([]ProvRow, len(ms))
	for i, m := range ms {
		out[i] = ProvRow{Kind: "member", ID: m.ID, In: true}
	}
	return out, nil
}

// teamMembers counts the village team's members on the date; with
// byDecision, a team without a decision number counts 0.
func teamMembers(byDecision bool) func(context.Context, *Store, CompInput) (domain.Measure, error) {
	return func(ctx context.Context, s *Store, c CompInput) (domain.Measure, error) {
		t, ok, err := s.villageTeam(ctx, c.VillageID, c.At)
		if err != nil || !ok || (byDecision && t.DecisionNo == "") {
			return count(0), err
		}
		ms, err := s.Members(ctx, t.ID, c.At)
		return count(len(ms)), err
	}
}

// teamActive: the team has at least Param members, a schedule in force,
// a member whose phone is public, and residents' dossiers in the period.
func teamActive(ctx context.Context, s *Store, c CompInput) (domain.Measure, error) {
	t, ok, err := s.villageTeam(ctx, c.VillageID, c.At)
	if err != nil || !ok {
		return yes(false), err
	}
	ms, err := s.Members(ctx, t.ID, c.At)
	if err != nil {
		return domain.Measure{}, err
	}
	public := false
	for _, m := range ms {
		public = public || (m.PhonePublic && m.Phone != "")
	}
	var slots, dossiers int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM duty_slots s WHERE s.team_id = $1 AND `+live("s", 2), t.ID, c.At).Scan(&slots); err != nil {
		return domain.Measure{}, internal("team active", err)
	}
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM dossiers WHERE village_id = $1 AND NOT practice AND state <> 'voided' AND received_on >= $2 AND received_on <= $3`,
		c.VillageID, c.From, c.At).Scan(&dossiers); err != nil {
		return domain.Measure{}, internal("team active", err)
	}
	return yes(len(ms) >= max(c.Param, 1) && slots > 0 && public && dossiers > 0), nil
}

func featuredCount(ctx context.Context, s *Store, c CompInput) (domain.Measure, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM featured_procedures WHERE village_id = $1 AND since <= $2", c.VillageID, c.At).Scan(&n)
	return count(n), internal("featured", err)
}

// Residents' dossiers of the period up to the date (CONVENTIONS.md: by
// reception, voided ones nowhere, practice apart).
const periodDossiers = "FROM dossiers WHERE village_id = $1 AND NOT practice AND state <> 'voided' AND received_on >= $2 AND received_on <= $3"

func dossiersInPeriod(ctx context.Context, s *Store, c CompInput) (domain.Measure, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) "+periodDossiers, c.VillageID, c.From, c.At).Scan(&n)
	return count(n), internal("dossiers in period", err)
}

func dossierRows(ctx context.Context, s *Store, c CompInput) ([]ProvRow, error) {
	return collectRows(ctx, s, "dossier", "SELECT id, TRUE "+periodDossiers+" ORDER BY received_on, id", c.VillageID, c.From, c.At)
}

const villageTrainings = `FROM trainings t WHERE t.hands_on AND t.on_date <= $2 AND t.team_id IN (SELECT tu.team_id FROM team_units tu WHERE tu.unit_id = $1)`

func handsOnTrainings(ctx context.Context, s *Store, c CompInput) (domain.Measure, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) "+villageTrainings, c.VillageID, c.At).Scan(&n)
	return count(n), internal("trainings", err)
}

func trainingRows(ctx context.Context, s *Store, c CompInput) ([]ProvRow, error) {
	return collectRows(ctx, s, "training", "SELECT t.id, TRUE "+villageTrainings+" ORDER BY t.on_date, t.id", c.VillageID, c.At)
}

// announcementsMonth counts the times announcements about digital
// transformation went out by loudspeaker or Zalo to the village in the 30
// days up to the date (by its own team, or a community team naming it).
func announcementsMonth(ctx context.Context, s *Store, c CompInput) (domain.Measure, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM announcement_uses u JOIN announcements a ON a.id = u.announcement_id
		WHERE u.channel IN ('loudspeaker', 'zalo') AND u.used_on > $2 AND u.used_on <= $3
		AND (a.id IN (SELECT announcement_id FROM announcement_villages WHERE village_id = $1)
		  OR (NOT EXISTS (SELECT 1 FROM announcement_villages v WHERE v.announcement_id = a.id)
		      AND a.team_id IN (SELECT tu.team_id FROM team_units tu JOIN teams t ON t.id = tu.team_id WHERE tu.unit_id = $1 AND t.kind = 'village')))`,
		c.VillageID, c.At.AddDays(-30), c.At).Scan(&n)
	return count(n), internal("announcements", err)
}

// freeWifi counts the village's free Wi-Fi points in service on the date.
func freeWifi(ctx context.Context, s *Store, c CompInput) (domain.Measure, error) {
	rows, err := wifiRows(ctx, s, c)
	n := 0
	for _, r := range rows {
		if r.In {
			n++
		}
	}
	return count(n), err
}

func wifiRows(ctx context.Context, s *Store, c CompInput) ([]ProvRow, error) {
	ws, err := s.WifiPoints(ctx, c.VillageID, c.At)
	var out []ProvRow
	for _, w := range ws {
		out = append(out, ProvRow{Kind: "wifi", ID: w.ID, In: w.Free})
	}
	return out, err
}

// equipped: the cultural house has a computer and an internet line in
// service on the date.
func equipped(ctx context.Context, s *Store, c CompInput) (domain.Measure, error) {
	es, err := s.Equipment(ctx, c.VillageID, c.At)
	var computer, line bool
	for _, e := range es {
		computer = computer || (e.Kind == domain.EquipComputer && e.Quantity > 0)
		line = line || e.Kind == domain.EquipInternetLine
	}
	return yes(computer && line), err
}

func equipmentRows(ctx context.Context, s *Store, c CompInput) ([]ProvRow, error) {
	es, err := s.Equipment(ctx, c.VillageID, c.At)
	var out []ProvRow
	for _, e := range es {
		out = append(out, ProvRow{Kind: "equipment", ID: e.ID, In: true})
	}
	return out, err
}

// pagePublished: the village's public page and its QR code exist and
// introduce the village — it has a public slug and, on the date, a team
// whose schedule and members the page shows.
func pagePublished(ctx context.Context, s *Store, c CompInput) (domain.Measure, error) {
	u, err := s.UnitByID(ctx, c.VillageID, c.At)
	if err != nil {
		return domain.Measure{}, err
	}
	_, team, err := s.villageTeam(ctx, c.VillageID, c.At)
	return yes(u.Slug != "" && team), err
}
