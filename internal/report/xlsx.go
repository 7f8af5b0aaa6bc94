package report

import (
	"sort"
	"time"

	"github.com/xuri/excelize/v2"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// Sheet names (translated): the summary, the villages, the dossiers by
// field and month, the criteria matrix.
const (
	sheetSummary  = "export.sheet_summary"
	sheetVillages = "export.sheet_villages"
	sheetDossiers = "export.sheet_dossiers"
	sheetMatrix   = "export.sheet_matrix"
)

// styles are the cell styles the workbook shares.
type styles struct {
	head, title, date, month, rate, int, met, unmet, metRate, unmetRate int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	dmy, my, pct, num := "dd/mm/yyyy", "mm/yyyy", "0.0%", "#,##0"
	border := []excelize.Border{{Type: "bottom", Color: "888888", Style: 1}}
	defs := []struct {
		dst *int
		st  excelize.Style
	}{
		{&s.head, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Border: border}},
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.date, excelize.Style{CustomNumFmt: &dmy, Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&s.month, excelize.Style{CustomNumFmt: &my, Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}}, Border: border}},
		{&s.rate, excelize.Style{CustomNumFmt: &pct}},
		{&s.int, excelize.Style{CustomNumFmt: &num}},
		{&s.met, excelize.Style{CustomNumFmt: &num, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C6EFCE"}}}},
		{&s.unmet, excelize.Style{CustomNumFmt: &num, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}}},
		{&s.metRate, excelize.Style{CustomNumFmt: &pct, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C6EFCE"}}}},
		{&s.unmetRate, excelize.Style{CustomNumFmt: &pct, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.st)
		if err != nil {
			return s, err
		}
		*d.dst = id
	}
	return s, nil
}

// sheet writes cells of one sheet by row and column (1-based), keeping
// the first error.
type sheet struct {
	f    *excelize.File
	name string
	err  error
}

func (s *sheet) set(row, col int, v any, style int) {
	if s.err != nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err == nil {
		err = s.f.SetCellValue(s.name, cell, v)
	}
	if err == nil && style != 0 {
		err = s.f.SetCellStyle(s.name, cell, cell, style)
	}
	s.err = err
}

func (s *sheet) widths(ws ...float64) {
	for i, w := range ws {
		if s.err != nil {
			return
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		s.err = s.f.SetColWidth(s.name, col, col, w)
	}
}

// freeze keeps the first rows (and columns) in view while scrolling.
func (s *sheet) freeze(rows, cols int) {
	if s.err != nil {
		return
	}
	cell, _ := excelize.CoordinatesToCellName(cols+1, rows+1)
	s.err = s.f.SetPanes(s.name, &excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: cell, ActivePane: "bottomRight"})
}

// excelDate is a civil date as a spreadsheet date (no time, no zone shift).
func excelDate(d domain.Date) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// XLSX writes the report as a workbook of four sheets.
func XLSX(d Data, t Text) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	names := []string{t.T(sheetSummary), t.T(sheetVillages), t.T(sheetDossiers), t.T(sheetMatrix)}
	if err := f.SetSheetName("Sheet1", names[0]); err != nil {
		return nil, err
	}
	for _, n := range names[1:] {
		if _, err := f.NewSheet(n); err != nil {
			return nil, err
		}
	}
	f.SetDocProps(&excelize.DocProperties{Title: t.T("export.title"), Creator: "Thôn Số", Language: t.Lang,
		Created: d.Made.UTC().Format(time.RFC3339), Modified: d.Made.UTC().Format(time.RFC3339)})
	for i, write := range []func(*sheet, Data, Text, styles){summarySheet, villagesSheet, dossiersSheet, matrixSheet} {
		s := &sheet{f: f, name: names[i]}
		write(s, d, t, st)
		if s.err != nil {
			return nil, s.err
		}
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SummaryLine is one figure of the summary: a count, and when it has a
// base, the base and the rate.
type SummaryLine struct {
	Key       string // translation key of the label
	Value     int
	Base      int
	HasBase   bool
	Rate      float64
	Indicator bool // a heading line, no value
}

func line(key string, v int) SummaryLine { return SummaryLine{Key: key, Value: v} }
func ratio(key string, v, base int) SummaryLine {
	return SummaryLine{Key: key, Value: v, Base: base, HasBase: true, Rate: store.Rate(v, base)}
}

// Summary lists the report's figures in the order every format shows them.
func Summary(d Data) []SummaryLine {
	s, f := d.Stats, d.Stats.Figures
	return []SummaryLine{
		ratio("export.communes_with_smart_village", s.CommunesWithSmartVillage, s.Communes),
		line("export.smart_villages", s.SmartVillages),
		ratio("export.teams_with_dossiers", s.TeamsWithDossiers, s.Teams),
		line("export.team_members", s.TeamMembers),
		line("export.community_team_members", s.CommunityTeamMembers),
		line("export.dossiers", s.Dossiers),
		line("export.practice_dossiers", s.PracticeDossiers),
		line("export.overdue", s.Overdue),
		line("export.residents", f.Residents),
		ratio("export.accounts14", f.Accounts14, f.Aged14),
		ratio("export.smartphones18", f.Smartphone18, f.Adults18),
		ratio("export.households_bank", f.HouseholdsBank, f.Households),
		ratio("export.households_zalo", f.HouseholdsZalo, f.Households),
		ratio("export.attainment", s.Attainment.Passed, s.Attainment.Assessed),
	}
}

func summarySheet(s *sheet, d Data, t Text, st styles) {
	s.set(1, 1, t.T("export.title"), st.title)
	s.set(2, 1, d.Unit.Name+" ("+d.Unit.Code+")", 0)
	s.set(3, 1, t.T("export.as_of"), 0)
	s.set(3, 2, excelDate(d.At), st.date)
	s.set(4, 1, t.T("export.reading"), 0)
	s.set(4, 2, readingText(d, t), 0)
	if d.Demo {
		s.set(5, 1, t.T("demo.banner"), 0)
	}
	const head = 7
	for i, h := range []string{"export.col_figure", "export.col_count", "export.col_base", "export.col_rate"} {
		s.set(head, i+1, t.T(h), st.head)
	}
	row := head + 1
	for _, l := range Summary(d) {
		s.set(row, 1, t.T(l.Key), 0)
		s.set(row, 2, l.Value, st.int)
		if l.HasBase {
			s.set(row, 3, l.Base, st.int)
			s.set(row, 4, l.Rate, st.rate)
		}
		row++
	}
	// Dossiers by sector and by portal, under the figures.
	row++
	procedure := func(code string) string {
		if p, ok := d.Procedures[code]; ok {
			return p.Name + " (" + code + ")"
		}
		return code
	}
	for _, group := range []struct {
		key   string
		label func(string) string
		m     map[string]int
	}{
		{"ui.by_sector", func(k string) string { return t.T("sector." + k) }, d.Stats.BySector},
		{"ui.by_field", func(k string) string { return t.T("field." + k) }, d.Stats.ByField},
		{"ui.by_procedure", procedure, d.Stats.ByProcedure},
		{"ui.by_portal", func(k string) string { return t.T("portal." + k) }, d.Stats.ByPortal},
	} {
		s.set(row, 1, t.T(group.key), st.head)
		s.set(row, 2, t.T("export.col_count"), st.head)
		s.set(row, 3, "", st.head)
		s.set(row, 4, t.T("export.col_share"), st.head)
		row++
		for _, k := range store.Sorted(group.m) {
			s.set(row, 1, group.label(k), 0)
			s.set(row, 2, group.m[k], st.int)
			s.set(row, 4, store.Rate(group.m[k], d.Stats.Dossiers), st.rate)
			row++
		}
		row++
	}
	s.widths(60, 14, 14, 12)
	s.freeze(head, 0)
}

// readingText says how the unit was read: as it was, or re-attributed.
func readingText(d Data, t Text) string {
	if d.Current {
		return t.T("export.reading_current", "today", d.Unit.At)
	}
	return t.T("export.reading_as_was")
}

// VillageHeader are the villages table's column keys (xlsx and CSV).
var VillageHeader = []string{"export.col_no", "export.col_village_code", "export.col_village", "export.col_commune", "export.col_smart",
	"export.team_members", "export.dossiers", "export.practice_dossiers", "export.residents", "export.col_aged14", "export.col_accounts14",
	"export.col_account_rate", "export.col_adults18", "export.col_smartphones18", "export.col_smartphone_rate", "export.col_households",
	"export.col_households_bank", "export.col_bank_rate", "export.col_households_zalo", "export.col_zalo_rate"}

// villageValues is one village's row: ints as ints, rates as float64.
func villageValues(i int, r store.VillageRow, t Text) []any {
	f := r.Figures
	smart := t.T("export.no")
	if r.Smart {
		smart = t.T("export.yes")
	}
	return []any{i + 1, r.Village.Code, r.Village.Name, r.Commune, smart, r.TeamMembers, r.Dossiers, r.PracticeDossiers, f.Residents,
		f.Aged14, f.Accounts14, store.Rate(f.Accounts14, f.Aged14), f.Adults18, f.Smartphone18, store.Rate(f.Smartphone18, f.Adults18),
		f.Households, f.HouseholdsBank, store.Rate(f.HouseholdsBank, f.Households), f.HouseholdsZalo, store.Rate(f.HouseholdsZalo, f.Households)}
}

func villagesSheet(s *sheet, d Data, t Text, st styles) {
	for i, h := range VillageHeader {
		s.set(1, i+1, t.T(h), st.head)
	}
	for i, r := range d.Villages {
		for j, v := range villageValues(i, r, t) {
			style := 0
			switch v.(type) {
			case float64:
				style = st.rate
			case int:
				style = st.int
			}
			s.set(i+2, j+1, v, style)
		}
	}
	s.widths(6, 10, 26, 22, 10, 12, 12, 12, 12, 12, 14, 12, 12, 14, 12, 10, 14, 12, 14, 12)
	s.freeze(1, 3)
	if s.err == nil && len(d.Villages) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(VillageHeader), len(d.Villages)+1)
		s.err = s.f.AutoFilter(s.name, "A1:"+last, nil)
	}
}

// fieldRow is a sector × field line of the dossiers table.
type fieldRow struct {
	Sector, Field string
	ByMonth       map[string]int
	Total         int
}

// FieldsByMonth crosses the residents' dossiers by field and month.
func FieldsByMonth(groups []store.DossierGroup) (rows []fieldRow, months []string) {
	idx := map[string]int{}
	seenMonth := map[string]bool{}
	for _, g := range groups {
		k := g.Sector + "/" + g.Field
		i, ok := idx[k]
		if !ok {
			i = len(rows)
			idx[k] = i
			rows = append(rows, fieldRow{Sector: g.Sector, Field: g.Field, ByMonth: map[string]int{}})
		}
		rows[i].ByMonth[g.Month] += g.Count
		rows[i].Total += g.Count
		if !seenMonth[g.Month] {
			seenMonth[g.Month] = true
			months = append(months, g.Month)
		}
	}
	sort.Strings(months)
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Sector != rows[j].Sector {
			return rows[i].Sector < rows[j].Sector
		}
		return rows[i].Field < rows[j].Field
	})
	return rows, months
}

