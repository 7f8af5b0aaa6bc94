package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

const residentCols = `r.id, r.household_id, r.village_id, r.full_name, r.birth_date, r.year_only, r.sex, COALESCE(r.phone, ''), COALESCE(r.cccd, ''),
	r.relation, r.moved_in, r.left_on, COALESCE(r.left_reason, ''), r.smartphone_since, r.smartphone_helped, r.vneid_since, r.vneid_helped,
	r.portal_since, r.portal_helped, r.bank_since, r.bank_helped, r.erased_on, r.version`

func scanResident(sc interface{ Scan(...any) error }, extra ...any) (domain.Resident, error) {
	var r domain.Resident
	dest := []any{&r.ID, &r.HouseholdID, &r.VillageID, &r.FullName, &r.BirthDate, &r.YearOnly, &r.Sex, &r.Phone, &r.CCCD,
		&r.Relation, &r.MovedIn, &r.LeftOn, &r.LeftReason, &r.Smartphone.Since, &r.Smartphone.Helped, &r.VNeID.Since, &r.VNeID.Helped,
		&r.Portal.Since, &r.Portal.Helped, &r.PersonalBank.Since, &r.PersonalBank.Helped, &r.ErasedOn, &r.Version}
	err := sc.Scan(append(dest, extra...)...)
	return r, err
}

// residentArgs are the stored columns of r, in residentWriteCols order.
const residentWriteCols = `household_id, village_id, full_name, name_fold, sort_key, sort_full, birth_date, year_only, sex, phone, cccd, relation, moved_in, left_on,
	left_reason, smartphone_since, smartphone_helped, vneid_since, vneid_helped, portal_since, portal_helped, account_since, bank_since, bank_helped`

func residentArgs(r domain.Resident, col *textvi.Collator) []any {
	return appendResidentArgs(make([]any, 0, 24), r, textvi.Fold(r.FullName), col)
}

// appendResidentArgs appends residentArgs to dst, with the name already
// folded (a bulk load folds it once per row for its key too).
func appendResidentArgs(dst []any, r domain.Resident, fold string, col *textvi.Collator) []any {
	var phone, cccd, reason any
	if r.Phone != "" {
		phone = r.Phone
	}
	if r.CCCD != "" {
		cccd = r.CCCD
	}
	if r.LeftReason != "" {
		reason = string(r.LeftReason)
	}
	return append(dst, r.HouseholdID, r.VillageID, r.FullName, fold, col.PersonSortKey(r.FullName), col.SortKey(r.FullName), r.BirthDate, r.YearOnly, string(r.Sex),
		phone, cccd, string(r.Relation), r.MovedIn, r.LeftOn, reason, r.Smartphone.Since, r.Smartphone.Helped, r.VNeID.Since, r.VNeID.Helped,
		r.Portal.Since, r.Portal.Helped, r.Account().Since, r.PersonalBank.Since, r.PersonalBank.Helped)
}

// normalizeResident puts a resident's text in its stored form.
func normalizeResident(r *domain.Resident) error {
	r.FullName = textvi.Normalize(r.FullName)
	p, err := domain.ParsePhone(r.Phone)
	if err != nil {
		return err
	}
	r.Phone = p
	r.CCCD = strings.Map(func(c rune) rune {
		if c == ' ' || c == '.' {
			return -1
		}
		return c
	}, r.CCCD)
	return nil
}

// CreateResident adds a resident to a household of a village in the
// actor's resident:edit scope. Personal values go to the audit only as
// "changed".
func (s *Store) CreateResident(ctx context.Context, a *domain.Actor, r domain.Resident) (domain.Resident, error) {
	if err := normalizeResident(&r); err != nil {
		return r, err
	}
	h, err := s.Household(ctx, a.Scope(domain.PermResidentEdit), r.HouseholdID)
	if err != nil {
		return r, err
	}
	r.VillageID = h.VillageID
	if err := r.Validate(domain.DateOf(s.now())); err != nil {
		return r, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.cccdFree(ctx, tx, r.CCCD, 0); err != nil {
			return err
		}
		var err error
		r.ID, err = s.insertResident(ctx, tx, r, textvi.NewCollator())
		if err != nil {
			return err
		}
		r.Version = 1
		if r.Relation == "chu_ho" {
			if _, err := tx.ExecContext(ctx, "UPDATE households SET head_id = $1 WHERE id = $2", r.ID, r.HouseholdID); err != nil {
				return internal("household head", err)
			}
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "resident", EntityID: strconv.FormatInt(r.ID, 10), UnitID: r.VillageID,
			Changes: diffResident(domain.Resident{}, r)})
	})
	return r, err
}

