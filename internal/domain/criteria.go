package domain

import (
	"math"
	"strconv"
	"strings"
)

// SetStatus is where a criteria set is in its life.
type SetStatus string

const (
	SetDraft   SetStatus = "draft"
	SetInForce SetStatus = "in_force"
	SetRetired SetStatus = "retired"
)

// PassRule says when a village meets a set: all mandatory indicators met,
// or at least N indicators met.
type PassRule string

const (
	PassAllMandatory PassRule = "all_mandatory"
	PassAtLeast      PassRule = "at_least"
)

// TargetType is how an indicator's value is held to its target.
type TargetType string

const (
	TargetMinPercent TargetType = "min_pct"   // value ≥ Min %
	TargetMax        TargetType = "max"       // value ≤ Max
	TargetRange      TargetType = "range"     // Min ≤ value ≤ Max
	TargetExists     TargetType = "exists"    // yes / no
	TargetMinCount   TargetType = "min_count" // value ≥ Min
)

// TargetTypes lists the target types in form order.
var TargetTypes = []TargetType{TargetMinPercent, TargetMax, TargetRange, TargetExists, TargetMinCount}

// Source says how an indicator's value is obtained.
type Source string

const (
	SourceComputed Source = "computed" // by one of the system's computations
	SourceEntered  Source = "entered"  // typed in with evidence, then verified
)

// Target is what a value must reach.
type Target struct {
	Type     TargetType
	Min, Max float64 // percent for min_pct; counts otherwise
}

// CriteriaSet is a bộ tiêu chí: groups of indicators with a pass rule,
// owned by a unit, for a period, versioned.
type CriteriaSet struct {
	ID          int64
	OwnerID     int64 // the unit that owns it (a province, or a district before 2025)
	Name        string
	Description string
	From, To    Date // the period it is for
	Version     int
	Status      SetStatus
	Rule        PassRule
	RuleMin     int // for at_least
	CopiedFrom  int64
	Groups      []CriteriaGroup
	Indicators  []Indicator
	Lock        int // optimistic lock
}

// CriteriaGroup is a nhóm tiêu chí.
type CriteriaGroup struct {
	ID   int64
	Code string // e.g. "ha_tang_so"
	Name string
}

// Indicator is a chỉ tiêu: one line of the set, with its target.
type Indicator struct {
	ID          int64
	Code        string // "1" … "16"
	Group       string // the group's code
	Name        string
	Explanation string
	Target      Target
	Mountain    *Target // a different target for mountainous / ethnic-minority communes
	Mandatory   bool
	Source      Source
	Computation string // name of a computation, for computed indicators
	Param       int    // the computation's parameter (e.g. at least N members)
	Assumed     bool   // (A): taken from other provinces' sets, not from the report
}

// TargetFor is the indicator's target for a village of a mountainous
// commune or not.
func (in Indicator) TargetFor(mountain bool) Target {
	if mountain && in.Mountain != nil {
		return *in.Mountain
	}
	return in.Target
}

// Validate checks a target on its own; field names the form's box.
func (t Target) Validate(field string) error {
	switch t.Type {
	case TargetMinPercent:
		if t.Min < 0 || t.Min > 100 || math.IsNaN(t.Min) {
			return Errorf(EINVALID, "criteria.percent_invalid").WithField(field)
		}
	case TargetMax, TargetMinCount:
		v := t.Min
		if t.Type == TargetMax {
			v = t.Max
		}
		if v < 0 || math.IsNaN(v) {
			return Errorf(EINVALID, "criteria.count_invalid").WithField(field)
		}
	case TargetRange:
		if t.Min < 0 || t.Max < 0 || math.IsNaN(t.Min) || math.IsNaN(t.Max) {
			return Errorf(EINVALID, "criteria.count_invalid").WithField(field)
		}
		if t.Min > t.Max {
			return Errorf(EINVALID, "criteria.range_inverted", "min", fmtNum(t.Min), "max", fmtNum(t.Max)).WithField(field)
		}
	case TargetExists:
	default:
		return Errorf(EINVALID, "criteria.target_type_invalid").WithField(field)
	}
	return nil
}

