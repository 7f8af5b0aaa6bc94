package storetest

import (
	"testing"

	"thonso/internal/domain"
	"thonso/internal/store"
)

func testDossierFlow(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	dc := village(t, s, "Thôn Đông Căm", today)
	xg := village(t, s, "Thôn Bầu 1", today) // a village of old Xuân Giao
	d0 := domain.MustDate("2024-10-01")
	oldGP := MustUnit(t, s, "02923", oct2024)
	newGP := MustUnit(t, s, "02923", today)
	baseDC, _ := s.CountDossiers(Ctx(), dc.ID, oct2024, false)
	baseOld, _ := s.CountDossiers(Ctx(), oldGP.ID, oct2024, false)
	baseNew, _ := s.CountDossiers(Ctx(), newGP.ID, oct2024, true)
	baseEarly, _ := s.CountDossiers(Ctx(), dc.ID, domain.MustDate("2024-09-30"), false)
	recv := func(v domain.Unit, code string, practice bool) domain.Dossier {
		d, err := s.ReceiveDossier(Ctx(), admin, store.NewDossier{VillageID: v.ID, ProcedureCode: code, ApplicantName: "Hoàng Văn Thử", ApplicantPhone: "0399 999 100",
			Practice: practice, ReceivedOn: d0})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := recv(dc, "2.000815", false)
	if d.State != domain.StateReceived || len(d.LookupCode) != 8 || d.Portal != "provincial" {
		t.Fatalf("received %+v", d)
	}
	step := func(d domain.Dossier, act domain.DossierAction, on, note, code string) (domain.Dossier, error) {
		return s.AdvanceDossier(Ctx(), admin, store.Step{DossierID: d.ID, Version: d.Version, Action: act, On: domain.MustDate(on), Note: note, PortalCode: code})
	}
	must := func(d domain.Dossier, err error) domain.Dossier {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// Out of order, a date before the previous step, no portal code: refused.
	if _, err := step(d, domain.ActCollect, "2024-10-02", "", ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("collect before submitting: %v", err)
	}
	if _, err := step(d, domain.ActSubmit, "2024-09-30", "", "H55.242-240930-0001"); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("date before reception: %v", err)
	}
	if _, err := step(d, domain.ActSubmit, "2024-10-01", "", ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("no portal code: %v", err)
	}
	// Submit, the portal declines, resubmit; a correction round; collect; return.
	d = must(step(d, domain.ActSubmit, "2024-10-01", "", "H55.242-241001-0001"))
	d = must(step(d, domain.ActDecline, "2024-10-02", "Thiếu bản chụp CCCD", ""))
	d = must(step(d, domain.ActSubmit, "2024-10-02", "", ""))
	d = must(step(d, domain.ActAccept, "2024-10-03", "", ""))
	d = must(step(d, domain.ActRequestCorrection, "2024-10-04", "Bổ sung bản chính", ""))
	stale := d
	d = must(step(d, domain.ActResubmit, "2024-10-05", "", ""))
	if _, err := step(stale, domain.ActResubmit, "2024-10-05", "", ""); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("stale step: %v", err)
	}
	d = must(step(d, domain.ActAccept, "2024-10-06", "", ""))
	d = must(step(d, domain.ActCollect, "2024-10-08", "", ""))
	d = must(step(d, domain.ActReturn, "2024-10-09", "", ""))
	if d.State != domain.StateReturned || d.ReturnedOn != domain.MustDate("2024-10-09") || d.PortalCode != "H55.242-241001-0001" {
		t.Fatalf("returned %+v", d)
	}
	// The same portal code on another dossier of that portal is refused.
	e := recv(dc, "2.000815", false)
	if _, err := step(e, domain.ActSubmit, "2024-10-01", "", "H55.242-241001-0001"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("portal code reused: %v", err)
	}
	// Step 5 straight from 3 only for a fully online procedure.
	f := recv(dc, "1.010041", false) // xác nhận cư trú: toàn trình
	f = must(step(f, domain.ActSubmit, "2024-10-01", "", "G22.99-241001-0002"))
	f = must(step(f, domain.ActAccept, "2024-10-02", "", ""))
	f = must(step(f, domain.ActReturn, "2024-10-03", "", ""))
	g := recv(dc, "1.000894", false) // đăng ký kết hôn: the result is on paper
	g = must(step(g, domain.ActSubmit, "2024-10-01", "", "H55.242-241001-0003"))
	g = must(step(g, domain.ActAccept, "2024-10-02", "", ""))
	if _, err := step(g, domain.ActReturn, "2024-10-03", "", ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("paper result returned without collecting: %v", err)
	}
	// Counting: voided counts nowhere, refused counts, practice apart.
	voided := must(step(recv(dc, "1.004194", false), domain.ActVoid, "2024-10-02", "Nhập nhầm", ""))
	r := recv(xg, "1.003677", false)
	r = must(step(r, domain.ActSubmit, "2024-10-01", "", "G22.99-241001-0009"))
	r = must(step(r, domain.ActAccept, "2024-10-02", "", ""))
	must(step(r, domain.ActRefuse, "2024-10-03", "Không đủ điều kiện", ""))
	recv(dc, "2.000815", true)
	c, err := s.CountDossiers(Ctx(), dc.ID, oct2024, false)
	if err != nil || c.Residents-baseDC.Residents != 4 || c.Practice-baseDC.Practice != 1 {
		t.Fatalf("Đông Căm: %+v (before %+v) %v", c, baseDC, err)
	}
	was, _ := s.CountDossiers(Ctx(), oldGP.ID, oct2024, false)
	now, _ := s.CountDossiers(Ctx(), newGP.ID, oct2024, true)
	if was.Residents-baseOld.Residents != 4 || now.Residents-baseNew.Residents != 5 {
		t.Fatalf("old Gia Phú as it was +%d, today's Gia Phú re-attributed +%d", was.Residents-baseOld.Residents, now.Residents-baseNew.Residents)
	}
	if before, _ := s.CountDossiers(Ctx(), dc.ID, domain.MustDate("2024-09-30"), false); before != baseEarly {
		t.Fatalf("before reception: %+v", before)
	}
	// The month's log: received or returned in October, voided left out,
	// in order of reception; September's has none of these.
	log, err := s.DossierLog(Ctx(), admin.Scope(domain.PermDossierEdit), dc.ID, domain.MustDate("2024-10-01"), domain.MustDate("2024-10-31"))
	if err != nil {
		t.Fatal(err)
	}
	in := map[int64]bool{}
	for i, x := range log {
		in[x.ID] = true
		if x.VillageID != dc.ID || (i > 0 && x.ReceivedOn.Before(log[i-1].ReceivedOn)) {
			t.Fatalf("log row %d: %+v", i, x)
		}
	}
	if !in[d.ID] || !in[e.ID] || !in[f.ID] || !in[g.ID] || in[voided.ID] || in[r.ID] {
		t.Fatalf("October log of Đông Căm: %d rows, has d %v e %v f %v g %v voided %v Bầu 1 %v", len(log), in[d.ID], in[e.ID], in[f.ID], in[g.ID], in[voided.ID], in[r.ID])
	}
	sep, _ := s.DossierLog(Ctx(), admin.Scope(domain.PermDossierEdit), dc.ID, domain.MustDate("2024-09-01"), domain.MustDate("2024-09-30"))
	for _, x := range sep {
		if x.ID == d.ID {
			t.Fatal("an October dossier in September's log")
		}
	}
	// Linked procedures (liên thông): stored with the dossier, read back;
	// the main one again is refused and stores nothing.
	thuongTru, _ := s.Procedure(Ctx(), "1.004222")
	ld, err := s.ReceiveDossier(Ctx(), admin, store.NewDossier{VillageID: dc.ID, ProcedureCode: "1.001193", ApplicantName: "Hoàng Thị Mẹ", ReceivedOn: d0, Linked: []string{"1.004222", " 1.004222 "}})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Dossier(Ctx(), admin.Scope(domain.PermDossierEdit), ld.ID); err != nil || len(got.Linked) != 1 || got.Linked[0] != thuongTru.ID {
		t.Fatalf("linked read back: %v %v", got.Linked, err)
	}
	// Papers ticked at step 1: from either procedure's checklist; the
	// version moves; an old version is refused.
	tt, _ := s.Procedure(Ctx(), "1.004222")
	ld, err = s.TickDocuments(Ctx(), admin, ld.ID, ld.Version, []string{tt.Documents[0], tt.Documents[0]})
	if err != nil || len(ld.DocumentsReceived) != 1 || ld.DocumentsReceived[0] != tt.Documents[0] {
		t.Fatalf("ticked: %v %v", ld.DocumentsReceived, err)
	}
	if _, err := s.TickDocuments(Ctx(), admin, ld.ID, ld.Version-1, nil); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("stale tick: %v", err)
	}
	if _, err := s.TickDocuments(Ctx(), admin, ld.ID, ld.Version, []string{"Sổ đỏ"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("unknown paper: %v", err)
	}
	if _, err := s.ReceiveDossier(Ctx(), admin, store.NewDossier{VillageID: dc.ID, ProcedureCode: "1.001193", ApplicantName: "Hoàng Thị Mẹ", ReceivedOn: d0, Linked: []string{"1.001193"}}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("main procedure linked to itself: %v", err)
	}
	if c2, _ := s.CountDossiers(Ctx(), dc.ID, oct2024, false); c2.Residents != c.Residents+1 {
		t.Fatalf("a linked filing counts once: %d → %d", c.Residents, c2.Residents)
	}
	// A province's step labels: read back, emptied back to standard; only
	// a province, only by who manages its criteria.
	prov, ok, err := s.ProvinceOf(Ctx(), dc)
	if err != nil || !ok {
		t.Fatalf("province of Đông Căm: %v %v", ok, err)
	}
	pu := MustUnit(t, s, prov.Code, today)
	if err := s.SetStepLabels(Ctx(), admin, pu, map[domain.DossierState]string{domain.StateReceived: " Nhận  hồ sơ "}); err != nil {
		t.Fatal(err)
	}
	if ls, _ := s.StepLabels(Ctx(), pu.ID); ls[domain.StateReceived] != "Nhận hồ sơ" || len(ls) != 1 {
		t.Fatalf("labels read back: %v", ls)
	}
	if err := s.SetStepLabels(Ctx(), admin, dc, map[domain.DossierState]string{domain.StateReceived: "x"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("labels on a village: %v", err)
	}
	if err := s.SetStepLabels(Ctx(), admin, pu, nil); err != nil {
		t.Fatal(err)
	}
	if ls, _ := s.StepLabels(Ctx(), pu.ID); len(ls) != 0 {
		t.Fatalf("labels after emptying: %v", ls)
	}
	// Scope: the Đông Căm member cannot touch Bầu 1's dossier.
	m, _, _ := s.Credentials(Ctx(), "thanhvien.dongcam")
	if err := s.SetStepLabels(Ctx(), mustActor(t, s, m), pu, nil); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("a member setting the province's labels: %v", err)
	}
	if _, err := s.DossierLog(Ctx(), mustActor(t, s, m).Scope(domain.PermDossierEdit), xg.ID, d0, d0); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("another village's log: %v", err)
	}
	if _, err := s.AdvanceDossier(Ctx(), mustActor(t, s, m), store.Step{DossierID: r.ID, Version: r.Version, Action: domain.ActVoid, On: oct2024, Note: "x"}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("out of scope: %v", err)
	}
}