func monthDate(m string) domain.Date {
	d, err := domain.ParseISO(m + "-01")
	if err != nil {
		return domain.Date{}
	}
	return d
}

func dossiersSheet(s *sheet, d Data, t Text, st styles) {
	rows, months := FieldsByMonth(d.Groups)
	s.set(1, 1, t.T("export.col_sector"), st.head)
	s.set(1, 2, t.T("export.col_field"), st.head)
	for j, m := range months {
		s.set(1, 3+j, excelDate(monthDate(m)), st.month)
	}
	totalCol := 3 + len(months)
	s.set(1, totalCol, t.T("export.col_total"), st.head)
	colTotals := make([]int, len(months))
	for i, r := range rows {
		s.set(i+2, 1, t.T("sector."+r.Sector), 0)
		s.set(i+2, 2, t.T("field."+r.Field), 0)
		for j, m := range months {
			s.set(i+2, 3+j, r.ByMonth[m], st.int)
			colTotals[j] += r.ByMonth[m]
		}
		s.set(i+2, totalCol, r.Total, st.int)
	}
	last := len(rows) + 2
	s.set(last, 1, t.T("export.col_total"), st.head)
	s.set(last, 2, "", st.head)
	sum := 0
	for j, n := range colTotals {
		s.set(last, 3+j, n, st.int)
		sum += n
	}
	s.set(last, totalCol, sum, st.int)
	ws := []float64{30, 22}
	for range months {
		ws = append(ws, 9)
	}
	s.widths(append(ws, 10)...)
	s.freeze(1, 2)
}

