-- The row triggers that give a village a new revision when a resident or
-- household is updated fire only when a column that counts changes value
-- (#10, P3). `AFTER UPDATE OF col` fires whenever col is in the SET list,
-- and an update writes every column: a re-import of an updated file
-- (every row matched, a phone changed) ran the trigger, and upserted the
-- same village's revision, once per row. WHEN is tested without calling
-- the function.
DROP TRIGGER village_revs_resident_upd ON residents;
CREATE TRIGGER village_revs_resident_upd AFTER UPDATE OF village_id, household_id, birth_date, moved_in, left_on, account_since, smartphone_since, bank_since
ON residents FOR EACH ROW
WHEN (OLD.village_id IS DISTINCT FROM NEW.village_id OR OLD.household_id IS DISTINCT FROM NEW.household_id
    OR OLD.birth_date IS DISTINCT FROM NEW.birth_date OR OLD.moved_in IS DISTINCT FROM NEW.moved_in
    OR OLD.left_on IS DISTINCT FROM NEW.left_on OR OLD.account_since IS DISTINCT FROM NEW.account_since
    OR OLD.smartphone_since IS DISTINCT FROM NEW.smartphone_since OR OLD.bank_since IS DISTINCT FROM NEW.bank_since)
EXECUTE FUNCTION village_revs_resident_upd();

DROP TRIGGER village_revs_household_upd ON households;
CREATE TRIGGER village_revs_household_upd AFTER UPDATE OF village_id, bank_since, zalo_since
ON households FOR EACH ROW
WHEN (OLD.village_id IS DISTINCT FROM NEW.village_id OR OLD.bank_since IS DISTINCT FROM NEW.bank_since
    OR OLD.zalo_since IS DISTINCT FROM NEW.zalo_since)
EXECUTE FUNCTION village_revs_village_upd();
