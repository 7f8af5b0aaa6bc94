package importer_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"thonso/internal/domain"
	"thonso/internal/importer"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
)

var streamToday = domain.MustDate("2026-11-28")

// residentsCSV writes n valid rows over the villages given by code, four
// to a household; edit may change a row's cells (0-based data row i).
func residentsCSV(n int, villages []string, edit func(i int, cells []string)) string {
	var b strings.Builder
	b.WriteString("Mã thôn,Số hộ,Họ và tên,Ngày sinh,Giới tính,Quan hệ với chủ hộ,Số CCCD\n")
	per := (n + len(villages) - 1) / len(villages)
	for i := 0; i < n; i++ {
		sex, text := domain.SexMale, "Nam"
		if i%2 == 1 {
			sex, text = domain.SexFemale, "Nữ"
		}
		rel := "Con"
		if i%4 == 0 {
			rel = "Chủ hộ"
		}
		y := 1950 + i%60
		cells := []string{villages[i/per], fmt.Sprint(1000 + i%per/4), fmt.Sprintf("Lò Văn Thử %d", i), fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+i%12, y),
			text, rel, domain.CCCDFor(11, sex, y, 700000+i)}
		if edit != nil {
			edit(i, cells)
		}
		b.WriteString(strings.Join(cells, ",") + "\n")
	}
	return b.String()
}

func importCSV(t *testing.T, s *store.Store, csv string, opt importer.PeopleOptions) (importer.PeopleReport, error) {
	t.Helper()
	return importer.ImportPeople(storetest.Ctx(), s, domain.CLIActor(), strings.NewReader(csv), "ds.csv", streamToday, opt)
}

// A bad row near the end of a file bigger than a chunk refuses the whole
// file: the chunks already sent are rolled back.
func TestImportPeopleBadRowNearEndWritesNothing(t *testing.T) {
	s := storetest.DemoSQLite(t)
	before := storetest.TableCounts(t, s)
	n := 2*store.PeopleChunk + 500
	csv := residentsCSV(n, []string{"T000001", "T000002"}, func(i int, c []string) {
		if i == n-3 {
			c[3] = "31/02/1990"
		}
	})
	rep, err := importCSV(t, s, csv, importer.PeopleOptions{})
	var fe *domain.FileErrors
	if !errors.As(err, &fe) || len(rep.Problems) != 1 || rep.Problems[0].Row != n-1 || len(rep.Rejected) != 1 {
		t.Fatalf("want one problem on row %d: %v %+v", n-1, err, rep.Problems)
	}
	if rep.Result.Created != n-1 {
		t.Errorf("the preview counts %d new residents, want %d", rep.Result.Created, n-1)
	}
	if after := storetest.TableCounts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("a refused import wrote: %v → %v", before, after)
	}
	// Valid-only writes every other row.
	rep, err = importCSV(t, s, csv, importer.PeopleOptions{ValidOnly: true})
	if err != nil || rep.Result.Created != n-1 || len(rep.Rejected) != 1 {
		t.Fatalf("valid only: %v %+v", err, rep.Result)
	}
	after := storetest.TableCounts(t, s)
	if after["residents"] != before["residents"]+n-1 {
		t.Fatalf("valid only wrote %d residents, want %d", after["residents"]-before["residents"], n-1)
	}
	// Importing it again changes nothing and matches everyone.
	rep, err = importCSV(t, s, csv, importer.PeopleOptions{ValidOnly: true})
	if err != nil || rep.Result.Created != 0 || rep.Result.Unchanged != n-1 || rep.Result.HouseholdsCreated != 0 {
		t.Fatalf("re-import: %v %+v", err, rep.Result)
	}
}

