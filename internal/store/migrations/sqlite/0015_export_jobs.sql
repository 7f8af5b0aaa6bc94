-- Exports of a unit's report that run in the background (#9): a province,
-- or a unit with many villages. The row is the job's whole state, so any
-- app server can show its progress and serve the file; only the user who
-- asked sees it. A job left running by a server that stopped is marked
-- failed (its heartbeat, updated_at, goes stale).
CREATE TABLE export_jobs (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    unit_code   TEXT NOT NULL,
    unit_name   TEXT NOT NULL,
    at          TEXT NOT NULL,
    current     BOOLEAN NOT NULL DEFAULT FALSE,
    format      TEXT NOT NULL CHECK (format IN ('xlsx','pdf','csv')),
    lang        TEXT NOT NULL DEFAULT 'vi',
    status      TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','done','failed')),
    done        INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL DEFAULT 0,
    file_name   TEXT NOT NULL DEFAULT '',
    file        BLOB,
    error       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX export_jobs_status ON export_jobs (status, id);
CREATE INDEX export_jobs_user ON export_jobs (user_id);
