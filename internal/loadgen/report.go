package loadgen

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Write prints the report as one table (and the failures, if any).
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "%d users, %s measured (setup %s)\n", r.Users, r.Elapsed.Round(time.Second), r.Setup.Round(time.Second))
	fmt.Fprintf(w, "%-30s %9s %7s %9s %9s %9s %9s\n", "kind", "requests", "errors", "req/s", "p50 ms", "p99 ms", "max ms")
	line := func(x Row) {
		fmt.Fprintf(w, "%-30s %9d %7d %9.1f %9.1f %9.1f %9.1f\n", x.Kind, x.Requests, x.Errors, x.PerSec, ms(x.P50), ms(x.P99), ms(x.Max))
	}
	for _, x := range r.Rows {
		line(x)
	}
	fmt.Fprintln(w, strings.Repeat("-", 30+6*10+8))
	line(r.Total)
	if len(r.Missing) > 0 {
		fmt.Fprintf(w, "no request made: %s\n", strings.Join(r.Missing, ", "))
	}
	for _, f := range r.Samples {
		fmt.Fprintf(w, "FAILED %s: %s %s → %d %s\n", f.Kind, f.Method, f.Path, f.Status, f.Detail)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
