-- mktg store, version 1: the whole domain.
-- Days are ISO 'YYYY-MM-DD' text, instants 'YYYY-MM-DDTHH:MM:SS' local time, money integer cents.

PRAGMA application_id = 1835758695; -- 0x6D6B7467, "mktg"

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- KPIs ---------------------------------------------------------------------

CREATE TABLE metric (
    key        TEXT PRIMARY KEY,
    label      TEXT NOT NULL,
    unit       TEXT NOT NULL CHECK (unit IN ('count', 'currency', 'percent', 'score', 'ratio')),
    direction  TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    rollup     TEXT NOT NULL CHECK (rollup IN ('sum', 'avg', 'last', 'ratio')),
    -- for rollup = 'ratio': 'spend/leads', 'won/won+lost'; percent ratios are scaled by 100
    formula    TEXT,
    headline   INTEGER NOT NULL DEFAULT 0, -- position among the dashboard tiles; 0 = not a tile
    min_volume REAL NOT NULL DEFAULT 0,    -- below this a day is too small to call an anomaly
    position   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE kpi_target (
    metric TEXT NOT NULL REFERENCES metric(key) ON DELETE CASCADE,
    period TEXT NOT NULL, -- '2026-11' | '2026-Q4' | '2026-W47'
    value  REAL NOT NULL,
    PRIMARY KEY (metric, period)
) STRICT;

CREATE TABLE import_log (
    id                INTEGER PRIMARY KEY,
    at                TEXT NOT NULL,
    file_name         TEXT NOT NULL,
    fingerprint       TEXT NOT NULL, -- hash of the file's bytes
    preset            TEXT NOT NULL,
    range_start       TEXT,
    range_end         TEXT,
    rows_read         INTEGER NOT NULL DEFAULT 0,
    created           INTEGER NOT NULL DEFAULT 0,
    updated           INTEGER NOT NULL DEFAULT 0,
    unchanged         INTEGER NOT NULL DEFAULT 0,
    skipped           INTEGER NOT NULL DEFAULT 0,
    campaigns_created INTEGER NOT NULL DEFAULT 0,
    replaced_by       INTEGER REFERENCES import_log(id),
    undone_at         TEXT
) STRICT;

CREATE TABLE kpi_obs (
    id          INTEGER PRIMARY KEY,
    metric      TEXT NOT NULL REFERENCES metric(key),
    day         TEXT NOT NULL,
    channel     TEXT NOT NULL DEFAULT '', -- '' = not split by channel
    campaign_id INTEGER REFERENCES campaign(id) ON DELETE SET NULL,
    value       REAL NOT NULL,
    import_id   INTEGER REFERENCES import_log(id) ON DELETE CASCADE,
    source_key  TEXT, -- the row's key within its import, for idempotent re-import
    created_at  TEXT NOT NULL
) STRICT;
-- Covering index: every dashboard aggregate is a range scan of one metric's recent days.
CREATE INDEX kpi_obs_by_metric_day ON kpi_obs(metric, day, channel, value);
CREATE INDEX kpi_obs_by_import ON kpi_obs(import_id, source_key);
CREATE INDEX kpi_obs_by_campaign ON kpi_obs(campaign_id, metric) WHERE campaign_id IS NOT NULL;

-- Launches -----------------------------------------------------------------

CREATE TABLE launch (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    product         TEXT NOT NULL DEFAULT '',
    owner           TEXT NOT NULL DEFAULT '',
    launch_date     TEXT NOT NULL,
    stage           TEXT NOT NULL DEFAULT 'intake'
                    CHECK (stage IN ('intake', 'build', 'qa', 'launch', 'measure', 'post-mortem')),
    score_revenue   INTEGER CHECK (score_revenue BETWEEN 1 AND 5),
    score_urgency   INTEGER CHECK (score_urgency BETWEEN 1 AND 5),
    score_demand    INTEGER CHECK (score_demand BETWEEN 1 AND 5),
    computed_tier   INTEGER CHECK (computed_tier IN (1, 2, 3)),
    override_tier   INTEGER CHECK (override_tier IN (1, 2, 3)),
    override_reason TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX launch_by_date ON launch(launch_date);

CREATE TABLE launch_tier_history (
    id            INTEGER PRIMARY KEY,
    launch_id     INTEGER NOT NULL REFERENCES launch(id) ON DELETE CASCADE,
    at            TEXT NOT NULL,
    from_tier     INTEGER,
    to_tier       INTEGER NOT NULL,
    score_revenue INTEGER,
    score_urgency INTEGER,
    score_demand  INTEGER,
    overridden    INTEGER NOT NULL DEFAULT 0,
    reason        TEXT
) STRICT;
CREATE INDEX launch_tier_history_by_launch ON launch_tier_history(launch_id, at);

CREATE TABLE launch_item (
    id        INTEGER PRIMARY KEY,
    launch_id INTEGER NOT NULL REFERENCES launch(id) ON DELETE CASCADE,
    key       TEXT NOT NULL,
    label     TEXT NOT NULL,
    baseline  INTEGER NOT NULL DEFAULT 0, -- part of the standard every tier must meet
    required  INTEGER NOT NULL DEFAULT 1, -- 0 once a re-tier no longer asks for it
    position  INTEGER NOT NULL DEFAULT 0,
    done_at   TEXT,
    done_by   TEXT,
    note      TEXT,
    UNIQUE (launch_id, key)
) STRICT;

CREATE TABLE launch_stage_history (
    id              INTEGER PRIMARY KEY,
    launch_id       INTEGER NOT NULL REFERENCES launch(id) ON DELETE CASCADE,
    at              TEXT NOT NULL,
    from_stage      TEXT NOT NULL,
    to_stage        TEXT NOT NULL,
    override_reason TEXT
) STRICT;

CREATE TABLE launch_postmortem (
    launch_id      INTEGER PRIMARY KEY REFERENCES launch(id) ON DELETE CASCADE,
    at             TEXT NOT NULL,
    worked         TEXT NOT NULL DEFAULT '',
    didnt          TEXT NOT NULL DEFAULT '',
    outcome_metric TEXT NOT NULL DEFAULT '',
    outcome_actual TEXT NOT NULL DEFAULT '',
    outcome_goal   TEXT NOT NULL DEFAULT ''
) STRICT;

-- Budgets ------------------------------------------------------------------

CREATE TABLE campaign (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    period        TEXT NOT NULL, -- fiscal quarter, '2026-Q4'
    channel       TEXT NOT NULL DEFAULT '',
    bucket        TEXT NOT NULL DEFAULT 'core' CHECK (bucket IN ('core', 'growth', 'experiment')),
    planned_cents INTEGER NOT NULL DEFAULT 0 CHECK (planned_cents >= 0),
    created_at    TEXT NOT NULL,
    UNIQUE (name, period)
) STRICT;
CREATE INDEX campaign_by_period ON campaign(period);

CREATE TABLE plan_change (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    from_cents  INTEGER NOT NULL,
    to_cents    INTEGER NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    decision_id INTEGER REFERENCES decision(id)
) STRICT;

CREATE TABLE spend (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    import_id    INTEGER REFERENCES import_log(id) ON DELETE CASCADE,
    source_key   TEXT,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX spend_by_campaign_day ON spend(campaign_id, day, amount_cents);
CREATE INDEX spend_by_import ON spend(import_id, source_key);

-- Pipeline and closed-won revenue credited to a campaign.
CREATE TABLE attribution (
    id             INTEGER PRIMARY KEY,
    campaign_id    INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    day            TEXT NOT NULL,
    pipeline_cents INTEGER NOT NULL DEFAULT 0,
    revenue_cents  INTEGER NOT NULL DEFAULT 0,
    import_id      INTEGER REFERENCES import_log(id) ON DELETE CASCADE,
    source_key     TEXT
) STRICT;
CREATE INDEX attribution_by_campaign ON attribution(campaign_id, day);

CREATE TABLE budget_move (
    id               INTEGER PRIMARY KEY,
    at               TEXT NOT NULL,
    from_campaign_id INTEGER NOT NULL REFERENCES campaign(id),
    to_campaign_id   INTEGER NOT NULL REFERENCES campaign(id),
    amount_cents     INTEGER NOT NULL CHECK (amount_cents > 0),
    reason           TEXT NOT NULL,
    decision_id      INTEGER REFERENCES decision(id)
) STRICT;

-- Cadence ------------------------------------------------------------------

CREATE TABLE meeting_template (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL,           -- stable across edits: 'ad-review'
    name         TEXT NOT NULL,
    start_time   TEXT NOT NULL,           -- 'HH:MM' local
    duration_min INTEGER NOT NULL CHECK (duration_min > 0),
    -- 'daily' | 'weekdays' | 'weekly:fri' | 'biweekly:2026-01-05' | 'monthly:day:15'
    -- | 'monthly:nth:1:tue' | 'quarterly:nth:1:mon' | 'quarterly:day:1'
    recurrence   TEXT NOT NULL,
    checklist    TEXT NOT NULL DEFAULT '[]', -- JSON array of item labels
    kpis         TEXT NOT NULL DEFAULT '[]', -- JSON array of metric keys shown beside it
    kind         TEXT NOT NULL DEFAULT 'daily', -- 'daily' cadence or 'rhythm' (weekly..quarterly)
    valid_from   TEXT NOT NULL,           -- an edit closes this row and opens a new one from today
    valid_to     TEXT,
    position     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX meeting_template_by_key ON meeting_template(key, valid_from);

CREATE TABLE meeting_instance (
    id           INTEGER PRIMARY KEY,
    template_id  INTEGER REFERENCES meeting_template(id), -- NULL for one-off meetings
    day          TEXT NOT NULL,
    name         TEXT NOT NULL,
    start_time   TEXT NOT NULL,
    duration_min INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'skipped', 'done')),
    notes        TEXT NOT NULL DEFAULT '',
    kpis         TEXT NOT NULL DEFAULT '[]',
    created_at   TEXT NOT NULL,
    UNIQUE (template_id, day)
) STRICT;
CREATE INDEX meeting_instance_by_day ON meeting_instance(day, start_time);

CREATE TABLE meeting_item (
    id          INTEGER PRIMARY KEY,
    instance_id INTEGER NOT NULL REFERENCES meeting_instance(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL,
    done_at     TEXT,
    UNIQUE (instance_id, position)
) STRICT;

-- Decisions ----------------------------------------------------------------

CREATE TABLE decision (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
    recommendation TEXT NOT NULL DEFAULT '',
    risk           TEXT NOT NULL DEFAULT '', -- the risk of doing nothing
    owner          TEXT NOT NULL CHECK (length(trim(owner)) > 0),
    due            TEXT,
    status         TEXT NOT NULL DEFAULT 'proposed'
                   CHECK (status IN ('proposed', 'decided', 'done', 'reversed', 'superseded')),
    made_at        TEXT NOT NULL,
    meeting_id     INTEGER REFERENCES meeting_instance(id) ON DELETE SET NULL,
    launch_id      INTEGER REFERENCES launch(id) ON DELETE SET NULL,
    campaign_id    INTEGER REFERENCES campaign(id) ON DELETE SET NULL,
    campaign2_id   INTEGER REFERENCES campaign(id) ON DELETE SET NULL, -- a budget move's target
    superseded_by  INTEGER REFERENCES decision(id),
    closed_at      TEXT
) STRICT;
CREATE INDEX decision_by_due ON decision(status, due);
CREATE INDEX decision_by_meeting ON decision(meeting_id);
