-- Two caches that stay exact without a query per read (#10).
--
-- 1. The public pages: nothing here. SQLite cannot tell another process
-- (thonso import, restore) that it wrote; every commit of any process
-- rewrites the WAL-index header in the -shm file, which a cache hit reads
-- (store/public_watch.go) before it asks for the public version again;
-- PostgreSQL's migration adds a notification.
--
-- 2. The unit statistics: row -2 of village_revs is the revision of the
-- small tables the figures read besides the summaries — enrolments,
-- teams, their units and members, assessments. Stats keeps them in
-- memory while it holds (store/aggregate_teams.go), so a province's
-- figures read no table of them. A new random value in the same
-- transaction as any change, as for rows 0 and -1 (migration 0019).
INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO NOTHING;
CREATE TRIGGER village_revs_enrolments_ins AFTER INSERT ON enrolments BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_enrolments_upd AFTER UPDATE ON enrolments BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_enrolments_del AFTER DELETE ON enrolments BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_teams_ins AFTER INSERT ON teams BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_teams_upd AFTER UPDATE ON teams BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_teams_del AFTER DELETE ON teams BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_team_units_ins AFTER INSERT ON team_units BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_team_units_upd AFTER UPDATE ON team_units BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_team_units_del AFTER DELETE ON team_units BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_team_members_ins AFTER INSERT ON team_members BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_team_members_upd AFTER UPDATE ON team_members BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_team_members_del AFTER DELETE ON team_members BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_assessments_ins AFTER INSERT ON assessments BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_assessments_upd AFTER UPDATE ON assessments BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_assessments_del AFTER DELETE ON assessments BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-2, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
