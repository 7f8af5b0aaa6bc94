-- Offline work (#12): the phones a member registered as their own, and
-- every change that arrived from one, by the id the phone gave it, so a
-- resend is recognised and applied once.
CREATE TABLE devices (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    name        TEXT NOT NULL,
    prefix      TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);
CREATE INDEX devices_user ON devices (user_id);

CREATE TABLE sync_changes (
    change_id   TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    device_id   INTEGER NOT NULL REFERENCES devices (id),
    kind        TEXT NOT NULL,
    result      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
