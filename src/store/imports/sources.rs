//! Two sources stating the same metric for the same day and channel (GA4's key events by
//! first-user channel beside the same by session channel): the one `domain::import::source::rank`
//! puts first is counted (it stays in `kpi_obs`); the others' facts are kept apart in
//! `kpi_obs_kept`, never summed twice and never deleted, and come back when that source goes.
//!
//! Decided over a range of days, set by set: a few queries per import, never one per fact.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use crate::domain::import::source::rank;
use crate::store::error::Result;
use crate::store::rollups::Delta;

/// Whether `from..=to` needs deciding after import `id` of `source`: another active import of
/// another source overlaps it, or kept facts lie in it. One indexed query each.
pub(super) fn needed(tx: &Connection, id: i64, source: &str, from: &str, to: &str) -> Result<bool> {
    let other: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM import_log WHERE id != ?1 AND undone_at IS NULL AND replaced_by IS NULL
                          AND range_start <= ?4 AND range_end >= ?3 AND source != ?2)
             OR EXISTS (SELECT 1 FROM kpi_obs_kept WHERE day BETWEEN ?3 AND ?4)",
        params![id, source, from, to],
        |r| r.get(0),
    )?;
    Ok(other)
}

/// Puts every kept fact of `from..=to` back among the counted ones, so that what changed (an
/// import, a replace, an undo) is decided again from scratch by `resolve`.
///
/// The facts put back count in the rollups again: `delta` takes them (the caller applies it).
pub(super) fn restore(tx: &Connection, from: &str, to: &str, delta: &mut Delta) -> Result<()> {
    let before: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM kpi_obs", [], |r| r.get(0))?;
    tx.execute(
        "INSERT INTO kpi_obs(metric, day, channel, campaign_id, value, import_id, source_key, created_at)
         SELECT metric, day, channel, campaign_id, value, import_id, source_key, created_at FROM kpi_obs_kept
         WHERE day BETWEEN ?1 AND ?2",
        params![from, to],
    )?;
    // The rows just put back are those above the highest id before: one range of the primary key.
    delta.add_where(tx, "o.id > ?1", [before])?;
    tx.execute("DELETE FROM kpi_obs_kept WHERE day BETWEEN ?1 AND ?2", params![from, to])?;
    Ok(())
}

