//! Campaign budgets: plans, spend, attribution, reallocation. Reads live here; writes in `writes`.
//!
//! Every figure the budget screen, `budget list`, the export and the dashboard show comes from
//! [`Budget::rows`], so they agree to the cent.

mod paced;
mod writes;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

pub use self::paced::{OverPlan, PacedRows};
pub use self::writes::{MoveOutcome, MoveRequest, NewPlan, PlanOutcome};
use super::tx::{Db, Read};
use super::{fmt_day, parse_day};
pub use crate::domain::budget::PACING_TOLERANCE;
use crate::domain::budget::{CampaignFacts, CampaignRow, Elapsed, resolve_campaign, totals};
use crate::domain::feeds::{BudgetBurn, CampaignAlert};
use crate::domain::pacing::PaceStatus;
use crate::domain::period::{Grain, Period};
use crate::store::error::Result;

/// One spend entry as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpendEntry {
    pub id: i64,
    pub campaign_id: i64,
    pub day: NaiveDate,
    pub amount_cents: i64,
    pub note: String,
    /// Set when the entry came from an import (it is then removed by undoing the import).
    pub import_id: Option<i64>,
    pub source_key: Option<String>,
    pub created_at: String,
}

/// One change of a campaign's plan (creation, re-plan, or one side of a move).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanChange {
    pub at: String,
    pub from_cents: i64,
    pub to_cents: i64,
    pub reason: String,
    pub decision_id: Option<i64>,
}

/// Pipeline and closed-won credited on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribution {
    pub day: NaiveDate,
    pub pipeline_cents: i64,
    pub revenue_cents: i64,
}

const FACTS_SQL: &str = "SELECT c.id, c.name, c.period, c.channel, c.bucket, c.planned_cents,
        coalesce((SELECT sum(amount_cents) FROM spend s WHERE s.campaign_id = c.id), 0),
        coalesce((SELECT sum(amount_cents) FROM spend s WHERE s.campaign_id = c.id AND s.day < ?2), 0),
        coalesce((SELECT sum(value) FROM kpi_obs k WHERE k.campaign_id = c.id AND k.metric = 'leads'), 0),
        coalesce((SELECT sum(pipeline_cents) FROM attribution a WHERE a.campaign_id = c.id), 0),
        coalesce((SELECT sum(revenue_cents) FROM attribution a WHERE a.campaign_id = c.id), 0)
    FROM campaign c";

fn facts_row(r: &rusqlite::Row) -> rusqlite::Result<CampaignFacts> {
    Ok(CampaignFacts {
        id: r.get(0)?,
        name: r.get(1)?,
        period: r.get(2)?,
        channel: r.get(3)?,
        bucket: r.get(4)?,
        planned_cents: r.get(5)?,
        spent_cents: r.get(6)?,
        paced_cents: r.get(7)?,
        leads: r.get(8)?,
        pipeline_cents: r.get(9)?,
        won_cents: r.get(10)?,
    })
}

