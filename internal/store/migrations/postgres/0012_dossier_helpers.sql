-- Members who helped with a dossier besides the assisting member whose
-- queue it sits in (two members often receive a dossier together).
CREATE TABLE dossier_helpers (
    dossier_id  BIGINT NOT NULL REFERENCES dossiers (id),
    member_id   BIGINT NOT NULL REFERENCES team_members (id),
    PRIMARY KEY (dossier_id, member_id)
);
CREATE INDEX dossier_helpers_member ON dossier_helpers (member_id);
