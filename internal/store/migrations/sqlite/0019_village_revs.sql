-- Pre-aggregated unit statistics (#10): every write to the facts a
-- village's figures are computed from gives the village a new random
-- revision in the same transaction, by trigger, so every write path
-- (web, API, sync, imports, batch loads, restore) is caught. Stats keeps
-- each village's figures computed for every date (step functions) keyed
-- by its revision and recomputes a village only when its revision
-- changed: the aggregates are current inside the write transaction.
-- Every unit has a row (facts point at villages, but the live queries
-- count any unit's). Row 0 is the revision of what all villages share (days off, processing
-- days). A revision is random, never a counter, so a database reset or
-- restored under a running server never repeats one.
CREATE TABLE village_revs (
    village_id  INTEGER PRIMARY KEY,
    rev         INTEGER NOT NULL
);
INSERT INTO village_revs (village_id, rev) SELECT id, random() FROM units;
INSERT INTO village_revs (village_id, rev) VALUES (0, random());
INSERT INTO village_revs (village_id, rev) VALUES (-1, random());

CREATE TRIGGER village_revs_unit AFTER INSERT ON units BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (NEW.id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
    INSERT INTO village_revs (village_id, rev) VALUES (-1, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;

-- Row -1 is the revision of the tree (units and their dated parents):
-- which units lie under which on a date is kept between reads.
CREATE TRIGGER village_revs_unit_upd AFTER UPDATE ON units BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-1, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_unit_del AFTER DELETE ON units BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-1, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_parent_ins AFTER INSERT ON unit_parents BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-1, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_parent_upd AFTER UPDATE ON unit_parents BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-1, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_parent_del AFTER DELETE ON unit_parents BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (-1, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;

CREATE TRIGGER village_revs_resident_ins AFTER INSERT ON residents BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (NEW.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_resident_upd AFTER UPDATE OF village_id, household_id, birth_date, moved_in, left_on, account_since, smartphone_since, bank_since ON residents BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (NEW.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
    INSERT INTO village_revs (village_id, rev) VALUES (OLD.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_resident_del AFTER DELETE ON residents BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (OLD.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
-- A household's figures read its members wherever they are registered.
CREATE TRIGGER village_revs_resident_hh_ins AFTER INSERT ON residents
WHEN (SELECT h.village_id FROM households h WHERE h.id = NEW.household_id) <> NEW.village_id BEGIN
    INSERT INTO village_revs (village_id, rev) SELECT h.village_id, random() FROM households h WHERE h.id = NEW.household_id
    ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_resident_hh_upd AFTER UPDATE OF village_id, household_id, birth_date, moved_in, left_on, bank_since ON residents BEGIN
    INSERT INTO village_revs (village_id, rev) SELECT h.village_id, random() FROM households h WHERE h.id IN (NEW.household_id, OLD.household_id)
    ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_resident_hh_del AFTER DELETE ON residents
WHEN (SELECT h.village_id FROM households h WHERE h.id = OLD.household_id) <> OLD.village_id BEGIN
    INSERT INTO village_revs (village_id, rev) SELECT h.village_id, random() FROM households h WHERE h.id = OLD.household_id
    ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;

CREATE TRIGGER village_revs_household_ins AFTER INSERT ON households BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (NEW.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_household_upd AFTER UPDATE OF village_id, bank_since, zalo_since ON households BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (NEW.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
    INSERT INTO village_revs (village_id, rev) VALUES (OLD.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_household_del AFTER DELETE ON households BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (OLD.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;

CREATE TRIGGER village_revs_dossier_ins AFTER INSERT ON dossiers BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (NEW.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_dossier_upd AFTER UPDATE OF village_id, procedure_id, practice, portal, state, received_on ON dossiers BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (NEW.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
    INSERT INTO village_revs (village_id, rev) VALUES (OLD.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_dossier_del AFTER DELETE ON dossiers BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (OLD.village_id, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;

CREATE TRIGGER village_revs_step_ins AFTER INSERT ON dossier_steps BEGIN
    INSERT INTO village_revs (village_id, rev) SELECT d.village_id, random() FROM dossiers d WHERE d.id = NEW.dossier_id
    ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_step_upd AFTER UPDATE OF dossier_id, to_state, on_date ON dossier_steps BEGIN
    INSERT INTO village_revs (village_id, rev) SELECT d.village_id, random() FROM dossiers d WHERE d.id IN (NEW.dossier_id, OLD.dossier_id)
    ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_step_del AFTER DELETE ON dossier_steps BEGIN
    INSERT INTO village_revs (village_id, rev) SELECT d.village_id, random() FROM dossiers d WHERE d.id = OLD.dossier_id
    ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;

-- Shared by every unit: days off and procedures (which dossiers are
-- overdue, the names of the breakdown).
CREATE TRIGGER village_revs_day_off_ins AFTER INSERT ON days_off BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (0, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_day_off_upd AFTER UPDATE ON days_off BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (0, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_day_off_del AFTER DELETE ON days_off BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (0, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_procedure_ins AFTER INSERT ON procedures BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (0, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_procedure_upd AFTER UPDATE ON procedures BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (0, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
CREATE TRIGGER village_revs_procedure_del AFTER DELETE ON procedures BEGIN
    INSERT INTO village_revs (village_id, rev) VALUES (0, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random();
END;