/// Every campaign of `period` with its sums; spend before `today` is what pacing reads.
pub(in crate::store) fn period_facts(conn: &Connection, period: &str, today: NaiveDate) -> Result<Vec<CampaignFacts>> {
    let mut stmt = conn.prepare_cached(&format!("{FACTS_SQL} WHERE c.period = ?1 ORDER BY c.id"))?;
    let rows = stmt.query_map([period.to_string(), fmt_day(today)], facts_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One campaign's sums, or `None` when there is no such campaign.
pub(in crate::store) fn campaign_facts(conn: &Connection, id: i64, today: NaiveDate) -> Result<Option<CampaignFacts>> {
    let mut stmt = conn.prepare_cached(&format!("{FACTS_SQL} WHERE c.id = ?1"))?;
    Ok(stmt.query_row(rusqlite::params![id, fmt_day(today)], facts_row).optional()?)
}

/// The figures of one campaign as of `today`, within its own quarter.
pub(in crate::store) fn campaign_row(conn: &Connection, id: i64, today: NaiveDate) -> Result<Option<CampaignRow>> {
    let Some(f) = campaign_facts(conn, id, today)? else { return Ok(None) };
    let period = Period::parse(&f.period)?;
    Ok(Some(CampaignRow::new(f, Elapsed::at(&period, today))))
}

/// `store.budget()` reads campaigns and their figures; `tx.budget()` also plans, records spend and
/// moves money (see `writes`).
pub struct Budget<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

impl<'a, M> Budget<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Budget { db }
    }

    /// Every campaign of `period` with all its figures as of `today`, in creation order.
    pub fn rows(&self, period: &Period, today: NaiveDate) -> Result<Vec<CampaignRow>> {
        let elapsed = Elapsed::at(period, today);
        Ok(period_facts(self.db.conn(), &period.to_string(), today)?
            .into_iter()
            .map(|f| CampaignRow::new(f, elapsed))
            .collect())
    }

    /// One campaign's figures within its quarter.
    pub fn campaign(&self, id: i64, today: NaiveDate) -> Result<Option<CampaignRow>> {
        campaign_row(self.db.conn(), id, today)
    }

    /// Total burn for the quarter containing `today`: the totals row of the budget screen.
    pub fn burn(&self, today: NaiveDate) -> Result<BudgetBurn> {
        let q = Period::containing(Grain::Quarter, today);
        let elapsed = Elapsed::at(&q, today);
        let rows = self.rows(&q, today)?;
        let t = totals(&rows, elapsed);
        Ok(BudgetBurn {
            period: q.to_string(),
            planned_cents: t.facts.planned_cents,
            spent_cents: t.facts.spent_cents,
            elapsed_share: elapsed.share(),
            forecast_cents: t.forecast_cents,
        })
    }

    /// Campaigns this quarter pacing outside the band, furthest off first.
    pub fn alerts(&self, today: NaiveDate) -> Result<Vec<CampaignAlert>> {
        let q = Period::containing(Grain::Quarter, today);
        let mut out: Vec<CampaignAlert> = self
            .rows(&q, today)?
            .into_iter()
            .filter(|r| matches!(r.pace.status, PaceStatus::Over | PaceStatus::Under))
            .map(|r| CampaignAlert {
                id: r.facts.id,
                name: r.facts.name,
                channel: r.facts.channel,
                planned_cents: r.facts.planned_cents,
                spent_cents: r.facts.paced_cents,
                expected_cents: r.pace.expected.round() as i64,
                deviation: r.pace.deviation,
            })
            .collect();
        out.sort_by(|a, b| b.deviation.abs().total_cmp(&a.deviation.abs()));
        Ok(out)
    }

    /// The campaign of `period` a person means by `wanted` (see `domain::budget::resolve_campaign`).
    pub fn find_campaign(&self, wanted: &str, period: &Period) -> Result<CampaignFacts> {
        let all = period_facts(self.db.conn(), &period.to_string(), period.end())?;
        Ok(resolve_campaign(&all, wanted, period)?.clone())
    }

    /// The quarter a campaign belongs to.
    pub fn campaign_period(&self, id: i64) -> Result<Option<Period>> {
        let p: Option<String> =
            self.db.conn().query_row("SELECT period FROM campaign WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        Ok(p.map(|s| Period::parse(&s)).transpose()?)
    }

    /// A campaign's spend entries, by date.
    pub fn spend_entries(&self, campaign_id: i64) -> Result<Vec<SpendEntry>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT id, campaign_id, day, amount_cents, note, import_id, source_key, created_at
             FROM spend WHERE campaign_id = ?1 ORDER BY day, id",
        )?;
        let rows = stmt.query_map([campaign_id], spend_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A campaign's plan history, oldest first.
    pub fn plan_history(&self, campaign_id: i64) -> Result<Vec<PlanChange>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT at, from_cents, to_cents, reason, decision_id FROM plan_change
             WHERE campaign_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map([campaign_id], |r| {
            Ok(PlanChange {
                at: r.get(0)?,
                from_cents: r.get(1)?,
                to_cents: r.get(2)?,
                reason: r.get(3)?,
                decision_id: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Pipeline and closed-won credited to a campaign, by date.
    pub fn attribution(&self, campaign_id: i64) -> Result<Vec<Attribution>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT day, sum(pipeline_cents), sum(revenue_cents) FROM attribution
             WHERE campaign_id = ?1 GROUP BY day ORDER BY day",
        )?;
        let rows = stmt.query_map([campaign_id], |r| {
            Ok(Attribution {
                day: parse_day(&r.get::<_, String>(0)?),
                pipeline_cents: r.get(1)?,
                revenue_cents: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each campaign of `period` (id, name) with the last day it has spend on, `None` before its
    /// first: how fresh each campaign's spend feed is. One step down an index per campaign.
    pub fn last_spend_days(&self, period: &Period) -> Result<Vec<(i64, String, Option<NaiveDate>)>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT c.id, c.name, (SELECT max(day) FROM spend s WHERE s.campaign_id = c.id)
             FROM campaign c WHERE c.period = ?1 ORDER BY c.id",
        )?;
        let rows = stmt.query_map([period.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<String>>(2)?.map(|d| parse_day(&d))))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Channels in use, most used first: completion for the plan form.
    pub fn channels(&self) -> Result<Vec<String>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT channel FROM campaign WHERE channel <> '' GROUP BY channel ORDER BY count(*) DESC, channel",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn spend_row(r: &rusqlite::Row) -> rusqlite::Result<SpendEntry> {
    Ok(SpendEntry {
        id: r.get(0)?,
        campaign_id: r.get(1)?,
        day: parse_day(&r.get::<_, String>(2)?),
        amount_cents: r.get(3)?,
        note: r.get(4)?,
        import_id: r.get(5)?,
        source_key: r.get(6)?,
        created_at: r.get(7)?,
    })
}

#[cfg(test)]
mod tests;
