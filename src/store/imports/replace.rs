//! Which earlier imports a file updates (same source, overlapping period, a fact in common), and
//! their facts by row key, so the file's facts update them in place.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, params};

use super::ImportRequest;
use crate::domain::winloss::DealOutcome;
use crate::store::compete::outcomes;
use crate::store::error::Result;

/// A fact already in the store from an import this one may replace.
pub(super) struct Old {
    pub import_id: i64,
    pub id: i64,
    pub kind: Kind,
}

pub(super) enum Kind {
    Kpi { metric: String, day: String, channel: String, campaign_id: Option<i64>, value: f64 },
    Period { metric: String, from: String, to: String, channel: String, campaign_id: Option<i64>, value: f64 },
    Spend { campaign_id: i64, day: String, amount_cents: i64, note: String },
    Experiment { experiment_id: i64, position: i64, day: String, visitors: i64, conversions: i64 },
    Outcome(DealOutcome),
}

/// An earlier import that may be the same export: its id and range.
pub(super) struct Candidate {
    pub id: i64,
    pub start: String,
    pub end: String,
}

/// Active imports of the same source (or, for imports made before sources were recorded, the
/// same preset) whose range overlaps `start..=end`.
pub(super) fn candidates(
    tx: &Connection,
    req: &ImportRequest<'_>,
    id: i64,
    start: &str,
    end: &str,
) -> Result<Vec<Candidate>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, range_start, range_end FROM import_log
         WHERE preset = ?1 AND id != ?2 AND undone_at IS NULL AND replaced_by IS NULL
           AND range_start <= ?4 AND range_end >= ?3 AND (source = ?5 OR source = '') ORDER BY id",
    )?;
    let rows = stmt.query_map(params![req.parsed.preset.name(), id, start, end, req.parsed.source], |r| {
        Ok(Candidate { id: r.get(0)?, start: r.get(1)?, end: r.get(2)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The earlier imports this file updates, and their facts by row key.
///
/// An earlier import is the same export, updated, when it is of the same source, its range
/// overlaps this one, and it shares at least one fact key with this file. The shared key keeps a
/// second hand-made kpi-csv of other metrics from wiping the first.
pub(super) fn earlier_export(
    tx: &Connection,
    req: &ImportRequest<'_>,
    candidates: &[Candidate],
) -> Result<(HashMap<String, Old>, Vec<i64>)> {
    let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
    let mut old: HashMap<String, Old> = HashMap::new();
    if let (Some(&first), Some(&last)) = (ids.first(), ids.last()) {
        // KPI facts are not indexed by import (migration 0004): one scan serves every candidate,
        // in rowid order, not import by import: `keep_earliest` restores the import order.
        let mut kpis = tx.prepare_cached(
            "SELECT o.import_id, o.source_key, o.id, o.metric, o.day, o.channel, o.campaign_id, o.value, c.name
             FROM kpi_obs o LEFT JOIN campaign c ON c.id = o.campaign_id AND o.source_key IS NULL
             WHERE o.import_id BETWEEN ?1 AND ?2",
        )?;
        let rows = kpis.query_map([first, last], |r| {
            let kind = Kind::Kpi {
                metric: r.get(3)?,
                day: r.get(4)?,
                channel: r.get(5)?,
                campaign_id: r.get(6)?,
                value: r.get(7)?,
            };
            let campaign: Option<String> = r.get(8)?;
            Ok((r.get::<_, Option<String>>(1)?, campaign, Old { import_id: r.get(0)?, id: r.get(2)?, kind }))
        })?;
        for row in rows {
            let (key, campaign, fact) = row?;
            if ids.binary_search(&fact.import_id).is_err() {
                continue;
            }
            // A key left out was spelled by the row (`batch::stored_key`): spelled again here.
            let key = match (key, campaign, &fact.kind) {
                (Some(k), _, _) => k,
                (None, None, Kind::Kpi { metric, day, channel, .. }) => format!("{day}|{metric}|{channel}"),
                (None, Some(name), Kind::Kpi { metric, day, channel, .. }) => {
                    format!("{day}|{name}|{channel}|{metric}")
                }
                (None, _, _) => continue,
            };
            keep_earliest(&mut old, key, fact);
        }
    }
    for &import_id in &ids {
        for o in outcomes::of_import(tx, import_id)? {
            if let Some(key) = o.key {
                keep_earliest(&mut old, key, Old { import_id: o.import_id, id: o.id, kind: Kind::Outcome(o.outcome) });
            }
        }
        let mut results = tx.prepare_cached(
            "SELECT source_key, id, experiment_id, position, day, visitors, conversions FROM experiment_result
             WHERE import_id = ?1",
        )?;
        let rows = results.query_map([import_id], |r| {
            let kind = Kind::Experiment {
                experiment_id: r.get(2)?,
                position: r.get(3)?,
                day: r.get(4)?,
                visitors: r.get(5)?,
                conversions: r.get(6)?,
            };
            Ok((r.get::<_, Option<String>>(0)?, Old { import_id, id: r.get(1)?, kind }))
        })?;
        for row in rows {
            let (key, fact) = row?;
            if let Some(key) = key {
                keep_earliest(&mut old, key, fact);
            }
        }
        let mut periods = tx.prepare_cached(
            "SELECT source_key, id, metric, day_from, day_to, channel, campaign_id, value FROM kpi_period
             WHERE import_id = ?1",
        )?;
        let rows = periods.query_map([import_id], |r| {
            let kind = Kind::Period {
                metric: r.get(2)?,
                from: r.get(3)?,
                to: r.get(4)?,
                channel: r.get(5)?,
                campaign_id: r.get(6)?,
                value: r.get(7)?,
            };
            Ok((r.get::<_, String>(0)?, Old { import_id, id: r.get(1)?, kind }))
        })?;
        for row in rows {
            let (key, fact) = row?;
            keep_earliest(&mut old, key, fact);
        }
        let mut spend = tx.prepare_cached(
            "SELECT source_key, id, campaign_id, day, amount_cents, note FROM spend WHERE import_id = ?1",
        )?;
        let rows = spend.query_map([import_id], |r| {
            let kind = Kind::Spend { campaign_id: r.get(2)?, day: r.get(3)?, amount_cents: r.get(4)?, note: r.get(5)? };
            Ok((r.get::<_, Option<String>>(0)?, Old { import_id, id: r.get(1)?, kind }))
        })?;
        for row in rows {
            let (key, fact) = row?;
            if let Some(key) = key {
                keep_earliest(&mut old, key, fact);
            }
        }
    }
    if old.is_empty() {
        return Ok((old, Vec::new()));
    }
    let sharing: HashSet<i64> = req.parsed.facts.iter().filter_map(|f| old.get(f.key()).map(|o| o.import_id)).collect();
    old.retain(|_, o| sharing.contains(&o.import_id));
    let replaced = ids.into_iter().filter(|c| sharing.contains(c)).collect();
    Ok((old, replaced))
}

/// Where two earlier imports hold a fact of the same key, the earliest one's is the one updated;
/// the other is removed with its import if that one is replaced.
fn keep_earliest(old: &mut HashMap<String, Old>, key: String, fact: Old) {
    match old.entry(key) {
        Entry::Vacant(e) => {
            e.insert(fact);
        }
        Entry::Occupied(mut e) if e.get().import_id > fact.import_id => {
            e.insert(fact);
        }
        Entry::Occupied(_) => {}
    }
}
