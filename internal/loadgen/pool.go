package loadgen

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
)

// slip is what a receipt slip gives a resident: the lookup code and the
// phone whose last four digits go with it.
type slip struct{ code, phone string }

// lookupPool holds the slips of dossiers received during the run, for
// residents to look up; it keeps the latest few thousand.
type lookupPool struct {
	mu    sync.Mutex
	slips []slip
	next  int
}

const poolSize = 4096

func (p *lookupPool) add(s slip) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.slips) < poolSize {
		p.slips = append(p.slips, s)
		return
	}
	p.slips[p.next] = s
	p.next = (p.next + 1) % poolSize
}

func (p *lookupPool) pick(rng *rand.Rand) (slip, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.slips) == 0 {
		return slip{}, false
	}
	return p.slips[rng.IntN(len(p.slips))], true
}

// portalCodes hands out portal dossier codes of the usual shape
// (AGENCY-YYMMDD-NNNNNN), unique within the run: the agency carries the
// run's nonce, so a second run on the same database does not collide.
type portalCodes struct {
	agency string
	n      atomic.Int64
}

func (p *portalCodes) next(yymmdd string) string {
	return fmt.Sprintf("%s-%s-%06d", p.agency, yymmdd, p.n.Add(1)%1000000)
}
