package loadgen

import (
	"math/rand/v2"
	"net/http"
	"strings"

	"thonso/internal/domain"
)

// The kinds of request an officer makes.
const (
	kindDashboard = "officer: dashboard"
	kindRankings  = "officer: rankings"
	kindStatsAPI  = "officer: stats (API)"
	kindCounts    = "officer: dossier counts"
)

// officer browses the figures of the units in their reach: the
// dashboard most, then the rankings, the stats API (with their token) and
// the dossier counts, sometimes as they were on a past date.
type officer struct {
	c      *client
	rng    *rand.Rand
	units  []string
	visits int
}

func (o *officer) act() error {
	code, at, _ := strings.Cut(o.units[o.rng.IntN(len(o.units))], "@")
	webAt, apiAt := "", ""
	if at != "" {
		d, err := domain.ParseISO(at)
		if err != nil {
			return err
		}
		webAt, apiAt = "?at="+d.Time().Format("02/01/2006"), "?at="+at
	}
	// The first visits go once to each page, so every kind is measured
	// even in a short run; then the dashboard is the most visited.
	n := o.rng.IntN(10)
	if o.visits < 4 {
		n = []int{0, 4, 6, 8}[o.visits]
	}
	o.visits++
	switch {
	case n < 4:
		_, err := o.c.get(kindDashboard, "/units/"+code+"/dashboard"+webAt, http.StatusOK)
		return err
	case n < 6:
		_, err := o.c.get(kindRankings, "/units/"+code+"/rankings"+webAt, http.StatusOK)
		return err
	case n < 8:
		var stats map[string]any
		return o.c.getJSON(kindStatsAPI, "/api/v1/units/"+code+"/stats"+apiAt, &stats)
	default:
		_, err := o.c.get(kindCounts, "/units/"+code+"/dossiers"+webAt, http.StatusOK)
		return err
	}
}
