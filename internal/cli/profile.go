package cli

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the whole command to the file named
// by THONSO_CPUPROFILE, and a heap profile at its end to THONSO_MEMPROFILE,
// for `go tool pprof`: the bench/ scripts profile the real binary doing the
// real work (an import, a serve under load) rather than a copy of it in a
// test. Unset (always, in production) it does nothing.
func startProfile(stderr io.Writer) (stop func()) {
	cpu, mem := os.Getenv("THONSO_CPUPROFILE"), os.Getenv("THONSO_MEMPROFILE")
	var f *os.File
	if cpu != "" {
		var err error
		if f, err = os.Create(cpu); err != nil {
			fmt.Fprintln(stderr, "thonso: THONSO_CPUPROFILE:", err)
		} else if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "thonso: THONSO_CPUPROFILE:", err)
			f.Close()
			f = nil
		}
	}
	return func() {
		if f != nil {
			pprof.StopCPUProfile()
			f.Close()
		}
		if mem != "" {
			m, err := os.Create(mem)
			if err != nil {
				fmt.Fprintln(stderr, "thonso: THONSO_MEMPROFILE:", err)
				return
			}
			runtime.GC()
			pprof.Lookup("allocs").WriteTo(m, 0)
			m.Close()
		}
	}
}
