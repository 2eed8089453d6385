//! KPIs: metric definitions, targets and dated observations.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::error::{Error, Result};
use super::meta::Meta;
use super::rollups::{Delta, MANUAL, source_of};
use super::tx::{Db, Read, Write};
use super::{fmt_day, parse_day};
use crate::domain::kpi::{
    ChannelNotice, Cube, Entry, EntryInput, PeriodCell, TargetSource, channel_notice, check_entry, check_target,
    find_metric, target_with_source,
};
use crate::domain::period::Period;

/// A metric's definition (defined in the domain; re-exported here for the store's callers).
pub use crate::domain::kpi::Metric;

/// One dated observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub id: i64,
    pub metric: String,
    pub day: NaiveDate,
    pub channel: String,
    pub campaign_id: Option<i64>,
    pub value: f64,
    pub import_id: Option<i64>,
}

/// Which observations to list.
#[derive(Debug, Clone, Default)]
pub struct ObservationFilter {
    pub metric: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub channel: Option<String>,
    pub limit: Option<usize>,
}

/// A value to record (or to put in place of an existing observation).
#[derive(Debug, Clone, PartialEq)]
pub struct NewObservation {
    pub metric: String,
    pub day: NaiveDate,
    pub channel: String,
    pub value: f64,
}

impl From<&Entry> for NewObservation {
    fn from(e: &Entry) -> Self {
        NewObservation { metric: e.metric.key.clone(), day: e.day, channel: e.channel.clone(), value: e.value }
    }
}

/// `store.kpis()` reads metrics, targets and observations; `tx.kpis()` also records them.
pub struct Kpis<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

