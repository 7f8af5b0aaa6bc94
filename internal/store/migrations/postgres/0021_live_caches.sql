-- Two caches that stay exact without a query per read (#10).
--
-- 1. The public pages: bump_public_version also notifies the channel
-- thonso_public, so every app server that LISTENs learns at commit that
-- its rendered pages are stale, and a cache hit needs no round trip to
-- the database (store/public_watch.go). NOTIFY folds the identical
-- notifications of one transaction into one.
CREATE OR REPLACE FUNCTION bump_public_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
    ON CONFLICT (name) DO UPDATE SET value = counters.value + 1;
    PERFORM pg_notify('thonso_public', '');
    RETURN NULL;
END $$;

-- 2. The unit statistics: row -2 of village_revs is the revision of the
-- small tables the figures read besides the summaries — enrolments,
-- teams, their units and members, assessments. Stats keeps them in
-- memory while it holds (store/aggregate_teams.go), so a province's
-- figures read no table of them. A new random value in the same
-- transaction as any change, as for rows 0 and -1 (migration 0019).
INSERT INTO village_revs (village_id, rev) VALUES (-2, village_rev_random()) ON CONFLICT (village_id) DO NOTHING;
CREATE FUNCTION village_revs_teams() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM village_revs_bump(ARRAY[-2::BIGINT]); RETURN NULL; END $$;
CREATE TRIGGER village_revs_enrolments AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON enrolments
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_teams();
CREATE TRIGGER village_revs_teams AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON teams
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_teams();
CREATE TRIGGER village_revs_team_units AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON team_units
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_teams();
CREATE TRIGGER village_revs_team_members AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON team_members
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_teams();
CREATE TRIGGER village_revs_assessments AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assessments
FOR EACH STATEMENT EXECUTE FUNCTION village_revs_teams();
