package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// The report's team figures on ReportDate.
const (
	VillageTeamMembers   = 105
	CommunityTeamMembers = 1150
)

// shiftVillage follows factory shifts (Thị trấn Tằng Loỏng's workers).
const shiftVillage = "Tổ dân phố số 3"

// techCommunes have a phone-shop owner or a computer repairer on their
// village teams (Phong Niên, Trì Quang, Phố Lu in the report).
var techCommunes = map[string]string{"02920": "chu_cua_hang_dien_thoai", "02935": "tho_sua_may_tinh", "02905": "chu_cua_hang_dien_thoai"}

// teamLoads builds the 20 village teams and the 14 community teams as
// they stood in 2024, before the reorganisation.
func teamLoads(ctx context.Context, s *store.Store) ([]store.TeamLoad, error) {
	g := &gen{rng: rand.New(rand.NewPCG(2024, 105)), people: namings()}
	phone := 5000
	nextPhone := func() string { phone++; return fmt.Sprintf("039999%04d", phone) }
	var loads []store.TeamLoad
	big := map[string]bool{"Thôn Đông Căm": true, "Tổ dân phố số 1": true, "Thôn Cốc Sâm 1": true, "Thôn Lúc 2": true, "Tổ dân phố số 3": true}
	total := 0
	for _, v := range Villages {
		if v.Enrolled.IsZero() {
			continue
		}
		u, err := villageNamed(ctx, s, v)
		if err != nil {
			return nil, err
		}
		start := v.Enrolled
		if v.Name == "Thôn Đông Căm" {
			start = domain.MustDate("2024-01-02") // the team began work in 01/2024
		}
		tw, short := domain.SplitTypeWord(v.Name)
		t := domain.Team{Kind: domain.TeamVillage, Name: "Tổ công nghệ số " + strings.ToLower(tw) + " " + short, UnitID: u.ID,
			DecisionNo: v.Decision, DecisionDate: v.Enrolled, StartedOn: start}
		positions := []string{"bi_thu_chi_bo", "truong_ban_mat_tran", "bi_thu_chi_doan", "chi_hoi_truong_phu_nu", "cong_dan_tieu_bieu", "truong_thon"}
		if p, ok := techCommunes[v.CommuneCode]; ok {
			positions[4] = p
		}
		size := 5
		if big[v.Name] {
			size = 6
		}
		peoples := communePeoples()[v.CommuneCode]
		var ms []domain.Member
		for i := 0; i < size; i++ {
			sex := domain.SexMale
			if positions[i] == "chi_hoi_truong_phu_nu" || g.chance(0.3) {
				sex = domain.SexFemale
			}
			r := g.person(peoples[g.rng.IntN(len(peoples))], "", sex, domain.MustDate("1965-01-01"), domain.MustDate("2002-12-31"))
			role := domain.RoleTeamMember
			switch i {
			case 0:
				role = domain.RoleTeamLead
			case 1:
				role = domain.RoleTeamDeputy
			}
			m := domain.Member{FullName: r.FullName, Phone: nextPhone(), Role: role, Position: positions[i], JoinedOn: start}
			if i < 3 || g.chance(0.5) { // leaders and most members agree to show their phone
				m.PhonePublic, m.ConsentOn = true, start
			}
			ms = append(ms, m)
		}
		total += len(ms)
		switch v.Name {
		case "Thôn Cóc Tủm": // left before the report date: not counted on it
			ms = append(ms, domain.Member{FullName: "Đàm Văn Lợi (minh hoạ)", Role: domain.RoleTeamMember, Position: "doan_vien", JoinedOn: start, LeftOn: domain.MustDate("2024-08-31")})
		case "Thôn Đông Căm": // joined after it
			ms = append(ms, domain.Member{FullName: "Nông Thị Bích (minh hoạ)", Phone: nextPhone(), Role: domain.RoleTeamMember, Position: "giao_vien", JoinedOn: domain.MustDate("2025-03-03")})
		}
		loads = append(loads, store.TeamLoad{Team: t, Members: ms, Slots: villageSlots(v, start)})
	}
	if total != VillageTeamMembers {
		return nil, fmt.Errorf("demo: %d village team members, want %d", total, VillageTeamMembers)
	}
	total = 0
	for i, c := range Communes {
		u, err := s.UnitAt(ctx, c.Code, Snapshot)
		if err != nil {
			return nil, err
		}
		size := CommunityTeamMembers / len(Communes)
		if i < CommunityTeamMembers%len(Communes) {
			size++
		}
		start := domain.MustDate("2024-02-01").AddDays(7 * i)
		_, short := domain.SplitTypeWord(c.Name)
		t := domain.Team{Kind: domain.TeamCommunity, Name: "Tổ công nghệ số cộng đồng " + strings.ToLower(c.Type) + " " + short, UnitID: u.ID,
			DecisionNo: fmt.Sprintf("Quyết định %d/QĐ-UBND", 20+i), DecisionDate: start, StartedOn: start}
		peoples := communePeoples()[c.Code]
		var ms []domain.Member
		for k := 0; k < size; k++ {
			sex := domain.SexMale
			if g.chance(0.45) {
				sex = domain.SexFemale
			}
			r := g.person(peoples[g.rng.IntN(len(peoples))], "", sex, domain.MustDate("1970-01-01"), domain.MustDate("2006-06-30"))
			role := domain.RoleTeamMember
			if k == 0 {
				role = domain.RoleTeamLead
			} else if k < 3 {
				role = domain.RoleTeamDeputy
			}
			pos := []string{"can_bo_xa", "doan_vien", "giao_vien", "cong_an_vien", "cong_dan_tieu_bieu"}[g.rng.IntN(5)]
			joined := start.AddDays(g.rng.IntN(200))
			if joined.After(ReportDate) {
				joined = ReportDate
			}
			m := domain.Member{FullName: r.FullName, Role: role, Position: pos, JoinedOn: joined}
			if k < 3 {
				m.Phone, m.PhonePublic, m.ConsentOn = nextPhone(), true, joined
			}
			ms = append(ms, m)
		}
		total += len(ms)
		loads = append(loads, store.TeamLoad{Team: t, Members: ms, Slots: []domain.Slot{{Weekday: time.Saturday, Start: 8 * 60, End: 11 * 60,
			Place: "Hội trường UBND " + c.Name, ValidFrom: start, EveryWeeks: 1}}})
	}
	if total != CommunityTeamMembers {
		return nil, fmt.Errorf("demo: %d community team members, want %d", total, CommunityTeamMembers)
	}
	return loads, nil
}

