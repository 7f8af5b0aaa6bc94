package storetest

import (
	"bytes"
	"testing"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// testExportJobs: a background export's row through its life — queued,
// claimed once, progress, its file for its user only — and a running job
// whose heartbeat went stale marked failed; and the village rows of the
// report (Đông Căm's 180 dossiers, 257/387).
func testExportJobs(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	dc := village(t, s, "Thôn Đông Căm", oct2024)
	owner := &domain.Actor{User: MustUser(t, s, "xuat.bao.cao", domain.RoleViewer, dc.ID)}
	other := &domain.Actor{User: MustUser(t, s, "nguoi.khac", domain.RoleViewer, dc.ID)}
	j, err := s.QueueExport(Ctx(), owner, store.ExportJob{UnitID: dc.ID, UnitCode: dc.Code, UnitName: dc.Name, At: oct2024, Current: true, Format: "pdf", Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ExportJobOf(Ctx(), other, j.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("another user sees the job: %v", err)
	}
	c, ok, err := s.ClaimExport(Ctx())
	if err != nil || !ok || c.ID != j.ID || c.Status != "running" || !c.Current || !c.At.Equal(oct2024) {
		t.Fatalf("claim: %v %v %+v", ok, err, c)
	}
	if _, ok, _ := s.ClaimExport(Ctx()); ok {
		t.Fatal("a job was claimed twice")
	}
	if err := s.ExportProgress(Ctx(), j.ID, 3, 10); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ExportFile(Ctx(), owner, j.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("a running job has a file: %v", err)
	}
	if err := s.FinishExport(Ctx(), j.ID, "bao-cao.pdf", []byte("%PDF-1.4 x"), ""); err != nil {
		t.Fatal(err)
	}
	name, b, err := s.ExportFile(Ctx(), owner, j.ID)
	if err != nil || name != "bao-cao.pdf" || !bytes.Equal(b, []byte("%PDF-1.4 x")) {
		t.Fatalf("file: %q %q %v", name, b, err)
	}
	if _, _, err := s.ExportFile(Ctx(), other, j.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("another user gets the file: %v", err)
	}
	// A job whose server stopped mid-export.
	lost, _ := s.QueueExport(Ctx(), owner, store.ExportJob{UnitID: dc.ID, UnitCode: dc.Code, UnitName: dc.Name, At: oct2024, Format: "xlsx", Lang: "vi"})
	s.ClaimExport(Ctx())
	if n, _ := s.FailLostExports(Ctx()); n != 0 {
		t.Fatal("a live job was taken for lost")
	}
	later := s.WithClock(func() time.Time { return time.Now().Add(store.ExportStale + time.Minute) })
	if n, err := later.FailLostExports(Ctx()); n != 1 || err != nil {
		t.Fatalf("lost: %d %v", n, err)
	}
	if g, _ := s.ExportJobOf(Ctx(), owner, lost.ID); g.Status != "failed" || g.Error != "export.lost" {
		t.Fatalf("lost job: %+v", g)
	}
	rows, err := s.VillageRows(Ctx(), []domain.Unit{dc}, oct2024, false, nil)
	if err != nil || len(rows) != 1 {
		t.Fatal(err)
	}
	r := rows[0]
	if !r.Smart || r.Dossiers != 180 || r.Figures.Accounts14 != 257 || r.Figures.Aged14 != 387 || r.TeamMembers != 6 || r.Commune != "Xã Gia Phú" {
		t.Fatalf("Đông Căm's row: %+v", r)
	}
}
