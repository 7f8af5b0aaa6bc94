package cli_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"thonso/internal/cli"
	"thonso/internal/testenv"
)

// pgBin is where Debian keeps PostgreSQL 15's server programs.
const pgBin = "/usr/lib/postgresql/15/bin"

// needReplicaTests skips unless THONSO_TEST_REPLICA is set: these tests
// start PostgreSQL clusters of their own and take a minute.
func needReplicaTests(t *testing.T) {
	t.Helper()
	if os.Getenv("THONSO_TEST_REPLICA") == "" {
		t.Skip("set THONSO_TEST_REPLICA=1 to start PostgreSQL clusters of this test's own (a primary and a streaming standby)")
	}
	if _, err := os.Stat(filepath.Join(pgBin, "initdb")); err != nil {
		testenv.Missing(t, "PostgreSQL 15 server programs not in "+pgBin+" (apt-get install postgresql-15)")
	}
}

// pgCluster is a PostgreSQL instance this test started on its own port,
// with its data under /tmp; Cleanup stops it and removes the directory.
type pgCluster struct {
	dir  string
	port int
}

func (c *pgCluster) dsn(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// asPostgres runs a PostgreSQL program as the postgres user when the test
// runs as root (initdb and pg_ctl refuse root).
func asPostgres(t *testing.T, prog string, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(pgBin, prog), args...)
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(pgBin, prog)}, args...)...)
	}
	cmd.Dir = "/tmp"
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// tempDirForPostgres makes a directory the postgres user owns.
func tempDirForPostgres(t *testing.T, pattern string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			testenv.Missing(t, "no postgres user to run PostgreSQL as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		os.Chown(dir, uid, gid)
	}
	os.Chmod(dir, 0o700)
	return dir
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// start starts the cluster in dir and registers its stop.
func (c *pgCluster) start(t *testing.T) {
	t.Helper()
	asPostgres(t, "pg_ctl", "-D", filepath.Join(c.dir, "data"), "-l", filepath.Join(c.dir, "log"), "-w", "-t", "60",
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", c.port, c.dir), "start")
	t.Cleanup(func() { c.stop(t) })
}

func (c *pgCluster) stop(t *testing.T) {
	cmd := exec.Command(filepath.Join(pgBin, "pg_ctl"), "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", "-u", "postgres", "--", filepath.Join(pgBin, "pg_ctl"), "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	}
	cmd.Dir = "/tmp"
	cmd.Run() // already stopped is fine
}

// startPrimary initialises and starts a primary that accepts streaming
// replication from 127.0.0.1 (initdb's pg_hba has the replication lines;
// wal_level=replica is PostgreSQL 15's default, set here to say so).
func startPrimary(t *testing.T) *pgCluster {
	t.Helper()
	c := &pgCluster{dir: tempDirForPostgres(t, "thonso-primary-"), port: freePort(t)}
	asPostgres(t, "initdb", "-D", filepath.Join(c.dir, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale", "C")
	conf, err := os.OpenFile(filepath.Join(c.dir, "data", "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conf, "\nwal_level = replica\nmax_wal_senders = 5\nfsync = off\nshared_buffers = 32MB\n")
	conf.Close()
	c.start(t)
	return c
}

// startStandby copies the primary with pg_basebackup -R (which writes
// primary_conninfo and standby.signal) and starts it as a hot standby.
func startStandby(t *testing.T, primary *pgCluster) *pgCluster {
	t.Helper()
	c := &pgCluster{dir: tempDirForPostgres(t, "thonso-standby-"), port: freePort(t)}
	asPostgres(t, "pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(primary.port), "-U", "postgres",
		"-D", filepath.Join(c.dir, "data"), "-R", "-X", "stream", "-c", "fast")
	c.start(t)
	return c
}

func exec1(t *testing.T, dsn, q string, args ...any) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func queryInt(t *testing.T, dsn, q string, args ...any) int64 {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// runCLI runs a thonso command to its end.
func runCLI(t *testing.T, args ...string) {
	t.Helper()
	var out, errb lockedBuffer
	if code := cli.RunWith(context.Background(), args, strings.NewReader(""), &out, &errb, cli.Options{}); code != 0 {
		t.Fatalf("thonso %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	}
}

// startServe runs `thonso serve` with args until the test ends and
// returns its base URL and its output.
func startServe(t *testing.T, args ...string) (string, *lockedBuffer) {
	t.Helper()
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- cli.RunWith(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), &stdout, &stderr,
			cli.Options{Ready: func(a string) { ready <- a }})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
		}
	})
	select {
	case a := <-ready:
		return "http://" + a, &stdout
	case <-done:
		t.Fatalf("serve stopped: %s%s", stdout.String(), stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not listen")
	}
	return "", nil
}

// browser is an HTTP client with its own cookies, like one phone.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	res, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, sb.String()
}

// post sends a form with the CSRF token of the browser's cookie (the
// double-submit token the forms carry); a page is fetched first when the
// browser has none yet.
func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	u, _ := url.Parse(b.base)
	tok := ""
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "thonso_csrf" {
			tok = c.Value
		}
	}
	if tok == "" {
		b.get("/login")
		return b.post(path, form)
	}
	form.Set("csrf", tok)
	res, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, sb.String()
}

// login logs the browser in with the demo's password.
func (b *browser) login(login string) {
	b.t.Helper()
	code, body := b.post("/login", url.Values{"login": {login}, "password": {"minhhoa-2024"}})
	if code != http.StatusOK || !strings.Contains(body, "logout") {
		b.t.Fatalf("login %s: %d\n%.400s", login, code, body)
	}
}

// waitFor polls cond for up to d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if cond() {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("waited %s for %s", d, what)
}
