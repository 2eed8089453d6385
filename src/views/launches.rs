//! `launch list` and `export launches`: every launch with its tier, readiness and lead-time flag.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::launch::{Launch, SortBy, TierSource, arrange, tier_label};
use crate::domain::model::Tier;
use crate::domain::rubric::TierRules;
use crate::domain::tiering::Scores;
use crate::store::Store;
use crate::store::error::Result;

/// One launch as scripts read it (`--format json`). Stable: fields are only ever added.
#[derive(Debug, Clone, Serialize)]
pub struct LaunchRecord {
    pub id: i64,
    pub name: String,
    pub product: String,
    pub owner: String,
    /// ISO date.
    pub launch_date: String,
    /// Negative once the date has passed.
    pub days_to_go: i64,
    pub stage: String,
    /// The tier in force (1-3), `null` while unscored.
    pub tier: Option<u8>,
    /// `computed` | `override` | `null`.
    pub tier_source: Option<TierSource>,
    pub computed_tier: Option<u8>,
    pub override_reason: Option<String>,
    pub scores: Option<Scores>,
    pub readiness: Readiness,
    /// Baseline items still open: these block going live.
    pub open_baseline: Vec<String>,
    /// Set when inside the tier's lead time with items open.
    pub lead_flag: Option<String>,
    /// Marked as a product pivot taking effect on this ISO date; `null` otherwise.
    pub pivot_on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    pub done: usize,
    pub required: usize,
}

impl LaunchRecord {
    pub fn from_launch(l: &Launch, today: NaiveDate, rules: &TierRules) -> LaunchRecord {
        LaunchRecord {
            id: l.id,
            name: l.name.clone(),
            product: l.product.clone(),
            owner: l.owner.clone(),
            launch_date: l.date.format("%Y-%m-%d").to_string(),
            days_to_go: l.days_to_go(today),
            stage: l.stage.as_str().to_string(),
            tier: l.tier().map(|t| t.0),
            tier_source: l.tier_source(),
            computed_tier: l.computed.map(|t| t.0),
            override_reason: l.override_reason.clone(),
            scores: l.scores,
            readiness: Readiness { done: l.done, required: l.required },
            open_baseline: l.open_baseline.clone(),
            lead_flag: l.tier().and_then(|t| l.lead_flag(today, rules).map(|f| f.message(t))),
            pivot_on: l.pivot_on.map(|d| d.format("%Y-%m-%d").to_string()),
        }
    }

    pub fn tier_label(&self) -> String {
        tier_label(self.tier.map(Tier), self.tier_source)
    }
}

/// Every launch, current ones by date then past ones, as records.
pub fn records(store: &Store, today: NaiveDate, rules: &TierRules) -> Result<Vec<LaunchRecord>> {
    let mut launches = store.launches().all()?;
    arrange(&mut launches, SortBy::Date);
    Ok(launches.iter().map(|l| LaunchRecord::from_launch(l, today, rules)).collect())
}
