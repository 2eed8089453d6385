//! The dirty-series log (`kpi_dirty`, migration 0019): which (metric, channel) series each KPI
//! write touched, at the version of the facts it moved them to. `Delta::apply` writes it with the
//! rollups, in the same transaction, one row per distinct series (an import of a million facts
//! over a thousand channels writes a thousand rows, never a row per fact).
//!
//! A result kept at an older version (the anomaly scan, the judged feeds) reads the series
//! dirtied since and re-reads only those: after a one-channel write, one channel's days. The log
//! is pruned when every kept result is at least as new as its rows (`Kpis::keep_scan`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use rusqlite::{OptionalExtension, params};

use super::channel_months::{month_key, month_text};
use super::error::{Error, Result};
use super::fmt_day;
use super::kpis::Kpis;
use super::rollups::iso_day;
use super::tx::Write;
use crate::domain::kpi::Cube;

/// Series by metric: the channels of each.
pub type Series = BTreeMap<String, BTreeSet<String>>;

impl<M> Kpis<'_, M> {
    /// The series touched by writes after `version`, by metric; `None` when the log no longer
    /// reaches back that far (pruned, or the result was kept before the log existed).
    pub fn dirty_since(&self, version: i64) -> Result<Option<Series>> {
        let conn = self.db.conn();
        let floor: i64 = conn.query_row("SELECT version FROM kpi_dirty_floor WHERE id = 1", [], |r| r.get(0))?;
        if version < floor {
            return Ok(None);
        }
        let mut stmt = conn.prepare_cached("SELECT metric, channel FROM kpi_dirty WHERE version > ?1")?;
        let mut out = Series::new();
        let mut rows = stmt.query([version])?;
        while let Some(r) = rows.next()? {
            out.entry(r.get(0)?).or_default().insert(r.get(1)?);
        }
        Ok(Some(out))
    }

    /// The result kept for `as_of` under `params` at whatever version it was made, with that
    /// version: one older than the facts can be brought up to date from the dirty log.
    pub fn kept_scan_at(&self, as_of: NaiveDate, params: &str) -> Result<Option<(i64, String)>> {
        Ok(self
            .db
            .conn()
            .query_row(
                "SELECT version, body FROM kpi_scan WHERE as_of = ?1 AND params = ?2",
                params![fmt_day(as_of), params],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The latest result kept under `params` for a day before `as_of`, with that day and the
    /// version it was made at: on a new day, the day before's result, carried forward by the
    /// reader (the series with facts on the days in between re-read, as after a write).
    pub fn kept_scan_before(&self, as_of: NaiveDate, params: &str) -> Result<Option<(NaiveDate, i64, String)>> {
        let row: Option<(String, i64, String)> = self
            .db
            .conn()
            .query_row(
                "SELECT as_of, version, body FROM kpi_scan WHERE params = ?1 AND as_of < ?2
                 ORDER BY as_of DESC LIMIT 1",
                params![params, fmt_day(as_of)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(row.and_then(|(day, v, body)| Some((iso_day(&day)?, v, body))))
    }

    /// The series of `metrics` with a fact on a day after `after` up to `through`: the days a
    /// result kept for `after` did not read, whose facts may predate it (recorded ahead, or for
    /// today). One statement (the metrics passed as a JSON list), a seek per metric inside it on
    /// the facts' (metric, day) index.
    pub fn series_between(&self, metrics: &[&String], after: NaiveDate, through: NaiveDate) -> Result<Series> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT DISTINCT k.value, o.channel
             FROM json_each(?1) k JOIN kpi_obs o INDEXED BY kpi_obs_by_metric_day
                  ON o.metric = k.value AND o.day > ?2 AND o.day <= ?3",
        )?;
        let list = serde_json::to_string(metrics).map_err(|e| Error::system(format!("metrics: {e}")))?;
        let mut rows = stmt.query(params![list, fmt_day(after), fmt_day(through)])?;
        let mut out = Series::new();
        while let Some(r) = rows.next()? {
            out.entry(r.get(0)?).or_default().insert(r.get(1)?);
        }
        Ok(out)
    }

    /// [`Kpis::cube`] of only `series` (each metric's listed channels) over `from..=to`, with the
    /// same cells as the full cube has for them: each (metric, day, channel) group is read by a
    /// seek on the index the full cube scans, in the same order, so its sum has the same bits.
    /// Period totals and deal outcomes are filled as in every cube.
    ///
    /// One statement per series: the days go in as a JSON list, and SQLite seeks each (metric,
    /// day, channel) group in day order and sums it as it streams (no sorter), as the statement
    /// per day did; a statement per day paid a read transaction's start and end per day (after
    /// another process's one-channel write, some sixty days for each input of that channel).
    pub fn series_cube(&self, metrics: &[String], series: &Series, from: NaiveDate, to: NaiveDate) -> Result<Cube> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT day, sum(value), count(*) FROM kpi_obs INDEXED BY kpi_obs_by_metric_day
             WHERE metric = ?1 AND channel = ?2 AND day IN (SELECT value FROM json_each(?3)) GROUP BY day",
        )?;
        let days: Vec<String> = (0..=(to - from).num_days()).map(|i| fmt_day(from + Duration::days(i))).collect();
        let days = serde_json::to_string(&days).map_err(|e| Error::system(format!("days: {e}")))?;
        self.filled_cube(metrics, from, to, |cube, m| {
            for channel in series.get(m).into_iter().flatten() {
                let mut rows = stmt.query(params![m, channel, days])?;
                while let Some(r) = rows.next()? {
                    let (day, sum, n): (String, Option<f64>, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
                    if let (Some(day), Some(sum), true) = (iso_day(&day), sum, n > 0) {
                        cube.add(m, day, channel, sum, n as u32);
                    }
                }
            }
            Ok(())
        })
    }

    /// The days in `from..=to` one channel of `metric` reported on (ascending): what
    /// [`Kpis::channel_days`] says of that channel, from its months' day bits.
    pub fn channel_days_of(
        &self,
        metric: &str,
        channel: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<NaiveDate>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT month, days FROM kpi_channel_month WHERE metric = ?1 AND channel = ?2 AND month >= ?3 AND month <= ?4
             ORDER BY month",
        )?;
        let mut out = Vec::new();
        let mut rows = stmt.query(params![metric, channel, month_text(month_key(from)), month_text(month_key(to))])?;
        while let Some(r) = rows.next()? {
            let month: String = r.get(0)?;
            let Some(start) = iso_day(&format!("{month}-01")) else { continue };
            let bits: i64 = r.get(1)?;
            let key = month_key(start);
            for bit in 0..31 {
                let day = start + Duration::days(bit);
                if bits & (1 << bit) != 0 && day >= from && day <= to && month_key(day) == key {
                    out.push(day);
                }
            }
        }
        Ok(out)
    }

    /// One channel's sum and count of `metric`'s facts on `day` (none: `None`), read as the
    /// full reads group them (see [`Kpis::series_cube`]).
    pub(super) fn day_of_channel(&self, metric: &str, day: NaiveDate, channel: &str) -> Result<Option<(f64, i64)>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT sum(value), count(*) FROM kpi_obs INDEXED BY kpi_obs_by_metric_day
             WHERE metric = ?1 AND day = ?2 AND channel = ?3",
        )?;
        let (sum, n): (Option<f64>, i64) =
            stmt.query_row(params![metric, fmt_day(day), channel], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(sum.filter(|_| n > 0).map(|s| (s, n)))
    }
}

