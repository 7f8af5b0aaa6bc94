package store

import (
	"context"

	"thonso/internal/domain"
)

// VillageRow is one village's line of a unit's report: its commune (as the
// report reads the tree), whether it is a smart village, its team's
// members and its figures on the date. A village's facts never move, so
// they are the same whichever reading the report uses.
type VillageRow struct {
	Village          domain.Unit
	Commune          string // the commune's name on the tree's date
	Smart            bool
	TeamMembers      int
	Dossiers         int
	PracticeDossiers int
	Figures          Figures
}

// VillageRows computes a VillageRow for each village (as VillagesUnder
// lists them), calling progress after each: a province has thousands.
func (s *Store) VillageRows(ctx context.Context, villages []domain.Unit, at domain.Date, current bool, progress func(done int)) ([]VillageRow, error) {
	tree := at
	if current {
		tree = domain.DateOf(s.now())
	}
	out := make([]VillageRow, 0, len(villages))
	for i, v := range villages {
		r := VillageRow{Village: v}
		var commune *string
		err := s.r.QueryRowContext(ctx, `SELECT
			EXISTS (SELECT 1 FROM enrolments e WHERE e.village_id = $1 AND e.enrolled_on <= $2 AND (e.ended_on IS NULL OR e.ended_on >= $2)),
			(SELECT `+nameOn("$3")+` FROM unit_parents p JOIN units u ON u.id = p.parent_id WHERE p.unit_id = $1 AND `+live("p", 3)+` LIMIT 1)`,
			v.ID, at, tree).Scan(&r.Smart, &commune)
		if err != nil {
			return nil, internal("village rows", err)
		}
		if commune != nil {
			r.Commune = *commune
		}
		if r.TeamMembers, _, err = s.memberCounts(ctx, v.ID, at, at); err != nil {
			return nil, err
		}
		c, err := s.CountDossiers(ctx, v.ID, at, false)
		if err != nil {
			return nil, err
		}
		r.Dossiers, r.PracticeDossiers = c.Residents, c.Practice
		if r.Figures, err = s.figuresOn(ctx, v.ID, at, at); err != nil {
			return nil, err
		}
		out = append(out, r)
		if progress != nil {
			progress(i + 1)
		}
	}
	return out, nil
}
