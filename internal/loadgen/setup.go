package loadgen

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// village and procedure are what the public API says about them.
type village struct {
	Code string `json:"code"`
	Slug string `json:"slug"`
}

type procedure struct {
	Code        string `json:"code"`
	FullyOnline bool   `json:"fully_online"`
}

// world is what setup learns before the run.
type world struct {
	villages []village
	procs    []procedure
}

// waitReady polls /readyz until the server answers 200.
func (c *client) waitReady(ctx context.Context, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/readyz", nil)
		resp, err := c.hc.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("loadgen: %s/readyz did not answer 200 within %s", c.base, within)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// discover reads the villages and the procedure catalogue.
func (c *client) discover() (world, error) {
	var w world
	var vs struct{ Items []village }
	if err := c.getJSON("", "/api/v1/villages?limit=1000", &vs); err != nil {
		return w, err
	}
	var ps struct{ Items []procedure }
	if err := c.getJSON("", "/api/v1/procedures", &ps); err != nil {
		return w, err
	}
	w.villages, w.procs = vs.Items, ps.Items
	if len(w.villages) == 0 || len(w.procs) == 0 {
		return w, fmt.Errorf("loadgen: the server has %d villages and %d procedures: load the demo (serve --demo)", len(w.villages), len(w.procs))
	}
	return w, nil
}

// login opens the login form (for its CSRF cookie) and logs in; the
// server answers 303 to next, or to /me/password for a new account.
func (c *client) login(login, password, wantNext string) error {
	if _, err := c.get("", "/login", http.StatusOK); err != nil {
		return err
	}
	rep, err := c.postForm("", "/login", url.Values{"login": {login}, "password": {password}, "next": {"/"}}, http.StatusSeeOther)
	if err != nil {
		return err
	}
	if rep.location != wantNext {
		return fmt.Errorf("loadgen setup: login %s went to %q, not %q", login, rep.location, wantNext)
	}
	return nil
}

var newToken = regexp.MustCompile(`id="new-token">([^<]+)<`)

// createToken makes an API token on the user's own page, as a member
// setting up a phone app would, and keeps it for /api requests.
func (c *client) createToken() error {
	rep, err := c.postForm("", "/me/tokens", url.Values{"name": {"thử tải"}, "days": {"1"}}, http.StatusOK)
	if err != nil {
		return err
	}
	m := newToken.FindSubmatch(rep.body)
	if m == nil {
		return fmt.Errorf("loadgen setup: no new token on /me: %s", gist(rep.body))
	}
	c.token = strings.TrimSpace(string(m[1]))
	return nil
}

// account is a login with its password and, for members, its village.
type account struct {
	login, password string
	village         village
}

// createMember has the administrator create a member of a village; the
// member logs in once to replace the initial password, as a new user
// must. It returns the account the simulated members use.
func (r *run) createMember(admin *client, v village, n int, nonce string) (account, error) {
	login := fmt.Sprintf("thutai.%s.%s", strings.ToLower(v.Code), nonce)
	first, final := "khoitao-"+nonce, "thutai-"+nonce
	if _, err := admin.postForm("", "/users", url.Values{"login": {login}, "name": {fmt.Sprintf("Thành viên thử tải %d", n)},
		"role": {"member"}, "unit": {v.Code}, "password": {first}}, http.StatusSeeOther); err != nil {
		return account{}, err
	}
	c := r.newClient(nil)
	if err := c.login(login, first, "/me/password"); err != nil {
		return account{}, err
	}
	if _, err := c.postForm("", "/me/password", url.Values{"current": {first}, "password": {final}, "again": {final}}, http.StatusSeeOther); err != nil {
		return account{}, err
	}
	return account{login: login, password: final, village: v}, nil
}
