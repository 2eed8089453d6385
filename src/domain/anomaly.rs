//! KPI anomalies: a day against the same weekday of previous weeks, by robust z-score.
//!
//! Marketing data has a strong weekly rhythm (Mondays are not Sundays), so a day is only
//! compared with the same weekday of the 4 to 8 weeks before it. The median and the
//! median absolute deviation (MAD) shrug off an earlier spike in the baseline, and a floor
//! on the MAD keeps a flat series from calling every wobble an anomaly.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::domain::kpi::{self, Cube, Metric};

/// Fewer same-weekday points than this and there is no verdict.
pub const MIN_WEEKS: usize = 4;
/// The baseline looks back this many weeks at most.
pub const MAX_WEEKS: usize = 8;
/// A robust z beyond this is an anomaly (the usual cut-off for modified z-scores).
pub const Z_THRESHOLD: f64 = 3.5;
/// The MAD is never taken below this share of the median: +/-5% is ordinary noise.
pub const MAD_FLOOR_SHARE: f64 = 0.05;

/// How far `x` is from a baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    pub median: f64,
    pub z: f64,
}

pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

/// Robust z = |x - median| / (1.4826 x MAD), the MAD floored; `None` with too short a baseline.
pub fn robust_z(x: f64, baseline: &[f64]) -> Option<Score> {
    if baseline.len() < MIN_WEEKS {
        return None;
    }
    let med = median(baseline)?;
    let deviations: Vec<f64> = baseline.iter().map(|v| (v - med).abs()).collect();
    let mad = median(&deviations)?.max(MAD_FLOOR_SHARE * med.abs()).max(1e-9);
    Some(Score { median: med, z: (x - med).abs() / (1.4826 * mad) })
}

/// One flagged day of one metric, in one channel or in total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Anomaly {
    pub metric: String,
    pub label: String,
    /// `None` for the all-channel total.
    pub channel: Option<String>,
    pub day: NaiveDate,
    pub value: f64,
    /// The same-weekday median: what this day usually is.
    pub usual: f64,
    pub z: f64,
    pub up: bool,
    /// Direction-aware: a CPL rise is bad, a leads rise is good.
    pub good: bool,
}

/// Check `m` on `day` (in `channel`, or in total) against the same weekday of previous weeks.
/// Quiet when the baseline is short or its usual volume is below the metric's minimum.
pub fn check(m: &Metric, cube: &Cube, channel: Option<&str>, day: NaiveDate) -> Option<Anomaly> {
    let x = kpi::value(m, cube, channel, day, day)?;
    let mut baseline = Vec::with_capacity(MAX_WEEKS);
    let mut volumes = Vec::with_capacity(MAX_WEEKS);
    for k in 1..=MAX_WEEKS as i64 {
        let d = day - Duration::days(7 * k);
        if d < cube.from {
            break;
        }
        if let Some(v) = kpi::value(m, cube, channel, d, d) {
            baseline.push(v);
            volumes.push(kpi::volume(m, cube, channel, d, d));
        }
    }
    let usual_volume = median(&volumes)?;
    if usual_volume < m.min_volume || usual_volume <= 0.0 {
        return None;
    }
    let s = robust_z(x, &baseline)?;
    // A series that touches zero on ordinary days (a channel's ROAS on days without a deal)
    // is too sparse to judge day by day: no verdict rather than an astronomic z.
    if s.z < Z_THRESHOLD || baseline.contains(&0.0) {
        return None;
    }
    let up = x > s.median;
    Some(Anomaly {
        metric: m.key.clone(),
        label: m.label.clone(),
        channel: channel.map(str::to_string),
        day,
        value: x,
        usual: s.median,
        z: s.z,
        up,
        good: up == m.good_when_up(),
    })
}

