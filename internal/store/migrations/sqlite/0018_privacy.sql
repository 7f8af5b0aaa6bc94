-- Personal-data duties (#11, Law 91/2025/QH15, Decree 356/2025/NĐ-CP).
-- consents: a person's consent for one purpose, with the day and the way it
-- was given, and the day it was withdrawn. A team member's public phone
-- follows the consent "public_phone" (team_members.phone_public and
-- consent_on are kept equal to it); a resident's "contact_phone" consent
-- says the team may call them.
CREATE TABLE consents (
    id            INTEGER PRIMARY KEY,
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('member','resident')),
    subject_id    INTEGER NOT NULL,
    unit_id       INTEGER REFERENCES units (id),
    purpose       TEXT NOT NULL,
    given_on      TEXT NOT NULL,
    how           TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    withdrawn_on  TEXT,
    recorded_by   INTEGER REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX consents_subject ON consents (subject_kind, subject_id, purpose);

-- The consents members gave before this table existed.
INSERT INTO consents (subject_kind, subject_id, unit_id, purpose, given_on, how, note, created_at)
SELECT 'member', m.id, (SELECT tu.unit_id FROM team_units tu WHERE tu.team_id = m.team_id ORDER BY CASE WHEN tu.valid_to IS NULL THEN 0 ELSE 1 END, tu.valid_to DESC LIMIT 1),
       'public_phone', m.consent_on, 'unknown', '', CURRENT_TIMESTAMP
FROM team_members m WHERE m.phone_public AND m.consent_on IS NOT NULL;

-- Requests of a data subject (yêu cầu của chủ thể dữ liệu): see, correct
-- or delete their data; due two working days after receipt.
CREATE TABLE subject_requests (
    id            INTEGER PRIMARY KEY,
    resident_id   INTEGER NOT NULL REFERENCES residents (id),
    village_id    INTEGER NOT NULL REFERENCES units (id),
    kind          TEXT NOT NULL CHECK (kind IN ('see','correct','delete')),
    received_on   TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('received','done','refused')),
    note          TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    closed_on     TEXT,
    recorded_by   INTEGER REFERENCES users (id),
    closed_by     INTEGER REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX subject_requests_village ON subject_requests (village_id, state, due_on);
CREATE INDEX subject_requests_resident ON subject_requests (resident_id);

-- An anonymised resident keeps the row (counts stay right) and says so.
ALTER TABLE residents ADD COLUMN erased_on TEXT;
