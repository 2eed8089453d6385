//! Spend rows of an ad report, inserted many to a statement (as `batch::KpiInserter` does for
//! KPI facts): a Google Ads report brings a spend row per campaign and day, 100,000 of them in a
//! year of a large account, and one statement per row cost more than the rows' B-tree work.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::iso_day;
use crate::store::error::Result;

/// Rows per INSERT, as for KPI facts.
const BATCH: usize = 32;
/// Bound parameters per row after the three shared ones (?1 import id, ?2 created_at, ?3 period_from).
const PER_ROW: usize = 5;

struct Row<'f> {
    campaign_id: i64,
    day: NaiveDate,
    amount_cents: i64,
    note: &'f str,
    key: &'f str,
}

pub(super) struct SpendInserter<'f> {
    pending: Vec<Row<'f>>,
    import_id: i64,
    at: &'f str,
    period_from: Option<&'f str>,
    full_sql: String,
}

impl<'f> SpendInserter<'f> {
    pub fn new(import_id: i64, at: &'f str, period_from: Option<&'f str>) -> Self {
        SpendInserter { pending: Vec::with_capacity(BATCH), import_id, at, period_from, full_sql: insert_sql(BATCH) }
    }

    pub fn push(
        &mut self,
        tx: &Connection,
        campaign_id: i64,
        day: NaiveDate,
        amount_cents: i64,
        note: &'f str,
        key: &'f str,
    ) -> Result<()> {
        self.pending.push(Row { campaign_id, day, amount_cents, note, key });
        if self.pending.len() == BATCH {
            self.flush(tx)?;
        }
        Ok(())
    }

    pub fn flush(&mut self, tx: &Connection) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut stmt = crate::store::sql::multirow(tx, &self.full_sql, BATCH, self.pending.len(), insert_sql)?;
        stmt.raw_bind_parameter(1, self.import_id)?;
        stmt.raw_bind_parameter(2, self.at)?;
        stmt.raw_bind_parameter(3, self.period_from)?;
        for (j, r) in self.pending.iter().enumerate() {
            let p = 4 + j * PER_ROW;
            stmt.raw_bind_parameter(p, r.campaign_id)?;
            // Copied at binding: one stack buffer serves every row.
            let mut buf = [0u8; 10];
            stmt.raw_bind_parameter(p + 1, iso_day(r.day, &mut buf))?;
            stmt.raw_bind_parameter(p + 2, r.amount_cents)?;
            stmt.raw_bind_parameter(p + 3, r.note)?;
            stmt.raw_bind_parameter(p + 4, r.key)?;
        }
        stmt.raw_execute()?;
        self.pending.clear();
        Ok(())
    }
}

/// `OR FAIL`, as for KPI facts: a plain (ABORT) multi-row INSERT copies every page it first
/// touches into a statement journal so that a failing row can undo the statement's earlier rows,
/// two fifths of the spend rows' time in a Google Ads import (4% of its CPU); the transaction is
/// rolled back whole on any error, so that undo is never needed.
fn insert_sql(rows: usize) -> String {
    crate::store::sql::values_rows(
        "INSERT OR FAIL INTO spend(campaign_id, day, amount_cents, note, source_key, import_id, created_at, period_from) VALUES ",
        rows,
        4,
        PER_ROW,
        |p| format!("(?{},?{},?{},?{},?{},?1,?2,?3)", p, p + 1, p + 2, p + 3, p + 4),
        "",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_batch_statement_numbers_its_parameters() {
        assert_eq!(
            insert_sql(2).split("VALUES ").nth(1),
            Some("(?4,?5,?6,?7,?8,?1,?2,?3),(?9,?10,?11,?12,?13,?1,?2,?3)")
        );
    }
}
