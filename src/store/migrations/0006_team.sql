-- The team and the operating system (#19): people, competencies and ratings with evidence,
-- weekly time against 70/20/10, workflows in the locked 9-point structure, and the owner
-- fields mentor mode asks about.

-- A member of the team. Owner fields elsewhere hold text and match a person through key_norm
-- (case, spacing and dashes folded, computed by mktg: SQLite cannot fold them the same way).
CREATE TABLE person (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL CHECK (length(trim(key)) > 0),
    key_norm   TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    level      TEXT NOT NULL CHECK (level IN ('junior', 'pmm', 'senior', 'staff')),
    manager_id INTEGER REFERENCES person(id),
    created_at TEXT NOT NULL
) STRICT;

-- Seeded, editable: a label can be renamed and a competency retired, never deleted (ratings
-- point at it).
CREATE TABLE competency (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL CHECK (length(trim(label)) > 0),
    position   INTEGER NOT NULL DEFAULT 0,
    retired_at TEXT
) STRICT;
INSERT INTO competency(slug, label, position) VALUES
    ('positioning', 'Positioning', 1),
    ('launch-execution', 'Launch execution', 2),
    ('sales-enablement', 'Sales enablement', 3),
    ('competitive-intelligence', 'Competitive intelligence', 4),
    ('analytics', 'Analytics', 5),
    ('cross-functional-influence', 'Cross-functional influence', 6),
    ('coaching', 'Coaching', 7);

-- Append-only: the history of ratings is kept; the latest (by day, then by id) is the one shown.
CREATE TABLE rating (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES person(id),
    competency_id INTEGER NOT NULL REFERENCES competency(id),
    level         TEXT NOT NULL CHECK (level IN ('junior', 'pmm', 'senior', 'staff')),
    evidence      TEXT NOT NULL CHECK (length(trim(evidence)) > 0),
    day           TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX rating_by_person ON rating(person_id, competency_id);

-- One row per person and ISO week ('2026-W47'): logging a week again replaces it.
CREATE TABLE time_entry (
    person_id     INTEGER NOT NULL REFERENCES person(id),
    week          TEXT NOT NULL,
    core_h        REAL NOT NULL CHECK (core_h >= 0),
    systems_h     REAL NOT NULL CHECK (systems_h >= 0),
    exploration_h REAL NOT NULL CHECK (exploration_h >= 0),
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (person_id, week)
) STRICT;

-- The nine sections are columns: the structure is locked, a child table would buy nothing.
-- Criteria: NULL = not recorded yet, 0 = no (flagged), 1 = yes.
CREATE TABLE workflow (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_norm          TEXT NOT NULL UNIQUE,
    category           TEXT NOT NULL CHECK (category IN (
                           'market-segment-intelligence', 'icp-persona-use-case', 'content-messaging',
                           'campaign-distribution', 'inbound-nurture-conversion',
                           'sales-enablement-field-activation', 'customer-marketing-expansion',
                           'measurement-attribution-analytics', 'learning-postmortems-improvement')),
    owner              TEXT,
    meeting_key        TEXT, -- meeting_template.key of the meeting that runs it
    objective          TEXT NOT NULL DEFAULT '',
    trigger_text       TEXT NOT NULL DEFAULT '',
    inputs             TEXT NOT NULL DEFAULT '',
    processing         TEXT NOT NULL DEFAULT '',
    outputs            TEXT NOT NULL DEFAULT '',
    consumers          TEXT NOT NULL DEFAULT '',
    decisions_informed TEXT NOT NULL DEFAULT '',
    quality_checks     TEXT NOT NULL DEFAULT '',
    failure_loop       TEXT NOT NULL DEFAULT '',
    end_to_end         INTEGER CHECK (end_to_end IN (0, 1)),
    cross_functional   INTEGER CHECK (cross_functional IN (0, 1)),
    repeatable         INTEGER CHECK (repeatable IN (0, 1)),
    ai_relevant        INTEGER CHECK (ai_relevant IN (0, 1)),
    -- The five backlog questions; any blank one leaves the workflow untriaged.
    who                TEXT NOT NULL DEFAULT '',
    unblocks           TEXT NOT NULL DEFAULT '',
    breaks             TEXT NOT NULL DEFAULT '',
    why_now            TEXT NOT NULL DEFAULT '',
    impact             TEXT NOT NULL DEFAULT '',
    -- Set by the user, 1 first; only a triaged workflow holds one.
    rank               INTEGER UNIQUE CHECK (rank > 0),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;

CREATE TABLE workflow_metric (
    workflow_id INTEGER NOT NULL REFERENCES workflow(id) ON DELETE CASCADE,
    metric_key  TEXT NOT NULL,
    PRIMARY KEY (workflow_id, metric_key)
) STRICT;

-- Owner fields mentor mode asks about. A campaign created by an import has no owner (NULL).
ALTER TABLE campaign ADD COLUMN owner TEXT;
ALTER TABLE launch ADD COLUMN success_metric TEXT NOT NULL DEFAULT '';
-- A checklist item's own owner and due day; when NULL, the launch's owner and date stand.
ALTER TABLE launch_item ADD COLUMN owner TEXT;
ALTER TABLE launch_item ADD COLUMN due TEXT;
