//! Campaign budgets: plans, spend, attribution, reallocation.

use chrono::NaiveDate;

use super::{Store, fmt_day};
use crate::domain::feeds::{BudgetBurn, CampaignAlert};
use crate::domain::pacing;
use crate::domain::period::{Grain, Period};
use crate::error::Result;

/// On track within +/-5% of the elapsed share.
pub const PACING_TOLERANCE: f64 = 0.05;

/// (id, name, channel, planned cents, spent cents) of one campaign.
type CampaignSpend = (i64, String, String, i64, i64);

impl Store {
    /// Planned and spent per campaign in the quarter containing `today` (spend up to the day before).
    fn quarter_spend(&self, today: NaiveDate) -> Result<(Period, Vec<CampaignSpend>)> {
        let q = Period::containing(Grain::Quarter, today);
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.id, c.name, c.channel, c.planned_cents,
                    coalesce((SELECT sum(amount_cents) FROM spend s WHERE s.campaign_id = c.id AND s.day < ?2), 0)
             FROM campaign c WHERE c.period = ?1 ORDER BY c.id",
        )?;
        let rows = stmt.query_map([q.to_string(), fmt_day(today)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        Ok((q, rows.collect::<rusqlite::Result<_>>()?))
    }

    /// Total burn for the quarter containing `today`.
    pub fn budget_burn(&self, today: NaiveDate) -> Result<BudgetBurn> {
        let (q, rows) = self.quarter_spend(today)?;
        let planned: i64 = rows.iter().map(|r| r.3).sum();
        let spent: i64 = rows.iter().map(|r| r.4).sum();
        let elapsed = (today - q.start).num_days().clamp(0, q.days());
        Ok(BudgetBurn {
            period: q.to_string(),
            planned_cents: planned,
            spent_cents: spent,
            elapsed_share: pacing::complete_share(&q, today),
            forecast_cents: pacing::run_rate(spent as f64, elapsed, q.days()).map(|f| f.round() as i64),
        })
    }

    /// Campaigns this quarter pacing outside the band, furthest off first.
    pub fn campaign_alerts(&self, today: NaiveDate) -> Result<Vec<CampaignAlert>> {
        let (q, rows) = self.quarter_spend(today)?;
        let share = pacing::complete_share(&q, today);
        let mut out: Vec<CampaignAlert> = rows
            .into_iter()
            .filter_map(|(id, name, channel, planned, spent)| {
                let p = pacing::pace(spent as f64, planned as f64, share, PACING_TOLERANCE);
                matches!(p.status, pacing::PaceStatus::Over | pacing::PaceStatus::Under).then(|| CampaignAlert {
                    id,
                    name,
                    channel,
                    planned_cents: planned,
                    spent_cents: spent,
                    expected_cents: p.expected.round() as i64,
                    deviation: p.deviation,
                })
            })
            .collect();
        out.sort_by(|a, b| b.deviation.abs().total_cmp(&a.deviation.abs()));
        Ok(out)
    }
}
