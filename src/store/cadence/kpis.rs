//! The few KPI figures a meeting shows beside its checklist: each metric's month-to-date value,
//! and by channel where the data is split. Deliberately small (sums, averages, last values and
//! `a/b+c` ratios over sums); the dashboard's KPI engine owns targets, pacing and anomalies.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use super::Cadence;
use crate::domain::model::{Rollup, Unit};
use crate::domain::period::{Grain, Period};
use crate::store::error::Result;
use crate::store::fmt_day;
use crate::store::kpis::Kpis;

/// One metric for the meeting view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingKpi {
    pub key: String,
    pub label: String,
    pub unit: Unit,
    /// The period the figures cover: `2026-11-01`..=`2026-11-20`.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `None` when there is no data in the period.
    pub value: Option<f64>,
    /// Per channel, largest first; empty when the metric is not split.
    pub by_channel: Vec<(String, f64)>,
}

/// Per-channel sums, averages or last values of one metric over a range.
type Sums = BTreeMap<String, f64>;

impl<M> Cadence<'_, M> {
    fn channel_sums(&self, metric: &str, from: NaiveDate, to: NaiveDate) -> Result<Sums> {
        // Deal outcomes are counted from the deals (one total, no channels), as the dashboard does.
        if let Some(outcome) = crate::domain::compete::kpi_input(metric) {
            let days = crate::store::compete::Compete::new(self.db).daily_counts(from, to)?;
            let won = outcome == crate::domain::winloss::Outcome::Won;
            let n: u64 = days.iter().map(|d| if won { d.won } else { d.lost }).sum();
            return Ok(if days.is_empty() { Sums::new() } else { Sums::from([(String::new(), n as f64)]) });
        }
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT channel, sum(value) FROM kpi_obs WHERE metric = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY channel",
        )?;
        let rows = stmt.query_map(params![metric, fmt_day(from), fmt_day(to)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn channel_avgs(&self, metric: &str, from: NaiveDate, to: NaiveDate, last: bool) -> Result<Sums> {
        let sql = if last {
            "SELECT o.channel, sum(o.value) FROM kpi_obs o
             WHERE o.metric = ?1 AND o.day = (SELECT max(day) FROM kpi_obs p
                   WHERE p.metric = ?1 AND p.channel = o.channel AND p.day BETWEEN ?2 AND ?3)
             GROUP BY o.channel"
        } else {
            "SELECT channel, avg(value) FROM kpi_obs WHERE metric = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY channel"
        };
        let mut stmt = self.db.conn().prepare_cached(sql)?;
        let rows = stmt.query_map(params![metric, fmt_day(from), fmt_day(to)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The metrics `keys` for the month containing `today`, up to `today`. Unknown keys are skipped.
    pub fn meeting_kpis(&self, keys: &[String], today: NaiveDate) -> Result<Vec<MeetingKpi>> {
        let from = Period::containing(Grain::Month, today).start;
        let metrics = Kpis::new(self.db).metrics()?;
        let mut out = Vec::new();
        for key in keys {
            let Some(m) = metrics.iter().find(|m| &m.key == key) else { continue };
            let (total, by) = match (m.rollup, m.formula.as_deref()) {
                (Rollup::Ratio, Some(f)) => {
                    let Some((num, den)) = f.split_once('/') else { continue };
                    let n = self.channel_sums(num.trim(), from, today)?;
                    let mut d = Sums::new();
                    for term in den.split('+') {
                        for (ch, v) in self.channel_sums(term.trim(), from, today)? {
                            *d.entry(ch).or_default() += v;
                        }
                    }
                    let scale = if m.unit == Unit::Percent { 100.0 } else { 1.0 };
                    let ratio = |a: f64, b: f64| (b > 0.0).then(|| a / b * scale);
                    // No observation of the numerator (no spend recorded) is "no data", not a CPL of $0.
                    let total = if n.is_empty() { None } else { ratio(n.values().sum(), d.values().sum()) };
                    let by: Sums = n.iter().filter_map(|(ch, a)| Some((ch.clone(), ratio(*a, *d.get(ch)?)?))).collect();
                    (total, by)
                }
                (Rollup::Sum, _) => {
                    let s = self.channel_sums(&m.key, from, today)?;
                    ((!s.is_empty()).then(|| s.values().sum()), s)
                }
                (rollup, _) => {
                    let s = self.channel_avgs(&m.key, from, today, rollup == Rollup::Last)?;
                    let total = if rollup == Rollup::Last {
                        (!s.is_empty()).then(|| s.values().sum())
                    } else {
                        (!s.is_empty()).then(|| s.values().sum::<f64>() / s.len() as f64)
                    };
                    (total, s)
                }
            };
            let mut by_channel: Vec<(String, f64)> = by.into_iter().filter(|(ch, _)| !ch.is_empty()).collect();
            by_channel.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            out.push(MeetingKpi {
                key: m.key.clone(),
                label: m.label.clone(),
                unit: m.unit,
                from,
                to: today,
                value: total,
                by_channel,
            });
        }
        Ok(out)
    }
}
