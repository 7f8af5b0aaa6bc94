-- The village-revision statement triggers plan their join at each run
-- (#10, P3 on PostgreSQL). PL/pgSQL keeps a query's plan for the session;
-- planned while households (or dossiers) were small — the first chunks of
-- a bulk load — the join of the transition table kept scanning the whole
-- table at every later statement, so a million-row import's COPYs grew
-- from ~28 to ~78 ms each (58 s of COPY instead of 35 s). EXECUTE plans
-- each time (a fraction of a millisecond per statement), so the join
-- follows the table's size.
CREATE OR REPLACE FUNCTION village_revs_residents_new() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids BIGINT[];
BEGIN
    EXECUTE 'SELECT ARRAY(SELECT village_id FROM new_rows UNION
        SELECT h.village_id FROM new_rows r JOIN households h ON h.id = r.household_id)' INTO ids;
    PERFORM village_revs_bump(ids);
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION village_revs_residents_old() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids BIGINT[];
BEGIN
    EXECUTE 'SELECT ARRAY(SELECT village_id FROM old_rows UNION
        SELECT h.village_id FROM old_rows r JOIN households h ON h.id = r.household_id)' INTO ids;
    PERFORM village_revs_bump(ids);
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION village_revs_steps_new() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids BIGINT[];
BEGIN
    EXECUTE 'SELECT ARRAY(SELECT DISTINCT d.village_id FROM new_rows s JOIN dossiers d ON d.id = s.dossier_id)' INTO ids;
    PERFORM village_revs_bump(ids);
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION village_revs_steps_old() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids BIGINT[];
BEGIN
    EXECUTE 'SELECT ARRAY(SELECT DISTINCT d.village_id FROM old_rows s JOIN dossiers d ON d.id = s.dossier_id)' INTO ids;
    PERFORM village_revs_bump(ids);
    RETURN NULL;
END $$;