// testDemoDossiers: the report's 1.189 residents' dossiers by 31/10/2024,
// 180 in Đông Căm, every team with some; practice apart.
func testDemoDossiers(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	bt := MustUnit(t, s, "086", oct2024)
	c, err := s.CountDossiers(Ctx(), bt.ID, oct2024, false)
	if err != nil || c.Residents != 1189 || c.Practice == 0 {
		t.Fatalf("Bảo Thắng on 31/10/2024: %+v %v", c, err)
	}
	dc := village(t, s, "Thôn Đông Căm", today)
	if c, _ := s.CountDossiers(Ctx(), dc.ID, oct2024, false); c.Residents != 180 {
		t.Fatalf("Đông Căm: %+v", c)
	}
	// In the report's three sectors, month by month from 01/2024.
	groups, err := s.DossierBreakdown(Ctx(), dc.ID, oct2024, false)
	if err != nil {
		t.Fatal(err)
	}
	sectors, months, total := map[string]int{}, map[string]bool{}, 0
	for _, g := range groups {
		sectors[g.Sector] += g.Count
		months[g.Month] = true
		total += g.Count
	}
	if total != 180 || len(sectors) != 3 || sectors["tu_phap"] == 0 || sectors["cong_an"] == 0 || sectors["lao_dong_tbxh"] == 0 || months["2023-12"] || !months["2024-01"] || !months["2024-10"] {
		t.Fatalf("Đông Căm breakdown: %d in %v over %v", total, sectors, months)
	}
	kids, _ := s.Children(Ctx(), bt.ID, oct2024)
	for _, k := range kids {
		vs, _ := s.Children(Ctx(), k.ID, oct2024)
		for _, v := range vs {
			if _, ok, _ := s.EnrolledOn(Ctx(), v.ID, oct2024); !ok {
				continue
			}
			if c, _ := s.CountDossiers(Ctx(), v.ID, oct2024, false); c.Residents == 0 {
				t.Errorf("%s has no dossier", v.Name)
			}
		}
	}
	// Re-attributed: today's communes together hold the same 1.189.
	sum := 0
	for _, code := range []string{"02902", "02905", "02908", "02647", "02923", "02926"} {
		u := MustUnit(t, s, code, today)
		c, _ := s.CountDossiers(Ctx(), u.ID, oct2024, true)
		sum += c.Residents
	}
	if sum != 1189 {
		t.Fatalf("re-attributed to today's communes: %d", sum)
	}
	if later, _ := s.CountDossiers(Ctx(), bt.ID, jun2025, false); later.Residents <= 1189 {
		t.Fatalf("no work after the report: %+v", later)
	}
}