impl<'a, M> Kpis<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Kpis { db }
    }

    /// Every metric, in template order.
    pub fn metrics(&self) -> Result<Vec<Metric>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT key, label, unit, direction, rollup, formula, headline, min_volume, fractional FROM metric
             ORDER BY position, key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Metric {
                key: r.get(0)?,
                label: r.get(1)?,
                unit: r.get(2)?,
                direction: r.get(3)?,
                rollup: r.get(4)?,
                formula: r.get(5)?,
                headline: r.get(6)?,
                min_volume: r.get(7)?,
                fractional: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The metric named `key` (see `domain::kpi::find_metric`).
    pub fn metric(&self, key: &str) -> Result<Metric> {
        Ok(find_metric(&self.metrics()?, key)?.clone())
    }

    /// A KPI value as a person enters it, checked with the store's metrics and currency, with the
    /// notice when its channel is new for the metric (see `domain::kpi::check_entry`): the one
    /// check behind `kpi record` and the cockpit's entry form. Record it with `record`.
    pub fn check_entry(&self, input: &EntryInput<'_>, today: NaiveDate) -> Result<(Entry, Option<ChannelNotice>)> {
        let currency = Meta::new(self.db).currency();
        let entry = check_entry(input, &self.metrics()?, &currency, today)?;
        let notice = channel_notice(&entry, &self.channels(&entry.metric.key)?);
        Ok((entry, notice))
    }

    /// A target as typed for the metric named `metric` (any case), checked in its unit and the
    /// store's currency (see `domain::kpi::check_target`): the one check behind `kpi target` and
    /// the cockpit's target form. Set it with `set_target`.
    pub fn check_target(&self, metric: &str, value: &str, period: &str) -> Result<(Metric, Period, f64)> {
        let m = self.metric(metric)?;
        let currency = Meta::new(self.db).currency();
        let (p, v) = check_target(&m, value, period, &currency)?;
        Ok((m, p, v))
    }

    /// The target of `m` for `period` and where it comes from (set, or the template's default).
    pub fn target(&self, m: &Metric, period: &Period) -> Result<Option<(f64, TargetSource)>> {
        let mine: Vec<(String, f64)> =
            self.targets()?.into_iter().filter(|(k, _, _)| *k == m.key).map(|(_, p, v)| (p, v)).collect();
        Ok(target_with_source(m, period, &mine))
    }

    /// Observations matching `f`, oldest first.
    pub fn observations(&self, f: &ObservationFilter) -> Result<Vec<Observation>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT id, metric, day, channel, campaign_id, value, import_id FROM kpi_obs
             WHERE (?1 IS NULL OR metric = ?1) AND (?2 IS NULL OR day >= ?2) AND (?3 IS NULL OR day <= ?3)
               AND (?4 IS NULL OR channel = ?4)
             ORDER BY day, metric, channel, id LIMIT ?5",
        )?;
        let limit = f.limit.map(|l| l as i64).unwrap_or(-1);
        let rows = stmt
            .query_map(params![f.metric, f.from.map(fmt_day), f.to.map(fmt_day), f.channel, limit], read_observation)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Daily sums and counts of `metrics` over `from..=to`, by channel: one range scan of the
    /// covering index `kpi_obs(metric, day, channel, value)` per metric, so the cost follows
    /// the window asked for, never the years of history behind it.
    pub fn cube(&self, metrics: &[String], from: NaiveDate, to: NaiveDate) -> Result<Cube> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT day, channel, sum(value), count(*) FROM kpi_obs INDEXED BY kpi_obs_by_metric_day
             WHERE metric = ?1 AND day >= ?2 AND day <= ?3 GROUP BY day, channel",
        )?;
        let (a, b) = (fmt_day(from), fmt_day(to));
        self.filled_cube(metrics, from, to, |cube, m| {
            let mut rows = stmt.query(params![m, a, b])?;
            while let Some(r) = rows.next()? {
                let day: String = r.get(0)?;
                let channel: String = r.get(1)?;
                cube.add(m, parse_day(&day), &channel, r.get(2)?, r.get::<_, i64>(3)? as u32);
            }
            Ok(())
        })
    }

    /// A cube over `from..=to` as every windowed read fills it: each observed metric's facts as
    /// `facts` adds them (by day, or by span: see [`Kpis::span_cube`]), deal outcomes
    /// (`outcomes.won`, `outcomes.lost`: counted from the deals, never observed) by their real
    /// day, and the period totals (reports without a Day column) that count in the window.
    pub(super) fn filled_cube(
        &self,
        metrics: &[String],
        from: NaiveDate,
        to: NaiveDate,
        mut facts: impl FnMut(&mut Cube, &str) -> Result<()>,
    ) -> Result<Cube> {
        let mut cube = Cube::new(from, to);
        let mut outcome_days = None;
        for m in metrics {
            let Some(outcome) = crate::domain::compete::kpi_input(m) else {
                facts(&mut cube, m)?;
                continue;
            };
            if outcome_days.is_none() {
                outcome_days = Some(super::compete::Compete::new(self.db).daily_counts(from, to)?);
            }
            for d in outcome_days.iter().flatten() {
                let n = if outcome == crate::domain::winloss::Outcome::Won { d.won } else { d.lost };
                cube.add(m, d.day, "", n as f64, 1);
            }
        }
        for (metric, cell) in self.period_totals(metrics, from, to)? {
            cube.add_period(&metric, cell);
        }
        Ok(cube)
    }

    /// [`Kpis::cube`] split by the campaign each observation is credited to: one cube per
    /// campaign name ('' for observations credited to none), by name. A name planned in two
    /// quarters is one campaign here, as people speak of it.
    pub fn cubes_by_campaign(&self, metrics: &[String], from: NaiveDate, to: NaiveDate) -> Result<Vec<(String, Cube)>> {
        let mut cubes: std::collections::BTreeMap<String, Cube> = std::collections::BTreeMap::new();
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT o.day, o.channel, coalesce(c.name, ''), sum(o.value), count(*)
             FROM kpi_obs o INDEXED BY kpi_obs_by_metric_day LEFT JOIN campaign c ON c.id = o.campaign_id
             WHERE o.metric = ?1 AND o.day >= ?2 AND o.day <= ?3 GROUP BY o.day, o.channel, 3",
        )?;
        let (a, b) = (fmt_day(from), fmt_day(to));
        for m in metrics {
            let mut rows = stmt.query(params![m, a, b])?;
            while let Some(r) = rows.next()? {
                let day: String = r.get(0)?;
                let channel: String = r.get(1)?;
                let campaign: String = r.get(2)?;
                let cube = cubes.entry(campaign).or_insert_with(|| Cube::new(from, to));
                cube.add(m, parse_day(&day), &channel, r.get(3)?, r.get::<_, i64>(4)? as u32);
            }
        }
        // Period totals, each in its campaign's cube, so that the campaigns add up to `cube`.
        for (metric, campaign, cell) in self.period_rows(metrics, from, to, true)? {
            cubes.entry(campaign).or_insert_with(|| Cube::new(from, to)).add_period(&metric, cell);
        }
        Ok(cubes.into_iter().collect())
    }

    /// The period totals of `metrics` that lie wholly inside `from..=to` and are counted: not one
    /// where a daily series of the same metric and channel has values inside its period (the
    /// daily series wins: it is what a chart can show). Each carries its source's rank, by which
    /// `Cube::range` picks one of two overlapping totals (`domain::import::source`).
    pub fn period_totals(
        &self,
        metrics: &[String],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(String, PeriodCell)>> {
        Ok(self.period_rows(metrics, from, to, false)?.into_iter().map(|(m, _, cell)| (m, cell)).collect())
    }

    /// [`Kpis::period_totals`] as (metric, campaign name, total): split by campaign when
    /// `by_campaign` ('' for totals credited to none), else one total per import and channel.
    fn period_rows(
        &self,
        metrics: &[String],
        from: NaiveDate,
        to: NaiveDate,
        by_campaign: bool,
    ) -> Result<Vec<(String, String, PeriodCell)>> {
        // Most stores have no period totals at all: one look at the table then spares preparing
        // and running the join below once per metric (23 times in a brief) for nothing.
        let any: bool =
            self.db.conn().prepare_cached("SELECT EXISTS (SELECT 1 FROM kpi_period)")?.query_row([], |r| r.get(0))?;
        if !any {
            return Ok(Vec::new());
        }
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT p.channel, p.day_from, p.day_to, sum(p.value), p.import_id, l.source, l.preset,
                    CASE WHEN ?4 THEN coalesce(c.name, '') ELSE '' END AS campaign
             FROM kpi_period p JOIN import_log l ON l.id = p.import_id
                  LEFT JOIN campaign c ON c.id = p.campaign_id
             WHERE p.metric = ?1 AND p.day_to <= ?3 AND p.day_from >= ?2
               AND NOT EXISTS (SELECT 1 FROM kpi_obs o WHERE o.metric = p.metric
                                 AND o.day BETWEEN p.day_from AND p.day_to AND o.channel = p.channel)
             GROUP BY p.import_id, p.channel, p.day_from, p.day_to, campaign",
        )?;
        let (a, b) = (fmt_day(from), fmt_day(to));
        let mut out = Vec::new();
        for m in metrics {
            let mut rows = stmt.query(params![m, a, b, by_campaign])?;
            while let Some(r) = rows.next()? {
                let (source, preset): (String, String) = (r.get(5)?, r.get(6)?);
                let source = if source.is_empty() { format!("{preset}||") } else { source };
                let (tool, scope) = crate::domain::import::source::rank(m, &source);
                let cell = PeriodCell {
                    channel: r.get(0)?,
                    from: parse_day(&r.get::<_, String>(1)?),
                    to: parse_day(&r.get::<_, String>(2)?),
                    value: r.get(3)?,
                    rank: (tool, scope, r.get(4)?),
                };
                out.push((m.clone(), r.get(7)?, cell));
            }
        }
        Ok(out)
    }

    /// The last day any of `metrics` has an observation on, at most `through`: one statement, one
    /// index seek per metric (the metrics passed as a JSON list), whatever the history behind it.
    /// What `data_through` starts from.
    pub fn last_day(&self, metrics: &[String], through: NaiveDate) -> Result<Option<NaiveDate>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT max(d) FROM (SELECT (SELECT max(day) FROM kpi_obs INDEXED BY kpi_obs_by_metric_day
                                         WHERE metric = k.value AND day <= ?2) AS d
                                 FROM json_each(?1) k)",
        )?;
        let list = serde_json::to_string(metrics).map_err(|e| Error::system(format!("metrics: {e}")))?;
        let last: Option<String> = stmt.query_row(params![list, fmt_day(through)], |r| r.get(0))?;
        Ok(last.map(|d| parse_day(&d)))
    }

    /// Every target, as (metric, period, value); periods are names (`2026-11`) or the
    /// period-less defaults `month` and `quarter`.
    pub fn targets(&self) -> Result<Vec<(String, String, f64)>> {
        let mut stmt =
            self.db.conn().prepare_cached("SELECT metric, period, value FROM kpi_target ORDER BY metric, period")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The channels `metric` has been observed in, for "new channel?" notices and completion.
    pub fn channels(&self, metric: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .db
            .conn()
            .prepare_cached("SELECT channel FROM kpi_channel WHERE metric = ?1 AND channel <> '' ORDER BY channel")?;
        let rows = stmt.query_map([metric], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One observation by id.
    pub fn observation(&self, id: i64) -> Result<Observation> {
        self.db
            .conn()
            .query_row(
                "SELECT id, metric, day, channel, campaign_id, value, import_id FROM kpi_obs WHERE id = ?1",
                [id],
                read_observation,
            )
            .optional()?
            .ok_or_else(|| Error::input(format!("no KPI observation #{id}")))
    }

    /// Every observation in the kpi-csv shape, one row per (day, metric, channel), combined by the
    /// metric's rollup, so the export imports back as it is.
    pub fn export_rows(&self) -> Result<Vec<super::imports::KpiExportRow>> {
        super::imports::kpi_export_rows(self.db.conn())
    }

    /// The latest observations of `metric` (newest day first), for the drill-down's entry list.
    pub fn recent(&self, metric: &str, limit: usize) -> Result<Vec<Observation>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT id, metric, day, channel, campaign_id, value, import_id FROM kpi_obs
             WHERE metric = ?1 ORDER BY day DESC, id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![metric, limit as i64], read_observation)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Kpis<'_, Write> {
    /// Set (or replace) the target of `metric` for a named period (`2026-11`, `2026-Q4`, `2026-W47`).
    pub fn set_target(&self, metric: &str, period: &str, value: f64) -> Result<()> {
        let tx = self.db.conn();
        tx.execute(
            "INSERT INTO kpi_target(metric, period, value) VALUES (?1, ?2, ?3)
             ON CONFLICT(metric, period) DO UPDATE SET value = excluded.value",
            params![metric, period, value],
        )?;
        Ok(())
    }

    /// Record one hand-typed observation; returns its id.
    pub fn record(&self, o: &NewObservation, now: chrono::NaiveDateTime) -> Result<i64> {
        if o.day > now.date() {
            return Err(Error::input(format!(
                "{} is in the future: an observation is for a day that has happened",
                fmt_day(o.day)
            )));
        }
        // Channels are stored as slugs, as imports store them: "Paid Search" is paid-search.
        let channel = crate::domain::text::channel_slug(&o.channel);
        let tx = self.db.conn();
        tx.execute(
            "INSERT INTO kpi_obs(metric, day, channel, value, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![o.metric, fmt_day(o.day), channel, o.value, super::fmt_instant(now)],
        )?;
        let id = tx.last_insert_rowid();
        let mut delta = Delta::default();
        delta.add(MANUAL, &o.metric, o.day, &channel, o.value);
        delta.apply(tx)?;
        Ok(id)
    }

    /// Change an observation's day, channel and value (its metric stays).
    pub fn update(&self, id: i64, o: &NewObservation) -> Result<()> {
        let tx = self.db.conn();
        let old = self.observation(id)?;
        let channel = crate::domain::text::channel_slug(&o.channel);
        tx.execute(
            "UPDATE kpi_obs SET day = ?2, channel = ?3, value = ?4 WHERE id = ?1",
            params![id, fmt_day(o.day), channel, o.value],
        )?;
        let source = source_of(tx, old.import_id)?;
        let mut delta = Delta::default();
        delta.remove(&source, &old.metric, old.day, &old.channel, old.value);
        delta.add(&source, &old.metric, o.day, &channel, o.value);
        delta.apply(tx)?;
        Ok(())
    }

    /// Delete an observation; returns it, so that it can be put back.
    pub fn delete(&self, id: i64) -> Result<Observation> {
        let old = self.observation(id)?;
        let tx = self.db.conn();
        tx.execute("DELETE FROM kpi_obs WHERE id = ?1", [id])?;
        let mut delta = Delta::default();
        delta.remove(&source_of(tx, old.import_id)?, &old.metric, old.day, &old.channel, old.value);
        delta.apply(tx)?;
        Ok(old)
    }

    /// Put a deleted observation back, under its old id (undo).
    pub fn restore(&self, o: &Observation, now: chrono::NaiveDateTime) -> Result<()> {
        let tx = self.db.conn();
        tx.execute(
            "INSERT INTO kpi_obs(id, metric, day, channel, campaign_id, value, import_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                o.id,
                o.metric,
                fmt_day(o.day),
                o.channel,
                o.campaign_id,
                o.value,
                o.import_id,
                super::fmt_instant(now)
            ],
        )?;
        let mut delta = Delta::default();
        delta.add(&source_of(tx, o.import_id)?, &o.metric, o.day, &o.channel, o.value);
        delta.apply(tx)?;
        Ok(())
    }
}

