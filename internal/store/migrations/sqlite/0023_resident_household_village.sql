-- Nothing on SQLite: PostgreSQL's 0023 replaces the residents' two
-- foreign keys by one on (household_id, village_id). SQLite would have
-- to rebuild the residents table to change a key, and checks its keys
-- once, at the load's commit (defer_foreign_keys), where PostgreSQL
-- checked each row twice. The app writes a resident's village from its
-- household on both engines. Kept so both carry the same schema version.
SELECT 1;
