-- Imports, migration 0011 (issue #13): numbers you can trust from the files people really export.

-- A count that may be fractional: Google Ads reports attribution-weighted conversions (10.5).
-- Every other count takes whole numbers only.
ALTER TABLE metric ADD COLUMN fractional INTEGER NOT NULL DEFAULT 0;
UPDATE metric SET fractional = 1 WHERE key = 'conversions' AND unit = 'count';

-- Which report an import came from: its preset, the dimension its rows are cut by, and its
-- header signature ("ga4|session channel group|engaged_sessions,key_events,sessions"). An
-- updated export replaces an earlier import of the same source only.
ALTER TABLE import_log ADD COLUMN source TEXT NOT NULL DEFAULT '';
-- Facts of this import kept apart because another source states them with precedence.
ALTER TABLE import_log ADD COLUMN kept INTEGER NOT NULL DEFAULT 0;
-- What the import said beside its counts (period totals, columns not read, channels mapped):
-- the summary's lines, for the import log.
ALTER TABLE import_log ADD COLUMN notes TEXT NOT NULL DEFAULT '';

-- A total over a date range that has no day: a GA4 or Google Ads report without a Day column.
-- Counted in every period it falls wholly inside, never in a daily series, a sparkline or an
-- anomaly baseline (which read kpi_obs only).
CREATE TABLE kpi_period (
    id          INTEGER PRIMARY KEY,
    metric      TEXT NOT NULL REFERENCES metric(key),
    day_from    TEXT NOT NULL,
    day_to      TEXT NOT NULL,
    channel     TEXT NOT NULL DEFAULT '',
    campaign_id INTEGER REFERENCES campaign(id) ON DELETE SET NULL,
    value       REAL NOT NULL,
    import_id   INTEGER NOT NULL REFERENCES import_log(id) ON DELETE CASCADE,
    source_key  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    CHECK (day_from < day_to)
) STRICT;
CREATE INDEX kpi_period_by_metric ON kpi_period(metric, day_to, day_from);
CREATE INDEX kpi_period_by_import ON kpi_period(import_id);
CREATE INDEX kpi_period_by_campaign ON kpi_period(campaign_id) WHERE campaign_id IS NOT NULL;

-- Daily facts that another source states with precedence (GA4 key events by first-user channel
-- next to the same by session channel): kept, never deleted, and not counted. `shown_import`
-- is the import whose fact is counted instead; undoing it brings these back.
CREATE TABLE kpi_obs_kept (
    id           INTEGER PRIMARY KEY,
    metric       TEXT NOT NULL REFERENCES metric(key),
    day          TEXT NOT NULL,
    channel      TEXT NOT NULL DEFAULT '',
    campaign_id  INTEGER REFERENCES campaign(id) ON DELETE SET NULL,
    value        REAL NOT NULL,
    import_id    INTEGER NOT NULL REFERENCES import_log(id) ON DELETE CASCADE,
    source_key   TEXT,
    created_at   TEXT NOT NULL,
    shown_import INTEGER NOT NULL
) STRICT;
CREATE INDEX kpi_obs_kept_by_day ON kpi_obs_kept(day);
CREATE INDEX kpi_obs_kept_by_import ON kpi_obs_kept(import_id);

-- A spend entry for a whole period (a month's cost from a report without a Day column): `day`
-- is the period's last day, `period_from` its first. Quarter totals count it; no daily series does.
ALTER TABLE spend ADD COLUMN period_from TEXT;
