//! Budget writes: planning a campaign, recording and correcting spend, and moving money.
//! Each is one transaction; a move logs its decision inside the same one.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::Budget;
use super::{SpendEntry, campaign_facts, campaign_row};
use crate::domain::budget::{Elapsed, MoveSide, plan_move};
use crate::domain::model::{Bucket, DecisionStatus};
use crate::domain::money;
use crate::domain::period::{Grain, Period};
use crate::store::cadence::Cadence;
use crate::store::decisions::{NewDecision, insert_decision};
use crate::store::error::{Error, Result};
use crate::store::meta::Meta;
use crate::store::rollups::Delta;
use crate::store::tx::Write;
use crate::store::{fmt_day, fmt_instant};

/// A campaign's plan for a quarter: created when new, re-planned when it exists.
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub name: String,
    pub period: Period,
    pub planned_cents: i64,
    pub channel: Option<String>,
    pub bucket: Option<Bucket>,
    /// Why the plan changed (kept in the plan history).
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanOutcome {
    pub id: i64,
    pub created: bool,
    pub from_cents: i64,
}

/// Move `amount_cents` of unspent plan from one campaign to another.
#[derive(Debug, Clone)]
pub struct MoveRequest {
    pub from_id: i64,
    pub to_id: i64,
    pub amount_cents: i64,
    pub reason: String,
    pub owner: String,
}

#[derive(Debug, Clone)]
pub struct MoveOutcome {
    pub move_id: i64,
    pub decision_id: i64,
    pub from: MoveSide,
    pub to: MoveSide,
}

/// The period a quarter's campaign must be in, checked before writing.
fn quarter(period: &Period) -> Result<()> {
    if period.grain != Grain::Quarter {
        return Err(Error::input(format!("'{period}' is not a quarter (expected e.g. 2026-Q4)")));
    }
    Ok(())
}

/// Spend is positive, dated inside its campaign's quarter, and not in the future.
fn check_spend(conn: &Connection, campaign_id: i64, day: NaiveDate, cents: i64, today: NaiveDate) -> Result<()> {
    if cents <= 0 {
        return Err(Error::input(format!("spend must be a positive amount, got {}", money::format_plain(cents))));
    }
    let Some(f) = campaign_facts(conn, campaign_id, today)? else {
        return Err(Error::input(format!("no campaign with id {campaign_id}")));
    };
    let period = Period::parse(&f.period)?;
    if !period.contains(day) {
        return Err(Error::input(format!(
            "{} is outside {} ({} to {}), the quarter of '{}'",
            fmt_day(day),
            f.period,
            fmt_day(period.start),
            fmt_day(period.end()),
            f.name
        )));
    }
    if day > today {
        return Err(Error::input(format!("{} is in the future: spend is recorded once it happened", fmt_day(day))));
    }
    Ok(())
}

