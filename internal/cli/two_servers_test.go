package cli_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestTwoServers runs two serve processes' worth of servers (each its own
// store, pools and caches) on one PostgreSQL: a login on A is a login on
// B, a logout on B ends it on A, and a public page B has cached changes
// as soon as B hears of a change made through A or psql (LISTEN/NOTIFY:
// the notification reaches B's listener asynchronously, usually within
// a millisecond; seen allows two seconds on a loaded machine).
func TestTwoServers(t *testing.T) {
	needReplicaTests(t)
	pg := startPrimary(t)
	exec1(t, pg.dsn("postgres"), "CREATE DATABASE thonso")
	dsn := pg.dsn("thonso")
	runCLI(t, "demo", "--db", dsn)
	a, _ := startServe(t, "--db", dsn)
	b, _ := startServe(t, "--db", dsn)

	// One phone: cookies do not depend on the port, so the same jar
	// talks to A and to B as it would to one name behind the balancer.
	leader := newBrowser(t, a)
	leader.login("totruong.dongcam")
	if n := queryInt(t, dsn, "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.login = 'totruong.dongcam'"); n != 1 {
		t.Fatalf("sessions in the database: %d", n)
	}
	onB := &browser{t: t, base: b, c: leader.c}
	if code, body := onB.get("/villages/T000001/public"); code != http.StatusOK || !strings.Contains(body, "intro") {
		t.Fatalf("B does not know A's login: %d %.300s", code, body)
	}

	// B renders and caches the public page; A changes it; B shows it.
	anon := newBrowser(t, b)
	_, before := anon.get("/v/dong-cam")
	_, again := anon.get("/v/dong-cam")
	if before != again {
		t.Fatal("the same page twice differs")
	}
	intro := "Đổi qua máy A lúc " + time.Now().Format("15:04:05.000")
	if code, body := leader.post("/villages/T000001/intro", url.Values{"intro": {intro}}); code != http.StatusOK {
		t.Fatalf("save intro on A: %d %.300s", code, body)
	}
	seen(t, "A's change", func() bool { _, page := anon.get("/v/dong-cam"); return strings.Contains(page, intro) })
	// A change made outside both servers (psql): the triggers bump the
	// version all the same.
	exec1(t, dsn, `UPDATE team_members SET full_name = full_name || ' Psql' WHERE left_on IS NULL AND team_id IN
		(SELECT tu.team_id FROM team_units tu JOIN units u ON u.id = tu.unit_id WHERE u.code = 'T000001')`)
	seen(t, "a change made outside both servers (psql)", func() bool {
		_, page := anon.get("/v/dong-cam")
		return strings.Contains(page, " Psql")
	})

	// Logging out everywhere on B ends the session A knows.
	if code, _ := onB.post("/logout-all", url.Values{}); code != http.StatusOK {
		t.Fatalf("logout-all on B: %d", code)
	}
	if code, body := leader.get("/villages/T000001/public"); code != http.StatusOK || !strings.Contains(body, `name="password"`) {
		t.Errorf("A still knows the session B ended: %d", code)
	}
}

// seen waits until cond holds (at most 2 s), logging how long B took to
// hear of the change.
func seen(t *testing.T, what string, cond func() bool) {
	t.Helper()
	start := time.Now()
	tries := 1
	for ; !cond(); tries++ {
		if time.Since(start) > 2*time.Second {
			t.Fatalf("B still serves the page from before %s, 2 s later", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Logf("B shows %s at request %d, %s after the change", what, tries, time.Since(start).Round(time.Microsecond))
}
