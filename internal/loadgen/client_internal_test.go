package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestFailuresCounted: a 5xx, an unexpected 4xx and no answer at all are
// failures; an expected status is not; nothing is sent once the run is
// over.
func TestFailuresCounted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
		case "/boom":
			w.WriteHeader(http.StatusInternalServerError)
		case "/gone":
			w.WriteHeader(http.StatusNotFound)
		case "/bad":
			w.WriteHeader(http.StatusUnprocessableEntity)
		}
	}))
	defer srv.Close()
	stop, end := context.WithCancel(context.Background())
	r := &run{base: srv.URL, transport: &http.Transport{}, timeout: 5 * time.Second, stop: stop, end: end, abort: context.Background()}
	rec := newRecorder()
	c := r.newClient(rec)
	for _, x := range []struct {
		path string
		want int
		err  error
	}{
		{"/ok", http.StatusOK, nil},
		{"/boom", http.StatusOK, errFailed},
		{"/gone", http.StatusOK, errFailed},
		{"/bad", http.StatusUnprocessableEntity, nil},
	} {
		if _, err := c.get("k", x.path, x.want); err != x.err {
			t.Errorf("%s: %v, want %v", x.path, err, x.err)
		}
	}
	srv.Close()
	if _, err := c.get("k", "/ok", http.StatusOK); err != errFailed {
		t.Errorf("server gone: %v, want a failure", err)
	}
	end()
	if _, err := c.get("k", "/ok", http.StatusOK); err != errStop {
		t.Errorf("after the end: %v, want errStop", err)
	}
	rep := merge([]*recorder{rec}, time.Second, []string{"k", "never"})
	if rep.Errors() != 3 || rep.Total.Requests != 5 {
		t.Errorf("%d errors in %d requests, want 3 in 5", rep.Errors(), rep.Total.Requests)
	}
	if len(rep.Missing) != 1 || rep.Missing[0] != "never" {
		t.Errorf("missing %v, want [never]", rep.Missing)
	}
}

func TestPercentile(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		var out []time.Duration
		for _, x := range n {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	for _, x := range []struct {
		in     []time.Duration
		p      int
		wantMS int
	}{
		{ms(7), 50, 7}, {ms(7), 99, 7},
		{ms(1, 2, 3, 4), 50, 2}, {ms(1, 2, 3, 4), 99, 4},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 50, 5}, {ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10},
	} {
		if got := percentile(x.in, x.p); got != time.Duration(x.wantMS)*time.Millisecond {
			t.Errorf("p%d of %v = %s, want %d ms", x.p, x.in, got, x.wantMS)
		}
	}
}
