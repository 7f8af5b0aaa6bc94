package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// ApplyUnitBatch applies a batch of unit changes in one transaction: it
// adds the units, links, moves, renames and ends it lacks and never
// rewrites what exists (an existing link keeps its own legal act). Every
// problem is collected with its file and row; if there is any, nothing is
// written and *domain.FileErrors is returned.
func (s *Store) ApplyUnitBatch(ctx context.Context, a *domain.Actor, b domain.UnitBatch) (domain.BatchResult, error) {
	return s.ApplyUnitBatches(ctx, a, []domain.UnitBatch{b})
}

type batchRun struct {
	s      *Store
	ctx    context.Context
	tx     *sql.Tx
	b      domain.UnitBatch
	ix     *unitIndex
	errs   domain.FileErrors
	failed map[domain.Pos]bool
	res    domain.BatchResult
	now    any
}

func (s *Store) applyUnitBatch(ctx context.Context, tx *sql.Tx, b domain.UnitBatch) (domain.BatchResult, error) {
	if s.dialect.lockUnits != "" {
		if _, err := tx.ExecContext(ctx, s.dialect.lockUnits); err != nil {
			return domain.BatchResult{}, internal("lock units", err)
		}
	}
	var vcodes []string
	for _, u := range b.Units {
		if u.Level == domain.LevelVillage && u.Code != "" {
			vcodes = append(vcodes, u.Code)
		}
	}
	for _, m := range b.Moves {
		vcodes = append(vcodes, m.Code)
	}
	for _, r := range b.Renames {
		vcodes = append(vcodes, r.Code)
	}
	ix, err := s.loadIndex(ctx, tx, vcodes)
	if err != nil {
		return domain.BatchResult{}, err
	}
	r := &batchRun{s: s, ctx: ctx, tx: tx, b: b, ix: ix, now: s.now(), failed: map[domain.Pos]bool{}}
	steps := []func() error{r.units, r.renames, r.links, r.moves, r.abolish, r.ends, r.checkOverlaps, r.adoptOrphans, r.moveTeams}
	// Every step runs even after a row failed, so that one import reports
	// all its problems; nothing is kept: the caller rolls back.
	for _, step := range steps {
		if err := step(); err != nil {
			return domain.BatchResult{}, err
		}
	}
	if len(r.errs.Rows) > 0 {
		sort.SliceStable(r.errs.Rows, func(i, j int) bool {
			a, b := r.errs.Rows[i], r.errs.Rows[j]
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Row < b.Row
		})
		return domain.BatchResult{}, &r.errs
	}
	return r.res, nil
}

func (r *batchRun) fail(p domain.Pos, e *domain.Error) {
	r.errs.Add(p.File, p.Row, e)
	if p.Row > 0 {
		r.failed[p] = true
	}
}

// skip reports whether an earlier step already failed this row, so that
// one mistake is reported once, not again by every later step.
func (r *batchRun) skip(p domain.Pos) bool { return p.Row > 0 && r.failed[p] }

func (r *batchRun) act(a string) string {
	if a != "" {
		return a
	}
	return r.b.LegalAct
}

// units creates the units the database lacks, level by level so that
// parents exist before their children.
func (r *batchRun) units() error {
	byLevel := map[domain.Level][]domain.NewUnit{}
	for _, u := range r.b.Units {
		byLevel[u.Level] = append(byLevel[u.Level], u)
	}
	for _, u := range r.b.Units {
		if !u.Level.Valid() {
			r.fail(u.Pos, domain.Errorf(domain.EINVALID, "unit.level_invalid", "level", string(u.Level)))
		}
	}
	for _, lv := range []domain.Level{domain.LevelProvince, domain.LevelDistrict, domain.LevelCommune, domain.LevelVillage} {
		if err := r.unitsAt(lv, byLevel[lv]); err != nil {
			return err
		}
	}
	return nil
}

type pendingUnit struct {
	u      domain.NewUnit
	name   string
	parent *span
}

