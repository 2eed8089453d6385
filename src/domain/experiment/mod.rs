//! Experiments: variants with traffic weights (the first is control) and cumulative visitors and
//! conversions, read out with GrowthBook's published statistics, ending the way the director
//! talks to executives: what to do, the risk of doing nothing, and by when.
//!
//! Pure: the store keeps the experiment and its counts; the faces call [`readout`] and [`plan`]
//! and only present what they return.

mod plan;
mod readout;
mod stats;

pub use plan::{Plan, PlanInput, plan};
pub use readout::{
    Action, Bayesian, Comparison, Frequentist, MIN_CONVERSIONS, Progress, Readout, Reason, Recommendation, Settings,
    Verdict, readout,
};
pub use stats::{Lift, SRM_DO_NOT_TRUST, SRM_WARNING, Srm, SrmLevel, lift, srm};

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::text::name_key;

/// One arm of an experiment with its cumulative counts to date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub name: String,
    /// Share of traffic it is meant to get, in any unit (50,50 and 1,1 are the same split).
    pub weight: f64,
    pub visitors: u64,
    pub conversions: u64,
}

impl Variant {
    /// A variant with no counts yet.
    pub fn new(name: impl Into<String>, weight: f64) -> Variant {
        Variant { name: name.into(), weight, visitors: 0, conversions: 0 }
    }

    /// Conversions / visitors; `None` before the first visitor.
    pub fn rate(&self) -> Option<f64> {
        (self.visitors > 0).then(|| self.conversions as f64 / self.visitors as f64)
    }
}

/// Everything that can be wrong with what a user typed about an experiment, one line each.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExperimentError {
    #[error("an experiment needs at least two variants (the first is control), got {0}")]
    TooFewVariants(usize),
    #[error("a variant has an empty name in '{0}'")]
    EmptyVariant(String),
    #[error("variant '{0}' is named twice")]
    DuplicateVariant(String),
    #[error("{variants} variants but {weights} weights: give one weight per variant, like --weights 50,50")]
    WeightCount { variants: usize, weights: usize },
    #[error("'{0}' is not a weight (expected a positive number, like 50)")]
    BadWeight(String),
    #[error("{conversions} conversions from {visitors} visitors: conversions cannot exceed visitors")]
    MoreConversionsThanVisitors { visitors: u64, conversions: u64 },
    #[error("'{value}' is not a {what} (write it as a percent like 5% or a share like 0.05)")]
    BadShare { what: &'static str, value: String },
    #[error("'{value}' is ambiguous as a {what}: write {value}% or {share} (a share above 1 is refused)")]
    AmbiguousShare { what: &'static str, value: String, share: String },
    #[error("{what} must be {range}, got {value}")]
    OutOfRange { what: &'static str, value: f64, range: &'static str },
    #[error(
        "a {mde_pct}% lift on a {base_pct}% baseline is above 100%: lower --mde",
        mde_pct = fmt_pct(*mde),
        base_pct = fmt_pct(*baseline)
    )]
    MdeTooLarge { baseline: f64, mde: f64 },
    #[error("a {}% effect is too small to plan for: raise --mde", fmt_pct(*mde))]
    MdeTooSmall { mde: f64 },
    #[error("--daily-visitors must be at least 1")]
    NoDailyVisitors,
    #[error("{what} '{value}': {why}")]
    BadCount { what: &'static str, value: String, why: String },
    #[error(
        "{variant}: counts are cumulative to date and cannot go down: {earlier_visitors} visitors and {earlier_conversions} conversions by {earlier_day}, but {visitors} and {conversions} by {day}"
    )]
    CountsGoDown {
        variant: String,
        earlier_day: NaiveDate,
        earlier_visitors: u64,
        earlier_conversions: u64,
        day: NaiveDate,
        visitors: u64,
        conversions: u64,
    },
}

