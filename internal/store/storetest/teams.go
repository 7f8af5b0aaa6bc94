package storetest

import (
	"testing"
	"time"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
)

func testTeamFigures(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	bt := MustUnit(t, s, "086", oct2024)
	v, c, err := s.MemberCounts(Ctx(), bt.ID, demo.ReportDate)
	if err != nil || v != 105 || c != 1150 {
		t.Fatalf("Bảo Thắng on 31/10/2024: %d village team members, %d community, %v; want 105 and 1.150", v, c, err)
	}
	// Teams follow the reorganisation: today's Gia Phú has the village
	// teams of its villages and the community teams of old Gia Phú and
	// Xuân Giao, passed on 01/07/2025.
	gp := MustUnit(t, s, "02923", today)
	v2, c2, _ := s.MemberCounts(Ctx(), gp.ID, today)
	oldGP := MustUnit(t, s, "02923", oct2024)
	xg := MustUnit(t, s, "02932", oct2024)
	_, c3, _ := s.MemberCounts(Ctx(), oldGP.ID, oct2024)
	_, c4, _ := s.MemberCounts(Ctx(), xg.ID, oct2024)
	if v2 == 0 || c2 != c3+c4 {
		t.Fatalf("today's Gia Phú: %d village, %d community (old %d + %d)", v2, c2, c3, c4)
	}
	teams, _ := s.TeamsOf(Ctx(), gp.ID, today)
	if len(teams) != 2 || teams[0].Kind != domain.TeamCommunity {
		t.Fatalf("community teams of today's Gia Phú: %+v", teams)
	}
	ev, _ := s.Events(Ctx(), gp.ID)
	n := 0
	for _, e := range ev {
		if e.Kind == domain.EventTeamTransfer && e.Date == jul2025 {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d team transfer events", n)
	}
	// The village team stays with its village.
	dc := village(t, s, "Thôn Đông Căm", today)
	dts, _ := s.TeamsOf(Ctx(), dc.ID, today)
	if len(dts) != 1 || dts[0].Name != "Tổ công nghệ số thôn Đông Căm" {
		t.Fatalf("Đông Căm teams %+v", dts)
	}
	ms, _ := s.Members(Ctx(), dts[0].ID, demo.ReportDate)
	later, _ := s.Members(Ctx(), dts[0].ID, today)
	if len(ms) != 6 || len(later) != 7 || ms[0].Role != domain.RoleTeamLead || ms[0].PublicPhone() == "" {
		t.Fatalf("Đông Căm members: %d then %d", len(ms), len(later))
	}
	// Đông Căm's next session from a Monday morning is that evening.
	now := time.Date(2024, 10, 28, 8, 0, 0, 0, domain.Vietnam())
	o, ok, err := s.NextSession(Ctx(), dts[0].ID, now)
	if err != nil || !ok || o.Start.In(domain.Vietnam()).Format("2006-01-02 15:04") != "2024-10-28 19:30" {
		t.Fatalf("next session %v %v %v", o.Start, ok, err)
	}
}

func testSchedules(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	ct := village(t, s, "Thôn Phú Hợp 2", today) // not in the model yet: no team
	team, err := s.CreateTeam(Ctx(), admin, domain.Team{Kind: domain.TeamVillage, Name: "Tổ công nghệ số thôn Phú Hợp 2", UnitID: ct.ID, StartedOn: domain.MustDate("2026-09-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateTeam(Ctx(), admin, domain.Team{Kind: domain.TeamCommunity, Name: "Sai cấp", UnitID: ct.ID}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("community team on a village: %v", err)
	}
	lead, err := s.AddMember(Ctx(), admin, domain.Member{TeamID: team.ID, FullName: "Hà Văn Tổ", Phone: "0399 996 999", Role: domain.RoleTeamLead,
		JoinedOn: domain.MustDate("2026-09-01"), PhonePublic: true, ConsentOn: domain.MustDate("2026-09-01")})
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := s.AddMember(Ctx(), admin, domain.Member{TeamID: team.ID, FullName: "Lò Thị Viên", Role: domain.RoleTeamMember, JoinedOn: domain.MustDate("2026-09-01")})
	before := TableCounts(t, s)
	for name, m := range map[string]domain.Member{
		"member.left_before_joined":     {TeamID: team.ID, FullName: "A", Role: domain.RoleTeamMember, JoinedOn: domain.MustDate("2026-09-01"), LeftOn: domain.MustDate("2026-08-01")},
		"member.public_without_consent": {TeamID: team.ID, FullName: "B", Phone: "0399996998", Role: domain.RoleTeamMember, JoinedOn: domain.MustDate("2026-09-01"), PhonePublic: true},
		"phone.invalid":                 {TeamID: team.ID, FullName: "C", Phone: "123", Role: domain.RoleTeamMember, JoinedOn: domain.MustDate("2026-09-01")},
	} {
		if _, err := s.AddMember(Ctx(), admin, m); err == nil {
			t.Errorf("%s accepted", name)
		} else if e, _ := domain.AsError(err); e.Key != name {
			t.Errorf("%s: got %s", name, e.Key)
		}
	}
	tue, err := s.AddSlot(Ctx(), admin, domain.Slot{TeamID: team.ID, Weekday: time.Tuesday, Start: 19 * 60, End: 21 * 60, Place: "Nhà văn hoá", ValidFrom: domain.MustDate("2026-09-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSlot(Ctx(), admin, domain.Slot{TeamID: team.ID, Weekday: time.Tuesday, Start: 20 * 60, End: 22 * 60}); err == nil {
		t.Fatal("overlapping slot accepted")
	}
	if _, err := s.AddSlot(Ctx(), admin, domain.Slot{TeamID: team.ID, Weekday: time.Friday, Start: 21 * 60, End: 20 * 60}); err == nil {
		t.Fatal("slot ending before it starts accepted")
	}
	// Cancel Tuesday 06/10/2026: the next session moves to 13/10.
	now := time.Date(2026, 10, 5, 12, 0, 0, 0, time.UTC)
	o, _, _ := s.NextSession(Ctx(), team.ID, now)
	if o.Date != domain.MustDate("2026-10-06") {
		t.Fatalf("next %v", o.Date)
	}
	if _, err := s.AddException(Ctx(), admin, domain.Exception{TeamID: team.ID, Kind: domain.ExceptionCancel, On: domain.MustDate("2026-10-07"), Reason: "x"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("cancel a date without a session: %v", err)
	}
	if _, err := s.AddException(Ctx(), admin, domain.Exception{TeamID: team.ID, Kind: domain.ExceptionCancel, On: domain.MustDate("2026-10-06"), Reason: "Họp thôn"}); err != nil {
		t.Fatal(err)
	}
	if o, _, _ := s.NextSession(Ctx(), team.ID, now); o.Date != domain.MustDate("2026-10-13") {
		t.Fatalf("after cancelling: %v", o.Date)
	}
	if after := TableCounts(t, s); after["team_members"] != before["team_members"] {
		t.Fatal("a refused member was stored")
	}
	// Roster rotation.
	if err := s.SetRoster(Ctx(), admin, tue.ID, []int64{lead.ID, m2.ID}); err != nil {
		t.Fatal(err)
	}
	r, _ := s.Roster(Ctx(), tue.ID)
	if store.OnDuty(r, 0) != lead.ID || store.OnDuty(r, 1) != m2.ID || store.OnDuty(r, 2) != lead.ID {
		t.Fatalf("rotation %v", r)
	}
	// A member rostered on two overlapping duties is refused.
	wed, err := s.AddSlot(Ctx(), admin, domain.Slot{TeamID: team.ID, Weekday: time.Wednesday, Start: 19 * 60, End: 21 * 60, ValidFrom: domain.MustDate("2026-09-01")})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateTeam(Ctx(), admin, domain.Team{Kind: domain.TeamVillage, Name: "Tổ thứ hai", UnitID: ct.ID, StartedOn: domain.MustDate("2026-09-01")})
	if err != nil {
		t.Fatal(err)
	}
	tue2, err := s.AddSlot(Ctx(), admin, domain.Slot{TeamID: other.ID, Weekday: time.Tuesday, Start: 20 * 60, End: 22 * 60, ValidFrom: domain.MustDate("2026-09-01")})
	if err != nil {
		t.Fatal(err)
	}
	_ = wed
	if err := s.SetRoster(Ctx(), admin, tue2.ID, []int64{m2.ID}); err == nil {
		t.Fatal("a member on two overlapping duties")
	} else if e, _ := domain.AsError(err); e.Key != "roster.overlap" {
		t.Fatalf("overlap: %v", err)
	}
	// Calendar feeds: unknown or revoked is not found.
	secret, err := s.CreateFeed(Ctx(), admin, m2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.FeedMember(Ctx(), secret); err != nil || got.ID != m2.ID {
		t.Fatalf("feed %v", err)
	}
	if _, err := s.FeedMember(Ctx(), "khong-co"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatal("unknown feed")
	}
	s.RevokeFeeds(Ctx(), admin, m2.ID)
	if _, err := s.FeedMember(Ctx(), secret); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatal("revoked feed")
	}
	// Scope: a team leader elsewhere cannot touch this team.
	u, _, _ := s.Credentials(Ctx(), "totruong.dongcam")
	if _, err := s.AddMember(Ctx(), mustActor(t, s, u), domain.Member{TeamID: team.ID, FullName: "X", Role: domain.RoleTeamMember, JoinedOn: today}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("out of scope: %v", err)
	}
}

func testActivities(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	dc := village(t, s, "Thôn Đông Căm", today)
	teams, _ := s.TeamsOf(Ctx(), dc.ID, today)
	team := teams[0]
	ms, _ := s.Members(Ctx(), team.ID, demo.ReportDate)
	later, _ := s.Members(Ctx(), team.ID, today)
	newcomer := later[len(later)-1] // joined in 2025
	before := TableCounts(t, s)
	if _, err := s.LogSession(Ctx(), admin, store.SessionLog{TeamID: team.ID, On: demo.ReportDate, MemberIDs: []int64{newcomer.ID}}); err == nil {
		t.Fatal("a member who had not joined yet was logged present")
	}
	if _, err := s.LogSession(Ctx(), admin, store.SessionLog{TeamID: team.ID, On: domain.MustDate("2099-01-01")}); err == nil {
		t.Fatal("a session in the future was logged")
	}
	if after := TableCounts(t, s); !reflectEqual(before, after) {
		t.Fatal("a refused log was stored")
	}
	// The demo logged sessions on the days dossiers were received.
	demoLogs, _ := s.SessionLogs(Ctx(), team.ID, 1000)
	if len(demoLogs) < 50 {
		t.Fatalf("Đông Căm's demo sessions: %d", len(demoLogs))
	}
	l, err := s.LogSession(Ctx(), admin, store.SessionLog{TeamID: team.ID, On: demo.ReportDate, ResidentsHelped: 7, Notes: "Chứng thực bản sao", MemberIDs: []int64{ms[0].ID, ms[1].ID}})
	if err != nil {
		t.Fatal(err)
	}
	var logs []store.SessionLog
	all, _ := s.SessionLogs(Ctx(), team.ID, 1000)
	for _, g := range all {
		if g.ID == l.ID {
			logs = append(logs, g)
		}
	}
	if len(all) != len(demoLogs)+1 || len(logs) != 1 || len(logs[0].MemberIDs) != 2 || logs[0].ResidentsHelped != 7 {
		t.Fatalf("logs %+v", logs)
	}
	// The session's dossiers: those received that day in the team's village,
	// practice apart; one more received that day shows up.
	wantDossiers := func() (res, practice int) {
		day, _ := s.DossierLog(Ctx(), admin.Scope(domain.PermDossierEdit), dc.ID, demo.ReportDate, demo.ReportDate)
		for _, d := range day {
			switch {
			case d.ReceivedOn != demo.ReportDate || d.State == domain.StateVoided:
			case d.Practice:
				practice++
			default:
				res++
			}
		}
		return res, practice
	}
	if r, p := wantDossiers(); logs[0].Dossiers != r || logs[0].Practice != p {
		t.Fatalf("session dossiers %d/%d, want %d/%d", logs[0].Dossiers, logs[0].Practice, r, p)
	}
	if _, err := s.ReceiveDossier(Ctx(), admin, store.NewDossier{VillageID: dc.ID, ProcedureCode: "2.000815", ApplicantName: "Lò Thị Buổi", ReceivedOn: demo.ReportDate, Practice: true}); err != nil {
		t.Fatal(err)
	}
	var again []store.SessionLog
	all, _ = s.SessionLogs(Ctx(), team.ID, 1000)
	for _, g := range all {
		if g.ID == l.ID {
			again = append(again, g)
		}
	}
	if again[0].Practice != logs[0].Practice+1 || again[0].Dossiers != logs[0].Dossiers {
		t.Fatalf("after a practice dossier: %+v (before %+v)", again[0], logs[0])
	}
	bt := MustUnit(t, s, "086", oct2024)
	trainedBefore, _ := s.ResidentsTrained(Ctx(), bt.ID, oct2024)
	if trainedBefore == 0 {
		t.Fatal("the demo trained nobody")
	}
	if _, err := s.AddTraining(Ctx(), admin, store.Training{TeamID: team.ID, On: domain.MustDate("2024-05-10"), Topic: "Cài đặt và kích hoạt VNeID", HandsOn: true, ResidentsTrained: 25}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTraining(Ctx(), admin, store.Training{TeamID: team.ID, On: domain.MustDate("2025-05-10"), Topic: "Thanh toán không dùng tiền mặt", ResidentsTrained: 30}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTraining(Ctx(), admin, store.Training{TeamID: team.ID, On: domain.MustDate("2025-05-10")}); err == nil {
		t.Fatal("a training without a topic")
	}
	if n, _ := s.ResidentsTrained(Ctx(), bt.ID, oct2024); n != trainedBefore+25 {
		t.Fatalf("trained by 31/10/2024 in Bảo Thắng: %d", n)
	}
	if _, err := s.AddAnnouncement(Ctx(), admin, store.Announcement{TeamID: team.ID, Body: "Lịch trực", Uses: []store.AnnouncementUse{{Channel: "fax", On: today}}}); err == nil {
		t.Fatal("an unknown channel")
	}
	if _, err := s.AddAnnouncement(Ctx(), admin, store.Announcement{TeamID: team.ID, Body: "Lịch trực", Uses: []store.AnnouncementUse{{Channel: "loudspeaker", On: today}, {Channel: "zalo", On: today}}}); err != nil {
		t.Fatal(err)
	}
	if ans, _ := s.Announcements(Ctx(), team.ID); len(ans) != 2 || len(ans[0].Uses) != 2 || len(ans[1].Uses) != 3 {
		t.Fatalf("announcements %+v", ans)
	}
	// A community team targets villages of its commune, not others.
	gp := MustUnit(t, s, "02923", today)
	cts, _ := s.TeamsOf(Ctx(), gp.ID, today)
	bau := village(t, s, "Thôn Bầu 1", today)
	lc := village(t, s, "Thôn Làng Chung", today)
	if _, err := s.AddAnnouncement(Ctx(), admin, store.Announcement{TeamID: cts[0].ID, Body: "Lịch tập huấn", Villages: []int64{bau.ID, dc.ID},
		Uses: []store.AnnouncementUse{{Channel: "zalo", On: today}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAnnouncement(Ctx(), admin, store.Announcement{TeamID: cts[0].ID, Body: "x", Villages: []int64{lc.ID},
		Uses: []store.AnnouncementUse{{Channel: "zalo", On: today}}}); err == nil {
		t.Fatal("a village of another commune was targeted")
	}
}

func reflectEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// testDaysOff: the seeded table; 2027's Tết and Giỗ Tổ agree with the
// lunar calendar and are provisional until an officer saves them.
func testDaysOff(t *testing.T, open Opener) {
	s := open(t)
	days, err := s.DaysOff(Ctx(), domain.MustDate("2023-01-01"), domain.MustDate("2027-12-31"))
	if err != nil || len(days) < 50 {
		t.Fatalf("%d days off: %v", len(days), err)
	}
	m := store.DayOffMap(days)
	tet := domain.LunarToSolar(1, 1, 2027, false)
	if d, ok := m[tet]; !ok || !d.Provisional || d.Kind != "off" {
		t.Fatalf("Tết 2027 (%s) not seeded provisional: %+v", tet, d)
	}
	if d, ok := m[tet.AddDays(-1)]; !ok || d.Kind != "off" {
		t.Fatal("the eve of Tết 2027")
	}
	if _, ok := m[domain.LunarToSolar(10, 3, 2027, false)]; !ok {
		t.Fatal("Giỗ Tổ 2027")
	}
	for y := 2023; y <= 2026; y++ {
		if _, ok := m[domain.LunarToSolar(1, 1, y, false)]; !ok {
			t.Errorf("Tết %d missing", y)
		}
	}
	// Working days: Tết 2025 is off; Saturday 26/04/2025 is worked.
	if domain.WorkingDay(domain.MustDate("2025-01-29"), m) || !domain.WorkingDay(domain.MustDate("2025-04-26"), m) || domain.WorkingDay(domain.MustDate("2025-04-27"), m) {
		t.Fatal("WorkingDay")
	}
	if got := domain.AddWorkingDays(domain.MustDate("2025-01-24"), 1, m); got != domain.MustDate("2025-02-03") {
		t.Fatalf("one working day after 24/01/2025: %s", got)
	}
	// Confirming; a viewer cannot.
	if err := s.SetDayOff(Ctx(), domain.CLIActor(), domain.DayOff{On: tet, Kind: "off", Name: "Tết Nguyên đán Đinh Mùi"}); err != nil {
		t.Fatal(err)
	}
	days, _ = s.DaysOff(Ctx(), tet, tet)
	if len(days) != 1 || days[0].Provisional {
		t.Fatalf("confirmed %+v", days)
	}
	viewer := &domain.Actor{Grants: []domain.Grant{{Role: domain.RoleViewer, Unit: &domain.UnitRef{ID: 1}, UnitLevel: domain.LevelProvince}}}
	if err := s.SetDayOff(Ctx(), viewer, domain.DayOff{On: tet, Kind: "off", Name: "x"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("viewer: %v", err)
	}
}

// testCatalogue: the seeded procedure catalogue.
func testCatalogue(t *testing.T, open Opener) {
	s := open(t)
	ps, err := s.Procedures(Ctx())
	if err != nil || len(ps) < 11 {
		t.Fatalf("%d procedures: %v", len(ps), err)
	}
	sectors := map[string]bool{}
	for _, p := range ps {
		sectors[p.Sector] = true
		if len(p.Documents) == 0 || p.ProcessingDays < 1 {
			t.Errorf("%s: %+v", p.Code, p)
		}
	}
	if !sectors["tu_phap"] || !sectors["cong_an"] || !sectors["lao_dong_tbxh"] {
		t.Fatalf("sectors %v", sectors)
	}
	cc, err := s.Procedure(Ctx(), "2.000815")
	if err != nil || cc.Field != "chung_thuc" || cc.Portal != "provincial" || !cc.FullyOnline {
		t.Fatalf("chứng thực bản sao: %+v %v", cc, err)
	}
	if xn, _ := s.Procedure(Ctx(), "1.010041"); xn.Sector != "cong_an" || xn.Portal != "national" || !xn.FullyOnline {
		t.Fatalf("xác nhận cư trú: %+v", xn)
	}
	if _, err := s.Procedure(Ctx(), "9.999999"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatal("unknown code")
	}
	// Featured: 1–2 fully online procedures per village.
	MustDemo(t, s)
	dc := village(t, s, "Thôn Đông Căm", today)
	if fs, _ := s.Featured(Ctx(), dc.ID); len(fs) != 2 || fs[0].Code != "1.010041" {
		t.Fatalf("Đông Căm features %+v", fs)
	}
	admin := domain.CLIActor()
	if err := s.SetFeatured(Ctx(), admin, dc.ID, []string{"1.000894"}, today); err == nil {
		t.Fatal("a procedure that is not fully online was featured")
	}
	if err := s.SetFeatured(Ctx(), admin, dc.ID, []string{"2.000815", "1.010041", "1.004194"}, today); err == nil {
		t.Fatal("three featured procedures")
	}
	// Officers edit the catalogue; a stale version is refused.
	cc.ProcessingDays = 2
	if err := s.UpdateProcedure(Ctx(), admin, cc); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateProcedure(Ctx(), admin, cc); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("stale catalogue edit: %v", err)
	}
	if got, _ := s.Procedure(Ctx(), "2.000815"); got.ProcessingDays != 2 || got.Version != 2 {
		t.Fatalf("edited %+v", got)
	}
}