func (r *batchRun) unitsAt(lv domain.Level, list []domain.NewUnit) error {
	var todo []pendingUnit
	seen := map[string]domain.Pos{}
	for _, u := range list {
		name := textvi.Normalize(u.Name)
		u.Code = strings.TrimSpace(u.Code)
		if u.Code == "" && lv != domain.LevelVillage {
			r.fail(u.Pos, domain.Errorf(domain.EINVALID, "unit.code_missing").WithField("code"))
			continue
		}
		if name == "" {
			r.fail(u.Pos, domain.Errorf(domain.EINVALID, "unit.name_missing", "code", u.Code).WithField("name"))
			continue
		}
		if !u.ValidTo.IsZero() && !u.ValidFrom.IsZero() && u.ValidTo.Before(u.ValidFrom) {
			r.fail(u.Pos, domain.Errorf(domain.EINVALID, "unit.end_before_start", "code", u.Code, "from", u.ValidFrom, "to", u.ValidTo))
			continue
		}
		at := u.ValidFrom
		if at.IsZero() {
			at = u.ResolveAt
		}
		if u.Code != "" {
			key := u.Code + "@" + u.ValidFrom.String()
			if p, dup := seen[key]; dup {
				r.fail(u.Pos, domain.Errorf(domain.EINVALID, "unit.code_duplicate", "code", u.Code, "date", at, "other_row", p.Row))
				continue
			}
			seen[key] = u.Pos
			var have *span
			if u.ValidFrom.IsZero() {
				have = r.ix.at(u.Code, lv, at)
			} else {
				have = r.ix.exact(u.Code, lv, u.ValidFrom)
			}
			if have != nil {
				r.res.UnitsSkipped++
				continue
			}
		}
		var parent *span
		if lv != domain.LevelProvince || u.ParentCode != "" {
			if u.ParentCode == "" {
				r.fail(u.Pos, domain.Errorf(domain.EINVALID, "unit.parent_missing", "code", u.Code).WithField("parent_code"))
				continue
			}
			parent = r.ix.at(u.ParentCode, "", at)
			if parent == nil || parent.level.Rank() >= lv.Rank() {
				r.fail(u.Pos, domain.Errorf(domain.EINVALID, "unit.parent_unknown", "code", u.Code, "parent", u.ParentCode, "date", at).WithField("parent_code"))
				continue
			}
		}
		if u.ValidFrom.IsZero() && u.ValidTo.IsZero() && u.Code != "" {
			// A snapshot unit whose code a later unit of the same level
			// already carries must have ended the day before that one began.
			if later := r.ix.nextStart(u.Code, lv, at); later != nil {
				u.ValidTo = later.from.AddDays(-1)
			}
		}
		todo = append(todo, pendingUnit{u: u, name: name, parent: parent})
	}
	if len(todo) == 0 || len(r.errs.Rows) > 0 {
		return nil
	}
	if lv == domain.LevelVillage {
		if err := r.assignVillageCodes(todo); err != nil {
			return err
		}
	}
	rows := make([][]any, len(todo))
	for i, p := range todo {
		tw := p.u.TypeWord
		if tw == "" {
			tw, _ = domain.SplitTypeWord(p.name)
		}
		var slug any
		if lv == domain.LevelVillage {
			slug = p.u.Slug
		}
		rows[i] = []any{p.u.Code, string(lv), tw, p.u.ValidFrom, p.u.ValidTo, slug, r.now}
	}
	ids, err := r.s.insertMany(r.ctx, r.tx, "units", []string{"code", "level", "type_word", "valid_from", "valid_to", "slug", "created_at"}, rows, true)
	if err != nil {
		return err
	}
	names := make([][]any, 0, len(todo))
	parents := make([][]any, 0, len(todo))
	var slugs [][]any
	for _, p := range todo {
		id := ids[p.u.Code+"@"+p.u.ValidFrom.String()]
		sp := &span{id: id, code: p.u.Code, level: lv, from: p.u.ValidFrom, to: p.u.ValidTo, added: true, pos: p.u.Pos}
		r.ix.put(sp)
		r.res.AddedIDs = append(r.res.AddedIDs, id)
		names = append(names, []any{id, p.name, textvi.Fold(p.name), p.u.ValidFrom, nil})
		if p.parent != nil {
			parents = append(parents, []any{id, p.parent.id, p.u.ValidFrom, nil})
		}
		if lv == domain.LevelVillage {
			slugs = append(slugs, []any{p.u.Slug, id, r.now})
		}
	}
	if _, err := r.s.insertMany(r.ctx, r.tx, "unit_names", []string{"unit_id", "name", "name_fold", "valid_from", "valid_to"}, names, false); err != nil {
		return err
	}
	if _, err := r.s.insertMany(r.ctx, r.tx, "unit_parents", []string{"unit_id", "parent_id", "valid_from", "valid_to"}, parents, false); err != nil {
		return err
	}
	if _, err := r.s.insertMany(r.ctx, r.tx, "unit_slugs", []string{"slug", "unit_id", "created_at"}, slugs, false); err != nil {
		return err
	}
	r.res.UnitsAdded += len(todo)
	return nil
}

