//! The current deal outcomes counted per quarter (`deal_outcome_quarter`): what the Compete
//! view, `compete list` and a quarter's `winloss` read, a few hundred rows instead of every
//! outcome. Recounted in the transaction of every write that changes outcomes (`recount`, called
//! by `after_outcomes_changed`); `mktg check` compares it with a fresh count (`mismatches`).

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::Compete;
use crate::domain::winloss::{Cell, Outcome};
use crate::store::error::Result;
use crate::store::{fmt_day, parse_day};

/// The count as it should be, from the current outcomes (the migration fills it the same way).
const FRESH: &str = "SELECT substr(closed_on, 1, 5) || CASE WHEN substr(closed_on, 6, 2) <= '03' THEN '01'
                                       WHEN substr(closed_on, 6, 2) <= '06' THEN '04'
                                       WHEN substr(closed_on, 6, 2) <= '09' THEN '07' ELSE '10' END || '-01',
       outcome, competitor, reason, segment, count(*), coalesce(sum(amount_cents), 0), min(id)
FROM deal_outcome WHERE current = 1 AND closed_on IS NOT NULL
GROUP BY 1, 2, 3, 4, 5";

/// Counts the current outcomes afresh: one grouped pass over them, in the write's transaction.
pub(in crate::store) fn recount(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM deal_outcome_quarter", [])?;
    conn.execute(
        &format!(
            "INSERT INTO deal_outcome_quarter(quarter, outcome, competitor, reason, segment, deals, cents, first_id)
             {FRESH}"
        ),
        [],
    )?;
    Ok(())
}

impl<M> Compete<'_, M> {
    /// The counted outcomes of the quarters from the one starting `from` to the one starting `to`.
    pub fn quarter_cells(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Cell>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT quarter, outcome, competitor, reason, segment, deals, cents, first_id
             FROM deal_outcome_quarter WHERE quarter BETWEEN ?1 AND ?2",
        )?;
        let rows = stmt.query_map(params![fmt_day(from), fmt_day(to)], |r| {
            Ok(Cell {
                quarter: parse_day(&r.get::<_, String>(0)?),
                outcome: Outcome::parse(&r.get::<_, String>(1)?).unwrap_or(Outcome::Open),
                competitor: r.get(2)?,
                reason: r.get(3)?,
                segment: r.get(4)?,
                deals: r.get::<_, i64>(5)? as u64,
                cents: r.get(6)?,
                first_id: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How the per-quarter count differs from a fresh one: empty when it agrees.
    pub fn quarter_mismatches(&self) -> Result<Vec<String>> {
        let conn = self.db.conn();
        let cols = "quarter, outcome, competitor, reason, segment, deals, cents, first_id";
        let stale: i64 = conn.query_row(
            &format!("SELECT count(*) FROM (SELECT {cols} FROM deal_outcome_quarter EXCEPT {FRESH})"),
            [],
            |r| r.get(0),
        )?;
        let missing: i64 = conn.query_row(
            &format!("SELECT count(*) FROM ({FRESH} EXCEPT SELECT {cols} FROM deal_outcome_quarter)"),
            [],
            |r| r.get(0),
        )?;
        Ok(if stale + missing > 0 {
            vec![format!(
                "deal outcomes per quarter disagree with the outcomes ({stale} rows wrong, {missing} missing): win/loss reads them"
            )]
        } else {
            Vec::new()
        })
    }
}