impl Budget<'_, Write> {
    /// Plan a campaign: create it, or change its planned amount (kept in its plan history).
    pub fn plan(&self, p: &NewPlan, now: NaiveDateTime) -> Result<PlanOutcome> {
        quarter(&p.period)?;
        let name = p.name.trim();
        if name.is_empty() {
            return Err(Error::input("a campaign needs a name"));
        }
        if p.planned_cents < 0 {
            return Err(Error::input(format!(
                "a plan cannot be negative, got {}",
                money::format_plain(p.planned_cents)
            )));
        }
        let at = fmt_instant(now);
        let tx = self.db.conn();
        let existing: Option<(i64, i64)> = tx
            .query_row(
                "SELECT id, planned_cents FROM campaign WHERE period = ?1 AND lower(name) = lower(?2)",
                params![p.period.to_string(), name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (id, from, created) = match existing {
            Some((id, from)) => {
                tx.execute(
                    "UPDATE campaign SET planned_cents = ?2, channel = coalesce(?3, channel),
                            bucket = coalesce(?4, bucket) WHERE id = ?1",
                    params![id, p.planned_cents, p.channel.as_deref().map(str::trim), p.bucket],
                )?;
                (id, from, false)
            }
            None => {
                tx.execute(
                    "INSERT INTO campaign(name, period, channel, bucket, planned_cents, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        name,
                        p.period.to_string(),
                        p.channel.as_deref().map(str::trim).unwrap_or(""),
                        p.bucket.unwrap_or(Bucket::Core),
                        p.planned_cents,
                        at
                    ],
                )?;
                (tx.last_insert_rowid(), 0, true)
            }
        };
        if created || from != p.planned_cents {
            let reason = if p.reason.trim().is_empty() && created { "planned" } else { p.reason.trim() };
            tx.execute(
                "INSERT INTO plan_change(campaign_id, at, from_cents, to_cents, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, at, from, p.planned_cents, reason],
            )?;
        }
        Ok(PlanOutcome { id, created, from_cents: from })
    }

    /// Record spend against a campaign; returns the entry's id.
    pub fn spend_add(
        &self,
        campaign_id: i64,
        day: NaiveDate,
        cents: i64,
        note: &str,
        now: NaiveDateTime,
    ) -> Result<i64> {
        let tx = self.db.conn();
        check_spend(tx, campaign_id, day, cents, now.date())?;
        tx.execute(
            "INSERT INTO spend(campaign_id, day, amount_cents, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![campaign_id, fmt_day(day), cents, note.trim(), fmt_instant(now)],
        )?;
        let id = tx.last_insert_rowid();
        sync_spend_kpi(tx, id, now)?;
        Ok(id)
    }

    /// Correct a spend entry's date, amount or note.
    pub fn spend_update(&self, id: i64, day: NaiveDate, cents: i64, note: &str, today: NaiveDate) -> Result<()> {
        let tx = self.db.conn();
        let campaign: Option<i64> =
            tx.query_row("SELECT campaign_id FROM spend WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        let Some(campaign) = campaign else { return Err(Error::input(format!("no spend entry {id}"))) };
        check_spend(tx, campaign, day, cents, today)?;
        tx.execute(
            "UPDATE spend SET day = ?2, amount_cents = ?3, note = ?4 WHERE id = ?1",
            params![id, fmt_day(day), cents, note.trim()],
        )?;
        sync_spend_kpi(tx, id, today.and_hms_opt(12, 0, 0).unwrap_or_default())
    }

    /// Delete a spend entry; returns it so that it can be restored exactly.
    pub fn spend_delete(&self, id: i64) -> Result<SpendEntry> {
        let tx = self.db.conn();
        let e = tx
            .query_row(
                "SELECT id, campaign_id, day, amount_cents, note, import_id, source_key, created_at
                 FROM spend WHERE id = ?1",
                [id],
                super::spend_row,
            )
            .optional()?
            .ok_or_else(|| Error::input(format!("no spend entry {id}")))?;
        tx.execute("DELETE FROM spend WHERE id = ?1", [id])?;
        sync_spend_kpi(tx, id, NaiveDateTime::default())?;
        Ok(e)
    }

    /// Put back a deleted spend entry, with its id.
    pub fn spend_restore(&self, e: &SpendEntry) -> Result<()> {
        let tx = self.db.conn();
        tx.execute(
            "INSERT INTO spend(id, campaign_id, day, amount_cents, note, import_id, source_key, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                e.id,
                e.campaign_id,
                fmt_day(e.day),
                e.amount_cents,
                e.note,
                e.import_id,
                e.source_key,
                e.created_at
            ],
        )?;
        let at = NaiveDateTime::parse_from_str(&e.created_at, "%Y-%m-%dT%H:%M:%S").unwrap_or_default();
        sync_spend_kpi(tx, e.id, at)
    }

    /// Move unspent plan between two campaigns of one quarter, logging the decision (done,
    /// linked to both) in the same transaction. A refused move changes nothing.
    pub fn move_money(&self, m: &MoveRequest, now: NaiveDateTime) -> Result<MoveOutcome> {
        if m.reason.trim().is_empty() {
            return Err(Error::input("a move needs a reason (it is logged as a decision)"));
        }
        let currency = Meta::new(self.db).currency();
        let today = now.date();
        let tx = self.db.conn();
        let missing = |id: i64| Error::input(format!("no campaign with id {id}"));
        let from = campaign_row(tx, m.from_id, today)?.ok_or_else(|| missing(m.from_id))?;
        let to = campaign_row(tx, m.to_id, today)?.ok_or_else(|| missing(m.to_id))?;
        if from.facts.period != to.facts.period {
            return Err(Error::input(format!(
                "'{}' is in {} and '{}' in {}: money moves within one quarter",
                from.facts.name, from.facts.period, to.facts.name, to.facts.period
            )));
        }
        let elapsed = Elapsed::at(&Period::parse(&from.facts.period)?, today);
        let (a, b) = plan_move(&from, &to, m.amount_cents, elapsed, &currency)?;
        let amount = money::format(m.amount_cents, &currency);
        let decision = NewDecision {
            title: format!("Move {amount} from {} to {}", a.name, b.name),
            recommendation: m.reason.trim().to_string(),
            owner: m.owner.clone(),
            status: Some(DecisionStatus::Done),
            campaign_id: Some(m.from_id),
            campaign2_id: Some(m.to_id),
            // Decided in the meeting under way, if one is: linked to it as a decision logged there.
            meeting_id: Cadence::new(self.db).meeting_under_way(now)?,
            ..NewDecision::default()
        };
        let decision_id = insert_decision(tx, &decision, now)?;
        let at = fmt_instant(now);
        for side in [&a, &b] {
            tx.execute(
                "UPDATE campaign SET planned_cents = ?2 WHERE id = ?1",
                params![side.before.facts.id, side.after.facts.planned_cents],
            )?;
            tx.execute(
                "INSERT INTO plan_change(campaign_id, at, from_cents, to_cents, reason, decision_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    side.before.facts.id,
                    at,
                    side.before.facts.planned_cents,
                    side.after.facts.planned_cents,
                    m.reason.trim(),
                    decision_id
                ],
            )?;
        }
        tx.execute(
            "INSERT INTO budget_move(at, from_campaign_id, to_campaign_id, amount_cents, reason, decision_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![at, m.from_id, m.to_id, m.amount_cents, m.reason.trim(), decision_id],
        )?;
        Ok(MoveOutcome { move_id: tx.last_insert_rowid(), decision_id, from: a, to: b })
    }
}

