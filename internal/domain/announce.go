package domain

import (
	"fmt"
	"strings"
	"time"
)

// weekdayVI names weekdays as Vietnamese notices write them.
var weekdayVI = map[time.Weekday]string{time.Monday: "thứ Hai", time.Tuesday: "thứ Ba", time.Wednesday: "thứ Tư",
	time.Thursday: "thứ Năm", time.Friday: "thứ Sáu", time.Saturday: "thứ Bảy", time.Sunday: "Chủ nhật"}

// spoken writes a time as a loudspeaker reads it: "19 giờ 30", "21 giờ".
func spoken(m int) string {
	m %= 24 * 60
	if m%60 == 0 {
		return fmt.Sprintf("%d giờ", m/60)
	}
	return fmt.Sprintf("%d giờ %d", m/60, m%60)
}

// scheduleGroups joins slots that share a time and place: "thứ Hai, thứ Tư,
// thứ Sáu" 19:30–21:00 at the cultural house.
func scheduleGroups(slots []Slot) [][]Slot {
	var groups [][]Slot
	for _, s := range slots {
		placed := false
		for i, g := range groups {
			if g[0].Start == s.Start && g[0].End == s.End && g[0].Place == s.Place && g[0].EveryWeeks == s.EveryWeeks {
				groups[i], placed = append(g, s), true
				break
			}
		}
		if !placed {
			groups = append(groups, []Slot{s})
		}
	}
	return groups
}

func days(g []Slot) string {
	var ds []string
	for _, s := range g {
		ds = append(ds, weekdayVI[s.Weekday])
	}
	return strings.Join(ds, ", ")
}

// Announcement texts built from a team's data: one to paste in the
// village Zalo group, one short to read on the loudspeaker. Only phones
// their owners agreed to publish are named.
func Announcement(team Team, members []Member, slots []Slot, next *Occurrence) (zalo, loudspeaker string) {
	var z, l strings.Builder
	fmt.Fprintf(&z, "THÔNG BÁO CỦA %s\n", strings.ToUpper(team.Name))
	z.WriteString("Tổ trực hướng dẫn bà con nộp hồ sơ dịch vụ công trực tuyến, kích hoạt tài khoản định danh điện tử (VNeID), thanh toán không dùng tiền mặt:\n")
	fmt.Fprintf(&l, "Thông báo của %s. Tổ trực hướng dẫn bà con làm thủ tục hành chính trên điện thoại", strings.ToLower(team.Name[:1])+team.Name[1:])
	for i, g := range scheduleGroups(slots) {
		every := ""
		if g[0].EveryWeeks > 1 {
			every = fmt.Sprintf(" (%d tuần một lần)", g[0].EveryWeeks)
		}
		place := ""
		if g[0].Place != "" {
			place = " tại " + g[0].Place
		}
		fmt.Fprintf(&z, "- %s: %s–%s%s%s\n", upperFirst(days(g)), Clock(g[0].Start), Clock(g[0].End), place, every)
		sep := ", vào"
		if i > 0 {
			sep = "; và"
		}
		fmt.Fprintf(&l, "%s %s hằng tuần, từ %s đến %s%s", sep, days(g), spoken(g[0].Start), spoken(g[0].End), place)
	}
	l.WriteString(".")
	if next != nil {
		v := next.Start.In(Vietnam())
		fmt.Fprintf(&z, "Buổi trực tới: %s %s lúc %s.\n", weekdayVI[v.Weekday()], v.Format("02/01/2006"), v.Format("15:04"))
		fmt.Fprintf(&l, " Buổi trực tới vào %s ngày %d tháng %d.", weekdayVI[v.Weekday()], v.Day(), int(v.Month()))
	}
	var contacts []string
	for _, m := range members {
		if p := m.PublicPhone(); p != "" {
			contacts = append(contacts, m.FullName+" "+p)
		}
	}
	if len(contacts) > 0 {
		fmt.Fprintf(&z, "Liên hệ: %s.\n", strings.Join(contacts, "; "))
	}
	z.WriteString("Bà con nhớ mang theo căn cước công dân và điện thoại. Tổ không bao giờ hỏi mật khẩu hay mã OTP của bà con.")
	l.WriteString(" Bà con nhớ mang theo căn cước công dân và điện thoại. Xin trân trọng thông báo.")
	return z.String(), l.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}
