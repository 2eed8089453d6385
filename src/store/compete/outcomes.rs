//! Deal outcomes: read as the domain's `DealOutcome`s (the current row of each deal), counted per
//! day for the KPI engine, and written by imports.
//!
//! The same deal may come in several files (a HubSpot export and a winloss-csv): each import
//! keeps its own row and the newest import's row is the current one (`current = 1`), so undoing
//! that import brings the one before it back. `settle` keeps the flag true after every change.

use chrono::NaiveDate;
use rusqlite::{Connection, ToSql, params};

use super::Compete;
use crate::domain::text::name_key;
use crate::domain::winloss::{DealOutcome, Outcome};
use crate::store::error::Result;
use crate::store::{fmt_day, parse_day};

/// Won and lost deals closed on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCount {
    pub day: NaiveDate,
    pub won: u64,
    pub lost: u64,
}

fn outcome_of(s: &str) -> Outcome {
    Outcome::parse(s).unwrap_or(Outcome::Open)
}

fn read_outcome(r: &rusqlite::Row) -> rusqlite::Result<DealOutcome> {
    Ok(DealOutcome {
        deal: r.get(0)?,
        closed_on: r.get::<_, Option<String>>(1)?.map(|s| parse_day(&s)),
        outcome: outcome_of(&r.get::<_, String>(2)?),
        competitor: r.get(3)?,
        reason: r.get(4)?,
        segment: r.get(5)?,
        amount_cents: r.get(6)?,
    })
}

impl<M> Compete<'_, M> {
    /// Every deal's current outcome, in the order they came in.
    pub fn outcomes(&self) -> Result<Vec<DealOutcome>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT deal_key, closed_on, outcome, competitor, reason, segment, amount_cents
             FROM deal_outcome WHERE current = 1 ORDER BY id",
        )?;
        let rows = stmt.query_map([], read_outcome)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The current outcomes of the deals closed (or expected to close) from `from` to `to`.
    pub fn outcomes_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<DealOutcome>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT deal_key, closed_on, outcome, competitor, reason, segment, amount_cents
             FROM deal_outcome INDEXED BY deal_outcome_current
             WHERE current = 1 AND closed_on BETWEEN ?1 AND ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![fmt_day(from), fmt_day(to)], read_outcome)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Won and lost deals per close day from `from` to `to`, days without any left out: what
    /// the KPI engine's `outcomes.won` / `outcomes.lost` inputs are.
    pub fn daily_counts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<DayCount>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT closed_on, sum(outcome = 'won'), sum(outcome = 'lost')
             FROM deal_outcome INDEXED BY deal_outcome_current
             WHERE current = 1 AND closed_on BETWEEN ?1 AND ?2 AND outcome <> 'open'
             GROUP BY closed_on ORDER BY closed_on",
        )?;
        let rows = stmt.query_map(params![fmt_day(from), fmt_day(to)], |r| {
            Ok(DayCount {
                day: parse_day(&r.get::<_, String>(0)?),
                won: r.get::<_, i64>(1)? as u64,
                lost: r.get::<_, i64>(2)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many deal outcomes the store holds (current ones).
    pub fn outcome_count(&self) -> Result<u64> {
        let n: i64 =
            self.db.conn().query_row("SELECT count(*) FROM deal_outcome WHERE current = 1", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}

/// A stored outcome an import may update: its row id and values.
pub(in crate::store) struct StoredOutcome {
    pub import_id: i64,
    pub id: i64,
    pub key: Option<String>,
    pub outcome: DealOutcome,
}

/// The outcomes import `import_id` brought.
pub(in crate::store) fn of_import(conn: &Connection, import_id: i64) -> Result<Vec<StoredOutcome>> {
    let mut stmt = conn.prepare_cached(
        "SELECT deal_key, closed_on, outcome, competitor, reason, segment, amount_cents, id, source_key
         FROM deal_outcome WHERE import_id = ?1",
    )?;
    let rows = stmt.query_map([import_id], |r| {
        Ok(StoredOutcome { import_id, id: r.get(7)?, key: r.get(8)?, outcome: read_outcome(r)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes one imported outcome held by `import_id`: over the stored row `id` when an updated
/// export brings that deal again, else as a new row, not yet current (`settle` decides). One
/// parameter list for both statements, so a column cannot be written by one and not the other.
pub(in crate::store) fn put(
    conn: &Connection,
    id: Option<i64>,
    import_id: i64,
    key: &str,
    o: &DealOutcome,
) -> Result<()> {
    let closed_on = o.closed_on.map(fmt_day);
    let competitor_key = o.competitor.as_deref().map(name_key);
    let values: [&dyn ToSql; 11] = [
        &o.deal,
        &closed_on,
        &o.outcome.slug(),
        &o.competitor,
        &competitor_key,
        &o.reason,
        &o.segment,
        &o.amount_cents,
        &import_id,
        &key,
        &id,
    ];
    match id {
        Some(_) => conn
            .prepare_cached(
                "UPDATE deal_outcome SET deal_key = ?1, closed_on = ?2, outcome = ?3, competitor = ?4,
                        competitor_key = ?5, reason = ?6, segment = ?7, amount_cents = ?8, import_id = ?9,
                        source_key = ?10
                 WHERE id = ?11",
            )?
            .execute(&values[..])?,
        None => conn
            .prepare_cached(
                "INSERT INTO deal_outcome(deal_key, closed_on, outcome, competitor, competitor_key, reason, segment,
                                          amount_cents, import_id, source_key, current)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)",
            )?
            .execute(&values[..10])?,
    };
    Ok(())
}

/// Marks each deal's row from the newest import as its current one (rows of no import, the
/// demo's, count as oldest). One pass over the table, after an import or an undo that
/// touched outcomes.
pub(in crate::store) fn settle(conn: &Connection) -> Result<()> {
    conn.execute(
        "UPDATE deal_outcome SET current = ranked.rn = 1
         FROM (SELECT id, row_number() OVER (PARTITION BY deal_key ORDER BY coalesce(import_id, 0) DESC, id DESC) AS rn
               FROM deal_outcome) AS ranked
         WHERE ranked.id = deal_outcome.id AND deal_outcome.current <> (ranked.rn = 1)",
        [],
    )?;
    Ok(())
}
