//! The statistics of a proportion metric, as GrowthBook publishes them: the relative lift and its
//! delta-method variance, a frequentist test on it, the Bayesian chance to win and risks under a
//! flat prior, and the sample-ratio-mismatch test.
//!
//! Every distribution function comes from `statrs`; the closed forms here are only the algebra
//! on top (moments of a normal), so there is no hand-written special function to get wrong.

use serde::Serialize;
use statrs::distribution::{ChiSquared, Continuous, ContinuousCDF, Normal};

/// The relative lift of a treatment over control, read both ways.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Lift {
    /// Conversion rate of control and of the treatment (conversions / visitors).
    pub control_rate: f64,
    pub rate: f64,
    /// rate - control rate, in rate points (0.006 = 0.6 points).
    pub absolute: f64,
    /// rate / control rate - 1 (0.12 = +12%): the number every other one is about.
    pub relative: f64,
    /// Delta-method variance of the relative lift, and its square root.
    pub variance: f64,
    pub sd: f64,
    /// Two-sided p-value of "no lift" and the interval at the readout's confidence (95% by default).
    pub p_value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Bayesian, flat prior: P(lift > 0).
    pub chance_to_win: f64,
    /// Expected relative loss if the treatment is shipped, E[max(0, -lift)].
    pub risk_of_shipping: f64,
    /// Expected relative gain forgone if control is kept, E[max(0, lift)].
    pub risk_of_keeping: f64,
}

/// Compare a treatment's counts with control's. `None` when the lift is undefined: a variant
/// without visitors, or a control that never converted (no rate to be relative to).
/// `alpha` sets the interval's width (0.05 gives a 95% interval).
pub fn lift(control: (u64, u64), treatment: (u64, u64), alpha: f64) -> Option<Lift> {
    let ((n_c, k_c), (n_t, k_t)) = (control, treatment);
    if n_c == 0 || n_t == 0 || k_c == 0 {
        return None;
    }
    let (n_c, n_t) = (n_c as f64, n_t as f64);
    let mu_c = k_c as f64 / n_c;
    let mu_t = k_t as f64 / n_t;
    let s2_c = mu_c * (1.0 - mu_c);
    let s2_t = mu_t * (1.0 - mu_t);
    let relative = mu_t / mu_c - 1.0;
    // var(mu_t / mu_c) by the delta method, mu_c and mu_t independent.
    let variance = s2_c * mu_t * mu_t / (mu_c.powi(4) * n_c) + s2_t / (mu_c * mu_c * n_t);
    let sd = variance.sqrt();
    let z = Normal::standard();
    let base = Lift {
        control_rate: mu_c,
        rate: mu_t,
        absolute: mu_t - mu_c,
        relative,
        variance,
        sd,
        p_value: 1.0,
        ci_low: relative,
        ci_high: relative,
        chance_to_win: 0.5,
        risk_of_shipping: 0.0,
        risk_of_keeping: 0.0,
    };
    if sd <= 0.0 || !sd.is_finite() {
        // Both rates at 0% or 100%: the lift is known exactly, there is nothing to test.
        let sign = relative.partial_cmp(&0.0).unwrap_or(std::cmp::Ordering::Equal);
        let (p, win) = match sign {
            std::cmp::Ordering::Equal => (1.0, 0.5),
            std::cmp::Ordering::Greater => (0.0, 1.0),
            std::cmp::Ordering::Less => (0.0, 0.0),
        };
        return Some(Lift {
            p_value: p,
            chance_to_win: win,
            risk_of_shipping: (-relative).max(0.0),
            risk_of_keeping: relative.max(0.0),
            ..base
        });
    }
    let t = relative / sd;
    let half_width = z.inverse_cdf(1.0 - alpha / 2.0) * sd;
    // For lift ~ N(m, sd): E[max(0, lift)] = m Phi(m/sd) + sd phi(m/sd), and
    // E[max(0, -lift)] = sd phi(m/sd) - m Phi(-m/sd).
    let density = sd * z.pdf(t);
    Some(Lift {
        p_value: (2.0 * z.sf(t.abs())).min(1.0),
        ci_low: relative - half_width,
        ci_high: relative + half_width,
        chance_to_win: z.cdf(t),
        risk_of_shipping: (density - relative * z.cdf(-t)).max(0.0),
        risk_of_keeping: (density + relative * z.cdf(t)).max(0.0),
        ..base
    })
}

