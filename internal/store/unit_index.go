package store

import (
	"context"
	"sort"
	"strings"

	"thonso/internal/domain"
)

// span is one unit's identity and life, held in memory while a batch is
// applied so that codes resolve at dates without a query per row.
type span struct {
	id       int64
	code     string
	level    domain.Level
	from, to domain.Date
	added    bool // created by the batch being applied
	pos      domain.Pos
}

func (sp *span) liveOn(d domain.Date) bool { return d.Within(sp.from, sp.to) }

type unitIndex struct {
	byCode map[string][]*span
	byID   map[int64]*span
}

// loadIndex reads every unit above village level, and the villages whose
// codes the batch names.
func (s *Store) loadIndex(ctx context.Context, q querier, villageCodes []string) (*unitIndex, error) {
	ix := &unitIndex{byCode: map[string][]*span{}, byID: map[int64]*span{}}
	scan := func(query string, args ...any) error {
		rs, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return internal("load units", err)
		}
		defer rs.Close()
		for rs.Next() {
			sp := &span{}
			if err := rs.Scan(&sp.id, &sp.code, &sp.level, &sp.from, &sp.to); err != nil {
				return internal("load units", err)
			}
			ix.put(sp)
		}
		return rs.Err()
	}
	if err := scan("SELECT id, code, level, valid_from, valid_to FROM units WHERE level <> 'village'"); err != nil {
		return nil, err
	}
	for start := 0; start < len(villageCodes); start += 500 {
		part := villageCodes[start:min(start+500, len(villageCodes))]
		ph := make([]string, len(part))
		args := make([]any, len(part))
		for i, c := range part {
			ph[i] = s.dialect.param(i + 1)
			args[i] = c
		}
		if err := scan("SELECT id, code, level, valid_from, valid_to FROM units WHERE level = 'village' AND code IN ("+strings.Join(ph, ",")+")", args...); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

func (ix *unitIndex) put(sp *span) {
	ix.byCode[sp.code] = append(ix.byCode[sp.code], sp)
	if sp.id != 0 {
		ix.byID[sp.id] = sp
	}
}

// at resolves code at d; level "" accepts any. Where several units carry
// the code on d (an old one not yet ended by this batch and its new
// namesake), the one that started last wins.
func (ix *unitIndex) at(code string, level domain.Level, d domain.Date) *span {
	var best *span
	for _, sp := range ix.byCode[code] {
		if level != "" && sp.level != level {
			continue
		}
		if !sp.liveOn(d) {
			continue
		}
		if best == nil || startsAfter(sp, best) {
			best = sp
		}
	}
	return best
}

func startsAfter(a, b *span) bool {
	if a.from.IsZero() {
		return false
	}
	if b.from.IsZero() {
		return true
	}
	return a.from.After(b.from)
}

// exact finds the unit with code and level that starts on from (an open
// start matches an open start).
func (ix *unitIndex) exact(code string, level domain.Level, from domain.Date) *span {
	for _, sp := range ix.byCode[code] {
		if sp.level == level && sp.from == from {
			return sp
		}
	}
	return nil
}

// overlaps returns a pair of units that share code and level on some date.
func (ix *unitIndex) overlaps(code string) (a, b *span) {
	spans := append([]*span(nil), ix.byCode[code]...)
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].level != spans[j].level {
			return spans[i].level < spans[j].level
		}
		return startsAfter(spans[j], spans[i])
	})
	for i := 1; i < len(spans); i++ {
		p, c := spans[i-1], spans[i]
		if p.level != c.level {
			continue
		}
		if p.to.IsZero() || c.from.IsZero() || !c.from.After(p.to) {
			return p, c
		}
	}
	return nil, nil
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// nextStart returns the unit with code and level that starts first after d.
func (ix *unitIndex) nextStart(code string, level domain.Level, d domain.Date) *span {
	var best *span
	for _, sp := range ix.byCode[code] {
		if sp.level != level || sp.from.IsZero() || !sp.from.After(d) {
			continue
		}
		if best == nil || sp.from.Before(best.from) {
			best = sp
		}
	}
	return best
}
