package importer

import (
	"errors"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// ResidentRow is one data row of a resident spreadsheet.
type ResidentRow struct {
	Row           int             // 1-based row number in the sheet/file (what a user sees in Excel)
	Village       string          // value of a "Mã thôn" or "Thôn" column if the file has one (code like T000001, slug, or name), else ""
	Household     string          // household number (Số hộ), required
	Hamlet        string          // Xóm
	Address       string          // Số nhà / Địa chỉ
	Resident      domain.Resident // FullName, BirthDate, YearOnly, Sex, Phone, CCCD, Relation, MovedIn, LeftOn, LeftReason, Smartphone, VNeID, Portal, PersonalBank filled; IDs zero
	HouseholdBank domain.Adoption // household-level: has a bank account for cashless payment
	HouseholdZalo domain.Adoption // household-level: represented in the village Zalo group
	Errors        []CellError     // empty when the row is valid
	Values        []string        // the cell values of the row in file column order, as shown (dates dd/mm/yyyy), for the rejected-rows file
}

// CellError pins a problem to a column.
type CellError struct {
	Column string        // the header text as written in the file ("Ngày sinh"), or "" for the whole row
	Err    *domain.Error // e.g. Key "date.invalid", "phone.invalid", "cccd.mismatch", "resident.birth_future"
}

// SheetInfo describes the file.
type SheetInfo struct {
	HeaderRow int            // 1-based row where the header was found (the upper row of a two-row header)
	Headers   []string       // header texts as in the file
	Columns   map[string]int // recognised field -> column index (0-based)
	Ignored   []string       // header texts not recognised (extra columns)
	Rows      int            // data rows seen (excluding empty ones)
}

// ColumnFor returns the header text, as written in the file, of the column
// holding a field named by a domain error (full_name, birth, sex, phone,
// cccd, relation, moved_in, left_on, smartphone, vneid, portal, bank; and
// number or household, hamlet, address, village), or "" when the file has
// none. It lets errors found later (by the store) point at a column too.
func (s SheetInfo) ColumnFor(field string) string {
	var cands []string
	switch field {
	case "number":
		cands = []string{colHousehold}
	case "left_on", "left_reason":
		cands = []string{colMovedOut, colDied}
	case "smartphone", "vneid", "portal", "bank":
		cands = []string{field + "_date", field}
	default:
		cands = []string{field}
	}
	for _, c := range cands {
		if i, ok := s.Columns[c]; ok && i < len(s.Headers) {
			return s.Headers[i]
		}
	}
	return ""
}

// ResidentOptions tune ReadResidents.
type ResidentOptions struct {
	Today   domain.Date // for validation (future birth, age > 130) and as the date of boolean-only facts; zero: today in Vietnam
	MaxRows int         // 0 = no limit; more rows -> file-level error import.too_many_rows
	// StoreChecksCCCDRepeats leaves the check of a CCCD an earlier row
	// has (cccd.duplicate_in_file) to the store, which finds the rows it
	// wrote in the database instead of keeping every CCCD in memory
	// (ImportPeople).
	StoreChecksCCCDRepeats bool
}

// Fields a resident column can hold; the keys of SheetInfo.Columns.
const (
	colName           = "full_name"
	colBirth          = "birth"
	colSex            = "sex"
	colHousehold      = "household"
	colCCCD           = "cccd"
	colPhone          = "phone"
	colRelation       = "relation"
	colHamlet         = "hamlet"
	colAddress        = "address"
	colVillage        = "village"
	colMovedIn        = "moved_in"
	colMovedOut       = "moved_out"
	colDied           = "died"
	colSmartphone     = "smartphone"
	colSmartphoneDate = "smartphone_date"
	colVNeID          = "vneid"
	colVNeIDDate      = "vneid_date"
	colPortal         = "portal"
	colPortalDate     = "portal_date"
	colBank           = "bank"
	colBankDate       = "bank_date"
	colHelped         = "helped"
	colHouseholdBank  = "household_bank"
	colHouseholdZalo  = "household_zalo"
)

// residentColumn is one column a resident sheet may have. Header is the
// name our template writes and messages use; aliases are the ways village
// lists actually title it, compared after headerKey (no accents, no case,
// no punctuation, no "(…)" hints), the earlier alias winning when a file
// has two columns for one field ("Mã thôn" over "Thôn").
type residentColumn struct {
	field    string
	header   string
	required bool
	aliases  []string
}

var residentColumns = []residentColumn{
	{colVillage, "Mã thôn", false, []string{"Mã thôn", "Thôn", "Tên thôn", "Thôn / Tổ dân phố", "Thôn / Bản"}},
	{colHousehold, "Số hộ", true, []string{"Số hộ", "Mã hộ", "Số hộ khẩu", "Mã số hộ"}},
	{colHamlet, "Xóm", false, []string{"Xóm"}},
	{colAddress, "Số nhà / Địa chỉ", false, []string{"Số nhà / Địa chỉ", "Số nhà", "Địa chỉ", "Địa chỉ / Số nhà"}},
	{colName, "Họ và tên", true, []string{"Họ và tên", "Họ tên", "Họ và tên nhân khẩu"}},
	{colBirth, "Ngày sinh", true, []string{"Ngày sinh", "Năm sinh", "Ngày tháng năm sinh", "Sinh ngày"}},
	{colSex, "Giới tính", true, []string{"Giới tính"}},
	{colRelation, "Quan hệ với chủ hộ", false, []string{"Quan hệ với chủ hộ", "Quan hệ", "Quan hệ với CH", "QH với chủ hộ"}},
	{colCCCD, "Số CCCD", false, []string{"Số CCCD", "CCCD", "Số CCCD/CMND", "CCCD/CMND", "Căn cước", "Số căn cước", "Căn cước công dân", "Số căn cước công dân", "Số định danh", "Số định danh cá nhân"}},
	{colPhone, "Số điện thoại", false, []string{"Số điện thoại", "SĐT", "Điện thoại", "Số ĐT", "ĐT"}},
	{colMovedIn, "Ngày chuyển đến", false, []string{"Ngày chuyển đến", "Ngày đến"}},
	{colMovedOut, "Ngày chuyển đi", false, []string{"Ngày chuyển đi", "Ngày đi"}},
	{colDied, "Ngày mất", false, []string{"Ngày mất", "Ngày chết", "Ngày tử vong"}},
	{colSmartphone, "Có điện thoại thông minh", false, []string{"Có điện thoại thông minh", "Điện thoại thông minh", "Có ĐTTM", "ĐTTM"}},
	{colSmartphoneDate, "Ngày có điện thoại thông minh", false, []string{"Ngày có điện thoại thông minh", "Ngày có ĐTTM"}},
	{colVNeID, "Tài khoản VNeID mức 2", false, []string{"Tài khoản VNeID mức 2", "VNeID mức 2", "Tài khoản VNeID", "VNeID", "Định danh điện tử mức 2"}},
	{colVNeIDDate, "Ngày kích hoạt VNeID", false, []string{"Ngày kích hoạt VNeID", "Ngày kích hoạt VNeID mức 2"}},
	{colPortal, "Đã đăng nhập Cổng DVC", false, []string{"Đã đăng nhập Cổng DVC", "Đăng nhập Cổng DVC", "Cổng DVC", "Đã đăng nhập Cổng dịch vụ công"}},
	{colPortalDate, "Ngày đăng nhập Cổng DVC", false, []string{"Ngày đăng nhập Cổng DVC", "Ngày đăng nhập Cổng dịch vụ công"}},
	{colBank, "Tài khoản ngân hàng", false, []string{"Tài khoản ngân hàng", "Có tài khoản ngân hàng", "TK ngân hàng"}},
	{colBankDate, "Ngày mở tài khoản ngân hàng", false, []string{"Ngày mở tài khoản ngân hàng", "Ngày mở TK ngân hàng"}},
	{colHelped, "Tổ CNS hỗ trợ", false, []string{"Tổ CNS hỗ trợ", "Tổ công nghệ số hỗ trợ", "Được tổ CNS hỗ trợ"}},
	{colHouseholdBank, "Hộ có tài khoản ngân hàng", false, []string{"Hộ có tài khoản ngân hàng", "Hộ có TK ngân hàng"}},
	{colHouseholdZalo, "Hộ tham gia nhóm Zalo", false, []string{"Hộ tham gia nhóm Zalo", "Tham gia nhóm Zalo", "Nhóm Zalo", "Zalo"}},
}

// residentHeaders maps a headerKey to its column and the alias rank.
var residentHeaders = func() map[string]struct{ col, rank int } {
	m := map[string]struct{ col, rank int }{}
	for i, c := range residentColumns {
		for j, a := range c.aliases {
			k := headerKey(a)
			if _, dup := m[k]; dup {
				panic("importer: header alias twice: " + a)
			}
			m[k] = struct{ col, rank int }{i, j}
		}
	}
	return m
}()

// headerKey is the form headers are compared in: "Ngày sinh (dd/mm/yyyy)",
// "NGÀY SINH" and "ngay sinh:" all give "ngay sinh"; "Số CCCD/CMND" gives
// "so cccd cmnd".
func headerKey(s string) string {
	for {
		i := strings.IndexByte(s, '(')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			s = s[:i]
			break
		}
		s = s[:i] + " " + s[i+j+1:]
	}
	f := []rune(textvi.Fold(s))
	for i, r := range f {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			f[i] = ' '
		}
	}
	return strings.Join(strings.Fields(string(f)), " ")
}

