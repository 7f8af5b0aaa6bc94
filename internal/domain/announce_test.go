package domain

import (
	"strings"
	"testing"
	"time"
)

func TestAnnouncement(t *testing.T) {
	team := Team{Name: "Tổ công nghệ số thôn Đông Căm"}
	var slots []Slot
	for _, wd := range []time.Weekday{time.Monday, time.Wednesday, time.Friday} {
		slots = append(slots, Slot{Weekday: wd, Start: 19*60 + 30, End: 21 * 60, Place: "nhà văn hoá thôn"})
	}
	members := []Member{
		{FullName: "Ma Thị Vân", Phone: "0399995001", PhonePublic: true, ConsentOn: MustDate("2024-01-02")},
		{FullName: "Người Không Đồng Ý", Phone: "0399995009"},
	}
	next := &Occurrence{Start: time.Date(2026, 11, 30, 19, 30, 0, 0, Vietnam())}
	zalo, loa := Announcement(team, members, slots, next)
	for _, want := range []string{"THÔNG BÁO CỦA TỔ CÔNG NGHỆ SỐ THÔN ĐÔNG CĂM", "- Thứ Hai, thứ Tư, thứ Sáu: 19:30–21:00 tại nhà văn hoá thôn",
		"Buổi trực tới: thứ Hai 30/11/2026 lúc 19:30.", "Ma Thị Vân 0399995001", "không bao giờ hỏi mật khẩu"} {
		if !strings.Contains(zalo, want) {
			t.Errorf("Zalo text lacks %q:\n%s", want, zalo)
		}
	}
	if strings.Contains(zalo, "0399995009") || strings.Contains(loa, "0399995009") {
		t.Fatal("a phone without consent was announced")
	}
	for _, want := range []string{"vào thứ Hai, thứ Tư, thứ Sáu hằng tuần, từ 19 giờ 30 đến 21 giờ", "Buổi trực tới vào thứ Hai ngày 30 tháng 11.", "Xin trân trọng thông báo."} {
		if !strings.Contains(loa, want) {
			t.Errorf("loudspeaker text lacks %q:\n%s", want, loa)
		}
	}
}