// assignVillageCodes gives new villages their permanent system code and a
// public slug (CONVENTIONS.md: the name without its type word; on a clash
// the commune is added, then the province).
func (r *batchRun) assignVillageCodes(todo []pendingUnit) error {
	taken := map[string]bool{}
	for i := range todo {
		p := &todo[i]
		if p.u.Code == "" {
			n, err := r.s.nextCounter(r.ctx, r.tx, "village_code")
			if err != nil {
				return err
			}
			p.u.Code = fmt.Sprintf("T%06d", n)
		}
		if p.u.Slug == "" {
			slug, err := r.s.freeSlug(r.ctx, r.tx, p.name, p.parent.id, p.u.ValidFrom, taken)
			if err != nil {
				return err
			}
			p.u.Slug = slug
		}
		taken[p.u.Slug] = true
	}
	return nil
}

// links records "old became new" and ends each old unit the day before.
func (r *batchRun) links() error {
	type key struct{ from, to int64 }
	have := map[key]string{} // existing links and their legal act
	rs, err := r.tx.QueryContext(r.ctx, "SELECT from_id, to_id, legal_act FROM unit_links")
	if err != nil {
		return internal("load links", err)
	}
	for rs.Next() {
		var k key
		var act string
		if err := rs.Scan(&k.from, &k.to, &act); err != nil {
			rs.Close()
			return internal("load links", err)
		}
		have[k] = act
	}
	rs.Close()
	var fill []key
	var fillActs []string
	var rows [][]any
	ends := map[domain.Date][]int64{}
	for _, l := range r.b.Links {
		if r.skip(l.Pos) {
			continue
		}
		if !l.Kind.Valid() {
			r.fail(l.Pos, domain.Errorf(domain.EINVALID, "unit.link_kind_invalid", "kind", string(l.Kind)))
			continue
		}
		if l.Effective.IsZero() {
			r.fail(l.Pos, domain.Errorf(domain.EINVALID, "unit.effective_missing").WithField("effective_date"))
			continue
		}
		eve := l.Effective.AddDays(-1)
		from := r.ix.at(l.FromCode, l.FromLevel, eve)
		if from == nil {
			r.fail(l.Pos, domain.Errorf(domain.EINVALID, "unit.not_found_on", "code", l.FromCode, "date", eve).WithField("old_code"))
			continue
		}
		to := r.ix.at(l.ToCode, l.ToLevel, l.Effective)
		if to == nil || to == from {
			r.fail(l.Pos, domain.Errorf(domain.EINVALID, "unit.merge_target_missing", "code", l.ToCode, "date", l.Effective).WithField("new_code"))
			continue
		}
		if !from.to.IsZero() && !from.to.Equal(eve) {
			r.fail(l.Pos, domain.Errorf(domain.EINVALID, "unit.already_ended", "code", l.FromCode, "date", from.to))
			continue
		}
		if !from.from.IsZero() && eve.Before(from.from) {
			r.fail(l.Pos, domain.Errorf(domain.EINVALID, "unit.end_before_start", "code", l.FromCode, "from", from.from, "to", eve))
			continue
		}
		k := key{from.id, to.id}
		if old, ok := have[k]; ok {
			// An existing link is never rewritten; only a missing legal
			// act is filled in, which adds and overwrites nothing.
			if act := r.act(l.LegalAct); old == "" && act != "" {
				fill = append(fill, k)
				fillActs = append(fillActs, act)
				have[k] = act
			} else {
				r.res.LinksSkipped++
			}
			continue
		}
		have[k] = r.act(l.LegalAct)
		rows = append(rows, []any{from.id, to.id, string(l.Kind), l.Effective, r.act(l.LegalAct), r.now})
		if from.to.IsZero() {
			from.to = eve
			ends[eve] = append(ends[eve], from.id)
		}
	}
	if len(r.errs.Rows) > 0 {
		return nil
	}
	if _, err := r.s.insertMany(r.ctx, r.tx, "unit_links", []string{"from_id", "to_id", "kind", "effective", "legal_act", "created_at"}, rows, false); err != nil {
		return err
	}
	r.res.LinksAdded += len(rows)
	for i, k := range fill {
		if _, err := r.tx.ExecContext(r.ctx, "UPDATE unit_links SET legal_act = $1 WHERE from_id = $2 AND to_id = $3 AND legal_act = ''", fillActs[i], k.from, k.to); err != nil {
			return internal("fill legal act", err)
		}
	}
	r.res.ActsFilled += len(fill)
	return r.endUnits(ends)
}

