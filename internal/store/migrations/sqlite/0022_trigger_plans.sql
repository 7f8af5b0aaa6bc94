-- Nothing on SQLite: PostgreSQL's 0022 makes its village-revision
-- statement triggers plan their join at each run; SQLite's are row
-- triggers with no plan kept across statements. Kept so both engines
-- carry the same schema version.
SELECT 1;
