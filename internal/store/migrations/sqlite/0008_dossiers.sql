-- Assisted online dossiers and every step they went through.
CREATE TABLE dossiers (
    id                   INTEGER PRIMARY KEY,
    village_id           INTEGER NOT NULL REFERENCES units (id),
    procedure_id         INTEGER NOT NULL REFERENCES procedures (id),
    applicant_id         INTEGER REFERENCES residents (id),
    applicant_name       TEXT NOT NULL,
    applicant_phone      TEXT,
    subject_name         TEXT NOT NULL DEFAULT '',
    practice             BOOLEAN NOT NULL DEFAULT FALSE,
    member_id            INTEGER REFERENCES team_members (id),
    session_log_id       INTEGER REFERENCES session_logs (id),
    portal               TEXT NOT NULL,
    portal_code          TEXT,
    lookup_code          TEXT NOT NULL UNIQUE,
    state                TEXT NOT NULL,
    received_on          TEXT NOT NULL,
    submitted_on         TEXT,
    collected_on         TEXT,
    returned_on          TEXT,
    ended_on             TEXT,
    last_step_on         TEXT NOT NULL,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX dossiers_village ON dossiers (village_id, received_on);
CREATE UNIQUE INDEX dossiers_portal_code ON dossiers (portal, portal_code) WHERE portal_code IS NOT NULL;

CREATE TABLE dossier_steps (
    id          INTEGER PRIMARY KEY,
    dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    by_user     INTEGER,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX dossier_steps_dossier ON dossier_steps (dossier_id);