func (s *Store) insertResident(ctx context.Context, tx *sql.Tx, r domain.Resident, col *textvi.Collator) (int64, error) {
	args := append(residentArgs(r, col), s.now())
	ph := make([]string, len(args))
	for i := range args {
		ph[i] = "$" + strconv.Itoa(i+1)
	}
	n := len(args)
	var id int64
	err := tx.QueryRowContext(ctx, "INSERT INTO residents ("+residentWriteCols+", created_at, updated_at, version) VALUES ("+
		strings.Join(ph, ", ")+", $"+strconv.Itoa(n)+", 1) RETURNING id", args...).Scan(&id)
	return id, internal("insert resident", err)
}

// cccdFree returns ECONFLICT when another resident has the CCCD.
func (s *Store) cccdFree(ctx context.Context, q querier, cccd string, self int64) error {
	if cccd == "" {
		return nil
	}
	var other int64
	err := q.QueryRowContext(ctx, "SELECT id FROM residents WHERE cccd = $1 AND id <> $2", cccd, self).Scan(&other)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return internal("cccd", err)
	}
	return domain.Errorf(domain.ECONFLICT, "cccd.duplicate", "other", other).WithField("cccd")
}

// UpdateResident changes a resident read at r.Version; a stale version is
// ECONFLICT record.stale.
func (s *Store) UpdateResident(ctx context.Context, a *domain.Actor, r domain.Resident) (domain.Resident, error) {
	if err := normalizeResident(&r); err != nil {
		return r, err
	}
	old, err := s.Resident(ctx, a.Scope(domain.PermResidentEdit), r.ID)
	if err != nil {
		return r, err
	}
	if r.HouseholdID != old.HouseholdID {
		h, err := s.Household(ctx, a.Scope(domain.PermResidentEdit), r.HouseholdID)
		if err != nil {
			return r, err
		}
		r.VillageID = h.VillageID
	} else {
		r.VillageID = old.VillageID
	}
	if err := r.Validate(domain.DateOf(s.now())); err != nil {
		return r, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.cccdFree(ctx, tx, r.CCCD, r.ID); err != nil {
			return err
		}
		if err := s.updateResident(ctx, tx, r, textvi.NewCollator()); err != nil {
			return err
		}
		r.Version++
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "resident", EntityID: strconv.FormatInt(r.ID, 10), UnitID: r.VillageID,
			Changes: diffResident(old, r)})
	})
	return r, err
}

func (s *Store) updateResident(ctx context.Context, tx *sql.Tx, r domain.Resident, col *textvi.Collator) error {
	res, err := tx.ExecContext(ctx, updateResidentSQL(), updateResidentArgs(r, col, s.now())...)
	if err != nil {
		return internal("update resident", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return domain.Errorf(domain.ECONFLICT, "record.stale")
	}
	return nil
}

// updateResidentSQL updates every stored column of a resident at the
// version read (updateResidentArgs), moving the version on.
func updateResidentSQL() string {
	cols := strings.Split(strings.Join(strings.Fields(residentWriteCols), ""), ",")
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = $" + strconv.Itoa(i+1)
	}
	n := len(cols)
	return "UPDATE residents SET " + strings.Join(sets, ", ") + ", updated_at = $" + strconv.Itoa(n+1) +
		", version = version + 1 WHERE id = $" + strconv.Itoa(n+2) + " AND version = $" + strconv.Itoa(n+3)
}

func updateResidentArgs(r domain.Resident, col *textvi.Collator, now time.Time) []any {
	return append(residentArgs(r, col), now, r.ID, r.Version)
}

