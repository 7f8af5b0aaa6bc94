package demo

import (
	"context"
	"fmt"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// DongCamIntro is the introduction Đông Căm's team wrote for its page.
const DongCamIntro = "Thôn Đông Căm có tổ công nghệ số trực tại nhà văn hoá thôn ba buổi tối mỗi tuần. " +
	"Bà con mang căn cước và giấy tờ cần thiết đến để được hướng dẫn cài VNeID, nộp hồ sơ trực tuyến và thanh toán không dùng tiền mặt."

// loadVillageInfo gives Đông Căm its public page: the introduction, the
// Wi-Fi points, the cultural house's equipment and the Zalo group, each
// recorded on the day the story says.
func loadVillageInfo(ctx context.Context, s *store.Store, villageID int64) error {
	a := demoActor()
	if err := s.WithClock(at(domain.MustDate("2024-01-02"))).SetIntro(ctx, a, villageID, DongCamIntro); err != nil {
		return fmt.Errorf("demo intro: %w", err)
	}
	wifi := []domain.WifiPoint{
		{Place: "Nhà văn hoá thôn Đông Căm", Provider: "VNPT", NetworkName: "DongCam-NVH", Hours: "6:00–22:00", Free: true, Since: domain.MustDate("2023-12-15")},
		{Place: "Sân bóng và chợ phiên", Provider: "Viettel", NetworkName: "DongCam-Cho", Hours: "Cả ngày", Free: true, Since: domain.MustDate("2024-06-01")},
	}
	for _, w := range wifi {
		w.VillageID = villageID
		if _, err := s.WithClock(at(w.Since)).AddWifi(ctx, a, w); err != nil {
			return fmt.Errorf("demo wifi: %w", err)
		}
	}
	equipment := []domain.Equipment{
		{Kind: domain.EquipInternetLine, Quantity: 1, Detail: "Cáp quang VNPT 100 Mbps", Since: domain.MustDate("2023-12-15")},
		{Kind: domain.EquipComputer, Quantity: 2, Detail: "Máy tính để bàn có máy in", Since: domain.MustDate("2024-01-02")},
	}
	for _, e := range equipment {
		e.VillageID = villageID
		if _, err := s.WithClock(at(e.Since)).AddEquipment(ctx, a, e); err != nil {
			return fmt.Errorf("demo equipment: %w", err)
		}
	}
	z := domain.ZaloGroup{VillageID: villageID, Name: "Thôn Đông Căm - Chuyển đổi số", Link: "https://zalo.me/g/dongcam-minhhoa",
		Members: 212, Households: 131, CountedOn: domain.MustDate("2024-10-31"), Since: domain.MustDate("2023-11-20")}
	if _, err := s.WithClock(at(domain.MustDate("2024-10-31"))).AddZaloGroup(ctx, a, z); err != nil {
		return fmt.Errorf("demo zalo: %w", err)
	}
	return nil
}

// loadInfrastructure gives the other smart villages their Wi-Fi points
// and cultural-house equipment: the fast ones a free point, a line and a
// computer in their first year; the slow ones a line, and a computer or a
// Wi-Fi point only in some.
func loadInfrastructure(ctx context.Context, s *store.Store) error {
	a := demoActor()
	for i, v := range Villages[1:] {
		if v.Enrolled.IsZero() {
			continue
		}
		u, err := villageNamed(ctx, s, v)
		if err != nil {
			return err
		}
		_, short := domain.SplitTypeWord(v.Name)
		fast := FastVillage(v)
		start := v.Enrolled.AddDays(30 + 7*i)
		var wifi []domain.WifiPoint
		if fast || i%3 == 0 {
			wifi = append(wifi, domain.WifiPoint{Place: "Nhà văn hoá " + short, Provider: []string{"VNPT", "Viettel"}[i%2], Hours: "6:00–22:00", Free: true, Since: start})
		}
		if fast && i%2 == 0 {
			wifi = append(wifi, domain.WifiPoint{Place: "Sân văn hoá " + short, Provider: "Viettel", Hours: "Cả ngày", Free: true, Since: start.AddDays(90)})
		}
		equipment := []domain.Equipment{{Kind: domain.EquipInternetLine, Quantity: 1, Detail: "Cáp quang", Since: start}}
		if fast || i%4 == 0 {
			equipment = append(equipment, domain.Equipment{Kind: domain.EquipComputer, Quantity: 1, Detail: "Máy tính để bàn", Since: start.AddDays(45)})
		}
		for _, w := range wifi {
			w.VillageID = u.ID
			if _, err := s.WithClock(at(w.Since)).AddWifi(ctx, a, w); err != nil {
				return fmt.Errorf("demo wifi %s: %w", v.Name, err)
			}
		}
		for _, e := range equipment {
			e.VillageID = u.ID
			if _, err := s.WithClock(at(e.Since)).AddEquipment(ctx, a, e); err != nil {
				return fmt.Errorf("demo equipment %s: %w", v.Name, err)
			}
		}
	}
	return nil
}
