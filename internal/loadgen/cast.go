package loadgen

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// setup builds the cast: it learns the villages and procedures, has the
// administrator create one member account per village it needs, and logs
// every officer and member in once (a session each; a token for those
// who use the API), a few at a time. Nothing here is measured.
func (r *run) setup(ctx context.Context, cfg Config, nonce string) ([]actor, []*recorder, error) {
	probe := r.newClient(nil)
	if err := probe.waitReady(ctx, time.Minute); err != nil {
		return nil, nil, err
	}
	w, err := probe.discover()
	if err != nil {
		return nil, nil, err
	}
	officers, members, residents := cfg.split()
	var accounts []account
	staff := cfg.Officers
	if members > 0 || officers > 0 {
		admin := r.newClient(nil)
		if err := admin.login(cfg.Admin, cfg.Password, "/"); err != nil {
			return nil, nil, err
		}
		if officers > 0 {
			more, err := r.communeOfficers(admin, w, cfg.Officers, nonce)
			if err != nil {
				return nil, nil, err
			}
			staff = append(more, cfg.Officers...)
		}
		for i := 0; i < min(members, len(w.villages)); i++ {
			a, err := r.createMember(admin, w.villages[i], i+1, nonce)
			if err != nil {
				return nil, nil, err
			}
			accounts = append(accounts, a)
		}
	}
	seed := uint64(time.Now().UnixNano())
	var actors []actor
	var recs []*recorder
	var logins []func() error // staff log in before the run
	add := func(a actor, rec *recorder) {
		actors = append(actors, a)
		recs = append(recs, rec)
	}
	for i := 0; i < officers; i++ {
		acc := staff[i%len(staff)]
		if acc.Password == "" {
			acc.Password = cfg.Password
		}
		rec := newRecorder()
		c := r.newClient(nil)
		o := &officer{c: c, rng: rand.New(rand.NewPCG(seed, uint64(len(actors)))), units: acc.Units}
		logins = append(logins, func() error { return staffLogin(c, rec, acc.Login, acc.Password, true) })
		add(o, rec)
	}
	for i := 0; i < members; i++ {
		acc := accounts[i%len(accounts)]
		rec := newRecorder()
		c := r.newClient(nil)
		m := &member{c: c, rng: rand.New(rand.NewPCG(seed, uint64(len(actors)))), v: acc.village, procs: w.procs, web: i%2 == 0}
		logins = append(logins, func() error { return staffLogin(c, rec, acc.login, acc.password, !m.web) })
		add(m, rec)
	}
	for i := 0; i < residents; i++ {
		rec := newRecorder()
		add(&resident{c: r.newClient(rec), rng: rand.New(rand.NewPCG(seed, uint64(len(actors)))), villages: w.villages, forwarded: cfg.ForwardedFor}, rec)
	}
	return actors, recs, parallel(ctx, cfg.LoginWorkers, logins)
}

// staffLogin logs a user in (and makes their token), then lets the
// client record what it does from now on.
func staffLogin(c *client, rec *recorder, login, password string, token bool) error {
	if err := c.login(login, password, "/"); err != nil {
		return err
	}
	if token {
		if err := c.createToken(); err != nil {
			return err
		}
	}
	c.rec = rec
	return nil
}

// parallel runs the jobs, n at a time, and returns the first error.
func parallel(ctx context.Context, n int, jobs []func() error) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	next := make(chan func() error)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range next {
				if err := job(); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	for _, job := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- job
	}
	close(next)
	wg.Wait()
	if len(errs) > 0 {
		return errs[0]
	}
	return ctx.Err()
}
