package importer

import (
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"thonso/internal/domain"
)

// residentGuide explains each column of the template, in the "Hướng dẫn"
// sheet, for officers who fill it in by hand.
var residentGuide = map[string]string{
	colVillage:        "Mã thôn trong hệ thống (ví dụ T000001), địa chỉ trang của thôn (ví dụ dong-cam) hoặc tên thôn. Để trống khi cả tệp là của một thôn.",
	colHousehold:      "Số hộ theo sổ theo dõi của thôn. Các nhân khẩu cùng một hộ ghi cùng một số hộ.",
	colHamlet:         "Tên xóm, nếu thôn chia xóm.",
	colAddress:        "Số nhà, đường hoặc địa chỉ của hộ.",
	colName:           "Họ và tên đầy đủ, có dấu.",
	colBirth:          "Ngày sinh dạng dd/mm/yyyy, ví dụ 15/01/1985. Nếu chỉ biết năm sinh thì ghi năm, ví dụ 1985.",
	colSex:            "Nam hoặc Nữ.",
	colRelation:       "Chủ hộ, Vợ, Chồng, Con, Bố, Mẹ, Ông, Bà, Cháu, Anh, Chị, Em, Con dâu, Con rể; quan hệ khác ghi Khác.",
	colCCCD:           "Số căn cước công dân, 12 chữ số. Phải khớp giới tính và năm sinh. Để cột ở định dạng Văn bản (Text) để Excel không bỏ số 0 ở đầu hoặc đổi sang dạng 1,01E+11.",
	colPhone:          "Số di động 10 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678) hoặc số cố định. Để trống nếu không có.",
	colMovedIn:        "Ngày chuyển đến thôn (dd/mm/yyyy). Để trống nếu sống ở thôn từ trước.",
	colMovedOut:       "Ngày chuyển đi khỏi thôn (dd/mm/yyyy).",
	colDied:           "Ngày mất (dd/mm/yyyy). Chỉ ghi một trong hai cột Ngày chuyển đi và Ngày mất.",
	colSmartphone:     "Ghi x (hoặc có) nếu người này có điện thoại thông minh; để trống hoặc ghi không nếu chưa có.",
	colSmartphoneDate: "Ngày bắt đầu có điện thoại thông minh (dd/mm/yyyy), nếu biết. Có ngày thì không cần đánh dấu cột trước.",
	colVNeID:          "Ghi x nếu đã kích hoạt tài khoản định danh điện tử VNeID mức 2.",
	colVNeIDDate:      "Ngày kích hoạt VNeID mức 2 (dd/mm/yyyy), nếu biết.",
	colPortal:         "Ghi x nếu đã đăng nhập Cổng Dịch vụ công quốc gia ít nhất một lần.",
	colPortalDate:     "Ngày đăng nhập Cổng Dịch vụ công lần đầu (dd/mm/yyyy), nếu biết.",
	colBank:           "Ghi x nếu người này có tài khoản ngân hàng để thanh toán không dùng tiền mặt.",
	colBankDate:       "Ngày mở tài khoản ngân hàng (dd/mm/yyyy), nếu biết.",
	colHelped:         "Ghi x nếu Tổ công nghệ số cộng đồng đã giúp người này có được các mục được đánh dấu trên cùng dòng.",
	colHouseholdBank:  "Ghi x nếu hộ có tài khoản ngân hàng dùng để thanh toán không dùng tiền mặt. Ghi ở một dòng bất kỳ của hộ.",
	colHouseholdZalo:  "Ghi x nếu hộ có người tham gia nhóm Zalo của thôn. Ghi ở một dòng bất kỳ của hộ.",
}

