package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

var resToday = domain.MustDate("2024-10-31")

// xlsxOf builds a real workbook: build writes the first sheet ("Sheet1").
func xlsxOf(t *testing.T, build func(f *excelize.File, sh string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f, "Sheet1")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rowsAt writes rows of values from the given row down.
func rowsAt(t *testing.T, f *excelize.File, sh string, first int, rows ...[]any) {
	t.Helper()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, first+i)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
}

func readRes(t *testing.T, data []byte, name string) (SheetInfo, []ResidentRow, error) {
	t.Helper()
	var rows []ResidentRow
	info, err := ReadResidents(bytes.NewReader(data), name, ResidentOptions{Today: resToday}, func(r ResidentRow) error {
		rows = append(rows, r)
		return nil
	})
	return info, rows, err
}

func mustRead(t *testing.T, data []byte, name string) (SheetInfo, []ResidentRow) {
	t.Helper()
	info, rows, err := readRes(t, data, name)
	if err != nil {
		t.Fatalf("ReadResidents(%s): %v", name, err)
	}
	return info, rows
}

// resFileErr returns the single file-level problem of err.
func resFileErr(t *testing.T, err error) domain.RowError {
	t.Helper()
	var fe *domain.FileErrors
	if !errors.As(err, &fe) || len(fe.Rows) == 0 {
		t.Fatalf("want *domain.FileErrors, got %v", err)
	}
	return fe.Rows[0]
}

// errs lists a row's problems as "Column|key".
func errs(r ResidentRow) []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Column+"|"+e.Err.Key)
	}
	return out
}

func wantNoErrors(t *testing.T, rows ...ResidentRow) {
	t.Helper()
	for _, r := range rows {
		if len(r.Errors) > 0 {
			t.Errorf("row %d: unexpected errors %v", r.Row, errs(r))
		}
	}
}

var basicHeader = []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số hộ", "Quan hệ với chủ hộ", "Số CCCD", "Số điện thoại", "Ghi chú"}

func TestResidentsHeaderBelowMergedTitle(t *testing.T) {
	data := xlsxOf(t, func(f *excelize.File, sh string) {
		_ = f.SetCellValue(sh, "A1", "DANH SÁCH NHÂN KHẨU THÔN ĐÔNG CĂM")
		_ = f.MergeCell(sh, "A1", "I1")
		_ = f.SetCellValue(sh, "A2", "Xã Gia Phú, tỉnh Lào Cai — cập nhật 10/2024")
		_ = f.MergeCell(sh, "A2", "I2")
		rowsAt(t, f, sh, 3, basicHeader)
		_ = f.MergeCell(sh, "I3", "J3") // a merged header cell over two columns
		rowsAt(t, f, sh, 4,
			[]any{1, "Nguyễn Văn Hùng", "15/01/1985", "Nam", "001", "Chủ hộ", domain.CCCDFor(10, domain.SexMale, 1985, 1), "0399 990 001", "trưởng thôn"},
			[]any{2, "Lò Thị Mai", "02/03/1987", "Nữ", "001", "Vợ", domain.CCCDFor(10, domain.SexFemale, 1987, 2), "", ""},
		)
		// Row 6 left empty; row 7 has only an STT (a pre-numbered blank line).
		rowsAt(t, f, sh, 7, []any{3})
		rowsAt(t, f, sh, 8, []any{4, "Nguyễn Văn Bình", "31/02/2010", "Nam", "001", "Con trai", "", "12345", ""})
	})
	info, rows := mustRead(t, data, "dong-cam.xlsx")
	if info.HeaderRow != 3 || info.Rows != 3 || len(rows) != 3 {
		t.Fatalf("info %+v, %d rows", info, len(rows))
	}
	if !reflect.DeepEqual(info.Ignored, []string{"STT", "Ghi chú"}) {
		t.Errorf("Ignored = %q", info.Ignored)
	}
	if info.Columns[colName] != 1 || info.Columns[colPhone] != 7 || info.Headers[2] != "Ngày sinh" {
		t.Errorf("Columns %v Headers %q", info.Columns, info.Headers)
	}
	if rows[0].Row != 4 || rows[1].Row != 5 || rows[2].Row != 8 {
		t.Errorf("row numbers %d %d %d", rows[0].Row, rows[1].Row, rows[2].Row)
	}
	wantNoErrors(t, rows[0], rows[1])
	r := rows[0]
	if r.Resident.FullName != "Nguyễn Văn Hùng" || r.Resident.BirthDate != domain.MustDate("1985-01-15") || r.Resident.Sex != domain.SexMale ||
		r.Household != "001" || r.Resident.Relation != "chu_ho" || r.Resident.Phone != "0399990001" || r.Resident.CCCD != "010085000001" {
		t.Errorf("row 4 = %+v", r)
	}
	if r.Values[1] != "Nguyễn Văn Hùng" || r.Values[8] != "trưởng thôn" || len(r.Values) != len(info.Headers) {
		t.Errorf("Values %q", r.Values)
	}
	if rows[1].Resident.Relation != "vo" || rows[1].Resident.Sex != domain.SexFemale {
		t.Errorf("row 5 = %+v", rows[1].Resident)
	}
	if got := errs(rows[2]); !reflect.DeepEqual(got, []string{"Ngày sinh|date.invalid", "Số điện thoại|phone.invalid"}) {
		t.Errorf("row 8 errors %v", got)
	}
	if rows[2].Resident.Relation != "con" {
		t.Errorf("Con trai -> %q", rows[2].Resident.Relation)
	}
}

