package report

import (
	"bytes"
	"encoding/csv"
	"strconv"
)

// CSV writes the villages table: UTF-8 with a byte-order mark (so Excel
// reads the Vietnamese letters right), comma-separated, counts as plain
// integers and rates as numbers between 0 and 1 (as the API gives them),
// for other tools to read; people get the xlsx.
func CSV(d Data, t Text) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	head := make([]string, len(VillageHeader))
	for i, k := range VillageHeader {
		head[i] = t.T(k)
	}
	w.Write(head)
	for i, r := range d.Villages {
		vals := villageValues(i, r, t)
		rec := make([]string, len(vals))
		for j, v := range vals {
			switch x := v.(type) {
			case int:
				rec[j] = strconv.Itoa(x)
			case float64:
				rec[j] = strconv.FormatFloat(x, 'f', 4, 64)
			case string:
				rec[j] = x
			}
		}
		w.Write(rec)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
