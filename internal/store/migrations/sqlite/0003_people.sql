-- Households and residents of villages, with dated status and dated
-- digital-adoption facts, so rates can be computed for any date.
CREATE TABLE households (
    id             INTEGER PRIMARY KEY,
    village_id     INTEGER NOT NULL REFERENCES units (id),
    number         TEXT NOT NULL,
    hamlet         TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    head_id        INTEGER,
    bank_since     TEXT,
    bank_helped    BOOLEAN NOT NULL DEFAULT FALSE,
    zalo_since     TEXT,
    zalo_helped    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (village_id, number)
);

CREATE TABLE residents (
    id                 INTEGER PRIMARY KEY,
    household_id       INTEGER NOT NULL REFERENCES households (id),
    village_id         INTEGER NOT NULL REFERENCES units (id),
    full_name          TEXT NOT NULL,
    name_fold          TEXT NOT NULL,
    sort_key           TEXT NOT NULL,
    sort_full          TEXT NOT NULL,
    birth_date         TEXT NOT NULL,
    year_only          BOOLEAN NOT NULL DEFAULT FALSE,
    sex                TEXT NOT NULL CHECK (sex IN ('male','female')),
    phone              TEXT,
    cccd               TEXT UNIQUE,
    relation           TEXT NOT NULL DEFAULT '',
    moved_in           TEXT,
    left_on            TEXT,
    left_reason        TEXT,
    smartphone_since   TEXT,
    smartphone_helped  BOOLEAN NOT NULL DEFAULT FALSE,
    vneid_since        TEXT,
    vneid_helped       BOOLEAN NOT NULL DEFAULT FALSE,
    portal_since       TEXT,
    portal_helped      BOOLEAN NOT NULL DEFAULT FALSE,
    account_since      TEXT,
    bank_since         TEXT,
    bank_helped        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX residents_village ON residents (village_id);
CREATE INDEX residents_household ON residents (household_id);
CREATE INDEX residents_name ON residents (name_fold);
CREATE INDEX residents_phone ON residents (phone);

-- Uploaded spreadsheets between preview and confirmation, and the
-- progress of their import (any app server can show it).
CREATE TABLE uploads (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    village_id  INTEGER REFERENCES units (id),
    data        BLOB NOT NULL,
    status      TEXT NOT NULL DEFAULT 'uploaded',
    done        INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL DEFAULT 0,
    result      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
