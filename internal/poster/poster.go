// Package poster draws the A4 poster a village team pins at its cultural
// house: the village's name, a large QR code to its public page, the
// schedule, the team's phones and the featured procedures. Text arrives
// already translated; every Vietnamese letter prints, because the font
// (DejaVu Sans, embedded from github.com/go-fonts/dejavu) has them all.
package poster

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/go-pdf/fpdf"
)

// Section is a heading and its lines.
type Section struct {
	Heading string
	Lines   []string
}

// Poster is what one poster shows, in the order drawn.
type Poster struct {
	Title    string // "Thôn Đông Căm"
	Subtitle string // "Xã Gia Phú, Tỉnh Lào Cai"
	Call     string // the line above the QR code: "Quét mã để xem lịch trực…"
	QRPNG    []byte // the QR code as PNG (square)
	URL      string // printed under the QR code, for those who type it
	Sections []Section
	Footer   string
	Made     time.Time // the PDF's creation date (fixed, so equal data gives equal bytes)
}

const (
	pageW  = 210.0
	margin = 15.0
	qrSide = 80.0
)

// PDF renders the poster as an A4 portrait PDF.
func PDF(p Poster) ([]byte, error) {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin)
	f.AddUTF8FontFromBytes("dejavu", "", dejavusans.TTF)
	f.AddUTF8FontFromBytes("dejavu", "B", dejavusansbold.TTF)
	f.SetTitle(p.Title, true)
	f.SetCreator("Thôn Số", true)
	if !p.Made.IsZero() {
		f.SetCreationDate(p.Made)
		f.SetModificationDate(p.Made)
	}
	f.AddPage()
	w := pageW - 2*margin

	f.SetFont("dejavu", "B", 30)
	f.SetTextColor(11, 61, 110)
	f.MultiCell(w, 13, p.Title, "", "C", false)
	if p.Subtitle != "" {
		f.SetFont("dejavu", "", 14)
		f.SetTextColor(60, 60, 60)
		f.MultiCell(w, 7, p.Subtitle, "", "C", false)
	}
	f.Ln(3)
	if p.Call != "" {
		f.SetFont("dejavu", "B", 15)
		f.SetTextColor(0, 0, 0)
		f.MultiCell(w, 7, p.Call, "", "C", false)
	}
	if len(p.QRPNG) > 0 {
		opt := fpdf.ImageOptions{ImageType: "PNG"}
		f.RegisterImageOptionsReader("qr", opt, bytes.NewReader(p.QRPNG))
		if f.Err() {
			return nil, fmt.Errorf("poster qr: %w", f.Error())
		}
		y := f.GetY() + 2
		f.ImageOptions("qr", (pageW-qrSide)/2, y, qrSide, qrSide, false, opt, 0, "")
		f.SetY(y + qrSide + 1)
	}
	if p.URL != "" {
		f.SetFont("dejavu", "", 12)
		f.SetTextColor(11, 83, 148)
		f.MultiCell(w, 6, p.URL, "", "C", false)
	}
	f.SetTextColor(0, 0, 0)
	for _, s := range p.Sections {
		if len(s.Lines) == 0 {
			continue
		}
		f.Ln(3)
		f.SetFont("dejavu", "B", 14)
		f.SetTextColor(11, 61, 110)
		f.MultiCell(w, 7, s.Heading, "", "L", false)
		f.SetFont("dejavu", "", 12)
		f.SetTextColor(0, 0, 0)
		for _, l := range s.Lines {
			f.MultiCell(w, 6, "• "+l, "", "L", false)
		}
	}
	if p.Footer != "" {
		f.Ln(4)
		f.SetFont("dejavu", "", 9)
		f.SetTextColor(80, 80, 80)
		f.MultiCell(w, 4.5, p.Footer, "", "L", false)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("poster: %w", err)
	}
	return buf.Bytes(), nil
}
