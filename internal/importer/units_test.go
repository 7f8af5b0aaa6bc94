package importer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"thonso/internal/domain"
)

func fileErrs(t *testing.T, err error) map[int]string {
	t.Helper()
	var fe *domain.FileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("want FileErrors, got %v", err)
	}
	out := map[int]string{}
	for _, r := range fe.Rows {
		out[r.Row] = r.Err.Key
	}
	return out
}

func TestPre2025(t *testing.T) {
	data := []byte(`{"data_date":"01/03/2025","data":[{"level1_id":"10","name":"Tỉnh Lào Cai","type":"Tỉnh","level2s":[
		{"level2_id":"086","name":"Huyện Bảo Thắng","type":"Huyện","level3s":[{"level3_id":"02923","name":"Xã Gia Phú","type":"Xã"}]}]}]}`)
	b, err := UnitFile("dvhcvn.json", data, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Units) != 3 || b.Units[2].ParentCode != "086" || b.Units[2].ResolveAt != domain.MustDate("2025-03-01") || !b.Units[2].ValidFrom.IsZero() || b.Units[2].Row != 3 {
		t.Fatalf("units %+v", b.Units)
	}
	if _, err := UnitFile("dvhcvn.json", []byte(`{"data_date":"hôm qua","data":[]}`), ""); fileErrs(t, err)[0] != "import.data_date_invalid" {
		t.Fatal("bad data_date accepted")
	}
	if _, err := UnitFile("x.json", []byte(`{"data": [`), ""); fileErrs(t, err)[0] != "import.json_invalid" {
		t.Fatal("broken JSON accepted")
	}
	if _, err := UnitFile("x.txt", data, ""); fileErrs(t, err)[0] != "import.kind_unknown" {
		t.Fatal("unknown kind accepted")
	}
}

func TestMerges(t *testing.T) {
	data := []byte(`{"data":[{"level1_id":"15","name":"Tỉnh Lào Cai","merges":[{"old_id":"10","name":"Tỉnh Lào Cai","type":"full"},{"old_id":"15","name":"Tỉnh Yên Bái","type":"full"}],
		"level2s":[{"level2_id":"02923","name":"Xã Gia Phú","merges":[{"old_id":"02923","type":"full"},{"old_id":"02932","type":"partial"}]},
		           {"level2_id":"26732","name":"Đặc khu Côn Đảo","merges":[{"old_id":"755","type":"full"}]}]}]}`)
	b, err := UnitFile("merges.json", data, "NQ")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Units) != 3 || len(b.Links) != 5 || len(b.Abolish) != 1 || b.LegalAct != "NQ" {
		t.Fatalf("batch %+v", b)
	}
	if l := b.Links[3]; l.FromCode != "02932" || l.Kind != domain.LinkMergePartial || l.ToCode != "02923" || l.Effective != ReorgDate {
		t.Fatalf("link %+v", l)
	}
	if l := b.Links[4]; l.FromLevel != domain.LevelDistrict {
		t.Fatalf("island district link %+v", l)
	}
	bad := []byte(`{"data":[{"level1_id":"15","name":"Tỉnh Lào Cai","merges":[],"level2s":[{"level2_id":"02923","name":"Xã Gia Phú","merges":[{"old_id":"02923","type":"some"}]},{"level2_id":"02924","name":"Xã Trống","merges":[]}]}]}`)
	errs := fileErrs(t, func() error { _, err := UnitFile("merges.json", bad, ""); return err }())
	if errs[2] != "import.merge_type_invalid" || errs[3] != "import.merges_missing" {
		t.Fatalf("errors %v", errs)
	}
}

const changesCSV = "old_code,new_code,kind,effective_date,legal_act,new_name,new_parent_code\n" +
	"02923,99901,full,01/01/2026,NQ 1,Xã Mới,15\n" +
	"02932,99901,partial,2026-01-01,,,\n" +
	"T000001,T000001,rename,01/01/2026,,Thôn Đông Căm Mới,\n" +
	"T000002,02905,move,01/01/2026,,,\n" +
	"02908,,dissolve,01/01/2026,,,\n"

func TestChangesCSVAndXLSXAgree(t *testing.T) {
	b, err := UnitFile("c.csv", []byte(changesCSV), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Units) != 1 || len(b.Links) != 2 || len(b.Renames) != 1 || len(b.Moves) != 1 || len(b.Ends) != 1 {
		t.Fatalf("batch %+v", b)
	}
	if b.Units[0].ParentCode != "15" || b.Links[1].Kind != domain.LinkMergePartial || b.Renames[0].Name != "Thôn Đông Căm Mới" || b.Moves[0].ParentCode != "02905" {
		t.Fatalf("batch %+v", b)
	}
	rows, _ := readCSV([]byte(changesCSV))
	f := excelize.NewFile()
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellValue("Sheet1", cell, v)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := UnitFile("c.xlsx", buf.Bytes(), "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Links {
		b.Links[i].File, x.Links[i].File = "", ""
		if b.Links[i] != x.Links[i] {
			t.Fatalf("xlsx link %+v, csv %+v", x.Links[i], b.Links[i])
		}
	}
}

func TestChangesBadRows(t *testing.T) {
	csv := "old_code,new_code,kind,effective_date\n" +
		",02905,full,01/01/2026\n" +
		"02923,02905,sáp nhập kiểu lạ,01/01/2026\n" +
		"02923,02905,full,30/02/2026\n" +
		"02923,,full,01/01/2026\n" +
		"abc,02905,full,01/01/2026\n" +
		"T000001,T000001,rename,01/01/2026\n"
	_, err := UnitFile("bad.csv", []byte(csv), "")
	errs := fileErrs(t, err)
	want := map[int]string{2: "unit.code_missing", 3: "unit.link_kind_invalid", 4: "date.invalid", 5: "unit.code_missing", 6: "import.code_invalid", 7: "unit.name_missing"}
	for row, key := range want {
		if errs[row] != key {
			t.Errorf("row %d: %q, want %q", row, errs[row], key)
		}
	}
	_, err = UnitFile("h.csv", []byte("ma,ten\n1,2\n"), "")
	if fileErrs(t, err)[1] != "import.column_missing" {
		t.Fatal("missing columns accepted")
	}
	_, err = UnitFile("e.xlsx", []byte("not a zip"), "")
	if fileErrs(t, err)[0] != "import.xlsx_invalid" {
		t.Fatal("broken xlsx accepted")
	}
}

// TestSharedFilesParse reads the real official files when present.
func TestSharedFilesParse(t *testing.T) {
	dir := os.Getenv("THONSO_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	data, err := os.ReadFile(filepath.Join(dir, "dvhcvn-20250701", "merges.json"))
	if err != nil {
		t.Skip("shared data not found: ", err)
	}
	b, err := UnitFile("merges.json", data, "")
	if err != nil || len(b.Units) != 34+3321 {
		t.Fatalf("merges.json: %d units, %v", len(b.Units), err)
	}
}
