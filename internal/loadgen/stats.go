package loadgen

import (
	"sort"
	"time"
)

// recorder holds one user's measurements; each user has its own, so
// recording takes no lock, and Run merges them at the end.
type recorder struct {
	kinds  map[string]*series
	errors []Failure
}

type series struct {
	latencies []time.Duration
	errors    int
}

// Failure is one request that went wrong, kept as an example.
type Failure struct {
	Kind, Method, Path string
	Status             int    // 0: no answer (network error)
	Detail             string // the error, or the start of the body
}

// maxSamples is how many failures a report keeps as examples.
const maxSamples = 20

func newRecorder() *recorder { return &recorder{kinds: map[string]*series{}} }

func (r *recorder) add(kind string, d time.Duration, fail *Failure) {
	s := r.kinds[kind]
	if s == nil {
		s = &series{}
		r.kinds[kind] = s
	}
	s.latencies = append(s.latencies, d)
	if fail != nil {
		s.errors++
		if len(r.errors) < maxSamples {
			r.errors = append(r.errors, *fail)
		}
	}
}

// fail marks the latest request of a kind as failed after the fact (its
// answer came, but did not say what it should).
func (r *recorder) fail(f Failure) {
	s := r.kinds[f.Kind]
	if s == nil {
		return
	}
	s.errors++
	if len(r.errors) < maxSamples {
		r.errors = append(r.errors, f)
	}
}

// Row is one kind of request in the report.
type Row struct {
	Kind     string
	Requests int
	Errors   int
	PerSec   float64
	P50, P99 time.Duration
	Max      time.Duration
}

// Report is the outcome of a run.
type Report struct {
	Users   int
	Elapsed time.Duration // the measured phase, setup excluded
	Setup   time.Duration
	Rows    []Row // by kind, in the order of Kinds, then any other
	Total   Row
	Samples []Failure
	// Missing lists the kinds that made no request at all.
	Missing []string
}

// Errors is the number of failed requests.
func (r *Report) Errors() int { return r.Total.Errors }

// merge builds the report from every user's recorder.
func merge(recs []*recorder, elapsed time.Duration, kinds []string) *Report {
	all := map[string]*series{}
	rep := &Report{Elapsed: elapsed}
	for _, rec := range recs {
		for k, s := range rec.kinds {
			m := all[k]
			if m == nil {
				m = &series{}
				all[k] = m
			}
			m.latencies = append(m.latencies, s.latencies...)
			m.errors += s.errors
		}
		for _, f := range rec.errors {
			if len(rep.Samples) < maxSamples {
				rep.Samples = append(rep.Samples, f)
			}
		}
	}
	order := append([]string{}, kinds...)
	known := map[string]bool{}
	for _, k := range kinds {
		known[k] = true
	}
	var extra []string
	for k := range all {
		if !known[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	order = append(order, extra...)
	var every []time.Duration
	for _, k := range order {
		s := all[k]
		if s == nil || len(s.latencies) == 0 {
			rep.Missing = append(rep.Missing, k)
			continue
		}
		rep.Rows = append(rep.Rows, row(k, s.latencies, s.errors, elapsed))
		every = append(every, s.latencies...)
		rep.Total.Errors += s.errors
	}
	rep.Total = row("all", every, rep.Total.Errors, elapsed)
	return rep
}

func row(kind string, ls []time.Duration, errors int, elapsed time.Duration) Row {
	sort.Slice(ls, func(i, j int) bool { return ls[i] < ls[j] })
	r := Row{Kind: kind, Requests: len(ls), Errors: errors}
	if elapsed > 0 {
		r.PerSec = float64(len(ls)) / elapsed.Seconds()
	}
	if len(ls) > 0 {
		r.P50, r.P99, r.Max = percentile(ls, 50), percentile(ls, 99), ls[len(ls)-1]
	}
	return r
}

// percentile is the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, p int) time.Duration {
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 · n)
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}
