-- Procedures filed together with a dossier's own (liên thông: birth
-- registration with permanent residence and health insurance). One
-- dossier on the portal, counted once.
CREATE TABLE dossier_links (
    dossier_id   INTEGER NOT NULL REFERENCES dossiers (id),
    procedure_id INTEGER NOT NULL REFERENCES procedures (id),
    PRIMARY KEY (dossier_id, procedure_id)
);
