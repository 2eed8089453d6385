//! Reading the import log, undoing an import, and the kpi-csv shaped rows `export kpis` writes.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::apply::day_opt;
use crate::store::error::{Error, Result};
use crate::store::rollups::Delta;
use crate::store::tx::Tx;
use crate::store::{fmt_instant, parse_day};

/// One line of the import log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportEntry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub file_name: String,
    pub preset: String,
    pub range_start: Option<NaiveDate>,
    pub range_end: Option<NaiveDate>,
    pub rows_read: i64,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub removed: i64,
    pub skipped: i64,
    pub campaigns_created: i64,
    pub replaced_by: Option<i64>,
    pub undone_at: Option<NaiveDateTime>,
    /// Which report it is (`preset|dimension|signature`; empty for imports made before sources).
    pub source: String,
    /// Its facts kept apart because another source states them with precedence.
    pub kept: i64,
    /// The summary's lines beside the counts (period total, channels, columns not read...).
    pub notes: Vec<String>,
}

impl ImportEntry {
    /// Whether its facts are in the store now.
    pub fn is_active(&self) -> bool {
        self.undone_at.is_none() && self.replaced_by.is_none()
    }
}

/// What an undo removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UndoSummary {
    pub id: i64,
    pub file_name: String,
    pub facts_removed: usize,
    /// Campaigns this import created that nothing else used, now gone.
    pub campaigns_removed: Vec<String>,
    /// Imports this one had replaced: their facts went with it, so they are marked undone too.
    pub also_undone: Vec<i64>,
    /// Positioning triggers it had raised whose evidence went with it: no longer open (their
    /// proposed decisions stay in the log).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub triggers_cleared: Vec<crate::store::compete::RaisedTrigger>,
}

/// One row of `export kpis`: the kpi-csv shape, so the file imports back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiExportRow {
    pub date: NaiveDate,
    pub metric: String,
    pub value: f64,
    pub channel: String,
}

fn instant(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap_or_default()
}

pub(super) fn list(conn: &Connection) -> Result<Vec<ImportEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, file_name, preset, range_start, range_end, rows_read, created, updated, unchanged, removed,
                skipped, campaigns_created, replaced_by, undone_at, source, kept, notes
         FROM import_log ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ImportEntry {
            id: r.get(0)?,
            at: instant(&r.get::<_, String>(1)?),
            file_name: r.get(2)?,
            preset: r.get(3)?,
            range_start: day_opt(r.get(4)?),
            range_end: day_opt(r.get(5)?),
            rows_read: r.get(6)?,
            created: r.get(7)?,
            updated: r.get(8)?,
            unchanged: r.get(9)?,
            removed: r.get(10)?,
            skipped: r.get(11)?,
            campaigns_created: r.get(12)?,
            replaced_by: r.get(13)?,
            undone_at: r.get::<_, Option<String>>(14)?.map(|s| instant(&s)),
            source: r.get(15)?,
            kept: r.get(16)?,
            notes: r.get::<_, String>(17)?.lines().map(str::to_string).filter(|l| !l.is_empty()).collect(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn fact_count(conn: &Connection, id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM kpi_obs WHERE import_id = ?1 AND NOT (metric = 'spend' AND coalesce(source_key, '') LIKE 'spend:%'))
              + (SELECT count(*) FROM spend WHERE import_id = ?1)
              + (SELECT count(*) FROM attribution WHERE import_id = ?1)
              + (SELECT count(*) FROM experiment_result WHERE import_id = ?1)
              + (SELECT count(*) FROM deal_outcome WHERE import_id = ?1)
              + (SELECT count(*) FROM kpi_period WHERE import_id = ?1)
              + (SELECT count(*) FROM kpi_obs_kept WHERE import_id = ?1)
              + (SELECT count(*) FROM touch WHERE import_id = ?1 AND replaced_by IS NULL)",
        [id],
        |r| r.get(0),
    )?)
}

