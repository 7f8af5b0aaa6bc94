-- The public village page (#7): what the team leader writes for residents
-- (a short introduction and one photo), the village's digital
-- infrastructure, dated so that it reads as of any day (Wi-Fi points, the
-- cultural house's computers and internet line, the village Zalo group),
-- and the throttle of the dossier-status lookup.
CREATE TABLE village_profiles (
    village_id     INTEGER PRIMARY KEY REFERENCES units (id),
    intro          TEXT NOT NULL DEFAULT '',
    photo          BLOB,
    photo_width    INTEGER NOT NULL DEFAULT 0,
    photo_height   INTEGER NOT NULL DEFAULT 0,
    photo_at       TIMESTAMP,
    updated_at     TIMESTAMP NOT NULL
);

CREATE TABLE wifi_points (
    id            INTEGER PRIMARY KEY,
    village_id    INTEGER NOT NULL REFERENCES units (id),
    place         TEXT NOT NULL,
    provider      TEXT NOT NULL DEFAULT '',
    network_name  TEXT NOT NULL DEFAULT '',
    hours         TEXT NOT NULL DEFAULT '',
    free          BOOLEAN NOT NULL DEFAULT TRUE,
    since         TEXT NOT NULL,
    until         TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX wifi_points_village ON wifi_points (village_id);

-- The cultural house's equipment: computers (count) and the internet line.
CREATE TABLE village_equipment (
    id           INTEGER PRIMARY KEY,
    village_id   INTEGER NOT NULL REFERENCES units (id),
    kind         TEXT NOT NULL CHECK (kind IN ('computer','internet_line')),
    quantity     INTEGER NOT NULL DEFAULT 1,
    detail       TEXT NOT NULL DEFAULT '',
    since        TEXT NOT NULL,
    until        TEXT,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX village_equipment_village ON village_equipment (village_id);

-- The village Zalo group: it exists from since to until; members and
-- households covered as counted on counted_on.
CREATE TABLE zalo_groups (
    id           INTEGER PRIMARY KEY,
    village_id   INTEGER NOT NULL REFERENCES units (id),
    name         TEXT NOT NULL DEFAULT '',
    link         TEXT NOT NULL DEFAULT '',
    members      INTEGER NOT NULL DEFAULT 0,
    households   INTEGER NOT NULL DEFAULT 0,
    counted_on   TEXT,
    since        TEXT NOT NULL,
    until        TEXT,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX zalo_groups_village ON zalo_groups (village_id);

-- Failed status lookups, for the throttle: per lookup code and per client
-- address. Only the code typed (not the phone digits) is kept.
CREATE TABLE lookup_failures (
    id    INTEGER PRIMARY KEY,
    code  TEXT NOT NULL,
    ip    TEXT NOT NULL,
    at    TIMESTAMP NOT NULL
);
CREATE INDEX lookup_failures_code ON lookup_failures (code, at);
CREATE INDEX lookup_failures_ip ON lookup_failures (ip, at);
