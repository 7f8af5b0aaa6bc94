package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"thonso/internal/demo"
)

// cutSyncAnswers makes the connection drop after the server has taken a
// sync request and before its answer reaches the phone (DevTools' Fetch
// domain pauses each /api/v1/sync response and fails it): the changes are
// applied, the phone does not know. It returns how many were cut, and a
// function that lets answers through again.
func (b *browser) cutSyncAnswers() (cut *atomic.Int32, restore func()) {
	return b.failSync(fetch.RequestStageResponse)
}

// failSync fails every /api/v1/sync request at stage: before it leaves
// the phone (Request) or after the server answered (Response).
func (b *browser) failSync(stage fetch.RequestStage) (cut *atomic.Int32, restore func()) {
	b.t.Helper()
	cut = &atomic.Int32{}
	evCtx, stop := context.WithCancel(b.ctx)
	events := chromedp.Events(evCtx, fetch.RequestPaused)
	go func() {
		for e, err := range events {
			if err != nil {
				return
			}
			cut.Add(1)
			chromedp.Call(b.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonConnectionReset})
		}
	}()
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/api/v1/sync", RequestStage: stage}}}); err != nil {
		b.t.Fatal(err)
	}
	return cut, func() {
		ctx, cancel := b.step()
		defer cancel()
		if _, err := chromedp.Call(ctx, fetch.Disable, cdp.Empty{}); err != nil {
			b.t.Fatal(err)
		}
		stop()
	}
}

