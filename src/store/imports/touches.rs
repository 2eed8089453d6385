//! Writing a touches file's rows inside the import transaction, replacing the same deals' rows of
//! earlier imports of the same source, and giving them back when the replacing import is undone.
//!
//! A deal's history is replaced whole, never merged row by row: the file that says a deal's
//! history now says all of it (merging two exports would add every row twice). The earlier rows
//! stay in the table marked `replaced_by`, which every reader skips, so an undo is exact.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, params};

use super::ImportRequest;
use crate::domain::import::Fact;
use crate::store::error::Result;

/// What writing a file's touch rows did.
#[derive(Debug, Default)]
pub(super) struct Written {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows of the replaced deals that the new file no longer has.
    pub removed: usize,
    /// Summary lines: which earlier imports lost which deals' rows.
    pub notes: Vec<String>,
}

/// A row already stored for one of the file's deals by an earlier import of its source.
struct Old {
    id: i64,
    import_id: i64,
    deal: String,
    key: Option<String>,
    amount_cents: Option<i64>,
}

/// Inserts the file's touch rows under import `id`; the rows the same deals had from earlier
/// active imports of the same source are marked replaced by it. Counted by row key: a row the
/// earlier import had is unchanged (or updated, when its amount moved), a new one created.
pub(super) fn write(tx: &Connection, req: &ImportRequest<'_>, id: i64, at: &str) -> Result<Written> {
    let facts: Vec<&Fact> = req.parsed.facts.iter().filter(|f| matches!(f, Fact::Touch { .. })).collect();
    let mut out = Written::default();
    if facts.is_empty() {
        return Ok(out);
    }
    let mut deals: Vec<&str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for f in &facts {
        if let Fact::Touch { deal, .. } = f
            && seen.insert(deal)
        {
            deals.push(deal);
        }
    }
    let old = earlier_rows(tx, &req.parsed.source, id, &deals)?;
    let mut by_key: HashMap<&str, &Old> = old.iter().filter_map(|o| o.key.as_deref().map(|k| (k, o))).collect();
    let mut ins = tx.prepare_cached(
        "INSERT INTO touch(deal, at, channel, campaign, kind, amount_cents, import_id, source_key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for f in facts {
        let Fact::Touch { key, deal, at: when, channel, campaign, kind, amount_cents, .. } = f else { continue };
        match by_key.remove(key.as_str()) {
            Some(o) if o.amount_cents == *amount_cents => out.unchanged += 1,
            Some(_) => out.updated += 1,
            None => out.created += 1,
        }
        ins.execute(params![
            deal,
            crate::store::fmt_instant(*when),
            channel,
            campaign,
            kind.slug(),
            amount_cents,
            id,
            key,
            at
        ])?;
    }
    out.removed = old.iter().filter(|o| o.key.as_deref().is_none_or(|k| by_key.contains_key(k))).count();
    let mut mark = tx.prepare_cached("UPDATE touch SET replaced_by = ?1 WHERE id = ?2")?;
    // Per earlier import, in the log's order: how many deals and rows it gave up.
    let mut per_import: Vec<(i64, HashSet<&str>, usize)> = Vec::new();
    for o in &old {
        mark.execute([id, o.id])?;
        match per_import.iter_mut().find(|(i, _, _)| *i == o.import_id) {
            Some((_, deals, rows)) => {
                deals.insert(&o.deal);
                *rows += 1;
            }
            None => per_import.push((o.import_id, HashSet::from([o.deal.as_str()]), 1)),
        }
    }
    per_import.sort_by_key(|(i, _, _)| *i);
    for (import, deals, rows) in per_import {
        let (d, r) = (deals.len(), rows);
        let deals_word = if d == 1 { "deal" } else { "deals" };
        let rows_word = if r == 1 { "row" } else { "rows" };
        out.notes.push(format!(
            "touches replaced: {d} {deals_word} from import #{import} ({r} {rows_word}), now as this file says"
        ));
    }
    Ok(out)
}

/// The active rows of `deals` from earlier imports of `source` that are still counted.
fn earlier_rows(tx: &Connection, source: &str, id: i64, deals: &[&str]) -> Result<Vec<Old>> {
    let mut stmt = tx.prepare_cached(
        "SELECT t.id, t.import_id, t.deal, t.source_key, t.amount_cents FROM touch t
         JOIN import_log l ON l.id = t.import_id
         WHERE t.deal = ?1 AND t.replaced_by IS NULL AND t.import_id != ?2
           AND l.source = ?3 AND l.undone_at IS NULL
         ORDER BY t.id",
    )?;
    let mut out = Vec::new();
    for deal in deals {
        let rows = stmt.query_map(params![deal, id, source], |r| {
            Ok(Old { id: r.get(0)?, import_id: r.get(1)?, deal: r.get(2)?, key: r.get(3)?, amount_cents: r.get(4)? })
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    Ok(out)
}

/// Before import `id`'s rows are deleted by its undo: the rows it replaced go back to whoever
/// holds their deal now. That is nobody when `id`'s own rows of the deal still count (they come
/// back), or the later import that replaced `id`'s rows in turn (they stay replaced, by it). The
/// rows `id` itself gave up are deleted uncounted: they were no longer counted.
pub(super) fn before_undo(tx: &Connection, id: i64) -> Result<()> {
    tx.execute(
        "UPDATE touch SET replaced_by =
             (SELECT n.replaced_by FROM touch n WHERE n.import_id = ?1 AND n.deal = touch.deal LIMIT 1)
         WHERE replaced_by = ?1",
        [id],
    )?;
    tx.execute("DELETE FROM touch WHERE import_id = ?1 AND replaced_by IS NOT NULL", [id])?;
    Ok(())
}