func TestResidentsHeaderAliases(t *testing.T) {
	csv := "HO TEN,nam sinh,GIỚI TÍNH,Mã hộ,SĐT,Quan hệ,CCCD,Thôn,Số nhà,Xóm\n" +
		"Phạm Thị Lan,1990,nu,12,0912.345.678,Mẹ,,Đông Căm,\"Số 3, ngõ 2\",Xóm Trên\n"
	info, rows := mustRead(t, []byte(csv), "a.csv")
	for _, f := range []string{colName, colBirth, colSex, colHousehold, colPhone, colRelation, colCCCD, colVillage, colAddress, colHamlet} {
		if _, ok := info.Columns[f]; !ok {
			t.Errorf("column %s not recognised: %v", f, info.Columns)
		}
	}
	wantNoErrors(t, rows...)
	r := rows[0]
	if r.Row != 2 || r.Village != "Đông Căm" || r.Address != "Số 3, ngõ 2" || r.Hamlet != "Xóm Trên" || r.Household != "12" ||
		r.Resident.Phone != "0912345678" || r.Resident.Relation != "me" || !r.Resident.YearOnly || r.Resident.BirthDate != domain.MustDate("1990-01-01") {
		t.Errorf("row = %+v", r)
	}
	// "Mã thôn" wins over "Thôn" when a file has both.
	csv = "Thôn,Mã thôn,Họ và tên,Ngày sinh,Giới tính,Số hộ\nĐông Căm,T000001,Lò Văn A,2000,Nam,1\n"
	info, rows = mustRead(t, []byte(csv), "b.csv")
	if rows[0].Village != "T000001" || !reflect.DeepEqual(info.Ignored, []string{"Thôn"}) {
		t.Errorf("village %q ignored %q", rows[0].Village, info.Ignored)
	}
	if info.ColumnFor("full_name") != "Họ và tên" || info.ColumnFor("number") != "Số hộ" || info.ColumnFor("phone") != "" {
		t.Errorf("ColumnFor")
	}
}

func TestResidentsCSVNFDBOMCRLF(t *testing.T) {
	lines := []string{
		"Danh sách nhân khẩu thôn Đông Căm,,,,",
		"Họ và tên,Ngày sinh,Giới tính,Số hộ,Xóm",
		"Nguyễn Thị Thuỷ,05/03/1992,Nữ,7,Xóm Đình",
		"",
		"\"Đặng Văn Ánh\",1/2/1960,Nam,8,Xóm Đình",
	}
	data := append([]byte("\xef\xbb\xbf"), []byte(norm.NFD.String(strings.Join(lines, "\r\n")+"\r\n"))...)
	info, rows := mustRead(t, data, "nfd.csv")
	if info.HeaderRow != 2 || len(rows) != 2 || rows[0].Row != 3 || rows[1].Row != 5 {
		t.Fatalf("info %+v rows %+v", info, rows)
	}
	wantNoErrors(t, rows...)
	for _, r := range rows {
		for _, v := range append([]string{r.Resident.FullName, r.Hamlet}, r.Values...) {
			if !norm.NFC.IsNormalString(v) || strings.ContainsAny(v, "\r\n\ufeff") {
				t.Errorf("row %d: %q not normalised", r.Row, v)
			}
		}
	}
	if rows[0].Resident.FullName != "Nguyễn Thị Thuỷ" || rows[0].Hamlet != "Xóm Đình" || rows[1].Resident.FullName != "Đặng Văn Ánh" ||
		rows[1].Resident.BirthDate != domain.MustDate("1960-02-01") {
		t.Errorf("rows %+v / %+v", rows[0].Resident, rows[1].Resident)
	}
	if info.Headers[0] != "Họ và tên" {
		t.Errorf("header not NFC: %q", info.Headers[0])
	}
}

func TestResidentsCSVRowNumbers(t *testing.T) {
	// A quoted address over two lines is one row, as Excel shows it.
	csv := "Họ và tên,Ngày sinh,Giới tính,Số hộ,Địa chỉ\n" +
		"Lò Văn A,1990,Nam,1,\"Số 1\nngõ 2\"\n" +
		"\n" +
		"Lò Văn B,1991,Nam,1,Số 2\n"
	_, rows := mustRead(t, []byte(csv), "multi.csv")
	if len(rows) != 2 || rows[0].Row != 2 || rows[1].Row != 4 || rows[0].Address != "Số 1 ngõ 2" {
		t.Fatalf("rows %+v", rows)
	}
	// Excel's "sep=" line names the separator and is not shown as a row.
	_, rows = mustRead(t, []byte("sep=|\r\nHọ và tên|Ngày sinh|Giới tính|Số hộ\r\nLò Văn A|1990|Nam|1,5\r\n"), "sep.csv")
	if len(rows) != 1 || rows[0].Row != 2 || rows[0].Household != "1,5" {
		t.Fatalf("sep= rows %+v", rows)
	}
}

func TestResidentsSemicolonCSV(t *testing.T) {
	// Vietnamese-locale Excel: ';' between fields, commas left unquoted.
	csv := "Họ và tên;Ngày sinh;Giới tính;Số hộ;Địa chỉ;Số điện thoại\n" +
		"Hoàng Văn Nam;1975-06-30;Nam;3;Số 5, đường Hoàng Liên, Đông Căm;+84 399 990 003\n" +
		"Trần Thị Hoa;30-06-1978;Nữ;3;Số 5, đường Hoàng Liên, Đông Căm;399990004\n"
	info, rows := mustRead(t, []byte(csv), "semi.csv")
	if len(info.Headers) != 6 || len(rows) != 2 {
		t.Fatalf("headers %q rows %d", info.Headers, len(rows))
	}
	wantNoErrors(t, rows...)
	if rows[0].Address != "Số 5, đường Hoàng Liên, Đông Căm" || rows[0].Resident.Phone != "0399990003" ||
		rows[0].Resident.BirthDate != domain.MustDate("1975-06-30") || rows[1].Resident.BirthDate != domain.MustDate("1978-06-30") {
		t.Errorf("rows %+v", rows)
	}
	if rows[1].Resident.Phone != "0399990004" { // lost its 0 when Excel read it as a number
		t.Errorf("phone %q", rows[1].Resident.Phone)
	}
}

