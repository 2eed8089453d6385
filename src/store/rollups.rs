//! KPI rollups kept in step with the facts (migration 0005): daily totals per metric and
//! source, the channels and feeds each metric has, and the version that dates anything derived
//! from the facts. Every statement that changes `kpi_obs` goes with a [`Delta`] applied in the
//! same transaction; `Kpis::rollup_mismatches` compares them with a fresh aggregation.
//!
//! Why rollups and not a faster scan: a real team's data grows in density (a thousand campaigns
//! and channels a day), so the month's raw facts are what grows; the dashboard's totals over any
//! period are at most one row per metric and day here, whatever the density.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::channel_months::{self, MonthDelta, month_key};
use super::day_ups;
use super::error::{Error, Result};
use super::fmt_day;
use super::kpis::Kpis;
use super::tx::Write;
use crate::domain::kpi::Cube;

/// The source of facts typed in the cockpit or with `kpi record`, budget spend twins recorded by
/// hand and demo data: every fact that did not come from an import.
pub const MANUAL: &str = "manual";

/// Changes to the rollups that a write makes, applied with it. Built row by row (an import adds
/// millions of facts: each costs a hash lookup here, no allocation once its metric, day and
/// channel have been seen).
///
/// The maps hash with foldhash, not SipHash: an import makes four lookups per fact here, and the
/// keys are the store's own metrics, days and channels.
#[derive(Debug, Default)]
pub(crate) struct Delta {
    sources: FastMap<String, FastMap<String, MetricDelta>>,
}

type FastMap<K, V> = foldhash::HashMap<K, V>;

#[derive(Debug, Default)]
struct MetricDelta {
    days: FastMap<NaiveDate, (f64, i64)>,
    channels: FastMap<String, ChannelDelta>,
}

/// One channel's change: its fact count, and its months' (`kpi_channel_month`).
#[derive(Debug, Default)]
struct ChannelDelta {
    n: i64,
    months: FastMap<i32, MonthDelta>,
}

impl Delta {
    /// A fact of `source` was written.
    pub fn add(&mut self, source: &str, metric: &str, day: NaiveDate, channel: &str, value: f64) {
        self.change(source, metric, day, channel, value, 1);
    }

    /// A fact of `source` was removed.
    pub fn remove(&mut self, source: &str, metric: &str, day: NaiveDate, channel: &str, value: f64) {
        self.change(source, metric, day, channel, -value, -1);
    }

    fn change(&mut self, source: &str, metric: &str, day: NaiveDate, channel: &str, value: f64, n: i64) {
        let by_metric = match self.sources.get_mut(source) {
            Some(m) => m,
            None => self.sources.entry(source.to_string()).or_default(),
        };
        let m = match by_metric.get_mut(metric) {
            Some(m) => m,
            None => by_metric.entry(metric.to_string()).or_default(),
        };
        let d = m.days.entry(day).or_insert((0.0, 0));
        d.0 += value;
        d.1 += n;
        let c = match m.channels.get_mut(channel) {
            Some(c) => c,
            None => m.channels.entry(channel.to_string()).or_default(),
        };
        c.n += n;
        c.months.entry(month_key(day)).or_default().change(day, value, n);
    }