// endUnits sets valid_to on units that are still open, in few statements.
func (r *batchRun) endUnits(ends map[domain.Date][]int64) error {
	for d, ids := range ends {
		for start := 0; start < len(ids); start += 500 {
			part := ids[start:min(start+500, len(ids))]
			args := []any{d}
			ph := make([]string, len(part))
			for i, id := range part {
				args = append(args, id)
				ph[i] = r.s.dialect.param(i + 2)
			}
			q := "UPDATE units SET valid_to = " + r.s.dialect.param(1) + " WHERE valid_to IS NULL AND id IN (" + strings.Join(ph, ",") + ")"
			if _, err := r.tx.ExecContext(r.ctx, q, args...); err != nil {
				return internal("end units", err)
			}
		}
		r.res.UnitsEnded += len(ids)
		r.res.EndedIDs = append(r.res.EndedIDs, ids...)
	}
	return nil
}

// moves gives units a new parent from a date; identity stays.
func (r *batchRun) moves() error {
	for _, m := range r.b.Moves {
		if r.skip(m.Pos) {
			continue
		}
		u := r.ix.at(m.Code, m.Level, m.Effective)
		if u == nil {
			r.fail(m.Pos, domain.Errorf(domain.EINVALID, "unit.not_found_on", "code", m.Code, "date", m.Effective).WithField("code"))
			continue
		}
		np := r.ix.at(m.ParentCode, "", m.Effective)
		if np == nil || np.level.Rank() >= u.level.Rank() {
			r.fail(m.Pos, domain.Errorf(domain.EINVALID, "unit.parent_unknown", "code", m.Code, "parent", m.ParentCode, "date", m.Effective).WithField("parent_code"))
			continue
		}
		moved, err := r.s.moveUnit(r.ctx, r.tx, u.id, np.id, m.Effective, r.act(m.LegalAct), "")
		if de, ok := domain.AsError(err); ok {
			r.fail(m.Pos, de)
			continue
		}
		if err != nil {
			return err
		}
		if moved {
			r.res.MovesAdded++
			r.res.EventsAdded++
		}
	}
	return nil
}

