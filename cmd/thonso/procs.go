package main

import (
	"os"
	"runtime"
)

// minServeProcs is the fewest Go processors serve runs with unless
// GOMAXPROCS says otherwise. On a small box the server shares its cores
// with PostgreSQL, nginx or a load generator; when the kernel preempts the
// thread running one of only two processors, every request queued on it
// waits out the time slice. Two more processors than cores let another
// thread take them up: P1's p99 at 64 connections on 2 cores fell from
// 2,4–3,8 × nginx's to 1,4–1,9 × (README, Performance), same req/s.
const minServeProcs = 4

// tuneProcs raises GOMAXPROCS for serve on machines with fewer than
// minServeProcs cores, unless the operator set it.
func tuneProcs(args []string) {
	if len(args) == 0 || args[0] != "serve" || os.Getenv("GOMAXPROCS") != "" {
		return
	}
	if runtime.GOMAXPROCS(0) < minServeProcs {
		runtime.GOMAXPROCS(minServeProcs)
	}
}
