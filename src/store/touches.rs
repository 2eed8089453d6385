//! Deals' touch histories, the input of attribution: plain touches and milestone rows, read back
//! as the domain's [`Deal`]s whose conversion falls in a period.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::fmt_instant;
use super::tx::{Db, Read, Write};
use crate::domain::attribution::{Deal, Goal, Touch, TouchKind};
use crate::store::error::{Error, Result};

/// One row of a deal's history about to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTouch {
    pub deal: String,
    pub touch: Touch,
    /// On deal-created (pipeline) and closed-won (revenue) rows only.
    pub amount_cents: Option<i64>,
}

/// Deals' touch histories.
pub struct Touches<'a, M = Read> {
    db: Db<'a, M>,
}

impl<'a, M> Touches<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Touches { db }
    }

    /// The deals whose conversion for `goal` (deal created for pipeline, closed won for revenue)
    /// falls within `from..=to`, each with its whole history and the amount being credited: the
    /// goal's own row's amount, else the other milestone's (a won deal's pipeline is what it won).
    pub fn deals(&self, goal: Goal, from: NaiveDate, to: NaiveDate) -> Result<Vec<Deal>> {
        let kind = match goal {
            Goal::Pipeline => TouchKind::DealCreated,
            Goal::Revenue => TouchKind::ClosedWon,
        };
        let start = fmt_instant(from.and_hms_opt(0, 0, 0).unwrap_or_default());
        let end = fmt_instant(to.succ_opt().unwrap_or(to).and_hms_opt(0, 0, 0).unwrap_or_default());
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT t.deal, t.at, t.channel, t.campaign, t.kind, t.amount_cents FROM touch t
             WHERE t.deal IN (SELECT deal FROM touch WHERE kind = ?1 AND at >= ?2 AND at < ?3 AND replaced_by IS NULL)
               AND t.replaced_by IS NULL
             ORDER BY t.deal, t.id",
        )?;
        let mut rows = stmt.query(params![kind.slug(), start, end])?;
        let mut deals: Vec<Deal> = Vec::new();
        let mut amounts: HashMap<usize, [Option<i64>; 2]> = HashMap::new();
        while let Some(r) = rows.next()? {
            let deal: String = r.get(0)?;
            let at: String = r.get(1)?;
            let at = NaiveDateTime::parse_from_str(&at, "%Y-%m-%dT%H:%M:%S")
                .map_err(|_| Error::system(format!("touch of deal {deal}: unreadable time '{at}'")))?;
            let kind_text: String = r.get(4)?;
            let kind = TouchKind::parse(&kind_text).map_err(|e| Error::system(format!("deal {deal}: {e}")))?;
            let amount: Option<i64> = r.get(5)?;
            if deals.last().is_none_or(|d| d.id != deal) {
                deals.push(Deal { id: deal, amount_cents: 0, converted_at: at, touches: Vec::new() });
            }
            let i = deals.len() - 1;
            let slot = amounts.entry(i).or_default();
            match kind {
                TouchKind::DealCreated => slot[0] = slot[0].or(amount),
                TouchKind::ClosedWon => slot[1] = slot[1].or(amount),
                _ => {}
            }
            deals[i].touches.push(Touch { at, channel: r.get(2)?, campaign: r.get(3)?, kind });
        }
        for (i, d) in deals.iter_mut().enumerate() {
            let [pipeline, won] = amounts.get(&i).copied().unwrap_or_default();
            d.amount_cents = match goal {
                Goal::Pipeline => pipeline.or(won),
                Goal::Revenue => won.or(pipeline),
            }
            .unwrap_or(0);
            // The selection guarantees the conversion row is there.
            d.converted_at = goal.conversion(&d.touches).unwrap_or(d.converted_at);
        }
        Ok(deals)
    }

    /// How many deals have a history at all (the cockpit says so when there are none).
    pub fn deal_count(&self) -> Result<i64> {
        Ok(self
            .db
            .conn()
            .query_row("SELECT count(DISTINCT deal) FROM touch WHERE replaced_by IS NULL", [], |r| r.get(0))?)
    }
}

impl Touches<'_, Write> {
    /// Store rows of deals' histories, from `import_id` when an import brings them.
    pub fn add(&self, rows: &[NewTouch], import_id: Option<i64>, now: NaiveDateTime) -> Result<usize> {
        let mut stmt = self.db.conn().prepare_cached(
            "INSERT INTO touch(deal, at, channel, campaign, kind, amount_cents, import_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let created = fmt_instant(now);
        for t in rows {
            stmt.execute(params![
                t.deal,
                fmt_instant(t.touch.at),
                t.touch.channel,
                t.touch.campaign,
                t.touch.kind.slug(),
                t.amount_cents,
                import_id,
                created
            ])?;
        }
        Ok(rows.len())
    }
}
