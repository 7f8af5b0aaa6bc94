-- Digital-technology teams of villages and communes, their members, the
-- duty schedule with exceptions and the personal calendar feeds.
CREATE TABLE teams (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('village','community')),
    name           TEXT NOT NULL,
    decision_no    TEXT NOT NULL DEFAULT '',
    decision_date  TEXT,
    started_on     TEXT,
    ended_on       TEXT,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

-- The unit a team belongs to, dated: a community team passes to the
-- successor commune when its commune is merged; a village team stays.
CREATE TABLE team_units (
    team_id     INTEGER NOT NULL REFERENCES teams (id),
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    valid_from  TEXT,
    valid_to    TEXT
);
CREATE INDEX team_units_team ON team_units (team_id);
CREATE INDEX team_units_unit ON team_units (unit_id);

CREATE TABLE positions (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    builtin  BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE team_members (
    id            INTEGER PRIMARY KEY,
    team_id       INTEGER NOT NULL REFERENCES teams (id),
    resident_id   INTEGER REFERENCES residents (id),
    full_name     TEXT NOT NULL,
    phone         TEXT,
    role          TEXT NOT NULL CHECK (role IN ('leader','deputy','member')),
    position      TEXT NOT NULL DEFAULT '',
    joined_on     TEXT NOT NULL,
    left_on       TEXT,
    phone_public  BOOLEAN NOT NULL DEFAULT FALSE,
    consent_on    TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX team_members_team ON team_members (team_id);

CREATE TABLE duty_slots (
    id           INTEGER PRIMARY KEY,
    team_id      INTEGER NOT NULL REFERENCES teams (id),
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_min    INTEGER NOT NULL,
    end_min      INTEGER NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    valid_from   TEXT,
    valid_to     TEXT,
    every_weeks  INTEGER NOT NULL DEFAULT 1,
    anchor       TEXT,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX duty_slots_team ON duty_slots (team_id);

CREATE TABLE duty_exceptions (
    id          INTEGER PRIMARY KEY,
    team_id     INTEGER NOT NULL REFERENCES teams (id),
    kind        TEXT NOT NULL CHECK (kind IN ('cancel','move','add')),
    slot_id     INTEGER REFERENCES duty_slots (id),
    on_date     TEXT NOT NULL,
    to_date     TEXT,
    start_min   INTEGER NOT NULL DEFAULT 0,
    end_min     INTEGER NOT NULL DEFAULT 0,
    place       TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX duty_exceptions_team ON duty_exceptions (team_id);

-- Which members are on duty in a slot, in rotation order.
CREATE TABLE duty_roster (
    slot_id    INTEGER NOT NULL REFERENCES duty_slots (id),
    member_id  INTEGER NOT NULL REFERENCES team_members (id),
    turn       INTEGER NOT NULL,
    PRIMARY KEY (slot_id, member_id)
);

-- A member's calendar feed (.ics); the URL carries a secret whose hash is kept.
CREATE TABLE calendar_feeds (
    token_hash  TEXT PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES team_members (id),
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);
