package storetest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
)

// testCriteriaSets: the seeded set applies to Bảo Thắng's villages before
// and after the district was dissolved, and not after its period; a bad
// set is refused at its field with nothing stored; a set in force with
// assessments cannot change, and copying it makes the next version.
func testCriteriaSets(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	dc := village(t, s, "Thôn Đông Căm", today)
	for _, c := range []struct {
		at   string
		want bool
	}{{"2024-10-31", true}, {"2025-10-01", true}, {"2023-12-31", false}, {"2026-06-01", false}} {
		cs, ok, err := s.SetInForce(Ctx(), dc.ID, domain.MustDate(c.at))
		if err != nil || ok != c.want || (ok && (cs.Name != demo.BaoThangSetName || len(cs.Indicators) != 16 || len(cs.Groups) != 4)) {
			t.Errorf("set in force on %s: %v %v %+v", c.at, ok, err, cs.Name)
		}
	}
	cs, _, _ := s.SetInForce(Ctx(), dc.ID, oct2024)
	bt := MustUnit(t, s, "086", oct2024)
	before, _ := s.CountRows(Ctx(), "criteria_sets")
	bad := func(mut func(*domain.CriteriaSet)) domain.CriteriaSet {
		c := demo.BaoThangSet(bt.ID)
		mut(&c)
		return c
	}
	for name, c := range map[string]struct {
		set   domain.CriteriaSet
		field string
	}{
		"duplicate code": {bad(func(c *domain.CriteriaSet) { c.Indicators[3].Code = "1" }), "indicators.3.code"},
		"range inverted": {bad(func(c *domain.CriteriaSet) {
			c.Indicators[1].Target = domain.Target{Type: domain.TargetRange, Min: 3, Max: 2}
		}), "indicators.1.target"},
		"percent over 100":    {bad(func(c *domain.CriteriaSet) { c.Indicators[0].Target.Min = 120 }), "indicators.0.target"},
		"rule asks too many":  {bad(func(c *domain.CriteriaSet) { c.Rule, c.RuleMin = domain.PassAtLeast, 17 }), "rule_min"},
		"unknown computation": {bad(func(c *domain.CriteriaSet) { c.Indicators[0].Computation = "luck" }), "indicators.0.computation"},
		"period backwards":    {bad(func(c *domain.CriteriaSet) { c.From, c.To = c.To, c.From }), "period"},
	} {
		if _, err := s.CreateSet(Ctx(), admin, c.set); domain.ErrorField(err) != c.field {
			t.Errorf("%s: %v (field %q)", name, err, domain.ErrorField(err))
		}
	}
	if n, _ := s.CountRows(Ctx(), "criteria_sets"); n != before {
		t.Fatal("a refused set was stored")
	}
	// In force with assessments: frozen.
	edit := cs
	edit.Name = "Bộ tiêu chí sửa"
	if _, err := s.UpdateSet(Ctx(), admin, edit); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("edit of a set in use: %v", err)
	}
	v2, err := s.CopySet(Ctx(), admin, cs.ID)
	if err != nil || v2.Version != 2 || v2.Status != domain.SetDraft || v2.CopiedFrom != cs.ID || len(v2.Indicators) != 16 {
		t.Fatalf("copy: %+v %v", v2, err)
	}
	v2.Indicators[5].Target.Min = 85
	if v2, err = s.UpdateSet(Ctx(), admin, v2); err != nil {
		t.Fatal(err)
	}
	stale := v2
	stale.Lock--
	if _, err := s.UpdateSet(Ctx(), admin, stale); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("stale edit: %v", err)
	}
	if err := s.SetStatus(Ctx(), admin, v2.ID, domain.SetInForce); err != nil {
		t.Fatal(err)
	}
	now, _, _ := s.SetInForce(Ctx(), dc.ID, oct2024)
	old, _ := s.Set(Ctx(), cs.ID)
	if now.ID != v2.ID || old.Status != domain.SetRetired {
		t.Fatalf("version 2 in force: %d (old %s)", now.ID, old.Status)
	}
	// The province that took over the dissolved district's duties manages
	// its sets; a commune officer does not.
	pu, _, _ := s.Credentials(Ctx(), "canbo.laocai")
	province := mustActor(t, s, pu)
	if ok, _ := s.ManagesSet(Ctx(), province.Scope(domain.PermCriteriaManage), bt.ID); !ok {
		t.Fatal("Lào Cai does not manage Bảo Thắng's set")
	}
	if list, _ := s.Sets(Ctx(), province.Scope(domain.PermCriteriaManage)); len(list) != 2 {
		t.Fatalf("Lào Cai's sets: %+v", list)
	}
	cu, _, _ := s.Credentials(Ctx(), "canbo.giaphu")
	if _, err := s.CopySet(Ctx(), mustActor(t, s, cu), cs.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("a commune officer copied the set: %v", err)
	}
	// A team leader cannot make sets.
	u, _, _ := s.Credentials(Ctx(), "totruong.dongcam")
	if _, err := s.CreateSet(Ctx(), mustActor(t, s, u), demo.BaoThangSet(bt.ID)); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("a team leader made a set: %v", err)
	}
}