impl Kpis<'_, Write> {
    /// Forget the series no kept result needs: those touched at or before the oldest version a
    /// result is kept at (all of them when none is kept).
    pub(super) fn prune_dirty(&self) -> Result<()> {
        let conn = self.db.conn();
        let oldest: Option<i64> = conn.query_row("SELECT min(version) FROM kpi_scan", [], |r| r.get(0))?;
        let upto = match oldest {
            Some(v) => v,
            None => self.version()?,
        };
        conn.execute("DELETE FROM kpi_dirty WHERE version <= ?1", [upto])?;
        conn.execute("UPDATE kpi_dirty_floor SET version = max(version, ?1) WHERE id = 1", [upto])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::kept_spans::tests::record;
    use crate::store::{Store, parse_day};

    #[test]
    fn a_series_cube_has_the_full_cubes_cells_to_the_bit_read_by_one_statement_without_a_sorter() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        // Sums whose last bit depends on their order, on days with gaps between, in two channels.
        for (day, ch, v) in [
            ("2026-11-02", "email", 0.7),
            ("2026-11-02", "email", 0.1),
            ("2026-11-02", "email", 0.2),
            ("2026-11-02", "seo", 3.0),
            ("2026-11-05", "email", 1e16),
            ("2026-11-05", "email", 1.0),
            ("2026-11-05", "email", -1e16),
            ("2026-11-09", "seo", 0.3),
        ] {
            record(&s, day, ch, v);
        }
        let (from, to) = (parse_day("2026-11-01"), parse_day("2026-11-10"));
        let metrics = vec!["leads".to_string()];
        let full = s.kpis().cube(&metrics, from, to).unwrap();
        let series: Series = [("leads".to_string(), ["email".to_string(), "seo".to_string()].into())].into();
        let part = s.kpis().series_cube(&metrics, &series, from, to).unwrap();
        for ch in ["email", "seo"] {
            let bits = |c: &Cube| {
                c.cells("leads", Some(ch))
                    .map(|cells| cells.iter().map(|x| (x.sum.to_bits(), x.count)).collect::<Vec<_>>())
            };
            assert_eq!(bits(&part), bits(&full), "{ch}");
        }
        // The days stream from the index in order: SQLite groups them without a temporary B-tree.
        let plan: Vec<String> = s
            .conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT day, sum(value), count(*) FROM kpi_obs INDEXED BY kpi_obs_by_metric_day
                 WHERE metric = ?1 AND channel = ?2 AND day IN (SELECT value FROM json_each(?3)) GROUP BY day",
            )
            .unwrap()
            .query_map(params!["leads", "email", "[\"2026-11-02\"]"], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(plan.iter().all(|p| !p.contains("TEMP B-TREE")), "{plan:?}");
    }
}