/// Decides, for every (metric, day, channel) of `from..=to` stated by more than one source, which
/// source is counted; the others' facts move to `kpi_obs_kept`, and out of the rollups through
/// `delta` (the caller applies it). Returns the imports touched.
pub(super) fn resolve(tx: &Connection, from: &str, to: &str, delta: &mut Delta) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, source, preset FROM import_log WHERE undone_at IS NULL AND replaced_by IS NULL
           AND range_start <= ?2 AND range_end >= ?1",
    )?;
    let imports: HashMap<i64, String> = stmt
        .query_map(params![from, to], |r| {
            let (id, source, preset): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            // Imports made before sources were recorded: their preset stands for their source.
            Ok((id, if source.is_empty() { format!("{preset}||") } else { source }))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut sources: Vec<&String> = imports.values().collect();
    sources.sort();
    sources.dedup();
    let ids: Vec<i64> = imports.keys().copied().collect();
    if sources.len() < 2 {
        refresh_kept_counts(tx, &ids)?;
        return Ok(ids);
    }
    // Which imports state each (metric, day, channel) in the range.
    let mut groups: HashMap<(String, String, String), Vec<i64>> = HashMap::new();
    let mut stmt = tx.prepare_cached(
        "SELECT DISTINCT metric, day, channel, import_id FROM kpi_obs
         WHERE metric IN (SELECT key FROM metric) AND day BETWEEN ?1 AND ?2 AND import_id IS NOT NULL",
    )?;
    let rows = stmt.query_map(params![from, to], |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get::<_, i64>(3)?)))?;
    for row in rows {
        let (key, import) = row?;
        if imports.contains_key(&import) {
            groups.entry(key).or_default().push(import);
        }
    }
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS kept_move(metric TEXT, day TEXT, channel TEXT, import_id INTEGER, shown INTEGER);
         DELETE FROM temp.kept_move;",
    )?;
    let mut moves = 0;
    {
        let mut add = tx.prepare_cached("INSERT INTO temp.kept_move VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for ((metric, day, channel), stated) in &groups {
            if stated.len() < 2 {
                continue;
            }
            let source = |i: &i64| imports.get(i).map_or("", String::as_str);
            let Some(winner) = stated.iter().min_by_key(|i| (rank(metric, source(i)), **i)) else { continue };
            for loser in stated.iter().filter(|i| source(i) != source(winner)) {
                add.execute(params![metric, day, channel, loser, winner])?;
                moves += 1;
            }
        }
    }
    if moves > 0 {
        // The facts leaving `kpi_obs` leave the rollups with them (kept facts are not counted).
        delta.remove_where(
            tx,
            "o.id IN (SELECT k.id FROM temp.kept_move m JOIN kpi_obs k
                        ON k.metric = m.metric AND k.day = m.day AND k.channel = m.channel AND k.import_id = m.import_id)",
            [],
        )?;
        tx.execute_batch(
            "INSERT INTO kpi_obs_kept(metric, day, channel, campaign_id, value, import_id, source_key, created_at, shown_import)
             SELECT o.metric, o.day, o.channel, o.campaign_id, o.value, o.import_id, o.source_key, o.created_at, m.shown
             FROM temp.kept_move m JOIN kpi_obs o
               ON o.metric = m.metric AND o.day = m.day AND o.channel = m.channel AND o.import_id = m.import_id;
             DELETE FROM kpi_obs WHERE id IN (
               SELECT o.id FROM temp.kept_move m JOIN kpi_obs o
                 ON o.metric = m.metric AND o.day = m.day AND o.channel = m.channel AND o.import_id = m.import_id);
             DELETE FROM temp.kept_move;",
        )?;
    }
    refresh_kept_counts(tx, &ids)?;
    Ok(ids)
}

fn refresh_kept_counts(tx: &Connection, ids: &[i64]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "UPDATE import_log SET kept = (SELECT count(*) FROM kpi_obs_kept WHERE import_id = ?1) WHERE id = ?1",
    )?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}

/// For the summary and the import log: how many of import `id`'s facts are counted, and which
/// imports are counted instead of the rest (daily facts kept apart; period totals that a daily
/// series or a higher-ranked source states).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Standing {
    /// Daily facts kept apart, by the import counted instead.
    pub kept_for: Vec<(i64, usize)>,
    /// Period totals not counted because daily values of the same metric and channel exist.
    pub periods_under_daily: usize,
    /// Period totals not counted because another source ranks first, by that import.
    pub periods_outranked: Vec<(i64, usize)>,
    /// Earlier imports' facts that this import now outranks: no longer counted (kept, not
    /// deleted), by that import, with the metrics concerned. Removing facts from the count is
    /// never silent.
    pub displaced: Vec<Displaced>,
}

/// Facts of another import that stopped counting because this one ranks first.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Displaced {
    pub import: i64,
    pub facts: usize,
    pub metrics: Vec<String>,
}

