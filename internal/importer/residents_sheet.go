package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"thonso/internal/domain"
)

// This file reads a spreadsheet row by row, whatever its format, into
// cells that remember how the spreadsheet stored them.
//
// XLSX is read straight from the zip with encoding/xml rather than with
// excelize's Rows iterator: the iterator gives each cell's text but not its
// style, so it cannot tell the date 12/06/1905 (serial 1990, formatted as a
// date) from the year 1990 typed in a plain cell — the difference between a
// birth date and a birth year. Asking excelize for a cell's style loads the
// whole worksheet, and a second, formatted iterator run in step would make
// one pass three (measured on 100 000 rows: raw iterator alone ≈5,6 s,
// formatted ≈12,6 s; this reader, validation included, ≈3,3 s). Reading the
// sheet part ourselves keeps one pass, real streaming, and the style of
// every cell. excelize still writes every workbook we produce (template,
// rejected rows) and the tests' files.

// cellKind tells how a spreadsheet stored a value, which decides how a
// date, CCCD or phone column reads it.
type cellKind uint8

const (
	cellText   cellKind = iota // text, or anything read from CSV
	cellNumber                 // an XLSX number cell: text holds the stored number
	cellDate                   // an XLSX number cell formatted as a date (or an ISO date cell)
)

// sheetCell is one cell: its text as NFC-normalised by the caller, its kind
// and, for cellDate, its date.
type sheetCell struct {
	text string
	kind cellKind
	date domain.Date
}

// sheetRow is one row: its 1-based number as the user sees it in Excel and
// its cells in column order (missing trailing cells are absent).
type sheetRow struct {
	n     int
	cells []sheetCell
	// latin1 is set when a CSV row was not valid UTF-8 and was read as
	// Windows-1252 — what a legacy-font file (or an ANSI CSV) looks like.
	latin1 bool
}

// sheetSource yields the rows of the first sheet one at a time.
type sheetSource interface {
	next() (sheetRow, bool, error)
	close() error
}

// maxColumns is Excel's column limit (XFD); a cell reference beyond it is a
// broken file, not a reason to allocate a huge row.
const maxColumns = 16384

// errLegacyExcel marks an Excel 97–2003 workbook (.xls) or a password-
// protected .xlsx: both are OLE2 compound files, which we do not read, and
// the officer can fix either in Excel with "Save as .xlsx".
var errLegacyExcel = errors.New("OLE2 workbook (.xls or encrypted .xlsx)")

// openSheet opens r as XLSX or CSV by the extension of name (.txt is
// Excel's tab-separated "Unicode text").
func openSheet(r io.Reader, name string) (sheetSource, error) {
	switch strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/"))) {
	case ".xlsx", ".xlsm":
		return openXLSX(r)
	case ".csv", ".txt":
		return openCSV(r)
	case ".xls":
		return nil, errLegacyExcel
	}
	return nil, errors.New("not a spreadsheet")
}

// ---- CSV ----

type csvSource struct {
	cr    *csv.Reader
	extra int // newlines inside quoted fields so far: lines that are not rows
}

func openCSV(r io.Reader) (*csvSource, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(2)
	var in io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		// Excel's "Unicode text": UTF-16 with a byte-order mark.
		in = bufio.NewReaderSize(transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), 64<<10)
	default:
		if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
			_, _ = br.Discard(3) // Excel's UTF-8 BOM
		}
	}
	bin := in.(*bufio.Reader)
	sample, _ := bin.Peek(16 << 10)
	if len(sample) == 0 {
		return &csvSource{cr: csv.NewReader(bin)}, nil
	}
	if bytes.IndexByte(sample, 0) >= 0 {
		return nil, errors.New("binary file")
	}
	cr := csv.NewReader(bin)
	cr.Comma = csvSeparator(sample)
	if len(sample) > 5 && bytes.HasPrefix(bytes.ToLower(sample[:4]), []byte("sep=")) && (sample[5] == '\n' || sample[5] == '\r') {
		// Excel's "sep=;" hint line: it names the separator and is not a row.
		cr.Comma = rune(sample[4])
		_, _ = bin.ReadString('\n')
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return &csvSource{cr: cr}, nil
}