// testComputations: the report's figure and the provenance lists behind
// every computed value of the demo's Đông Căm.
func testComputations(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	dc := village(t, s, "Thôn Đông Căm", today)
	in := store.CompInput{VillageID: dc.ID, At: oct2024, From: domain.MustDate("2024-01-01"), Param: 3}
	m, err := s.Compute(Ctx(), "account_rate_14", in)
	if err != nil || m.Num != 257 || m.Den != 387 || int(m.Value*10+0.5) != 664 {
		t.Fatalf("accounts 14+ on 31/10/2024: %+v %v", m, err)
	}
	f, _ := s.Figures(Ctx(), dc.ID, oct2024)
	for name := range store.Computations() {
		m, err := s.Compute(Ctx(), name, in)
		if err != nil || !m.Known {
			t.Errorf("%s: %+v %v", name, m, err)
			continue
		}
		rows, err := s.ComputeRows(Ctx(), name, in)
		if err != nil {
			t.Fatal(err)
		}
		if rows == nil {
			continue
		}
		n := 0
		for _, r := range rows {
			if r.In {
				n++
			}
		}
		if m.Rate && (n != m.Num || len(rows) != m.Den) {
			t.Errorf("%s: %d/%d in the list, %d/%d computed", name, n, len(rows), m.Num, m.Den)
		}
		if !m.Rate && name != "team_active" && name != "team_by_decision" && name != "cultural_house_equipped" && n != int(m.Value) {
			t.Errorf("%s: %d in the list, value %v", name, n, m.Value)
		}
	}
	if m, _ := s.Compute(Ctx(), "smartphone_rate_18", in); m.Num != f.Smartphone18 || m.Den != f.Adults18 {
		t.Fatalf("smartphones differ from the figures: %+v %+v", m, f)
	}
	if m, _ := s.Compute(Ctx(), "dossiers_in_period", in); m.Value != float64(demo.DongCamDossiers) {
		t.Fatalf("Đông Căm's dossiers in 2024 by 31/10: %v", m.Value)
	}
	if m, _ := s.Compute(Ctx(), "team_members", in); m.Value != 6 {
		t.Fatalf("Đông Căm's team on 31/10/2024: %v", m.Value)
	}
	if m, _ := s.Compute(Ctx(), "featured_procedures", in); m.Value != 2 {
		t.Fatalf("featured: %v", m.Value)
	}
	if m, _ := s.Compute(Ctx(), "team_active", in); m.Value != 1 {
		t.Fatalf("Đông Căm's team active: %+v", m)
	}
	if m, _ := s.Compute(Ctx(), "team_active", store.CompInput{VillageID: dc.ID, At: domain.MustDate("2023-12-31"), From: domain.MustDate("2023-01-01")}); m.Value != 0 {
		t.Fatalf("no team yet in 2023: %+v", m)
	}
}

