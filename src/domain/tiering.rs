//! Launch tiering: the rubric that turns three 1-5 scores into a tier, and the checklist a tier requires.

use crate::domain::error::{Error, Result};
use crate::domain::model::Tier;
use crate::domain::rubric::TierRules;

/// The three criteria, each scored 1-5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Scores {
    pub revenue: u8,
    pub urgency: u8,
    pub demand: u8,
}

impl Scores {
    /// Validate each criterion is 1-5, naming the one that is not.
    pub fn new(revenue: i64, urgency: i64, demand: i64) -> Result<Scores> {
        let check = |name: &str, v: i64| -> Result<u8> {
            if (1..=5).contains(&v) {
                Ok(v as u8)
            } else {
                Err(Error::input(format!("{name} must be a score from 1 to 5, got {v}")))
            }
        };
        Ok(Scores {
            revenue: check("revenue impact", revenue)?,
            urgency: check("competitive urgency", urgency)?,
            demand: check("demand signal", demand)?,
        })
    }
}

/// The computed tier and the reason, e.g. "total 13 of 15 -> Tier 1".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub tier: Tier,
    pub total: u32,
    pub max: u32,
}

impl Verdict {
    pub fn reason(&self) -> String {
        format!("total {} of {} -> {}", self.total, self.max, self.tier)
    }
}

/// Apply the rubric. With the default weights (1,1,1): 12-15 Tier 1, 8-11 Tier 2, 3-7 Tier 3.
/// With other weights the thresholds are scaled to the same share of the maximum.
pub fn compute(scores: Scores, rules: &TierRules) -> Verdict {
    let w = rules.rubric.weights;
    let total = u32::from(scores.revenue) * w.revenue
        + u32::from(scores.urgency) * w.urgency
        + u32::from(scores.demand) * w.demand;
    let max = 5 * (w.revenue + w.urgency + w.demand);
    // Thresholds are written against a 15-point scale; scale them to the weighted maximum.
    let scaled = |t: u32| -> u32 { (t * max).div_ceil(15) };
    let tier = if total >= scaled(rules.rubric.tier1_min) {
        Tier(1)
    } else if total >= scaled(rules.rubric.tier2_min) {
        Tier(2)
    } else {
        Tier(3)
    };
    Verdict { tier, total, max }
}

/// One readiness item a tier asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSpec {
    pub key: String,
    pub label: String,
    pub baseline: bool,
}

/// The tier's checklist: its own items, then the baseline standard every tier must meet.
pub fn checklist_for(tier: Tier, rules: &TierRules) -> Vec<ItemSpec> {
    let own = rules.items.iter().filter(|i| i.tiers.contains(&tier.0)).map(|i| ItemSpec {
        key: i.key.clone(),
        label: i.label.clone(),
        baseline: false,
    });
    let base = rules.baseline.iter().map(|i| ItemSpec { key: i.key.clone(), label: i.label.clone(), baseline: true });
    own.chain(base).collect()
}

/// Weeks of lead time a tier needs.
pub fn lead_weeks(tier: Tier, rules: &TierRules) -> u32 {
    match tier.0 {
        1 => rules.lead_weeks.tier1,
        2 => rules.lead_weeks.tier2,
        _ => rules.lead_weeks.tier3,
    }
}

/// What re-tiering does to a launch's checklist.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rederived {
    /// Items the tier requires, in checklist order: existing ones keep their ticks, new ones are added.
    pub required: Vec<ItemSpec>,
    /// Keys of existing items the tier no longer asks for: kept, with their state, but not required.
    pub no_longer_required: Vec<String>,
}

/// Re-derive a checklist for `tier` given the keys a launch already carries.
pub fn rederive<'a>(existing: impl IntoIterator<Item = &'a str>, tier: Tier, rules: &TierRules) -> Rederived {
    let required = checklist_for(tier, rules);
    let no_longer_required =
        existing.into_iter().filter(|k| !required.iter().any(|i| i.key == *k)).map(str::to_string).collect();
    Rederived { required, no_longer_required }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier_of(r: i64, u: i64, d: i64) -> Verdict {
        compute(Scores::new(r, u, d).unwrap(), &TierRules::defaults())
    }

    #[test]
    fn the_default_rubric_at_its_boundaries() {
        assert_eq!(tier_of(1, 1, 1).tier, Tier(3));
        assert_eq!(tier_of(3, 2, 2).tier, Tier(3)); // 7
        assert_eq!(tier_of(3, 3, 2).tier, Tier(2)); // 8
        assert_eq!(tier_of(4, 4, 3).tier, Tier(2)); // 11
        assert_eq!(tier_of(4, 4, 4).tier, Tier(1)); // 12
        assert_eq!(tier_of(5, 4, 4).reason(), "total 13 of 15 -> Tier 1");
        assert_eq!(tier_of(5, 5, 5).tier, Tier(1));
    }

    #[test]
    fn scores_out_of_range_are_refused_naming_the_criterion() {
        assert!(Scores::new(0, 3, 3).unwrap_err().to_string().contains("revenue"));
        assert!(Scores::new(3, 6, 3).unwrap_err().to_string().contains("urgency"));
        assert!(Scores::new(3, 3, -1).unwrap_err().to_string().contains("demand"));
    }

    #[test]
    fn every_tier_carries_the_baseline_standard() {
        let rules = TierRules::defaults();
        for t in 1..=3 {
            let items = checklist_for(Tier(t), &rules);
            assert_eq!(items.iter().filter(|i| i.baseline).count(), 3);
        }
        assert!(checklist_for(Tier(1), &rules).len() > checklist_for(Tier(3), &rules).len());
    }

    #[test]
    fn the_rubric_boundaries_seven_eight_eleven_twelve() {
        assert_eq!(tier_of(2, 2, 3).reason(), "total 7 of 15 -> Tier 3");
        assert_eq!(tier_of(2, 3, 3).reason(), "total 8 of 15 -> Tier 2");
        assert_eq!(tier_of(3, 4, 4).reason(), "total 11 of 15 -> Tier 2");
        assert_eq!(tier_of(4, 4, 4).reason(), "total 12 of 15 -> Tier 1");
        for bad in [0, 6] {
            assert!(
                Scores::new(bad, 3, 3).is_err() && Scores::new(3, bad, 3).is_err() && Scores::new(3, 3, bad).is_err()
            );
        }
    }

    #[test]
    fn re_tiering_keeps_shared_items_and_drops_the_rest_from_required() {
        let rules = TierRules::defaults();
        let tier1: Vec<String> = checklist_for(Tier(1), &rules).into_iter().map(|i| i.key).collect();
        let r = rederive(tier1.iter().map(String::as_str), Tier(2), &rules);
        // Tier 2 still asks for the customer email and the baseline; it adds its own items.
        assert!(r.required.iter().any(|i| i.key == "customer-email"));
        assert!(r.required.iter().any(|i| i.key == "blog-post"));
        assert!(r.required.iter().any(|i| i.key == "compliance" && i.baseline));
        assert!(r.no_longer_required.contains(&"press-release".to_string()));
        assert!(!r.no_longer_required.contains(&"customer-email".to_string()));
        assert!(!r.no_longer_required.contains(&"compliance".to_string()));
    }
}
