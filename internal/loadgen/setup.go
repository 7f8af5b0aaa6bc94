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
	Code    string `json:"code"`
	Slug    string `json:"slug"`
	Commune struct {
		Code string `json:"code"`
	} `json:"commune"`
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

// createAccount has the administrator create an account with one grant;
// its user logs in once to replace the initial password, as a new user
// must. It returns the account the simulated users log in with.
func (r *run) createAccount(admin *client, role, unit, login, name, nonce string) (account, error) {
	first, final := "khoitao-"+nonce, "thutai-"+nonce
	if _, err := admin.postForm("", "/users", url.Values{"login": {login}, "name": {name},
		"role": {role}, "unit": {unit}, "password": {first}}, http.StatusSeeOther); err != nil {
		return account{}, err
	}
	c := r.newClient(nil)
	if err := c.login(login, first, "/me/password"); err != nil {
		return account{}, err
	}
	if _, err := c.postForm("", "/me/password", url.Values{"current": {first}, "password": {final}, "again": {final}}, http.StatusSeeOther); err != nil {
		return account{}, err
	}
	return account{login: login, password: final}, nil
}

// createMember makes a member of a village.
func (r *run) createMember(admin *client, v village, n int, nonce string) (account, error) {
	a, err := r.createAccount(admin, "member", v.Code, fmt.Sprintf("thutai.%s.%s", strings.ToLower(v.Code), nonce), fmt.Sprintf("Thành viên thử tải %d", n), nonce)
	a.village = v
	return a, err
}

// communeOfficers makes an officer for each commune of the villages that
// no configured officer covers: most officers work at a commune, and a
// province's few look at the province.
func (r *run) communeOfficers(admin *client, w world, fixed []Officer, nonce string) ([]Officer, error) {
	seen := map[string]bool{}
	for _, o := range fixed {
		seen[o.Units[0]] = true
	}
	var out []Officer
	for _, v := range w.villages {
		code := v.Commune.Code
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		a, err := r.createAccount(admin, "officer", code, "thutai.cb"+code+"."+nonce, "Cán bộ thử tải "+code, nonce)
		if err != nil {
			return nil, err
		}
		out = append(out, Officer{Login: a.login, Password: a.password, Units: []string{code}})
	}
	return out, nil
}
