-- Imports, version 6: which campaigns an import created (so undo can remove exactly those),
-- and how many facts an updated export removed from the import it replaced.

CREATE TABLE import_campaign (
    import_id   INTEGER NOT NULL REFERENCES import_log(id) ON DELETE CASCADE,
    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    PRIMARY KEY (import_id, campaign_id)
) STRICT;

ALTER TABLE import_log ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;

-- Re-imports look up the same file by its fingerprint, and updated exports by preset and range.
CREATE INDEX import_log_by_fingerprint ON import_log(fingerprint);
CREATE INDEX import_log_by_preset ON import_log(preset, range_start);