/// Sample-ratio mismatch: did the visitors split the way the weights say?
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Srm {
    pub chi_squared: f64,
    pub degrees_of_freedom: u32,
    pub p_value: f64,
    pub level: SrmLevel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SrmLevel {
    Ok,
    /// p < 0.01: worth a look at the assignment.
    Warning,
    /// p < 0.001: the split is broken, no lift can be trusted.
    DoNotTrust,
}

/// Below this p-value the split is broken and overrides every verdict.
pub const SRM_DO_NOT_TRUST: f64 = 0.001;
/// Below this p-value the split earns a warning.
pub const SRM_WARNING: f64 = 0.01;

/// Chi-squared goodness of fit of the visitors against the configured weights, k-1 degrees of
/// freedom. Weights need not sum to anything (50,50 and 1,1 are the same split). With no
/// visitors yet, or fewer than two variants, there is nothing to test: p = 1.
pub fn srm(visitors: &[u64], weights: &[f64]) -> Srm {
    let total: f64 = visitors.iter().map(|&v| v as f64).sum();
    let weight_sum: f64 = weights.iter().sum();
    let k = visitors.len().min(weights.len());
    let quiet =
        Srm { chi_squared: 0.0, degrees_of_freedom: k.saturating_sub(1) as u32, p_value: 1.0, level: SrmLevel::Ok };
    if k < 2 || total <= 0.0 || weight_sum <= 0.0 || !weight_sum.is_finite() {
        return quiet;
    }
    let chi_squared: f64 = visitors
        .iter()
        .zip(weights)
        .map(|(&o, &w)| {
            let expected = total * w / weight_sum;
            let d = o as f64 - expected;
            d * d / expected
        })
        .sum();
    let df = (k - 1) as f64;
    let p_value = match ChiSquared::new(df) {
        Ok(dist) => dist.sf(chi_squared),
        Err(_) => return quiet,
    };
    let level = if p_value < SRM_DO_NOT_TRUST {
        SrmLevel::DoNotTrust
    } else if p_value < SRM_WARNING {
        SrmLevel::Warning
    } else {
        SrmLevel::Ok
    };
    Srm { chi_squared, degrees_of_freedom: k as u32 - 1, p_value, level }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn the_issue_reference_readout_to_four_decimals() {
        let l = lift((10_000, 500), (10_000, 560), 0.05).unwrap();
        assert!(close(l.relative, 0.12, 5e-5), "{}", l.relative);
        assert!(close(l.absolute, 0.006, 5e-5));
        assert!(close(l.sd, 0.067067, 5e-7), "{}", l.sd);
        assert!(close(l.p_value, 0.0736, 5e-5), "{}", l.p_value);
        assert!(close(l.ci_low, -0.0114, 5e-5), "{}", l.ci_low);
        assert!(close(l.ci_high, 0.2514, 5e-5), "{}", l.ci_high);
        assert!(close(l.chance_to_win, 0.9632, 5e-5), "{}", l.chance_to_win);
        assert!(close(l.risk_of_shipping, 0.00098, 5e-6), "{}", l.risk_of_shipping);
        // E[max(0,x)] - E[max(0,-x)] = E[x]: the two risks differ by the lift itself.
        assert!(close(l.risk_of_keeping - l.risk_of_shipping, l.relative, 1e-12));
    }

    #[test]
    fn a_losing_treatment_mirrors_a_winning_one() {
        let l = lift((10_000, 560), (10_000, 500), 0.05).unwrap();
        assert!(l.relative < 0.0);
        assert!(l.chance_to_win < 0.05);
        assert!(l.risk_of_shipping > l.risk_of_keeping);
        assert!(l.ci_low < l.relative && l.relative < l.ci_high);
    }

    #[test]
    fn no_lift_without_visitors_or_a_control_conversion() {
        assert_eq!(lift((0, 0), (100, 5), 0.05), None);
        assert_eq!(lift((100, 0), (100, 5), 0.05), None);
        assert_eq!(lift((100, 5), (0, 0), 0.05), None);
    }

    #[test]
    fn rates_at_the_edges_give_an_exact_lift_not_nan() {
        let l = lift((200, 200), (200, 200), 0.05).unwrap();
        assert_eq!((l.relative, l.p_value, l.chance_to_win), (0.0, 1.0, 0.5));
        // Treatment at 0% against a control at 100%: s² is 0 on both sides.
        let l = lift((200, 200), (200, 0), 0.05).unwrap();
        assert_eq!((l.relative, l.p_value, l.chance_to_win, l.risk_of_shipping), (-1.0, 0.0, 0.0, 1.0));
    }

    #[test]
    fn srm_flags_10000_vs_10500_and_not_10000_vs_10300() {
        let s = srm(&[10_000, 10_500], &[50.0, 50.0]);
        assert!(close(s.p_value, 0.00048, 5e-6), "{}", s.p_value);
        assert_eq!((s.level, s.degrees_of_freedom), (SrmLevel::DoNotTrust, 1));
        let s = srm(&[10_000, 10_300], &[50.0, 50.0]);
        assert!(close(s.p_value, 0.035, 5e-4), "{}", s.p_value);
        assert_eq!(s.level, SrmLevel::Ok);
        // Between the two thresholds: a warning only.
        let s = srm(&[10_000, 10_380], &[1.0, 1.0]);
        assert!(s.p_value > SRM_DO_NOT_TRUST && s.p_value < SRM_WARNING, "{}", s.p_value);
        assert_eq!(s.level, SrmLevel::Warning);
    }

    #[test]
    fn srm_follows_the_configured_weights_and_counts_k_minus_one_degrees() {
        // A 90/10 split observed as 90/10 is fine; the same counts at 50/50 are broken.
        assert_eq!(srm(&[9_000, 1_000], &[90.0, 10.0]).level, SrmLevel::Ok);
        assert_eq!(srm(&[9_000, 1_000], &[50.0, 50.0]).level, SrmLevel::DoNotTrust);
        let three = srm(&[1_000, 1_010, 990], &[1.0, 1.0, 1.0]);
        assert_eq!((three.degrees_of_freedom, three.level), (2, SrmLevel::Ok));
        assert_eq!(srm(&[0, 0], &[1.0, 1.0]).p_value, 1.0);
    }
}
