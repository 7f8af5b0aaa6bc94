package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"thonso/internal/cli"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeOperations checks /readyz, /metrics, request ids in JSON logs,
// a scheduled backup, and that shutdown lets an in-flight request finish.
func TestServeOperations(t *testing.T) {
	dir := t.TempDir()
	backups := filepath.Join(dir, "backups")
	os.Mkdir(backups, 0o700)
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- cli.RunWith(ctx, []string{"serve", "--db", "sqlite:" + filepath.Join(dir, "ops.db"), "--addr", "127.0.0.1:0",
			"--log-format", "json", "--log-level", "info", "--backup-dir", backups, "--backup-every", "1m", "--backup-keep", "2"},
			strings.NewReader(""), &stdout, &stderr, cli.Options{Ready: func(a string) { ready <- a }})
	}()
	var addr string
	select {
	case addr = <-ready:
	case <-done:
		t.Fatalf("serve stopped: %s", stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not listen")
	}
	base := "http://" + addr
	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(b)
	}
	res, body := get("/readyz")
	if res.StatusCode != 200 || body != "ok\n" {
		t.Errorf("/readyz: %d %q", res.StatusCode, body)
	}
	id := res.Header.Get("X-Request-Id")
	if len(id) != 16 {
		t.Errorf("X-Request-Id = %q", id)
	}
	get("/khong-co-trang-nay")
	get("/api/v1/procedures")
	res, body = get("/metrics")
	for _, want := range []string{
		`thonso_http_requests_total{route="GET /readyz",method="GET",code="200"} 1`,
		`thonso_http_requests_total{route="GET /api/v1/procedures",method="GET",code="200"} 1`,
		`code="404"`,
		`thonso_http_request_duration_seconds_bucket{route="GET /readyz",le="+Inf"} 1`,
		`thonso_db_open_connections{pool="writer"}`,
		`thonso_db_in_use_connections{pool="reader"}`,
		`thonso_import_jobs_running 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Errorf("/metrics content type %q", res.Header.Get("Content-Type"))
	}

	// An in-flight request: its handler is reading a form body that
	// arrives slowly, across the shutdown.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	form := "login=quantri&password=sai-mat-khau"
	conn.Write([]byte("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
		strconv.Itoa(len(form)) + "\r\n\r\n" + form[:5]))
	time.Sleep(200 * time.Millisecond)
	cancel()
	time.Sleep(300 * time.Millisecond)
	conn.Write([]byte(form[5:]))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request cut by shutdown: %v", err)
	}
	if resp.StatusCode >= 500 {
		t.Errorf("in-flight request: %d", resp.StatusCode)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	found := false
	for _, line := range strings.Split(stderr.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil {
			continue
		}
		if rec["request_id"] == id && rec["route"] == "GET /readyz" {
			found = true
		}
	}
	if !found {
		t.Errorf("no JSON log line with request id %s:\n%s", id, stderr.String())
	}
}
