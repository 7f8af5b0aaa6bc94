package report

import (
	"math"

	"github.com/go-pdf/fpdf"
)

// point is one labelled value of a chart.
type point struct {
	Label string
	Value float64
}

// chartBox is where a chart is drawn, in mm.
type chartBox struct {
	X, Y, W, H float64
}

// niceMax rounds a chart's top up to 1, 2 or 5 × a power of ten.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// axes draws the frame, four grid lines with their values, and the
// labels under the x axis; it returns the plot area.
func axes(f *fpdf.Fpdf, b chartBox, top float64, labels []string, value func(float64) string) chartBox {
	plot := chartBox{X: b.X + 14, Y: b.Y + 2, W: b.W - 16, H: b.H - 10}
	f.SetFont("dejavu", "", 7)
	f.SetDrawColor(200, 200, 200)
	f.SetLineWidth(0.1)
	for i := 0; i <= 4; i++ {
		y := plot.Y + plot.H - plot.H*float64(i)/4
		f.Line(plot.X, y, plot.X+plot.W, y)
		txt := value(top * float64(i) / 4)
		f.Text(plot.X-1.5-f.GetStringWidth(txt), y+1, txt)
	}
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.2)
	f.Line(plot.X, plot.Y+plot.H, plot.X+plot.W, plot.Y+plot.H)
	f.Line(plot.X, plot.Y, plot.X, plot.Y+plot.H)
	if n := len(labels); n > 0 {
		step := plot.W / float64(n)
		for i, l := range labels {
			x := plot.X + step*(float64(i)+0.5) - f.GetStringWidth(l)/2
			f.Text(x, plot.Y+plot.H+4, l)
		}
	}
	return plot
}

// barChart draws counts as bars, each with its value on top.
func barChart(f *fpdf.Fpdf, b chartBox, pts []point, value func(float64) string) {
	top := 0.0
	labels := make([]string, len(pts))
	for i, p := range pts {
		top = math.Max(top, p.Value)
		labels[i] = p.Label
	}
	top = niceMax(top)
	plot := axes(f, b, top, labels, value)
	if len(pts) == 0 {
		return
	}
	step := plot.W / float64(len(pts))
	f.SetFillColor(11, 83, 148)
	f.SetFont("dejavu", "", 6.5)
	for i, p := range pts {
		h := plot.H * p.Value / top
		x := plot.X + step*float64(i) + step*0.15
		f.Rect(x, plot.Y+plot.H-h, step*0.7, h, "F")
		txt := value(p.Value)
		f.Text(x+step*0.35-f.GetStringWidth(txt)/2, plot.Y+plot.H-h-1, txt)
	}
}

// lineChart draws rates (0..1) as a line with its points, and a dashed
// target line when target > 0.
func lineChart(f *fpdf.Fpdf, b chartBox, pts []point, target float64, value func(float64) string) {
	labels := make([]string, len(pts))
	for i, p := range pts {
		labels[i] = p.Label
	}
	plot := axes(f, b, 1, labels, value)
	if len(pts) == 0 {
		return
	}
	step := plot.W / float64(len(pts))
	y := func(v float64) float64 { return plot.Y + plot.H - plot.H*math.Min(math.Max(v, 0), 1) }
	if target > 0 {
		f.SetDrawColor(200, 60, 60)
		f.SetDashPattern([]float64{1.5, 1}, 0)
		f.Line(plot.X, y(target), plot.X+plot.W, y(target))
		f.SetDashPattern([]float64{}, 0)
	}
	f.SetDrawColor(11, 83, 148)
	f.SetFillColor(11, 83, 148)
	f.SetLineWidth(0.5)
	for i := 1; i < len(pts); i++ {
		f.Line(plot.X+step*(float64(i)-0.5), y(pts[i-1].Value), plot.X+step*(float64(i)+0.5), y(pts[i].Value))
	}
	for i, p := range pts {
		f.Circle(plot.X+step*(float64(i)+0.5), y(p.Value), 0.8, "F")
	}
	last := pts[len(pts)-1]
	f.SetFont("dejavu", "B", 7)
	txt := value(last.Value)
	f.Text(plot.X+step*(float64(len(pts))-0.5)-f.GetStringWidth(txt), y(last.Value)-2, txt)
	f.SetLineWidth(0.2)
	f.SetDrawColor(0, 0, 0)
}
