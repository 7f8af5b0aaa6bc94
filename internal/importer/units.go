// Package importer reads the files people bring — official unit lists,
// spreadsheets — into domain batches. It validates what a file alone can
// tell (shape, required cells, dates); the store checks the rest against
// the database and applies the batch whole or not at all.
package importer

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// ReorgDate is the day the 2025 two-level units begin.
var ReorgDate = domain.MustDate("2025-07-01")

// UnitFile reads one unit file of any supported kind, telling them apart
// by content: the pre-2025 three-level list (dvhcvn.json), the 2025
// two-level list with its merges (merges.json), or our own CSV/XLSX
// change format. Problems found in the file are returned as
// *domain.FileErrors naming the file and row.
func UnitFile(name string, data []byte, legalAct string) (domain.UnitBatch, error) {
	base := filepath.Base(name)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		var probe struct {
			DataDate string            `json:"data_date"`
			Data     []json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(data, &probe); err != nil {
			return bad(base, 0, "import.json_invalid", "reason", err.Error())
		}
		if probe.DataDate != "" {
			return readPre2025(base, data, legalAct)
		}
		if bytes.Contains(data, []byte(`"level2s"`)) && bytes.Contains(data, []byte(`"merges"`)) {
			return readMerges(base, data, legalAct)
		}
		return bad(base, 0, "import.kind_unknown")
	case ".csv":
		rows, err := readCSV(data)
		if err != nil {
			return bad(base, 0, "import.csv_invalid", "reason", err.Error())
		}
		return readChanges(base, rows, legalAct)
	case ".xlsx":
		rows, err := readXLSX(data)
		if err != nil {
			return bad(base, 0, "import.xlsx_invalid", "reason", err.Error())
		}
		return readChanges(base, rows, legalAct)
	}
	return bad(base, 0, "import.kind_unknown")
}

func bad(file string, row int, key string, kv ...any) (domain.UnitBatch, error) {
	var fe domain.FileErrors
	fe.Add(file, row, domain.Errorf(domain.EINVALID, key, kv...))
	return domain.UnitBatch{}, &fe
}

// readPre2025 reads {data:[{level1_id,name,type,level2s:[{level2_id,…,level3s:[…]}]}], data_date}.
// Its units get an open start (the list is a snapshot) and resolve their
// parents on the snapshot date.
func readPre2025(file string, data []byte, legalAct string) (domain.UnitBatch, error) {
	type l3 struct {
		ID   string `json:"level3_id"`
		Name string `json:"name"`
	}
	type l2 struct {
		ID     string `json:"level2_id"`
		Name   string `json:"name"`
		Level3 []l3   `json:"level3s"`
	}
	type l1 struct {
		ID     string `json:"level1_id"`
		Name   string `json:"name"`
		Level2 []l2   `json:"level2s"`
	}
	var doc struct {
		DataDate string `json:"data_date"`
		Data     []l1   `json:"data"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return bad(file, 0, "import.json_invalid", "reason", err.Error())
	}
	snap, err := textvi.ParseDate(doc.DataDate)
	if err != nil {
		return bad(file, 0, "import.data_date_invalid", "value", doc.DataDate)
	}
	b := domain.UnitBatch{Source: file, LegalAct: legalAct}
	row := 0
	add := func(code, name string, lv domain.Level, parent string) {
		row++
		b.Units = append(b.Units, domain.NewUnit{Pos: domain.Pos{File: file, Row: row}, Code: strings.TrimSpace(code), Name: name,
			Level: lv, ParentCode: parent, ResolveAt: snap})
	}
	for _, p := range doc.Data {
		add(p.ID, p.Name, domain.LevelProvince, "")
		for _, d := range p.Level2 {
			add(d.ID, d.Name, domain.LevelDistrict, p.ID)
			for _, c := range d.Level3 {
				add(c.ID, c.Name, domain.LevelCommune, d.ID)
			}
		}
	}
	return b, nil
}

// readMerges reads the 2025 list: {data:[{level1_id,name,merges:[{old_id,name,type}],
// level2s:[{level2_id,name,merges:[…]}]}]}, effective 01/07/2025. Every
// listed unit begins that day, even one that keeps its predecessor's code
// (CONVENTIONS.md); old units end the day before; the district level is
// abolished and each district's duties pass to its province's successor.
func readMerges(file string, data []byte, legalAct string) (domain.UnitBatch, error) {
	type merge struct {
		OldID string `json:"old_id"`
		Type  string `json:"type"`
	}
	type l2 struct {
		ID     string  `json:"level2_id"`
		Name   string  `json:"name"`
		Merges []merge `json:"merges"`
	}
	type l1 struct {
		ID     string  `json:"level1_id"`
		Name   string  `json:"name"`
		Merges []merge `json:"merges"`
		Level2 []l2    `json:"level2s"`
	}
	var doc struct {
		Data []l1 `json:"data"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return bad(file, 0, "import.json_invalid", "reason", err.Error())
	}
	b := domain.UnitBatch{Source: file, LegalAct: legalAct}
	var fe domain.FileErrors
	row := 0
	link := func(pos domain.Pos, m merge, to string, toLevel domain.Level) {
		kind := domain.LinkMergeFull
		switch m.Type {
		case "full":
		case "partial":
			kind = domain.LinkMergePartial
		default:
			fe.Add(file, pos.Row, domain.Errorf(domain.EINVALID, "import.merge_type_invalid", "value", m.Type))
			return
		}
		lv := domain.LevelOfCode(m.OldID)
		if lv == "" {
			fe.Add(file, pos.Row, domain.Errorf(domain.EINVALID, "import.code_invalid", "value", m.OldID))
			return
		}
		b.Links = append(b.Links, domain.NewLink{Pos: pos, FromCode: m.OldID, FromLevel: lv, ToCode: to, ToLevel: toLevel, Kind: kind, Effective: ReorgDate})
	}
	for _, p := range doc.Data {
		row++
		pos := domain.Pos{File: file, Row: row}
		b.Units = append(b.Units, domain.NewUnit{Pos: pos, Code: p.ID, Name: p.Name, Level: domain.LevelProvince, ValidFrom: ReorgDate})
		for _, m := range p.Merges {
			link(pos, m, p.ID, domain.LevelProvince)
		}
		for _, c := range p.Level2 {
			row++
			pos := domain.Pos{File: file, Row: row}
			b.Units = append(b.Units, domain.NewUnit{Pos: pos, Code: c.ID, Name: c.Name, Level: domain.LevelCommune, ParentCode: p.ID, ValidFrom: ReorgDate})
			if len(c.Merges) == 0 {
				fe.Add(file, row, domain.Errorf(domain.EINVALID, "import.merges_missing", "code", c.ID))
			}
			for _, m := range c.Merges {
				link(pos, m, c.ID, domain.LevelCommune)
			}
		}
	}
	if err := fe.Err(); err != nil {
		return domain.UnitBatch{}, err
	}
	b.Abolish = []domain.Abolition{{Pos: domain.Pos{File: file}, Level: domain.LevelDistrict, Effective: ReorgDate, LegalAct: legalAct}}
	return b, nil
}
