-- Each campaign's leads summed without a table lookup per fact (#14: a new day's first frame).
--
-- Campaign pacing (`Budget::paced`, through `budget::period_facts`) sums each campaign's leads
-- from kpi_obs along `kpi_obs_by_campaign`, which held (campaign_id, metric) but not the value:
-- every lead fact cost a lookup of its row in the table, a random page of a million-row table on
-- a day's first open (a tenth of that frame at 1M facts). With the value in the index the sum
-- is a range scan of the index alone.
--
-- Why an index and not per-campaign sums kept as written: the sums would have to be maintained
-- by every KPI write, import, replace and undo (as the daily rollups are); the index is
-- maintained by SQLite itself on every one of those paths, costs 8 bytes more per fact that has
-- a campaign (none for facts without one: the index stays partial), and reads within a few
-- index pages per campaign.
--
-- Rebuilt from the table's rows: a store holding facts gets every one of them in the new index.
DROP INDEX IF EXISTS kpi_obs_by_campaign;
CREATE INDEX kpi_obs_by_campaign ON kpi_obs(campaign_id, metric, value) WHERE campaign_id IS NOT NULL;