// residentGuideNotes are the general rules, under the column table.
var residentGuideNotes = []string{
	"Dòng tiêu đề có thể nằm ở bất kỳ dòng nào trong 20 dòng đầu; phía trên có thể có tên bảng, tên thôn. Thứ tự các cột không quan trọng; cột không có trong bảng trên (STT, Ghi chú…) được bỏ qua.",
	"Tên cột không phân biệt chữ hoa, chữ thường, có dấu hay không dấu. Một số tên khác cũng được nhận: Họ tên; Năm sinh; Mã hộ, Số hộ khẩu; CCCD, Số CCCD/CMND, Căn cước; SĐT, Điện thoại; Quan hệ; Thôn.",
	"Ô có/không: x, có, 1, đã có, rồi là có; để trống, không, 0, chưa là không.",
	"Ngày ghi dạng dd/mm/yyyy (ví dụ 05/03/2024), d/m/yyyy, dd-mm-yyyy hoặc yyyy-mm-dd; ô Excel định dạng ngày cũng được nhận. Ngày sinh được phép chỉ ghi năm.",
	"Dòng trống được bỏ qua. Mỗi số CCCD chỉ xuất hiện một lần trong tệp.",
	"Tệp gõ bằng phông chữ cũ (.VnTime – bảng mã TCVN3, VNI-Times – bảng mã VNI) phải chuyển sang Unicode trước khi nhập, ví dụ bằng Unikey › Công cụ chuyển mã.",
	"Lưu tệp dạng Excel (.xlsx) hoặc CSV UTF-8 (phân cách bằng dấu phẩy hoặc dấu chấm phẩy).",
	"Dòng 2 của trang Nhân khẩu là ví dụ về một người giả (dữ liệu minh hoạ, số điện thoại không có thật): hãy xoá dòng này trước khi nhập.",
	"Không ghi mật khẩu VNeID, mật khẩu Cổng Dịch vụ công hay mã OTP của người dân vào tệp. Tệp chứa thông tin cá nhân: giữ cẩn thận và xoá khi đã nhập xong.",
}

// residentExample is the template's example row: a synthetic person whose
// CCCD agrees with sex and birth year and whose phone is in the demo block
// (0399 99x xxx), so nobody real is named or dialled.
func residentExample() map[string]string {
	return map[string]string{
		colVillage: "T000001", colHousehold: "001", colHamlet: "Xóm Trung", colAddress: "Số 12",
		colName: "Nguyễn Văn An", colBirth: "15/01/1985", colSex: "Nam", colRelation: "Chủ hộ",
		colCCCD:       domain.CCCDFor(10, domain.SexMale, 1985, 1), // 010: Lào Cai
		colPhone:      "0399990001",
		colSmartphone: "x", colSmartphoneDate: "01/03/2024",
		colVNeID: "x", colVNeIDDate: "15/04/2024",
		colPortal: "x", colPortalDate: "20/05/2024",
		colBank: "x", colHelped: "x", colHouseholdBank: "x", colHouseholdZalo: "x",
	}
}

const (
	templateSheet = "Nhân khẩu"
	guideSheet    = "Hướng dẫn"
	rejectedSheet = "Dòng lỗi"
	errorHeader   = "Lỗi"
	textFormat    = 49 // "@": what is typed stays text (leading zeros, dd/mm/yyyy in any Excel locale)
)

