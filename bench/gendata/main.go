// Command gendata writes the resident list the P3 import benchmark loads:
// N residents in households of four, spread in blocks over the villages
// T000001…T00000V (a synthetic province's villages, see bench/p3_import.sh),
// with the columns a commune's real list has (Mã thôn, Số hộ, Xóm, Họ và
// tên, Ngày sinh, Giới tính, Quan hệ với chủ hộ, Số CCCD, Số điện thoại,
// adoption facts). Every row is valid, so the whole file imports. The same
// rows are written as CSV (UTF-8) or XLSX (streamed), chosen by -o's
// extension; the output is deterministic.
//
//	go run ./bench/gendata -rows 1000000 -villages 1500 -o residents.csv
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/xuri/excelize/v2"

	"thonso/internal/domain"
)

var header = []string{"Mã thôn", "Số hộ", "Xóm", "Số nhà / Địa chỉ", "Họ và tên", "Ngày sinh", "Giới tính", "Quan hệ với chủ hộ",
	"Số CCCD", "Số điện thoại", "Có điện thoại thông minh", "Ngày kích hoạt VNeID", "Đã đăng nhập Cổng DVC", "Tài khoản ngân hàng",
	"Hộ có tài khoản ngân hàng", "Hộ tham gia nhóm Zalo"}

var (
	family    = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Lò", "Giàng", "Sùng", "Vàng", "Đặng", "Bùi", "Hà"}
	middle    = []string{"Văn", "Thị", "Đức", "Minh", "A", "Seo", "Thu", "Ngọc"}
	given     = []string{"An", "Bình", "Hùng", "Lan", "Mai", "Páo", "Chứ", "Thuỷ", "Dũng", "Khánh", "Yến", "Tú", "Sơn", "Hà"}
	relations = []string{"Chủ hộ", "Vợ", "Con", "Con"}
)

// row fills out with resident i of n over v villages.
func row(out []string, i, n, v int) {
	per := (n + v - 1) / v
	village, k := i/per, i%per // k: position within the village
	sex, sexText := domain.SexMale, "Nam"
	if i%2 == 1 {
		sex, sexText = domain.SexFemale, "Nữ"
	}
	year := 1935 + i%85
	yes := func(b bool) string {
		if b {
			return "x"
		}
		return ""
	}
	out[0] = fmt.Sprintf("T%06d", 1+village)
	out[1] = strconv.Itoa(1 + k/4)
	out[2] = "Xóm " + strconv.Itoa(1+k/4%7)
	out[3] = "Số " + strconv.Itoa(1+k/4%300)
	// The name carries i so that name + birth date + household never repeats.
	out[4] = family[i%len(family)] + " " + middle[i/7%len(middle)] + " " + given[i/3%len(given)] + " " + strconv.Itoa(i)
	out[5] = fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+i%12, year)
	out[6] = sexText
	out[7] = relations[k%4]
	out[8] = domain.CCCDFor(95, sex, year, i%1_000_000)
	out[9] = ""
	if i%3 == 0 {
		out[9] = fmt.Sprintf("039%07d", i%10_000_000)
	}
	out[10] = yes(i%3 != 0)
	out[11] = ""
	if i%4 == 0 {
		out[11] = "15/04/2024"
	}
	out[12] = yes(i%5 == 0)
	out[13] = yes(i%2 == 0)
	out[14] = yes(k/4%4 == 0)
	out[15] = yes(k/4%4 == 1)
}

func main() {
	n := flag.Int("rows", 1000, "residents to write")
	v := flag.Int("villages", 10, "villages T000001… to spread them over")
	out := flag.String("o", "", "output file: .csv or .xlsx")
	flag.Parse()
	if *n < 1 || *v < 1 || *out == "" || *n < *v {
		fmt.Fprintln(os.Stderr, "gendata: need -rows ≥ -villages ≥ 1 and -o FILE.csv|FILE.xlsx")
		os.Exit(2)
	}
	var err error
	switch filepath.Ext(*out) {
	case ".csv":
		err = writeCSV(*out, *n, *v)
	case ".xlsx":
		err = writeXLSX(*out, *n, *v)
	default:
		err = fmt.Errorf("%s: the name must end in .csv or .xlsx", *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
}

func writeCSV(path string, n, v int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	w.Write(header)
	rec := make([]string, len(header))
	for i := range n {
		row(rec, i, n, v)
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeXLSX(path string, n, v int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	rec := make([]string, len(header))
	for i := range n {
		row(rec, i, n, v)
		for j, s := range rec {
			cells[j] = s
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}
