-- HubSpot contacts and deals that carry ids, kept (a few fields each) so the deals' milestone
-- paths can be derived once both exports are in, whichever came first. One row per record of an
-- import; the newest active import's row of a record is the one used. Undo removes an import's
-- rows. The derived rows live in `touch` with no import and a `derived:` source key, recomputed
-- in the transaction of every import or undo that may change them.
CREATE TABLE hubspot_record (
    id             INTEGER PRIMARY KEY,
    import_id      INTEGER NOT NULL REFERENCES import_log(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('contact', 'deal')),
    record         TEXT NOT NULL CHECK (record <> ''),
    created_at     TEXT NOT NULL,
    channel        TEXT,
    -- contact: First Conversion Date, else Became a Lead Date
    converted_at   TEXT,
    -- deal: associated contact ids, joined by ';'
    contacts       TEXT,
    outcome        TEXT CHECK (outcome IS NULL OR outcome IN ('open', 'won', 'lost')),
    closed_at      TEXT,
    latest_channel TEXT,
    amount_cents   INTEGER
) STRICT;
CREATE INDEX hubspot_record_by_import ON hubspot_record(import_id);
