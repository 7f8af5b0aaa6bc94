package web_test

import (
	"bytes"
	"compress/gzip"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestOfflineScriptsSmall: what the phone needs to work offline — the
// page's script, the service worker and the shared script — stays under
// 30 KB compressed, with no inline script; the member's page has no
// session form (a session is logged by who manages the team), the
// leader's has it.
func TestOfflineScriptsSmall(t *testing.T) {
	env := newLoginEnv(t)
	b := loggedInAs(t, env, "thanhvien.dongcam")
	st, page, hdr := b.get("/offline")
	if st != 200 {
		t.Fatalf("/offline: %d", st)
	}
	csp := hdr.Get("Content-Security-Policy")
	scriptSrc := regexp.MustCompile(`(?:^|;)\s*script-src ([^;]*)`).FindStringSubmatch(csp)
	if strings.Contains(page, "<script>") || scriptSrc == nil || strings.Contains(scriptSrc[1], "unsafe-inline") {
		t.Fatalf("inline script on the offline page or a loose CSP: %q", csp)
	}
	if strings.Contains(page, `id="session-form"`) || !strings.Contains(page, `id="correct-form"`) {
		t.Fatal("the member's offline page: session form shown, or no correction form")
	}
	scripts := regexp.MustCompile(`<script src="([^"]+)"`).FindAllStringSubmatch(page, -1)
	paths := []string{"/sw.js"}
	for _, m := range scripts {
		paths = append(paths, m[1])
	}
	total := 0
	for _, p := range paths {
		st, body, _ := b.get(p)
		if st != 200 {
			t.Fatalf("%s: %d", p, st)
		}
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		w.Write([]byte(body))
		w.Close()
		total += z.Len()
		t.Logf("%s: %d B, %d B gzipped", p, len(body), z.Len())
	}
	if len(paths) < 3 || total > 30<<10 {
		t.Fatalf("offline scripts %v: %d B gzipped (limit 30 KB)", paths, total)
	}
	l := loggedInAs(t, env, "totruong.dongcam")
	if _, page, _ := l.get("/offline"); !strings.Contains(page, `id="session-form"`) {
		t.Fatal("the leader's offline page has no session form")
	}
	// A registered phone's logout keeps its storage (the outbox).
	if st, _, h := l.post("/logout", url.Values{"keep": {"outbox"}}); st != 303 || h.Get("Clear-Site-Data") != `"cache"` {
		t.Fatalf("a phone's logout: %d %q", st, h.Get("Clear-Site-Data"))
	}
}