// A preview lists every problem, the reader's and the store's, in file
// order, wherever they are in the file, and writes nothing.
func TestImportPeoplePreviewListsEveryProblem(t *testing.T) {
	s := storetest.DemoSQLite(t)
	before := storetest.TableCounts(t, s)
	n := 3 * store.PeopleChunk
	var firstName, firstBirth string
	csv := residentsCSV(n, []string{"T000001", "T000002", "T000003"}, func(i int, c []string) {
		switch i {
		case 5:
			firstName, firstBirth = c[2], c[3]
		case 10:
			c[3] = "hôm qua" // the reader's: not a date
		case 900: // the same person as row 7, in another chunk: the store's
			c[1], c[2], c[3], c[6] = "1001", firstName, firstBirth, ""
		case n - 1:
			c[4] = "?"
		}
	})
	rep, err := importCSV(t, s, csv, importer.PeopleOptions{DryRun: true})
	var fe *domain.FileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("want refused, got %v", err)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, fmt.Sprintf("%d %s %s", p.Row, p.Column, p.Err.Key))
	}
	if len(got) != 3 || !strings.HasPrefix(got[0], "12 ") || got[1] != "902 Họ và tên resident.duplicate_in_file_row" || !strings.HasPrefix(got[2], fmt.Sprint(n+1, " ")) {
		t.Fatalf("problems %q", got)
	}
	if rep.Problems[1].Err.Args["other_row"] != 7 {
		t.Errorf("duplicate points at row %v, want 7", rep.Problems[1].Err.Args["other_row"])
	}
	if after := storetest.TableCounts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatal("a preview wrote")
	}
}

// Duplicates are found across villages and chunks: a CCCD is unique in
// the country; a person (name, birth, household) only within a village.
func TestImportPeopleDuplicatesAcrossVillages(t *testing.T) {
	s := storetest.DemoSQLite(t)
	n := 3 * store.PeopleChunk // 1 500 rows a village: the first spans two chunks
	var cccd, name, birth, sex, hh string
	var rows [3][]string
	csv := residentsCSV(n, []string{"T000001", "T000002"}, func(i int, c []string) {
		switch i {
		case 1:
			cccd, name, birth, sex, hh = c[6], c[2], c[3], c[4], c[1]
		case 2:
			rows[0] = append([]string{}, c...)
		case 1200: // row 4's person again, in the next chunk (written by then)
			copy(c, rows[0])
			c[6] = ""
			rows[0][6] = ""
		case n - 2: // another village, another chunk: the same CCCD
			c[3], c[4], c[6] = birth, sex, cccd
		case n - 1: // another village: same name, birth and household number is someone else
			c[1], c[2], c[3], c[6] = hh, name, birth, ""
		}
	})
	// Row 4 keeps its CCCD: row 1202 has none, so only name, birth and
	// household tell.
	rep, err := importCSV(t, s, csv, importer.PeopleOptions{ValidOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, fmt.Sprintf("%d %s %v", p.Row, p.Err.Key, p.Err.Args["other_row"]))
	}
	if want := []string{"1202 resident.duplicate_in_file_row 4", fmt.Sprintf("%d cccd.duplicate_in_file 3", n)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("problems %q, want %q", got, want)
	}
	if rep.Result.Created != n-2 {
		t.Fatalf("created %d, want %d", rep.Result.Created, n-2)
	}
	// The same file as a preview finds the same problems without writing.
	prev, err := importCSV(t, storetest.DemoSQLite(t), csv, importer.PeopleOptions{DryRun: true})
	var fe *domain.FileErrors
	if !errors.As(err, &fe) || len(prev.Problems) != 2 || prev.Problems[0].Row != 1202 || prev.Problems[1].Row != n {
		t.Fatalf("preview: %v %+v", err, prev.Problems)
	}
	// The import is one audit entry, on the commune holding both villages.
	es, _, err := s.AuditEntries(storetest.Ctx(), domain.Scope{All: true}, store.AuditFilter{Entity: "resident", EntityID: "ds.csv"})
	if err != nil || len(es) != 1 || countIDs(t, *es[0].Changes[0].After) != n-2 {
		t.Fatalf("audit %v %d entries", err, len(es))
	}
	v1, _ := s.UnitAt(storetest.Ctx(), "T000001", streamToday)
	if es[0].UnitID == 0 || es[0].UnitID == v1.ID || (v1.Parent != nil && es[0].UnitID != v1.Parent.ID) {
		t.Errorf("audit entry on unit %d, want the villages' commune", es[0].UnitID)
	}
}

// countIDs counts the ids of an audit list like "7,9-1008".
func countIDs(t *testing.T, list string) int {
	n := 0
	for _, part := range strings.Split(list, ",") {
		var from, to int
		if _, err := fmt.Sscanf(part, "%d-%d", &from, &to); err == nil {
			n += to - from + 1
		} else if _, err := fmt.Sscanf(part, "%d", &from); err == nil {
			n++
		} else {
			t.Fatalf("audit list %q: %v", list, err)
		}
	}
	return n
}
