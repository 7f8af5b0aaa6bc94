-- A resident's village is its household's (#10, P3 on PostgreSQL). One
-- foreign key on (household_id, village_id) says so, where two keys said
-- less: that the household and the village each existed. Every insert of
-- a resident checked both, a quarter of a bulk load's COPY; one check now
-- covers both (the village through households.village_id) and refuses a
-- resident filed under another village's household, which the app never
-- writes and nothing stopped before. The residents' statement triggers
-- need no join with households any more: the village is on the row.
CREATE UNIQUE INDEX households_id_village ON households (id, village_id);
ALTER TABLE residents ADD CONSTRAINT residents_household_village_fkey
    FOREIGN KEY (household_id, village_id) REFERENCES households (id, village_id) NOT VALID;
ALTER TABLE residents VALIDATE CONSTRAINT residents_household_village_fkey;
ALTER TABLE residents DROP CONSTRAINT residents_household_id_fkey;
ALTER TABLE residents DROP CONSTRAINT residents_village_id_fkey;

CREATE OR REPLACE FUNCTION village_revs_residents_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY(SELECT DISTINCT village_id FROM new_rows)); RETURN NULL; END $$;
CREATE OR REPLACE FUNCTION village_revs_residents_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY(SELECT DISTINCT village_id FROM old_rows)); RETURN NULL; END $$;
