-- KPI rollups: what the dashboard reads instead of the period's raw facts (issue #21).
--
-- A real team's data grows in density (more campaigns and channels a day), not in years, so a
-- frame that sums the period's facts costs what the period holds: 2 s at 10M facts. These
-- tables are kept by every KPI write in the same transaction (store/rollups.rs), and are built
-- here for stores that already hold facts.

-- Daily totals per metric and source (the import's preset, or 'manual' for facts typed in the
-- cockpit or with `kpi record`, budget spend twins and demo data): tiles, pacing, funnel,
-- sparklines, total anomalies and the drill-down's chart read these; the source gives each
-- feed's last day.
CREATE TABLE kpi_day (
    metric TEXT NOT NULL,
    day    TEXT NOT NULL,
    source TEXT NOT NULL,
    sum    REAL NOT NULL,
    n      INTEGER NOT NULL CHECK (n >= 0), -- rows are deleted at 0; below it a write was miscounted
    PRIMARY KEY (metric, day, source)
) STRICT, WITHOUT ROWID;
-- A feed's last day is one step down this index.
CREATE INDEX kpi_day_by_source ON kpi_day(metric, source, day);

INSERT INTO kpi_day(metric, day, source, sum, n)
SELECT o.metric, o.day, coalesce(i.preset, 'manual'), sum(o.value), count(*)
FROM kpi_obs o LEFT JOIN import_log i ON i.id = o.import_id
GROUP BY o.metric, o.day, coalesce(i.preset, 'manual');

-- The channels each metric has facts in, and the feeds (metric per source): small lists that
-- would otherwise be a scan of every fact.
CREATE TABLE kpi_channel (
    metric  TEXT NOT NULL,
    channel TEXT NOT NULL,
    n       INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (metric, channel)
) STRICT, WITHOUT ROWID;

INSERT INTO kpi_channel(metric, channel, n) SELECT metric, channel, count(*) FROM kpi_obs GROUP BY metric, channel;

CREATE TABLE kpi_feed (
    metric TEXT NOT NULL,
    source TEXT NOT NULL,
    n      INTEGER NOT NULL CHECK (n >= 0), -- rows are deleted at 0; below it a write was miscounted
    PRIMARY KEY (metric, source)
) STRICT, WITHOUT ROWID;

INSERT INTO kpi_feed(metric, source, n) SELECT metric, source, sum(n) FROM kpi_day GROUP BY metric, source;

-- Counts KPI write transactions: a result derived from the facts (the per-channel anomaly scan)
-- is good for as long as this has not moved.
CREATE TABLE kpi_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
) STRICT;
INSERT INTO kpi_version(id, n) VALUES (1, 0);

-- The per-channel anomaly scan of one day, kept while the facts and the metrics it read are
-- unchanged (a thousand channels take one pass over nine weeks of facts to judge).
CREATE TABLE kpi_scan (
    as_of   TEXT NOT NULL,
    params  TEXT NOT NULL, -- what the scan depends on besides the facts: metrics, thresholds
    version INTEGER NOT NULL,
    body    TEXT NOT NULL, -- JSON
    PRIMARY KEY (as_of, params)
) STRICT;

-- A hand-recorded spend entry's twin in the spend KPI is found by its key: without this every
-- budget spend entry scanned all facts.
CREATE INDEX kpi_obs_spend_twin ON kpi_obs(source_key)
    WHERE metric = 'spend' AND import_id IS NULL AND source_key IS NOT NULL;
