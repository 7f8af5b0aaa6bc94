// Package report builds a unit's report for a date — the figures, the
// villages, the dossiers by field and month, the criteria matrix — and
// writes it as a spreadsheet (xlsx), an administrative report (PDF) or a
// CSV of the villages. Figures come from the store's live counts, the same
// the dashboard shows, so an export never disagrees with the screen.
package report

import (
	"context"
	"fmt"
	"time"

	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"
)

// Formats are the export formats, in the order offered.
var Formats = []string{"xlsx", "pdf", "csv"}

// ValidFormat tells a known format.
func ValidFormat(f string) bool {
	for _, x := range Formats {
		if x == f {
			return true
		}
	}
	return false
}

// Data is everything one report shows.
type Data struct {
	Unit     domain.Unit
	At       domain.Date
	Current  bool      // re-attributed to today's units
	Made     time.Time // when it was made (fixed in tests, so equal data gives equal files)
	Demo     bool      // the database holds demo data: say so
	Stats    store.UnitStats
	Groups   []store.DossierGroup // residents' dossiers by sector, field, procedure, portal, month
	Trend    []store.MonthPoint
	Villages []store.VillageRow
	Matrix   Matrix
	// Procedures by code, for names.
	Procedures map[string]domain.Procedure
	// Issuer is the unit whose People's Committee issues the report: the
	// unit itself, or a village's commune.
	Issuer domain.UnitRef
	// Superior is the unit the report goes up to (for "Nơi nhận"), if any.
	Superior *domain.UnitRef
}

// Matrix is the villages × indicators of the latest approved assessments.
type Matrix struct {
	Codes      []string
	Names      map[string]string
	Rows       []MatrixRow
	Attainment store.Attainment
}

// MatrixRow is one village's line of the matrix.
type MatrixRow struct {
	Village  domain.Unit
	Assessed bool
	AsOf     domain.Date
	Passed   bool
	Cells    []Cell
}

// Cell is one village × indicator as decided.
type Cell struct {
	Known, Met bool
	Value      float64 // a percent for rates, a count, 1/0 for yes/no
	Percent    bool
}

// Text translates for one language.
type Text struct {
	Cat  *i18n.Catalog
	Lang string
}

// T translates key with name/value pairs.
func (t Text) T(key string, kv ...any) string {
	var args map[string]any
	if len(kv) > 0 {
		args = map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			args[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return t.Cat.T(t.Lang, key, args)
}

// Progress is told how many of total steps are done.
type Progress func(done, total int)

// Gather reads a unit's report for a date from the store. The unit is the
// one the request resolved (on at, or today when current).
func Gather(ctx context.Context, st *store.Store, u domain.Unit, at domain.Date, current bool, progress Progress) (Data, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	d := Data{Unit: u, At: at, Current: current, Made: time.Now(), Procedures: map[string]domain.Procedure{}, Issuer: u.Ref()}
	villages, err := st.VillagesUnder(ctx, u.ID, at, current)
	if err != nil {
		return d, err
	}
	// The steps: the figures, the trend, each village, the matrix.
	total := len(villages) + 3
	progress(0, total)
	// The monthly trend is the slowest part (a count per month): it runs
	// beside the rest on another reader connection.
	type trend struct {
		points []store.MonthPoint
		err    error
	}
	trendc := make(chan trend, 1)
	go func() {
		from := domain.NewDate(at.Year(), at.Month()-11, 1)
		pts, err := st.Trend(ctx, u.ID, from, at, current)
		trendc <- trend{pts, err}
	}()
	if d.Stats, err = st.Stats(ctx, u.ID, at, current); err != nil {
		return d, err
	}
	if d.Groups, err = st.DossierBreakdown(ctx, u.ID, at, current); err != nil {
		return d, err
	}
	progress(1, total)
	if d.Villages, err = st.VillageRows(ctx, villages, at, current, func(n int) { progress(1+n, total) }); err != nil {
		return d, err
	}
	tr := <-trendc // buffered: on an early return the goroutine still ends
	if d.Trend, err = tr.points, tr.err; err != nil {
		return d, err
	}
	progress(len(villages)+2, total)
	if d.Matrix, err = gatherMatrix(ctx, st, villages, at); err != nil {
		return d, err
	}
	procs, err := st.Procedures(ctx)
	if err != nil {
		return d, err
	}
	for _, p := range procs {
		d.Procedures[p.Code] = p
	}
	if err := issuer(ctx, st, &d); err != nil {
		return d, err
	}
	progress(total, total)
	return d, nil
}

// issuer finds who issues the report and whom it goes up to: a commune,
// district or province issues its own; a village's report is its commune's.
func issuer(ctx context.Context, st *store.Store, d *Data) error {
	on := d.Unit.At
	if on.IsZero() {
		on = d.At
	}
	d.Issuer = d.Unit.Ref()
	parent := d.Unit.Parent
	if d.Unit.Level == domain.LevelVillage && parent != nil {
		d.Issuer = *parent
		p, err := st.UnitByID(ctx, parent.ID, on)
		if err != nil {
			return err
		}
		parent = p.Parent
	}
	d.Superior = parent
	return nil
}

// gatherMatrix reads the villages' latest approved assessments as of at, as
// the web matrix does (internal/web/criteria_matrix.go).
func gatherMatrix(ctx context.Context, st *store.Store, villages []domain.Unit, at domain.Date) (Matrix, error) {
	dec, err := st.DecisionsOf(ctx, villages, at)
	if err != nil {
		return Matrix{}, err
	}
	m := Matrix{Codes: dec.Codes, Names: dec.Names}
	for _, v := range villages {
		a, ok := dec.Latest[v.ID]
		if !ok {
			continue // the matrix lists the villages assessed
		}
		row := MatrixRow{Village: v, Assessed: true, AsOf: a.AsOf, Passed: a.Passed}
		m.Attainment.Assessed++
		if a.Passed {
			m.Attainment.Passed++
		}
		byCode := dec.ByCode(a)
		for _, code := range m.Codes {
			c := Cell{}
			if in, has := byCode[code]; has {
				if val, ok := a.Values[in.ID]; ok && val.Measure.Known {
					c = Cell{Known: true, Met: val.Met, Value: val.Measure.Value,
						Percent: val.Measure.Rate || in.Target.Type == domain.TargetMinPercent}
					if in.Target.Type == domain.TargetExists {
						c.Percent = false
					}
				}
			}
			row.Cells = append(row.Cells, c)
		}
		m.Rows = append(m.Rows, row)
	}
	return m, nil
}

// FileName is the download's name: bao-cao-086-2024-10-31.xlsx.
func FileName(code string, at domain.Date, current bool, format string) string {
	name := "bao-cao-" + code + "-" + at.String()
	if current {
		name += "-quy-doi"
	}
	return name + "." + format
}

// ContentType is a format's MIME type.
func ContentType(format string) string {
	switch format {
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "pdf":
		return "application/pdf"
	}
	return "text/csv; charset=utf-8"
}

// Write renders d in a format.
func Write(d Data, format string, t Text) ([]byte, error) {
	switch format {
	case "xlsx":
		return XLSX(d, t)
	case "pdf":
		return PDF(d, t)
	case "csv":
		return CSV(d, t)
	}
	return nil, domain.Errorf(domain.EINVALID, "export.bad_format", "value", format).WithField("format")
}
