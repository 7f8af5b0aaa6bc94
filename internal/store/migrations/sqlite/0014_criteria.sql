-- Criteria sets (bộ tiêu chí): groups and indicators with targets and a
-- pass rule, owned by a unit for a period, versioned; and assessments of
-- villages against them, with every value frozen as decided.
CREATE TABLE criteria_sets (
    id           INTEGER PRIMARY KEY,
    owner_id     INTEGER NOT NULL REFERENCES units (id),
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    version      INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft','in_force','retired')),
    rule         TEXT NOT NULL CHECK (rule IN ('all_mandatory','at_least')),
    rule_min     INTEGER NOT NULL DEFAULT 0,
    copied_from  INTEGER REFERENCES criteria_sets (id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    edit_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX criteria_sets_owner ON criteria_sets (owner_id);

CREATE TABLE criteria_groups (
    id        INTEGER PRIMARY KEY,
    set_id    INTEGER NOT NULL REFERENCES criteria_sets (id),
    position  INTEGER NOT NULL,
    code      TEXT NOT NULL,
    name      TEXT NOT NULL,
    UNIQUE (set_id, code)
);

CREATE TABLE indicators (
    id           INTEGER PRIMARY KEY,
    set_id       INTEGER NOT NULL REFERENCES criteria_sets (id),
    position     INTEGER NOT NULL,
    code         TEXT NOT NULL,
    group_code   TEXT NOT NULL,
    name         TEXT NOT NULL,
    explanation  TEXT NOT NULL DEFAULT '',
    target_type  TEXT NOT NULL CHECK (target_type IN ('min_pct','max','range','exists','min_count')),
    target_min   REAL NOT NULL DEFAULT 0,
    target_max   REAL NOT NULL DEFAULT 0,
    mountain_min REAL,
    mountain_max REAL,
    mandatory    BOOLEAN NOT NULL DEFAULT FALSE,
    source       TEXT NOT NULL CHECK (source IN ('computed','entered')),
    computation  TEXT NOT NULL DEFAULT '',
    param        INTEGER NOT NULL DEFAULT 0,
    assumed      BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (set_id, code)
);

CREATE TABLE assessments (
    id             INTEGER PRIMARY KEY,
    set_id         INTEGER NOT NULL REFERENCES criteria_sets (id),
    village_id     INTEGER NOT NULL REFERENCES units (id),
    as_of          TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('draft','submitted','returned','verified','approved')),
    passed         BOOLEAN NOT NULL DEFAULT FALSE,
    mountain       BOOLEAN NOT NULL DEFAULT FALSE,
    decision_no    TEXT NOT NULL DEFAULT '',
    decision_date  TEXT,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (set_id, village_id, as_of)
);
CREATE INDEX assessments_village ON assessments (village_id, as_of);

-- Each indicator's value as decided: computed ones frozen when computed,
-- entered ones with their evidence and verification.
CREATE TABLE assessment_values (
    assessment_id  INTEGER NOT NULL REFERENCES assessments (id),
    indicator_id   INTEGER NOT NULL REFERENCES indicators (id),
    known          BOOLEAN NOT NULL DEFAULT FALSE,
    value          REAL NOT NULL DEFAULT 0,
    num            INTEGER NOT NULL DEFAULT 0,
    den            INTEGER NOT NULL DEFAULT 0,
    met            BOOLEAN NOT NULL DEFAULT FALSE,
    note           TEXT NOT NULL DEFAULT '',
    evidence_id    INTEGER,
    verified       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (assessment_id, indicator_id)
);

-- The records behind a computed value on the assessment date, frozen with
-- it, so a past assessment opens exactly as decided: the ids of those
-- counted and of the rest of the base, comma-separated (one row per value,
-- not one per resident: a province holds thousands of assessments).
CREATE TABLE assessment_rows (
    assessment_id  INTEGER NOT NULL REFERENCES assessments (id),
    indicator_id   INTEGER NOT NULL REFERENCES indicators (id),
    kind           TEXT NOT NULL,
    counted        TEXT NOT NULL DEFAULT '',
    others         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assessment_id, indicator_id)
);

-- Every round: submitted, sent back with a comment, verified, approved.
CREATE TABLE assessment_rounds (
    id             INTEGER PRIMARY KEY,
    assessment_id  INTEGER NOT NULL REFERENCES assessments (id),
    action         TEXT NOT NULL,
    comment        TEXT NOT NULL DEFAULT '',
    by_user        INTEGER,
    done_at        TIMESTAMP NOT NULL
);
CREATE INDEX assessment_rounds_a ON assessment_rounds (assessment_id);

-- Evidence files (minh chứng): re-encoded images or PDFs, size-limited.
CREATE TABLE evidence (
    id             INTEGER PRIMARY KEY,
    assessment_id  INTEGER NOT NULL REFERENCES assessments (id),
    indicator_id   INTEGER NOT NULL REFERENCES indicators (id),
    name           TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    data           BLOB NOT NULL,
    created_by     INTEGER,
    created_at     TIMESTAMP NOT NULL
);

-- The digital-skills rate looks residents up among training attendees.
CREATE INDEX training_attendees_resident ON training_attendees (resident_id);
