package store

import (
	"slices"

	"thonso/internal/domain"
)

// audit writes the load's one audit entry (CONVENTIONS.md: a bulk
// operation is one entry listing the ids it created or changed), on the
// smallest unit holding all its villages today, so the officers of that
// unit and above see it in their trail.
func (b *PeopleBatch) audit(a *domain.Actor) error {
	unit, err := b.commonUnit()
	if err != nil {
		return err
	}
	return b.s.audit(b.ctx, b.tx, a, AuditEntry{Action: "import", Entity: "resident", EntityID: b.opt.Source, UnitID: unit,
		Changes: []Change{Plain("created", "", b.w.createdList()), Plain("updated", "", joinIDs(b.res.ResidentIDs))}})
}

// commonUnit is the lowest unit that is, today, the load's village or an
// ancestor of all its villages; 0 when they share none.
func (b *PeopleBatch) commonUnit() (int64, error) {
	parent := map[int64]int64{}
	if len(b.villages) > 50 {
		// Many villages: every unit's parent today in one query, not one
		// query per unit (a unit without one is asked for below).
		rs, err := b.s.r.QueryContext(b.ctx, "SELECT p.unit_id, p.parent_id FROM unit_parents p WHERE "+live("p", 1), b.today)
		if err != nil {
			return 0, internal("parents", err)
		}
		for rs.Next() {
			var u, p int64
			if err := rs.Scan(&u, &p); err != nil {
				rs.Close()
				return 0, internal("parents", err)
			}
			parent[u] = p
		}
		if err := rs.Close(); err != nil {
			return 0, internal("parents", err)
		}
	}
	var common []int64 // top first
	first := true
	for v := range b.villages {
		chain := []int64{v}
		for u := v; len(chain) < 10; {
			p, ok := parent[u]
			if !ok {
				ref, err := b.s.parentRef(b.ctx, u, b.today)
				if err != nil {
					return 0, err
				}
				if ref != nil {
					p = ref.ID
				}
				parent[u] = p
			}
			if p == 0 {
				break
			}
			chain = append(chain, p)
			u = p
		}
		slices.Reverse(chain)
		if first {
			common, first = chain, false
			continue
		}
		n := 0
		for n < len(common) && n < len(chain) && common[n] == chain[n] {
			n++
		}
		common = common[:n]
	}
	if len(common) == 0 {
		return 0, nil
	}
	return common[len(common)-1], nil
}
