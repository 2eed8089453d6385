//! Campaign pacing that knows the calendar, each campaign's spend freshness, and the close:
//! campaigns over plan until someone acknowledges them.
//!
//! Kept apart from the plain sums in `mod.rs` so that the dashboard, the budget screen and
//! `budget list` read the same paced figures, and a stale spend feed says "stale" instead of
//! "pacing under".

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, params};

use super::{Budget, period_facts};
use crate::domain::budget::{CampaignFacts, CampaignRow, Elapsed, resolve_campaign, totals};
use crate::domain::calendar::{Calendar, PROFILE_WEEKS, Pacing, WeekdayProfile};
use crate::domain::feeds::{BudgetBurn, CampaignAlert};
use crate::domain::freshness::{Freshness, judge};
use crate::domain::pacing::PaceStatus;
use crate::domain::period::{Grain, Period};
use crate::store::error::{Error, Result};
use crate::store::meta::Meta;
use crate::store::tx::Write;
use crate::store::{fmt_day, fmt_instant, parse_day};

/// One quarter's campaigns paced by the calendar, with each one's spend freshness.
#[derive(Debug, Clone)]
pub struct PacedRows {
    pub period: Period,
    pub rows: Vec<CampaignRow>,
    pub elapsed: Elapsed,
    /// Each campaign's spend feed, by campaign id (campaigns that never spent have none).
    pub fresh: HashMap<i64, Freshness>,
}

impl PacedRows {
    /// The quarter's burn: the totals row.
    pub fn burn(&self) -> BudgetBurn {
        let t = totals(&self.rows, self.elapsed);
        BudgetBurn {
            period: self.period.to_string(),
            planned_cents: t.facts.planned_cents,
            spent_cents: t.facts.spent_cents,
            elapsed_share: self.elapsed.share(),
            forecast_cents: t.forecast_cents,
        }
    }

    /// Campaigns pacing outside the band, furthest off first; over-plan ones are said as over
    /// plan instead, and stale ones as stale.
    pub fn alerts(&self) -> Vec<CampaignAlert> {
        let mut out: Vec<CampaignAlert> = self
            .rows
            .iter()
            .filter(|r| matches!(r.pace.status, PaceStatus::Over | PaceStatus::Under) && r.over_plan_cents == 0)
            .map(|r| CampaignAlert {
                id: r.facts.id,
                name: r.facts.name.clone(),
                channel: r.facts.channel.clone(),
                planned_cents: r.facts.planned_cents,
                spent_cents: r.facts.paced_cents,
                expected_cents: r.pace.expected.round() as i64,
                deviation: r.pace.deviation,
            })
            .collect();
        out.sort_by(|a, b| b.deviation.abs().total_cmp(&a.deviation.abs()));
        out
    }
}

/// A campaign spent past its plan: on the attention list until acknowledged (and again if more
/// spend arrives after the acknowledgement).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverPlan {
    pub id: i64,
    pub name: String,
    pub period: String,
    pub channel: String,
    pub planned_cents: i64,
    pub spent_cents: i64,
    pub over_cents: i64,
    /// Its quarter is over: the overspend is final.
    pub ended: bool,
    /// The spend acknowledged, if it was.
    pub acknowledged_cents: Option<i64>,
}

impl OverPlan {
    /// Still to be acknowledged: never was, or more was spent since.
    pub fn open(&self) -> bool {
        self.acknowledged_cents.is_none_or(|a| a < self.spent_cents)
    }
}

/// How far back ended quarters are searched for unacknowledged overspends.
const CLOSE_QUARTERS_BACK: i32 = 4;

