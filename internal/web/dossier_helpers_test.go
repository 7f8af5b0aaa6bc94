package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"thonso/internal/domain"
)

// TestDossierHelpers: two members receive a dossier together; the page
// and slip name both and it sits in both their queues. A member chosen
// twice, or from another village's team, is refused beside the boxes and
// nothing is stored.
func TestDossierHelpers(t *testing.T) {
	env := newLoginEnv(t) // today: 31/10/2026
	b := loggedInAs(t, env, "thanhvien.dongcam")
	_, form, _ := b.get("/villages/T000001/dossiers/new")
	opts := regexp.MustCompile(`<option value="(\d+)">([^<]+)</option>`).FindAllStringSubmatch(form[strings.Index(form, `id="member"`):], -1)
	if len(opts) < 2 || !strings.Contains(form, `name="helpers"`) {
		t.Fatalf("members to choose: %v", opts)
	}
	lead, helper := opts[0], opts[1]
	ctx := context.Background()
	other, _ := env.store.UnitAt(ctx, "T000003", domain.MustDate("2026-10-31"))
	teams, _ := env.store.TeamsOf(ctx, other.ID, domain.MustDate("2026-10-31"))
	outsiders, _ := env.store.Members(ctx, teams[0].ID, domain.MustDate("2026-10-31"))
	before, _ := env.store.CountRows(ctx, "dossiers")
	for name, helpers := range map[string][]string{
		"twice":        {lead[1]},
		"outsider":     {strconv.FormatInt(outsiders[0].ID, 10)},
		"not a number": {"abc"},
	} {
		st, body, _ := b.post("/villages/T000001/dossiers", url.Values{"procedure": {"2.000815"}, "applicant_name": {"Lò Văn Bốn"}, "member": {lead[1]},
			"helpers": helpers, "received_on": {"31/10/2026"}})
		if st != 422 || !strings.Contains(body, `id="helpers-error"`) || !strings.Contains(body, `value="Lò Văn Bốn"`) {
			t.Errorf("%s: %d", name, st)
		}
	}
	if after, _ := env.store.CountRows(ctx, "dossiers"); after != before {
		t.Fatal("a refused dossier was stored")
	}
	st, _, h := b.post("/villages/T000001/dossiers", url.Values{"procedure": {"2.000815"}, "applicant_name": {"Lò Văn Bốn"}, "member": {lead[1]},
		"helpers": {helper[1]}, "received_on": {"31/10/2026"}})
	if st != 303 {
		t.Fatalf("receive: %d", st)
	}
	_, page, _ := b.get(h.Get("Location"))
	if !strings.Contains(page, `id="assisting-member">`+lead[2]+`</dd>`) || !strings.Contains(page, `id="dossier-helpers">`+helper[2]+`</dd>`) {
		t.Fatalf("the page does not name both members")
	}
	for _, m := range []string{lead[1], helper[1]} {
		if _, q, _ := b.get("/villages/T000001/dossiers?member=" + m); !strings.Contains(q, "Lò Văn Bốn") {
			t.Errorf("not in member %s's queue", m)
		}
	}
}
