package e2e_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"thonso/internal/demo"
)

// TestTeamScheduleInChromium: the team leader adds a member, adds a slot,
// cancels the date of the next session and sees the next session move.
func TestTeamScheduleInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	b := newBrowser(t, chromium, base)

	b.open("/login?next=%2Funits%2FT000001", http.StatusOK)
	b.setField("#login", "totruong.dongcam")
	b.setField("#password", demo.Password)
	b.submit("#login-submit", http.StatusOK)
	b.submit("#teams a", http.StatusOK)
	b.wantText("#team-name", "Tổ công nghệ số thôn Đông Căm")
	b.wantText("#slots", "Thứ Hai 19:30–21:00", "Thứ Tư", "Thứ Sáu")

	// Add a member.
	b.setField("#full_name", "Triệu Thị Mẩy")
	b.setField("#phone", "0399 996 500")
	b.setField("#joined_on", "01/11/2026")
	b.submit("#member-add", http.StatusOK)
	b.wantText("#team-members", "Triệu Thị Mẩy")

	// A bad slot comes back with the message beside the field.
	b.setField("#start", "21:00")
	b.setField("#end", "19:00")
	b.submit("#slot-add", http.StatusUnprocessableEntity)
	b.wantText("#slot-form", "Hãy chọn thứ trong tuần")

	// Cancel the next session's date: the next session moves.
	before := b.mustText("#next-session")
	date := regexp.MustCompile(`\d{2}/\d{2}/\d{4}`).FindString(before)
	if date == "" {
		t.Fatalf("no date in the next session: %q", before)
	}
	b.setField("#on", date)
	b.setField("#reason", "Họp thôn")
	b.submit("#exception-add", http.StatusOK)
	after := b.mustText("#next-session")
	if strings.Contains(after, date) {
		t.Fatalf("next session still on %s after cancelling it: %q", date, after)
	}
	b.screenshot("12-team")

	// Open the demo's hands-on training and name one more resident found
	// without typing accents.
	b.submit("#training-list a", http.StatusOK)
	b.wantText("#training-facts", "cầm tay chỉ việc", "người có tên trong sổ")
	b.setField("#q", "thi")
	b.submit("#trainee-search-submit", http.StatusOK)
	who := strings.TrimSpace(strings.SplitN(b.mustText("#trainee-add-form label"), "sinh năm", 2)[0])
	b.wantNoText("#trainee-list", who)
	if err := b.click("#trainee-add-form input[type=checkbox]"); err != nil {
		t.Fatal(err)
	}
	b.submit("#trainee-add", http.StatusOK)
	b.wantText("#trainee-list", who)
	b.screenshot("13-training")
}

// click clicks the first element matching sel without waiting for a page.
func (b *browser) click(sel string) error {
	ctx, cancel := b.step()
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Click(chromedp.CSS(sel)))
	return err
}
