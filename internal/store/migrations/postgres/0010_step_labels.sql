-- A province's own wording for the five dossier steps; their meaning is
-- fixed. No row: the standard label.
CREATE TABLE step_labels (
    province_id BIGINT NOT NULL REFERENCES units (id),
    state       TEXT NOT NULL,
    label       TEXT NOT NULL,
    PRIMARY KEY (province_id, state)
);
