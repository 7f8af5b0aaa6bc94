// Package e2e_test drives the real app in a real browser (Debian's chromium)
// through the unit browser's main paths: search without diacritics, the
// language switch, and the date picker across the 01/07/2025 reorganisation.
//
// The test starts "thonso serve --demo" in-process on a free port and a
// headless chromium with a fresh profile. Without chromium it skips, except
// when THONSO_CI is set, where it fails. With THONSO_SCREENSHOTS=DIR it
// writes screenshots of the main pages to DIR.
package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"thonso/internal/cli"
)

func TestUnitBrowserInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startApp(t)
	b := newBrowser(t, chromium, base)

	// Home page: Vietnamese, as-of date in the header.
	b.open("/", http.StatusOK)
	b.wantAttr("html", "lang", "vi")
	b.wantText("#asof", "Tính đến ngày ")
	b.wantMatchDate("#asof")
	b.screenshot("01-home")

	// Search without diacritics finds the accented name.
	b.setField("#q", "gia phu")
	b.submit("form.search button[type=submit]", http.StatusOK)
	b.wantText("#results", "Xã Gia Phú")
	b.screenshot("02-search-gia-phu")

	// English, remembered across a fresh visit, then back to Vietnamese.
	b.submit("#lang-switch", http.StatusOK)
	b.wantAttr("html", "lang", "en")
	b.wantText("label[for=at]", "View as of")
	b.wantText("#results", "Xã Gia Phú") // the switch comes back to the same search
	b.screenshot("02b-search-gia-phu-en")
	b.open("/", http.StatusOK)
	b.wantAttr("html", "lang", "en")
	b.wantText("label[for=at]", "View as of")
	b.wantText("#asof", "As of ")
	b.submit("#lang-switch", http.StatusOK)
	b.wantAttr("html", "lang", "vi")
	b.wantText("label[for=at]", "Xem theo ngày")

	// Huyện Bảo Thắng before the reorganisation, then gone on 01/07/2025.
	b.open("/units/086?at=2024-10-31", http.StatusOK)
	b.wantExact("#unit-name", "Huyện Bảo Thắng")
	b.wantText("#children", "Xã Gia Phú", "Xã Xuân Giao")
	b.setDate("01/07/2025", http.StatusNotFound)
	b.wantText("#error", "Không tìm thấy", "01/07/2025")
	b.wantText("#nearest", "30/06/2025")
	b.wantAbsent("#unit-name")
	b.screenshot("03-bao-thang-2025-07-01-not-found")
	// The nearest date is a link back to the district as it last was.
	b.submit("#nearest a", http.StatusOK)
	b.wantExact("#unit-name", "Huyện Bảo Thắng")

	// Old Xã Gia Phú (in Huyện Bảo Thắng) becomes the new Xã Gia Phú, same
	// code 02923, directly under the province, with Xuân Giao's villages.
	b.open("/units/02923?at=2024-10-31", http.StatusOK)
	b.wantExact("#unit-name", "Xã Gia Phú")
	b.wantText("nav.crumbs", "Huyện Bảo Thắng")
	b.setDate("01/07/2025", http.StatusOK)
	b.wantExact("#unit-name", "Xã Gia Phú")
	b.wantText("nav.crumbs", "Tỉnh Lào Cai")
	b.wantNoText("nav.crumbs", "Huyện Bảo Thắng")
	b.wantText("#children", "Thôn Đông Căm", "Thôn Bầu 1")
	b.wantValue("#at", "01/07/2025")
	b.screenshot("04-gia-phu-2025-07-01")

	// The page fits a 360 px phone: no horizontal scroll.
	b.noHorizontalScroll(360, 740)

	// The day before, the same code is the old commune, in the district.
	b.setDate("30/06/2025", http.StatusOK)
	b.wantExact("#unit-name", "Xã Gia Phú")
	b.wantText("nav.crumbs", "Tỉnh Lào Cai", "Huyện Bảo Thắng")
}

// ---- the app ----

