package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/go-fonts/dejavu/dejavusansboldoblique"
	"github.com/go-fonts/dejavu/dejavusansoblique"
	"github.com/go-pdf/fpdf"

	"thonso/internal/store"
)

// Page geometry of an administrative document (Decree 30/2020/NĐ-CP,
// Appendix I): A4 portrait, margins top 20, bottom 20, left 30, right 15 mm.
const (
	pdfPageW = 210.0
	pdfPageH = 297.0
	mLeft    = 30.0
	mRight   = 15.0
	mTop     = 20.0
	mBottom  = 20.0
	bodyW    = pdfPageW - mLeft - mRight
)

// doc wraps the PDF with the report's language.
type doc struct {
	f *fpdf.Fpdf
	t Text
}

// PDF writes the report as an administrative report of the unit's People's
// Committee: issuing body and national motto, number and symbol, place
// and date, title, the figures, two charts, the villages and the criteria
// matrix, recipients and signature block.
func PDF(d Data, t Text) ([]byte, error) {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(mLeft, mTop, mRight)
	f.SetAutoPageBreak(true, mBottom)
	f.AddUTF8FontFromBytes("dejavu", "", dejavusans.TTF)
	f.AddUTF8FontFromBytes("dejavu", "B", dejavusansbold.TTF)
	f.AddUTF8FontFromBytes("dejavu", "I", dejavusansoblique.TTF)
	f.AddUTF8FontFromBytes("dejavu", "BI", dejavusansboldoblique.TTF)
	f.SetTitle(t.T("export.title")+" — "+d.Unit.Name, true)
	f.SetAuthor(committee(d.Issuer.Name), true)
	f.SetCreator("Thôn Số", true)
	f.SetCreationDate(d.Made)
	f.SetModificationDate(d.Made)
	// Page numbers from the second page, centred at the top.
	f.SetHeaderFunc(func() {
		if f.PageNo() > 1 {
			f.SetFont("dejavu", "", 11)
			f.SetY(10)
			f.CellFormat(bodyW, 5, fmt.Sprint(f.PageNo()), "", 1, "C", false, 0, "")
			f.SetY(mTop)
		}
	})
	f.AddPage()
	p := &doc{f: f, t: t}
	p.heading(d)
	p.title(d)
	p.figures(d)
	p.charts(d)
	p.villages(d)
	p.matrix(d)
	p.closing(d)
	if f.Err() {
		return nil, fmt.Errorf("report pdf: %w", f.Error())
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("report pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// heading draws the issuing body and the national motto side by side, a
// short rule under each, then the number and symbol and the place and date.
func (p *doc) heading(d Data) {
	f := p.f
	leftW, rightW := 68.0, bodyW-68.0
	y := f.GetY()
	f.SetFont("dejavu", "B", 11.5)
	f.SetXY(mLeft, y)
	f.MultiCell(leftW, 5.5, committee(d.Issuer.Name), "", "C", false)
	leftEnd := f.GetY()
	f.SetLineWidth(0.3)
	f.Line(mLeft+leftW/2-12, leftEnd+1.5, mLeft+leftW/2+12, leftEnd+1.5)

	f.SetXY(mLeft+leftW, y)
	f.SetFont("dejavu", "B", 11)
	f.CellFormat(rightW, 5.5, p.t.T("export.motto_country"), "", 2, "C", false, 0, "")
	f.SetFont("dejavu", "B", 12)
	motto := p.t.T("export.motto")
	f.CellFormat(rightW, 6, motto, "", 2, "C", false, 0, "")
	mw := f.GetStringWidth(motto)
	cx := mLeft + leftW + rightW/2
	f.Line(cx-mw/2, f.GetY()+0.3, cx+mw/2, f.GetY()+0.3)
	rightEnd := f.GetY()

	y = max(leftEnd, rightEnd) + 4
	f.SetXY(mLeft, y)
	f.SetFont("dejavu", "", 12)
	f.CellFormat(leftW, 6, p.t.T("export.number_symbol"), "", 0, "C", false, 0, "")
	f.SetFont("dejavu", "I", 12)
	f.CellFormat(rightW, 6, placeDate(p.t, placeName(d.Issuer.Name), d.At), "", 1, "C", false, 0, "")
	f.Ln(8)
}

func (p *doc) title(d Data) {
	f := p.f
	f.SetFont("dejavu", "B", 14)
	f.CellFormat(bodyW, 7, p.t.T("export.title_kind"), "", 1, "C", false, 0, "")
	f.SetFont("dejavu", "B", 13)
	f.MultiCell(bodyW, 6.5, p.t.T("export.title_what"), "", "C", false)
	f.SetFont("dejavu", "", 12)
	f.MultiCell(bodyW, 6, p.t.T("export.title_where", "unit", runningName(d.Unit.Name), "date", d.At), "", "C", false)
	y := f.GetY() + 1
	f.Line(pdfPageW/2-20+(mLeft-mRight)/2, y, pdfPageW/2+20+(mLeft-mRight)/2, y)
	f.Ln(6)
	if d.Demo {
		f.SetFont("dejavu", "I", 10)
		f.SetTextColor(160, 0, 0)
		f.MultiCell(bodyW, 5, p.t.T("demo.banner"), "", "C", false)
		f.SetTextColor(0, 0, 0)
		f.Ln(2)
	}
}

// section starts a numbered part of the body.
func (p *doc) section(key string) {
	p.f.Ln(2)
	p.f.SetFont("dejavu", "B", 12)
	p.f.MultiCell(bodyW, 6.5, p.t.T(key), "", "L", false)
}

// para writes one paragraph of the body, first line indented.
func (p *doc) para(text string) {
	p.f.SetFont("dejavu", "", 12)
	p.f.MultiCell(bodyW, 6.5, "     "+text, "", "J", false)
}

func (p *doc) figures(d Data) {
	t, s, fg := p.t, d.Stats, d.Stats.Figures
	p.section("export.part_figures")
	if d.Current {
		p.para(t.T("export.reading_current", "today", d.Unit.At))
	}
	p.para(t.T("export.p_communes", "n", t.Num(s.CommunesWithSmartVillage), "of", t.Num(s.Communes), "rate", t.Pct(store.Rate(s.CommunesWithSmartVillage, s.Communes))))
	p.para(t.T("export.p_villages", "n", t.Num(s.SmartVillages), "teams", t.Num(s.TeamsWithDossiers), "of", t.Num(s.Teams), "rate", t.Pct(store.Rate(s.TeamsWithDossiers, s.Teams))))
	p.para(t.T("export.p_members", "members", t.Num(s.TeamMembers), "community", t.Num(s.CommunityTeamMembers)))
	var sectors []string
	for _, k := range store.Sorted(s.BySector) {
		sectors = append(sectors, t.T("sector."+k)+" "+t.Num(s.BySector[k]))
	}
	p.para(t.T("export.p_dossiers", "n", t.Num(s.Dossiers), "practice", t.Num(s.PracticeDossiers), "overdue", t.Num(s.Overdue), "sectors", strings.Join(sectors, "; ")))
	p.para(t.T("export.p_accounts", "n", t.Num(fg.Accounts14), "of", t.Num(fg.Aged14), "rate", t.Pct(store.Rate(fg.Accounts14, fg.Aged14))))
	p.para(t.T("export.p_coverage", "phones", t.Pct(store.Rate(fg.Smartphone18, fg.Adults18)), "bank", t.Pct(store.Rate(fg.HouseholdsBank, fg.Households)),
		"zalo", t.Pct(store.Rate(fg.HouseholdsZalo, fg.Households))))
	p.para(t.T("export.p_attainment", "n", t.Num(s.Attainment.Passed), "of", t.Num(s.Attainment.Assessed)))
}

// charts draws the residents' dossiers by month and the public-service
// account rate at the end of each month.
func (p *doc) charts(d Data) {
	f, t := p.f, p.t
	if len(d.Trend) == 0 {
		return
	}
	const chartH = 48.0
	if f.GetY()+chartH+22 > pdfPageH-mBottom {
		f.AddPage()
	}
	p.section("export.part_charts")
	var bars, rates []point
	prev := 0
	for i, m := range d.Trend {
		label := two(int(m.On.Month())) + "/" + fmt.Sprint(m.On.Year()%100)
		n := m.Dossiers
		if i > 0 {
			n -= prev
		}
		if i > 0 || len(d.Trend) == 1 {
			bars = append(bars, point{label, float64(n)})
		}
		prev = m.Dossiers
		rates = append(rates, point{label, store.Rate(m.Accounts14, m.Aged14)})
	}
	num := func(v float64) string { return t.Num(int(v + 0.5)) }
	pct := func(v float64) string { return strings.Replace(t.Pct(v), ",0%", "%", 1) }
	f.SetFont("dejavu", "I", 10.5)
	f.MultiCell(bodyW, 5.5, t.T("export.chart_dossiers"), "", "C", false)
	y := f.GetY() + 2
	barChart(f, chartBox{X: mLeft, Y: y, W: bodyW, H: chartH}, bars, num)
	f.SetY(y + chartH + 4)
	if f.GetY()+chartH+12 > pdfPageH-mBottom {
		f.AddPage()
	}
	f.SetFont("dejavu", "I", 10.5)
	f.MultiCell(bodyW, 5.5, t.T("export.chart_accounts"), "", "C", false)
	y = f.GetY() + 2
	lineChart(f, chartBox{X: mLeft, Y: y, W: bodyW, H: chartH}, rates, 0, pct)
	f.SetY(y + chartH + 4)
}

// table draws rows under a header repeated on each page.
type table struct {
	widths []float64
	aligns []string
	head   []string
	size   float64
}

func (p *doc) headRow(tb table) {
	f := p.f
	f.SetFont("dejavu", "B", tb.size)
	f.SetFillColor(220, 230, 241)
	h := 0.0
	// The header's height is that of its tallest wrapped label.
	for i, s := range tb.head {
		lines := f.SplitText(s, tb.widths[i]-1)
		h = max(h, float64(len(lines))*tb.size*0.45)
	}
	h += 1.5
	x, y := f.GetX(), f.GetY()
	for i, s := range tb.head {
		f.Rect(x, y, tb.widths[i], h, "FD")
		f.SetXY(x, y+0.6)
		f.MultiCell(tb.widths[i], tb.size*0.45, s, "", "C", false)
		x += tb.widths[i]
	}
	f.SetXY(mLeft, y+h)
}

// row draws one row; fills gives a cell's background (nil: none).
func (p *doc) row(tb table, cells []string, fills [][3]int) {
	f := p.f
	h := tb.size * 0.55
	if f.GetY()+h > pdfPageH-mBottom {
		f.AddPage()
		p.headRow(tb)
	}
	f.SetFont("dejavu", "", tb.size)
	for i, c := range cells {
		fill := false
		if fills != nil && fills[i] != [3]int{} {
			f.SetFillColor(fills[i][0], fills[i][1], fills[i][2])
			fill = true
		}
		txt := c
		for f.GetStringWidth(txt) > tb.widths[i]-1 && len([]rune(txt)) > 1 {
			r := []rune(txt)
			txt = string(r[:len(r)-2]) + "…"
		}
		f.CellFormat(tb.widths[i], h, txt, "1", 0, tb.aligns[i], fill, 0, "")
	}
	f.Ln(h)
}

func (p *doc) villages(d Data) {
	t := p.t
	if len(d.Villages) == 0 {
		return
	}
	p.section("export.part_villages")
	tb := table{widths: []float64{9, 38, 30, 17, 17, 28, 26}, aligns: []string{"C", "L", "L", "R", "R", "R", "R"}, size: 8.5,
		head: []string{t.T("export.col_no"), t.T("export.col_village"), t.T("export.col_commune"), t.T("export.team_members"),
			t.T("export.dossiers"), t.T("export.col_accounts_of"), t.T("export.col_account_rate")}}
	if p.f.GetY()+20 > pdfPageH-mBottom {
		p.f.AddPage()
	}
	p.headRow(tb)
	for i, r := range d.Villages {
		fg := r.Figures
		p.row(tb, []string{fmt.Sprint(i + 1), r.Village.Name, placeName(r.Commune), t.Num(r.TeamMembers), t.Num(r.Dossiers),
			t.Num(fg.Accounts14) + "/" + t.Num(fg.Aged14), t.Pct(store.Rate(fg.Accounts14, fg.Aged14))}, nil)
	}
}

func (p *doc) matrix(d Data) {
	t, m := p.t, d.Matrix
	p.section("export.part_matrix")
	if len(m.Rows) == 0 {
		p.para(t.T("export.matrix_none"))
		return
	}
	n := len(m.Codes)
	cell := min(7.0, (bodyW-9-36-18)/float64(max(n, 1)))
	tb := table{widths: []float64{9, 36}, aligns: []string{"C", "L"}, size: 7.5, head: []string{t.T("export.col_no"), t.T("export.col_village")}}
	for _, c := range m.Codes {
		tb.widths, tb.aligns, tb.head = append(tb.widths, cell), append(tb.aligns, "C"), append(tb.head, c)
	}
	tb.widths, tb.aligns, tb.head = append(tb.widths, 18), append(tb.aligns, "C"), append(tb.head, t.T("export.col_result"))
	if p.f.GetY()+30 > pdfPageH-mBottom {
		p.f.AddPage()
	}
	p.headRow(tb)
	green, red := [3]int{198, 239, 206}, [3]int{255, 199, 206}
	for i, r := range m.Rows {
		cells := []string{fmt.Sprint(i + 1), r.Village.Name}
		fills := make([][3]int, 2, n+3)
		for _, c := range r.Cells {
			switch {
			case !c.Known:
				cells, fills = append(cells, ""), append(fills, [3]int{})
			case c.Met:
				cells, fills = append(cells, "✓"), append(fills, green)
			default:
				cells, fills = append(cells, "✗"), append(fills, red)
			}
		}
		res, fill := t.T("export.not_met"), red
		if r.Passed {
			res, fill = t.T("export.met"), green
		}
		p.row(tb, append(cells, res), append(fills, fill))
	}
	p.f.Ln(2)
	p.f.SetFont("dejavu", "I", 8.5)
	p.f.MultiCell(bodyW, 4.2, t.T("export.matrix_attainment", "n", t.Num(m.Attainment.Passed), "of", t.Num(m.Attainment.Assessed))+" "+t.T("export.matrix_marks"), "", "L", false)
	p.f.SetFont("dejavu", "", 8)
	for _, c := range m.Codes {
		p.f.MultiCell(bodyW, 4, c+". "+m.Names[c], "", "L", false)
	}
}

// closing draws the recipients (left) and the signature block (right),
// kept together on one page.
func (p *doc) closing(d Data) {
	f, t := p.f, p.t
	if f.GetY()+50 > pdfPageH-mBottom {
		f.AddPage()
	} else {
		f.Ln(8)
	}
	y := f.GetY()
	leftW := 80.0
	f.SetFont("dejavu", "BI", 12)
	f.CellFormat(leftW, 6, t.T("export.recipients"), "", 2, "L", false, 0, "")
	f.SetFont("dejavu", "", 11)
	var to []string
	if d.Superior != nil {
		to = append(to, t.T("export.to_superior", "unit", runningName(d.Superior.Name)))
	}
	to = append(to, t.T("export.to_committee", "unit", runningName(d.Issuer.Name)), t.T("export.to_archive"))
	for _, r := range to {
		f.SetX(mLeft)
		f.MultiCell(leftW, 5, r, "", "L", false)
	}
	f.SetXY(mLeft+leftW, y)
	rightW := bodyW - leftW
	f.SetFont("dejavu", "B", 12)
	f.CellFormat(rightW, 6, t.T("export.sign_on_behalf"), "", 2, "C", false, 0, "")
	f.CellFormat(rightW, 6, t.T("export.sign_title"), "", 2, "C", false, 0, "")
	f.SetFont("dejavu", "I", 11)
	f.CellFormat(rightW, 6, t.T("export.sign_note"), "", 2, "C", false, 0, "")
}