func TestResidentsExcelDates(t *testing.T) {
	data := xlsxOf(t, func(f *excelize.File, sh string) {
		builtin, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		custom := "dd/mm/yyyy"
		vn, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
		rowsAt(t, f, sh, 1, []any{"Họ và tên", "Ngày sinh", "Giới tính", "Số hộ", "Ngày chuyển đến", "Số CCCD", "Số điện thoại"})
		rowsAt(t, f, sh, 2,
			[]any{"A Một", time.Date(1990, 1, 15, 0, 0, 0, 0, time.UTC), "Nam", 1, time.Date(2015, 8, 2, 0, 0, 0, 0, time.UTC)},
			[]any{"A Hai", 1990, "Nam", 1},  // a plain number: the year
			[]any{"A Ba", "1985", "Nữ", 1},  // a year as text
			[]any{"A Bốn", 1990, "Nữ", 1},   // 1990 in a date-formatted cell: 12/06/1905
			[]any{"A Năm", 32874, "Nam", 1}, // a serial that lost its format
			[]any{"A Sáu", "5/3/1990", "Nam", 1, 2015},
			[]any{"A Bảy", 1985.5, "Nam", 1},
			[]any{"A Tám", 2000, "Nam", 1, "", 10200001234, 912345678},
		)
		_ = f.SetCellStyle(sh, "B2", "B2", builtin)
		_ = f.SetCellStyle(sh, "E2", "E2", vn)
		_ = f.SetCellStyle(sh, "B5", "B5", vn)
	})
	_, rows := mustRead(t, data, "dates.xlsx")
	if len(rows) != 8 {
		t.Fatalf("%d rows", len(rows))
	}
	want := []struct {
		birth    string
		yearOnly bool
	}{{"1990-01-15", false}, {"1990-01-01", true}, {"1985-01-01", true}, {"1905-06-12", false}, {"1990-01-01", false}, {"1990-03-05", false}}
	for i, w := range want {
		r := rows[i].Resident
		if r.BirthDate != domain.MustDate(w.birth) || r.YearOnly != w.yearOnly {
			t.Errorf("row %d: birth %v yearOnly %v, want %s %v", rows[i].Row, r.BirthDate, r.YearOnly, w.birth, w.yearOnly)
		}
	}
	wantNoErrors(t, rows[0], rows[1], rows[2], rows[3], rows[4], rows[7])
	if rows[0].Resident.MovedIn != domain.MustDate("2015-08-02") || rows[0].Values[1] != "15/01/1990" || rows[0].Values[4] != "02/08/2015" {
		t.Errorf("row 2: %+v %q", rows[0].Resident, rows[0].Values)
	}
	if got := errs(rows[5]); !reflect.DeepEqual(got, []string{"Ngày chuyển đến|date.invalid"}) { // a year alone only for the birth
		t.Errorf("row 7 errors %v", got)
	}
	if got := errs(rows[6]); !reflect.DeepEqual(got, []string{"Ngày sinh|date.invalid"}) {
		t.Errorf("row 8 errors %v", got)
	}
	if r := rows[7].Resident; r.CCCD != "010200001234" || r.Phone != "0912345678" {
		t.Errorf("number cells: CCCD %q phone %q", r.CCCD, r.Phone)
	}
}

func TestResidentsCCCD(t *testing.T) {
	m85 := domain.CCCDFor(10, domain.SexMale, 1985, 7)
	csv := "Họ và tên,Ngày sinh,Giới tính,Số hộ,Số CCCD\n" +
		"Lò Văn A,1985,Nam,1," + m85 + "\n" + // row 2
		"Lò Thị B,1986,Nữ,1,1.01E+11\n" + // row 3: Excel's scientific notation
		"Lò Văn C,1985,Nữ,1," + domain.CCCDFor(10, domain.SexMale, 1985, 8) + "\n" + // row 4: CCCD says male
		"Lò Văn D,1985,Nam,2,010 085 000 007\n" + // row 5: same CCCD as row 2
		"Lò Văn E,1991,Nam,2,12345\n" + // row 6
		"Lò Văn G,1985,Nam,2," + strings.TrimLeft(domain.CCCDFor(1, domain.SexMale, 1985, 9), "0") + "\n" // row 7: lost "00"
	_, rows := mustRead(t, []byte(csv), "cccd.csv")
	got := map[int][]string{}
	for _, r := range rows {
		got[r.Row] = errs(r)
	}
	want := map[int][]string{2: nil, 3: {"Số CCCD|cccd.invalid"}, 4: {"Số CCCD|cccd.mismatch"}, 5: {"Số CCCD|cccd.duplicate_in_file"}, 6: {"Số CCCD|cccd.invalid"}, 7: nil}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors %v, want %v", got, want)
	}
	if e := rows[3].Errors[0].Err; e.Args["other_row"] != 2 || e.Field != "cccd" {
		t.Errorf("duplicate names %v", e.Args)
	}
	if rows[5].Resident.CCCD != domain.CCCDFor(1, domain.SexMale, 1985, 9) {
		t.Errorf("padding: %q", rows[5].Resident.CCCD)
	}
}

