package demo

import (
	"context"
	"math/rand/v2"
	"sort"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// activityLoad builds what the teams did around the dossiers: a held
// session on every day a village received dossiers (who came, residents
// helped: the dossiers plus a few helped without one), a hands-on training
// per village team with residents named from the registry, quarterly
// trainings of the community teams, and each team's schedule announced on
// the loudspeaker and in the Zalo group when it started.
func activityLoad(ctx context.Context, s *store.Store, dossiers []store.DossierLoad) (store.ActivityLoad, error) {
	rng := rand.New(rand.NewPCG(2024, 7))
	var out store.ActivityLoad
	type day struct {
		village int64
		on      domain.Date
	}
	helped := map[day]int{}
	by := map[day]map[int64]bool{}
	for _, d := range dossiers {
		k := day{d.Dossier.VillageID, d.Dossier.ReceivedOn}
		if by[k] == nil {
			by[k] = map[int64]bool{}
		}
		if !d.Dossier.Practice {
			helped[k]++
		}
		if d.Dossier.MemberID != 0 {
			by[k][d.Dossier.MemberID] = true
		}
	}
	days := make([]day, 0, len(by))
	for k := range by {
		days = append(days, k)
	}
	sort.Slice(days, func(i, j int) bool {
		if days[i].village != days[j].village {
			return days[i].village < days[j].village
		}
		return days[i].on.Before(days[j].on)
	})
	teams := map[int64]domain.Team{}
	for _, k := range days {
		t, ok := teams[k.village]
		if !ok {
			ts, err := s.TeamsOf(ctx, k.village, k.on)
			if err != nil || len(ts) == 0 {
				continue
			}
			t, teams[k.village] = ts[0], ts[0]
		}
		var came []int64
		for id := range by[k] {
			came = append(came, id)
		}
		sort.Slice(came, func(i, j int) bool { return came[i] < came[j] })
		note := "Hướng dẫn nộp hồ sơ trực tuyến"
		extra := rng.IntN(3)
		if extra > 0 {
			note += "; hỗ trợ kích hoạt VNeID mức 2 và cài đặt ứng dụng ngân hàng"
		}
		out.Logs = append(out.Logs, store.SessionLog{TeamID: t.ID, On: k.on, ResidentsHelped: helped[k] + extra, Notes: note, MemberIDs: came})
	}
	for _, v := range Villages {
		if v.Enrolled.IsZero() {
			continue
		}
		u, err := villageNamed(ctx, s, v)
		if err != nil {
			return out, err
		}
		t, ok := teams[u.ID]
		if !ok {
			continue
		}
		if err := villageActivities(ctx, s, rng, &out, t, u); err != nil {
			return out, err
		}
	}
	for i, c := range Communes {
		u, err := s.UnitAt(ctx, c.Code, Snapshot)
		if err != nil {
			return out, err
		}
		ts, err := s.TeamsOf(ctx, u.ID, ReportDate)
		if err != nil || len(ts) == 0 {
			continue
		}
		members, err := s.Members(ctx, ts[0].ID, ReportDate)
		if err != nil {
			return out, err
		}
		for q, on := range []string{"2024-03-16", "2024-06-15", "2024-09-14"} {
			d := domain.MustDate(on).AddDays(7 * (i % 2))
			var came []int64
			for _, m := range members {
				if !m.JoinedOn.After(d) && len(came) < 12 {
					came = append(came, m.ID)
				}
			}
			topic := []string{"Kỹ năng số cơ bản và an toàn thông tin cho Tổ công nghệ số cộng đồng",
				"Hướng dẫn nộp hồ sơ trên Cổng Dịch vụ công quốc gia", "Thanh toán không dùng tiền mặt và phòng chống lừa đảo trực tuyến"}[q]
			out.Trainings = append(out.Trainings, store.Training{UnitID: u.ID, TeamID: ts[0].ID, On: d, Place: "Hội trường UBND " + c.Name, Topic: topic,
				Trainer: "Trung tâm Văn hoá – Thông tin huyện Bảo Thắng", MemberIDs: came})
		}
	}
	return out, nil
}

// villageActivities adds a village team's hands-on training and its
// schedule announcement.
func villageActivities(ctx context.Context, s *store.Store, rng *rand.Rand, out *store.ActivityLoad, t domain.Team, u domain.Unit) error {
	on := t.StartedOn.AddDays(45 + rng.IntN(40))
	for !domain.WorkingDay(on, nil) {
		on = on.AddDays(1)
	}
	members, err := s.Members(ctx, t.ID, on)
	if err != nil {
		return err
	}
	people, _, err := s.Residents(ctx, domain.Scope{All: true}, store.ResidentQuery{VillageID: u.ID, At: on, Limit: 1000})
	if err != nil {
		return err
	}
	var named []int64
	want := 10 + rng.IntN(16)
	for _, p := range people {
		if p.AgeOn(on) >= 16 && p.LivesOn(on) && len(named) < want && rng.IntN(3) == 0 {
			named = append(named, p.ID)
		}
	}
	var came []int64
	for _, m := range members {
		came = append(came, m.ID)
	}
	out.Trainings = append(out.Trainings, store.Training{UnitID: u.ID, TeamID: t.ID, On: on, Place: "Nhà văn hoá " + u.Name, HandsOn: true,
		Topic: "Cầm tay chỉ việc: cài đặt, kích hoạt VNeID mức 2 và nộp hồ sơ trực tuyến", Trainer: "Tổ công nghệ số cộng đồng",
		MemberIDs: came, ResidentIDs: named, ResidentsTrained: len(named) + rng.IntN(6)})
	slots, err := s.Slots(ctx, t.ID)
	if err != nil {
		return err
	}
	zalo, _ := domain.Announcement(t, members, slots, nil)
	out.Notices = append(out.Notices, store.Announcement{TeamID: t.ID, Body: zalo,
		Uses: []store.AnnouncementUse{{Channel: "loudspeaker", On: t.StartedOn}, {Channel: "zalo", On: t.StartedOn}, {Channel: "notice_board", On: t.StartedOn.AddDays(1)}}})
	return nil
}
