//! KPI anomalies: a day against the same weekday of previous weeks, by robust z-score.
//!
//! Marketing data has a strong weekly rhythm (Mondays are not Sundays), so a day is only
//! compared with the same weekday of the 4 to 8 weeks before it. The median and the
//! median absolute deviation (MAD) shrug off an earlier spike in the baseline, and a floor
//! on the MAD keeps a flat series from calling every wobble an anomaly.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::kpi::{Cell, Cube, Formula, Metric};
use crate::domain::model::Rollup;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// A channel is judged on its own only when its usual volume is at least this share of the
/// metric's usual total (as well as the metric's own minimum): with a thousand campaigns, each
/// a thousandth of the total, single-campaign wobbles would flood the list while moving
/// nothing. They still count in the total, which is judged as before.
pub const SERIES_SHARE_FLOOR: f64 = 0.01;

/// One series' daily values and volumes over a cube's window, oldest first: computed once per
/// series, so judging a day costs a few slice reads, whatever the number of series.
struct Daily {
    values: Vec<Option<f64>>,
    volumes: Vec<f64>,
}

/// The same numbers as `kpi::value` and `kpi::volume` on each single day, read straight from the
/// cube's cells (a test holds them equal). `None` when the cube has nothing of the series.
fn daily(m: &Metric, ratio: Option<&Formula>, cube: &Cube, channel: Option<&str>) -> Option<Daily> {
    match ratio {
        Some(f) => {
            let part =
                |keys: &[String]| -> Vec<&[Cell]> { keys.iter().filter_map(|k| cube.cells(k, channel)).collect() };
            let (num, den) = (part(&f.num), part(&f.den));
            if num.is_empty() && den.is_empty() {
                return None;
            }
            let len = num.iter().chain(den.iter()).map(|c| c.len()).max().unwrap_or(0);
            let add = |cells: &[&[Cell]], i: usize| {
                cells.iter().fold(Cell::default(), |a, c| Cell { sum: a.sum + c[i].sum, count: a.count + c[i].count })
            };
            let scale = if m.unit == crate::domain::model::Unit::Percent { 100.0 } else { 1.0 };
            let (mut values, mut volumes) = (Vec::with_capacity(len), Vec::with_capacity(len));
            for i in 0..len {
                let (n, d) = (add(&num, i), add(&den, i));
                values.push((n.count > 0 && d.count > 0 && d.sum != 0.0).then(|| n.sum / d.sum * scale));
                volumes.push(d.sum);
            }
            Some(Daily { values, volumes })
        }
        None => {
            let cells = cube.cells(&m.key, channel)?;
            let values = cells
                .iter()
                .map(|c| match (c.count, m.rollup) {
                    (0, _) => None,
                    (n, Rollup::Avg) => Some(c.sum / f64::from(n)),
                    _ => Some(c.sum),
                })
                .collect();
            Some(Daily { values, volumes: cells.iter().map(|c| c.sum).collect() })
        }
    }
}

/// The same weekday of the weeks before day `i`: values, and the volumes they rest on.
fn baseline(d: &Daily, i: usize) -> (Vec<f64>, Vec<f64>) {
    let mut values = Vec::with_capacity(MAX_WEEKS);
    let mut volumes = Vec::with_capacity(MAX_WEEKS);
    for k in 1..=MAX_WEEKS {
        let Some(j) = i.checked_sub(7 * k) else { break };
        if let Some(v) = d.values[j] {
            values.push(v);
            volumes.push(d.volumes[j]);
        }
    }
    (values, volumes)
}

/// Judge day `i` of a series; quiet when the baseline is short or its usual volume is below `floor`.
fn check_at(m: &Metric, d: &Daily, i: usize, floor: f64, day: NaiveDate, channel: Option<&str>) -> Option<Anomaly> {
    candidate_at(m, d, i, day, channel).filter(|(_, usual_volume)| *usual_volume >= floor).map(|(a, _)| a)
}

/// Day `i` of a series judged on everything but a volume floor: the anomaly it would be, and the
/// usual volume a floor is held against.
fn candidate_at(m: &Metric, d: &Daily, i: usize, day: NaiveDate, channel: Option<&str>) -> Option<(Anomaly, f64)> {
    let x = (*d.values.get(i)?)?;
    let (values, volumes) = baseline(d, i);
    let usual_volume = median(&volumes)?;
    if usual_volume <= 0.0 {
        return None;
    }
    let s = robust_z(x, &values)?;
    // A series that touches zero on ordinary days (a channel's ROAS on days without a deal)
    // is too sparse to judge day by day: no verdict rather than an astronomic z.
    if s.z < Z_THRESHOLD || values.contains(&0.0) {
        return None;
    }
    let up = x > s.median;
    let a = Anomaly {
        metric: m.key.clone(),
        label: m.label.clone(),
        channel: channel.map(str::to_string),
        day,
        value: x,
        usual: s.median,
        z: s.z,
        up,
        good: up == m.good_when_up(),
    };
    Some((a, usual_volume))
}

