-- The public pages' data version (#10): every change to what a public
-- village page shows bumps counters.public_version in the same
-- transaction, whoever makes it (any app server, the command line, a
-- restore). Each server keeps rendered pages only while this value is
-- the one they were rendered under, so a change made through one server
-- shows on every other at their next request. The first value is the
-- time in milliseconds, so a database emptied and reloaded never reuses
-- an old version.
-- SQLite has row triggers only; a bulk change bumps once a row.
CREATE TRIGGER units_public_version_i AFTER INSERT ON units BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER units_public_version_u AFTER UPDATE ON units BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER units_public_version_d AFTER DELETE ON units BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_names_public_version_i AFTER INSERT ON unit_names BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_names_public_version_u AFTER UPDATE ON unit_names BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_names_public_version_d AFTER DELETE ON unit_names BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_parents_public_version_i AFTER INSERT ON unit_parents BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_parents_public_version_u AFTER UPDATE ON unit_parents BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_parents_public_version_d AFTER DELETE ON unit_parents BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_slugs_public_version_i AFTER INSERT ON unit_slugs BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_slugs_public_version_u AFTER UPDATE ON unit_slugs BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_slugs_public_version_d AFTER DELETE ON unit_slugs BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_events_public_version_i AFTER INSERT ON unit_events BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_events_public_version_u AFTER UPDATE ON unit_events BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER unit_events_public_version_d AFTER DELETE ON unit_events BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER teams_public_version_i AFTER INSERT ON teams BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER teams_public_version_u AFTER UPDATE ON teams BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER teams_public_version_d AFTER DELETE ON teams BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER team_units_public_version_i AFTER INSERT ON team_units BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER team_units_public_version_u AFTER UPDATE ON team_units BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER team_units_public_version_d AFTER DELETE ON team_units BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER positions_public_version_i AFTER INSERT ON positions BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER positions_public_version_u AFTER UPDATE ON positions BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER positions_public_version_d AFTER DELETE ON positions BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER team_members_public_version_i AFTER INSERT ON team_members BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER team_members_public_version_u AFTER UPDATE ON team_members BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER team_members_public_version_d AFTER DELETE ON team_members BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER duty_slots_public_version_i AFTER INSERT ON duty_slots BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER duty_slots_public_version_u AFTER UPDATE ON duty_slots BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER duty_slots_public_version_d AFTER DELETE ON duty_slots BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER duty_exceptions_public_version_i AFTER INSERT ON duty_exceptions BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER duty_exceptions_public_version_u AFTER UPDATE ON duty_exceptions BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER duty_exceptions_public_version_d AFTER DELETE ON duty_exceptions BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER procedures_public_version_i AFTER INSERT ON procedures BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER procedures_public_version_u AFTER UPDATE ON procedures BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER procedures_public_version_d AFTER DELETE ON procedures BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER featured_procedures_public_version_i AFTER INSERT ON featured_procedures BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER featured_procedures_public_version_u AFTER UPDATE ON featured_procedures BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER featured_procedures_public_version_d AFTER DELETE ON featured_procedures BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER village_profiles_public_version_i AFTER INSERT ON village_profiles BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER village_profiles_public_version_u AFTER UPDATE ON village_profiles BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER village_profiles_public_version_d AFTER DELETE ON village_profiles BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER wifi_points_public_version_i AFTER INSERT ON wifi_points BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER wifi_points_public_version_u AFTER UPDATE ON wifi_points BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER wifi_points_public_version_d AFTER DELETE ON wifi_points BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER village_equipment_public_version_i AFTER INSERT ON village_equipment BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER village_equipment_public_version_u AFTER UPDATE ON village_equipment BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER village_equipment_public_version_d AFTER DELETE ON village_equipment BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER zalo_groups_public_version_i AFTER INSERT ON zalo_groups BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER zalo_groups_public_version_u AFTER UPDATE ON zalo_groups BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER zalo_groups_public_version_d AFTER DELETE ON zalo_groups BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
INSERT INTO counters (name, value) VALUES ('public_version', CAST(julianday('now') * 86400000 AS INTEGER)) ON CONFLICT (name) DO NOTHING;
