-- Monthly totals per metric and channel: what the drill-down's channel breakdown and each feed's
-- freshness read instead of the raw facts of the weeks they cover (issues #21 and #14).
--
-- In the dense shape (a fact per metric, day and channel) a rollup per day and channel would be
-- as large as the facts; a month folds thirty of them into one row. A span that is not whole
-- months takes its edge days from the facts (store/channel_months.rs), so a breakdown reads a
-- few days of facts instead of two periods of them. Kept by every KPI write in the same
-- transaction (store/rollups.rs, with kpi_day), and built here for stores that already hold facts.
CREATE TABLE kpi_channel_month (
    metric  TEXT NOT NULL,
    month   TEXT NOT NULL, -- YYYY-MM
    channel TEXT NOT NULL,
    sum     REAL NOT NULL,
    n       INTEGER NOT NULL CHECK (n >= 0), -- rows are deleted at 0; below it a write was miscounted
    -- The days of the month with at least one fact: bit d-1 for day d. What a feed's rhythm
    -- (the gaps between the days it reported) is learned from.
    days    INTEGER NOT NULL,
    PRIMARY KEY (metric, month, channel)
) STRICT, WITHOUT ROWID;

-- The OR of the days' bits: each distinct bit summed once.
INSERT INTO kpi_channel_month(metric, month, channel, sum, n, days)
SELECT metric, substr(day, 1, 7), channel, sum(value), count(*),
       sum(DISTINCT 1 << (CAST(substr(day, 9, 2) AS INTEGER) - 1))
FROM kpi_obs GROUP BY metric, substr(day, 1, 7), channel;
