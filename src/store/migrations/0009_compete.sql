-- Competition (#17): competitors and their battlecards, competitor launches, deal outcomes
-- from imports, and the positioning triggers raised from them.

CREATE TABLE competitor (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,                 -- as first typed: 'acme'
    key_norm   TEXT NOT NULL UNIQUE,          -- folded by name_key (case, spacing, dashes), written by Rust
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    owner      TEXT NOT NULL CHECK (length(trim(owner)) > 0), -- the PMM who keeps the card
    segment    TEXT,
    created_at TEXT NOT NULL
) STRICT;

-- Append-only: every save of a section is a row; the newest per section is the card.
CREATE TABLE card_section (
    id            INTEGER PRIMARY KEY,
    competitor_id INTEGER NOT NULL REFERENCES competitor(id) ON DELETE CASCADE,
    section       TEXT NOT NULL
                  CHECK (section IN ('why-we-win', 'why-we-lose', 'objections', 'landmines', 'pricing', 'proof')),
    text          TEXT NOT NULL CHECK (length(text) <= 20000), -- characters, as the domain counts them
    by            TEXT NOT NULL,
    at            TEXT NOT NULL
) STRICT;
CREATE INDEX card_section_by_competitor ON card_section(competitor_id, at);

CREATE TABLE competitor_launch (
    id            INTEGER PRIMARY KEY,
    competitor_id INTEGER NOT NULL REFERENCES competitor(id) ON DELETE CASCADE,
    on_day        TEXT NOT NULL,
    note          TEXT,
    recorded_at   TEXT NOT NULL
) STRICT;
CREATE INDEX competitor_launch_by_competitor ON competitor_launch(competitor_id, on_day);

-- One row per deal per import. The same deal in two files: the newest import's row is the
-- current one (current = 1); undoing that import makes the one before it current again.
CREATE TABLE deal_outcome (
    id             INTEGER PRIMARY KEY,
    deal_key       TEXT NOT NULL,             -- the deal's id as the file gives it
    closed_on      TEXT,                      -- an open deal's expected close, if any
    outcome        TEXT NOT NULL CHECK (outcome IN ('won', 'lost', 'open')),
    competitor     TEXT,                      -- as written
    competitor_key TEXT,                      -- name_key of it, written by Rust
    reason         TEXT,
    segment        TEXT,
    amount_cents   INTEGER CHECK (amount_cents >= 0),
    import_id      INTEGER REFERENCES import_log(id) ON DELETE CASCADE,
    source_key     TEXT,
    current        INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX deal_outcome_by_deal ON deal_outcome(deal_key, id);
CREATE INDEX deal_outcome_by_import ON deal_outcome(import_id, source_key);
-- Win/loss reads the current outcomes by close date.
CREATE INDEX deal_outcome_current ON deal_outcome(closed_on, outcome) WHERE current = 1;

-- A trigger is raised once per key: re-importing the same data raises nothing. The proposed
-- decision it opened stays in the log whatever happens to the import afterwards.
CREATE TABLE positioning_trigger (
    key         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    raised_at   TEXT NOT NULL,
    evidence    TEXT NOT NULL,                -- JSON of domain::positioning::Evidence
    owner       TEXT NOT NULL,
    decision_id INTEGER REFERENCES decision(id),
    meeting_id  INTEGER REFERENCES meeting_instance(id) ON DELETE SET NULL,
    import_id   INTEGER REFERENCES import_log(id) ON DELETE SET NULL
) STRICT;

-- A Tier 1 launch marked as a product pivot raises a positioning trigger.
ALTER TABLE launch ADD COLUMN pivot INTEGER NOT NULL DEFAULT 0;

-- The product-marketing headline "win rate vs competitors" is computed from deal outcomes
-- (won / (won + lost) of the deals closed in the period). A store that already keeps won and
-- lost as KPI observations keeps its formula, so no figure it shows today changes silently;
-- demand generation's win rate stays the channel funnel's.
UPDATE metric SET formula = 'outcomes.won/outcomes.won+outcomes.lost'
 WHERE key = 'win_rate' AND formula = 'won/won+lost'
   AND EXISTS (SELECT 1 FROM meta WHERE key = 'role' AND value = 'product-marketing')
   AND NOT EXISTS (SELECT 1 FROM kpi_obs WHERE metric IN ('won', 'lost'));
