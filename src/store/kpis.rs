//! KPIs: metric definitions, targets and dated observations.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, fmt_day, parse_day};
use crate::domain::model::{Direction, Rollup, Unit};
use crate::domain::text::close_matches;
use crate::error::{Error, Result};

/// A metric's definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    pub key: String,
    pub label: String,
    pub unit: Unit,
    pub direction: Direction,
    pub rollup: Rollup,
    /// For ratio metrics: `spend/leads`, `won/won+lost`.
    pub formula: Option<String>,
    /// Position among the dashboard tiles; 0 = not a tile.
    pub headline: u32,
    pub min_volume: f64,
}

/// One dated observation.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

impl Store {
    /// Every metric, in template order.
    pub fn metrics(&self) -> Result<Vec<Metric>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT key, label, unit, direction, rollup, formula, headline, min_volume FROM metric ORDER BY position, key",
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
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The metric named `key`; an unknown name is an error listing the close matches.
    pub fn metric(&self, key: &str) -> Result<Metric> {
        let found = self
            .conn()
            .query_row("SELECT key FROM metric WHERE key = ?1", [key.trim()], |r| r.get::<_, String>(0))
            .optional()?;
        let all = self.metrics()?;
        if let Some(k) = found {
            if let Some(m) = all.into_iter().find(|m| m.key == k) {
                return Ok(m);
            }
            return Err(Error::system(format!("metric '{k}' vanished while reading")));
        }
        let keys: Vec<&str> = all.iter().map(|m| m.key.as_str()).collect();
        let near = close_matches(key, keys.iter().copied());
        let hint = if near.is_empty() {
            format!("known metrics: {}", keys.join(", "))
        } else {
            format!("did you mean {}?", near.join(", "))
        };
        Err(Error::input(format!("unknown metric '{}'; {hint}", key.trim())))
    }

    /// Observations matching `f`, oldest first.
    pub fn kpi_observations(&self, f: &ObservationFilter) -> Result<Vec<Observation>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, metric, day, channel, campaign_id, value, import_id FROM kpi_obs
             WHERE (?1 IS NULL OR metric = ?1) AND (?2 IS NULL OR day >= ?2) AND (?3 IS NULL OR day <= ?3)
               AND (?4 IS NULL OR channel = ?4)
             ORDER BY day, metric, channel, id LIMIT ?5",
        )?;
        let limit = f.limit.map(|l| l as i64).unwrap_or(-1);
        let rows =
            stmt.query_map(params![f.metric, f.from.map(fmt_day), f.to.map(fmt_day), f.channel, limit], |r| {
                Ok(Observation {
                    id: r.get(0)?,
                    metric: r.get(1)?,
                    day: parse_day(&r.get::<_, String>(2)?),
                    channel: r.get(3)?,
                    campaign_id: r.get(4)?,
                    value: r.get(5)?,
                    import_id: r.get(6)?,
                })
            })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_metric_suggests_the_close_ones() {
        let s = Store::open_in_memory().unwrap();
        s.init_role(crate::assets::Role::DemandGen, crate::clock::parse_now("2026-11-20").unwrap()).unwrap();
        assert_eq!(s.metric("mqls").unwrap().unit, Unit::Count);
        let e = s.metric("mql").unwrap_err().to_string();
        assert!(e.contains("did you mean mqls"), "{e}");
    }
}