// jpegWithExif makes a small JPEG carrying an EXIF block with a GPS tag
// name, as a phone photo would.
func jpegWithExif(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := 0; x < 40; x++ {
		img.Set(x, x%30, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	payload := append([]byte("Exif\x00\x00"), []byte("GPSLatitude 22.4 GPSLongitude 104.0")...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	raw := b.Bytes()
	out := append([]byte{}, raw[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, raw[2:]...)
}

// testAssessmentFlow: the team enters values with evidence and submits;
// the commune officer sends it back with a comment, the team corrects and
// resubmits; approval before verification is refused; verified, then
// approved with the recognition decision. Every round is kept.
func testAssessmentFlow(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	dc := village(t, s, "Thôn Đông Căm", today)
	actor := func(login string) *domain.Actor {
		u, _, err := s.Credentials(Ctx(), login)
		if err != nil {
			t.Fatal(err)
		}
		return mustActor(t, s, u)
	}
	lead, officer, province := actor("totruong.dongcam"), actor("canbo.giaphu"), actor("canbo.laocai")
	when := domain.MustDate("2025-06-30")
	as, err := s.Assess(Ctx(), lead, dc.ID, when, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Assess(Ctx(), lead, dc.ID, when, false); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a second assessment on the same day: %v", err)
	}
	if _, err := s.Assess(Ctx(), lead, dc.ID, domain.MustDate("2026-06-30"), false); domain.ErrorField(err) != "as_of" {
		t.Fatalf("no set in force: %v", err)
	}
	cs, _ := s.Set(Ctx(), as.SetID)
	var entered []domain.Indicator
	for _, in := range cs.Indicators {
		if in.Source == domain.SourceEntered {
			entered = append(entered, in)
		}
	}
	// Submitting with entered values missing is refused.
	if _, err := s.ReviewAssessment(Ctx(), lead, store.Review{AssessmentID: as.ID, Version: as.Version, Action: "submit"}); domain.ErrorField(err) != "action" {
		t.Fatalf("submit with values missing: %v", err)
	}
	evRows, _ := s.CountRows(Ctx(), "evidence")
	for name, e := range map[string]store.Entry{
		"not an image": {Value: 1, Evidence: &store.Evidence{Name: "x.exe", Data: []byte("MZ\x90\x00 not a picture")}},
		"too big":      {Value: 1, Evidence: &store.Evidence{Name: "big.pdf", Data: append([]byte("%PDF-1.4\n"), make([]byte, store.EvidenceMaxBytes)...)}},
		"percent 120":  {Value: 120},
	} {
		e.AssessmentID, e.Version = as.ID, as.Version
		e.IndicatorID = entered[0].ID
		if name == "percent 120" {
			for _, in := range entered {
				if in.Target.Type == domain.TargetMinPercent {
					e.IndicatorID = in.ID
				}
			}
		}
		if _, err := s.EnterValue(Ctx(), lead, e); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n, _ := s.CountRows(Ctx(), "evidence"); n != evRows {
		t.Fatal("refused evidence was stored")
	}
	for i, in := range entered {
		e := store.Entry{AssessmentID: as.ID, IndicatorID: in.ID, Version: as.Version, Value: in.Target.Min, Note: "Theo biên bản kiểm tra"}
		if in.Target.Type == domain.TargetExists {
			e.Value = 1
		}
		if i == 0 {
			e.Evidence = &store.Evidence{Name: "wifi.jpg", Data: jpegWithExif(t)}
		}
		if as, err = s.EnterValue(Ctx(), lead, e); err != nil {
			t.Fatalf("%s: %v", in.Code, err)
		}
	}
	ev, err := s.EvidenceFile(Ctx(), officer.Scope(domain.PermReportView), as.Values[entered[0].ID].EvidenceID)
	if err != nil || ev.ContentType != "image/jpeg" || bytes.Contains(ev.Data, []byte("Exif")) || bytes.Contains(ev.Data, []byte("GPS")) {
		t.Fatalf("evidence kept its EXIF or was lost: %v %s", err, ev.ContentType)
	}
	step := func(a *domain.Actor, action, comment string) error {
		cur, _ := s.Assessment(Ctx(), as.ID)
		r := store.Review{AssessmentID: as.ID, Version: cur.Version, Action: action, Comment: comment}
		if action == "approve" {
			r.DecisionNo, r.DecisionDate = "215/QĐ-UBND", domain.MustDate("2025-07-15")
		}
		got, err := s.ReviewAssessment(Ctx(), a, r)
		if err == nil {
			as = got
		}
		return err
	}
	if err := step(lead, "submit", ""); err != nil {
		t.Fatal(err)
	}
	if err := step(lead, "verify", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("the team verified its own assessment: %v", err)
	}
	if err := step(province, "approve", ""); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("approved before verification: %v", err)
	}
	if err := step(officer, "return", ""); domain.ErrorField(err) != "comment" {
		t.Fatalf("sent back without a comment: %v", err)
	}
	if err := step(officer, "return", "Thiếu ảnh điểm Wi-Fi thứ hai"); err != nil || as.State != store.AssessReturned {
		t.Fatalf("send back: %v %s", err, as.State)
	}
	if as, err = s.EnterValue(Ctx(), lead, store.Entry{AssessmentID: as.ID, IndicatorID: entered[0].ID, Version: as.Version, Value: 2,
		Evidence: &store.Evidence{Name: "wifi2.pdf", Data: []byte("%PDF-1.4\n% biên bản\n")}}); err != nil {
		t.Fatal(err)
	}
	for _, st := range []struct {
		a      *domain.Actor
		action string
	}{{lead, "submit"}, {officer, "verify"}, {province, "approve"}} {
		if err := step(st.a, st.action, ""); err != nil {
			t.Fatalf("%s: %v", st.action, err)
		}
	}
	rounds, _ := s.Rounds(Ctx(), as.ID)
	if as.State != store.AssessApproved || len(rounds) != 5 || rounds[1].Action != "return" || rounds[1].Comment != "Thiếu ảnh điểm Wi-Fi thứ hai" {
		t.Fatalf("final %s, rounds %+v", as.State, rounds)
	}
	if as.Passed && as.DecisionNo != "215/QĐ-UBND" {
		t.Fatalf("decision %q", as.DecisionNo)
	}
	if err := step(officer, "return", "muộn"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("an approved assessment sent back: %v", err)
	}
	// An officer of another commune does not see it.
	ph := MustUnit(t, s, "02902", today)
	if _, err := s.CreateUser(Ctx(), admin, store.NewUser{Login: "canbo.phonghai", Name: "X", PasswordHash: "x"}, domain.RoleOfficer, ph.ID); err != nil {
		t.Fatal(err)
	}
	if err := step(actor("canbo.phonghai"), "return", "x"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("an officer elsewhere: %v", err)
	}
}

// testPastAssessment: a decided assessment opens exactly as it was after
// the data behind it changed.
func testPastAssessment(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	dc := village(t, s, "Thôn Đông Căm", today)
	list, _ := s.Assessments(Ctx(), dc.ID)
	if len(list) != 2 || list[1].AsOf != demo.AssessmentDates[0] || list[1].State != store.AssessApproved {
		t.Fatalf("Đông Căm's demo assessments: %+v", list)
	}
	past := list[1]
	before, _ := s.Assessment(Ctx(), past.ID)
	cs, _ := s.Set(Ctx(), past.SetID)
	var acc domain.Indicator
	for _, in := range cs.Indicators {
		if in.Computation == "account_rate_14" {
			acc = in
		}
	}
	rowsBefore, _ := s.AssessmentRows(Ctx(), past.ID, acc.ID)
	// Give everyone without an account one dated before the assessment.
	changed := 0
	for _, r := range rowsBefore {
		if r.In || changed == 20 {
			continue
		}
		res, err := s.Resident(Ctx(), domain.Scope{All: true}, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		res.VNeID.Since, res.Portal.Since = domain.MustDate("2024-06-01"), domain.MustDate("2024-06-01")
		if _, err := s.UpdateResident(Ctx(), admin, res); err != nil {
			t.Fatal(err)
		}
		changed++
	}
	live, _ := s.Compute(Ctx(), "account_rate_14", store.CompInput{VillageID: dc.ID, At: past.AsOf})
	after, _ := s.Assessment(Ctx(), past.ID)
	rowsAfter, _ := s.AssessmentRows(Ctx(), past.ID, acc.ID)
	if live.Num != before.Values[acc.ID].Measure.Num+changed {
		t.Fatalf("the live figure did not move: %+v", live)
	}
	if after.Values[acc.ID] != before.Values[acc.ID] || after.Passed != before.Passed || len(rowsAfter) != len(rowsBefore) {
		t.Fatalf("the past assessment changed: %+v → %+v", before.Values[acc.ID], after.Values[acc.ID])
	}
	// The demo has villages that pass and villages that do not.
	passed, failed := 0, 0
	for _, v := range demo.Villages {
		if v.Enrolled.IsZero() {
			continue
		}
		u := village(t, s, v.Name, today)
		as, _ := s.Assessments(Ctx(), u.ID)
		for _, a := range as {
			if a.Passed {
				passed++
			} else {
				failed++
			}
		}
	}
	if passed == 0 || failed == 0 {
		t.Fatalf("demo assessments: %d passed, %d not", passed, failed)
	}
	t.Logf("demo assessments: %d passed, %d not", passed, failed)
}

// testMountainTarget: a village of a mountainous commune is held to the
// indicator's own target for such communes.
func testMountainTarget(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	dc := village(t, s, "Thôn Đông Căm", today)
	cs, _, _ := s.SetInForce(Ctx(), dc.ID, oct2024)
	v2, err := s.CopySet(Ctx(), admin, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range v2.Indicators {
		if v2.Indicators[i].Computation == "account_rate_14" {
			v2.Indicators[i].Mountain = &domain.Target{Type: domain.TargetMinPercent, Min: 60}
		}
	}
	if v2, err = s.UpdateSet(Ctx(), admin, v2); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(Ctx(), admin, v2.ID, domain.SetInForce); err != nil {
		t.Fatal(err)
	}
	var acc int64
	got, _ := s.Set(Ctx(), v2.ID)
	for _, in := range got.Indicators {
		if in.Computation == "account_rate_14" {
			acc = in.ID
			if in.Mountain == nil || in.Mountain.Min != 60 {
				t.Fatalf("mountain target not kept: %+v", in.Mountain)
			}
		}
	}
	plain, err := s.Assess(Ctx(), admin, dc.ID, oct2024, false)
	if err != nil {
		t.Fatal(err)
	}
	hill, err := s.Assess(Ctx(), admin, dc.ID, oct2024.AddDays(-1), true)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Values[acc].Met || plain.Mountain {
		t.Fatal("66,4% met the general 90%")
	}
	if v := hill.Values[acc]; !v.Met || v.Measure.Value < 60 || v.Measure.Value >= 90 || !hill.Mountain {
		t.Fatalf("as a mountain village, 66%% meets 60%%: %+v", v)
	}
}