fn read_observation(r: &rusqlite::Row) -> rusqlite::Result<Observation> {
    Ok(Observation {
        id: r.get(0)?,
        metric: r.get(1)?,
        day: parse_day(&r.get::<_, String>(2)?),
        channel: r.get(3)?,
        campaign_id: r.get(4)?,
        value: r.get(5)?,
        import_id: r.get(6)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn an_unknown_metric_suggests_the_close_ones() {
        let s = Store::open_in_memory().unwrap();
        s.write(|tx| {
            tx.meta().init_role(crate::assets::Role::DemandGen, crate::clock::parse_now("2026-11-20").unwrap())
        })
        .unwrap();
        assert_eq!(s.kpis().metric("mqls").unwrap().unit, crate::domain::model::Unit::Count);
        let e = s.kpis().metric("mql").unwrap_err().to_string();
        assert!(e.contains("did you mean mqls"), "{e}");
    }

    #[test]
    fn the_cube_sums_a_window_by_day_and_channel_and_ignores_the_rest() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        let d = |x: &str| NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap();
        for (day, ch, v) in [("2026-11-18", "email", 3.0), ("2026-11-18", "email", 2.0), ("2026-11-19", "", 7.0)] {
            s.write(|tx| {
                tx.kpis()
                    .record(&NewObservation { metric: "leads".into(), day: d(day), channel: ch.into(), value: v }, now)
            })
            .unwrap();
        }
        // Outside the window: never read.
        s.write(|tx| {
            tx.kpis().record(
                &NewObservation { metric: "leads".into(), day: d("2020-01-01"), channel: "".into(), value: 99.0 },
                now,
            )
        })
        .unwrap();
        let cube = s.kpis().cube(&["leads".into()], d("2026-11-01"), d("2026-11-19")).unwrap();
        let all = cube.range("leads", None, d("2026-11-01"), d("2026-11-19"));
        assert_eq!((all.sum, all.count), (12.0, 3));
        assert_eq!(cube.range("leads", Some("email"), d("2026-11-18"), d("2026-11-18")).sum, 5.0);
    }

    #[test]
    fn an_observation_is_edited_deleted_and_put_back() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 19).unwrap();
        let o = NewObservation { metric: "leads".into(), day, channel: "email".into(), value: 40.0 };
        let id = s.write(|tx| tx.kpis().record(&o, now)).unwrap();
        s.write(|tx| tx.kpis().update(id, &NewObservation { value: 45.0, ..o.clone() })).unwrap();
        assert_eq!(s.kpis().observation(id).unwrap().value, 45.0);
        let gone = s.write(|tx| tx.kpis().delete(id)).unwrap();
        assert!(s.kpis().observation(id).is_err());
        s.write(|tx| tx.kpis().restore(&gone, now)).unwrap();
        assert_eq!(s.kpis().recent("leads", 5).unwrap(), vec![gone]);
        assert!(s.write(|tx| tx.kpis().update(999, &o)).is_err());
    }
}
