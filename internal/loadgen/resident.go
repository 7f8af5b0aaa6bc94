package loadgen

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
)

// The kinds of request a resident makes.
const (
	kindVillage    = "resident: village page"
	kindLookupForm = "resident: lookup form"
	kindLookup     = "resident: lookup"
	kindMistyped   = "resident: lookup, mistyped"
)

// resident opens a village's public page, or checks a dossier at
// /tra-cuu with the code and phone digits of a slip received during the
// run. Each visit is a new person: fresh cookies and, when the server
// trusts the driver as a proxy, a fresh made-up address — so the lookup
// throttle (per address and per code) sees many residents, as in life.
type resident struct {
	c         *client
	rng       *rand.Rand
	villages  []village
	forwarded bool
}

func (r *resident) act() error {
	jar, _ := cookiejar.New(nil)
	r.c.hc.Jar = jar
	if r.forwarded {
		r.c.forwarded = fmt.Sprintf("10.%d.%d.%d", r.rng.IntN(256), r.rng.IntN(256), 1+r.rng.IntN(254))
	}
	s, ok := r.c.pool.pick(r.rng)
	if !ok || r.rng.IntN(2) == 0 {
		v := r.villages[r.rng.IntN(len(r.villages))]
		_, err := r.c.get(kindVillage, "/v/"+v.Slug, http.StatusOK)
		return err
	}
	if _, err := r.c.get(kindLookupForm, "/tra-cuu?ma="+s.code, http.StatusOK); err != nil {
		return err
	}
	// Mistyping is a wrong answer the throttle counts: only from
	// addresses of their own (a shared one would lock every resident
	// out), and with a code nobody holds (five wrong answers lock a code).
	if r.forwarded && r.rng.IntN(5) == 0 {
		_, err := r.c.postForm(kindMistyped, "/tra-cuu", url.Values{"code": {randomCode(r.rng)}, "phone4": {s.phone[len(s.phone)-4:]}}, http.StatusUnprocessableEntity)
		return err
	}
	_, err := r.c.postForm(kindLookup, "/tra-cuu", url.Values{"code": {s.code}, "phone4": {s.phone[len(s.phone)-4:]}}, http.StatusOK)
	return err
}

// randomCode is a well-formed lookup code (8 letters of the slip's
// alphabet) that, with 40 random bits, no dossier holds.
func randomCode(rng *rand.Rand) string {
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := make([]byte, 8)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}
