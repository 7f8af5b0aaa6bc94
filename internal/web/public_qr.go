package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"thonso/internal/domain"
)

// QR sizes a resident may ask for, in pixels: small enough for a phone
// screen, large enough for an A3 print.
const (
	qrMinSize     = 128
	qrMaxSize     = 2048
	qrDefaultSize = 512
)

// qrCode encodes a URL at error-correction level H (30% of the code may
// be lost): a poster at the cultural house gets worn, torn and stained.
func qrCode(content string) (*qrcode.QRCode, error) {
	q, err := qrcode.New(content, qrcode.Highest)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return q, nil
}

// qrSVG draws a QR code as SVG: one path of unit squares on the module
// grid (quiet zone included), crisp at any size.
func qrSVG(content string, title string) ([]byte, error) {
	q, err := qrCode(content)
	if err != nil {
		return nil, err
	}
	bm := q.Bitmap()
	n := len(bm)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="%s">`, n, n, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, template.HTMLEscapeString(title), n, n)
	for y, row := range bm {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}

// villageQRSVG is /v/{slug}/qr.svg: the page's absolute URL as a QR code.
func (s *Server) villageQRSVG(w http.ResponseWriter, r *http.Request) {
	u, ok := s.publicVillage(w, r)
	if !ok {
		return
	}
	target := s.publicURL(r) + "/v/" + u.Slug
	svg, err := qrSVG(target, u.Name+" — "+target)
	if err != nil {
		s.fail(w, s.newPublicPage(r, ""), err)
		return
	}
	s.serveCached(w, r, "image/svg+xml", svg, time.Time{})
}

// villageQRPNG is /v/{slug}/qr.png?size=N (pixels, 128–2048; 512 by
// default). A size out of range is a 400 saying the range.
func (s *Server) villageQRPNG(w http.ResponseWriter, r *http.Request) {
	size := qrDefaultSize
	if raw := strings.TrimSpace(r.URL.Query().Get("size")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < qrMinSize || n > qrMaxSize {
			p := s.newPublicPage(r, "")
			err := domain.Errorf(domain.EINVALID, "qr.size_invalid", "value", raw, "min", qrMinSize, "max", qrMaxSize).WithField("size")
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(s.Cat.Err(p.Lang, err) + "\n"))
			return
		}
		size = n
	}
	u, ok := s.publicVillage(w, r)
	if !ok {
		return
	}
	q, err := qrCode(s.publicURL(r) + "/v/" + u.Slug)
	if err == nil {
		var png []byte
		if png, err = q.PNG(size); err == nil {
			s.serveCached(w, r, "image/png", png, time.Time{})
			return
		}
	}
	s.fail(w, s.newPublicPage(r, ""), err)
}

// lookupQR is the inline SVG QR code on a receipt slip: it opens the
// status lookup with the slip's code filled in.
func (s *Server) lookupQR(r *http.Request, code string) template.HTML {
	target := s.publicURL(r) + "/tra-cuu?ma=" + code
	svg, err := qrSVG(target, target)
	if err != nil {
		return ""
	}
	return template.HTML(svg)
}