// moveUnit closes the unit's parent row the day before eff and opens one
// under parentID; false when it is already there.
func (s *Store) moveUnit(ctx context.Context, tx *sql.Tx, unitID, parentID int64, eff domain.Date, act, detail string) (bool, error) {
	var cur sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT parent_id FROM unit_parents WHERE unit_id = $1
		AND (valid_from IS NULL OR valid_from <= $2) AND (valid_to IS NULL OR valid_to >= $2)`, unitID, eff).Scan(&cur)
	if err != nil && err != sql.ErrNoRows {
		return false, internal("move unit", err)
	}
	if cur.Valid && cur.Int64 == parentID {
		return false, nil
	}
	var later int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM unit_parents WHERE unit_id = $1 AND valid_from >= $2", unitID, eff).Scan(&later); err != nil {
		return false, internal("move unit", err)
	}
	if later > 0 {
		// A move on or before one already recorded would leave two parents
		// at once: history is never rewritten; refuse.
		return false, domain.Errorf(domain.EINVALID, "unit.move_conflict", "date", eff)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE unit_parents SET valid_to = $1 WHERE unit_id = $2
		AND (valid_to IS NULL OR valid_to >= $3) AND (valid_from IS NULL OR valid_from < $3)`, eff.AddDays(-1), unitID, eff); err != nil {
		return false, internal("move unit", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO unit_parents (unit_id, parent_id, valid_from, valid_to) VALUES ($1, $2, $3, NULL)`, unitID, parentID, eff); err != nil {
		return false, internal("move unit", err)
	}
	if err := s.addEvent(ctx, tx, unitID, domain.EventMove, eff, act, detail, parentID); err != nil {
		return false, err
	}
	return true, nil
}

func (s *Store) addEvent(ctx context.Context, q querier, unitID int64, kind domain.EventKind, on domain.Date, act, detail string, other int64) error {
	var o any
	if other != 0 {
		o = other
	}
	_, err := q.ExecContext(ctx, `INSERT INTO unit_events (unit_id, kind, on_date, legal_act, detail, other_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, unitID, string(kind), on, act, detail, o, s.now())
	return internal("add event", err)
}

// ends dissolves units (not merged into another): valid_to is the day
// before, and their duties pass to DutiesTo, recorded as a link and events.
func (r *batchRun) ends() error {
	ends := map[domain.Date][]int64{}
	for _, e := range r.b.Ends {
		if r.skip(e.Pos) {
			continue
		}
		eve := e.Effective.AddDays(-1)
		u := r.ix.at(e.Code, e.Level, eve)
		if u == nil {
			r.fail(e.Pos, domain.Errorf(domain.EINVALID, "unit.not_found_on", "code", e.Code, "date", eve).WithField("code"))
			continue
		}
		if !u.to.IsZero() {
			continue // already ended (merged, or dissolved before)
		}
		if !u.from.IsZero() && eve.Before(u.from) {
			r.fail(e.Pos, domain.Errorf(domain.EINVALID, "unit.end_before_start", "code", e.Code, "from", u.from, "to", eve))
			continue
		}
		var heir *span
		if e.DutiesTo != "" {
			heir = r.ix.at(e.DutiesTo, "", e.Effective)
			if heir == nil {
				r.fail(e.Pos, domain.Errorf(domain.EINVALID, "unit.merge_target_missing", "code", e.DutiesTo, "date", e.Effective))
				continue
			}
		}
		u.to = eve
		ends[eve] = append(ends[eve], u.id)
		act := r.act(e.LegalAct)
		var heirID int64
		if heir != nil {
			heirID = heir.id
			if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO unit_links (from_id, to_id, kind, effective, legal_act, created_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, u.id, heir.id, string(domain.LinkDissolve), e.Effective, act, r.now); err != nil {
				return internal("dissolve", err)
			}
			r.res.LinksAdded++
			if err := r.s.addEvent(r.ctx, r.tx, heir.id, domain.EventDutyTransfer, e.Effective, act, "", u.id); err != nil {
				return err
			}
			r.res.EventsAdded++
		}
		if err := r.s.addEvent(r.ctx, r.tx, u.id, domain.EventDissolve, e.Effective, act, "", heirID); err != nil {
			return err
		}
		r.res.EventsAdded++
	}
	if len(r.errs.Rows) > 0 {
		return nil
	}
	return r.endUnits(ends)
}

// renames gives units a new name from a date on.
func (r *batchRun) renames() error {
	for _, rn := range r.b.Renames {
		if r.skip(rn.Pos) {
			continue
		}
		name := textvi.Normalize(rn.Name)
		if name == "" {
			r.fail(rn.Pos, domain.Errorf(domain.EINVALID, "unit.name_missing", "code", rn.Code).WithField("name"))
			continue
		}
		u := r.ix.at(rn.Code, rn.Level, rn.Effective)
		if u == nil {
			r.fail(rn.Pos, domain.Errorf(domain.EINVALID, "unit.not_found_on", "code", rn.Code, "date", rn.Effective).WithField("code"))
			continue
		}
		done, err := r.s.renameUnit(r.ctx, r.tx, u.id, u.level, name, rn.Effective, r.act(rn.LegalAct))
		if de, ok := domain.AsError(err); ok {
			r.fail(rn.Pos, de)
			continue
		}
		if err != nil {
			return err
		}
		if done {
			r.res.EventsAdded++
		}
	}
	return nil
}

func (s *Store) renameUnit(ctx context.Context, tx *sql.Tx, id int64, lv domain.Level, name string, eff domain.Date, act string) (bool, error) {
	var cur string
	err := tx.QueryRowContext(ctx, `SELECT name FROM unit_names WHERE unit_id = $1 AND (valid_from IS NULL OR valid_from <= $2)
		ORDER BY COALESCE(valid_from, '0000-01-01') DESC LIMIT 1`, id, eff).Scan(&cur)
	if err != nil && err != sql.ErrNoRows {
		return false, internal("rename", err)
	}
	if cur == name {
		return false, nil
	}
	var later int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM unit_names WHERE unit_id = $1 AND valid_from >= $2", id, eff).Scan(&later); err != nil {
		return false, internal("rename", err)
	}
	if later > 0 {
		return false, domain.Errorf(domain.EINVALID, "unit.rename_conflict", "date", eff)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE unit_names SET valid_to = $1 WHERE unit_id = $2 AND valid_to IS NULL`, eff.AddDays(-1), id); err != nil {
		return false, internal("rename", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO unit_names (unit_id, name, name_fold, valid_from, valid_to) VALUES ($1, $2, $3, $4, NULL)`,
		id, name, textvi.Fold(name), eff); err != nil {
		return false, internal("rename", err)
	}
	if lv == domain.LevelVillage {
		var parent int64
		_ = tx.QueryRowContext(ctx, `SELECT parent_id FROM unit_parents WHERE unit_id = $1 AND (valid_to IS NULL OR valid_to >= $2)
			ORDER BY COALESCE(valid_from, '0000-01-01') DESC LIMIT 1`, id, eff).Scan(&parent)
		slug, err := s.freeSlug(ctx, tx, name, parent, eff, nil)
		if err != nil {
			return false, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE units SET slug = $1 WHERE id = $2`, slug, id); err != nil {
			return false, internal("rename", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO unit_slugs (slug, unit_id, created_at) VALUES ($1, $2, $3)`, slug, id, s.now()); err != nil {
			return false, internal("rename", err)
		}
	}
	return true, s.addEvent(ctx, tx, id, domain.EventRename, eff, act, cur+" → "+name, 0)
}

