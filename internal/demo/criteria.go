package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// BaoThangSetName is the seeded criteria set's name.
const BaoThangSetName = "Bộ tiêu chí thôn chuyển đổi số thông minh huyện Bảo Thắng giai đoạn 2024–2025"

// BaoThangSet is the criteria set of the report: 4 groups, 16 indicators.
// (R) indicators are named in the report and mandatory; (A) ones are
// assumed from other provinces' published sets, marked Assumed and said
// so in the description — never presented as the report's.
func BaoThangSet(ownerID int64) domain.CriteriaSet {
	pct := func(min float64) domain.Target { return domain.Target{Type: domain.TargetMinPercent, Min: min} }
	atLeast := func(n float64) domain.Target { return domain.Target{Type: domain.TargetMinCount, Min: n} }
	exists := domain.Target{Type: domain.TargetExists}
	rng := domain.Target{Type: domain.TargetRange, Min: 1, Max: 2}
	c := func(code, group, name, expl string, t domain.Target, comp string, param int, r bool) domain.Indicator {
		in := domain.Indicator{Code: code, Group: group, Name: name, Explanation: expl, Target: t, Mandatory: r, Assumed: !r,
			Source: domain.SourceComputed, Computation: comp, Param: param}
		if comp == "" {
			in.Source = domain.SourceEntered
		}
		return in
	}
	return domain.CriteriaSet{
		OwnerID: ownerID, Name: BaoThangSetName,
		Description: "4 nhóm, 16 chỉ tiêu. Các chỉ tiêu 4, 6, 9, 10, 14, 15, 16 và mức bao phủ của chỉ tiêu 12 là giả định theo bộ tiêu chí đã công bố của các tỉnh khác, không lấy từ báo cáo của huyện; chỉ tiêu bắt buộc là các chỉ tiêu báo cáo nêu.",
		From:        domain.MustDate("2024-01-01"), To: domain.MustDate("2025-12-31"), Rule: domain.PassAllMandatory,
		Groups: []domain.CriteriaGroup{{Code: "ha_tang_so", Name: "Hạ tầng số"}, {Code: "chinh_quyen_so", Name: "Chính quyền số"},
			{Code: "kinh_te_so", Name: "Kinh tế số"}, {Code: "xa_hoi_so", Name: "Xã hội số"}},
		Indicators: []domain.Indicator{
			c("1", "ha_tang_so", "Tỷ lệ người trưởng thành có điện thoại thông minh", "Người từ 18 tuổi đang sống ở thôn có điện thoại thông minh.", pct(95), "smartphone_rate_18", 0, true),
			c("2", "ha_tang_so", "Thôn có từ 1 đến 2 điểm lắp đặt Wi-Fi miễn phí", "Điểm Wi-Fi công cộng miễn phí đang hoạt động.", rng, "free_wifi_points", 0, true),
			c("3", "ha_tang_so", "Nhà văn hoá thôn có máy tính và đường truyền phục vụ dịch vụ công trực tuyến", "Hoặc trung tâm học tập cộng đồng.", exists, "cultural_house_equipped", 0, true),
			c("4", "ha_tang_so", "Tỷ lệ hộ gia đình có internet băng rộng (cáp quang hoặc 4G)", "Giả định theo bộ tiêu chí các tỉnh khác.", pct(80), "", 0, false),
			c("5", "chinh_quyen_so", "Thôn lựa chọn 1–2 thủ tục hành chính toàn trình để hướng dẫn người dân nộp tại thôn", "", rng, "featured_procedures", 0, true),
			c("6", "chinh_quyen_so", "Tỷ lệ người dân từ 14 tuổi có tài khoản dịch vụ công", "Báo cáo nêu 90% là mục tiêu riêng của thôn Đông Căm; là chỉ tiêu của bộ thì giả định.", pct(90), "account_rate_14", 0, false),
			c("7", "chinh_quyen_so", "Tổ công nghệ số hoạt động: có lịch trực, số điện thoại công khai, có hồ sơ hỗ trợ người dân trong kỳ", "", exists, "team_active", 3, true),
			c("8", "kinh_te_so", "Tỷ lệ hộ gia đình có tài khoản ngân hàng để thanh toán không dùng tiền mặt", "Hộ có tài khoản, hoặc có thành viên đang sống ở hộ có tài khoản.", pct(90), "bank_rate_households", 0, true),
			c("9", "kinh_te_so", "Tỷ lệ cửa hàng trong thôn chấp nhận thanh toán bằng mã QR", "Giả định theo bộ tiêu chí các tỉnh khác.", pct(50), "", 0, false),
			c("10", "kinh_te_so", "Có ít nhất một sản phẩm địa phương bán trên sàn thương mại điện tử", "Giả định theo bộ tiêu chí các tỉnh khác.", atLeast(1), "", 0, false),
			c("11", "xa_hoi_so", "Thôn có mã QR giới thiệu về thôn", "Trang thông tin của thôn (/v/…) và mã QR dẫn tới trang, có tổ công nghệ số.", exists, "village_page_published", 0, true),
			c("12", "xa_hoi_so", "Nhóm Zalo của cán bộ thôn và đại diện hộ gia đình, bao phủ từ 90% số hộ", "Nhóm Zalo do báo cáo nêu; mức 90% là giả định.", pct(90), "zalo_rate_households", 0, true),
			c("13", "xa_hoi_so", "Tổ chức tập huấn cầm tay chỉ việc cho thành viên tổ công nghệ số", "", atLeast(1), "hands_on_trainings", 0, true),
			c("14", "xa_hoi_so", "Tỷ lệ người trong độ tuổi lao động được tập huấn kỹ năng số cơ bản", "Từ 15 đến 60 tuổi, có tên trong danh sách tập huấn. Giả định.", pct(70), "trained_rate_working_age", 0, false),
			c("15", "xa_hoi_so", "Thông tin về chuyển đổi số trên loa truyền thanh hoặc nhóm Zalo ít nhất 2 lần/tháng", "Trong 30 ngày tính đến ngày đánh giá. Giả định.", atLeast(2), "announcements_month", 0, false),
			c("16", "xa_hoi_so", "Tổ công nghệ số thành lập theo quyết định, có từ 5 thành viên", "Giả định theo bộ tiêu chí các tỉnh khác.", atLeast(5), "team_by_decision", 0, false),
		},
	}
}