// villageSlots: Đông Căm sits Mon, Wed, Fri 19:30–21:00 at the cultural
// house; the factory village alternates Saturday evenings and Sunday
// mornings by week; the others sit Tuesday and Thursday evenings.
func villageSlots(v Village, start domain.Date) []domain.Slot {
	place := "Nhà văn hoá " + v.Name
	switch v.Name {
	case "Thôn Đông Căm":
		var out []domain.Slot
		for _, wd := range []time.Weekday{time.Monday, time.Wednesday, time.Friday} {
			out = append(out, domain.Slot{Weekday: wd, Start: 19*60 + 30, End: 21 * 60, Place: place, ValidFrom: start, EveryWeeks: 1})
		}
		return out
	case shiftVillage:
		return []domain.Slot{
			{Weekday: time.Saturday, Start: 20 * 60, End: 22 * 60, Place: place, ValidFrom: start, EveryWeeks: 2, Anchor: domain.MustDate("2024-03-18")},
			{Weekday: time.Sunday, Start: 8 * 60, End: 10 * 60, Place: place, ValidFrom: start, EveryWeeks: 2, Anchor: domain.MustDate("2024-03-25")},
		}
	}
	return []domain.Slot{
		{Weekday: time.Tuesday, Start: 19*60 + 30, End: 21 * 60, Place: place, ValidFrom: start, EveryWeeks: 1},
		{Weekday: time.Thursday, Start: 19*60 + 30, End: 21 * 60, Place: place, ValidFrom: start, EveryWeeks: 1},
	}
}
