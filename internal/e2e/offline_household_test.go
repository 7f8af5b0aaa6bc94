package e2e_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestOfflineHouseholdInChromium: offline, a member adds a household, adds
// a resident to it (named by the household's change, not yet on the
// server) and corrects another household; three changes wait; back
// online they are sent once, in order, and the resident is in the new
// household.
func TestOfflineHouseholdInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	b := registeredPhone(t, chromium, base)
	b.waitText("#ref-asof", "tính đến")
	b.setOffline(true)
	b.setField("#h_number", "HM-E2E")
	b.setField("#h_hamlet", "Xóm Bản Mới")
	if err := b.click("#household-save"); err != nil {
		t.Fatal(err)
	}
	b.wantText("#outbox-status", "1 thay đổi chưa gửi")
	b.wantText("#outbox", "Thêm hộ số HM-E2E")
	// The new household is offered for a resident, marked as not sent.
	b.wantText("#household", "HM-E2E (mới, chưa gửi)")
	eval := func(js string) string {
		t.Helper()
		ctx, cancel := b.step()
		defer cancel()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	eval(`(() => { const s = document.getElementById("household");
		s.value = [...s.options].find(o => o.text.includes("HM-E2E")).value;
		document.getElementById("birth_date").value = "1988-03-08"; return s.value; })()`)
	b.setField("#full_name", "Lường Thị Hộ Mới")
	if err := b.click("#resident-save"); err != nil {
		t.Fatal(err)
	}
	// Another household corrected: its hamlet.
	label := eval(`(() => { const s = document.getElementById("f_pick"); s.selectedIndex = 0;
		s.dispatchEvent(new Event("change")); return s.options[0].text; })()`)
	first := eval(`document.getElementById("f_number").value`)
	// Households are offered as people know them: number and head.
	if first == "" || !strings.HasPrefix(label, first+" — ") || len(label) < len(first)+6 {
		t.Fatalf("household offered as %q (number %q): want «number — head»", label, first)
	}
	b.setField("#f_hamlet", "Xóm Đã Sửa")
	if err := b.click("#household-fix-save"); err != nil {
		t.Fatal(err)
	}
	b.wantText("#outbox-status", "3 thay đổi chưa gửi", "mất mạng")
	b.wantText("#outbox", "Lường Thị Hộ Mới (HM-E2E", "Sửa thông tin hộ số "+first)
	b.screenshot("43-offline-household")

	b.setOffline(false)
	if err := b.click("#send-now"); err != nil {
		t.Fatal(err)
	}
	b.waitText("#outbox-status", "Không có thay đổi")
	// The fresh copy from the server holds the new household and the
	// correction; the new household is no longer marked as not sent.
	b.waitText("#household", "HM-E2E")
	b.wantNoText("#household", "chưa gửi")
	got := eval(`(() => { const r = JSON.parse(localStorage.getItem("thonso.ref")).data.households;
		const n = r.filter(h => h.number === "HM-E2E"), f = r.find(h => h.number === ` + "`" + first + "`" + `);
		return n.length + "|" + (n[0] && n[0].hamlet) + "|" + f.hamlet + "|" + n[0].id; })()`)
	parts := strings.Split(got, "|")
	if len(parts) != 4 || parts[0] != "1" || parts[1] != "Xóm Bản Mới" || parts[2] != "Xóm Đã Sửa" {
		t.Fatalf("households on the server after the sync: %s", got)
	}
	b.open("/households/"+parts[3], http.StatusOK)
	if n := strings.Count(b.mustText("main"), "Lường Thị Hộ Mới"); n != 1 {
		t.Fatalf("the resident added offline to the new household is listed %d times", n)
	}
}