// Words for yes and no in the boolean columns, folded.
var (
	boolTrue  = map[string]bool{"x": true, "co": true, "1": true, "yes": true, "y": true, "true": true, "✓": true, "✔": true, "da co": true, "roi": true, "da": true}
	boolFalse = map[string]bool{"khong": true, "0": true, "chua": true, "no": true, "false": true, "chua co": true, "khong co": true, "k": true}
)

// Relations as household books write them, folded; a multi-word entry is
// tried before the first word alone ("Con dâu" before "Con").
var relationWords = map[string]domain.Relation{
	"chu ho": "chu_ho", "vo": "vo", "chong": "chong", "con": "con", "con trai": "con", "con gai": "con",
	"bo": "bo", "cha": "bo", "me": "me", "ong": "ong", "ba": "ba", "chau": "chau", "anh": "anh", "chi": "chi",
	"em": "em", "con dau": "con_dau", "con re": "con_re", "khac": "khac",
}

// headerScanRows is how far down the header row is looked for: lists often
// carry a few title lines (unit, "DANH SÁCH NHÂN KHẨU …", date) above it.
const headerScanRows = 20

// ReadResidents streams the rows of an .xlsx or .csv (by name's extension)
// to fn, one at a time, never holding the whole sheet. File-level problems
// (not a spreadsheet, an .xls, empty, no header found, missing required
// column, legacy font encoding detected, too many rows) return *domain.FileErrors
// (file name, row 0 or the row where detected) and fn is not called
// further; rows already passed to fn belong to a file that must then be
// refused as a whole. An error from fn stops reading and is returned as is.
func ReadResidents(r io.Reader, name string, opt ResidentOptions, fn func(ResidentRow) error) (SheetInfo, error) {
	file := path.Base(strings.ReplaceAll(name, `\`, "/"))
	if opt.Today.IsZero() {
		opt.Today = domain.DateOf(time.Now())
	}
	var info SheetInfo
	src, err := openSheet(r, name)
	if errors.Is(err, errLegacyExcel) {
		return info, residentFileError(file, 0, "import.xls_unsupported")
	}
	if err != nil {
		return info, residentFileError(file, 0, "import.not_spreadsheet")
	}
	defer src.close()

	// The header: the best of the first rows, kept to replay the data rows
	// that follow it.
	var head []sheetRow
	var pending *sheetRow
	for {
		row, ok, err := src.next()
		if err != nil {
			return info, residentFileError(file, 0, "import.not_spreadsheet")
		}
		if !ok {
			break
		}
		normalizeRow(&row)
		if row.n > headerScanRows {
			pending = &row
			break
		}
		head = append(head, row)
	}
	hi, span, texts, ok := findHeader(head)
	if !ok {
		return info, noHeader(file, head, pending)
	}
	rd := newResidentReader(file, opt, texts)
	info.HeaderRow = head[hi].n
	info.Headers = texts
	info.Columns = rd.col
	info.Ignored = rd.ignored
	var fe domain.FileErrors
	for _, c := range residentColumns {
		if _, ok := rd.col[c.field]; c.required && !ok {
			fe.Add(file, info.HeaderRow, domain.Errorf(domain.EINVALID, "import.column_missing", "column", c.header))
		}
	}
	if err := fe.Err(); err != nil {
		return info, err
	}

	first := true
	var legacy legacyWatch
	handle := func(row sheetRow) error {
		if rd.empty(row) {
			return nil
		}
		if first && columnNumbers(row) {
			first = false
			return nil // the "(1) (2) (3)…" line under a government-form header
		}
		first = false
		info.Rows++
		if opt.MaxRows > 0 && info.Rows > opt.MaxRows {
			return residentFileError(file, row.n, "import.too_many_rows", "max", opt.MaxRows)
		}
		if c, ok := rd.cell(row, colName); ok {
			if enc, at, found := legacy.see(c.text, row.n); found {
				return residentFileError(file, at, "import.legacy_encoding", "encoding", enc)
			}
		}
		if row.latin1 {
			return residentFileError(file, row.n, "import.csv_encoding")
		}
		return fn(rd.parse(row))
	}
	for _, row := range head[hi+span:] {
		if err := handle(row); err != nil {
			return info, err
		}
	}
	if pending != nil {
		if err := handle(*pending); err != nil {
			return info, err
		}
		for {
			row, ok, err := src.next()
			if err != nil {
				return info, residentFileError(file, 0, "import.not_spreadsheet")
			}
			if !ok {
				break
			}
			normalizeRow(&row)
			if err := handle(row); err != nil {
				return info, err
			}
		}
	}
	if info.Rows == 0 {
		return info, residentFileError(file, 0, "import.empty")
	}
	return info, nil
}

func residentFileError(file string, row int, key string, kv ...any) error {
	var fe domain.FileErrors
	fe.Add(file, row, domain.Errorf(domain.EINVALID, key, kv...))
	return &fe
}

// normalizeRow puts every cell in NFC with its spaces collapsed: files
// from old Macs and some web forms hold decomposed (NFD) Vietnamese.
func normalizeRow(row *sheetRow) {
	for i := range row.cells {
		if t := row.cells[i].text; t != "" && !plainASCII(t) {
			row.cells[i].text = textvi.Normalize(t)
		}
	}
}

// plainASCII reports whether s is printable ASCII without leading,
// trailing or double spaces: already normal, the common case for numbers
// and codes, so the allocation of Normalize is skipped.
func plainASCII(s string) bool {
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x21 && !(c == ' ' && s[i+1] != ' ') || c >= 0x7F {
			return false
		}
	}
	return true
}

func rowTexts(row sheetRow) []string {
	out := make([]string, len(row.cells))
	for i, c := range row.cells {
		out[i] = c.text
	}
	return out
}

// matchHeaders maps the recognised header texts to their fields.
func matchHeaders(texts []string) map[string]int {
	fields := map[string]int{}
	rank := map[string]int{}
	for i, t := range texts {
		if t == "" {
			continue
		}
		h, ok := residentHeaders[headerKey(t)]
		if !ok {
			continue
		}
		f := residentColumns[h.col].field
		if r, seen := rank[f]; seen && r <= h.rank {
			continue
		}
		fields[f], rank[f] = i, h.rank
	}
	return fields
}

// findHeader picks the header among the first rows: the row (or two
// consecutive rows, for forms that group columns under a merged title such
// as "Chuyển đổi số") recognising the most columns, with at least the name
// and two others. It returns the index of its first row in head, its span
// and its texts.
func findHeader(head []sheetRow) (at, span int, texts []string, ok bool) {
	counts := make([]int, len(head))
	for i, row := range head {
		counts[i] = len(matchHeaders(rowTexts(row)))
	}
	best := 0
	for i, row := range head {
		t1 := rowTexts(row)
		if counts[i] > best && goodHeader(t1) {
			at, span, texts, best, ok = i, 1, t1, counts[i], true
		}
		// Two rows only when together they name more than either alone,
		// so a title line above a complete header is not taken in.
		if i+1 < len(head) && head[i+1].n == row.n+1 {
			t2 := combineHeaders(t1, rowTexts(head[i+1]))
			if n := len(matchHeaders(t2)); n > best && n > counts[i] && n > counts[i+1] && goodHeader(t2) {
				at, span, texts, best, ok = i, 2, t2, n, true
			}
		}
	}
	return at, span, texts, ok
}

func goodHeader(texts []string) bool {
	f := matchHeaders(texts)
	_, name := f[colName]
	return name && len(f) >= 3
}

// combineHeaders reads two header rows as one: for each column the lower
// text when it names a field, else the upper one (a vertically merged
// header keeps its text in the upper row), else whichever is not empty.
func combineHeaders(up, lo []string) []string {
	out := make([]string, max(len(up), len(lo)))
	for i := range out {
		var u, l string
		if i < len(up) {
			u = up[i]
		}
		if i < len(lo) {
			l = lo[i]
		}
		_, lok := residentHeaders[headerKey(l)]
		_, uok := residentHeaders[headerKey(u)]
		switch {
		case l != "" && lok:
			out[i] = l
		case u != "" && uok:
			out[i] = u
		case l != "":
			out[i] = l
		default:
			out[i] = u
		}
	}
	return out
}

// noHeader explains why no header was found: nothing in the file, a
// header typed in a legacy font, legacy text anywhere in the first rows,
// or simply no recognisable header.
func noHeader(file string, head []sheetRow, pending *sheetRow) error {
	empty := pending == nil
	for _, row := range head {
		for _, c := range row.cells {
			if c.text != "" {
				empty = false
			}
		}
	}
	if empty {
		return residentFileError(file, 0, "import.empty")
	}
	var legacy legacyWatch
	for _, row := range head {
		texts := rowTexts(row)
		for _, dec := range []struct {
			name string
			fn   func(string) (string, bool)
		}{{encTCVN3, decodeTCVN3}, {encVNI, decodeVNI}} {
			decoded := make([]string, len(texts))
			for i, t := range texts {
				if d, ok := dec.fn(t); ok {
					decoded[i] = d
				}
			}
			if goodHeader(decoded) {
				return residentFileError(file, row.n, "import.legacy_encoding", "encoding", dec.name)
			}
		}
		for _, t := range texts {
			if enc, at, found := legacy.see(t, row.n); found {
				return residentFileError(file, at, "import.legacy_encoding", "encoding", enc)
			}
		}
	}
	return residentFileError(file, 0, "import.header_missing")
}

// columnNumbers reports whether a row only numbers the columns, as
// government forms do under their header: "1", "2", … or "(1)", "(2)", ….
func columnNumbers(row sheetRow) bool {
	seen := 0
	for _, c := range row.cells {
		t := strings.Trim(c.text, "()")
		if c.text == "" {
			continue
		}
		if n, err := strconv.Atoi(t); err != nil || n < 1 || n > len(row.cells)+1 {
			return false
		}
		seen++
	}
	return seen >= 3
}

// residentReader turns data rows into ResidentRows for one file.
type residentReader struct {
	file    string
	opt     ResidentOptions
	headers []string
	col     map[string]int
	ignored []string
	cccdRow map[uint64]int32 // CCCD (12 digits, as a number) -> first row it appeared on: a few bytes a row
	folded  map[string]string
}

// maxFolded bounds the memo of fold: the short words of the sex, relation
// and yes/no columns repeat on every row, and textvi.Fold allocates its
// transformer chain on each call (60 KB a row before this memo).
const maxFolded = 4096

// fold is textvi.Fold for cell values (already normalised), remembered.
func (rd *residentReader) fold(s string) string {
	if plainASCII(s) {
		return strings.ToLower(s)
	}
	if f, ok := rd.folded[s]; ok {
		return f
	}
	f := textvi.Fold(s)
	if len(rd.folded) < maxFolded {
		rd.folded[s] = f
	}
	return f
}

func newResidentReader(file string, opt ResidentOptions, headers []string) *residentReader {
	rd := &residentReader{file: file, opt: opt, headers: headers, col: matchHeaders(headers), cccdRow: map[uint64]int32{}, folded: map[string]string{}}
	used := map[int]bool{}
	for _, i := range rd.col {
		used[i] = true
	}
	for i, h := range headers {
		if h != "" && !used[i] {
			rd.ignored = append(rd.ignored, h)
		}
	}
	return rd
}

// cell returns the cell of field in row; ok is false when the file has no
// such column.
func (rd *residentReader) cell(row sheetRow, field string) (sheetCell, bool) {
	i, ok := rd.col[field]
	if !ok || i >= len(row.cells) {
		return sheetCell{}, ok
	}
	return row.cells[i], true
}

func (rd *residentReader) text(row sheetRow, field string) string {
	c, _ := rd.cell(row, field)
	return c.text
}

// empty reports whether no recognised column has a value: blank lines and
// pre-numbered template lines (an STT and nothing else) are not data.
func (rd *residentReader) empty(row sheetRow) bool {
	for _, i := range rd.col {
		if i < len(row.cells) && row.cells[i].text != "" {
			return false
		}
	}
	return true
}

func (rd *residentReader) header(field string) string {
	if i, ok := rd.col[field]; ok && i < len(rd.headers) {
		return rd.headers[i]
	}
	return ""
}

// parse reads and validates one non-empty data row.
func (rd *residentReader) parse(row sheetRow) ResidentRow {
	today := rd.opt.Today
	out := ResidentRow{
		Row:       row.n,
		Village:   rd.text(row, colVillage),
		Household: rd.text(row, colHousehold),
		Hamlet:    rd.text(row, colHamlet),
		Address:   rd.text(row, colAddress),
	}
	out.Values = make([]string, max(len(row.cells), len(rd.headers)))
	for i, c := range row.cells {
		out.Values[i] = c.text
		if c.kind == cellDate {
			out.Values[i] = c.date.VN()
		}
	}
	bad := map[string]bool{} // domain fields already reported
	fail := func(column, field string, e *domain.Error) {
		bad[field] = true
		out.Errors = append(out.Errors, CellError{Column: rd.header(column), Err: e.WithField(field)})
	}
	res := &out.Resident
	res.FullName = rd.text(row, colName)
	if out.Household == "" {
		fail(colHousehold, "household", domain.Errorf(domain.EINVALID, "import.household_missing"))
	}

	c, _ := rd.cell(row, colBirth)
	if d, yearOnly, err := dateCell(c, true); err != nil {
		fail(colBirth, "birth", err)
	} else {
		res.BirthDate, res.YearOnly = d, yearOnly
	}
	if s := rd.text(row, colSex); s != "" {
		switch rd.fold(s) {
		case "nam", "m", "male":
			res.Sex = domain.SexMale
		case "nu", "f", "female":
			res.Sex = domain.SexFemale
		default:
			fail(colSex, "sex", domain.Errorf(domain.EINVALID, "import.sex_invalid", "value", s))
		}
	}
	if s := rd.text(row, colRelation); s != "" {
		res.Relation = relationOf(rd.fold(s))
	}
	c, _ = rd.cell(row, colPhone)
	if p, err := phoneCell(c); err != nil {
		fail(colPhone, "phone", err)
	} else {
		res.Phone = p
	}
	c, _ = rd.cell(row, colCCCD)
	if id, err := cccdCell(c); err != nil {
		fail(colCCCD, "cccd", err)
	} else {
		res.CCCD = id
	}

	date := func(field, domainField string) domain.Date {
		c, _ := rd.cell(row, field)
		d, _, err := dateCell(c, false)
		if err != nil {
			fail(field, domainField, err)
		}
		return d
	}
	res.MovedIn = date(colMovedIn, "moved_in")
	leftColumn := ""
	out1, died := date(colMovedOut, "left_on"), date(colDied, "left_on")
	switch {
	case !out1.IsZero() && !died.IsZero():
		fail(colMovedOut, "left_on", domain.Errorf(domain.EINVALID, "import.left_both"))
	case !out1.IsZero():
		res.LeftOn, res.LeftReason, leftColumn = out1, domain.LeftMoved, colMovedOut
	case !died.IsZero():
		res.LeftOn, res.LeftReason, leftColumn = died, domain.LeftDeceased, colDied
	}

	helpedCell, _ := rd.cell(row, colHelped)
	helped, _, err := boolCell(helpedCell, rd.fold)
	if err != nil {
		fail(colHelped, "helped", err)
	}
	// factColumn remembers which column gave a fact, to pin its errors.
	factColumn := map[string]string{}
	fact := func(boolField, dateField, domainField string) domain.Adoption {
		var a domain.Adoption
		bc, _ := rd.cell(row, boolField)
		yes, bd, berr := boolCell(bc, rd.fold)
		if berr != nil {
			fail(boolField, domainField, berr)
		}
		factColumn[domainField] = boolField
		var d domain.Date
		if dateField != "" {
			dc, _ := rd.cell(row, dateField)
			var derr *domain.Error
			if d, _, derr = dateCell(dc, false); derr != nil {
				fail(dateField, domainField, derr)
			}
			if dc.text != "" {
				factColumn[domainField] = dateField
			}
		}
		switch {
		case !d.IsZero():
			if bc.text != "" && berr == nil && !yes {
				fail(boolField, domainField, domain.Errorf(domain.EINVALID, "import.bool_conflict", "value", bc.text))
			}
			a.Since = d
		case !bd.IsZero():
			a.Since = bd
		case yes:
			a.Since = today
		}
		a.Helped = helped && !a.Since.IsZero()
		if dateField == "" && a.Since.After(today) {
			// Household facts escape Resident.Validate: check them here.
			fail(boolField, domainField, domain.Errorf(domain.EINVALID, "resident.fact_date_invalid", "date", a.Since))
		}
		return a
	}
	res.Smartphone = fact(colSmartphone, colSmartphoneDate, "smartphone")
	res.VNeID = fact(colVNeID, colVNeIDDate, "vneid")
	res.Portal = fact(colPortal, colPortalDate, "portal")
	res.PersonalBank = fact(colBank, colBankDate, "bank")
	out.HouseholdBank = fact(colHouseholdBank, "", "household_bank")
	out.HouseholdZalo = fact(colHouseholdZalo, "", "household_zalo")

	// Validate reports one problem at a time; each reported field is set
	// aside in a copy and the copy validated again, so a row lists all its
	// problems at once and none twice.
	fieldColumn := func(field string) string {
		switch field {
		case "left_on", "left_reason":
			return leftColumn
		case "smartphone", "vneid", "portal", "bank":
			return factColumn[field]
		}
		return field // full_name, birth, sex, phone, cccd, relation, moved_in are column keys too
	}
	work := *res
	for range 16 {
		err := work.Validate(today)
		if err == nil {
			break
		}
		e, ok := domain.AsError(err)
		if !ok || !setAside(&work, e.Field, today) {
			if ok && !bad[e.Field] {
				fail(fieldColumn(e.Field), e.Field, e)
			}
			break
		}
		if !bad[e.Field] {
			fail(fieldColumn(e.Field), e.Field, e)
		}
	}
	if res.CCCD != "" && !bad["cccd"] && !rd.opt.StoreChecksCCCDRepeats {
		key, _ := strconv.ParseUint(res.CCCD, 10, 64) // cccdCell let only 12 digits through
		if first, seen := rd.cccdRow[key]; seen {
			fail(colCCCD, "cccd", domain.Errorf(domain.EINVALID, "cccd.duplicate_in_file", "other_row", int(first)))
		} else {
			rd.cccdRow[key] = int32(row.n)
		}
	}
	return out
}

// setAside clears or replaces the field a validation error named, so the
// next Validate looks past it. A birth or sex set aside also sets aside the
// CCCD, which cannot be checked against them.
func setAside(r *domain.Resident, field string, today domain.Date) bool {
	switch field {
	case "full_name":
		r.FullName = "-"
	case "birth":
		r.BirthDate, r.YearOnly, r.CCCD = domain.BornBy(today, 130), false, ""
	case "sex":
		r.Sex, r.CCCD = domain.SexMale, ""
	case "phone":
		r.Phone = ""
	case "cccd":
		r.CCCD = ""
	case "relation":
		r.Relation = ""
	case "moved_in":
		r.MovedIn = domain.Date{}
	case "left_on", "left_reason":
		r.LeftOn, r.LeftReason = domain.Date{}, ""
	case "smartphone":
		r.Smartphone = domain.Adoption{}
	case "vneid":
		r.VNeID = domain.Adoption{}
	case "portal":
		r.Portal = domain.Adoption{}
	case "bank":
		r.PersonalBank = domain.Adoption{}
	default:
		return false
	}
	return true
}

// relationOf maps a relation as written (folded) to domain.Relations;
// anything unknown is "khac" (other), which the household book also allows.
func relationOf(f string) domain.Relation {
	if r, ok := relationWords[f]; ok {
		return r
	}
	if w, _, ok := strings.Cut(f, " "); ok {
		if r, ok := relationWords[w]; ok {
			return r // "Cháu nội", "Em gái", "Mẹ vợ"
		}
	}
	return "khac"
}

// dateCell reads a date column. Text dates go through textvi.ParseDate
// (dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd; a time after the date is
// dropped); an XLSX date cell gives its date; a year alone (text or a
// plain number) is accepted only where yearOK (the birth column); a plain
// number of five digits or more is an Excel day number whose date format
// was lost in copying.
func dateCell(c sheetCell, yearOK bool) (domain.Date, bool, *domain.Error) {
	s := c.text
	bad := func() *domain.Error { return domain.Errorf(domain.EINVALID, "date.invalid", "value", c.text) }
	switch {
	case s == "":
		return domain.Date{}, false, nil
	case c.kind == cellDate:
		return c.date, false, nil
	case c.kind == cellNumber:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v != math.Trunc(v) {
			return domain.Date{}, false, bad()
		}
		if v >= 1000 && v <= 9999 {
			if !yearOK {
				return domain.Date{}, false, bad()
			}
			return domain.NewDate(int(v), time.January, 1), true, nil
		}
		if d, ok := excelSerialDate(v, false); ok && v >= 10000 {
			return d, false, nil
		}
		return domain.Date{}, false, bad()
	}
	if yearOK && len(s) == 4 && digitsOnly(s) {
		y, _ := strconv.Atoi(s)
		if y >= 1000 {
			return domain.NewDate(y, time.January, 1), true, nil
		}
	}
	if i := strings.IndexAny(s, " T"); i >= 8 && strings.Contains(s[i:], ":") {
		s = s[:i] // "15/01/1990 00:00:00", "1990-01-15T00:00:00"
	}
	d, err := textvi.ParseDate(s)
	if err != nil {
		return domain.Date{}, false, bad()
	}
	return d, false, nil
}

// boolCell reads a yes/no column. A date in it means yes since that date,
// which lets the household columns (which have no date column) carry one.
func boolCell(c sheetCell, fold func(string) string) (bool, domain.Date, *domain.Error) {
	if c.text == "" {
		return false, domain.Date{}, nil
	}
	f := fold(c.text)
	switch {
	case boolTrue[f]:
		return true, domain.Date{}, nil
	case boolFalse[f]:
		return false, domain.Date{}, nil
	case c.kind == cellDate:
		return true, c.date, nil
	}
	if d, err := textvi.ParseDate(c.text); err == nil && c.kind == cellText {
		return true, d, nil
	}
	return false, domain.Date{}, domain.Errorf(domain.EINVALID, "import.bool_invalid", "value", c.text)
}

// phoneCell reads a phone column into its canonical form. A phone that
// Excel stored as a number lost its leading 0 (912345678): a 9-digit
// mobile or 10-digit landline gets it back.
func phoneCell(c sheetCell) (string, *domain.Error) {
	s := c.text
	if s == "" {
		return "", nil
	}
	if c.kind == cellNumber {
		if v, err := strconv.ParseFloat(s, 64); err == nil && v == math.Trunc(v) && v > 0 && v < 1e12 {
			s = strconv.FormatInt(int64(v), 10)
		}
	}
	if digitsOnly(s) && (len(s) == 9 && strings.ContainsRune("35789", rune(s[0])) || len(s) == 10 && s[0] == '2') {
		s = "0" + s
	}
	p, err := domain.ParsePhone(s)
	if err != nil {
		e, _ := domain.AsError(err)
		e.Args["value"] = c.text
		return "", e
	}
	return p, nil
}

// cccdCell reads a CCCD column: 12 digits, spaces and dots tolerated. A
// CCCD that Excel turned into a number lost its leading zeros (province
// codes start with 0): 10 or 11 digits are padded back to 12. One shown in
// scientific notation (1,01E+11) lost its last digits and cannot be
// recovered: cccd.invalid.
func cccdCell(c sheetCell) (string, *domain.Error) {
	s := c.text
	if s == "" {
		return "", nil
	}
	bad := func() *domain.Error { return domain.Errorf(domain.EINVALID, "cccd.invalid", "value", c.text) }
	if c.kind == cellNumber {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v != math.Trunc(v) || v <= 0 || v >= 1e12 {
			return "", bad()
		}
		s = strconv.FormatInt(int64(v), 10)
	} else {
		s = strings.TrimPrefix(s, "'")
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '.' || r == '\u00a0' {
				return -1
			}
			return r
		}, s)
	}
	if !digitsOnly(s) {
		return "", bad()
	}
	if len(s) == 10 || len(s) == 11 {
		s = strings.Repeat("0", 12-len(s)) + s
	}
	if len(s) != 12 {
		return "", bad()
	}
	return s, nil
}

func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