// Assessment dates of the demo.
var AssessmentDates = []domain.Date{domain.MustDate("2024-12-31"), domain.MustDate("2025-12-31")}

// loadCriteria seeds Bảo Thắng's set (in force) and assesses the 20
// villages at the end of 2024 and of 2025: the team enters what is not
// computed, the commune verifies, the owner approves and recognises the
// villages that pass.
func loadCriteria(ctx context.Context, s *store.Store) error {
	bt, err := s.UnitAt(ctx, "086", ReportDate)
	if err != nil {
		return err
	}
	clock := s.WithClock(at(domain.MustDate("2024-03-01")))
	cs, err := clock.CreateSet(ctx, demoActor(), BaoThangSet(bt.ID))
	if err != nil {
		return fmt.Errorf("demo criteria: %w", err)
	}
	if err := clock.SetStatus(ctx, demoActor(), cs.ID, domain.SetInForce); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2024, 16))
	decision := 100
	for _, when := range AssessmentDates {
		var loads []store.AssessmentLoad
		for _, v := range Villages {
			if v.Enrolled.IsZero() {
				continue
			}
			u, err := villageNamed(ctx, s, v)
			if err != nil {
				return err
			}
			l := store.AssessmentLoad{VillageID: u.ID, At: when, Entered: map[string]float64{}, Note: "Số liệu tổ công nghệ số thôn báo cáo (minh hoạ)"}
			for _, in := range cs.Indicators {
				if in.Source == domain.SourceEntered {
					l.Entered[in.Code] = enteredValue(in, FastVillage(v), rng)
				}
			}
			decision++
			l.DecisionNo, l.DecisionDate = fmt.Sprintf("%d/QĐ-UBND", decision), when.AddDays(15)
			loads = append(loads, l)
		}
		if _, err := s.WithClock(at(when.AddDays(20))).LoadAssessments(ctx, demoActor(), loads); err != nil {
			return fmt.Errorf("demo assessments: %w", err)
		}
	}
	return nil
}

// enteredValue is what a team reports for an entered indicator: mostly
// met in villages doing well, often not elsewhere.
func enteredValue(in domain.Indicator, good bool, rng *rand.Rand) float64 {
	ok := rng.Float64() < 0.9
	if !good {
		ok = rng.Float64() < 0.5
	}
	switch in.Target.Type {
	case domain.TargetExists:
		if ok {
			return 1
		}
		return 0
	case domain.TargetRange:
		if ok {
			return float64(1 + rng.IntN(2))
		}
		return 0
	case domain.TargetMinPercent:
		if ok {
			return in.Target.Min + float64(rng.IntN(int(101-in.Target.Min)))
		}
		return float64(rng.IntN(int(in.Target.Min)))
	default:
		if ok {
			return in.Target.Min + float64(rng.IntN(3))
		}
		return 0
	}
}
