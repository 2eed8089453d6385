//! `budget list` and `export budget`: a quarter's campaigns with plan, spend, pacing and returns.
//! Every figure comes from `store.budget().paced_rows()`, so the screen, the list, the export and
//! the dashboard agree to the cent, and pace by the same calendar.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::budget::{BucketShare, CampaignRow, Elapsed, bucket_split, totals};
use crate::domain::calendar::Pacing;
use crate::domain::pacing::PaceStatus;
use crate::domain::period::Period;
use crate::store::Store;
use crate::store::error::Result;

/// A quarter's campaigns with every figure as of a day: what the text, CSV, Markdown and JSON
/// renderings are made from.
#[derive(Debug, Clone)]
pub struct BudgetReadout {
    pub period: Period,
    pub rows: Vec<CampaignRow>,
    pub elapsed: Elapsed,
    pub currency: String,
}

impl BudgetReadout {
    /// `period`'s campaigns as of `today`, paced by `pacing` (the config's calendar).
    pub fn load(store: &Store, period: &Period, today: NaiveDate, pacing: &Pacing) -> Result<BudgetReadout> {
        let paced = store.budget().paced_rows(period, today, pacing)?;
        Ok(BudgetReadout {
            period: *period,
            rows: paced.rows,
            elapsed: paced.elapsed,
            currency: store.meta().currency(),
        })
    }

    /// The stable JSON shape (`budget list --format json`).
    pub fn json(&self) -> BudgetJson {
        BudgetJson::new(&self.period, &self.rows, self.elapsed, &self.currency)
    }
}

/// `budget list --format json`: `period`'s campaigns as of `today`.
pub fn budget(store: &Store, period: &Period, today: NaiveDate, pacing: &Pacing) -> Result<BudgetJson> {
    Ok(BudgetReadout::load(store, period, today, pacing)?.json())
}

/// The stable JSON shape: money in integer cents, ratios as numbers or null.
#[derive(Debug, Serialize)]
pub struct BudgetJson {
    pub period: String,
    pub currency: String,
    pub elapsed_days: i64,
    pub period_days: i64,
    pub campaigns: Vec<CampaignJson>,
    pub totals: CampaignJson,
    pub buckets: Vec<BucketShare>,
}

#[derive(Debug, Serialize)]
pub struct CampaignJson {
    pub id: Option<i64>,
    pub name: String,
    pub channel: String,
    pub bucket: Option<String>,
    pub planned_cents: i64,
    pub spent_cents: i64,
    pub remaining_cents: i64,
    /// Spent past the plan (0 within it).
    pub over_plan_cents: i64,
    pub pacing: PaceStatus,
    /// spent / expected - 1 on complete days; null before a day is complete.
    pub pacing_deviation: Option<f64>,
    pub expected_cents: i64,
    pub forecast_cents: Option<i64>,
    pub leads: f64,
    pub cpl_cents: Option<i64>,
    pub pipeline_cents: i64,
    pub closed_won_cents: i64,
    pub roi: Option<f64>,
    pub roas: Option<f64>,
    pub pipeline_per_spend: Option<f64>,
}

impl CampaignJson {
    fn new(r: &CampaignRow, id: Option<i64>) -> CampaignJson {
        CampaignJson {
            id,
            name: r.facts.name.clone(),
            channel: r.facts.channel.clone(),
            bucket: r.facts.bucket.map(|b| b.as_str().to_string()),
            planned_cents: r.facts.planned_cents,
            spent_cents: r.facts.spent_cents,
            remaining_cents: r.remaining_cents,
            over_plan_cents: r.over_plan_cents,
            pacing: r.pace.status,
            pacing_deviation: r.pace.status.is_verdict().then_some(r.pace.deviation),
            expected_cents: r.pace.expected.round() as i64,
            forecast_cents: r.forecast_cents,
            leads: r.facts.leads,
            cpl_cents: r.cpl_cents,
            pipeline_cents: r.facts.pipeline_cents,
            closed_won_cents: r.facts.won_cents,
            roi: r.roi,
            roas: r.roas,
            pipeline_per_spend: r.pipeline_per_spend,
        }
    }
}

impl BudgetJson {
    pub fn new(period: &Period, rows: &[CampaignRow], elapsed: Elapsed, currency: &str) -> BudgetJson {
        BudgetJson {
            period: period.to_string(),
            currency: currency.to_string(),
            elapsed_days: elapsed.days,
            period_days: elapsed.period_days,
            campaigns: rows.iter().map(|r| CampaignJson::new(r, Some(r.facts.id))).collect(),
            totals: CampaignJson::new(&totals(rows, elapsed), None),
            buckets: bucket_split(rows),
        }
    }
}