pub(super) fn standing(tx: &Connection, id: i64) -> Result<Standing> {
    let mut out = Standing::default();
    let mut stmt = tx.prepare_cached(
        "SELECT shown_import, count(*) FROM kpi_obs_kept WHERE import_id = ?1 GROUP BY shown_import ORDER BY shown_import",
    )?;
    out.kept_for =
        stmt.query_map([id], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?.collect::<rusqlite::Result<_>>()?;
    out.periods_under_daily = tx.query_row(
        "SELECT count(*) FROM kpi_period p WHERE p.import_id = ?1 AND EXISTS (
           SELECT 1 FROM kpi_obs o WHERE o.metric = p.metric AND o.day BETWEEN p.day_from AND p.day_to
              AND o.channel = p.channel)",
        [id],
        |r| r.get::<_, i64>(0),
    )? as usize;
    // Another import's period total of the same metric and channel inside this one's period,
    // ranked first (`Cube::range`'s rule, in the view of this total's own period): a source
    // that ranks first, or the same rank over the same period imported earlier.
    let rows = period_pairs(
        tx,
        id,
        "SELECT p.id, p.metric, mine.source, q.import_id, theirs.source, q.day_from = p.day_from AND q.day_to = p.day_to
         FROM kpi_period p JOIN import_log mine ON mine.id = p.import_id
         JOIN kpi_period q ON q.metric = p.metric AND q.channel = p.channel AND q.import_id != p.import_id
              AND q.day_from >= p.day_from AND q.day_to <= p.day_to
         JOIN import_log theirs ON theirs.id = q.import_id AND theirs.undone_at IS NULL AND theirs.replaced_by IS NULL
         WHERE p.import_id = ?1",
    )?;
    let mut outranked: HashMap<i64, usize> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for (fact, metric, mine, other, theirs, same_span) in rows {
        let (a, b) = (rank(&metric, &theirs), rank(&metric, &mine));
        if (a < b || (a == b && same_span && other < id)) && seen.insert(fact) {
            *outranked.entry(other).or_default() += 1;
        }
    }
    let mut outranked: Vec<(i64, usize)> = outranked.into_iter().collect();
    outranked.sort_unstable();
    out.periods_outranked = outranked;
    out.displaced = displaced(tx, id)?;
    Ok(out)
}

/// (fact, metric, this import's source, the other import, its source, same span) of a query
/// pairing import `id`'s period totals with another import's of the same metric and channel.
type PeriodPair = (i64, String, String, i64, String, bool);

fn period_pairs(tx: &Connection, id: i64, sql: &str) -> Result<Vec<PeriodPair>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The other side of `standing`: facts of other imports that import `id` outranks now, daily
/// facts moved apart in its favour and period totals it states first inside their period.
fn displaced(tx: &Connection, id: i64) -> Result<Vec<Displaced>> {
    let mut by: std::collections::BTreeMap<i64, (usize, std::collections::BTreeSet<String>)> = Default::default();
    let mut stmt = tx.prepare_cached(
        "SELECT import_id, metric, count(*) FROM kpi_obs_kept WHERE shown_import = ?1 AND import_id != ?1
         GROUP BY import_id, metric",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
    for row in rows {
        let (other, metric, n) = row?;
        let e = by.entry(other).or_default();
        e.0 += n as usize;
        e.1.insert(metric);
    }
    // Their period total `q` is not counted where this import's total `p` of the same metric and
    // channel lies inside q's period and this source ranks first (`standing`'s rule, reversed; a
    // tie goes to the earlier import, which this one is not).
    let rows = period_pairs(
        tx,
        id,
        "SELECT DISTINCT q.id, q.metric, mine.source, q.import_id, theirs.source, 0
         FROM kpi_period p JOIN import_log mine ON mine.id = p.import_id
         JOIN kpi_period q ON q.metric = p.metric AND q.channel = p.channel AND q.import_id != p.import_id
              AND p.day_from >= q.day_from AND p.day_to <= q.day_to
         JOIN import_log theirs ON theirs.id = q.import_id AND theirs.undone_at IS NULL AND theirs.replaced_by IS NULL
         WHERE p.import_id = ?1",
    )?;
    let mut seen = std::collections::HashSet::new();
    for (fact, metric, mine, other, theirs, _) in rows {
        if rank(&metric, &mine) < rank(&metric, &theirs) && seen.insert(fact) {
            let e = by.entry(other).or_default();
            e.0 += 1;
            e.1.insert(metric);
        }
    }
    Ok(by
        .into_iter()
        .map(|(import, (facts, metrics))| Displaced { import, facts, metrics: metrics.into_iter().collect() })
        .collect())
}