// checkOverlaps refuses a batch that leaves two units with the same code
// and level live on the same date.
func (r *batchRun) checkOverlaps() error {
	codes := make([]string, 0)
	for c, spans := range r.ix.byCode {
		for _, sp := range spans {
			if sp.added {
				codes = append(codes, c)
				break
			}
		}
	}
	sort.Strings(codes)
	for _, c := range codes {
		if a, b := r.ix.overlaps(c); a != nil {
			p := b.pos
			if !b.added {
				p = a.pos
			}
			d := b.from
			if d.IsZero() {
				d = a.from
			}
			r.fail(p, domain.Errorf(domain.EINVALID, "unit.code_overlap", "code", c, "date", d))
		}
	}
	return nil
}

// adoptOrphans moves the children of units that ended while the child
// lives on: to the single successor the parent was merged into whole, or
// else lists them for review (a partial merge needs an officer to decide).
func (r *batchRun) adoptOrphans() error {
	rs, err := r.tx.QueryContext(r.ctx, `SELECT p.unit_id, p.parent_id, par.valid_to
		FROM unit_parents p JOIN units par ON par.id = p.parent_id JOIN units c ON c.id = p.unit_id
		WHERE p.valid_to IS NULL AND par.valid_to IS NOT NULL AND (c.valid_to IS NULL OR c.valid_to > par.valid_to)`)
	if err != nil {
		return internal("orphans", err)
	}
	type orphan struct {
		child, parent int64
		end           domain.Date
	}
	var list []orphan
	for rs.Next() {
		var o orphan
		if err := rs.Scan(&o.child, &o.parent, &o.end); err != nil {
			rs.Close()
			return internal("orphans", err)
		}
		list = append(list, o)
	}
	rs.Close()
	for _, o := range list {
		eff := o.end.AddDays(1)
		heirs, act, err := r.heirs(o.parent, eff, "'merge_full', 'rename', 'move'")
		if err != nil {
			return err
		}
		if len(heirs) != 1 {
			var code string
			_ = r.tx.QueryRowContext(r.ctx, "SELECT code FROM units WHERE id = $1", o.child).Scan(&code)
			r.res.Review = append(r.res.Review, code)
			continue
		}
		moved, err := r.s.moveUnit(r.ctx, r.tx, o.child, heirs[0], eff, act, "")
		if _, ok := domain.AsError(err); ok {
			var code string
			_ = r.tx.QueryRowContext(r.ctx, "SELECT code FROM units WHERE id = $1", o.child).Scan(&code)
			r.res.Review = append(r.res.Review, code)
			continue
		}
		if err != nil {
			return err
		}
		if moved {
			r.res.MovesAdded++
			r.res.EventsAdded++
		}
	}
	return nil
}

