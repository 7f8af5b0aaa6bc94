-- The row triggers that give a village a new revision when a resident or
-- household is updated fire only when a column that counts changes value
-- (#10, P3): `AFTER UPDATE OF col` fires whenever col is in the SET list,
-- and an update writes every column, so a re-import of an updated file
-- upserted the village's revision once per row.
DROP TRIGGER village_revs_resident_upd;
CREATE TRIGGER village_revs_resident_upd AFTER UPDATE OF village_id, household_id, birth_date, moved_in, left_on, account_since, smartphone_since, bank_since ON residents
WHEN OLD.village_id IS NOT NEW.village_id OR OLD.household_id IS NOT NEW.household_id OR OLD.birth_date IS NOT NEW.birth_date
    OR OLD.moved_in IS NOT NEW.moved_in OR OLD.left_on IS NOT NEW.left_on OR OLD.account_since IS NOT NEW.account_since
    OR OLD.smartphone_since IS NOT NEW.smartphone_since OR OLD.bank_since IS NOT NEW.bank_since BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (NEW.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
    INSERT INTO village_revs (village_id, rev) VALUES (OLD.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
DROP TRIGGER village_revs_resident_hh_upd;
CREATE TRIGGER village_revs_resident_hh_upd AFTER UPDATE OF village_id, household_id, birth_date, moved_in, left_on, bank_since ON residents
WHEN OLD.village_id IS NOT NEW.village_id OR OLD.household_id IS NOT NEW.household_id OR OLD.birth_date IS NOT NEW.birth_date
    OR OLD.moved_in IS NOT NEW.moved_in OR OLD.left_on IS NOT NEW.left_on OR OLD.bank_since IS NOT NEW.bank_since BEGIN
    INSERT INTO village_revs (village_id, rev) SELECT h.village_id, random() FROM households h WHERE h.id IN (NEW.household_id, OLD.household_id)
    ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
DROP TRIGGER village_revs_household_upd;
CREATE TRIGGER village_revs_household_upd AFTER UPDATE OF village_id, bank_since, zalo_since ON households
WHEN OLD.village_id IS NOT NEW.village_id OR OLD.bank_since IS NOT NEW.bank_since OR OLD.zalo_since IS NOT NEW.zalo_since BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (NEW.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
    INSERT INTO village_revs (village_id, rev) VALUES (OLD.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
