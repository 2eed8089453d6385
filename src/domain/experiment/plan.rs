//! How many visitors a test needs before it starts: the classic two-proportion sample size.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use super::ExperimentError;

/// What the director types: `--baseline 5% --mde 10% [--alpha 0.05] [--power 0.8] [--daily-visitors N]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanInput {
    /// Control's conversion rate today, in (0, 1).
    pub baseline: f64,
    /// The smallest relative lift worth detecting (0.10 = +10%).
    pub mde: f64,
    /// Two-sided false-positive rate.
    pub alpha: f64,
    /// Chance of detecting a true lift of `mde`.
    pub power: f64,
    /// Visitors entering the test per day, all variants together.
    pub daily_visitors: Option<u64>,
    /// How many variants share that traffic evenly (control included).
    pub variants: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Plan {
    pub baseline: f64,
    /// The rate the treatment would show at exactly the MDE.
    pub target_rate: f64,
    pub visitors_per_variant: u64,
    pub visitors_total: u64,
    /// With daily visitors: whole days until every variant has its sample.
    pub days: Option<u64>,
}

/// n per variant = (z(1-a/2) sqrt(2 p(1-p)) + z(power) sqrt(p1 q1 + p2 q2))² / (p2 - p1)², with p
/// the mean of the two rates: the pooled variance under "no lift", the separate ones under the
/// MDE. Rounded up: half a visitor short is short.
pub fn plan(input: &PlanInput) -> Result<Plan, ExperimentError> {
    let PlanInput { baseline: p1, mde, alpha, power, daily_visitors, variants } = *input;
    let open_unit = |x: f64| x > 0.0 && x < 1.0;
    if !open_unit(p1) {
        return Err(ExperimentError::OutOfRange { what: "the baseline", value: p1, range: "between 0% and 100%" });
    }
    if !(mde > 0.0 && mde.is_finite()) {
        return Err(ExperimentError::OutOfRange {
            what: "the minimum detectable effect",
            value: mde,
            range: "above 0%",
        });
    }
    if !open_unit(alpha) {
        return Err(ExperimentError::OutOfRange { what: "alpha", value: alpha, range: "between 0 and 1" });
    }
    if !open_unit(power) {
        return Err(ExperimentError::OutOfRange { what: "power", value: power, range: "between 0 and 1" });
    }
    let p2 = p1 * (1.0 + mde);
    if p2 >= 1.0 {
        return Err(ExperimentError::MdeTooLarge { baseline: p1, mde });
    }
    if variants < 2 {
        return Err(ExperimentError::TooFewVariants(variants));
    }
    if daily_visitors == Some(0) {
        return Err(ExperimentError::NoDailyVisitors);
    }
    let z = Normal::standard();
    let z_alpha = z.inverse_cdf(1.0 - alpha / 2.0);
    let z_power = z.inverse_cdf(power);
    let p = (p1 + p2) / 2.0;
    let spread = z_alpha * (2.0 * p * (1.0 - p)).sqrt() + z_power * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    let n = (spread * spread / ((p2 - p1) * (p2 - p1))).ceil();
    if !n.is_finite() || n > u64::MAX as f64 / variants as f64 {
        return Err(ExperimentError::MdeTooSmall { mde });
    }
    let per_variant = n as u64;
    let total = per_variant * variants as u64;
    Ok(Plan {
        baseline: p1,
        target_rate: p2,
        visitors_per_variant: per_variant,
        visitors_total: total,
        days: daily_visitors.map(|d| total.div_ceil(d)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(baseline: f64, mde: f64) -> PlanInput {
        PlanInput { baseline, mde, alpha: 0.05, power: 0.8, daily_visitors: None, variants: 2 }
    }

    #[test]
    fn five_percent_baseline_ten_percent_mde_needs_about_31234_per_variant() {
        let p = plan(&input(0.05, 0.10)).unwrap();
        let n = p.visitors_per_variant as f64;
        assert!((n - 31_234.0).abs() / 31_234.0 < 0.01, "{n}");
        assert_eq!(p.visitors_total, 2 * p.visitors_per_variant);
        assert!((p.target_rate - 0.055).abs() < 1e-12);
        assert_eq!(p.days, None);
    }

    #[test]
    fn daily_visitors_turn_the_sample_into_whole_days() {
        let p = plan(&PlanInput { daily_visitors: Some(2_000), ..input(0.05, 0.10) }).unwrap();
        // 2 x ~31,234 visitors at 2,000 a day: 32 days (31.2 rounded up).
        assert_eq!(p.days, Some(p.visitors_total.div_ceil(2_000)));
        assert_eq!(p.days, Some(32));
        // A third variant splits the same traffic three ways: longer.
        let three = plan(&PlanInput { daily_visitors: Some(2_000), variants: 3, ..input(0.05, 0.10) }).unwrap();
        assert!(three.days > p.days);
    }

    #[test]
    fn smaller_effects_and_more_power_cost_visitors() {
        let base = plan(&input(0.05, 0.10)).unwrap().visitors_per_variant;
        assert!(plan(&input(0.05, 0.05)).unwrap().visitors_per_variant > 3 * base);
        assert!(plan(&PlanInput { power: 0.9, ..input(0.05, 0.10) }).unwrap().visitors_per_variant > base);
    }

    #[test]
    fn impossible_plans_are_refused_with_the_reason() {
        let msg = |i: PlanInput| plan(&i).unwrap_err().to_string();
        assert_eq!(msg(input(0.0, 0.1)), "the baseline must be between 0% and 100%, got 0");
        assert_eq!(msg(input(0.05, 0.0)), "the minimum detectable effect must be above 0%, got 0");
        assert!(
            msg(input(0.6, 1.0)).contains("a 100% lift on a 60% baseline is above 100%"),
            "{}",
            msg(input(0.6, 1.0))
        );
        assert!(msg(PlanInput { alpha: 1.0, ..input(0.05, 0.1) }).starts_with("alpha must be"));
        assert!(msg(PlanInput { daily_visitors: Some(0), ..input(0.05, 0.1) }).contains("--daily-visitors"));
    }
}