// abolish turns each Abolition into dissolutions of the units of that
// level still open on the eve, with duties to their parent's successor.
func (r *batchRun) abolish() error {
	for _, a := range r.b.Abolish {
		eve := a.Effective.AddDays(-1)
		// One join, not a subquery per unit: PostgreSQL has no statistics
		// yet for rows this transaction just wrote and plans those badly.
		rs, err := r.tx.QueryContext(r.ctx, `SELECT u.code, COALESCE(h.code, '')
			FROM units u JOIN unit_parents p ON p.unit_id = u.id AND `+live("p", 2)+`
			LEFT JOIN unit_links l ON l.from_id = p.parent_id AND l.effective = $3 AND l.kind = 'merge_full'
			LEFT JOIN units h ON h.id = l.to_id
			WHERE u.level = $1 AND u.valid_to IS NULL AND (u.valid_from IS NULL OR u.valid_from <= $2)
			ORDER BY u.code, h.code`, string(a.Level), eve, a.Effective)
		if err != nil {
			return internal("abolish", err)
		}
		last := ""
		for rs.Next() {
			var code, heir string
			if err := rs.Scan(&code, &heir); err != nil {
				rs.Close()
				return internal("abolish", err)
			}
			if code == last {
				continue
			}
			last = code
			r.b.Ends = append(r.b.Ends, domain.NewEnd{Pos: a.Pos, Code: code, Level: a.Level, Effective: a.Effective, LegalAct: a.LegalAct, DutiesTo: heir})
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return internal("abolish", err)
		}
	}
	return nil
}