/// Keep the `spend` KPI in step with a hand-recorded spend entry, so the dashboard's Spend and
/// CPL and the budget screen count the same money: the entry's twin observation (keyed
/// `spend:<id>`, on the campaign's channel) is rewritten, or removed with the entry. Imported
/// entries need no twin: their file brings its own spend KPI facts.
pub(in crate::store) fn sync_spend_kpi(tx: &Connection, spend_id: i64, now: NaiveDateTime) -> Result<()> {
    let key = format!("spend:{spend_id}");
    // The twin's old and new values go through the KPI rollups, in this same transaction.
    let twin = "o.source_key = ?1 AND o.import_id IS NULL AND o.metric = 'spend'";
    let mut delta = Delta::default();
    delta.remove_where(tx, twin, [&key])?;
    tx.execute("DELETE FROM kpi_obs WHERE source_key = ?1 AND import_id IS NULL AND metric = 'spend'", [&key])?;
    tx.execute(
        "INSERT INTO kpi_obs(metric, day, channel, campaign_id, value, source_key, created_at)
         SELECT 'spend', s.day, c.channel, c.id, s.amount_cents / 100.0, ?2, ?3
         FROM spend s JOIN campaign c ON c.id = s.campaign_id
         WHERE s.id = ?1 AND s.import_id IS NULL AND EXISTS (SELECT 1 FROM metric WHERE key = 'spend')",
        params![spend_id, key, fmt_instant(now)],
    )?;
    delta.add_where(tx, twin, [&key])?;
    delta.apply(tx)?;
    Ok(())
}
