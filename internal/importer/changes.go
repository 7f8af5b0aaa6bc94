package importer

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// Columns of our own change format (docs/unit-changes.md). The header row
// is required; English or Vietnamese column names are accepted.
var changeColumns = map[string]string{
	"old_code": "old_code", "ma_cu": "old_code",
	"new_code": "new_code", "ma_moi": "new_code",
	"kind": "kind", "hinh_thuc": "kind",
	"effective_date": "effective_date", "ngay_hieu_luc": "effective_date",
	"legal_act": "legal_act", "van_ban": "legal_act",
	"new_name": "new_name", "ten_moi": "new_name",
	"new_parent_code": "new_parent_code", "ma_cap_tren_moi": "new_parent_code",
}

var changeKinds = map[string]string{
	"full": "full", "toan_bo": "full", "partial": "partial", "mot_phan": "partial",
	"split": "split", "chia_tach": "split", "rename": "rename", "doi_ten": "rename",
	"move": "move", "chuyen": "move", "dissolve": "dissolve", "giai_the": "dissolve",
}

func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // Excel's UTF-8 BOM
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	if bytes.Count(data[:min(len(data), 2000)], []byte(";")) > bytes.Count(data[:min(len(data), 2000)], []byte(",")) {
		r.Comma = ';' // Vietnamese Excel exports CSV with semicolons
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, rec)
	}
}

func readXLSX(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil
	}
	return f.GetRows(sheets[0])
}

// readChanges reads rows of our change format: one change per row —
// old unit (old_code) merged fully or partly into, split into, renamed to,
// moved under, or dissolved with duties to new_code, on effective_date.
// new_name and new_parent_code create new_code when it does not exist yet.
func readChanges(file string, rows [][]string, legalAct string) (domain.UnitBatch, error) {
	b := domain.UnitBatch{Source: file, LegalAct: legalAct}
	var fe domain.FileErrors
	if len(rows) == 0 {
		fe.Add(file, 0, domain.Errorf(domain.EINVALID, "import.empty"))
		return b, &fe
	}
	idx := map[string]int{}
	for i, h := range rows[0] {
		key := strings.ReplaceAll(textvi.Fold(h), " ", "_")
		if c, ok := changeColumns[key]; ok {
			idx[c] = i
		}
	}
	for _, need := range []string{"old_code", "kind", "effective_date"} {
		if _, ok := idx[need]; !ok {
			fe.Add(file, 1, domain.Errorf(domain.EINVALID, "import.column_missing", "column", need))
		}
	}
	if len(fe.Rows) > 0 {
		return b, &fe
	}
	created := map[string]bool{}
	for i, rec := range rows[1:] {
		rowNo := i + 2
		cell := func(c string) string {
			j, ok := idx[c]
			if !ok || j >= len(rec) {
				return ""
			}
			return textvi.Normalize(rec[j])
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		pos := domain.Pos{File: file, Row: rowNo}
		oldCode, newCode := cell("old_code"), cell("new_code")
		kind := changeKinds[strings.ReplaceAll(textvi.Fold(cell("kind")), " ", "_")]
		eff, err := textvi.ParseDate(cell("effective_date"))
		act := cell("legal_act")
		switch {
		case oldCode == "":
			fe.Add(file, rowNo, domain.Errorf(domain.EINVALID, "unit.code_missing").WithField("old_code"))
			continue
		case kind == "":
			fe.Add(file, rowNo, domain.Errorf(domain.EINVALID, "unit.link_kind_invalid", "kind", cell("kind")).WithField("kind"))
			continue
		case err != nil || eff.IsZero():
			fe.Add(file, rowNo, domain.Errorf(domain.EINVALID, "date.invalid", "value", cell("effective_date")).WithField("effective_date"))
			continue
		case newCode == "" && kind != "dissolve":
			fe.Add(file, rowNo, domain.Errorf(domain.EINVALID, "unit.code_missing").WithField("new_code"))
			continue
		}
		oldLevel := domain.LevelOfCode(oldCode)
		if oldLevel == "" {
			fe.Add(file, rowNo, domain.Errorf(domain.EINVALID, "import.code_invalid", "value", oldCode).WithField("old_code"))
			continue
		}
		newLevel := domain.LevelOfCode(newCode)
		if newCode != "" && newLevel == "" {
			fe.Add(file, rowNo, domain.Errorf(domain.EINVALID, "import.code_invalid", "value", newCode).WithField("new_code"))
			continue
		}
		switch kind {
		case "move":
			b.Moves = append(b.Moves, domain.NewMove{Pos: pos, Code: oldCode, Level: oldLevel, ParentCode: newCode, Effective: eff, LegalAct: act})
			continue
		case "dissolve":
			b.Ends = append(b.Ends, domain.NewEnd{Pos: pos, Code: oldCode, Level: oldLevel, Effective: eff, LegalAct: act, DutiesTo: newCode})
			continue
		case "rename":
			if oldCode == newCode {
				if cell("new_name") == "" {
					fe.Add(file, rowNo, domain.Errorf(domain.EINVALID, "unit.name_missing", "code", newCode).WithField("new_name"))
					continue
				}
				b.Renames = append(b.Renames, domain.NewRename{Pos: pos, Code: oldCode, Level: oldLevel, Name: cell("new_name"), Effective: eff, LegalAct: act})
				continue
			}
		}
		if name := cell("new_name"); name != "" && !created[newCode+"@"+eff.String()] {
			created[newCode+"@"+eff.String()] = true
			b.Units = append(b.Units, domain.NewUnit{Pos: pos, Code: newCode, Name: name, Level: newLevel, ParentCode: cell("new_parent_code"), ValidFrom: eff})
		}
		lk := map[string]domain.LinkKind{"full": domain.LinkMergeFull, "partial": domain.LinkMergePartial, "split": domain.LinkSplit, "rename": domain.LinkRename}[kind]
		b.Links = append(b.Links, domain.NewLink{Pos: pos, FromCode: oldCode, FromLevel: oldLevel, ToCode: newCode, ToLevel: newLevel, Kind: lk, Effective: eff, LegalAct: act})
	}
	if err := fe.Err(); err != nil {
		return domain.UnitBatch{}, err
	}
	return b, nil
}
