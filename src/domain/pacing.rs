//! Pacing against a target or a plan: expected-so-far = target x elapsed share, on track within a band.

use serde::{Deserialize, Serialize};

/// Data for a day is complete only once the day is over (ad platforms report
/// yesterday), so pacing compares what has landed with the share of *complete*
/// days: on the first day of a period nothing is expected yet.
pub fn complete_share(period: &crate::domain::period::Period, today: chrono::NaiveDate) -> f64 {
    let done = (today - period.start).num_days().clamp(0, period.days());
    done as f64 / period.days() as f64
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaceStatus {
    /// Within the tolerance band.
    OnTrack,
    /// More than expected (good for leads, bad for spend).
    Over,
    /// Less than expected.
    Under,
    /// Nothing expected yet (first day, no target): no verdict.
    NotYet,
    /// Less of the period's expected volume is in than the minimum share: "too early to call".
    TooEarly,
    /// A feed behind the figure has gone quiet: a shortfall says nothing about performance.
    Stale,
}

impl PaceStatus {
    /// A verdict a person should act on (over or under), as opposed to none yet.
    pub fn is_verdict(self) -> bool {
        matches!(self, PaceStatus::Over | PaceStatus::Under | PaceStatus::OnTrack)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pace {
    pub actual: f64,
    pub expected: f64,
    /// actual / expected - 1: +0.12 is 12% over pace. 0 when nothing is expected.
    pub deviation: f64,
    pub status: PaceStatus,
}

/// Compare `actual` with `target x share`; `tolerance` is the half-width of the band (0.05 = +/-5%).
pub fn pace(actual: f64, target: f64, share: f64, tolerance: f64) -> Pace {
    let expected = target * share;
    if expected <= 0.0 || !expected.is_finite() {
        return Pace { actual, expected, deviation: 0.0, status: PaceStatus::NotYet };
    }
    let deviation = actual / expected - 1.0;
    let status = if deviation > tolerance {
        PaceStatus::Over
    } else if deviation < -tolerance {
        PaceStatus::Under
    } else {
        PaceStatus::OnTrack
    };
    Pace { actual, expected, deviation, status }
}

/// As [`pace`], with no verdict before `min_share` of the period's expected volume is in
/// (`share` is that expected share, weighted by the calendar).
pub fn pace_from(actual: f64, target: f64, share: f64, tolerance: f64, min_share: f64) -> Pace {
    let p = pace(actual, target, share, tolerance);
    if p.status != PaceStatus::NotYet && share < min_share {
        return Pace { status: PaceStatus::TooEarly, ..p };
    }
    p
}

/// Where the period ends at the current rate: spent / elapsed days x period days.
/// `None` before a full day has elapsed.
pub fn run_rate(actual: f64, elapsed_days: i64, period_days: i64) -> Option<f64> {
    (elapsed_days > 0).then(|| actual / elapsed_days as f64 * period_days as f64)
}

/// "+12%", "-3%", "n/a".
pub fn format_deviation(p: &Pace) -> String {
    match p.status {
        PaceStatus::NotYet => "n/a".into(),
        PaceStatus::TooEarly => "too early".into(),
        PaceStatus::Stale => "stale".into(),
        _ => format_pct(p.deviation),
    }
}

/// A deviation as a whole percent, but with one decimal next to the ±5% band's edge, so that
/// "under -5.3%" is not read as inside a band that "-5%" would suggest.
pub fn format_pct(deviation: f64) -> String {
    let pct = deviation * 100.0;
    if (4.5..5.5).contains(&pct.abs()) {
        format!("{pct:+.1}%")
    } else if pct.round() == 0.0 {
        // -0.3% rounds to zero: "+0%", never "-0%".
        "+0%".into()
    } else {
        format!("{pct:+.0}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::period::Period;

    #[test]
    fn twelve_percent_over_is_over_and_four_is_on_track() {
        let p = pace(112.0, 200.0, 0.5, 0.05);
        assert_eq!(p.status, PaceStatus::Over);
        assert!((p.deviation - 0.12).abs() < 1e-9);
        assert_eq!(format_deviation(&p), "+12%");
        assert_eq!(pace(104.0, 200.0, 0.5, 0.05).status, PaceStatus::OnTrack);
        assert_eq!(pace(90.0, 200.0, 0.5, 0.05).status, PaceStatus::Under);
        let edge = pace(94.7, 200.0, 0.5, 0.05);
        assert_eq!((edge.status, format_deviation(&edge)), (PaceStatus::Under, "-5.3%".to_string()));
    }

    #[test]
    fn nothing_is_expected_on_the_first_day_or_without_a_target() {
        assert_eq!(pace(5.0, 200.0, 0.0, 0.05).status, PaceStatus::NotYet);
        assert_eq!(pace(5.0, 0.0, 0.5, 0.05).status, PaceStatus::NotYet);
        assert_eq!(run_rate(100.0, 0, 92), None);
        assert_eq!(run_rate(100.0, 10, 92), Some(920.0));
    }

    #[test]
    fn no_verdict_before_the_minimum_share() {
        let early = pace_from(10.0, 1000.0, 0.03, 0.10, 0.10);
        assert_eq!((early.status, format_deviation(&early)), (PaceStatus::TooEarly, "too early".to_string()));
        assert_eq!(pace_from(600.0, 1000.0, 0.5, 0.10, 0.10).status, PaceStatus::Over);
        assert_eq!(pace_from(5.0, 0.0, 0.03, 0.10, 0.10).status, PaceStatus::NotYet);
    }

    #[test]
    fn complete_share_counts_days_before_today() {
        let q = Period::parse("2026-Q4").unwrap();
        let d = |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(complete_share(&q, d("2026-10-01")), 0.0);
        assert!((complete_share(&q, d("2026-11-20")) - 50.0 / 92.0).abs() < 1e-12);
        assert_eq!(complete_share(&q, d("2027-01-05")), 1.0);
        // A leap-year quarter is 91 days.
        assert_eq!(Period::parse("2028-Q1").unwrap().days(), 91);
    }
}
