-- The KPI series (metric, channel) each write touched, with the facts' version it moved them to:
-- written in the same transaction as the rollups, so a result kept at an older version (the
-- per-channel anomaly scan, the judged feeds) is brought up to date by re-reading only those
-- series. One row per series, at its latest version; pruned once every kept result is newer.
CREATE TABLE kpi_dirty (
    metric  TEXT NOT NULL,
    channel TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (metric, channel)
) STRICT, WITHOUT ROWID;

-- The log holds every series touched after this version (older rows were pruned): a result
-- kept at an older version cannot be brought up to date from it.
CREATE TABLE kpi_dirty_floor (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
INSERT INTO kpi_dirty_floor(id, version) SELECT 1, n FROM kpi_version WHERE id = 1;

-- Results kept by earlier builds were kept before the log began: their kinds are read no more.
DELETE FROM kpi_scan;