// syncBuffer is a bytes.Buffer that the server goroutine and the test can
// share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// startApp runs "thonso serve --demo" on a fresh SQLite database and a free
// port, and returns its base URL. Cleanup stops it and waits for it.
func startApp(t *testing.T) string {
	t.Helper()
	db := "sqlite:" + filepath.Join(t.TempDir(), "e2e.db")
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- cli.RunWith(ctx, []string{"serve", "--demo", "--db", db, "--addr", "127.0.0.1:0"},
			strings.NewReader(""), &stdout, &stderr,
			cli.Options{Ready: func(addr string) { ready <- addr }})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case status := <-done:
			if status != 0 {
				t.Errorf("thonso serve exited with status %d\nstdout:\n%s\nstderr:\n%s", status, stdout.String(), stderr.String())
			}
		case <-time.After(15 * time.Second):
			t.Errorf("thonso serve did not stop within 15s of its context's cancel")
		}
		if t.Failed() {
			t.Logf("server stderr:\n%s", stderr.String())
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr
	case status := <-done:
		t.Fatalf("thonso serve exited with status %d before listening\nstdout:\n%s\nstderr:\n%s", status, stdout.String(), stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("thonso serve did not listen within 30s\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
	return ""
}

// ---- the browser ----

// findChromium returns the chromium binary, or skips (fails under CI).
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("THONSO_CI") != "" {
		t.Fatal("chromium not installed, and THONSO_CI is set so the browser test must run: apt-get install chromium")
	}
	t.Skip("chromium not installed: apt-get install chromium")
	return ""
}

// browser is one headless chromium tab on the app, with the test's
// assertions.
type browser struct {
	t      *testing.T
	ctx    context.Context
	base   string
	shots  string // THONSO_SCREENSHOTS, or "" for none
	prints int    // PDFs written to shots so far
}

// newBrowser starts a headless chromium with a fresh profile, a phone-sized
// window and a Vietnamese locale (a Vietnamese user's browser; the app picks
// the language from Accept-Language until the user chooses one).
func newBrowser(t *testing.T, path, base string) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844),
	}
	timeout, cancelTimeout := context.WithTimeout(context.Background(), 90*time.Second)
	actx, cancelAlloc := chromedp.NewExecAllocator(timeout, opts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
	})
	// The first call starts the browser, tied to ctx (not to a step's
	// shorter deadline). Accept-Language is set explicitly so the default
	// language does not depend on how chromium reads --lang.
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Accept-Language": "vi-VN,vi;q=0.9"},
	}); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	// Headless chromium keeps its window at least 500 px wide whatever
	// --window-size says, so the phone viewport is emulated.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatalf("emulate a 390×844 viewport: %v", err)
	}
	return &browser{t: t, ctx: ctx, base: base, shots: os.Getenv("THONSO_SCREENSHOTS")}
}

// stepTimeout bounds each wait, so a missing element fails with a clear
// message instead of eating the whole budget.
const stepTimeout = 15 * time.Second

func (b *browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// open loads base+path and checks the HTTP status of the document.
func (b *browser) open(path string, wantStatus int) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	b.checkResponse("open "+path, resp, err, wantStatus)
}

// submit clicks sel (a link or a submit button), waits for the page it
// leads to, and checks its HTTP status (after redirects).
func (b *browser) submit(sel string, wantStatus int) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	b.checkResponse("click "+sel, resp, err, wantStatus)
}

// setField empties an input and types value into it, key by key.
//
// The field is emptied with JavaScript: chromedp v0.23.0's SetValue(sel, "")
// fails ("could not set value"), because cdproto drops the empty-string
// argument (omitempty on a jsonv2.Value) and the page receives undefined.
func (b *browser) setField(sel, value string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	clear := fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.value = ""; return e.value === ""; })()`, sel)
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](clear)); err != nil || !ok {
		b.t.Fatalf("empty the field %s: want an empty input, got ok=%v err=%v\n%s", sel, ok, err, b.snippet())
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), value)); err != nil {
		b.t.Fatalf("type %q into %s: %v\n%s", value, sel, err, b.snippet())
	}
}

// setDate types a dd/mm/yyyy date into the date bar and presses its button.
func (b *browser) setDate(date string, wantStatus int) {
	b.t.Helper()
	b.setField("#at", date)
	b.submit("form.datebar button[type=submit]", wantStatus)
}

func (b *browser) checkResponse(what string, resp *network.Response, err error, wantStatus int) {
	b.t.Helper()
	if err != nil {
		b.t.Fatalf("%s: %v\n%s", what, err, b.snippet())
	}
	if resp == nil {
		b.t.Fatalf("%s: no document response (no navigation?)\n%s", what, b.snippet())
	}
	if int(resp.Status) != wantStatus {
		b.t.Fatalf("%s: got HTTP %d for %s, want %d\n%s", what, resp.Status, resp.URL, wantStatus, b.snippet())
	}
}

// text is the visible text of the first element matching sel; found is
// false when there is none.
func (b *browser) text(sel string) (text string, found bool) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? [true, e.innerText] : [false, ""]; })()`, sel)
	res, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](js))
	if err != nil {
		b.t.Fatalf("read %s: %v\n%s", sel, err, b.snippet())
	}
	found, _ = res[0].(bool)
	text, _ = res[1].(string)
	return strings.TrimSpace(text), found
}

// mustText is text, failing when the element is missing.
func (b *browser) mustText(sel string) string {
	b.t.Helper()
	text, found := b.text(sel)
	if !found {
		b.t.Fatalf("want an element %s on the page, found none\n%s", sel, b.snippet())
	}
	return text
}