// csvSeparator picks ';' (what Vietnamese-locale Excel writes), ',' or tab:
// the one that occurs most outside quotes in the first lines.
func csvSeparator(sample []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range sample {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ';' || c == ',' || c == '\t'):
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

func (s *csvSource) next() (sheetRow, bool, error) {
	rec, err := s.cr.Read()
	if err == io.EOF {
		return sheetRow{}, false, nil
	}
	if err != nil {
		return sheetRow{}, false, err
	}
	line, _ := s.cr.FieldPos(0)
	row := sheetRow{n: line - s.extra, cells: make([]sheetCell, len(rec))}
	for i, f := range rec {
		s.extra += strings.Count(f, "\n")
		if !utf8.ValidString(f) {
			row.latin1 = true
			f, _ = charmap.Windows1252.NewDecoder().String(f)
		}
		row.cells[i] = sheetCell{text: f}
	}
	return row, true, nil
}

func (s *csvSource) close() error { return nil }

// ---- XLSX ----

type xlsxSource struct {
	rc        io.ReadCloser
	dec       *xml.Decoder
	sst       []string
	dateStyle []bool
	date1904  bool
	lastRow   int
	done      bool
}

// Limits on the parts we hold in memory, against zip bombs: the shared
// strings of a 100 000-row sheet are a few MB.
const (
	maxXLSXBytes = 256 << 20
	maxPartBytes = 256 << 20
)

// zipOf opens r as a zip. A zip is read from its end, so it needs random
// access: an *os.File or an upload (multipart.File) is used in place; any
// other reader is read into memory first.
func zipOf(r io.Reader) (*zip.Reader, error) {
	if ra, ok := r.(interface {
		io.ReaderAt
		io.Seeker
	}); ok {
		if size, err := ra.Seek(0, io.SeekEnd); err == nil {
			if size > maxXLSXBytes {
				return nil, errors.New("file too large")
			}
			return zip.NewReader(ra, size)
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, maxXLSXBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxXLSXBytes {
		return nil, errors.New("file too large")
	}
	return zip.NewReader(bytes.NewReader(data), int64(len(data)))
}

func openXLSX(r io.Reader) (*xlsxSource, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(8); bytes.Equal(magic, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return nil, errLegacyExcel
	}
	if _, ok := r.(io.ReaderAt); !ok {
		r = br
	} else if s, ok := r.(io.Seeker); !ok {
		r = br
	} else if _, err := s.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	zr, err := zipOf(r)
	if err != nil {
		return nil, err
	}
	parts := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		parts[strings.ToLower(strings.TrimPrefix(f.Name, "/"))] = f
	}
	wbPath := "xl/workbook.xml"
	if rels, err := readRels(parts, "_rels/.rels", ""); err == nil {
		if t, ok := rels.byType("/officeDocument"); ok {
			wbPath = t
		}
	}
	firstID, date1904, err := readWorkbook(parts, wbPath)
	if err != nil {
		return nil, err
	}
	rels, err := readRels(parts, relsPathFor(wbPath), path.Dir(wbPath))
	if err != nil {
		return nil, err
	}
	sheetPath, ok := rels.byID[firstID]
	if !ok {
		return nil, errors.New("first sheet not found")
	}
	x := &xlsxSource{date1904: date1904}
	if p, ok := rels.byType("/sharedStrings"); ok {
		if x.sst, err = readSharedStrings(parts, p); err != nil {
			return nil, err
		}
	}
	if p, ok := rels.byType("/styles"); ok {
		if x.dateStyle, err = readDateStyles(parts, p); err != nil {
			return nil, err
		}
	}
	zf, ok := parts[strings.ToLower(sheetPath)]
	if !ok {
		return nil, errors.New("sheet part missing")
	}
	if x.rc, err = zf.Open(); err != nil {
		return nil, err
	}
	x.dec = xml.NewDecoder(bufio.NewReaderSize(x.rc, 64<<10))
	return x, nil
}

func (x *xlsxSource) close() error {
	if x.rc != nil {
		return x.rc.Close()
	}
	return nil
}

func xmlAttr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// next returns the next <row> of sheetData. Rows may skip numbers (empty
// rows are not written) and cells may skip columns; both are honoured.
func (x *xlsxSource) next() (sheetRow, bool, error) {
	if x.done {
		return sheetRow{}, false, nil
	}
	for {
		tok, err := x.dec.RawToken()
		if err == io.EOF {
			x.done = true
			return sheetRow{}, false, nil
		}
		if err != nil {
			return sheetRow{}, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "row" {
				n := x.lastRow + 1
				if v, ok := xmlAttr(t, "r"); ok {
					if n, err = strconv.Atoi(v); err != nil || n < 1 || n <= x.lastRow {
						return sheetRow{}, false, errors.New("bad row number")
					}
				}
				x.lastRow = n
				cells, err := x.readRow()
				if err != nil {
					return sheetRow{}, false, err
				}
				return sheetRow{n: n, cells: cells}, true, nil
			}
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				x.done = true
				return sheetRow{}, false, nil
			}
		}
	}
}

// readRow reads the cells of the current <row> up to its end tag.
func (x *xlsxSource) readRow() ([]sheetCell, error) {
	var cells []sheetCell
	col := 0
	for {
		tok, err := x.dec.RawToken()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "c" {
				continue
			}
			col++
			if ref, ok := xmlAttr(t, "r"); ok {
				if col, err = cellColumn(ref); err != nil {
					return nil, err
				}
			}
			if col > maxColumns {
				return nil, errors.New("column out of range")
			}
			c, err := x.readCell(t)
			if err != nil {
				return nil, err
			}
			if c.text == "" {
				continue
			}
			for len(cells) < col-1 {
				cells = append(cells, sheetCell{})
			}
			if len(cells) >= col { // a repeated reference: keep the last
				cells[col-1] = c
				continue
			}
			cells = append(cells, c)
		case xml.EndElement:
			if t.Name.Local == "row" {
				return cells, nil
			}
		}
	}
}

