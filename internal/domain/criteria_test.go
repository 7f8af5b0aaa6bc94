package domain

import "testing"

// TestTargets: every target type, at its edges, with the gap it reports.
func TestTargets(t *testing.T) {
	rate := func(num, den int) Measure {
		return Measure{Known: true, Rate: true, Num: num, Den: den, Value: 100 * float64(num) / float64(den)}
	}
	n := func(v float64) Measure { return Measure{Known: true, Value: v} }
	cases := []struct {
		name string
		t    Target
		m    Measure
		met  bool
		gap  Gap
	}{
		{"66,4% of 387 against 90%", Target{Type: TargetMinPercent, Min: 90}, rate(257, 387), false, Gap{Count: 92}},
		{"exactly 90%", Target{Type: TargetMinPercent, Min: 90}, rate(9, 10), true, Gap{}},
		{"one short of 95%", Target{Type: TargetMinPercent, Min: 95}, rate(18, 20), false, Gap{Count: 1}},
		{"entered percent", Target{Type: TargetMinPercent, Min: 50}, n(40), false, Gap{Count: 1}},
		{"range low", Target{Type: TargetRange, Min: 1, Max: 2}, n(0), false, Gap{Count: 1}},
		{"range in", Target{Type: TargetRange, Min: 1, Max: 2}, n(2), true, Gap{}},
		{"range over", Target{Type: TargetRange, Min: 1, Max: 2}, n(3), false, Gap{Count: 1, Over: true}},
		{"max over", Target{Type: TargetMax, Max: 3}, n(5), false, Gap{Count: 2, Over: true}},
		{"max at", Target{Type: TargetMax, Max: 3}, n(3), true, Gap{}},
		{"exists no", Target{Type: TargetExists}, n(0), false, Gap{Missing: true}},
		{"exists yes", Target{Type: TargetExists}, n(1), true, Gap{}},
		{"count short", Target{Type: TargetMinCount, Min: 5}, n(3), false, Gap{Count: 2}},
		{"unknown never meets", Target{Type: TargetMinCount, Min: 0}, Measure{}, false, Gap{Count: 0}},
	}
	for _, c := range cases {
		if got := c.t.Met(c.m); got != c.met {
			t.Errorf("%s: met %v", c.name, got)
		}
		if c.m.Known {
			if got := c.t.GapTo(c.m); got != c.gap {
				t.Errorf("%s: gap %+v, want %+v", c.name, got, c.gap)
			}
		}
	}
}

// TestPassRules: all mandatory, or at least N.
func TestPassRules(t *testing.T) {
	cs := CriteriaSet{Rule: PassAllMandatory, Indicators: []Indicator{{Code: "1", Mandatory: true}, {Code: "2"}, {Code: "3", Mandatory: true}}}
	if !cs.Passes(map[string]bool{"1": true, "3": true}) || cs.Passes(map[string]bool{"1": true, "2": true}) {
		t.Fatal("all mandatory")
	}
	cs.Rule, cs.RuleMin = PassAtLeast, 2
	if !cs.Passes(map[string]bool{"1": true, "2": true}) || cs.Passes(map[string]bool{"3": true}) {
		t.Fatal("at least 2")
	}
}

// TestSetValidation: each refusal names its field.
func TestSetValidation(t *testing.T) {
	known := func(n string) bool { return n == "x" }
	base := func() CriteriaSet {
		return CriteriaSet{Name: "Bộ", From: MustDate("2024-01-01"), To: MustDate("2025-12-31"), Rule: PassAllMandatory,
			Groups: []CriteriaGroup{{Code: "g", Name: "Nhóm"}},
			Indicators: []Indicator{{Code: "1", Group: "g", Name: "A", Target: Target{Type: TargetExists}, Mandatory: true, Source: SourceComputed, Computation: "x"},
				{Code: "2", Group: "g", Name: "B", Target: Target{Type: TargetMinPercent, Min: 90}, Source: SourceEntered}}}
	}
	if err := base().Validate(known); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		mut   func(*CriteriaSet)
		field string
	}{
		"no name":         {func(c *CriteriaSet) { c.Name = " " }, "name"},
		"duplicate":       {func(c *CriteriaSet) { c.Indicators[1].Code = "1" }, "indicators.1.code"},
		"over 100":        {func(c *CriteriaSet) { c.Indicators[1].Target.Min = 101 }, "indicators.1.target"},
		"unknown group":   {func(c *CriteriaSet) { c.Indicators[1].Group = "h" }, "indicators.1.group"},
		"mountain type":   {func(c *CriteriaSet) { c.Indicators[1].Mountain = &Target{Type: TargetMinCount, Min: 1} }, "indicators.1.mountain"},
		"no mandatory":    {func(c *CriteriaSet) { c.Indicators[0].Mandatory = false }, "rule"},
		"at least 3 of 2": {func(c *CriteriaSet) { c.Rule, c.RuleMin = PassAtLeast, 3 }, "rule_min"},
	} {
		cs := base()
		c.mut(&cs)
		if err := cs.Validate(known); ErrorField(err) != c.field {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A mountain commune's own target applies to its villages.
	in := Indicator{Target: Target{Type: TargetMinPercent, Min: 90}, Mountain: &Target{Type: TargetMinPercent, Min: 80}}
	if in.TargetFor(true).Min != 80 || in.TargetFor(false).Min != 90 {
		t.Fatal("mountain target")
	}
}