fn index(cube: &Cube, day: NaiveDate) -> Option<usize> {
    (day >= cube.from && day <= cube.to).then(|| (day - cube.from).num_days() as usize)
}

/// Check `m` on `day` (in `channel`, or in total) against the same weekday of previous weeks.
/// Quiet when the baseline is short or its usual volume is below the metric's minimum.
pub fn check(m: &Metric, cube: &Cube, channel: Option<&str>, day: NaiveDate) -> Option<Anomaly> {
    let d = daily(m, m.ratio().as_ref(), cube, channel)?;
    check_at(m, &d, index(cube, day)?, m.min_volume, day, channel)
}

/// One metric's findings: its total, and its channels (by name).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    pub total: Option<Anomaly>,
    pub channels: Vec<Anomaly>,
}

/// Scan the last `days` complete days up to `latest`, in total and per channel, in one pass over
/// the cube: each series' daily values are computed once. Each (metric, channel) is reported
/// once, at its most recent anomalous day; a channel only when its usual volume also reaches
/// [`SERIES_SHARE_FLOOR`] of the total's. One entry per metric, in order.
pub fn scan_by_metric(metrics: &[&Metric], cube: &Cube, latest: NaiveDate, days: i64) -> Vec<Findings> {
    let recent: Vec<(usize, NaiveDate)> =
        (0..days).map(|back| latest - Duration::days(back)).filter_map(|d| Some((index(cube, d)?, d))).collect();
    let mut out = Vec::with_capacity(metrics.len());
    for m in metrics {
        let ratio = m.ratio();
        let mut found = Findings::default();
        let total = daily(m, ratio.as_ref(), cube, None);
        // The floor a channel must reach on each recent day: its share of the total's usual volume.
        let mut floors = Vec::with_capacity(recent.len());
        for &(i, day) in &recent {
            let usual = total.as_ref().and_then(|t| median(&baseline(t, i).1)).unwrap_or(0.0);
            floors.push(m.min_volume.max(SERIES_SHARE_FLOOR * usual));
            if found.total.is_none() {
                found.total = total.as_ref().and_then(|t| check_at(m, t, i, m.min_volume, day, None));
            }
        }
        // Channels of the metric itself, or of a ratio's denominator.
        let key = ratio.as_ref().and_then(|f| f.den.first().cloned()).unwrap_or_else(|| m.key.clone());
        for ch in cube.channels(&key).into_iter().filter(|c| !c.is_empty()) {
            let Some(series) = daily(m, ratio.as_ref(), cube, Some(&ch)) else { continue };
            let hit = recent
                .iter()
                .zip(&floors)
                .find_map(|(&(i, day), &floor)| check_at(m, &series, i, floor, day, Some(&ch)));
            found.channels.extend(hit);
        }
        out.push(found);
    }
    out
}

/// A channel's day that is anomalous on its own facts, before the volume floor (which depends on
/// the metric's total) is applied: what a kept scan holds, so that a change elsewhere that only
/// moves the total re-reads no channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub anomaly: Anomaly,
    /// Which of the recent days: 0 is the latest.
    pub back: usize,
    /// The usual volume the floor is held against.
    pub volume: f64,
}

/// The recent days a scan of `days` up to `latest` judges, latest first, as indexes into `cube`.
fn recent_days(cube: &Cube, latest: NaiveDate, days: i64) -> Vec<(usize, usize, NaiveDate)> {
    (0..days)
        .map(|back| (back as usize, latest - Duration::days(back)))
        .filter_map(|(back, d)| Some((back, index(cube, d)?, d)))
        .collect()
}

/// The floor a channel of `m` must reach on each recent day (0 the latest): the metric's minimum
/// volume, or [`SERIES_SHARE_FLOOR`] of the total's usual volume if higher. `totals` needs only
/// the metric's daily totals (the rollups).
pub fn channel_floors(m: &Metric, totals: &Cube, latest: NaiveDate, days: i64) -> Vec<f64> {
    let total = daily(m, m.ratio().as_ref(), totals, None);
    (0..days)
        .map(|back| {
            let usual = index(totals, latest - Duration::days(back))
                .and_then(|i| total.as_ref().and_then(|t| median(&baseline(t, i).1)))
                .unwrap_or(0.0);
            m.min_volume.max(SERIES_SHARE_FLOOR * usual)
        })
        .collect()
}

/// The channels of `m` a scan judges in `cube` (those of the metric, or of a ratio's denominator).
pub fn channels_judged(m: &Metric, cube: &Cube) -> Vec<String> {
    let key = m.ratio().as_ref().and_then(|f| f.den.first().cloned()).unwrap_or_else(|| m.key.clone());
    cube.channels(&key).into_iter().filter(|c| !c.is_empty()).collect()
}

