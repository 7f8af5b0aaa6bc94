package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// chartPoint is one value of a series, labelled (e.g. "10/2024").
type chartPoint struct {
	Label string
	Value float64
}

// svgChart draws a series on the server as a small SVG (no chart library
// in the browser): bars or a line, a target line if any, the first, middle
// and last labels, and the values in a <title> per point for screen
// readers. It scales to the width of a phone through its viewBox.
func svgChart(title string, pts []chartPoint, bars bool, target float64, unit string) template.HTML {
	const w, h, left, bottom, top = 320.0, 160.0, 34.0, 22.0, 12.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, w, h, html.EscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	if len(pts) == 0 {
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	top0 := target
	for _, p := range pts {
		top0 = math.Max(top0, p.Value)
	}
	if top0 <= 0 {
		top0 = 1
	}
	top0 = niceCeil(top0)
	plotW, plotH := w-left-6, h-bottom-top
	x := func(i int) float64 {
		if len(pts) == 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(len(pts)-1)
	}
	y := func(v float64) float64 { return top + plotH*(1-v/top0) }
	// Axis and two grid lines with their values.
	for _, g := range []float64{0, top0 / 2, top0} {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="grid"/>`, left, y(g), w-6, y(g))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="axis" text-anchor="end">%s</text>`, left-3, y(g)+3, numText(g)+unit)
	}
	if target > 0 {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="target"/>`, left, y(target), w-6, y(target))
	}
	if bars {
		bw := plotW / float64(len(pts)) * 0.7
		for i, p := range pts {
			cx := left + plotW*(float64(i)+0.5)/float64(len(pts))
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="bar"><title>%s: %s%s</title></rect>`,
				cx-bw/2, y(p.Value), bw, math.Max(y(0)-y(p.Value), 0), html.EscapeString(p.Label), numText(p.Value), unit)
		}
	} else {
		var path strings.Builder
		for i, p := range pts {
			if i == 0 {
				fmt.Fprintf(&path, "M%.1f %.1f", x(i), y(p.Value))
			} else {
				fmt.Fprintf(&path, " L%.1f %.1f", x(i), y(p.Value))
			}
		}
		fmt.Fprintf(&b, `<path d="%s" class="line"/>`, path.String())
		for i, p := range pts {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" class="dot"><title>%s: %s%s</title></circle>`, x(i), y(p.Value), html.EscapeString(p.Label), numText(p.Value), unit)
		}
	}
	for _, i := range labelIdx(len(pts)) {
		lx := x(i)
		if bars {
			lx = left + plotW*(float64(i)+0.5)/float64(len(pts))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="axis" text-anchor="middle">%s</text>`, lx, h-6, html.EscapeString(pts[i].Label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// labelIdx picks the first, middle and last points to label.
func labelIdx(n int) []int {
	switch {
	case n <= 0:
		return nil
	case n <= 2:
		out := []int{0}
		if n == 2 {
			out = append(out, 1)
		}
		return out
	}
	return []int{0, n / 2, n - 1}
}

// niceCeil rounds a maximum up to 1, 2 or 5 × a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}