func matrixSheet(s *sheet, d Data, t Text, st styles) {
	m := d.Matrix
	heads := []string{t.T("export.col_no"), t.T("export.col_village"), t.T("export.col_assessed_on")}
	for _, c := range m.Codes {
		heads = append(heads, c+". "+m.Names[c])
	}
	heads = append(heads, t.T("export.col_met_count"), t.T("export.col_result"))
	for i, h := range heads {
		s.set(1, i+1, h, st.head)
	}
	for i, r := range m.Rows {
		row := i + 2
		s.set(row, 1, i+1, st.int)
		s.set(row, 2, r.Village.Name, 0)
		s.set(row, 3, excelDate(r.AsOf), st.date)
		met := 0
		for j, c := range r.Cells {
			if !c.Known {
				continue
			}
			style := st.unmet
			if c.Met {
				met++
				style = st.met
			}
			var v any = c.Value
			if c.Percent {
				v = c.Value / 100
				style = st.unmetRate
				if c.Met {
					style = st.metRate
				}
			}
			s.set(row, 4+j, v, style)
		}
		s.set(row, 4+len(m.Codes), met, st.int)
		result := t.T("export.not_met")
		if r.Passed {
			result = t.T("export.met")
		}
		s.set(row, 5+len(m.Codes), result, 0)
	}
	foot := len(m.Rows) + 3
	s.set(foot, 2, t.T("export.matrix_legend"), 0)
	ws := []float64{6, 26, 12}
	for range m.Codes {
		ws = append(ws, 14)
	}
	s.widths(append(ws, 10, 12)...)
	if s.err == nil {
		s.err = s.f.SetRowHeight(s.name, 1, 90)
	}
	s.freeze(1, 2)
}
