-- The learning loop (#16): experiments with their cumulative counts, post-mortems for any
-- initiative (follow-ups are decisions linked to them), alert rules with their edge state and
-- the log of their firings, and annotations on the KPI charts.

CREATE TABLE experiment (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key    TEXT NOT NULL UNIQUE, -- experiments::fold(name): any case, dashes and spaces alike
    metric      TEXT NOT NULL CHECK (length(trim(metric)) > 0),
    hypothesis  TEXT NOT NULL DEFAULT '',
    owner       TEXT NOT NULL DEFAULT '',
    start_day   TEXT,
    end_day     TEXT,
    alpha       REAL NOT NULL DEFAULT 0.05 CHECK (alpha > 0 AND alpha < 1),
    status      TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'decided')),
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE experiment_variant (
    experiment_id INTEGER NOT NULL REFERENCES experiment(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL, -- 0 = control
    name          TEXT NOT NULL,
    weight        REAL NOT NULL CHECK (weight > 0),
    PRIMARY KEY (experiment_id, position)
) STRICT;

-- Cumulative counts to date. A readout takes each variant's latest row (latest day, then the
-- latest written), so undoing an import brings the counts it had covered back.
CREATE TABLE experiment_result (
    id            INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    day           TEXT NOT NULL,
    visitors      INTEGER NOT NULL CHECK (visitors >= 0),
    conversions   INTEGER NOT NULL CHECK (conversions >= 0 AND conversions <= visitors),
    import_id     INTEGER REFERENCES import_log(id) ON DELETE CASCADE,
    source_key    TEXT,
    created_at    TEXT NOT NULL,
    FOREIGN KEY (experiment_id, position) REFERENCES experiment_variant(experiment_id, position) ON DELETE CASCADE
) STRICT;
CREATE INDEX experiment_result_by_variant ON experiment_result(experiment_id, position, day, id);
CREATE INDEX experiment_result_by_import ON experiment_result(import_id) WHERE import_id IS NOT NULL;

CREATE TABLE postmortem (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
    at             TEXT NOT NULL,
    launch_id      INTEGER REFERENCES launch(id) ON DELETE SET NULL,
    campaign_id    INTEGER REFERENCES campaign(id) ON DELETE SET NULL,
    experiment_id  INTEGER REFERENCES experiment(id) ON DELETE SET NULL,
    worked         TEXT NOT NULL DEFAULT '',
    didnt          TEXT NOT NULL DEFAULT '',
    outcome_metric TEXT NOT NULL DEFAULT '',
    outcome_actual TEXT NOT NULL DEFAULT '',
    outcome_goal   TEXT NOT NULL DEFAULT '',
    -- About one initiative at most; none is a standalone post-mortem (a failed initiative).
    CHECK ((launch_id IS NOT NULL) + (campaign_id IS NOT NULL) + (experiment_id IS NOT NULL) <= 1)
) STRICT;
CREATE INDEX postmortem_by_launch ON postmortem(launch_id) WHERE launch_id IS NOT NULL;

-- The launch post-mortems written so far become post-mortems of their launch, titled by it.
INSERT INTO postmortem(title, at, launch_id, worked, didnt, outcome_metric, outcome_actual, outcome_goal)
SELECT l.name, p.at, p.launch_id, p.worked, p.didnt, p.outcome_metric, p.outcome_actual, p.outcome_goal
FROM launch_postmortem p JOIN launch l ON l.id = p.launch_id
ORDER BY p.at, p.launch_id;
DROP TABLE launch_postmortem;
-- Kept readable under its old name for any query still written against it; nothing writes it.
CREATE VIEW launch_postmortem AS
SELECT launch_id, at, worked, didnt, outcome_metric, outcome_actual, outcome_goal
FROM postmortem WHERE launch_id IS NOT NULL;

ALTER TABLE decision ADD COLUMN experiment_id INTEGER REFERENCES experiment(id) ON DELETE SET NULL;
ALTER TABLE decision ADD COLUMN postmortem_id INTEGER REFERENCES postmortem(id) ON DELETE SET NULL;
-- A launch's follow-ups were decisions linked to the launch, worded by the launch face: link
-- them to the launch's post-mortem. They stay without a due date (none was asked for then), so
-- follow-through leaves them out rather than guess one.
UPDATE decision SET postmortem_id = (SELECT pm.id FROM postmortem pm WHERE pm.launch_id = decision.launch_id)
WHERE launch_id IS NOT NULL AND recommendation LIKE 'follow-up from the post-mortem of %';
CREATE INDEX decision_by_postmortem ON decision(postmortem_id) WHERE postmortem_id IS NOT NULL;
CREATE INDEX decision_by_experiment ON decision(experiment_id) WHERE experiment_id IS NOT NULL;

CREATE TABLE alert_rule (
    key            TEXT PRIMARY KEY,
    key_fold       TEXT NOT NULL UNIQUE, -- text::name_key(key)
    metric         TEXT NOT NULL REFERENCES metric(key) ON DELETE CASCADE,
    when_spec      TEXT NOT NULL,        -- alert::Condition::spec(), read back with Condition::parse
    channel        TEXT,
    owner          TEXT,
    created_at     TEXT NOT NULL,
    -- The edge state (alert::AlertState) kept between checks.
    breached       INTEGER NOT NULL DEFAULT 0 CHECK (breached IN (0, 1)),
    side           TEXT CHECK (side IN ('below', 'above')),
    checked_at     TEXT,
    last_value     REAL
) STRICT;

-- Every firing, for "alerts fired this week" in the weekly review: the rule as it was, so the
-- history outlives a rule removed later.
CREATE TABLE alert_event (
    id        INTEGER PRIMARY KEY,
    rule_key  TEXT NOT NULL,
    metric    TEXT NOT NULL,
    channel   TEXT,
    when_spec TEXT NOT NULL,
    owner     TEXT,
    at        TEXT NOT NULL,
    value     REAL,
    threshold REAL
) STRICT;
CREATE INDEX alert_event_by_at ON alert_event(at);

CREATE TABLE annotation (
    id         INTEGER PRIMARY KEY,
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL CHECK (to_day >= from_day),
    text       TEXT NOT NULL CHECK (length(trim(text)) > 0),
    metric     TEXT, -- NULL: every metric
    channel    TEXT, -- NULL: every channel
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX annotation_by_day ON annotation(to_day, from_day);
