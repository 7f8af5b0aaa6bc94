package e2e_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"thonso/internal/demo"
)

// setOffline switches the page's network off or on through DevTools:
// requests fail and navigator.onLine follows.
func (b *browser) setOffline(off bool) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		b.t.Fatal(err)
	}
	conds := []*network.Conditions{}
	if off {
		conds = append(conds, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds}); err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		b.t.Fatal(err)
	}
}

// TestOfflineReceptionInChromium: a member registers the phone, loses the
// network, receives a dossier (counted as not sent, with its lookup code),
// gets the network back, sends it — and it is stored exactly once, even
// when the send is repeated.
func TestOfflineReceptionInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	b := registeredPhone(t, chromium, base)
	b.wantText("#outbox-status", "Không có thay đổi")
	b.waitText("#ref-asof", "tính đến")
	b.wantText("#ref-sessions", "Nhà văn hoá", "19:30–21:00") // the commune's time, whatever the phone's zone

	b.setOffline(true)
	// Offline, the chosen procedure's papers are listed from the catalogue.
	if b.count("#proc-docs li") == 0 {
		t.Fatal("no papers listed for the procedure offline")
	}
	// Offline, the village's residents are found without accents.
	b.setField("#ref-q", "lo van")
	b.wantText("#ref-residents", "Lò Văn")
	b.setField("#applicant_name", "Lò Thị Mất Mạng")
	if err := b.click("#receive-save"); err != nil {
		t.Fatal(err)
	}
	b.wantText("#outbox-status", "1 thay đổi chưa gửi", "mất mạng")
	code := b.mustText("#receipt")
	b.screenshot("40-offline")
	// Its receipt slip, made on the phone, prints alone: code, applicant,
	// date dd/mm/yyyy, the papers to bring, signatures.
	slipCode := b.mustText("#slip-code")
	if !strings.Contains(code, slipCode) || len(slipCode) != 11 {
		t.Fatalf("slip code %q, receipt %q", slipCode, code)
	}
	b.wantText("#offline-slip", "Lò Thị Mất Mạng", "/tra-cuu?ma="+slipCode)
	b.wantMatchDate("#slip-on")
	if b.count("#slip-docs li") == 0 {
		t.Fatal("the slip lists no papers")
	}
	printed := b.printedText()
	for _, want := range []string{"PHIẾU TIẾP NHẬN", slipCode, "Lò Thị Mất Mạng", "Người nộp hồ sơ"} {
		if !strings.Contains(printed, want) {
			t.Fatalf("printed slip lacks %q:\n%s", want, printed)
		}
	}
	if strings.Contains(printed, "Thêm hộ mới") || strings.Contains(printed, "Gửi ngay") {
		t.Fatalf("the printed slip carries the page's forms:\n%s", printed)
	}
	if err := b.click("#send-now"); err != nil { // still offline: kept
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	b.wantText("#outbox-status", "1 thay đổi chưa gửi")

	b.setOffline(false)
	if err := b.click("#send-now"); err != nil {
		t.Fatal(err)
	}
	b.waitText("#outbox-status", "Không có thay đổi")
	// A step taken offline on a dossier of the queue: sent with its version.
	b.waitText("#ref-queue", "Lò Thị Mất Mạng")
	if b.count("#ref-queue button.step") == 0 {
		t.Fatal("no step offered on the phone")
	}
	// The same step twice while offline (as two phones would): the first
	// is applied, the second refused as stale, shown, then discarded.
	b.setOffline(true)
	b.setField("#ref-queue input.portal-code", "G01.DVC-261201-0001")
	for i := 0; i < 2; i++ {
		if err := b.click("#ref-queue button.step"); err != nil {
			t.Fatal(err)
		}
	}
	b.wantText("#outbox-status", "2 thay đổi chưa gửi")
	b.setOffline(false)
	if err := b.click("#send-now"); err != nil {
		t.Fatal(err)
	}
	b.waitText("#outbox-status", "1 thay đổi chưa gửi")
	b.waitText("#outbox li.err", "")
	if err := b.click("#outbox button"); err != nil {
		t.Fatal(err)
	}
	b.wantText("#outbox-status", "Không có thay đổi")
	// A newborn added to a household while offline, then sent.
	b.setOffline(true)
	b.setField("#full_name", "Lò Văn Mới Sinh")
	ctx, cancel := b.step()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.getElementById("birth_date").value = "2026-11-20"; return true; })()`))
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.click("#resident-save"); err != nil {
		t.Fatal(err)
	}
	b.wantText("#outbox-status", "1 thay đổi chưa gửi")
	b.setOffline(false)
	if err := b.click("#send-now"); err != nil {
		t.Fatal(err)
	}
	b.waitText("#outbox-status", "Không có thay đổi")
	b.open("/villages/T000001/residents?q=moi+sinh", http.StatusOK)
	if n := strings.Count(b.mustText("main"), "Lò Văn Mới Sinh"); n != 1 {
		t.Fatalf("the resident added offline is listed %d times", n)
	}
	// Stored once: the village's queue lists it once.
	b.open("/villages/T000001/dossiers", http.StatusOK)
	if n := strings.Count(b.mustText("main"), "Lò Thị Mất Mạng"); n != 1 {
		t.Fatalf("the offline dossier is listed %d times (receipt %q)", n, code)
	}
}

// TestOfflineRefusalInChromium: a change the server refuses (a retired
// procedure code typed into the outbox) stays on the phone with the
// server's reason until its author discards it.
func TestOfflineRefusalInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	b := registeredPhone(t, chromium, base)
	b.setOffline(true)
	// A procedure the catalogue does not have (as if retired meanwhile).
	ctx, cancel := b.step()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const o = document.createElement("option"); o.value = "9.999999"; o.text = "Thủ tục đã bỏ";
		const s = document.getElementById("procedure"); s.appendChild(o); s.value = "9.999999"; return true; })()`))
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	b.setField("#applicant_name", "Lò Văn Bị Từ Chối")
	if err := b.click("#receive-save"); err != nil {
		t.Fatal(err)
	}
	b.setOffline(false)
	if err := b.click("#send-now"); err != nil {
		t.Fatal(err)
	}
	b.waitText("#outbox", "Không có thủ tục mã 9.999999 trong danh mục")
	b.wantText("#outbox-status", "1 thay đổi chưa gửi")
	if err := b.click("#outbox button"); err != nil {
		t.Fatal(err)
	}
	b.wantText("#outbox-status", "Không có thay đổi")
}

// waitText waits up to 10 s for sel to hold want (the page's script works
// in the background).
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, _ := b.text(sel)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: want text containing %q, found %q", sel, want, got)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// registeredPhone is Đông Căm's member on /offline with this browser
// registered as her phone.
func registeredPhone(t *testing.T, chromium, base string) *browser {
	return registeredPhoneOf(t, chromium, base, "thanhvien.dongcam")
}

// registeredPhoneOf is login's /offline with this browser registered as
// their phone.
func registeredPhoneOf(t *testing.T, chromium, base, login string) *browser {
	b := newBrowser(t, chromium, base)
	b.open("/login?next=%2Foffline", http.StatusOK)
	b.setField("#login", login)
	b.setField("#password", demo.Password)
	b.submit("#login-submit", http.StatusOK)
	b.setField("#name", "Điện thoại của Hoa")
	b.submit("#register-submit", http.StatusOK)
	return b
}