/// Every candidate of `m`'s channels in `cube` (only those in `only`, if given), by channel then
/// latest day first.
pub fn channel_candidates(
    m: &Metric,
    cube: &Cube,
    latest: NaiveDate,
    days: i64,
    only: Option<&std::collections::BTreeSet<String>>,
) -> Vec<Candidate> {
    let ratio = m.ratio();
    let recent = recent_days(cube, latest, days);
    let mut out = Vec::new();
    for ch in channels_judged(m, cube) {
        if only.is_some_and(|o| !o.contains(&ch)) {
            continue;
        }
        let Some(series) = daily(m, ratio.as_ref(), cube, Some(&ch)) else { continue };
        for &(back, i, day) in &recent {
            if let Some((anomaly, volume)) = candidate_at(m, &series, i, day, Some(&ch)) {
                out.push(Candidate { anomaly, back, volume });
            }
        }
    }
    out
}

/// The channel anomalies among `candidates` (by channel, latest day first) under `floors`: each
/// channel at its latest day whose usual volume reaches that day's floor. The same list as
/// [`scan_by_metric`]'s channels when the floors come from the same totals.
pub fn select(candidates: &[Candidate], floors: &[f64]) -> Vec<Anomaly> {
    let mut out: Vec<Anomaly> = Vec::new();
    for c in candidates {
        let floor = floors.get(c.back).copied().unwrap_or(f64::INFINITY);
        if c.volume < floor || out.last().is_some_and(|a| a.channel == c.anomaly.channel) {
            continue;
        }
        out.push(c.anomaly.clone());
    }
    out
}

/// [`scan_by_metric`], flat: per metric, the total first, then its channels.
pub fn scan(metrics: &[&Metric], cube: &Cube, latest: NaiveDate, days: i64) -> Vec<Anomaly> {
    scan_by_metric(metrics, cube, latest, days)
        .into_iter()
        .flat_map(|f| f.total.into_iter().chain(f.channels))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kpi;
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

    #[test]
    fn one_pass_series_read_the_same_numbers_as_the_kpi_functions() {
        let from = d("2026-09-14");
        let mut c = Cube::new(from, d("2026-11-19"));
        for i in 0..67u32 {
            let day = from + Duration::days(i64::from(i));
            for (k, ch) in ["email", "paid-search", ""].into_iter().enumerate() {
                let k = k as u32;
                // Gaps, zeros and several facts a day, so every branch is taken.
                if !(i + k).is_multiple_of(5) {
                    c.add("spend", day, ch, f64::from((i * 37 + k * 11) % 90), 1 + (i % 3));
                }
                if !(i + 2 * k).is_multiple_of(7) {
                    c.add("leads", day, ch, f64::from((i * 13 + k) % 9), 1);
                }
            }
        }
        let cpl = Metric {
            rollup: Rollup::Ratio,
            formula: Some("spend/leads".into()),
            ..metric("cpl", Direction::Lower, 0.0)
        };
        let avg = Metric { rollup: Rollup::Avg, ..metric("spend", Direction::Higher, 0.0) };
        for m in [&cpl, &avg, &metric("leads", Direction::Higher, 0.0)] {
            for ch in [None, Some("email"), Some("paid-search"), Some("")] {
                let series = daily(m, m.ratio().as_ref(), &c, ch).expect("series");
                for i in 0..67 {
                    let day = from + Duration::days(i);
                    assert_eq!(series.values[i as usize], kpi::value(m, &c, ch, day, day), "{} {ch:?} {day}", m.key);
                    assert_eq!(series.volumes[i as usize], kpi::volume(m, &c, ch, day, day), "{} {ch:?} {day}", m.key);
                }
            }
        }
    }

    #[test]
    fn a_channel_too_small_to_matter_is_not_judged_on_its_own() {
        // 20 channels of 100 leads a weekday each, and one of 1: its 26x day is noise to the
        // director, while a tripled day in a big channel is news.
        let from = d("2026-09-14");
        let to = d("2026-11-19");
        let mut c = Cube::new(from, to);
        let mut day = from;
        while day <= to {
            let weekend = matches!(chrono::Datelike::weekday(&day), chrono::Weekday::Sat | chrono::Weekday::Sun);
            let base = if weekend { 20.0 } else { 100.0 };
            for k in 0..20 {
                c.add("leads", day, &format!("c{k:03}"), base * (1.0 + 0.02 * f64::from(k % 3)), 1);
            }
            c.add("leads", day, "tiny", base / 100.0 * if day == to { 26.0 } else { 1.0 }, 1);
            day += Duration::days(1);
        }
        c.add("leads", to, "c007", 300.0, 0);
        let m = metric("leads", Direction::Higher, 0.0);
        let found = scan_by_metric(&[&m], &c, to, 7);
        let channels: Vec<&str> = found[0].channels.iter().filter_map(|a| a.channel.as_deref()).collect();
        assert_eq!(channels, ["c007"], "{found:?}");
        // Judged alone (no total to be small against), the tiny channel's day is an anomaly.
        assert!(check(&m, &c, Some("tiny"), to).is_some());
    }
}
