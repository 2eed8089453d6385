//! Monthly totals per metric and channel (`kpi_channel_month`, migration 0015), kept with the
//! other rollups by [`super::rollups::Delta`], and the reads built on them: a metric's total per
//! channel over any span of days, and the days each channel reported on.
//!
//! Why months: in the dense shape (a fact per metric, day and channel) a rollup per day and
//! channel would be as large as the facts, so it would save nothing; a month folds thirty of them
//! into one row. A span that is not whole months takes its edge days from the facts: the days
//! inside the span, or the month less the days outside it, whichever holds fewer facts (counted
//! from `kpi_day`). A month-to-date breakdown then reads the rollup and a few days of facts, not
//! two months of them.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};

use super::error::Result;
use super::fmt_day;
use super::kpis::Kpis;
use super::rollups::{down, iso_day, miscounted, miscounted_error, text};
use crate::domain::kpi::{Cell, Cube};

/// One month of one channel's change in a write: sum and count, and the days facts were added
/// on and removed from (bit d-1 for day d).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct MonthDelta {
    sum: f64,
    n: i64,
    added: u32,
    removed: u32,
}

impl MonthDelta {
    pub(super) fn change(&mut self, day: NaiveDate, value: f64, n: i64) {
        self.sum += value;
        self.n += n;
        let bit = 1u32 << day.day0();
        if n > 0 {
            self.added |= bit;
        } else {
            self.removed |= bit;
        }
    }

    pub(super) fn merge(&mut self, other: &MonthDelta) {
        self.sum += other.sum;
        self.n += other.n;
        self.added |= other.added;
        self.removed |= other.removed;
    }
}

/// A month as a number (year x 12 + month from 0): cheap to hash for every fact of an import.
pub(super) fn month_key(day: NaiveDate) -> i32 {
    day.year() * 12 + day.month0() as i32
}

pub(super) fn month_start(key: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(key.div_euclid(12), key.rem_euclid(12) as u32 + 1, 1).unwrap_or_default()
}

pub(super) fn month_end(key: i32) -> NaiveDate {
    month_start(key + 1) - Duration::days(1)
}

pub(super) fn month_text(key: i32) -> String {
    format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1)
}

