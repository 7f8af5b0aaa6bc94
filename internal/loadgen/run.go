package loadgen

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// actor is one simulated user: each act is one visit (a few requests).
type actor interface{ act() error }

// Run sets up the users (member accounts, logins, tokens: not measured),
// then lets them work until cfg.Duration has passed or cfg.MaxRequests
// are spent, and reports. Every user stops by itself; Run returns once
// all have, with no goroutine of its own left. Cancelling ctx ends the
// run at once (requests cut short are not counted as failures).
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * cfg.Users,
		MaxIdleConnsPerHost: 2 * cfg.Users,
		IdleConnTimeout:     30 * time.Second,
	}
	defer transport.CloseIdleConnections()
	nonce := strconv.FormatInt(time.Now().UnixMilli()%(36*36*36*36*36), 36)
	r := &run{base: strings.TrimRight(cfg.BaseURL, "/"), transport: transport, timeout: cfg.Timeout, abort: ctx,
		pool: &lookupPool{}, portal: &portalCodes{agency: "H15.T" + strings.ToUpper(nonce)}}

	setupStart := time.Now()
	actors, recs, err := r.setup(ctx, cfg, nonce)
	if err != nil {
		return nil, err
	}
	setup := time.Since(setupStart)

	stop, end := context.WithCancel(ctx)
	if cfg.Duration > 0 {
		stop, end = context.WithTimeout(ctx, cfg.Duration)
	}
	defer end()
	r.stop, r.end = stop, end
	if cfg.MaxRequests > 0 {
		r.limited = true
		r.budget.Store(cfg.MaxRequests)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i, a := range actors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.loop(a, rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano()))), cfg.Think)
		}()
	}
	wg.Wait()
	rep := merge(recs, time.Since(start), kinds(cfg))
	rep.Users, rep.Setup = len(actors), setup
	return rep, ctx.Err()
}

// loop is one user's life: a first pause (so users do not all start at
// once), then act and pause until the run is over.
func (r *run) loop(a actor, rng *rand.Rand, think time.Duration) {
	if !r.pause(time.Duration(rng.Int64N(int64(think)*3/2 + 1))) {
		return
	}
	for r.stop.Err() == nil {
		if err := a.act(); errors.Is(err, errStop) {
			return
		}
		// A failure is recorded; the user carries on with the next visit.
		if think > 0 && !r.pause(think/2+time.Duration(rng.Int64N(int64(think)+1))) {
			return
		}
	}
}

// pause waits d, or less when the run ends; false when it has ended.
func (r *run) pause(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.stop.Done():
		return false
	}
}

// kinds lists the kinds of request the run must make, in table order.
func kinds(cfg Config) []string {
	officers, members, residents := cfg.split()
	var out []string
	if officers > 0 {
		out = append(out, kindDashboard, kindRankings, kindStatsAPI, kindCounts)
	}
	if members > 0 {
		out = append(out, kindWebQueue, kindWebNew, kindWebReceive, kindWebPage, kindWebStep)
	}
	if members > 1 {
		out = append(out, kindAPIReceive, kindAPIStep, kindAPIQueue)
	}
	if residents > 0 {
		out = append(out, kindVillage)
	}
	if residents > 0 && members > 0 { // slips come from members
		out = append(out, kindLookupForm, kindLookup)
		if cfg.ForwardedFor {
			out = append(out, kindMistyped)
		}
	}
	return out
}