// TestOfflineSyncCutInChromium: the team leader, offline, receives a
// dossier, corrects a resident (a VNeID account opened at the session)
// and logs the session with who came; the sync is cut after the server
// took it; sent again, every change is there exactly once.
func TestOfflineSyncCutInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	b := registeredPhoneOf(t, chromium, base, "totruong.dongcam")
	b.waitText("#ref-asof", "tính đến")
	b.waitText("#s_members", "(minh hoạ)")

	b.setOffline(true)
	b.setField("#applicant_name", "Lò Thị Đứt Mạng")
	if err := b.click("#receive-save"); err != nil {
		t.Fatal(err)
	}
	// A resident found without accents, corrected: VNeID since today.
	b.setField("#ref-q", "lo van")
	if err := b.click("#ref-residents button.correct"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := b.step()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => { const f = document.getElementById("correct-form");
		f.vneid.value = document.getElementById("offline-app").dataset.today; f.vneid_helped.checked = true;
		return [f.resident_id.value, f.full_name.value]; })()`))
	cancel()
	if err != nil || len(got) != 2 || got[0] == "" {
		t.Fatalf("correction form: %q %v", got, err)
	}
	rid, name := got[0], got[1]
	if err := b.click("#correct-save"); err != nil {
		t.Fatal(err)
	}
	b.setField("#s_helped", "7")
	b.setField("#s_notes", "Trực tối, mất sóng từ 19 giờ")
	if err := b.click("#s_members input[name=member]"); err != nil {
		t.Fatal(err)
	}
	if err := b.click("#session-save"); err != nil {
		t.Fatal(err)
	}
	b.wantText("#outbox-status", "3 thay đổi chưa gửi")
	b.wantText("#outbox", "Lò Thị Đứt Mạng", "Sửa thông tin: "+name, "7 người dân được hỗ trợ")
	b.screenshot("41-offline-outbox")

	// The network returns but the answer is lost on the way back.
	cut, restore := b.cutSyncAnswers()
	b.setOffline(false)
	if err := b.click("#send-now"); err != nil {
		t.Fatal(err)
	}
	for i := 0; cut.Load() == 0 && i < 100; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if cut.Load() == 0 {
		t.Fatal("the sync was never cut")
	}
	b.waitText("#outbox-status", "3 thay đổi chưa gửi")
	restore()
	if err := b.click("#send-now"); err != nil {
		t.Fatal(err)
	}
	b.waitText("#outbox-status", "Không có thay đổi")

	b.open("/villages/T000001/dossiers", http.StatusOK)
	if n := strings.Count(b.mustText("main"), "Lò Thị Đứt Mạng"); n != 1 {
		t.Fatalf("the dossier is listed %d times after a cut sync", n)
	}
	b.open("/residents/"+rid, http.StatusOK)
	b.wantText("main", "VNeID mức 2", "tổ CNS hỗ trợ")
	b.open("/units/T000001", http.StatusOK)
	b.submit("#teams a", http.StatusOK)
	b.waitText("#log-list", "Trực tối, mất sóng từ 19 giờ")
	if n := strings.Count(b.mustText("#log-list"), "Trực tối, mất sóng từ 19 giờ"); n != 1 {
		t.Fatalf("the session is logged %d times", n)
	}
}

// TestOfflineConflictInChromium: the member takes a step offline; the
// leader takes the same dossier's step on the office computer first. On
// sync the member is told it moved on and to which step, discards, and
// takes the next step from the fresh list: applied.
func TestOfflineConflictInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	b := registeredPhone(t, chromium, base)
	b.setField("#applicant_name", "Lò Văn Tranh Chấp")
	if err := b.click("#receive-save"); err != nil {
		t.Fatal(err)
	}
	b.waitText("#outbox-status", "Không có thay đổi")
	b.waitText("#ref-queue", "Lò Văn Tranh Chấp")

	b.setOffline(true)
	b.setField("#ref-queue input.portal-code", "G01.DVC-261201-0002")
	if err := b.click("#ref-queue button.step[data-action=submit]"); err != nil {
		t.Fatal(err)
	}
	b.wantText("#outbox-status", "1 thay đổi chưa gửi")

	// Meanwhile the leader submits it from the commune's computer.
	l := newBrowser(t, chromium, base)
	l.open("/login?next=%2Fvillages%2FT000001%2Fdossiers", http.StatusOK)
	l.setField("#login", "totruong.dongcam")
	l.setField("#password", demo.Password)
	l.submit("#login-submit", http.StatusOK)
	l.open(dossierLink(t, l, "Lò Văn Tranh Chấp"), http.StatusOK)
	if err := l.selectValue("#action", "submit"); err != nil {
		t.Fatal(err)
	}
	l.setField("#portal_code", "G01.DVC-261201-0003")
	l.submit("#step-submit", http.StatusOK)
	l.wantText("#dossier-state", "2. Đã nộp trực tuyến")

	b.setOffline(false)
	if err := b.click("#send-now"); err != nil {
		t.Fatal(err)
	}
	b.waitText("#outbox li.err", "đã được người khác chuyển sang bước 2")
	b.screenshot("42-offline-conflict")
	if err := b.click("#outbox button"); err != nil {
		t.Fatal(err)
	}
	b.wantText("#outbox-status", "Không có thay đổi")
	// The fresh list offers the next step; taken online, it is applied.
	b.waitText("#ref-queue", "2. ")
	if err := b.click("#ref-queue button.step[data-action=accept]"); err != nil {
		t.Fatal(err)
	}
	b.waitText("#outbox-status", "Không có thay đổi")
	// Sent back for a missing paper: not kept without the reason.
	b.waitText("#ref-queue", "3. ")
	if err := b.click("#ref-queue button.step[data-action=request_correction]"); err != nil {
		t.Fatal(err)
	}
	b.wantText("#outbox-status", "Không có thay đổi")
	b.setField("#ref-queue input.step-note[data-action=request_correction]", "Thiếu bản sao sổ hộ khẩu")
	if err := b.click("#ref-queue button.step[data-action=request_correction]"); err != nil {
		t.Fatal(err)
	}
	b.waitText("#outbox-status", "Không có thay đổi")
	l.open(l.path(), http.StatusOK)
	l.wantText("#dossier-state", "3. Yêu cầu bổ sung")
	l.wantText("main", "G01.DVC-261201-0003", "Thiếu bản sao sổ hộ khẩu")
}

// dossierLink finds the link of the dossier of applicant in the list on
// the page.
func dossierLink(t *testing.T, b *browser, applicant string) string {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	js := `(() => { for (const a of document.querySelectorAll("main a[href^='/dossiers/']")) { if (a.closest("tr, li") && a.closest("tr, li").textContent.includes(` +
		jsString(applicant) + `)) return a.getAttribute("href"); } return ""; })()`
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil || href == "" {
		t.Fatalf("no link to %s's dossier: %v", applicant, err)
	}
	if _, err := strconv.Atoi(strings.TrimPrefix(href, "/dossiers/")); err != nil {
		t.Fatalf("dossier link %q", href)
	}
	return href
}

// TestOfflineOutboxWaitsForItsAuthor: a dossier received offline is still
// unsent when the member logs out; another user logging in on the phone
// neither sees nor sends it; when the member logs in again it is sent, once.
func TestOfflineOutboxWaitsForItsAuthor(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	b := registeredPhone(t, chromium, base)
	_, unblock := b.failSync(fetch.RequestStageRequest) // no signal for the sync
	b.setField("#applicant_name", "Lò Thị Chờ Gửi")
	if err := b.click("#receive-save"); err != nil {
		t.Fatal(err)
	}
	b.wantText("#outbox-status", "1 thay đổi chưa gửi")
	b.submit("#logout", http.StatusOK)

	login := func(who string) {
		b.open("/login?next=%2Foffline", http.StatusOK)
		b.setField("#login", who)
		b.setField("#password", demo.Password)
		b.submit("#login-submit", http.StatusOK)
	}
	login("totruong.dongcam")
	b.wantNoText("main", "Lò Thị Chờ Gửi")
	b.wantVisible("#register")
	b.submit("#logout", http.StatusOK)

	unblock()
	login("thanhvien.dongcam")
	b.waitText("#outbox-status", "Không có thay đổi")
	b.open("/villages/T000001/dossiers", http.StatusOK)
	if n := strings.Count(b.mustText("main"), "Lò Thị Chờ Gửi"); n != 1 {
		t.Fatalf("the dossier kept over a logout is listed %d times", n)
	}
}