/// Write a transaction's monthly changes. Called by `Delta::apply` once the facts are as the
/// transaction leaves them: a day facts were removed from keeps its bit only if one is left.
pub(super) fn apply(conn: &Connection, months: &HashMap<(&str, &str, i32), MonthDelta>) -> Result<()> {
    let mut up = conn.prepare_cached(
        "INSERT INTO kpi_channel_month(metric, month, channel, sum, n, days) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(metric, month, channel) DO UPDATE
         SET sum = sum + excluded.sum, n = n + excluded.n, days = days | excluded.days",
    )?;
    let mut change = conn.prepare_cached(
        "UPDATE kpi_channel_month SET sum = sum + ?4, n = n + ?5, days = days | ?6
         WHERE metric = ?1 AND month = ?2 AND channel = ?3",
    )?;
    let mut read =
        conn.prepare_cached("SELECT n, days FROM kpi_channel_month WHERE metric = ?1 AND month = ?2 AND channel = ?3")?;
    let mut gone =
        conn.prepare_cached("DELETE FROM kpi_channel_month WHERE metric = ?1 AND month = ?2 AND channel = ?3")?;
    let mut set_days = conn
        .prepare_cached("UPDATE kpi_channel_month SET days = ?4 WHERE metric = ?1 AND month = ?2 AND channel = ?3")?;
    let mut exists = conn.prepare_cached(
        "SELECT 1 FROM kpi_obs INDEXED BY kpi_obs_by_metric_day WHERE metric = ?1 AND day = ?2 AND channel = ?3",
    )?;
    // In the table's key order (metric, month, channel): an import's thousands of upserts then
    // walk the B-tree once instead of seeking a random page each.
    let mut sorted: Vec<_> = months.iter().collect();
    sorted.sort_unstable_by(|a, b| (a.0.0, a.0.2, a.0.1).cmp(&(b.0.0, b.0.2, b.0.1)));
    for (&(metric, channel, key), d) in sorted {
        let month = month_text(key);
        if d.n > 0 {
            up.execute(params![metric, month, channel, d.sum, d.n, d.added]).map_err(miscounted)?;
        } else if d.n < 0 {
            down(change.execute(params![metric, month, channel, d.sum, d.n, d.added]))?;
        } else if d.removed != 0 {
            // As many facts left as came: the month may hold others, or none (then no row).
            change.execute(params![metric, month, channel, d.sum, d.n, d.added])?;
        }
        if d.removed == 0 {
            continue;
        }
        let row = read.query_row(params![metric, month, channel], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let Some((n, days)) = row else {
            if d.n < 0 {
                return Err(miscounted_error());
            }
            continue;
        };
        let (n, days): (i64, i64) = (n, days);
        if n == 0 {
            gone.execute(params![metric, month, channel])?;
            continue;
        }
        // A day facts left keeps its bit while another fact of it remains: one index seek each.
        let mut kept = days;
        let start = month_start(key);
        for bit in 0..31 {
            if d.removed & (1 << bit) != 0 && kept & (1 << bit) != 0 {
                let day = fmt_day(start + Duration::days(bit));
                if !exists.exists(params![metric, day, channel])? {
                    kept &= !(1 << bit);
                }
            }
        }
        if kept != days {
            set_days.execute(params![metric, month, channel, kept])?;
        }
    }
    Ok(())
}

/// Where `kpi_channel_month` differs from a fresh aggregation of the facts (for `mktg check`
/// and the property test), one line per difference.
pub(super) fn mismatches(conn: &Connection) -> Result<Vec<String>> {
    let fresh = "SELECT metric, substr(day, 1, 7) AS month, channel, sum(value) AS sum, count(*) AS n,
                        sum(DISTINCT 1 << (CAST(substr(day, 9, 2) AS INTEGER) - 1)) AS days
                 FROM kpi_obs GROUP BY 1, 2, 3";
    let sql = format!(
        "SELECT f.metric, f.month, f.channel, f.sum, f.n, f.days, s.sum, s.n, s.days
         FROM ({fresh}) f LEFT JOIN kpi_channel_month s USING (metric, month, channel)
         UNION ALL
         SELECT s.metric, s.month, s.channel, NULL, NULL, NULL, s.sum, s.n, s.days FROM kpi_channel_month s
         WHERE NOT EXISTS (SELECT 1 FROM ({fresh}) f
                           WHERE f.metric = s.metric AND f.month = s.month AND f.channel = s.channel)"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?),
            (r.get::<_, Option<f64>>(3)?, r.get::<_, Option<i64>>(4)?, r.get::<_, Option<i64>>(5)?),
            (r.get::<_, Option<f64>>(6)?, r.get::<_, Option<i64>>(7)?, r.get::<_, Option<i64>>(8)?),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let ((metric, month, channel), (fs, fnn, fd), (ss, sn, sd)) = row?;
        let close = match (fs, ss) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
            _ => false,
        };
        if !close || fnn != sn || fd != sd {
            out.push(format!(
                "kpi_channel_month {metric} {month} {channel:?}: facts {fs:?}/{fnn:?}/{fd:?}, rollup {ss:?}/{sn:?}/{sd:?}"
            ));
        }
    }
    Ok(out)
}

/// Per-channel sums being added up; counts stay exact, sums are floats.
pub(super) type Totals = HashMap<String, (f64, i64)>;

pub(super) fn add_to(out: &mut Totals, channel: &str, sum: f64, n: i64) {
    match out.get_mut(channel) {
        Some(t) => {
            t.0 += sum;
            t.1 += n;
        }
        None => {
            out.insert(channel.to_string(), (sum, n));
        }
    }
}

