package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// errStop ends a user's action quietly: the run is over (its time or its
// request budget is spent, or the caller gave up). It is not a failure.
var errStop = errors.New("loadgen: run over")

// errFailed says a request was recorded as a failure; the action stops.
var errFailed = errors.New("loadgen: request failed")

// run is what every simulated user shares.
type run struct {
	base      string
	transport *http.Transport
	timeout   time.Duration
	// stop is done when users must start nothing new; abort (the
	// caller's context) is done when requests in flight must end too.
	stop, abort context.Context
	end         context.CancelFunc
	limited     bool
	budget      atomic.Int64
	pool        *lookupPool
	portal      *portalCodes
}

// take spends one request of the budget; false when it is spent.
func (r *run) take() bool {
	if !r.limited {
		return true
	}
	if r.budget.Add(-1) < 0 {
		r.end()
		return false
	}
	return true
}

// client is one simulated person's browser or API client: its own
// cookies (session, CSRF), its token, its address.
type client struct {
	*run
	hc  *http.Client
	rec *recorder // nil during setup: failures are returned, not counted
	// forwarded, when set, is sent as X-Forwarded-For.
	forwarded string
	token     string
}

func (r *run) newClient(rec *recorder) *client {
	jar, _ := cookiejar.New(nil)
	return &client{run: r, rec: rec, hc: &http.Client{
		Transport: r.transport,
		Jar:       jar,
		Timeout:   r.timeout,
		// A redirect is an answer to check (303 after a form), not
		// something to follow blindly.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// reply is a checked answer: its status, Location and whole body.
type reply struct {
	status   int
	location string
	body     []byte
}

// do sends one request, reads the whole answer, and records its latency
// under kind; a status not in want, or no answer, is a failure.
func (c *client) do(kind, method, path string, body []byte, ctype string, want ...int) (reply, error) {
	if c.rec != nil && (c.stop.Err() != nil || !c.take()) {
		return reply{}, errStop
	}
	ctx := c.abort
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept-Language", "vi")
	req.Header.Set("User-Agent", "thonso-loadgen")
	if c.forwarded != "" {
		req.Header.Set("X-Forwarded-For", c.forwarded)
	}
	if c.token != "" && strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	var rep reply
	if err == nil {
		rep.body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		rep.status, rep.location = resp.StatusCode, resp.Header.Get("Location")
	}
	took := time.Since(start)
	if err != nil && ctx.Err() != nil {
		return reply{}, errStop // the caller gave up: not the server's fault
	}
	var fail *Failure
	switch {
	case err != nil:
		fail = &Failure{Kind: kind, Method: method, Path: path, Detail: err.Error()}
	case !slices.Contains(want, rep.status):
		fail = &Failure{Kind: kind, Method: method, Path: path, Status: rep.status, Detail: gist(rep.body)}
	}
	if c.rec == nil {
		if fail != nil {
			return rep, fmt.Errorf("loadgen setup: %s %s → %d %s", method, path, fail.Status, fail.Detail)
		}
		return rep, nil
	}
	c.rec.add(kind, took, fail)
	if fail != nil {
		return rep, errFailed
	}
	return rep, nil
}

func (c *client) get(kind, path string, want ...int) (reply, error) {
	return c.do(kind, http.MethodGet, path, nil, "", want...)
}

// postForm posts a form with the CSRF token the server left in the
// cookie jar, as the page's hidden field would carry it.
func (c *client) postForm(kind, path string, form url.Values, want ...int) (reply, error) {
	form.Set("csrf", c.csrf())
	return c.do(kind, http.MethodPost, path, []byte(form.Encode()), "application/x-www-form-urlencoded", want...)
}

// sendJSON sends in as JSON and decodes the answer into out.
func (c *client) sendJSON(kind, method, path string, in, out any, want ...int) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	rep, err := c.do(kind, method, path, b, "application/json", want...)
	if err != nil {
		return err
	}
	return c.decode(kind, method, path, rep, out)
}

func (c *client) getJSON(kind, path string, out any) error {
	rep, err := c.get(kind, path, http.StatusOK)
	if err != nil {
		return err
	}
	return c.decode(kind, http.MethodGet, path, rep, out)
}

// decode reads a JSON answer; one that does not parse is a failure too.
func (c *client) decode(kind, method, path string, rep reply, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(rep.body, out); err != nil {
		if c.rec == nil {
			return fmt.Errorf("loadgen setup: %s %s: %v", method, path, err)
		}
		c.rec.fail(Failure{Kind: kind, Method: method, Path: path, Status: rep.status, Detail: "bad JSON: " + err.Error()})
		return errFailed
	}
	return nil
}

func (c *client) csrf() string {
	u, _ := url.Parse(c.base + "/")
	for _, k := range c.hc.Jar.Cookies(u) {
		if k.Name == "thonso_csrf" {
			return k.Value
		}
	}
	return ""
}

var (
	tags   = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	spaces = regexp.MustCompile(`\s+`)
)

// gist is the start of a body's text, to show what went wrong.
func gist(b []byte) string {
	s := spaces.ReplaceAllString(tags.ReplaceAllString(string(b), " "), " ")
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 240 {
		s = string(r[:240]) + "…"
	}
	return s
}
