-- The documents the team ticked as received at step 1, one per line.
ALTER TABLE dossiers ADD COLUMN documents_received TEXT NOT NULL DEFAULT '';