impl<M> Kpis<'_, M> {
    /// Sum and count of `metric` per channel over `from..=to`: whole months from the monthly
    /// rollup, edge days from the facts (see the module's comment). Channels with no fact in the
    /// span are left out. Period totals are not days: never in these (see [`Kpis::span_cube`]).
    pub fn channel_totals(&self, metric: &str, from: NaiveDate, to: NaiveDate) -> Result<HashMap<String, Cell>> {
        let mut out = Totals::new();
        let mut key = month_key(from);
        while from <= to && key <= month_key(to) {
            let (ms, me) = (month_start(key), month_end(key));
            let (a, b) = (from.max(ms), to.min(me));
            if a == ms && b == me {
                self.add_month(&mut out, metric, key, None, 1.0)?;
            } else {
                let inside = self.facts_in(metric, a, b)?;
                let outside = self.facts_in(metric, ms, a - Duration::days(1))?
                    + self.facts_in(metric, b + Duration::days(1), me)?;
                if inside <= outside {
                    self.add_facts(&mut out, metric, a, b, 1.0)?;
                } else {
                    self.add_month(&mut out, metric, key, None, 1.0)?;
                    self.add_facts(&mut out, metric, ms, a - Duration::days(1), -1.0)?;
                    self.add_facts(&mut out, metric, b + Duration::days(1), me, -1.0)?;
                }
            }
            key += 1;
        }
        // A month less its other days leaves a rounding residue where nothing is left: none.
        Ok(out
            .into_iter()
            .filter(|(_, (_, n))| *n > 0)
            .map(|(c, (sum, n))| (c, Cell { sum, count: n as u32 }))
            .collect())
    }

    /// A cube of span totals for the channel breakdown: each of `spans` (disjoint, inclusive)
    /// holds every channel's total over it on its first day, so that `Cube::range` over a whole
    /// span (or several) is that span's total; period totals count as in [`Kpis::cube`]. Not a
    /// daily series: a range that cuts a span, or a metric rolled up as its latest day, needs
    /// [`Kpis::cube`]. Deal outcomes (`won`, `lost` counted from the deals) are by real day.
    pub fn span_cube(&self, metrics: &[String], spans: &[(NaiveDate, NaiveDate)]) -> Result<Cube> {
        let from = spans.iter().map(|s| s.0).min().unwrap_or_default();
        let to = spans.iter().map(|s| s.1).max().unwrap_or_default();
        self.filled_cube(metrics, from, to, |cube, m| {
            for &(a, b) in spans {
                for (channel, cell) in self.channel_totals(m, a, b)? {
                    cube.add(m, a, &channel, cell.sum, cell.count);
                }
            }
            Ok(())
        })
    }

    /// The days in `from..=to` each channel of `metric` reported on (ascending), from the
    /// monthly rollup's day bits: a feed's rhythm without reading its facts.
    pub fn channel_days(&self, metric: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<(String, Vec<NaiveDate>)>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT channel, month, days FROM kpi_channel_month WHERE metric = ?1 AND month >= ?2 AND month <= ?3
             ORDER BY channel, month",
        )?;
        let mut out: Vec<(String, Vec<NaiveDate>)> = Vec::new();
        let mut rows = stmt.query(params![metric, month_text(month_key(from)), month_text(month_key(to))])?;
        while let Some(r) = rows.next()? {
            let channel = text(r, 0)?;
            let Some(start) = iso_day(&format!("{}-01", text(r, 1)?)) else { continue };
            let bits: i64 = r.get(2)?;
            if out.last().is_none_or(|(c, _)| c != channel) {
                out.push((channel.to_string(), Vec::new()));
            }
            let days = &mut out.last_mut().expect("pushed above").1;
            for bit in 0..31 {
                let day = start + Duration::days(bit);
                if bits & (1 << bit) != 0 && day >= from && day <= to && day.month() == start.month() {
                    days.push(day);
                }
            }
        }
        out.retain(|(_, days)| !days.is_empty());
        Ok(out)
    }

    /// How many facts of `metric` fall in `from..=to`: what reading them would cost.
    fn facts_in(&self, metric: &str, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        if from > to {
            return Ok(0);
        }
        let mut stmt = self
            .db
            .conn()
            .prepare_cached("SELECT coalesce(sum(n), 0) FROM kpi_day WHERE metric = ?1 AND day >= ?2 AND day <= ?3")?;
        Ok(stmt.query_row(params![metric, fmt_day(from), fmt_day(to)], |r| r.get(0))?)
    }

    /// Adds month `key`'s rollup of `metric` to `out`, times `sign`: every channel's, or one's.
    pub(in crate::store) fn add_month(
        &self,
        out: &mut Totals,
        metric: &str,
        key: i32,
        channel: Option<&str>,
        sign: f64,
    ) -> Result<()> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT channel, sum, n FROM kpi_channel_month WHERE metric = ?1 AND month = ?2
               AND (?3 IS NULL OR channel = ?3)",
        )?;
        let mut rows = stmt.query(params![metric, month_text(key), channel])?;
        while let Some(r) = rows.next()? {
            add_to(out, text(r, 0)?, sign * r.get::<_, f64>(1)?, sign as i64 * r.get::<_, i64>(2)?);
        }
        Ok(())
    }

    /// Adds every channel's facts of `metric` from `from` to `to` (inclusive) to `out`, times `sign`.
    pub(in crate::store) fn add_facts(
        &self,
        out: &mut Totals,
        metric: &str,
        from: NaiveDate,
        to: NaiveDate,
        sign: f64,
    ) -> Result<()> {
        if from > to {
            return Ok(());
        }
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT channel, sum(value), count(*) FROM kpi_obs INDEXED BY kpi_obs_by_metric_day
             WHERE metric = ?1 AND day >= ?2 AND day <= ?3 GROUP BY day, channel",
        )?;
        let mut rows = stmt.query(params![metric, fmt_day(from), fmt_day(to)])?;
        while let Some(r) = rows.next()? {
            add_to(out, text(r, 0)?, sign * r.get::<_, f64>(1)?, sign as i64 * r.get::<_, i64>(2)?);
        }
        Ok(())
    }
}
