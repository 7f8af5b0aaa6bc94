// Command load drives a running thonso server with simulated users and
// prints one table: errors, throughput and p50/p99 latency per kind of
// request. It exits 1 when any request failed or a kind made none.
// bench/load.sh starts a fresh server for it; see the README.
//
//	go run ./bench/load -url http://127.0.0.1:8080 -users 200 -duration 10m -forwarded
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"thonso/internal/loadgen"
)

func main() {
	var cfg loadgen.Config
	flag.StringVar(&cfg.BaseURL, "url", "http://127.0.0.1:8080", "the server")
	flag.IntVar(&cfg.Users, "users", 200, "simulated users at once")
	flag.DurationVar(&cfg.Duration, "duration", 0, "how long to run (default 1m unless -max-requests)")
	flag.Int64Var(&cfg.MaxRequests, "max-requests", 0, "stop after this many requests (0: no limit)")
	flag.DurationVar(&cfg.Think, "think", loadgen.DefaultThink, "mean pause between one user's visits (0: none)")
	mix := flag.String("mix", "20:30:50", "percent of officers:members:residents")
	flag.StringVar(&cfg.Password, "password", loadgen.DemoPassword, "password of the administrator and the officers (the demo's)")
	flag.BoolVar(&cfg.ForwardedFor, "forwarded", false, "give each resident visit its own X-Forwarded-For address (the server must run with --trusted-proxy 127.0.0.1)")
	flag.DurationVar(&cfg.Timeout, "timeout", 0, "bound on one request (default 60s)")
	flag.Parse()
	var err error
	if cfg.Mix, err = parseMix(*mix); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := loadgen.Run(ctx, cfg)
	if rep != nil {
		rep.Write(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	if rep.Errors() > 0 || len(rep.Missing) > 0 {
		os.Exit(1)
	}
}

func parseMix(s string) (loadgen.Mix, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return loadgen.Mix{}, fmt.Errorf("-mix wants officers:members:residents, e.g. 20:30:50")
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return loadgen.Mix{}, fmt.Errorf("-mix: %q is not a number", p)
		}
		n[i] = v
	}
	return loadgen.Mix{Officers: n[0], Members: n[1], Residents: n[2]}, nil
}