// diffResident lists what changed, personal values only as "changed".
func diffResident(a, b domain.Resident) []Change {
	var out []Change
	personal := func(f string, x, y string) {
		if x != y {
			out = append(out, Personal(f))
		}
	}
	plain := func(f string, x, y string) {
		if x != y {
			out = append(out, Plain(f, x, y))
		}
	}
	personal("full_name", a.FullName, b.FullName)
	personal("birth", a.BirthDate.String(), b.BirthDate.String())
	personal("phone", a.Phone, b.Phone)
	personal("cccd", a.CCCD, b.CCCD)
	personal("sex", string(a.Sex), string(b.Sex))
	plain("household_id", idText(a.HouseholdID), idText(b.HouseholdID))
	plain("relation", string(a.Relation), string(b.Relation))
	plain("moved_in", a.MovedIn.String(), b.MovedIn.String())
	plain("left_on", a.LeftOn.String(), b.LeftOn.String())
	plain("left_reason", string(a.LeftReason), string(b.LeftReason))
	plain("smartphone_since", a.Smartphone.Since.String(), b.Smartphone.Since.String())
	plain("vneid_since", a.VNeID.Since.String(), b.VNeID.Since.String())
	plain("portal_since", a.Portal.Since.String(), b.Portal.Since.String())
	plain("bank_since", a.PersonalBank.Since.String(), b.PersonalBank.Since.String())
	return out
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// Resident reads one resident within scope (ENOTFOUND outside it).
func (s *Store) Resident(ctx context.Context, scope domain.Scope, id int64) (domain.Resident, error) {
	r, err := scanResident(s.r.QueryRowContext(ctx, "SELECT "+residentCols+" FROM residents r WHERE r.id = $1", id))
	if err == sql.ErrNoRows {
		return r, domain.Errorf(domain.ENOTFOUND, "resident.not_found")
	}
	if err != nil {
		return r, internal("resident", err)
	}
	return r, s.inScope(ctx, scope, r.VillageID, "resident.not_found")
}

// ResidentQuery filters a list of residents.
type ResidentQuery struct {
	VillageID   int64
	HouseholdID int64
	Q           string // name, accents optional; or a household number; or a phone
	CCCD        string // only with resident:view_pii (the caller checks)
	At          domain.Date
	WithLeft    bool // include those who moved away or died before At
	ByFullName  bool // sort by the full name as written, not given name first
	After       string
	Limit       int
}

// Residents lists residents within scope in Vietnamese order (given name,
// then full name); next is the cursor of the following page.
func (s *Store) Residents(ctx context.Context, scope domain.Scope, q ResidentQuery) ([]domain.Resident, string, error) {
	if scope.Empty() {
		return nil, "", nil
	}
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 200
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	where := []string{"1=1"}
	if !scope.All {
		where = append(where, "r.village_id IN "+subtree(scope, arg))
	}
	if q.VillageID != 0 {
		where = append(where, "r.village_id = "+arg(q.VillageID))
	}
	if q.HouseholdID != 0 {
		where = append(where, "r.household_id = "+arg(q.HouseholdID))
	}
	if t := strings.TrimSpace(q.Q); t != "" {
		cond := []string{"r.name_fold LIKE " + arg("%"+escapeLike(textvi.Fold(t))+"%") + " ESCAPE '\\'"}
		// Correlated with the resident's village, so the unique index
		// (village_id, number) answers it; uncorrelated it read every
		// household of the country (1.4 s at 10 M residents, docs/scale.md).
		cond = append(cond, "r.household_id IN (SELECT h.id FROM households h WHERE h.village_id = r.village_id AND h.number = "+arg(textvi.Normalize(t))+")")
		if p, err := domain.ParsePhone(t); err == nil && p != "" {
			cond = append(cond, "r.phone = "+arg(p))
		}
		where = append(where, "("+strings.Join(cond, " OR ")+")")
	}
	if q.CCCD != "" {
		where = append(where, "r.cccd = "+arg(strings.ReplaceAll(q.CCCD, " ", "")))
	}
	if !q.WithLeft && !q.At.IsZero() {
		d := arg(q.At)
		where = append(where, "r.birth_date <= "+d+" AND (r.moved_in IS NULL OR r.moved_in <= "+d+") AND (r.left_on IS NULL OR r.left_on > "+d+")")
	}
	sortCol := "r.sort_key"
	if q.ByFullName {
		sortCol = "r.sort_full"
	}
	if key, idText, ok := strings.Cut(q.After, "#"); ok {
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil {
			return nil, "", domain.Errorf(domain.EINVALID, "api.cursor_invalid").WithField("cursor")
		}
		k, i := arg(key), arg(id)
		where = append(where, "("+sortCol+" > "+k+" OR ("+sortCol+" = "+k+" AND r.id > "+i+"))")
	} else if q.After != "" {
		return nil, "", domain.Errorf(domain.EINVALID, "api.cursor_invalid").WithField("cursor")
	}
	rs, err := s.r.QueryContext(ctx, "SELECT "+residentCols+", "+sortCol+" FROM residents r WHERE "+strings.Join(where, " AND ")+
		" ORDER BY "+sortCol+", r.id LIMIT "+arg(q.Limit+1), args...)
	if err != nil {
		return nil, "", internal("residents", err)
	}
	defer rs.Close()
	var out []domain.Resident
	var keys []string
	for rs.Next() {
		var key string
		r, err := scanResident(rs, &key)
		if err != nil {
			return nil, "", internal("residents", err)
		}
		out = append(out, r)
		keys = append(keys, key+"#"+strconv.FormatInt(r.ID, 10))
	}
	next := ""
	if len(out) > q.Limit {
		out = out[:q.Limit]
		next = keys[q.Limit-1]
	}
	return out, next, rs.Err()
}