    /// Facts of `source` were written, in the store's index order (metric, day, channel) as a
    /// streamed batch holds them: the same changes as `add` for each, with the source, metric
    /// and day looked up once per run of them instead of once per fact (a million-fact import
    /// made five hash lookups per fact here, on the writing thread).
    pub fn add_sorted<'r>(&mut self, source: &str, rows: impl IntoIterator<Item = (&'r str, NaiveDate, &'r str, f64)>) {
        let by_metric = match self.sources.get_mut(source) {
            Some(m) => m,
            None => self.sources.entry(source.to_string()).or_default(),
        };
        let mut rows = rows.into_iter().peekable();
        while let Some(&(metric, _, _, _)) = rows.peek() {
            let m = match by_metric.get_mut(metric) {
                Some(m) => m,
                None => by_metric.entry(metric.to_string()).or_default(),
            };
            // One metric's run, day by day.
            while let Some(&(_, day, _, _)) = rows.peek().filter(|r| r.0 == metric) {
                // Added to the day's entry fact by fact, as `add` does: the same sums to the bit.
                let d = m.days.entry(day).or_insert((0.0, 0));
                while let Some((_, _, channel, value)) = rows.next_if(|r| r.0 == metric && r.1 == day) {
                    d.0 += value;
                    d.1 += 1;
                    let c = match m.channels.get_mut(channel) {
                        Some(c) => c,
                        None => m.channels.entry(channel.to_string()).or_default(),
                    };
                    c.n += 1;
                    c.months.entry(month_key(day)).or_default().change(day, value, 1);
                }
            }
        }
    }

    /// Every fact matching `filter` (a condition on `kpi_obs o`, with `params`) is about to be
    /// deleted: count it out. One pass over the matching facts.
    pub fn remove_where(&mut self, conn: &Connection, filter: &str, params: impl rusqlite::Params) -> Result<()> {
        self.each_where(conn, filter, params, -1)
    }

    /// Every fact matching `filter` was just written: count it in.
    pub fn add_where(&mut self, conn: &Connection, filter: &str, params: impl rusqlite::Params) -> Result<()> {
        self.each_where(conn, filter, params, 1)
    }

    fn each_where(&mut self, conn: &Connection, filter: &str, params: impl rusqlite::Params, sign: i64) -> Result<()> {
        let sql = format!(
            "SELECT o.metric, o.day, o.channel, o.value, coalesce(i.preset, '{MANUAL}')
             FROM kpi_obs o LEFT JOIN import_log i ON i.id = o.import_id WHERE {filter}"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            let day = text(r, 1)?;
            let day = iso_day(day).ok_or_else(|| Error::system(format!("a KPI fact has a bad day '{day}'")))?;
            let (metric, channel, source) = (text(r, 0)?, text(r, 2)?, text(r, 4)?);
            let value: f64 = r.get(3)?;
            self.change(source, metric, day, channel, value * sign as f64, sign);
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Write the changes, and move the version on: results derived from the facts before this
    /// transaction are out of date once it commits.
    pub fn apply(&self, conn: &Connection) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        // Counts going up are upserts; going down, updates of rows that must exist (an upsert's
        // new row would fail the CHECK on its negative count before it met the old one).
        let mut day_down = conn.prepare_cached(
            "UPDATE kpi_day SET sum = sum + ?4, n = n + ?5 WHERE metric = ?1 AND day = ?2 AND source = ?3",
        )?;
        let mut day_gone =
            conn.prepare_cached("DELETE FROM kpi_day WHERE metric = ?1 AND day = ?2 AND source = ?3 AND n = 0")?;
        let mut channel_up = conn.prepare_cached(
            "INSERT INTO kpi_channel(metric, channel, n) VALUES (?1, ?2, ?3)
             ON CONFLICT(metric, channel) DO UPDATE SET n = n + excluded.n",
        )?;
        let mut channel_down =
            conn.prepare_cached("UPDATE kpi_channel SET n = n + ?3 WHERE metric = ?1 AND channel = ?2")?;
        let mut channel_gone =
            conn.prepare_cached("DELETE FROM kpi_channel WHERE metric = ?1 AND channel = ?2 AND n = 0")?;
        let mut feed_up = conn.prepare_cached(
            "INSERT INTO kpi_feed(metric, source, n) VALUES (?1, ?2, ?3)
             ON CONFLICT(metric, source) DO UPDATE SET n = n + excluded.n",
        )?;
        let mut feed_down = conn.prepare_cached("UPDATE kpi_feed SET n = n + ?3 WHERE metric = ?1 AND source = ?2")?;
        let mut feed_gone = conn.prepare_cached("DELETE FROM kpi_feed WHERE metric = ?1 AND source = ?2 AND n = 0")?;
        // The version this transaction moves the facts to: what the series it touches are logged at.
        let version: i64 =
            conn.query_row("UPDATE kpi_version SET n = n + 1 WHERE id = 1 RETURNING n", [], |r| r.get(0))?;
        let mut dirty = conn.prepare_cached(
            "INSERT INTO kpi_dirty(metric, channel, version) VALUES (?1, ?2, ?3)
             ON CONFLICT(metric, channel) DO UPDATE SET version = excluded.version",
        )?;
        let mut channels: HashMap<(&str, &str), i64> = HashMap::new();
        let mut months: HashMap<(&str, &str, i32), MonthDelta> = HashMap::new();
        // Sources and metrics in name order, days in date order: `kpi_day`'s key order (metric,
        // day, source), so every upsert lands next to the one before. In a store with no daily
        // totals yet (a first import) that is always the end of the B-tree, where SQLite appends
        // without a descent from the root; in hash order, most metrics' days went into the middle.
        let mut sources: Vec<_> = self.sources.iter().collect();
        sources.sort_unstable_by_key(|(source, _)| source.as_str());
        for (source, metrics) in sources {
            let mut metrics: Vec<_> = metrics.iter().collect();
            metrics.sort_unstable_by_key(|(metric, _)| metric.as_str());
            for (metric, m) in metrics {
                let mut feed = 0;
                // In the table's key order (metric, day, source): each upsert lands next to the
                // last one instead of on a random page of the B-tree.
                let mut days: Vec<_> = m.days.iter().collect();
                days.sort_unstable_by_key(|(day, _)| **day);
                let mut ups = day_ups::DayUps::new(metric, source);
                for (day, (sum, n)) in days {
                    if *n == 0 && *sum == 0.0 {
                        continue;
                    }
                    if *n > 0 {
                        ups.push(conn, *day, *sum, *n)?;
                        feed += n;
                        continue;
                    }
                    let day = fmt_day(*day);
                    if *n < 0 {
                        down(day_down.execute(params![metric, day, source, sum, n]))?;
                        day_gone.execute(params![metric, day, source])?;
                    } else {
                        // As many facts left as came (a file's facts kept apart for another
                        // source's in the same import): the sums' rounding residue must not
                        // leave an empty day behind, nor make one that was not there.
                        day_down.execute(params![metric, day, source, sum, n])?;
                        day_gone.execute(params![metric, day, source])?;
                    }
                    feed += n;
                }
                ups.flush(conn)?;
                if feed > 0 {
                    feed_up.execute(params![metric, source, feed]).map_err(miscounted)?;
                } else if feed < 0 {
                    down(feed_down.execute(params![metric, source, feed]))?;
                    feed_gone.execute(params![metric, source])?;
                }
                for (channel, c) in &m.channels {
                    *channels.entry((metric.as_str(), channel.as_str())).or_default() += c.n;
                    for (month, d) in &c.months {
                        months.entry((metric.as_str(), channel.as_str(), *month)).or_default().merge(d);
                    }
                }
            }
        }
        for ((metric, channel), n) in channels {
            // Every series touched, even one whose count did not move (a value edited in place):
            // one row per distinct series per transaction, never one per fact.
            dirty.execute(params![metric, channel, version])?;
            if n > 0 {
                channel_up.execute(params![metric, channel, n]).map_err(miscounted)?;
            } else if n < 0 {
                down(channel_down.execute(params![metric, channel, n]))?;
                channel_gone.execute(params![metric, channel])?;
            }
        }
        channel_months::apply(conn, &months)?;
        Ok(())
    }
}