// ResidentTemplate returns the downloadable .xlsx template: the header row
// with every recognised column (Vietnamese headers), one example row of a
// synthetic person, and a second sheet "Hướng dẫn" explaining each column
// and the accepted formats. Every column is formatted as text so Excel
// keeps leading zeros and does not reinterpret dates by its locale.
func ResidentTemplate() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", templateSheet); err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Border:    []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}},
		NumFmt:    textFormat,
	})
	if err != nil {
		return nil, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: textFormat})
	if err != nil {
		return nil, err
	}
	example, err := f.NewStyle(&excelize.Style{NumFmt: textFormat, Font: &excelize.Font{Italic: true, Color: "7F7F7F"}})
	if err != nil {
		return nil, err
	}
	ex := residentExample()
	last, _ := excelize.ColumnNumberToName(len(residentColumns))
	if err := f.SetColStyle(templateSheet, "A:"+last, text); err != nil {
		return nil, err
	}
	if err := f.SetColWidth(templateSheet, "A", last, 16); err != nil {
		return nil, err
	}
	for i, c := range residentColumns {
		h, _ := excelize.CoordinatesToCellName(i+1, 1)
		e, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellStr(templateSheet, h, c.header); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(templateSheet, e, ex[c.field]); err != nil {
			return nil, err
		}
		switch c.field {
		case colName, colAddress:
			col, _ := excelize.ColumnNumberToName(i + 1)
			_ = f.SetColWidth(templateSheet, col, col, 24)
		}
	}
	if err := f.SetCellStyle(templateSheet, "A1", last+"1", head); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(templateSheet, "A2", last+"2", example); err != nil {
		return nil, err
	}
	if err := f.SetRowHeight(templateSheet, 1, 45); err != nil {
		return nil, err
	}
	if err := f.SetPanes(templateSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	for i, c := range residentColumns {
		var list []string
		switch c.field {
		case colSex:
			list = []string{"Nam", "Nữ"}
		case colRelation:
			list = []string{"Chủ hộ", "Vợ", "Chồng", "Con", "Bố", "Mẹ", "Ông", "Bà", "Cháu", "Anh", "Chị", "Em", "Con dâu", "Con rể", "Khác"}
		default:
			continue
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = col + "2:" + col + "5000"
		if err := dv.SetDropList(list); err != nil {
			return nil, err
		}
		// A warning, not a stop: "Con trai" or "Nữ " are still read.
		dv.SetError(excelize.DataValidationErrorStyleWarning, c.header, "Nên chọn một giá trị trong danh sách.")
		if err := f.AddDataValidation(templateSheet, dv); err != nil {
			return nil, err
		}
	}

	if _, err := f.NewSheet(guideSheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return nil, err
	}
	_ = f.SetColWidth(guideSheet, "A", "A", 32)
	_ = f.SetColWidth(guideSheet, "B", "B", 10)
	_ = f.SetColWidth(guideSheet, "C", "C", 90)
	set := func(cell, v string, style int) error {
		if err := f.SetCellStr(guideSheet, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(guideSheet, cell, cell, style)
	}
	if err := set("A1", "Hướng dẫn điền danh sách nhân khẩu", title); err != nil {
		return nil, err
	}
	row := 3
	for i, h := range []string{"Cột", "Bắt buộc", "Cách ghi"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, row)
		if err := set(cell, h, bold); err != nil {
			return nil, err
		}
	}
	for _, c := range residentColumns {
		row++
		req := ""
		if c.required {
			req = "Bắt buộc"
		}
		r := strconv.Itoa(row)
		if err := set("A"+r, c.header, bold); err != nil {
			return nil, err
		}
		if err := set("B"+r, req, wrap); err != nil {
			return nil, err
		}
		if err := set("C"+r, residentGuide[c.field], wrap); err != nil {
			return nil, err
		}
	}
	row += 2
	if err := set("A"+strconv.Itoa(row), "Lưu ý chung", bold); err != nil {
		return nil, err
	}
	for _, n := range residentGuideNotes {
		row++
		r := strconv.Itoa(row)
		if err := set("A"+r, "•", wrap); err != nil {
			return nil, err
		}
		if err := f.MergeCell(guideSheet, "B"+r, "C"+r); err != nil {
			return nil, err
		}
		if err := set("B"+r, n, wrap); err != nil {
			return nil, err
		}
		_ = f.SetRowHeight(guideSheet, row, float64(15*(1+len([]rune(n))/100)))
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// RejectedFile writes an .xlsx with the original header plus a last column
// "Lỗi" and one row per rejected row: its original Values and its errors as
// Vietnamese text produced by msg, each after its column name, the first
// naming the row in the original file. The officer corrects this file and
// imports it again, so values are written as text, as they were read.
func RejectedFile(info SheetInfo, rows []ResidentRow, msg func(*domain.Error) string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", rejectedSheet); err != nil {
		return nil, err
	}
	width := len(info.Headers)
	for _, r := range rows {
		width = max(width, len(r.Values))
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: textFormat,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return nil, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: textFormat})
	if err != nil {
		return nil, err
	}
	errStyle, err := f.NewStyle(&excelize.Style{NumFmt: textFormat, Font: &excelize.Font{Color: "C00000"},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(rejectedSheet)
	if err != nil {
		return nil, err
	}
	if width > 0 {
		if err := sw.SetColWidth(1, width, 16); err != nil {
			return nil, err
		}
	}
	if err := sw.SetColWidth(width+1, width+1, 70); err != nil {
		return nil, err
	}
	line := make([]any, width+1)
	for i := range width {
		h := ""
		if i < len(info.Headers) {
			h = info.Headers[i]
		}
		line[i] = excelize.Cell{StyleID: head, Value: h}
	}
	line[width] = excelize.Cell{StyleID: head, Value: errorHeader}
	if err := sw.SetRow("A1", line); err != nil {
		return nil, err
	}
	for n, r := range rows {
		for i := range width {
			v := ""
			if i < len(r.Values) {
				v = r.Values[i]
			}
			line[i] = excelize.Cell{StyleID: text, Value: v}
		}
		line[width] = excelize.Cell{StyleID: errStyle, Value: rejectedText(r, msg)}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, line); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// rejectedText is the "Lỗi" cell: "Dòng 12 — Ngày sinh: …", one error a line.
func rejectedText(r ResidentRow, msg func(*domain.Error) string) string {
	var b strings.Builder
	b.WriteString("Dòng " + strconv.Itoa(r.Row) + " — ")
	for i, e := range r.Errors {
		if i > 0 {
			b.WriteString("\n")
		}
		if e.Column != "" {
			b.WriteString(e.Column + ": ")
		}
		if e.Err != nil {
			b.WriteString(msg(e.Err))
		}
	}
	return b.String()
}