/// Scan the last `days` complete days up to `latest`, in total and per channel; each
/// (metric, channel) is reported once, at its most recent anomalous day.
pub fn scan(metrics: &[&Metric], cube: &Cube, latest: NaiveDate, days: i64) -> Vec<Anomaly> {
    let mut out = Vec::new();
    for m in metrics {
        let mut channels: Vec<Option<String>> = vec![None];
        // Channels of the metric itself, or of a ratio's denominator.
        let key = m.ratio().and_then(|f| f.den.first().cloned()).unwrap_or_else(|| m.key.clone());
        channels.extend(cube.channels(&key).into_iter().filter(|c| !c.is_empty()).map(Some));
        for ch in channels {
            for back in 0..days {
                let day = latest - Duration::days(back);
                if let Some(a) = check(m, cube, ch.as_deref(), day) {
                    out.push(a);
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Direction, Rollup, Unit};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn metric(key: &str, direction: Direction, min_volume: f64) -> Metric {
        Metric {
            key: key.into(),
            label: key.into(),
            unit: Unit::Count,
            direction,
            rollup: Rollup::Sum,
            formula: None,
            headline: 1,
            min_volume,
            fractional: false,
        }
    }

    /// Nine weeks of a weekly rhythm: weekdays 100, weekends 20, a little noise.
    fn seasonal(scale: f64) -> Cube {
        let from = d("2026-09-14");
        let to = d("2026-11-19");
        let mut c = Cube::new(from, to);
        let mut day = from;
        let mut i = 0u32;
        while day <= to {
            let weekend = matches!(chrono::Datelike::weekday(&day), chrono::Weekday::Sat | chrono::Weekday::Sun);
            let base = if weekend { 20.0 } else { 100.0 };
            let wobble = [1.0, 1.03, 0.97, 1.02, 0.98, 1.01, 0.99][(i % 7) as usize];
            c.add("leads", day, "organic", base * wobble * scale, 1);
            day += Duration::days(1);
            i += 1;
        }
        c
    }

    #[test]
    fn a_planted_spike_is_flagged_with_its_direction() {
        let mut c = seasonal(1.0);
        // Thursday 19 Nov: 2.6x the usual
        c.add("leads", d("2026-11-19"), "organic", 160.0, 0);
        let m = metric("leads", Direction::Higher, 20.0);
        let a = check(&m, &c, Some("organic"), d("2026-11-19")).expect("flagged");
        assert!(a.up && a.good && a.z > 10.0, "{a:?}");
        assert!((a.usual - 100.0).abs() < 5.0);
        // The same rise in a cost is bad news.
        let cost = metric("leads", Direction::Lower, 20.0);
        assert!(!check(&cost, &c, Some("organic"), d("2026-11-19")).unwrap().good);
    }

    #[test]
    fn pure_weekly_seasonality_is_quiet() {
        let c = seasonal(1.0);
        let m = metric("leads", Direction::Higher, 20.0);
        // Saturday is a fifth of Friday, and that is normal for a Saturday.
        let found = scan(&[&m], &c, d("2026-11-19"), 14);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn tiny_volumes_are_ignored() {
        let mut c = seasonal(0.05); // about 5 a weekday
        c.add("leads", d("2026-11-19"), "organic", 15.0, 0);
        let m = metric("leads", Direction::Higher, 20.0);
        assert_eq!(check(&m, &c, Some("organic"), d("2026-11-19")), None);
        // ...but with no minimum the same jump is news.
        assert!(check(&metric("leads", Direction::Higher, 0.0), &c, Some("organic"), d("2026-11-19")).is_some());
    }

    #[test]
    fn a_short_history_gives_no_verdict() {
        assert_eq!(robust_z(500.0, &[100.0, 100.0, 100.0]), None);
        let s = robust_z(100.0, &[100.0, 100.0, 100.0, 100.0]).unwrap();
        assert_eq!(s.z, 0.0);
        // Flat series: the MAD floor (5% of 100) keeps a 10% move ordinary.
        assert!(robust_z(110.0, &[100.0; 6]).unwrap().z < Z_THRESHOLD);
    }
}
