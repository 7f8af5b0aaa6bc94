package domain

import "strings"

// Level is the tier of a unit in the administrative tree.
type Level string

const (
	LevelProvince Level = "province"
	LevelDistrict Level = "district"
	LevelCommune  Level = "commune"
	LevelVillage  Level = "village"
)

// Rank orders levels from the top of the tree.
func (l Level) Rank() int {
	switch l {
	case LevelProvince:
		return 1
	case LevelDistrict:
		return 2
	case LevelCommune:
		return 3
	case LevelVillage:
		return 4
	}
	return 0
}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return l.Rank() > 0 }

// LevelOfCode guesses the level of an official code by its length, as the
// national statistics office assigns them: 2 digits a province, 3 a
// district, 5 a commune. System village codes start with "T".
func LevelOfCode(code string) Level {
	if strings.HasPrefix(code, "T") {
		if len(code) >= 2 && digits(code[1:]) {
			return LevelVillage
		}
		return ""
	}
	if !digits(code) {
		return ""
	}
	switch {
	case len(code) == 2:
		return LevelProvince
	case len(code) == 3:
		return LevelDistrict
	case len(code) == 5:
		return LevelCommune
	}
	return ""
}

// LinkKind says how a unit became another on a date.
type LinkKind string

const (
	LinkMergeFull    LinkKind = "merge_full"
	LinkMergePartial LinkKind = "merge_partial"
	LinkSplit        LinkKind = "split"
	LinkRename       LinkKind = "rename"
	LinkMove         LinkKind = "move"
	LinkDissolve     LinkKind = "dissolve"
)

// Valid reports whether k is a known kind.
func (k LinkKind) Valid() bool {
	switch k {
	case LinkMergeFull, LinkMergePartial, LinkSplit, LinkRename, LinkMove, LinkDissolve:
		return true
	}
	return false
}

// EventKind names an entry of a unit's history.
type EventKind string

const (
	EventCreate       EventKind = "create"
	EventEnd          EventKind = "end"
	EventRename       EventKind = "rename"
	EventMove         EventKind = "move"
	EventMerge        EventKind = "merge"
	EventSplit        EventKind = "split"
	EventDissolve     EventKind = "dissolve"
	EventDutyTransfer EventKind = "duty_transfer"
	EventEnrol        EventKind = "enrol"
	EventTeamTransfer EventKind = "team_transfer"
)

// UnitRef is the short form of a unit used in lists and links.
type UnitRef struct {
	ID    int64  `json:"-"`
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level Level  `json:"level"`
}

// Unit is one node of the tree as it reads on a date (At): its name and
// parent are the ones valid on that date.
type Unit struct {
	ID        int64
	Code      string
	Name      string
	TypeWord  string
	Level     Level
	ValidFrom Date
	ValidTo   Date
	Slug      string
	Parent    *UnitRef
	At        Date
}

// Ref returns the short form of u.
func (u Unit) Ref() UnitRef { return UnitRef{ID: u.ID, Code: u.Code, Name: u.Name, Level: u.Level} }

// LinkedUnit is a predecessor or successor of a unit.
type LinkedUnit struct {
	UnitRef
	ValidFrom Date
	ValidTo   Date
	Kind      LinkKind
	Effective Date
	LegalAct  string
}

// Event is one dated entry of a unit's history.
type Event struct {
	ID       int64
	UnitID   int64
	Kind     EventKind
	Date     Date
	LegalAct string
	Detail   string
	Other    *UnitRef
}

// Validity is one date range over which a code named a unit.
type Validity struct {
	Code      string
	Name      string
	Level     Level
	ValidFrom Date
	ValidTo   Date
}

// Nearest returns the date of vs nearest to d (the start or end of the
// closest range), for "not found on that date" answers.
func Nearest(vs []Validity, d Date) []Date {
	var out []Date
	for _, v := range vs {
		if !v.ValidTo.IsZero() && v.ValidTo.Before(d) {
			out = append(out, v.ValidTo)
		} else if !v.ValidFrom.IsZero() && v.ValidFrom.After(d) {
			out = append(out, v.ValidFrom)
		}
	}
	return out
}

// typeWords are the words that open an official unit name, longest first.
var typeWords = []string{
	"Thành phố Trung ương", "Thành phố", "Tổ dân phố", "Thị trấn", "Thị xã",
	"Đặc khu", "Huyện", "Quận", "Tỉnh", "Phường", "Xã", "Thôn", "Bản", "Làng",
	"Xóm", "Ấp", "Khu phố", "Khu", "Tổ", "Buôn", "Khóm", "Plei",
}

// SplitTypeWord separates the type word from the rest of an official name:
// "Thôn Đông Căm" → ("Thôn", "Đông Căm"). A name without one returns "".
func SplitTypeWord(name string) (typeWord, rest string) {
	for _, w := range typeWords {
		if strings.HasPrefix(name, w+" ") {
			return w, strings.TrimSpace(name[len(w):])
		}
	}
	return "", name
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