/// A count below zero is refused by the tables' CHECK: the write removed facts the rollups never
/// counted, so it is stopped rather than leaving totals that disagree with the facts.
pub(super) fn miscounted(e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => miscounted_error(),
        _ => e.into(),
    }
}

/// Column `i` as borrowed text: bulk reads allocate nothing per row.
pub(super) fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

/// A count going down must find its row, and stay at zero or above.
pub(super) fn down(updated: rusqlite::Result<usize>) -> Result<()> {
    match updated {
        Ok(1) => Ok(()),
        Ok(_) => Err(miscounted_error()),
        Err(e) => Err(miscounted(e)),
    }
}

pub(super) fn miscounted_error() -> Error {
    Error::system(
        "the KPI rollups disagree with the facts (a count would go below zero); nothing was written: run `mktg check`",
    )
}

/// The source of facts from `import_id`: its preset, or [`MANUAL`].
pub(crate) fn source_of(conn: &Connection, import_id: Option<i64>) -> Result<String> {
    let Some(id) = import_id else { return Ok(MANUAL.to_string()) };
    let preset: Option<String> =
        conn.query_row("SELECT preset FROM import_log WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    Ok(preset.unwrap_or_else(|| MANUAL.to_string()))
}

/// `YYYY-MM-DD` without chrono's format parser (undo reads a million of them).
pub(crate) fn iso_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// One feed: a metric from one source, and the days it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feed {
    pub metric: String,
    /// The import preset (`ga4`, `hubspot-deals`, `kpi-csv`...) or `manual`.
    pub source: String,
    pub first_day: NaiveDate,
    /// The last day with data: a feed whose last day is well behind yesterday has gone quiet.
    pub last_day: NaiveDate,
    pub facts: i64,
}