func TestResidentsValidationPerColumn(t *testing.T) {
	csv := "Họ và tên,Ngày sinh,Giới tính,Số hộ,Số điện thoại,Số CCCD,Ngày chuyển đến,Ngày chuyển đi,Ngày mất,Quan hệ\n" +
		"Vàng A Páo,01/01/2025,Nam,1,,,,,,\n" + // row 2: born in the future
		",1880,X,,0123,,,,,\n" + // row 3: everything wrong at once
		"Sùng Thị Mỷ,1950,Nữ,1,,,,01/05/2020,,Bà nội\n" + // row 4: moved away
		"Giàng A Tủa,1940,Nam,1,,,,,02/02/2023,Ông\n" + // row 5: died
		"Thào A Chứ,1980,Nam,1,,,,01/05/2020,02/02/2023,Em trai\n" + // row 6: both
		"Ly Thị Dí,1990,Nữ,1,,,01/01/1980,,,Cô\n" // row 7: moved in before birth; unknown relation
	_, rows := mustRead(t, []byte(csv), "v.csv")
	got := map[int][]string{}
	for _, r := range rows {
		got[r.Row] = errs(r)
	}
	want := map[int][]string{
		2: {"Ngày sinh|resident.birth_future"},
		3: {"Số hộ|import.household_missing", "Giới tính|import.sex_invalid", "Số điện thoại|phone.invalid", "Họ và tên|resident.name_missing", "Ngày sinh|resident.too_old"},
		4: nil, 5: nil,
		6: {"Ngày chuyển đi|import.left_both"},
		7: {"Ngày chuyển đến|resident.moved_in_before_birth"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors\n got %v\nwant %v", got, want)
	}
	if r := rows[2].Resident; r.LeftOn != domain.MustDate("2020-05-01") || r.LeftReason != domain.LeftMoved || r.Relation != "ba" {
		t.Errorf("moved: %+v", r)
	}
	if r := rows[3].Resident; r.LeftOn != domain.MustDate("2023-02-02") || r.LeftReason != domain.LeftDeceased || r.Relation != "ong" {
		t.Errorf("died: %+v", r)
	}
	if rows[4].Resident.Relation != "em" || rows[5].Resident.Relation != "khac" {
		t.Errorf("relations %q %q", rows[4].Resident.Relation, rows[5].Resident.Relation)
	}
	for _, e := range rows[0].Errors {
		if e.Err.Field != "birth" || e.Err.Args["date"] != domain.MustDate("2025-01-01") {
			t.Errorf("birth_future %+v", e.Err)
		}
	}
}

func TestResidentsRelationsAndSex(t *testing.T) {
	for in, want := range map[string]domain.Relation{
		"Chủ hộ": "chu_ho", "CHỦ HỘ": "chu_ho", "Vợ": "vo", "Chồng": "chong", "Con": "con", "Con trai": "con", "Con gái": "con",
		"Bố": "bo", "Cha": "bo", "Mẹ": "me", "Ông": "ong", "Bà": "ba", "Cháu": "chau", "Cháu nội": "chau", "Anh": "anh", "Chị": "chi",
		"Em": "em", "Con dâu": "con_dau", "Con rể": "con_re", "con re": "con_re", "Cô": "khac", "Người ở nhờ": "khac",
	} {
		if got := relationOf(textvi.Fold(in)); got != want {
			t.Errorf("relationOf(%q) = %q, want %q", in, got, want)
		}
	}
	csv := "Họ và tên,Ngày sinh,Giới tính,Số hộ\nA,2000,Nam,1\nB,2000,NỮ,1\nC,2000,nu,1\nD,2000,M,1\nE,2000,F,1\nG,2000,male,1\nH,2000,Female,1\nI,2000,,1\n"
	_, rows := mustRead(t, []byte(csv), "sex.csv")
	want := []domain.Sex{domain.SexMale, domain.SexFemale, domain.SexFemale, domain.SexMale, domain.SexFemale, domain.SexMale, domain.SexFemale, ""}
	for i, w := range want {
		if rows[i].Resident.Sex != w {
			t.Errorf("row %d sex %q want %q", rows[i].Row, rows[i].Resident.Sex, w)
		}
	}
	if got := errs(rows[7]); !reflect.DeepEqual(got, []string{"Giới tính|resident.sex_invalid"}) {
		t.Errorf("missing sex: %v", got)
	}
}

func TestResidentsFacts(t *testing.T) {
	data := xlsxOf(t, func(f *excelize.File, sh string) {
		rowsAt(t, f, sh, 1, []any{"Họ và tên", "Ngày sinh", "Giới tính", "Số hộ", "Có điện thoại thông minh", "Ngày có điện thoại thông minh",
			"Tài khoản VNeID mức 2", "Ngày kích hoạt VNeID", "Đã đăng nhập Cổng DVC", "Ngày đăng nhập Cổng DVC", "Tài khoản ngân hàng",
			"Ngày mở tài khoản ngân hàng", "Tổ CNS hỗ trợ", "Hộ có tài khoản ngân hàng", "Hộ tham gia nhóm Zalo"})
		rowsAt(t, f, sh, 2,
			[]any{"Lò Văn A", 1980, "Nam", 1, "x", "", "có", "01/03/2024", "", "", "✓", "", "rồi", "1", "đã có"},
			[]any{"Lò Văn B", 1980, "Nam", 2, "X", "", "không", "", "chưa", "", "0", "", "", "", ""},
			[]any{"Lò Văn C", 1980, "Nam", 3, "có lẽ", "", "không", "01/03/2024", "", "01/12/2024", "", "", "", "15/02/2024", "yes"},
		)
	})
	_, rows := mustRead(t, data, "facts.xlsx")
	a := rows[0]
	wantNoErrors(t, a, rows[1])
	if r := a.Resident; r.Smartphone != (domain.Adoption{Since: resToday, Helped: true}) || r.VNeID != (domain.Adoption{Since: domain.MustDate("2024-03-01"), Helped: true}) ||
		!r.Portal.Since.IsZero() || r.PersonalBank != (domain.Adoption{Since: resToday, Helped: true}) {
		t.Errorf("row 2 facts %+v", r)
	}
	if a.HouseholdBank != (domain.Adoption{Since: resToday, Helped: true}) || a.HouseholdZalo != (domain.Adoption{Since: resToday, Helped: true}) {
		t.Errorf("row 2 household facts %+v %+v", a.HouseholdBank, a.HouseholdZalo)
	}
	if r := rows[1].Resident; r.Smartphone != (domain.Adoption{Since: resToday}) || !r.VNeID.Since.IsZero() || !r.PersonalBank.Since.IsZero() {
		t.Errorf("row 3 facts %+v", r)
	}
	if got := errs(rows[2]); !reflect.DeepEqual(got, []string{"Có điện thoại thông minh|import.bool_invalid", "Tài khoản VNeID mức 2|import.bool_conflict", "Ngày đăng nhập Cổng DVC|resident.fact_date_invalid"}) {
		t.Errorf("row 4 errors %v", got)
	}
	if rows[2].HouseholdBank.Since != domain.MustDate("2024-02-15") || rows[2].HouseholdBank.Helped {
		t.Errorf("a date in a yes/no column: %+v", rows[2].HouseholdBank)
	}
	for _, in := range []string{"x", "X", "có", "co", "1", "yes", "✓", "✔", "đã có", "rồi"} {
		if v, _, err := boolCell(sheetCell{text: in}, textvi.Fold); !v || err != nil {
			t.Errorf("boolCell(%q) = %v, %v", in, v, err)
		}
	}
	for _, in := range []string{"", "không", "0", "chưa"} {
		if v, _, err := boolCell(sheetCell{text: in}, textvi.Fold); v || err != nil {
			t.Errorf("boolCell(%q) = %v, %v", in, v, err)
		}
	}
}

func TestResidentsTwoRowHeaderAndNumbering(t *testing.T) {
	data := xlsxOf(t, func(f *excelize.File, sh string) {
		rowsAt(t, f, sh, 1, []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số hộ", "Chuyển đổi số"})
		rowsAt(t, f, sh, 2, []any{"", "", "", "", "", "Có ĐTTM", "VNeID mức 2", "Cổng DVC"})
		for _, c := range []string{"A", "B", "C", "D", "E"} {
			_ = f.MergeCell(sh, c+"1", c+"2")
		}
		_ = f.MergeCell(sh, "F1", "H1")
		rowsAt(t, f, sh, 3, []any{"(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"})
		rowsAt(t, f, sh, 4, []any{1, "Hà Thị Lan", "1970", "Nữ", "4", "x", "", "x"})
	})
	info, rows := mustRead(t, data, "two.xlsx")
	if info.HeaderRow != 1 || len(rows) != 1 || rows[0].Row != 4 {
		t.Fatalf("info %+v rows %d", info, len(rows))
	}
	wantNoErrors(t, rows...)
	if r := rows[0].Resident; r.Smartphone.Since != resToday || r.Portal.Since != resToday || !r.VNeID.Since.IsZero() {
		t.Errorf("facts %+v", r)
	}
}

// ---- legacy fonts ----

// tcvn3Pairs is the TCVN3 (ABC) table as the .VnTime font draws it, written
// out independently of legacy.go: Unicode letter, then the Latin-1
// character a Unicode-unaware program stores for it.
const tcvn3Pairs = "àµá¸ả¶ã·ạ¹ă¨ằ»ắ¾ẳ¼ẵ½ặÆâ©ầÇấÊẩÈẫÉậËđ®èÌéÐẻÎẽÏẹÑêªềÒếÕểÓễÔệÖì×íÝỉØĩÜịÞòßóãỏáõâọäô«ồåốèổæỗçộé" +
	"ơ¬ờêớíởëỡìợîùïúóủñũòụôư\u00adừõứøửöữ÷ựùỳúýýỷûỹüỵþĂ¡Â¢Ê£Ô¤Ơ¥Ư¦Đ§"

func toTCVN3(s string) string {
	table := map[rune]rune{}
	rs := []rune(tcvn3Pairs)
	for i := 0; i+1 < len(rs); i += 2 {
		table[rs[i]] = rs[i+1]
	}
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		if x, ok := table[r]; ok {
			b.WriteRune(x)
		} else if x, ok := table[[]rune(strings.ToLower(string(r)))[0]]; ok && r >= 0x80 {
			// A capital with a tone: the capital base, then the small form.
			base := []rune(norm.NFD.String(string(r)))[0]
			b.WriteRune(base)
			b.WriteRune(x)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// toVNI writes s as the VNI-Windows font encodes it: base letter, then one
// mark character for the vowel mark and tone together.
func toVNI(s string) string {
	tones := map[rune]int{'\u0301': 1, '\u0300': 2, '\u0309': 3, '\u0303': 4, '\u0323': 5}
	plain := []rune("ùøûõï")
	circ := []rune("âáàåãä")
	breve := []rune("êéèúüë")
	iForms := []rune("iíìæóò")
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		upper := r != []rune(strings.ToLower(string(r)))[0]
		conv := func(x rune) rune {
			if upper {
				return []rune(strings.ToUpper(string(x)))[0]
			}
			return x
		}
		if r == 'đ' || r == 'Đ' {
			b.WriteRune(conv('ñ'))
			continue
		}
		d := []rune(norm.NFD.String(strings.ToLower(string(r))))
		if r < 0x80 || len(d) == 1 && d[0] < 0x80 {
			b.WriteRune(r)
			continue
		}
		base, mod, tone := d[0], rune(0), 0
		for _, m := range d[1:] {
			if t, ok := tones[m]; ok {
				tone = t
			} else {
				mod = m
			}
		}
		switch {
		case base == 'i':
			b.WriteRune(conv(iForms[tone]))
		case base == 'y' && tone == 5:
			b.WriteRune(conv('î'))
		case mod == '\u031B': // horn: ơ ư are single characters
			b.WriteRune(conv(map[rune]rune{'o': 'ô', 'u': 'ö'}[base]))
			if tone > 0 {
				b.WriteRune(conv(plain[tone-1]))
			}
		case mod == '\u0302':
			b.WriteRune(conv(base))
			b.WriteRune(conv(circ[tone]))
		case mod == '\u0306':
			b.WriteRune(conv(base))
			b.WriteRune(conv(breve[tone]))
		case tone > 0:
			b.WriteRune(conv(base))
			b.WriteRune(conv(plain[tone-1]))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var legacyNames = []string{"Nguyễn Văn Hùng", "Lê Thị Hà", "Trần Đức Thắng", "Phạm Thị Thuỷ", "Giàng A Páo", "Lò Văn Tú", "Hoàng Thị Ánh", "Đinh Quang Dũng", "Vũ Thị Hường", "Sùng Seo Chứ"}

func TestLegacyEncodersMatchKnownSamples(t *testing.T) {
	if got := toTCVN3("Nguyễn Văn Hùng"); got != "NguyÔn V¨n Hïng" {
		t.Errorf("toTCVN3 = %q", got)
	}
	if got := toVNI("Nguyễn Văn Hùng"); got != "Nguyeãn Vaên Huøng" {
		t.Errorf("toVNI = %q", got)
	}
	for _, n := range legacyNames {
		if d, ok := decodeTCVN3(toTCVN3(n)); !ok || d != n {
			t.Errorf("TCVN3 round trip %q -> %q -> %q", n, toTCVN3(n), d)
		}
		if d, ok := decodeVNI(toVNI(n)); !ok || d != n {
			t.Errorf("VNI round trip %q -> %q -> %q", n, toVNI(n), d)
		}
	}
}

func TestLegacyEncodingDetected(t *testing.T) {
	for _, n := range legacyNames {
		if got := legacyEncoding(toTCVN3(n)); got != encTCVN3 {
			t.Errorf("legacyEncoding(%q) = %q, want TCVN3", toTCVN3(n), got)
		}
		if got := legacyEncoding(toVNI(n)); got != encVNI {
			t.Errorf("legacyEncoding(%q) = %q, want VNI", toVNI(n), got)
		}
	}

	// An XLSX typed in .VnTime: Unicode headers added later, garbled names.
	data := xlsxOf(t, func(f *excelize.File, sh string) {
		rowsAt(t, f, sh, 1, []any{"Họ và tên", "Ngày sinh", "Giới tính", "Số hộ"})
		rowsAt(t, f, sh, 2, []any{"Lo Van A", 1980, "Nam", 1}, []any{"Lò Văn Bình", 1981, "Nam", 1}, []any{toTCVN3("Nguyễn Văn Hùng"), 1982, "Nam", 1}, []any{toTCVN3("Lê Thị Hà"), 1983, "Nữ", 1})
	})
	calls := 0
	_, err := ReadResidents(bytes.NewReader(data), "vntime.xlsx", ResidentOptions{Today: resToday}, func(ResidentRow) error { calls++; return nil })
	if e := resFileErr(t, err); e.Err.Key != "import.legacy_encoding" || e.Err.Args["encoding"] != "TCVN3" || e.Row != 4 || e.File != "vntime.xlsx" || calls != 2 {
		t.Errorf("TCVN3 file: %+v after %d rows", e, calls)
	}

	// One stray character in one name is a typo, not a legacy file; names
	// with a single legacy character each refuse it from the second on.
	csv := "Họ và tên,Ngày sinh,Giới tính,Số hộ\nLo Van A×,1980,Nam,1\nLò Văn B,1980,Nam,1\n"
	if _, _, err := readRes(t, []byte(csv), "typo.csv"); err != nil {
		t.Errorf("a typo refused the file: %v", err)
	}
	csv = "Họ và tên,Ngày sinh,Giới tính,Số hộ\nLo Van A,1980,Nam,1\n" + toTCVN3("Vàng A Pao") + ",1980,Nam,1\nLò Văn B,1980,Nam,1\n" + toTCVN3("Mùa A Sinh") + ",1980,Nam,1\n"
	_, _, err = readRes(t, []byte(csv), "weak.csv")
	if e := resFileErr(t, err); e.Err.Key != "import.legacy_encoding" || e.Err.Args["encoding"] != "TCVN3" || e.Row != 3 {
		t.Errorf("single-character names: %+v", e)
	}

	// A CSV saved from a VNI-Times sheet by an old program: 8-bit bytes.
	text := "Họ và tên;Ngày sinh;Giới tính;Số hộ\nNguyễn Văn Hùng;1980;Nam;1\n"
	raw, err := charmap.Windows1252.NewEncoder().String(toVNI(text))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = readRes(t, []byte(raw), "vni.csv")
	if e := resFileErr(t, err); e.Err.Key != "import.legacy_encoding" || e.Err.Args["encoding"] != "VNI" || e.Row != 1 {
		t.Errorf("VNI CSV: %+v", e) // the header itself is in VNI: seen on row 1
	}

	// The same with a Unicode header: caught on the first data row.
	raw, err = charmap.Windows1252.NewEncoder().String("Ho va ten,Ngay sinh,Gioi tinh,So ho\n" + toVNI("Trần Đức Thắng") + ",1980,Nam,1\n")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = readRes(t, []byte(raw), "vni2.csv")
	if e := resFileErr(t, err); e.Err.Key != "import.legacy_encoding" || e.Err.Args["encoding"] != "VNI" || e.Row != 2 {
		t.Errorf("VNI CSV with ASCII header: %+v", e)
	}

	// An ANSI (not UTF-8) CSV of correct names is refused, not misread.
	raw, err = charmap.Windows1252.NewEncoder().String("Ho va ten,Ngay sinh,Gioi tinh,So ho\nLê Hà,1980,Nam,1\n")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = readRes(t, []byte(raw), "ansi.csv")
	if e := resFileErr(t, err); e.Err.Key != "import.csv_encoding" || e.Row != 2 {
		t.Errorf("ANSI CSV: %+v", e)
	}
}

// TestLegacyNeverOnRealNames runs the detector over thousands of real-looking
// Vietnamese, minority and foreign names, accented, upper-case, ASCII and
// decomposed: none may look legacy.
func TestLegacyNeverOnRealNames(t *testing.T) {
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Giàng",
		"Sùng", "Vàng", "Thào", "Hà", "Lục", "Ma", "Nông", "Tô", "Tạ", "Đinh", "Lầu", "Mùa", "Chảo", "Tẩn", "Lù", "Hầu", "Mã", "Âu", "Ông", "Ưng", "Y", "Ly"}
	middle := []string{"Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "A", "Seo", "Mí", "Thanh", "Quốc", "Xuân", "Kim", "Bảo", ""}
	given := []string{"An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Oanh", "Phúc", "Quý", "Sơn", "Tú", "Tâm", "Thuỷ", "Thuý", "Hoà",
		"Xuân", "Khuê", "Nguyên", "Hoàng", "Quang", "Páo", "Chứ", "Mỷ", "Sình", "Pà", "Dín", "Khánh", "Yến", "Ánh", "Ân", "Út", "Hoè", "Khoa", "Toàn",
		"Giang", "Gìn", "Quyên", "Tuyết", "Khuyến", "Nghĩa", "Ngà", "Thoa", "Loan", "Hoãn", "Khoẻ", "Tuấn", "Hiếu", "Chiêm", "Quỳnh", "Dìn", "Sểnh", "Tủa", "Mé"}
	foreign := []string{"José Müller", "Zoë Dupont", "Ñoño", "Ørsted", "Jürgen Groß", "François", "H'Hen Niê", "Y Moan Ênuôl", "Kpă Y Lan", "Ksor H'Bơ"}
	n := 0
	check := func(s string) {
		n++
		if enc := legacyEncoding(s); enc != "" {
			t.Errorf("legacyEncoding(%q) = %s", s, enc)
		}
	}
	for _, f := range family {
		for _, m := range middle {
			for _, g := range given {
				name := strings.Join(strings.Fields(f+" "+m+" "+g), " ")
				check(name)
				check(strings.ToUpper(name))
				check(norm.NFD.String(name))
				check(foldKeepCase(name))
			}
		}
	}
	for _, s := range foreign {
		check(s)
	}
	for _, s := range []string{"Lê Hà", "Tô Thu Hà", "Hà Mí Páo", "Lý Hoà", "Tú Hoà", "Hoàng Hoà", "Lò Thò", "Hồ Tú", "Ôn Tô", "Giàng Páo", "Lù Thị Hòa", "Mã Thị Hoà"} {
		check(s)
	}
	if n < 10000 {
		t.Fatalf("only %d names", n)
	}
}

// foldKeepCase drops the accents but keeps the case, like names typed
// without a Vietnamese keyboard.
func foldKeepCase(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == 'đ':
			b.WriteRune('d')
		case r == 'Đ':
			b.WriteRune('D')
		case r < 0x300 || r > 0x36F:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ---- file-level problems ----

func TestResidentsFileProblems(t *testing.T) {
	header := "Họ và tên,Ngày sinh,Giới tính,Số hộ\n"
	emptyXLSX := xlsxOf(t, func(*excelize.File, string) {})
	headerOnly := xlsxOf(t, func(f *excelize.File, sh string) {
		rowsAt(t, f, sh, 2, []any{"Họ và tên", "Ngày sinh", "Giới tính", "Số hộ"})
	})
	noHeader := xlsxOf(t, func(f *excelize.File, sh string) {
		rowsAt(t, f, sh, 1, []any{"Tên", "Tuổi"}, []any{"Lò Văn A", 40})
	})
	for _, c := range []struct {
		name string
		data []byte
		key  string
		row  int
		args map[string]any
	}{
		{"garbage.xlsx", []byte("this is not a zip"), "import.not_spreadsheet", 0, nil},
		{"old.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), "import.xls_unsupported", 0, nil},
		{"locked.xlsx", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), "import.xls_unsupported", 0, nil},
		{"list.pdf", []byte(header), "import.not_spreadsheet", 0, nil},
		{"binary.csv", []byte("PK\x03\x04\x00\x00binary"), "import.not_spreadsheet", 0, nil},
		{"empty.csv", nil, "import.empty", 0, nil},
		{"empty.xlsx", emptyXLSX, "import.empty", 0, nil},
		{"header-only.xlsx", headerOnly, "import.empty", 0, nil},
		{"blank-rows.csv", []byte(header + ",,,\n\n"), "import.empty", 0, nil},
		{"no-header.xlsx", noHeader, "import.header_missing", 0, nil},
		{"missing.csv", []byte("Họ và tên,Ngày sinh,Số hộ\nA,1990,1\n"), "import.column_missing", 1, map[string]any{"column": "Giới tính"}},
	} {
		_, _, err := readRes(t, c.data, c.name)
		e := resFileErr(t, err)
		if e.Err.Key != c.key || e.Row != c.row || e.File != c.name || (c.args != nil && !reflect.DeepEqual(e.Err.Args, c.args)) {
			t.Errorf("%s: %+v %v, want %s row %d %v", c.name, e, e.Err, c.key, c.row, c.args)
		}
	}

	// Every missing required column is named.
	_, _, err := readRes(t, []byte("Họ và tên,Xóm,Số nhà,SĐT\nA,B,C,D\n"), "x.csv")
	var fe *domain.FileErrors
	errors.As(err, &fe)
	var cols []string
	for _, r := range fe.Rows {
		cols = append(cols, fmt.Sprint(r.Err.Args["column"]))
	}
	if !reflect.DeepEqual(cols, []string{"Số hộ", "Ngày sinh", "Giới tính"}) {
		t.Errorf("missing columns %v", cols)
	}

	// Too many rows: refused at the first row over the limit.
	var b strings.Builder
	b.WriteString(header)
	for i := range 6 {
		fmt.Fprintf(&b, "Người %d,1990,Nam,1\n", i)
	}
	calls := 0
	_, err = ReadResidents(strings.NewReader(b.String()), "many.csv", ResidentOptions{Today: resToday, MaxRows: 5}, func(ResidentRow) error { calls++; return nil })
	if e := resFileErr(t, err); e.Err.Key != "import.too_many_rows" || e.Err.Args["max"] != 5 || e.Row != 7 || calls != 5 {
		t.Errorf("too many rows: %+v %v after %d", e, e.Err, calls)
	}

	// An error from fn stops the reading and comes back as is.
	stop := errors.New("stop")
	calls = 0
	_, err = ReadResidents(strings.NewReader(b.String()), "many.csv", ResidentOptions{Today: resToday}, func(ResidentRow) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("fn error: %v after %d", err, calls)
	}
}

func TestResidentsUTF16CSV(t *testing.T) {
	text := "Họ và tên\tNgày sinh\tGiới tính\tSố hộ\r\nĐoàn Thị Yến\t12/12/1999\tNữ\t5\r\n"
	u := []byte{0xFF, 0xFE}
	for _, r := range text {
		u = append(u, byte(r), byte(r>>8))
	}
	_, rows := mustRead(t, u, "unicode.csv")
	if len(rows) != 1 || rows[0].Resident.FullName != "Đoàn Thị Yến" {
		t.Fatalf("rows %+v", rows)
	}
	wantNoErrors(t, rows...)
}

// ---- template and rejected rows ----

func TestResidentTemplate(t *testing.T) {
	data, err := ResidentTemplate()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Nhân khẩu", "Hướng dẫn"}) {
		t.Errorf("sheets %q", got)
	}
	guide, _ := f.GetRows("Hướng dẫn")
	text := fmt.Sprint(guide)
	for _, c := range residentColumns {
		if residentGuide[c.field] == "" || !strings.Contains(text, c.header) {
			t.Errorf("guide lacks %s", c.header)
		}
	}
	// Read from a plain io.Reader (no random access): the bytes are buffered.
	var rows []ResidentRow
	info, err := ReadResidents(struct{ io.Reader }{bytes.NewReader(data)}, "mau.xlsx", ResidentOptions{Today: resToday}, func(r ResidentRow) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Columns) != len(residentColumns) || len(info.Ignored) != 0 || info.HeaderRow != 1 {
		t.Errorf("template header: %+v", info)
	}
	if len(rows) != 1 {
		t.Fatalf("%d rows", len(rows))
	}
	wantNoErrors(t, rows...)
	r := rows[0]
	if !strings.HasPrefix(r.Resident.Phone, "039999") || r.Resident.CCCD != domain.CCCDFor(10, domain.SexMale, 1985, 1) || r.Village != "T000001" ||
		r.Resident.VNeID.Since != domain.MustDate("2024-04-15") || !r.Resident.VNeID.Helped || r.HouseholdZalo.Since != resToday {
		t.Errorf("example row %+v", r)
	}
}

func TestRejectedFileRoundTrip(t *testing.T) {
	csv := "STT;Họ và tên;Ngày sinh;Giới tính;Số hộ;Số CCCD\n" +
		"1;Lò Văn A;1985;Nam;1;" + domain.CCCDFor(10, domain.SexMale, 1985, 1) + "\n" +
		"2;Lò Thị B;31/02/1990;Nữ;1;0012\n" +
		"3;Lò Văn C;1990;Nam;;\n"
	info, rows := mustRead(t, []byte(csv), "r.csv")
	var rejected []ResidentRow
	for _, r := range rows {
		if len(r.Errors) > 0 {
			rejected = append(rejected, r)
		}
	}
	if len(rejected) != 2 {
		t.Fatalf("rejected %d", len(rejected))
	}
	data, err := RejectedFile(info, rejected, func(e *domain.Error) string { return "lỗi " + e.Key })
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !reflect.DeepEqual(got[0], append(append([]string{}, info.Headers...), "Lỗi")) {
		t.Fatalf("rows %q", got)
	}
	if !reflect.DeepEqual(got[1][:6], []string{"2", "Lò Thị B", "31/02/1990", "Nữ", "1", "0012"}) ||
		got[1][6] != "Dòng 3 — Ngày sinh: lỗi date.invalid\nSố CCCD: lỗi cccd.invalid" {
		t.Errorf("row 3 %q", got[1])
	}
	if got[2][6] != "Dòng 4 — Số hộ: lỗi import.household_missing" {
		t.Errorf("row 4 %q", got[2])
	}
	// The corrected file reads back with its header and rows.
	info2, rows2, err := readRes(t, data, "loi.xlsx")
	if err != nil || len(rows2) != 2 || rows2[0].Resident.FullName != "Lò Thị B" || info2.Ignored[len(info2.Ignored)-1] != "Lỗi" {
		t.Errorf("read back: %v %+v", err, info2)
	}
}

// ---- low-level pieces ----

func TestExcelSerialDate(t *testing.T) {
	for serial, want := range map[float64]string{1: "1900-01-01", 59: "1900-02-28", 61: "1900-03-01", 32874: "1990-01-01", 45596.75: "2024-10-31"} {
		if d, ok := excelSerialDate(serial, false); !ok || d != domain.MustDate(want) {
			t.Errorf("serial %v = %v, want %s", serial, d, want)
		}
	}
	if d, ok := excelSerialDate(0, false); ok || d != (domain.Date{}) {
		t.Error("serial 0 accepted")
	}
	if d, _ := excelSerialDate(31047, true); d != domain.MustDate("1989-01-01") {
		t.Errorf("1904 system: %v", d)
	}
	for code, want := range map[string]bool{"dd/mm/yyyy": true, "[$-42A]d mmmm yyyy": true, `0.00 "ngày"`: false, "#,##0": false, "0.00E+00": false, "[Red]0": false, "hh:mm": true, "@": false} {
		if dateFormatCode(code) != want {
			t.Errorf("dateFormatCode(%q) != %v", code, want)
		}
	}
}

func TestVietSyllable(t *testing.T) {
	for _, w := range []string{"nguyễn", "NGHIÊNG", "khuỷu", "quý", "gì", "giữa", "xoong", "thuở", "oanh", "ươm", "yêu", "Hoà", "khoẻ", "páo", "chứ"} {
		if !vietSyllable(w) {
			t.Errorf("vietSyllable(%q) = false", w)
		}
	}
	for _, w := range []string{"nguyeãn", "vaên", "huøng", "v¨n", "hïng", "nguyÔn", "xyz", "aàa", "tóỏ", ""} {
		if vietSyllable(w) {
			t.Errorf("vietSyllable(%q) = true", w)
		}
	}
}

// TestResidentsHandWrittenXLSX reads a workbook written by hand the way
// other producers (LibreOffice, WPS, web exports) write them: prefixed
// namespaces, rows and cells without references, rich and phonetic runs,
// inline strings, formula strings, booleans, errors, ISO date cells, a
// 1904 date system and an absolute relationship target.
func TestResidentsHandWrittenXLSX(t *testing.T) {
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
			<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
			<workbookPr date1904="1"/><sheets><sheet name="DS" sheetId="7" r:id="rId9"/><sheet name="Khác" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
			<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/other.xml"/>
			<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/ds.xml"/>
			<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
			<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
		"xl/sharedStrings.xml": `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
			<si><r><rPr><b/></rPr><t>Họ và </t></r><r><t>tên</t></r><rPh sb="0" eb="1"><t>ホ</t></rPh></si>
			<si><t xml:space="preserve">  Nguyễn   Văn &amp; Hùng </t></si></sst>`,
		"xl/styles.xml": `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
			<numFmts count="1"><numFmt numFmtId="164" formatCode="[$-42A]dd/mm/yyyy;@"/></numFmts>
			<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
			<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="3"/></cellXfs></styleSheet>`,
		"xl/worksheets/other.xml": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>`,
		"xl/worksheets/ds.xml": `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
			<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>Ngày sinh</x:t></x:is></x:c><x:c t="str"><x:f>"Giới"&amp;" tính"</x:f><x:v>Giới tính</x:v></x:c>
				<x:c t="inlineStr"><x:is><x:t>Số hộ</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Có ĐTTM</x:t></x:is></x:c></x:row>
			<x:row r="3"><x:c r="A3" t="s"><x:v>1</x:v></x:c><x:c r="B3" t="d"><x:v>1990-05-06T00:00:00</x:v></x:c><x:c r="C3" t="inlineStr"><x:is><x:t>Nam</x:t></x:is></x:c>
				<x:c r="D3" s="2"><x:v>7</x:v></x:c><x:c r="E3" t="b"><x:v>1</x:v></x:c></x:row>
			<x:row r="4"><x:c r="A4" t="inlineStr"><x:is><x:t>Lò Thị B</x:t></x:is></x:c><x:c r="B4" s="1"><x:v>30000</x:v></x:c><x:c r="C4" t="inlineStr"><x:is><x:t>Nữ</x:t></x:is></x:c>
				<x:c r="D4" t="e"><x:v>#N/A</x:v></x:c><x:c r="E4" t="b"><x:v>0</x:v></x:c><x:c r="G4" t="inlineStr"><x:is><x:t>thừa</x:t></x:is></x:c></x:row>
			</x:sheetData></x:worksheet>`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	info, rows := mustRead(t, buf.Bytes(), "tay.xlsx")
	if info.HeaderRow != 1 || !reflect.DeepEqual(info.Headers, []string{"Họ và tên", "Ngày sinh", "Giới tính", "Số hộ", "Có ĐTTM"}) || len(rows) != 2 {
		t.Fatalf("info %+v rows %d", info, len(rows))
	}
	a, b := rows[0], rows[1]
	wantNoErrors(t, a, b)
	if a.Row != 3 || a.Resident.FullName != "Nguyễn Văn & Hùng" || a.Resident.BirthDate != domain.MustDate("1990-05-06") || a.Household != "7" || a.Resident.Smartphone.Since != resToday {
		t.Errorf("row 3 %+v", a)
	}
	if b.Row != 4 || b.Resident.BirthDate != domain.MustDate("1986-02-19") || b.Household != "#N/A" || !b.Resident.Smartphone.Since.IsZero() || b.Values[1] != "19/02/1986" || b.Values[6] != "thừa" {
		t.Errorf("row 4 %+v", b)
	}
}