fn fmt_pct(share: f64) -> String {
    let s = format!("{:.2}", share * 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The variants of `experiment add`: `--variants control,b,...` (default `control,treatment`)
/// and `--weights 50,50` (default an even split). Names are matched case- and dash-insensitively,
/// so "Variant-B" and "variant–b" are the same arm and refused as a pair.
pub fn parse_variants(names: Option<&str>, weights: Option<&str>) -> Result<Vec<Variant>, ExperimentError> {
    let names: Vec<String> = match names {
        Some(s) => s.split(',').map(|n| n.trim().to_string()).collect(),
        None => vec!["control".into(), "treatment".into()],
    };
    if names.iter().any(String::is_empty) {
        return Err(ExperimentError::EmptyVariant(names.join(",")));
    }
    if names.len() < 2 {
        return Err(ExperimentError::TooFewVariants(names.len()));
    }
    for (i, n) in names.iter().enumerate() {
        if names[..i].iter().any(|m| name_key(m) == name_key(n)) {
            return Err(ExperimentError::DuplicateVariant(n.clone()));
        }
    }
    let weights: Vec<f64> = match weights {
        Some(s) => s
            .split(',')
            .map(|w| {
                let w = w.trim();
                match w.trim_end_matches('%').parse::<f64>() {
                    Ok(x) if x > 0.0 && x.is_finite() => Ok(x),
                    _ => Err(ExperimentError::BadWeight(w.to_string())),
                }
            })
            .collect::<Result<_, _>>()?,
        None => vec![1.0; names.len()],
    };
    if weights.len() != names.len() {
        return Err(ExperimentError::WeightCount { variants: names.len(), weights: weights.len() });
    }
    Ok(names.into_iter().zip(weights).map(|(n, w)| Variant::new(n, w)).collect())
}

/// Cumulative counts as `experiment result` takes them: conversions never above visitors.
pub fn check_counts(visitors: u64, conversions: u64) -> Result<(), ExperimentError> {
    if conversions > visitors {
        return Err(ExperimentError::MoreConversionsThanVisitors { visitors, conversions });
    }
    Ok(())
}

/// How an experiment's or a variant's name is matched: any case, and a dash, an underscore or a
/// space alike, so `headline-test` on a command line or in a file finds "Headline test".
pub fn name_fold(s: &str) -> String {
    name_key(&s.replace(['-', '_', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}'], " "))
}

/// Visitors or conversions as people type them (`10,000`, `10000`): a whole number, never
/// negative, read with the one number grammar.
pub fn parse_count(raw: &str, what: &'static str) -> Result<u64, ExperimentError> {
    let bad = |why: String| ExperimentError::BadCount { what, value: raw.trim().to_string(), why };
    let value = crate::domain::number::count(raw, crate::domain::number::Source::Typed)
        .map_err(|e| bad(e.to_string()))?
        .ok_or_else(|| bad("a count is needed".into()))?;
    if value.fract() != 0.0 || value > 1e15 {
        return Err(bad("a count is a whole number".into()));
    }
    Ok(value as u64)
}

/// Cumulative counts as of a day, for [`check_cumulative`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub day: NaiveDate,
    pub visitors: u64,
    pub conversions: u64,
}

/// Counts are cumulative to date: `new` may not be below what an earlier day already had, nor
/// above what a later day has. Either side may be missing (the first or the latest day).
pub fn check_cumulative(
    variant: &str,
    new: Counts,
    earlier: Option<Counts>,
    later: Option<Counts>,
) -> Result<(), ExperimentError> {
    let down = |a: Counts, b: Counts| ExperimentError::CountsGoDown {
        variant: variant.to_string(),
        earlier_day: a.day,
        earlier_visitors: a.visitors,
        earlier_conversions: a.conversions,
        day: b.day,
        visitors: b.visitors,
        conversions: b.conversions,
    };
    if let Some(e) = earlier.filter(|e| new.visitors < e.visitors || new.conversions < e.conversions) {
        return Err(down(e, new));
    }
    if let Some(l) = later.filter(|l| l.visitors < new.visitors || l.conversions < new.conversions) {
        return Err(down(new, l));
    }
    Ok(())
}

/// A rate, a lift or a probability as people type it: `5%` or `0.05`. A bare number above 1
/// ("5") could mean 5% or 500%, so it is refused with both spellings rather than guessed.
pub fn parse_share(input: &str, what: &'static str) -> Result<f64, ExperimentError> {
    let s = input.trim();
    let bad = || ExperimentError::BadShare { what, value: s.to_string() };
    let (number, percent) = match s.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (s, false),
    };
    let x: f64 = number.parse().map_err(|_| bad())?;
    if !x.is_finite() {
        return Err(bad());
    }
    if percent {
        return Ok(x / 100.0);
    }
    if x > 1.0 {
        // f64's shortest display: 5 / 100 shows as 0.05.
        return Err(ExperimentError::AmbiguousShare { what, value: s.to_string(), share: (x / 100.0).to_string() });
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_default_to_an_even_control_treatment_split() {
        let v = parse_variants(None, None).unwrap();
        assert_eq!(
            v.iter().map(|v| (v.name.as_str(), v.weight)).collect::<Vec<_>>(),
            [("control", 1.0), ("treatment", 1.0)]
        );
        let v = parse_variants(Some("control, b, c"), Some("50,25,25")).unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!((v[0].name.as_str(), v[2].weight), ("control", 25.0));
    }

    #[test]
    fn bad_variants_are_refused_with_one_line() {
        let err = |n: Option<&str>, w: Option<&str>| parse_variants(n, w).unwrap_err().to_string();
        assert_eq!(
            err(Some("control"), None),
            "an experiment needs at least two variants (the first is control), got 1"
        );
        assert_eq!(err(Some("control,,b"), None), "a variant has an empty name in 'control,,b'");
        // An en dash nobody typed on purpose does not make a new arm.
        assert_eq!(err(Some("control,Variant-B,variant\u{2013}b"), None), "variant 'variant\u{2013}b' is named twice");
        assert_eq!(
            err(Some("a,b,c"), Some("50,50")),
            "3 variants but 2 weights: give one weight per variant, like --weights 50,50"
        );
        assert_eq!(err(None, Some("50,-1")), "'-1' is not a weight (expected a positive number, like 50)");
    }

    #[test]
    fn shares_take_a_percent_or_a_fraction_and_refuse_a_bare_five() {
        assert_eq!(parse_share("5%", "baseline").unwrap(), 0.05);
        assert_eq!(parse_share(" 0.05 ", "baseline").unwrap(), 0.05);
        assert_eq!(
            parse_share("5", "baseline").unwrap_err().to_string(),
            "'5' is ambiguous as a baseline: write 5% or 0.05 (a share above 1 is refused)"
        );
        assert_eq!(
            parse_share("abc", "baseline").unwrap_err().to_string(),
            "'abc' is not a baseline (write it as a percent like 5% or a share like 0.05)"
        );
        assert!(parse_share("NaN", "baseline").is_err());
    }

    #[test]
    fn cumulative_counts_never_go_down_on_either_side() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let c = |day: &str, v: u64, k: u64| Counts { day: d(day), visitors: v, conversions: k };
        assert!(check_cumulative("b", c("2026-11-19", 2_400, 130), Some(c("2026-11-18", 2_000, 120)), None).is_ok());
        assert_eq!(
            check_cumulative("b", c("2026-11-19", 2_000, 120), Some(c("2026-11-18", 2_400, 130)), None)
                .unwrap_err()
                .to_string(),
            "b: counts are cumulative to date and cannot go down: 2400 visitors and 130 conversions by 2026-11-18, but 2000 and 120 by 2026-11-19"
        );
        let later = check_cumulative("b", c("2026-11-17", 2_500, 10), None, Some(c("2026-11-18", 2_400, 130)));
        assert!(later.unwrap_err().to_string().contains("by 2026-11-17, but 2400 and 130 by 2026-11-18"));
    }

    #[test]
    fn counts_are_whole_numbers_as_people_type_them() {
        assert_eq!(parse_count("10,000", "--visitors").unwrap(), 10_000);
        assert_eq!(parse_count(" 560 ", "--conversions").unwrap(), 560);
        assert_eq!(
            parse_count("12.5", "--visitors").unwrap_err().to_string(),
            "--visitors '12.5': a count is a whole number"
        );
        assert!(parse_count("-3", "--visitors").unwrap_err().to_string().starts_with("--visitors '-3': "));
        assert!(parse_count("lots", "--visitors").is_err());
    }

    #[test]
    fn conversions_cannot_exceed_visitors() {
        assert!(check_counts(100, 100).is_ok());
        assert_eq!(
            check_counts(100, 101).unwrap_err().to_string(),
            "101 conversions from 100 visitors: conversions cannot exceed visitors"
        );
        assert_eq!(Variant::new("a", 1.0).rate(), None);
    }
}
