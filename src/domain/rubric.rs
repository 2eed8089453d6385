//! The launch rubric and checklists as data: weights, thresholds, lead times, the baseline
//! standard and each tier's items. The shipped rubric is `assets/tiers.toml`, embedded here
//! where its type lives (so the domain needs nothing above it); `config.toml` patches it.

use serde::Deserialize;

/// The shipped rubric (`assets/tiers.toml`).
pub const TIERS: &str = include_str!("../../assets/tiers.toml");

/// The tier rubric and checklists (`assets/tiers.toml`, patched by config).
#[derive(Debug, Clone, Deserialize)]
pub struct TierRules {
    pub rubric: Rubric,
    pub lead_weeks: LeadWeeks,
    #[serde(rename = "criterion")]
    pub criteria: Vec<Criterion>,
    #[serde(rename = "baseline")]
    pub baseline: Vec<ChecklistItem>,
    #[serde(rename = "item")]
    pub items: Vec<TierItem>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rubric {
    pub weights: Weights,
    pub tier1_min: u32,
    pub tier2_min: u32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Weights {
    pub revenue: u32,
    pub urgency: u32,
    pub demand: u32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct LeadWeeks {
    pub tier1: u32,
    pub tier2: u32,
    pub tier3: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Criterion {
    pub key: String,
    pub label: String,
    pub anchors: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChecklistItem {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TierItem {
    pub tiers: Vec<u8>,
    pub key: String,
    pub label: String,
}

impl TierRules {
    pub fn defaults() -> TierRules {
        // Part of the binary and covered by tests: a parse failure is a build defect.
        toml::from_str(TIERS).expect("embedded tier rules parse")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rubric_parses() {
        let tiers = TierRules::defaults();
        assert_eq!(tiers.baseline.len(), 3);
        assert_eq!(tiers.criteria.len(), 3);
    }
}
