package loadgen

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"thonso/internal/domain"
)

// The kinds of request a member makes, on the web forms or the API.
const (
	kindWebQueue   = "member: queue (web)"
	kindWebNew     = "member: new form (web)"
	kindWebReceive = "member: receive (web)"
	kindWebPage    = "member: dossier page (web)"
	kindWebStep    = "member: step (web)"
	kindAPIReceive = "member: receive (API)"
	kindAPIStep    = "member: step (API)"
	kindAPIQueue   = "member: queue (API)"
)

// member receives dossiers in their village and takes them through the
// five steps — on the phone-friendly web forms or, for a member whose app
// uses the API, with a token. A member advances only the dossiers they
// received, so no two users race for one (a 409 would be a real error).
type member struct {
	c     *client
	rng   *rand.Rand
	v     village
	procs []procedure
	web   bool
	open  []*ownDossier
	begun bool
}

type ownDossier struct {
	id      int64
	version int
	state   domain.DossierState
	online  bool
}

// maxOpen is how many dossiers a member keeps in hand at once.
const maxOpen = 3

func (m *member) act() error {
	// A member's day starts with the queue, and comes back to it now and then.
	if !m.begun || m.rng.IntN(8) == 0 {
		m.begun = true
		if m.web {
			_, err := m.c.get(kindWebQueue, "/villages/"+m.v.Code+"/dossiers", http.StatusOK)
			return err
		}
		var q struct{ Items []map[string]any }
		return m.c.getJSON(kindAPIQueue, "/api/v1/villages/"+m.v.Code+"/dossiers", &q)
	}
	if len(m.open) == 0 || (len(m.open) < maxOpen && m.rng.IntN(3) == 0) {
		return m.receive()
	}
	i := m.rng.IntN(len(m.open))
	d := m.open[i]
	err := m.advance(d)
	if err != nil || d.state.Final() {
		// Done, or in doubt after a failure: let it go.
		m.open = append(m.open[:i], m.open[i+1:]...)
	}
	return err
}

// today is the civil date in Vietnam a little while ago, so a step sent
// just after midnight is never dated after the server's today.
func today() domain.Date { return domain.DateOf(time.Now().Add(-2 * time.Minute)) }

var applicants = []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em",
	"Vũ Thị Giang", "Đặng Văn Hùng", "Bùi Thị Lan", "Đỗ Văn Minh", "Lý Thị Ngọc", "Hà Văn Phúc", "Giàng Thị Sua"}

func (m *member) receive() error {
	p := m.procs[m.rng.IntN(len(m.procs))]
	name := applicants[m.rng.IntN(len(applicants))]
	phone := fmt.Sprintf("0398%06d", m.rng.IntN(1000000))
	on := today()
	d := &ownDossier{state: domain.StateReceived, online: p.FullyOnline}
	var code string
	if m.web {
		if _, err := m.c.get(kindWebNew, "/villages/"+m.v.Code+"/dossiers/new", http.StatusOK); err != nil {
			return err
		}
		rep, err := m.c.postForm(kindWebReceive, "/villages/"+m.v.Code+"/dossiers", url.Values{"procedure": {p.Code},
			"applicant_name": {name}, "applicant_phone": {phone}, "received_on": {on.Time().Format("02/01/2006")}}, http.StatusSeeOther)
		if err != nil {
			return err
		}
		if d.id, err = m.dossierID(kindWebReceive, rep); err != nil {
			return err
		}
		if code, err = m.page(d, true); err != nil {
			return err
		}
	} else {
		var out apiDossier
		in := map[string]any{"village_code": m.v.Code, "procedure": p.Code, "applicant_name": name, "applicant_phone": phone, "received_on": on}
		if err := m.c.sendJSON(kindAPIReceive, http.MethodPost, "/api/v1/dossiers", in, &out, http.StatusCreated); err != nil {
			return err
		}
		d.id, d.version, code = out.ID, out.Version, out.LookupCode
	}
	m.open = append(m.open, d)
	m.c.pool.add(slip{code: code, phone: phone})
	return nil
}

