-- Deals' touch histories for attribution: plain touches and milestone rows (contact created,
-- deal created, closed won or lost), from touches-csv or the demo. One row per line of history;
-- a deal is just the rows that share its id. Amounts sit on the deal-created row (pipeline) and
-- the closed-won row (revenue).
CREATE TABLE touch (
    id           INTEGER PRIMARY KEY,
    deal         TEXT NOT NULL CHECK (deal <> ''),
    at           TEXT NOT NULL,
    channel      TEXT,
    campaign     TEXT,
    kind         TEXT NOT NULL
                 CHECK (kind IN ('touch', 'contact-created', 'deal-created', 'closed-won', 'closed-lost')),
    amount_cents INTEGER CHECK (amount_cents IS NULL OR amount_cents >= 0),
    import_id    INTEGER REFERENCES import_log(id) ON DELETE CASCADE,
    source_key   TEXT,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX touch_by_deal ON touch(deal, at);
-- Conversions in a period: the deals to attribute.
CREATE INDEX touch_by_kind_at ON touch(kind, at);
CREATE INDEX touch_by_import ON touch(import_id, source_key);