// cellColumn returns the 1-based column of a reference like "AB12".
func cellColumn(ref string) (int, error) {
	col := 0
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A') + 1
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a') + 1
		default:
			if col == 0 {
				return 0, errors.New("bad cell reference")
			}
			return col, nil
		}
		if col > maxColumns {
			return 0, errors.New("column out of range")
		}
	}
	if col == 0 {
		return 0, errors.New("bad cell reference")
	}
	return col, nil
}

// readCell reads one <c> element: its value by type (shared string,
// inline string, formula string, boolean, error, ISO date, number) and,
// for numbers, whether its style shows it as a date.
func (x *xlsxSource) readCell(start xml.StartElement) (sheetCell, error) {
	typ, _ := xmlAttr(start, "t")
	style := 0
	if s, ok := xmlAttr(start, "s"); ok {
		style, _ = strconv.Atoi(s)
	}
	var v, inline strings.Builder
	in := ""  // element whose text we collect: "v" or "t" (inside <is>)
	phon := 0 // depth inside <rPh> (phonetic runs are not cell text)
	for {
		tok, err := x.dec.RawToken()
		if err != nil {
			return sheetCell{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				in = "v"
			case "t":
				in = "t"
			case "rPh":
				phon++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v", "t":
				in = ""
			case "rPh":
				phon--
			case "c":
				return x.cellValue(typ, style, v.String(), inline.String()), nil
			}
		case xml.CharData:
			switch {
			case in == "v":
				v.Write(t)
			case in == "t" && phon == 0:
				inline.Write(t)
			}
		}
	}
}

func (x *xlsxSource) cellValue(typ string, style int, v, inline string) sheetCell {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(x.sst) {
			return sheetCell{}
		}
		return sheetCell{text: x.sst[i]}
	case "inlineStr":
		return sheetCell{text: inline}
	case "str", "e":
		return sheetCell{text: v}
	case "b":
		if v == "1" || strings.EqualFold(v, "true") {
			return sheetCell{text: "1"}
		}
		return sheetCell{text: "0"}
	case "d":
		if d, err := time.Parse("2006-01-02", v[:min(10, len(v))]); err == nil {
			return sheetCell{text: v, kind: cellDate, date: domain.NewDate(d.Year(), d.Month(), d.Day())}
		}
		return sheetCell{text: v}
	}
	if v == "" {
		return sheetCell{}
	}
	if style >= 0 && style < len(x.dateStyle) && x.dateStyle[style] {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			if d, ok := excelSerialDate(f, x.date1904); ok {
				return sheetCell{text: v, kind: cellDate, date: d}
			}
		}
	}
	return sheetCell{text: v, kind: cellNumber}
}