pub(super) fn undo(tx: &Tx<'_>, id: i64, now: NaiveDateTime) -> Result<UndoSummary> {
    let compete = tx.compete();
    let tx = tx.conn();
    let row: Option<(String, Option<i64>, Option<String>)> = tx
        .query_row("SELECT file_name, replaced_by, undone_at FROM import_log WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((file_name, replaced_by, undone_at)) = row else {
        return Err(Error::input(format!("there is no import #{id} (the log is under `I` in the cockpit)")));
    };
    if let Some(at) = undone_at {
        return Err(Error::input(format!("import #{id} ({file_name}) was already undone at {at}; nothing changed")));
    }
    if let Some(by) = replaced_by {
        return Err(Error::input(format!(
            "import #{id} ({file_name}) was replaced by import #{by}, which holds its facts now: undo #{by} instead"
        )));
    }
    // Every KPI fact of the import (twins included) leaves the rollups with it.
    let mut delta = Delta::default();
    delta.remove_where(tx, "o.import_id = ?1", [id])?;
    // A spend-csv's spend KPI twins go with it, but are not facts of the file: not counted.
    tx.execute("DELETE FROM kpi_obs WHERE import_id = ?1 AND metric = 'spend' AND source_key LIKE 'spend:%'", [id])?;
    super::touches::before_undo(tx, id)?;
    let mut facts_removed = 0;
    for table in ["kpi_obs", "kpi_period", "spend", "attribution", "experiment_result", "touch", "kpi_obs_kept"] {
        facts_removed += tx.execute(&format!("DELETE FROM {table} WHERE import_id = ?1"), [id])?;
    }
    // Applied once the facts are gone: a month's days are re-checked against what is left.
    delta.apply(tx)?;
    // A deal another import also brought is that import's again (settled with the triggers,
    // below, once the imports it undoes are known).
    let outcomes = tx.execute("DELETE FROM deal_outcome WHERE import_id = ?1", [id])?;
    facts_removed += outcomes;
    // Its HubSpot records go with it (they were never counted as facts), and the milestone paths
    // are derived again from what is left.
    tx.execute("DELETE FROM hubspot_record WHERE import_id = ?1", [id])?;
    let campaigns_removed = remove_unused_campaigns(tx, id)?;
    let at = fmt_instant(now);
    tx.execute("UPDATE import_log SET undone_at = ?1 WHERE id = ?2", params![at, id])?;
    // Imports this one replaced had their facts taken over by it; with it undone they hold
    // nothing, so they are undone too and their files can be imported afresh.
    let mut stmt = tx.prepare_cached("SELECT id FROM import_log WHERE replaced_by = ?1 AND undone_at IS NULL")?;
    let also_undone: Vec<i64> = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    tx.execute("UPDATE import_log SET undone_at = ?1 WHERE replaced_by = ?2 AND undone_at IS NULL", params![at, id])?;
    // Deal outcomes gone: the triggers their evidence raised are detected again, and cleared
    // when they no longer hold; the proposed decisions they opened stay in the log, the director's.
    let triggers_cleared = if outcomes > 0 {
        let undone: Vec<i64> = std::iter::once(id).chain(also_undone.iter().copied()).collect();
        compete.after_undo(&undone, now)?
    } else {
        Vec::new()
    };
    super::milestones::rederive(tx, now)?;
    // What another source had kept apart for this one is counted again (or decided anew).
    let range: (Option<String>, Option<String>) =
        tx.query_row("SELECT range_start, range_end FROM import_log WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    if let (Some(from), Some(to)) = range {
        let mut delta = Delta::default();
        super::sources::restore(tx, &from, &to, &mut delta)?;
        super::sources::resolve(tx, &from, &to, &mut delta)?;
        delta.apply(tx)?;
    }
    Ok(UndoSummary { id, file_name, facts_removed, campaigns_removed, also_undone, triggers_cleared })
}

/// Deletes the campaigns `import_id` created, unless something else now refers to them:
/// another import's facts, a plan, a move, a decision, or a budget planned since.
fn remove_unused_campaigns(tx: &Connection, import_id: i64) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT c.id, c.name FROM import_campaign ic JOIN campaign c ON c.id = ic.campaign_id
         WHERE ic.import_id = ?1 AND c.planned_cents = 0
           AND NOT EXISTS (SELECT 1 FROM spend WHERE campaign_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM kpi_obs WHERE campaign_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM attribution WHERE campaign_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM plan_change WHERE campaign_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM budget_move WHERE from_campaign_id = c.id OR to_campaign_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM decision WHERE campaign_id = c.id OR campaign2_id = c.id)
         ORDER BY c.id",
    )?;
    let unused: Vec<(i64, String)> =
        stmt.query_map([import_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    for (id, _) in &unused {
        tx.execute("DELETE FROM campaign WHERE id = ?1", [id])?;
    }
    tx.execute("DELETE FROM import_campaign WHERE import_id = ?1", [import_id])?;
    Ok(unused.into_iter().map(|(_, name)| name).collect())
}

pub(in crate::store) fn kpi_export_rows(conn: &Connection) -> Result<Vec<KpiExportRow>> {
    // With a single max() SQLite takes the bare `value` from the row holding the max id: the
    // latest observation, which is what a 'last' (stock) metric means on one day.
    let mut stmt = conn.prepare_cached(
        "SELECT o.day, o.metric, o.channel, coalesce(m.rollup, 'sum'), sum(o.value), avg(o.value), max(o.id), o.value
         FROM kpi_obs o LEFT JOIN metric m ON m.key = o.metric
         GROUP BY o.day, o.metric, o.channel ORDER BY o.day, o.metric, o.channel",
    )?;
    let rows = stmt.query_map([], |r| {
        let rollup: String = r.get(3)?;
        let value: f64 = match rollup.as_str() {
            "sum" => r.get(4)?,
            "last" => r.get(7)?,
            _ => r.get(5)?,
        };
        // A sum of floats carries noise (1236.40 + 798.88 is 2035.2800000000002): written as people
        // write it, at most 9 decimals, in CSV and JSON alike.
        let value = crate::domain::number::shortest(value).parse().unwrap_or(value);
        Ok(KpiExportRow { date: parse_day(&r.get::<_, String>(0)?), metric: r.get(1)?, value, channel: r.get(2)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
