package domain

// UnitBatch is a set of changes to the unit tree read from one or more
// files (or built by the demo). The store applies it whole or not at all,
// skipping what already exists.
type UnitBatch struct {
	// Source names the origin for messages and the audit ("dvhcvn.json").
	Source string
	// LegalAct applies to every link and event that names none of its own.
	LegalAct string
	Units    []NewUnit
	Links    []NewLink
	Moves    []NewMove
	Ends     []NewEnd
	Renames  []NewRename
	// Abolish ends, on a date, every unit of a level still live the day
	// before (the district level on 01/07/2025); each one's duties pass to
	// the unit its parent became.
	Abolish []Abolition
}

// Abolition ends a whole level of the tree on Effective.
type Abolition struct {
	Pos
	Level     Level
	Effective Date
	LegalAct  string
}

// Pos locates a change in its input file.
type Pos struct {
	File string
	Row  int
}

// NewUnit is a unit to create unless the same (code, level, start) exists.
// ParentCode resolves at ValidFrom (or at the snapshot date for an open start).
type NewUnit struct {
	Pos
	Code       string
	Name       string
	TypeWord   string
	Level      Level
	ParentCode string
	ValidFrom  Date
	ValidTo    Date
	// ResolveAt is the date codes of this row resolve at when ValidFrom is open.
	ResolveAt Date
	// Slug is used for villages; empty means derive from the name.
	Slug string
}

// NewLink says FromCode (as it was the day before Effective) became, fully
// or partly, ToCode (as it is on Effective). The old unit ends the day
// before Effective when it is still open.
type NewLink struct {
	Pos
	FromCode  string
	FromLevel Level
	ToCode    string
	ToLevel   Level
	Kind      LinkKind
	Effective Date
	LegalAct  string
}

// NewMove gives a unit (a village, or a commune team later) a new parent
// from a date on; its identity stays.
type NewMove struct {
	Pos
	Code       string
	Level      Level
	ParentCode string
	Effective  Date
	LegalAct   string
}

// NewEnd ends a unit that is dissolved (not merged) on a date: ValidTo is
// the day before Effective. DutiesTo names who takes its duties over.
type NewEnd struct {
	Pos
	Code      string
	Level     Level
	Effective Date
	LegalAct  string
	DutiesTo  string
}

// BatchResult counts what an applied batch added; zero everywhere means
// the data was already there.
type BatchResult struct {
	UnitsAdded   int
	UnitsEnded   int
	LinksAdded   int
	MovesAdded   int
	EventsAdded  int
	UnitsSkipped int
	LinksSkipped int
	// ActsFilled counts existing links whose missing legal act was added.
	ActsFilled int
	// AddedIDs and EndedIDs are the units created and ended, for the audit.
	AddedIDs, EndedIDs []int64
	// Review lists units whose children could not be moved automatically
	// (a partial merge): an officer must place them.
	Review []string
}

// Changed reports whether anything was written.
func (r BatchResult) Changed() bool {
	return r.UnitsAdded+r.UnitsEnded+r.LinksAdded+r.MovesAdded+r.EventsAdded+r.ActsFilled > 0
}

// NewRename gives a unit a new name from a date on; its code, identity and
// everything recorded under it stay. A village also gets a new slug, and
// its old one keeps resolving.
type NewRename struct {
	Pos
	Code      string
	Level     Level
	Name      string
	Effective Date
	LegalAct  string
}