// Validate checks a whole set: groups and indicators named, codes unique,
// targets sane, computations known, the pass rule possible.
func (cs CriteriaSet) Validate(known func(string) bool) error {
	if strings.TrimSpace(cs.Name) == "" {
		return Errorf(EINVALID, "criteria.name_missing").WithField("name")
	}
	if cs.From.IsZero() || cs.To.IsZero() || cs.To.Before(cs.From) {
		return Errorf(EINVALID, "criteria.period_invalid").WithField("period")
	}
	groups := map[string]bool{}
	for _, g := range cs.Groups {
		if g.Code == "" || strings.TrimSpace(g.Name) == "" || groups[g.Code] {
			return Errorf(EINVALID, "criteria.group_invalid", "group", g.Name).WithField("groups")
		}
		groups[g.Code] = true
	}
	codes := map[string]bool{}
	mandatory := 0
	for i, in := range cs.Indicators {
		f := "indicators." + strconv.Itoa(i)
		if strings.TrimSpace(in.Code) == "" {
			return Errorf(EINVALID, "criteria.code_missing").WithField(f + ".code")
		}
		if codes[in.Code] {
			return Errorf(EINVALID, "criteria.code_duplicate", "code", in.Code).WithField(f + ".code")
		}
		codes[in.Code] = true
		if strings.TrimSpace(in.Name) == "" {
			return Errorf(EINVALID, "criteria.indicator_name_missing", "code", in.Code).WithField(f + ".name")
		}
		if !groups[in.Group] {
			return Errorf(EINVALID, "criteria.group_unknown", "code", in.Code).WithField(f + ".group")
		}
		if err := in.Target.Validate(f + ".target"); err != nil {
			return err
		}
		if in.Mountain != nil {
			if in.Mountain.Type != in.Target.Type {
				return Errorf(EINVALID, "criteria.mountain_type", "code", in.Code).WithField(f + ".mountain")
			}
			if err := in.Mountain.Validate(f + ".mountain"); err != nil {
				return err
			}
		}
		switch in.Source {
		case SourceComputed:
			if !known(in.Computation) {
				return Errorf(EINVALID, "criteria.computation_unknown", "code", in.Code, "name", in.Computation).WithField(f + ".computation")
			}
		case SourceEntered:
		default:
			return Errorf(EINVALID, "criteria.source_invalid", "code", in.Code).WithField(f + ".source")
		}
		if in.Mandatory {
			mandatory++
		}
	}
	if len(cs.Indicators) == 0 {
		return Errorf(EINVALID, "criteria.no_indicators").WithField("indicators")
	}
	switch cs.Rule {
	case PassAllMandatory:
		if mandatory == 0 {
			return Errorf(EINVALID, "criteria.rule_no_mandatory").WithField("rule")
		}
	case PassAtLeast:
		if cs.RuleMin < 1 || cs.RuleMin > len(cs.Indicators) {
			return Errorf(EINVALID, "criteria.rule_min_invalid", "min", cs.RuleMin, "count", len(cs.Indicators)).WithField("rule_min")
		}
	default:
		return Errorf(EINVALID, "criteria.rule_invalid").WithField("rule")
	}
	return nil
}

// Measure is a value and, for rates and counts, what it was made of.
type Measure struct {
	Known    bool    // false: not computed or entered yet
	Value    float64 // a percent for rates (66.4), a count, or 1/0 for yes/no
	Num, Den int     // for rates: Value = 100 × Num / Den
	Rate     bool
}

// Met says whether a measure reaches a target.
func (t Target) Met(m Measure) bool {
	if !m.Known {
		return false
	}
	const eps = 1e-9
	switch t.Type {
	case TargetMinPercent:
		return m.Value+eps >= t.Min
	case TargetMax:
		return m.Value <= t.Max+eps
	case TargetRange:
		return m.Value+eps >= t.Min && m.Value <= t.Max+eps
	case TargetExists:
		return m.Value >= 1
	case TargetMinCount:
		return m.Value+eps >= t.Min
	}
	return false
}

// Gap is what a measure still lacks: for a rate, how many more of the
// base are needed (Count, of Den); for a count, how many more (or fewer,
// Over) items; for yes/no, Missing. Zero when met.
type Gap struct {
	Count   int
	Over    bool // too many: a maximum or a range's top exceeded
	Missing bool // exists: not yet
}

// GapTo computes the gap between a measure and a target.
func (t Target) GapTo(m Measure) Gap {
	if t.Met(m) {
		return Gap{}
	}
	switch t.Type {
	case TargetMinPercent:
		if m.Rate {
			// The smallest n with 100·n/Den ≥ Min.
			need := int(math.Ceil(t.Min*float64(m.Den)/100 - 1e-9))
			return Gap{Count: max(need-m.Num, 1)}
		}
		return Gap{Count: 1}
	case TargetMax:
		return Gap{Count: int(math.Ceil(m.Value - t.Max)), Over: true}
	case TargetRange:
		if m.Value > t.Max {
			return Gap{Count: int(math.Ceil(m.Value - t.Max)), Over: true}
		}
		return Gap{Count: int(math.Ceil(t.Min - m.Value))}
	case TargetMinCount:
		return Gap{Count: int(math.Ceil(t.Min - m.Value))}
	}
	return Gap{Missing: true}
}

// Passes applies a set's rule to the indicators' results (by code).
func (cs CriteriaSet) Passes(met map[string]bool) bool {
	n := 0
	for _, in := range cs.Indicators {
		if met[in.Code] {
			n++
		} else if cs.Rule == PassAllMandatory && in.Mandatory {
			return false
		}
	}
	if cs.Rule == PassAtLeast {
		return n >= cs.RuleMin
	}
	return true
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