// excelSerialDate converts an Excel day number to its date (the time of
// day is dropped). In the 1900 system Excel counts the non-existent
// 29/02/1900 as day 60, so days after it are one off.
func excelSerialDate(v float64, date1904 bool) (domain.Date, bool) {
	if math.IsNaN(v) || v < 0 || v < 1 && !date1904 || v > 2958465 { // 31/12/9999
		return domain.Date{}, false
	}
	days := int(math.Floor(v))
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	switch {
	case date1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case days == 60:
		return domain.Date{}, false
	case days < 60:
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	t := base.AddDate(0, 0, days)
	return domain.NewDate(t.Year(), t.Month(), t.Day()), true
}

// ---- XLSX package parts ----

type xlsxRels struct {
	byID   map[string]string
	byKind []struct{ typ, target string }
}

func (r xlsxRels) byType(suffix string) (string, bool) {
	for _, k := range r.byKind {
		if strings.HasSuffix(k.typ, suffix) {
			return k.target, true
		}
	}
	return "", false
}

func relsPathFor(part string) string {
	return path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
}

func openPart(parts map[string]*zip.File, name string) (io.ReadCloser, error) {
	f, ok := parts[strings.ToLower(name)]
	if !ok {
		return nil, errors.New("missing part " + name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(rc, maxPartBytes), rc}, nil
}

// readRels reads a relationships part; targets are resolved against dir.
func readRels(parts map[string]*zip.File, name, dir string) (xlsxRels, error) {
	rc, err := openPart(parts, name)
	if err != nil {
		return xlsxRels{}, err
	}
	defer rc.Close()
	out := xlsxRels{byID: map[string]string{}}
	dec := xml.NewDecoder(rc)
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return xlsxRels{}, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		if mode, _ := xmlAttr(se, "TargetMode"); mode == "External" {
			continue
		}
		id, _ := xmlAttr(se, "Id")
		typ, _ := xmlAttr(se, "Type")
		target, _ := xmlAttr(se, "Target")
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(target, "/")
		} else {
			target = path.Join(dir, target)
		}
		out.byID[id] = target
		out.byKind = append(out.byKind, struct{ typ, target string }{typ, target})
	}
}

// readWorkbook returns the relationship id of the first sheet and whether
// the workbook counts dates from 1904 (old Mac Excel).
func readWorkbook(parts map[string]*zip.File, name string) (string, bool, error) {
	rc, err := openPart(parts, name)
	if err != nil {
		return "", false, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	date1904 := false
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return "", false, errors.New("no sheet in workbook")
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "workbookPr":
			v, _ := xmlAttr(se, "date1904")
			date1904 = v == "1" || v == "true"
		case "sheet":
			for _, a := range se.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" { // r:id
					return a.Value, date1904, nil
				}
			}
		}
	}
}

// readSharedStrings reads the shared string table: one string per <si>,
// its runs concatenated, phonetic runs left out.
func readSharedStrings(parts map[string]*zip.File, name string) ([]string, error) {
	rc, err := openPart(parts, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(bufio.NewReaderSize(rc, 64<<10))
	var out []string
	var b strings.Builder
	inT, phon := false, 0
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				b.Reset()
			case "t":
				inT = true
			case "rPh":
				phon++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				out = append(out, b.String())
			case "t":
				inT = false
			case "rPh":
				phon--
			}
		case xml.CharData:
			if inT && phon == 0 {
				b.Write(t)
			}
		}
	}
}

// readDateStyles returns, for each cell format index (a cell's s
// attribute), whether its number format shows a date.
func readDateStyles(parts map[string]*zip.File, name string) ([]bool, error) {
	rc, err := openPart(parts, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	custom := map[int]string{}
	var xfs []bool
	inXfs := false
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return xfs, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				id, _ := xmlAttr(t, "numFmtId")
				code, _ := xmlAttr(t, "formatCode")
				if n, err := strconv.Atoi(id); err == nil {
					custom[n] = code
				}
			case "cellXfs":
				inXfs = true
			case "xf":
				if inXfs {
					id, _ := xmlAttr(t, "numFmtId")
					n, _ := strconv.Atoi(id)
					code, isCustom := custom[n]
					xfs = append(xfs, (!isCustom && builtinDateFormat(n)) || (isCustom && dateFormatCode(code)))
				}
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}
}

// builtinDateFormat reports whether a built-in number format id is a date
// or time (ECMA-376 §18.8.30, with the East Asian ids 27–36 and 50–58).
func builtinDateFormat(id int) bool {
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58)
}

// dateFormatCode reports whether a custom format code shows a date: it has
// a day, month, year, hour or second letter outside quoted text, escapes
// and [..] blocks (colours, locales).
func dateFormatCode(code string) bool {
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				return false
			}
		case '\\', '_', '*':
			i++
		case '[':
			if j := strings.IndexByte(code[i:], ']'); j >= 0 {
				i += j
			}
		case 'd', 'D', 'm', 'M', 'y', 'Y', 'h', 'H', 's', 'S':
			return true
		}
	}
	return false
}
