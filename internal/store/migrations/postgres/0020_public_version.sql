-- The public pages' data version (#10): every change to what a public
-- village page shows bumps counters.public_version in the same
-- transaction, whoever makes it (any app server, the command line, a
-- restore). Each server keeps rendered pages only while this value is
-- the one they were rendered under, so a change made through one server
-- shows on every other at their next request. The first value is the
-- time in milliseconds, so a database emptied and reloaded never reuses
-- an old version.
CREATE FUNCTION bump_public_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO counters (name, value) VALUES ('public_version', (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
    ON CONFLICT (name) DO UPDATE SET value = counters.value + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER units_public_version AFTER INSERT OR UPDATE OR DELETE ON units FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER unit_names_public_version AFTER INSERT OR UPDATE OR DELETE ON unit_names FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER unit_parents_public_version AFTER INSERT OR UPDATE OR DELETE ON unit_parents FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER unit_slugs_public_version AFTER INSERT OR UPDATE OR DELETE ON unit_slugs FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER unit_events_public_version AFTER INSERT OR UPDATE OR DELETE ON unit_events FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER teams_public_version AFTER INSERT OR UPDATE OR DELETE ON teams FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER team_units_public_version AFTER INSERT OR UPDATE OR DELETE ON team_units FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER positions_public_version AFTER INSERT OR UPDATE OR DELETE ON positions FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER team_members_public_version AFTER INSERT OR UPDATE OR DELETE ON team_members FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER duty_slots_public_version AFTER INSERT OR UPDATE OR DELETE ON duty_slots FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER duty_exceptions_public_version AFTER INSERT OR UPDATE OR DELETE ON duty_exceptions FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER procedures_public_version AFTER INSERT OR UPDATE OR DELETE ON procedures FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER featured_procedures_public_version AFTER INSERT OR UPDATE OR DELETE ON featured_procedures FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER village_profiles_public_version AFTER INSERT OR UPDATE OR DELETE ON village_profiles FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER wifi_points_public_version AFTER INSERT OR UPDATE OR DELETE ON wifi_points FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER village_equipment_public_version AFTER INSERT OR UPDATE OR DELETE ON village_equipment FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER zalo_groups_public_version AFTER INSERT OR UPDATE OR DELETE ON zalo_groups FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
INSERT INTO counters (name, value) VALUES ('public_version', (extract(epoch FROM clock_timestamp()) * 1000)::bigint) ON CONFLICT (name) DO NOTHING;
