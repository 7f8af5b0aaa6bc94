-- What teams do: held sessions (nhật ký buổi trực), trainings (tập huấn)
-- and announcements (thông báo) with the channels and dates used.
CREATE TABLE session_logs (
    id                INTEGER PRIMARY KEY,
    team_id           INTEGER NOT NULL REFERENCES teams (id),
    on_date           TEXT NOT NULL,
    slot_id           INTEGER REFERENCES duty_slots (id),
    residents_helped  INTEGER NOT NULL DEFAULT 0,
    notes             TEXT NOT NULL DEFAULT '',
    created_by        INTEGER,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX session_logs_team ON session_logs (team_id, on_date);

CREATE TABLE session_attendance (
    log_id     INTEGER NOT NULL REFERENCES session_logs (id),
    member_id  INTEGER NOT NULL REFERENCES team_members (id),
    PRIMARY KEY (log_id, member_id)
);

CREATE TABLE trainings (
    id                 INTEGER PRIMARY KEY,
    unit_id            INTEGER NOT NULL REFERENCES units (id),
    team_id            INTEGER REFERENCES teams (id),
    on_date            TEXT NOT NULL,
    place              TEXT NOT NULL DEFAULT '',
    topic              TEXT NOT NULL,
    trainer            TEXT NOT NULL DEFAULT '',
    hands_on           BOOLEAN NOT NULL DEFAULT FALSE,
    materials          TEXT NOT NULL DEFAULT '',
    residents_trained  INTEGER NOT NULL DEFAULT 0,
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX trainings_unit ON trainings (unit_id, on_date);

CREATE TABLE training_attendees (
    training_id  INTEGER NOT NULL REFERENCES trainings (id),
    member_id    INTEGER REFERENCES team_members (id),
    resident_id  INTEGER REFERENCES residents (id)
);
CREATE INDEX training_attendees_training ON training_attendees (training_id);

CREATE TABLE announcements (
    id          INTEGER PRIMARY KEY,
    team_id     INTEGER NOT NULL REFERENCES teams (id),
    body        TEXT NOT NULL,
    created_by  INTEGER,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE announcement_uses (
    announcement_id  INTEGER NOT NULL REFERENCES announcements (id),
    channel          TEXT NOT NULL CHECK (channel IN ('loudspeaker','zalo','door_to_door','notice_board')),
    used_on          TEXT NOT NULL
);
CREATE INDEX announcement_uses_a ON announcement_uses (announcement_id);

-- The villages an announcement is for (a community team speaks to several).
CREATE TABLE announcement_villages (
    announcement_id  INTEGER NOT NULL REFERENCES announcements (id),
    village_id       INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (announcement_id, village_id)
);
