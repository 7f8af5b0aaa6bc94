// Package loadgen drives a running Thôn Số server with simulated users —
// officers browsing dashboards, members receiving and advancing dossiers,
// residents opening village pages and looking up their dossiers — and
// reports errors, throughput and latency per kind of request. It speaks
// only HTTP, as browsers and API clients do: it needs the server's address
// and the demo's administrator password, never its database.
package loadgen

import (
	"fmt"
	"time"
)

// Config says how hard and how long to drive the server.
type Config struct {
	// BaseURL is the server, e.g. http://127.0.0.1:8080.
	BaseURL string
	// Users is how many simulated users run at once.
	Users int
	// Duration bounds the run; MaxRequests (0: none) bounds it too.
	Duration    time.Duration
	MaxRequests int64
	// Think is the mean pause between one user's actions (each pause is
	// drawn between half and one and a half of it); 0 hammers.
	Think time.Duration
	// Mix shares the users among officers, members and residents, in
	// percent (the rest of the rounding goes to residents).
	Mix Mix
	// Admin and Password log in the administrator who creates the
	// members' accounts; Password is also the officers' password
	// (the demo's accounts share one).
	Admin, Password string
	// Officers are the accounts officers log in with, and the units each
	// browses (the demo's officers by default); setup adds an officer for
	// each other commune of the villages, so most officers, as in life,
	// look at a commune rather than the province.
	Officers []Officer
	// ForwardedFor sends each resident visit from its own made-up address
	// in X-Forwarded-For: only for a server that trusts loopback
	// (--trusted-proxy 127.0.0.1). It also lets residents mistype their
	// phone digits (expected 422) without locking one shared address.
	ForwardedFor bool
	// Timeout bounds one request.
	Timeout time.Duration
	// LoginWorkers log users in at once during setup (argon2id takes
	// 19 MiB and real CPU per login: not 200 at once).
	LoginWorkers int
}

// Mix is the share of each kind of user, in percent.
type Mix struct{ Officers, Members, Residents int }

// Officer is an account and the units it looks at (the first is its
// own); a unit may carry a date (CODE@YYYY-MM-DD) to look at the past (a
// district before 2025). An empty Password is Config.Password.
type Officer struct {
	Login, Password string
	Units           []string
}

// DemoOfficers are the demo's officers and viewer with their units.
var DemoOfficers = []Officer{
	{Login: "canbo.giaphu", Units: []string{"02923"}},
	{Login: "canbo.laocai", Units: []string{"15", "02923", "02905", "086@2024-10-31"}},
	{Login: "xem.laocai", Units: []string{"15", "02908", "086@2024-10-31"}},
}

// DefaultThink is a person's pause between visits: reading a page,
// typing a form.
const DefaultThink = 3 * time.Second

// DemoPassword is the demo accounts' password (demo data only).
const DemoPassword = "minhhoa-2024"

// Defaults fills what is unset.
func (c *Config) Defaults() {
	if c.Users == 0 {
		c.Users = 200
	}
	if c.Duration == 0 && c.MaxRequests == 0 {
		c.Duration = time.Minute
	}
	if c.Mix == (Mix{}) {
		c.Mix = Mix{Officers: 20, Members: 30, Residents: 50}
	}
	if c.Admin == "" {
		c.Admin = "quantri"
	}
	if c.Password == "" {
		c.Password = DemoPassword
	}
	if c.Officers == nil {
		c.Officers = DemoOfficers
	}
	if c.Timeout == 0 {
		c.Timeout = 60 * time.Second
	}
	if c.LoginWorkers == 0 {
		c.LoginWorkers = 4
	}
}

// Validate refuses a configuration that cannot run.
func (c *Config) Validate() error {
	switch {
	case c.BaseURL == "":
		return fmt.Errorf("loadgen: no server address")
	case c.Users < 1:
		return fmt.Errorf("loadgen: users must be at least 1")
	case c.Duration <= 0 && c.MaxRequests <= 0:
		return fmt.Errorf("loadgen: give a duration or a request budget: the run must end by itself")
	case c.Mix.Officers < 0 || c.Mix.Members < 0 || c.Mix.Residents < 0 || c.Mix.Officers+c.Mix.Members+c.Mix.Residents != 100:
		return fmt.Errorf("loadgen: the mix must be three shares adding up to 100, got %d:%d:%d", c.Mix.Officers, c.Mix.Members, c.Mix.Residents)
	case c.Mix.Officers > 0 && len(c.Officers) == 0:
		return fmt.Errorf("loadgen: officers in the mix but no officer accounts")
	}
	return nil
}

// split is how many users of each kind run.
func (c *Config) split() (officers, members, residents int) {
	officers = c.Users * c.Mix.Officers / 100
	members = c.Users * c.Mix.Members / 100
	return officers, members, c.Users - officers - members
}