impl<M> Budget<'_, M> {
    /// Daily totals of the `spend` KPI over `from..=to`, every day present (0 where none).
    pub fn daily_spend(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, f64)>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT day, sum(value) FROM kpi_obs INDEXED BY kpi_obs_by_metric_day
             WHERE metric = 'spend' AND day >= ?1 AND day <= ?2 GROUP BY day",
        )?;
        let mut by_day: HashMap<NaiveDate, f64> = HashMap::new();
        let rows =
            stmt.query_map([fmt_day(from), fmt_day(to)], |r| Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?)))?;
        for row in rows {
            let (d, v) = row?;
            by_day.insert(parse_day(&d), v);
        }
        let mut out = Vec::new();
        let mut d = from;
        while d <= to {
            out.push((d, by_day.get(&d).copied().unwrap_or(0.0)));
            d += Duration::days(1);
        }
        Ok(out)
    }

    /// The spend's weekday profile as of `today`: learned from the weeks before its last day.
    pub fn spend_profile(&self, today: NaiveDate, cal: &Calendar) -> Result<WeekdayProfile> {
        let yesterday = today - Duration::days(1);
        let last: Option<String> = self
            .db
            .conn()
            .query_row(
                "SELECT max(day) FROM kpi_obs INDEXED BY kpi_obs_by_metric_day WHERE metric = 'spend' AND day <= ?1",
                [fmt_day(yesterday)],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let Some(last) = last.map(|d| parse_day(&d)) else { return Ok(WeekdayProfile::flat()) };
        let daily = self.daily_spend(last - Duration::days(7 * PROFILE_WEEKS - 1), last)?;
        Ok(WeekdayProfile::learn(&daily, cal))
    }

    /// The days each campaign of `period` had spend on, through `to`, oldest first.
    pub fn spend_days(&self, period: &Period, to: NaiveDate) -> Result<HashMap<i64, Vec<NaiveDate>>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT s.campaign_id, s.day FROM spend s JOIN campaign c ON c.id = s.campaign_id
             WHERE c.period = ?1 AND s.day <= ?2 GROUP BY s.campaign_id, s.day ORDER BY s.campaign_id, s.day",
        )?;
        let mut out: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
        let rows =
            stmt.query_map(params![period.to_string(), fmt_day(to)], |r| Ok((r.get(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, d): (i64, String) = row?;
            out.entry(id).or_default().push(parse_day(&d));
        }
        Ok(out)
    }

    /// Every campaign of `period` as of `today`, paced by `pacing` and the spend's `profile`, with
    /// each one's freshness: a campaign whose spend went quiet reads "stale", not "under".
    pub fn paced(
        &self,
        period: &Period,
        today: NaiveDate,
        pacing: &Pacing,
        profile: &WeekdayProfile,
    ) -> Result<PacedRows> {
        let elapsed = Elapsed::paced(period, today, profile, pacing);
        let through = (today - Duration::days(1)).min(period.end());
        let fresh: HashMap<i64, Freshness> = if through < period.start {
            HashMap::new()
        } else {
            self.spend_days(period, through)?
                .into_iter()
                .filter_map(|(id, days)| Some((id, judge(&days, through)?)))
                .collect()
        };
        let rows = period_facts(self.db.conn(), &period.to_string(), today)?
            .into_iter()
            .map(|f| {
                let id = f.id;
                let mut r = CampaignRow::new(f, elapsed);
                if r.pace.status == PaceStatus::Under && fresh.get(&id).is_some_and(|f| f.stale) {
                    r.pace.status = PaceStatus::Stale;
                }
                r
            })
            .collect();
        Ok(PacedRows { period: *period, rows, elapsed, fresh })
    }

    /// As [`Budget::paced`], learning the spend profile itself (the budget screen and `budget list`).
    pub fn paced_rows(&self, period: &Period, today: NaiveDate, pacing: &Pacing) -> Result<PacedRows> {
        let profile = self.spend_profile(today, &pacing.calendar)?;
        self.paced(period, today, pacing, &profile)
    }

    /// Campaigns spent past their plan: this quarter's, and those of the last few quarters, as of
    /// `today`, each with what was acknowledged. Largest overspend first.
    pub fn over_plan(&self, today: NaiveDate) -> Result<Vec<OverPlan>> {
        let q = Period::containing(Grain::Quarter, today);
        let mut oldest = q;
        for _ in 0..CLOSE_QUARTERS_BACK {
            oldest = oldest.prev();
        }
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT id, name, period, channel, planned_cents, spent, acked FROM (
                SELECT c.id, c.name, c.period, c.channel, c.planned_cents,
                       (SELECT sum(amount_cents) FROM spend s WHERE s.campaign_id = c.id) AS spent,
                       a.spent_cents AS acked
                FROM campaign c LEFT JOIN over_plan_ack a ON a.campaign_id = c.id
                WHERE c.period >= ?1 AND c.period <= ?2)
             -- A campaign with no plan (one an import created) has spend, not an overspend.
             WHERE planned_cents > 0 AND spent > planned_cents ORDER BY spent - planned_cents DESC, id",
        )?;
        let rows = stmt.query_map([oldest.to_string(), q.to_string()], |r| {
            let period: String = r.get(2)?;
            let planned: i64 = r.get(4)?;
            let spent: i64 = r.get(5)?;
            Ok(OverPlan {
                id: r.get(0)?,
                name: r.get(1)?,
                ended: Period::parse(&period).map(|p| p.end() < today).unwrap_or(false),
                period,
                channel: r.get(3)?,
                planned_cents: planned,
                spent_cents: spent,
                over_cents: spent - planned,
                acknowledged_cents: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The campaign over plan a person means by `wanted` (among `period`'s, or among every
    /// campaign over plan, the unacknowledged first), for `budget ack`.
    pub fn find_over_plan(&self, wanted: &str, period: Option<&Period>, today: NaiveDate) -> Result<CampaignFacts> {
        if let Some(p) = period {
            return self.find_campaign(wanted, p);
        }
        let mut over = self.over_plan(today)?;
        over.sort_by_key(|o| !o.open());
        let facts: Vec<CampaignFacts> = over
            .iter()
            .map(|o| CampaignFacts {
                id: o.id,
                name: o.name.clone(),
                period: o.period.clone(),
                channel: o.channel.clone(),
                planned_cents: o.planned_cents,
                spent_cents: o.spent_cents,
                ..CampaignFacts::default()
            })
            .collect();
        let q = Period::containing(Grain::Quarter, today);
        match resolve_campaign(&facts, wanted, &q) {
            Ok(c) => Ok(c.clone()),
            // Not over plan (or not found): the current quarter's campaign, refused by `acknowledge`.
            Err(_) => self.find_campaign(wanted, &q),
        }
    }
}

impl Budget<'_, Write> {
    /// Acknowledge that campaign `id` is over plan: it leaves the attention list until more is
    /// spent. Refused for a campaign within its plan.
    pub fn acknowledge(&self, id: i64, by: &str, now: NaiveDateTime) -> Result<OverPlan> {
        let conn = self.db.conn();
        let found: Option<(String, String, String, i64, i64)> = conn
            .query_row(
                "SELECT name, period, channel, planned_cents,
                        coalesce((SELECT sum(amount_cents) FROM spend s WHERE s.campaign_id = c.id), 0)
                 FROM campaign c WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((name, period, channel, planned, spent)) = found else {
            return Err(Error::input(format!("no campaign with id {id}")));
        };
        if spent <= planned {
            let currency = Meta::new(self.db).currency();
            let m = |c| crate::domain::money::format(c, &currency);
            return Err(Error::input(format!(
                "'{name}' is within its plan ({} of {} spent): nothing to acknowledge",
                m(spent),
                m(planned)
            )));
        }
        conn.execute(
            "INSERT INTO over_plan_ack(campaign_id, at, by_whom, spent_cents) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(campaign_id) DO UPDATE SET at = excluded.at, by_whom = excluded.by_whom,
                 spent_cents = excluded.spent_cents",
            params![id, fmt_instant(now), by.trim(), spent],
        )?;
        let ended = Period::parse(&period).map(|p| p.end() < now.date()).unwrap_or(false);
        Ok(OverPlan {
            id,
            name,
            period,
            channel,
            planned_cents: planned,
            spent_cents: spent,
            over_cents: spent - planned,
            ended,
            acknowledged_cents: Some(spent),
        })
    }
}