// wantText checks that sel's text contains every one of subs.
func (b *browser) wantText(sel string, subs ...string) {
	b.t.Helper()
	text := b.mustText(sel)
	for _, s := range subs {
		if !strings.Contains(text, s) {
			b.t.Errorf("%s: want text containing %q, found %q\n%s", sel, s, clip(text, 400), b.snippet())
		}
	}
}

// wantNoText checks that sel's text contains none of subs.
func (b *browser) wantNoText(sel string, subs ...string) {
	b.t.Helper()
	text := b.mustText(sel)
	for _, s := range subs {
		if strings.Contains(text, s) {
			b.t.Errorf("%s: want text without %q, found %q\n%s", sel, s, clip(text, 400), b.snippet())
		}
	}
}

// wantExact checks sel's whole text.
func (b *browser) wantExact(sel, want string) {
	b.t.Helper()
	if text := b.mustText(sel); text != want {
		b.t.Errorf("%s: want %q, found %q\n%s", sel, want, text, b.snippet())
	}
}

// wantAbsent checks that no element matches sel.
func (b *browser) wantAbsent(sel string) {
	b.t.Helper()
	if text, found := b.text(sel); found {
		b.t.Errorf("want no element %s, found one with text %q\n%s", sel, text, b.snippet())
	}
}

// wantMatchDate checks that sel's text ends in a dd/mm/yyyy date.
func (b *browser) wantMatchDate(sel string) {
	b.t.Helper()
	text := b.mustText(sel)
	fields := strings.Fields(text)
	if len(fields) == 0 {
		b.t.Errorf("%s: want a date dd/mm/yyyy, found empty text\n%s", sel, b.snippet())
		return
	}
	last := fields[len(fields)-1]
	if _, err := time.Parse("02/01/2006", last); err != nil {
		b.t.Errorf("%s: want text ending in a date dd/mm/yyyy, found %q\n%s", sel, text, b.snippet())
	}
}

// wantAttr checks an attribute of the first element matching sel.
func (b *browser) wantAttr(sel, name, want string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		b.t.Fatalf("read %s[%s]: %v\n%s", sel, name, err, b.snippet())
	}
	if !res.Exists || res.Value != want {
		b.t.Errorf("%s: want %s=%q, found %q (present: %v)\n%s", sel, name, want, res.Value, res.Exists, b.snippet())
	}
}

// wantValue checks the current value of an input.
func (b *browser) wantValue(sel, want string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("read the value of %s: %v\n%s", sel, err, b.snippet())
	}
	if got != want {
		b.t.Errorf("%s: want value %q, found %q\n%s", sel, want, got, b.snippet())
	}
}

// noHorizontalScroll emulates a width×height viewport and checks the page
// is no wider than it; the viewport stays emulated afterwards.
func (b *browser) noHorizontalScroll(width, height int64) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		b.t.Fatalf("emulate a %d×%d viewport: %v", width, height, err)
	}
	type sizes struct {
		ScrollWidth int    `json:"scrollWidth"`
		InnerWidth  int    `json:"innerWidth"`
		Widest      string `json:"widest"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[sizes](`(() => {
		const vw = window.innerWidth;
		let widest = "";
		for (const e of document.querySelectorAll("body *")) {
			const r = e.getBoundingClientRect();
			if (r.right > vw + 0.5) { widest = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " right=" + Math.round(r.right); break; }
		}
		return {scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, widest};
	})()`))
	if err != nil {
		b.t.Fatalf("measure the page at %d px: %v", width, err)
	}
	if got.ScrollWidth > got.InnerWidth {
		b.t.Errorf("at %d px the page scrolls sideways: want scrollWidth <= innerWidth, found scrollWidth=%d innerWidth=%d (first element past the edge: %s)\n%s",
			width, got.ScrollWidth, got.InnerWidth, got.Widest, b.snippet())
	}
}

// screenshot writes a full-page PNG to THONSO_SCREENSHOTS, when set.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG, not JPEG
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		b.t.Fatal(err)
	}
	file := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", file)
}

// snippet is the current URL and the start of the page's text, for
// failure messages.
func (b *browser) snippet() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	type page struct {
		URL  string `json:"url"`
		Text string `json:"text"`
	}
	p, err := chromedp.Run(ctx, chromedp.Evaluate[page](`({url: location.href, text: document.body ? document.body.innerText : ""})`))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || b.ctx.Err() != nil {
			return "(page unavailable: browser timed out)"
		}
		return "(page unavailable: " + err.Error() + ")"
	}
	return "page " + p.URL + ":\n" + indent(clip(p.Text, 1200))
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func indent(s string) string {
	return "  | " + strings.ReplaceAll(s, "\n", "\n  | ")
}
