-- Units of the administrative tree, effective-dated (CONVENTIONS.md).
CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province','district','commune','village')),
    type_word   TEXT NOT NULL DEFAULT '',
    valid_from  TEXT,
    valid_to    TEXT,
    slug        TEXT UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to)
);
CREATE INDEX units_code ON units (code);

CREATE TABLE unit_names (
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    name        TEXT NOT NULL,
    name_fold   TEXT NOT NULL,
    valid_from  TEXT,
    valid_to    TEXT
);
CREATE INDEX unit_names_unit ON unit_names (unit_id);
CREATE INDEX unit_names_fold ON unit_names (name_fold);

CREATE TABLE unit_parents (
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    parent_id   INTEGER NOT NULL REFERENCES units (id),
    valid_from  TEXT,
    valid_to    TEXT
);
CREATE INDEX unit_parents_unit ON unit_parents (unit_id);
CREATE INDEX unit_parents_parent ON unit_parents (parent_id);

CREATE TABLE unit_links (
    id          INTEGER PRIMARY KEY,
    from_id     INTEGER NOT NULL REFERENCES units (id),
    to_id       INTEGER NOT NULL REFERENCES units (id),
    kind        TEXT NOT NULL,
    effective   TEXT NOT NULL,
    legal_act   TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (from_id, to_id)
);
CREATE INDEX unit_links_to ON unit_links (to_id);

CREATE TABLE unit_events (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    kind        TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    legal_act   TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    other_id    INTEGER REFERENCES units (id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX unit_events_unit ON unit_events (unit_id);

-- Every slug a village ever had, so old ones keep resolving.
CREATE TABLE unit_slugs (
    slug        TEXT PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE counters (
    name        TEXT PRIMARY KEY,
    value       INTEGER NOT NULL
);

-- Villages enrolled in the smart-village model.
CREATE TABLE enrolments (
    id          INTEGER PRIMARY KEY,
    village_id  INTEGER NOT NULL REFERENCES units (id),
    enrolled_on TEXT NOT NULL,
    ended_on    TEXT,
    decision    TEXT NOT NULL DEFAULT '',
    by_unit_id  INTEGER REFERENCES units (id),
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (village_id, enrolled_on)
);

CREATE TABLE meta (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);