// ApplyUnitBatches applies several batches (the files of one import) in
// one transaction, in order: all of them or none.
// It is one audit entry (a bulk operation) listing the ids it created or
// ended.
func (s *Store) ApplyUnitBatches(ctx context.Context, a *domain.Actor, bs []domain.UnitBatch) (domain.BatchResult, error) {
	var total domain.BatchResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var sources []string
		for _, b := range bs {
			sources = append(sources, b.Source)
			r, err := s.applyUnitBatch(ctx, tx, b)
			if err != nil {
				return err
			}
			total.UnitsAdded += r.UnitsAdded
			total.UnitsEnded += r.UnitsEnded
			total.LinksAdded += r.LinksAdded
			total.MovesAdded += r.MovesAdded
			total.EventsAdded += r.EventsAdded
			total.UnitsSkipped += r.UnitsSkipped
			total.LinksSkipped += r.LinksSkipped
			total.ActsFilled += r.ActsFilled
			total.Review = append(total.Review, r.Review...)
			total.AddedIDs = append(total.AddedIDs, r.AddedIDs...)
			total.EndedIDs = append(total.EndedIDs, r.EndedIDs...)
		}
		if !total.Changed() {
			return nil
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "import", Entity: "units", EntityID: strings.Join(sources, ", "),
			Changes: []Change{Plain("added", "", joinIDs(total.AddedIDs)), Plain("ended", "", joinIDs(total.EndedIDs)),
				Plain("links", "", strconv.Itoa(total.LinksAdded)), Plain("moves", "", strconv.Itoa(total.MovesAdded))}})
	})
	return total, err
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// moveTeams passes the community team of a commune merged whole into one
// successor to that successor on the merge date (CONVENTIONS.md), recorded
// as an event on the successor; nothing is copied.
func (r *batchRun) moveTeams() error {
	if len(r.errs.Rows) > 0 {
		return nil
	}
	rs, err := r.tx.QueryContext(r.ctx, `SELECT tu.team_id, tu.unit_id, u.valid_to, t.name FROM team_units tu
		JOIN units u ON u.id = tu.unit_id JOIN teams t ON t.id = tu.team_id
		WHERE tu.valid_to IS NULL AND u.valid_to IS NOT NULL`)
	if err != nil {
		return internal("move teams", err)
	}
	type move struct {
		team, unit int64
		end        domain.Date
		name       string
	}
	var moves []move
	for rs.Next() {
		var m move
		if err := rs.Scan(&m.team, &m.unit, &m.end, &m.name); err != nil {
			rs.Close()
			return internal("move teams", err)
		}
		moves = append(moves, m)
	}
	rs.Close()
	for _, m := range moves {
		eff := m.end.AddDays(1)
		heirs, _, err := r.heirs(m.unit, eff, "'merge_full'")
		if err != nil {
			return err
		}
		if len(heirs) != 1 {
			continue
		}
		if _, err := r.tx.ExecContext(r.ctx, "UPDATE team_units SET valid_to = $1 WHERE team_id = $2 AND unit_id = $3 AND valid_to IS NULL", m.end, m.team, m.unit); err != nil {
			return internal("move teams", err)
		}
		if _, err := r.tx.ExecContext(r.ctx, "INSERT INTO team_units (team_id, unit_id, valid_from, valid_to) VALUES ($1, $2, $3, NULL)", m.team, heirs[0], eff); err != nil {
			return internal("move teams", err)
		}
		if err := r.s.addEvent(r.ctx, r.tx, heirs[0], domain.EventTeamTransfer, eff, "", m.name, m.unit); err != nil {
			return err
		}
		r.res.EventsAdded++
	}
	return nil
}

// heirs lists the units a unit became on eff by links of the given kinds
// (a SQL list of quoted constants), with the legal act of the last one.
func (r *batchRun) heirs(from int64, eff domain.Date, kinds string) ([]int64, string, error) {
	rs, err := r.tx.QueryContext(r.ctx, "SELECT to_id, legal_act FROM unit_links WHERE from_id = $1 AND effective = $2 AND kind IN ("+kinds+")", from, eff)
	if err != nil {
		return nil, "", internal("heirs", err)
	}
	defer rs.Close()
	var out []int64
	var act string
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id, &act); err != nil {
			return nil, "", internal("heirs", err)
		}
		out = append(out, id)
	}
	return out, act, rs.Err()
}