impl<M> Kpis<'_, M> {
    /// Daily totals of `metrics` over `from..=to` (no channels): one indexed range of the rollup
    /// per metric, at most one row per day, however many facts a day holds; with the period
    /// totals that lie inside the window (counted by `Cube::range`, never in a day's cell).
    pub fn daily_totals(&self, metrics: &[String], from: NaiveDate, to: NaiveDate) -> Result<Cube> {
        let mut cube = Cube::new(from, to);
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT day, sum(sum), sum(n) FROM kpi_day WHERE metric = ?1 AND day >= ?2 AND day <= ?3 GROUP BY day",
        )?;
        let (a, b) = (fmt_day(from), fmt_day(to));
        for m in metrics {
            let mut rows = stmt.query(params![m, a, b])?;
            while let Some(r) = rows.next()? {
                if let Some(day) = iso_day(text(r, 0)?) {
                    cube.add_total(m, day, r.get(1)?, r.get::<_, i64>(2)? as u32);
                }
            }
        }
        // Period totals (reports without a Day column) are not days, so never in the rollups:
        // they count beside them in the ranges they fall wholly inside, as in `Kpis::cube`.
        for (metric, cell) in self.period_totals(metrics, from, to)? {
            cube.add_period(&metric, cell);
        }
        Ok(cube)
    }

    /// Daily sums and counts of `metric` per campaign over `from..=to` (facts with a campaign;
    /// campaign-level imports): (campaign id, day, sum, count), by campaign then day. Reads the
    /// range's facts, so it costs what the range holds: for a view of a few campaigns or days.
    pub fn daily_by_campaign(
        &self,
        metric: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, NaiveDate, f64, i64)>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT campaign_id, day, sum(value), count(*) FROM kpi_obs
             WHERE metric = ?1 AND day >= ?2 AND day <= ?3 AND campaign_id IS NOT NULL
             GROUP BY campaign_id, day ORDER BY campaign_id, day",
        )?;
        let rows = stmt.query_map(params![metric, fmt_day(from), fmt_day(to)], |r| {
            let day: String = r.get(1)?;
            Ok((r.get(0)?, iso_day(&day).unwrap_or_default(), r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Channels any of `metrics` has facts in (never ''), by name.
    pub fn channels_of(&self, metrics: &[String]) -> Result<Vec<String>> {
        let mut stmt = self
            .db
            .conn()
            .prepare_cached("SELECT channel FROM kpi_channel WHERE metric = ?1 AND channel <> '' ORDER BY channel")?;
        let mut out: Vec<String> = Vec::new();
        for m in metrics {
            for c in stmt.query_map([m], |r| r.get::<_, String>(0))? {
                out.push(c?);
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Every feed (metric per source) with its first and last day, found along the primary key
    /// within the metric's days (no read path of the cockpit asks for them; see migration 0021).
    pub fn feeds(&self) -> Result<Vec<Feed>> {
        let conn = self.db.conn();
        let mut list = conn.prepare_cached("SELECT metric, source, n FROM kpi_feed ORDER BY metric, source")?;
        let mut span = conn.prepare_cached(
            "SELECT (SELECT min(day) FROM kpi_day WHERE metric = ?1 AND source = ?2),
                    (SELECT max(day) FROM kpi_day WHERE metric = ?1 AND source = ?2)",
        )?;
        let feeds: Vec<(String, String, i64)> =
            list.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(feeds.len());
        for (metric, source, facts) in feeds {
            let (first, last): (Option<String>, Option<String>) =
                span.query_row(params![metric, source], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if let (Some(first_day), Some(last_day)) =
                (first.as_deref().and_then(iso_day), last.as_deref().and_then(iso_day))
            {
                out.push(Feed { metric, source, first_day, last_day, facts });
            }
        }
        Ok(out)
    }

    /// The number of KPI write transactions so far: what a derived result is dated by.
    pub fn version(&self) -> Result<i64> {
        Ok(self.db.conn().query_row("SELECT n FROM kpi_version WHERE id = 1", [], |r| r.get(0))?)
    }

    /// A kept per-channel scan of `as_of` under `params`, if the facts have not changed since.
    pub fn kept_scan(&self, as_of: NaiveDate, params: &str) -> Result<Option<String>> {
        Ok(self
            .db
            .conn()
            .query_row(
                "SELECT body FROM kpi_scan WHERE as_of = ?1 AND params = ?2
                   AND version = (SELECT n FROM kpi_version WHERE id = 1)",
                params![fmt_day(as_of), params],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Where the rollups differ from a fresh aggregation of the facts, one line per difference
    /// (empty when they agree). Sums agree within a relative 1e-9: they are added in a
    /// different order.
    pub fn rollup_mismatches(&self) -> Result<Vec<String>> {
        let conn = self.db.conn();
        let fresh_days = format!(
            "SELECT o.metric, o.day, coalesce(i.preset, '{MANUAL}') AS source, sum(o.value) AS sum, count(*) AS n
             FROM kpi_obs o LEFT JOIN import_log i ON i.id = o.import_id GROUP BY 1, 2, 3"
        );
        let mut out = Vec::new();
        let sql = format!(
            "SELECT f.metric, f.day, f.source, f.sum, f.n, d.sum, d.n FROM ({fresh_days}) f
               LEFT JOIN kpi_day d USING (metric, day, source)
             UNION ALL
             SELECT d.metric, d.day, d.source, NULL, NULL, d.sum, d.n FROM kpi_day d
             WHERE NOT EXISTS (SELECT 1 FROM ({fresh_days}) f
                               WHERE f.metric = d.metric AND f.day = d.day AND f.source = d.source)"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<f64>>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<f64>>(5)?,
                r.get::<_, Option<i64>>(6)?,
            ))
        })?;
        for row in rows {
            let (metric, day, source, fs, fnn, ds, dn) = row?;
            let close = match (fs, ds) {
                (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
                _ => false,
            };
            if !close || fnn != dn {
                out.push(format!("kpi_day {metric} {day} {source}: facts {fs:?}/{fnn:?}, rollup {ds:?}/{dn:?}"));
            }
        }
        let feeds = format!(
            "SELECT o.metric, coalesce(i.preset, '{MANUAL}') AS k, count(*) AS n
             FROM kpi_obs o LEFT JOIN import_log i ON i.id = o.import_id GROUP BY 1, 2"
        );
        for (table, fresh, stored) in [
            (
                "kpi_channel",
                "SELECT metric, channel AS k, count(*) AS n FROM kpi_obs GROUP BY 1, 2".to_string(),
                "SELECT metric, channel AS k, n FROM kpi_channel",
            ),
            ("kpi_feed", feeds, "SELECT metric, source AS k, n FROM kpi_feed"),
        ] {
            let sql = format!(
                "SELECT f.metric, f.k, f.n, s.n FROM ({fresh}) f LEFT JOIN ({stored}) s ON s.metric = f.metric AND s.k = f.k
                 WHERE s.n IS NOT f.n
                 UNION ALL
                 SELECT s.metric, s.k, NULL, s.n FROM ({stored}) s LEFT JOIN ({fresh}) f ON f.metric = s.metric AND f.k = s.k
                 WHERE f.n IS NULL"
            );
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            })?;
            for row in rows {
                let (metric, k, f, t) = row?;
                out.push(format!("{table} {metric} {k}: facts {f:?}, rollup {t:?}"));
            }
        }
        out.extend(channel_months::mismatches(conn)?);
        Ok(out)
    }
}

impl Kpis<'_, Write> {
    /// Keep a per-channel scan of `as_of`, computed when the facts were at `version`: kept only
    /// if they still are (a write in between dates it: the next reader brings an older one up to
    /// date from the dirty log, or computes afresh). Older ones of its kind (`params` up to its
    /// first ':') go: one day's is all a reader asks for. Other kinds stay (the brief keeps two:
    /// the scan and the judged feeds), and the dirty log is pruned to what the oldest kept needs.
    pub fn keep_scan(&self, as_of: NaiveDate, params: &str, version: i64, body: &str) -> Result<bool> {
        let conn = self.db.conn();
        if self.version()? != version {
            return Ok(false);
        }
        let kind = params.split(':').next().unwrap_or(params);
        conn.execute(
            "DELETE FROM kpi_scan WHERE params = ?1 OR substr(params, 1, length(?1) + 1) = ?1 || ':'",
            params![kind],
        )?;
        conn.execute(
            "INSERT INTO kpi_scan(as_of, params, version, body) VALUES (?1, ?2, ?3, ?4)",
            params![fmt_day(as_of), params, version, body],
        )?;
        self.prune_dirty()?;
        Ok(true)
    }
}

#[cfg(test)]
#[path = "rollups_tests.rs"]
mod tests;
