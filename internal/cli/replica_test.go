package cli_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReadReplica starts a primary and a streaming standby of it
// (pg_basebackup -R), runs serve with --db-read on the standby, and
// checks that public pages and dashboards are read there, that a user
// sees their own write at once, that lag is tolerated and shown on
// /readyz, and that a lost standby costs no request.
func TestReadReplica(t *testing.T) {
	needReplicaTests(t)
	primary := startPrimary(t)
	exec1(t, primary.dsn("postgres"), "CREATE DATABASE thonso")
	runCLI(t, "demo", "--db", primary.dsn("thonso"))
	standby := startStandby(t, primary)
	waitFor(t, 30*time.Second, "the standby to accept reads", func() bool {
		return queryInt(t, standby.dsn("postgres"), "SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END") == 1
	})

	base, out := startServe(t, "--db", primary.dsn("thonso"), "--db-read", standby.dsn("thonso"), "--db-read-max-lag", "3s")
	if !strings.Contains(out.String(), "replica1") {
		t.Errorf("serve does not name its replica at start:\n%s", out.String())
	}
	anon := newBrowser(t, base)
	waitFor(t, 10*time.Second, "/readyz to show the replica in use", func() bool {
		code, body := anon.get("/readyz")
		return code == 200 && strings.Contains(body, "replica1") && strings.Contains(body, "đang phục vụ")
	})

	// Public page and dashboard: their queries reach the standby.
	served := func() int64 {
		_, m := anon.get("/metrics")
		v := regexp.MustCompile(`thonso_db_replica_queries_total\{replica="replica1"\} (\d+)`).FindStringSubmatch(m)
		if v == nil {
			t.Fatalf("no replica counter in /metrics")
		}
		n, _ := strconv.ParseInt(v[1], 10, 64)
		return n
	}
	xacts := func() int64 {
		return queryInt(t, standby.dsn("postgres"), "SELECT xact_commit FROM pg_stat_database WHERE datname = 'thonso'")
	}
	before, xBefore := served(), xacts()
	if code, body := anon.get("/v/dong-cam"); code != 200 || !strings.Contains(body, "Thôn Đông Căm") {
		t.Fatalf("/v/dong-cam: %d", code)
	}
	if served() <= before {
		t.Errorf("the public page read nothing from the replica")
	}
	// Right after a POST (here the login) a browser reads from the
	// primary for max-lag + 2 s; then its dashboard comes from the replica.
	viewer := newBrowser(t, base)
	viewer.login("xem.laocai")
	before = served()
	if code, body := viewer.get("/units/15/dashboard"); code != 200 {
		t.Fatalf("dashboard: %d %.300s", code, body)
	}
	if served() != before {
		t.Errorf("the dashboard right after the login was read from the replica")
	}
	time.Sleep(5500 * time.Millisecond)
	before = served()
	if code, body := viewer.get("/units/15/dashboard"); code != 200 {
		t.Fatalf("dashboard: %d %.300s", code, body)
	}
	if served() <= before {
		t.Errorf("the dashboard read nothing from the replica")
	}
	// The standby's own statistics count the transactions (flushed within
	// a second or so).
	waitFor(t, 10*time.Second, "the standby's xact_commit to grow by the pages' queries", func() bool { return xacts()-xBefore >= 10 })

	// A team leader's write is on the primary and on their own next read,
	// even while the standby lags: replay paused, their page shows it.
	leader := newBrowser(t, base)
	leader.login("totruong.dongcam")
	exec1(t, standby.dsn("postgres"), "SELECT pg_wal_replay_pause()")
	intro := "Giới thiệu mới " + time.Now().Format("150405.000")
	code, body := leader.post("/villages/T000001/intro", url.Values{"intro": {intro}})
	if code != http.StatusOK {
		t.Fatalf("save intro: %d %.400s", code, body)
	}
	if _, body := leader.get("/v/dong-cam"); !strings.Contains(body, intro) {
		t.Errorf("the writer does not see their own write")
	}
	if n := queryInt(t, primary.dsn("thonso"), "SELECT count(*) FROM village_profiles WHERE intro = $1", intro); n != 1 {
		t.Errorf("the primary holds %d rows with the intro", n)
	}
	// The lag passes the limit: /readyz stays 200 and says so; everyone's
	// reads go to the primary, so a resident sees the new intro too.
	waitFor(t, 15*time.Second, "/readyz to show the lag over the limit", func() bool {
		code, body := anon.get("/readyz")
		return code == 200 && strings.Contains(body, "quá giới hạn")
	})
	if _, body := anon.get("/v/dong-cam"); !strings.Contains(body, intro) {
		t.Errorf("with the replica lagging, the page is not read from the primary")
	}
	// Replay resumes: the replica catches up and serves again.
	exec1(t, standby.dsn("postgres"), "SELECT pg_wal_replay_resume()")
	waitFor(t, 15*time.Second, "the replica back in use", func() bool {
		_, body := anon.get("/readyz")
		return strings.Contains(body, "đang phục vụ")
	})
	if _, body := anon.get("/v/dong-cam"); !strings.Contains(body, intro) {
		t.Errorf("the caught-up replica does not show the intro")
	}
	// The page itself may now come from the rendered-page cache, with no
	// query at all; its QR code reads the village again.
	before = served()
	if code, _ := anon.get("/v/dong-cam/qr.svg"); code != 200 {
		t.Errorf("QR code: %d", code)
	}
	if served() <= before {
		t.Errorf("the caught-up replica serves nothing")
	}

	// The standby stops: pages still answer (from the primary), /readyz
	// stays 200 and names the replica unusable.
	standby.stop(t)
	for i := 0; i < 3; i++ {
		if code, _ := anon.get("/v/dong-cam"); code != 200 {
			t.Fatalf("with the standby down, /v/dong-cam answers %d", code)
		}
	}
	waitFor(t, 10*time.Second, "/readyz to show the replica down", func() bool {
		code, body := anon.get("/readyz")
		return code == 200 && strings.Contains(body, "không dùng được")
	})
}
