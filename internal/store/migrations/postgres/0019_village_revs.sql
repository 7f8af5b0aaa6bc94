-- Pre-aggregated unit statistics (#10): every write to the facts a
-- village's figures are computed from gives the village a new random
-- revision in the same transaction, by trigger, so every write path
-- (web, API, sync, imports, batch loads, restore) is caught. Stats keeps
-- each village's figures computed for every date (step functions) keyed
-- by its revision and recomputes a village only when its revision
-- changed: the aggregates are current inside the write transaction.
-- Every unit has a row (facts point at villages, but the live queries
-- count any unit's). Row 0 is the revision of what all villages share (days off, processing
-- days). A revision is random, never a counter, so a database reset or
-- restored under a running server never repeats one. Inserts and deletes
-- (the bulk loads) bump once per statement from the transition tables;
-- updates once per row, only when a column that counts changes.
CREATE TABLE village_revs (
    village_id  BIGINT PRIMARY KEY,
    rev         BIGINT NOT NULL
);

CREATE FUNCTION village_rev_random() RETURNS BIGINT LANGUAGE sql VOLATILE AS
$$ SELECT (floor((random() - 0.5) * 9.2e18))::BIGINT # (floor(random() * 4.2e9))::BIGINT $$;

CREATE FUNCTION village_revs_bump(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO village_revs (village_id, rev)
    SELECT x.v, village_rev_random() FROM (SELECT DISTINCT v FROM unnest(ids) AS v WHERE v IS NOT NULL) x
    ON CONFLICT (village_id) DO UPDATE SET rev = EXCLUDED.rev
$$;

INSERT INTO village_revs (village_id, rev) SELECT id, village_rev_random() FROM units;
INSERT INTO village_revs (village_id, rev) VALUES (0, village_rev_random());
INSERT INTO village_revs (village_id, rev) VALUES (-1, village_rev_random());

-- Statement triggers over the new or old rows.
CREATE FUNCTION village_revs_units_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY(SELECT id FROM new_rows) || ARRAY[-1::BIGINT]); RETURN NULL; END $$;
CREATE TRIGGER village_revs_unit AFTER INSERT ON units REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_units_new();

CREATE FUNCTION village_revs_residents_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY(SELECT village_id FROM new_rows UNION
    SELECT h.village_id FROM new_rows r JOIN households h ON h.id = r.household_id)); RETURN NULL; END $$;
CREATE FUNCTION village_revs_residents_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY(SELECT village_id FROM old_rows UNION
    SELECT h.village_id FROM old_rows r JOIN households h ON h.id = r.household_id)); RETURN NULL; END $$;
CREATE TRIGGER village_revs_resident_ins AFTER INSERT ON residents REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_residents_new();
CREATE TRIGGER village_revs_resident_del AFTER DELETE ON residents REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_residents_old();

CREATE FUNCTION village_revs_villages_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY(SELECT village_id FROM new_rows)); RETURN NULL; END $$;
CREATE FUNCTION village_revs_villages_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY(SELECT village_id FROM old_rows)); RETURN NULL; END $$;
CREATE TRIGGER village_revs_household_ins AFTER INSERT ON households REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_villages_new();
CREATE TRIGGER village_revs_household_del AFTER DELETE ON households REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_villages_old();
CREATE TRIGGER village_revs_dossier_ins AFTER INSERT ON dossiers REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_villages_new();
CREATE TRIGGER village_revs_dossier_del AFTER DELETE ON dossiers REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_villages_old();

CREATE FUNCTION village_revs_steps_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY(SELECT DISTINCT d.village_id FROM new_rows s JOIN dossiers d ON d.id = s.dossier_id)); RETURN NULL; END $$;
CREATE FUNCTION village_revs_steps_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY(SELECT DISTINCT d.village_id FROM old_rows s JOIN dossiers d ON d.id = s.dossier_id)); RETURN NULL; END $$;
CREATE TRIGGER village_revs_step_ins AFTER INSERT ON dossier_steps REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_steps_new();
CREATE TRIGGER village_revs_step_del AFTER DELETE ON dossier_steps REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_steps_old();

-- Row triggers for updates of the columns that count.
CREATE FUNCTION village_revs_resident_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY[NEW.village_id, OLD.village_id,
    (SELECT h.village_id FROM households h WHERE h.id = NEW.household_id),
    (SELECT h.village_id FROM households h WHERE h.id = OLD.household_id)]); RETURN NULL; END $$;
CREATE TRIGGER village_revs_resident_upd AFTER UPDATE OF village_id, household_id, birth_date, moved_in, left_on, account_since, smartphone_since, bank_since
ON residents FOR EACH ROW EXECUTE FUNCTION village_revs_resident_upd();

CREATE FUNCTION village_revs_village_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY[NEW.village_id, OLD.village_id]); RETURN NULL; END $$;
CREATE TRIGGER village_revs_household_upd AFTER UPDATE OF village_id, bank_since, zalo_since
ON households FOR EACH ROW EXECUTE FUNCTION village_revs_village_upd();
CREATE TRIGGER village_revs_dossier_upd AFTER UPDATE OF village_id, procedure_id, practice, portal, state, received_on
ON dossiers FOR EACH ROW EXECUTE FUNCTION village_revs_village_upd();

CREATE FUNCTION village_revs_step_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY(SELECT d.village_id FROM dossiers d WHERE d.id IN (NEW.dossier_id, OLD.dossier_id))); RETURN NULL; END $$;
CREATE TRIGGER village_revs_step_upd AFTER UPDATE OF dossier_id, to_state, on_date
ON dossier_steps FOR EACH ROW EXECUTE FUNCTION village_revs_step_upd();

-- Shared by every unit: days off and procedures (which dossiers are
-- overdue, the names of the breakdown).
CREATE FUNCTION village_revs_shared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY[0::BIGINT]); RETURN NULL; END $$;
CREATE TRIGGER village_revs_days_off AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON days_off
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_shared();
CREATE TRIGGER village_revs_procedures AFTER INSERT OR DELETE OR TRUNCATE ON procedures
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_shared();
CREATE TRIGGER village_revs_procedure_upd AFTER UPDATE ON procedures
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_shared();

-- Row -1 is the revision of the tree (units and their dated parents):
-- which units lie under which on a date is kept between reads.
CREATE FUNCTION village_revs_tree() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY[-1::BIGINT]); RETURN NULL; END $$;
CREATE TRIGGER village_revs_units_tree AFTER UPDATE OR DELETE OR TRUNCATE ON units
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_tree();
CREATE TRIGGER village_revs_parents_tree AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_parents
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_tree();