type apiDossier struct {
	ID         int64               `json:"id"`
	Version    int                 `json:"version"`
	State      domain.DossierState `json:"state"`
	LookupCode string              `json:"lookup_code"`
}

// nextAction is the usual way forward: submit, accept, collect (or, when
// the result comes online, return at once), return.
func nextAction(d *ownDossier) domain.DossierAction {
	switch d.state {
	case domain.StateReceived:
		return domain.ActSubmit
	case domain.StateSubmitted:
		return domain.ActAccept
	case domain.StateProcessing:
		if d.online {
			return domain.ActReturn
		}
		return domain.ActCollect
	}
	return domain.ActReturn
}

func (m *member) advance(d *ownDossier) error {
	act := nextAction(d)
	on := today()
	portal := ""
	if act == domain.ActSubmit {
		portal = m.c.portal.next(on.Time().Format("060102"))
	}
	to, err := domain.Transition(d.state, act, d.online)
	if err != nil {
		return err
	}
	id := strconv.FormatInt(d.id, 10)
	if m.web {
		rep, err := m.c.postForm(kindWebStep, "/dossiers/"+id+"/steps", url.Values{"action": {string(act)}, "on": {on.Time().Format("02/01/2006")},
			"portal_code": {portal}, "version": {strconv.Itoa(d.version)}}, http.StatusSeeOther)
		if err != nil {
			return err
		}
		if rep.location != "/dossiers/"+id {
			m.c.rec.fail(Failure{Kind: kindWebStep, Method: http.MethodPost, Path: "/dossiers/" + id + "/steps", Status: rep.status, Detail: "went to " + rep.location})
			return errFailed
		}
		if _, err := m.page(d, !to.Final()); err != nil {
			return err
		}
	} else {
		var out apiDossier
		in := map[string]any{"action": act, "on": on, "portal_code": portal, "version": d.version}
		if err := m.c.sendJSON(kindAPIStep, http.MethodPost, "/api/v1/dossiers/"+id+"/steps", in, &out, http.StatusOK); err != nil {
			return err
		}
		if out.State != to {
			m.c.rec.fail(Failure{Kind: kindAPIStep, Method: http.MethodPost, Path: "/api/v1/dossiers/" + id + "/steps", Status: http.StatusOK, Detail: "state " + string(out.State) + ", want " + string(to)})
			return errFailed
		}
		d.version = out.Version
	}
	d.state = to
	return nil
}

var dossierPath = regexp.MustCompile(`^/dossiers/([0-9]+)$`)

// dossierID reads the new dossier's id from the redirect to its page.
func (m *member) dossierID(kind string, rep reply) (int64, error) {
	if g := dossierPath.FindStringSubmatch(rep.location); g != nil {
		return strconv.ParseInt(g[1], 10, 64)
	}
	m.c.rec.fail(Failure{Kind: kind, Method: http.MethodPost, Status: rep.status, Detail: "went to " + rep.location})
	return 0, errFailed
}

var (
	versionField = regexp.MustCompile(`name="version" value="([0-9]+)"`)
	lookupCode   = regexp.MustCompile(`id="lookup-code">([^<]+)<`)
)

// page opens the dossier's page (where the form's redirect leads) and
// reads the lookup code on its receipt slip and, while steps remain, the
// version its step form carries.
func (m *member) page(d *ownDossier, needVersion bool) (string, error) {
	path := "/dossiers/" + strconv.FormatInt(d.id, 10)
	rep, err := m.c.get(kindWebPage, path, http.StatusOK)
	if err != nil {
		return "", err
	}
	v, c := versionField.FindSubmatch(rep.body), lookupCode.FindSubmatch(rep.body)
	if (v == nil && needVersion) || c == nil {
		m.c.rec.fail(Failure{Kind: kindWebPage, Method: http.MethodGet, Path: path, Status: rep.status, Detail: "no version or lookup code on the page"})
		return "", errFailed
	}
	if v != nil {
		d.version, _ = strconv.Atoi(string(v[1]))
	}
	return string(c[1]), nil
}
