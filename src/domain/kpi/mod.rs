//! KPI maths: metric definitions, ratio formulas, period values from daily totals,
//! target resolution, comparable periods, deltas; values as people type them in `entry`.

mod cube;
mod entry;

pub use cube::{Cell, Cube, PeriodCell};

pub use entry::{
    ChannelNotice, Entry, EntryField, EntryInput, channel_notice, check_bound, check_entry, check_fact, check_reading,
    check_whole, find_metric, parse_value, today_note,
};

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::model::{Direction, Rollup, Unit};
use crate::domain::money;
use crate::domain::period::{Grain, Period};

/// A metric's definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub key: String,
    pub label: String,
    pub unit: Unit,
    pub direction: Direction,
    pub rollup: Rollup,
    /// For ratio metrics: `spend/leads`, `won/won+lost`.
    pub formula: Option<String>,
    /// Position among the dashboard tiles; 0 = not a tile.
    pub headline: u32,
    pub min_volume: f64,
    /// A count that may be fractional (Google Ads' attribution-weighted conversions); every other
    /// count takes whole numbers only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fractional: bool,
}

impl Metric {
    /// The parsed ratio formula, for `rollup = ratio` metrics with a valid one.
    pub fn ratio(&self) -> Option<Formula> {
        if self.rollup != Rollup::Ratio {
            return None;
        }
        self.formula.as_deref().and_then(Formula::parse)
    }

    /// The metrics whose observations this one is computed from (itself, or a ratio's parts).
    pub fn inputs(&self) -> Vec<String> {
        match self.ratio() {
            Some(f) => f.num.iter().chain(f.den.iter()).cloned().collect(),
            None => vec![self.key.clone()],
        }
    }

    /// True for a metric counted from deal outcomes rather than observed (the product-marketing
    /// win rate: see `domain::compete::kpi_input`).
    pub fn from_deals(&self) -> bool {
        self.ratio().is_some() && self.inputs().iter().all(|i| crate::domain::compete::kpi_input(i).is_some())
    }

    /// Sums add up over days (a week's leads are about 7 days' worth); ratios, averages and stock
    /// figures do not, so their targets are levels, never scaled by time.
    pub fn is_additive(&self) -> bool {
        self.rollup == Rollup::Sum
    }

    /// A label for tight places: "CPL" for "Cost per lead", "Pipeline" for "Pipeline created".
    pub fn short_label(&self) -> String {
        if self.label.chars().count() <= 12 {
            return self.label.clone();
        }
        if self.key.chars().count() <= 4 {
            return self.key.to_uppercase();
        }
        let first = self.label.split(' ').next().unwrap_or(&self.label);
        first.to_string()
    }

    /// The label of one channel's figure: a blended metric split by channel is that channel's own
    /// ("paid-social CPL", never "paid-social Blended CPL"), in the short form of tight places.
    pub fn channel_label(&self) -> String {
        let short = self.short_label();
        short.strip_prefix("Blended ").map_or_else(|| short.clone(), str::to_string)
    }

    /// True when `value` moving up is good news.
    pub fn good_when_up(&self) -> bool {
        self.direction == Direction::Higher
    }
}

/// `spend/leads`, `won/won+lost`: sums of metrics over sums of metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formula {
    pub num: Vec<String>,
    pub den: Vec<String>,
}

impl Formula {
    pub fn parse(s: &str) -> Option<Formula> {
        let (n, d) = s.split_once('/')?;
        let terms =
            |t: &str| -> Vec<String> { t.split('+').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect() };
        let (num, den) = (terms(n), terms(d));
        (!num.is_empty() && !den.is_empty()).then_some(Formula { num, den })
    }
}

/// The value of `m` over `from..=to`: sums add, averages average, stock figures take the
/// latest day, ratios divide the sums of their parts (never an average of daily ratios).
/// `None` when nothing was observed (or a ratio's denominator is zero).
pub fn value(m: &Metric, cube: &Cube, channel: Option<&str>, from: NaiveDate, to: NaiveDate) -> Option<f64> {
    value_with(m, m.ratio().as_ref(), cube, channel, from, to)
}

/// [`value`] with the ratio formula parsed once by the caller (`m.ratio()`): a scan of a
/// thousand channels asks for tens of thousands of values.
pub fn value_with(
    m: &Metric,
    ratio: Option<&Formula>,
    cube: &Cube,
    channel: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<f64> {
    if let Some(f) = ratio {
        let (num, den) = ratio_parts(f, cube, channel, from, to);
        // No spend observed at all (organic leads) is "no CPL", not a CPL of $0.
        if num.count == 0 || den.count == 0 || den.sum == 0.0 {
            return None;
        }
        let scale = if m.unit == Unit::Percent { 100.0 } else { 1.0 };
        return Some(num.sum / den.sum * scale);
    }
    match m.rollup {
        Rollup::Last => cube.last(&m.key, channel, from, to).map(|c| c.sum),
        rollup => {
            let c = cube.range(&m.key, channel, from, to);
            match (c.count, rollup) {
                (0, _) => None,
                (n, Rollup::Avg) => Some(c.sum / f64::from(n)),
                _ => Some(c.sum),
            }
        }
    }
}

/// The value of `m` over a set of days (ascending), rolled up as [`value`] does: what a
/// weekday-aligned comparison with holidays left out adds up.
pub fn value_on(m: &Metric, cube: &Cube, channel: Option<&str>, days: &[NaiveDate]) -> Option<f64> {
    let sum = |key: &str| {
        days.iter()
            .map(|d| cube.cell(key, channel, *d))
            .fold(Cell::default(), |a, c| Cell { sum: a.sum + c.sum, count: a.count + c.count })
    };
    if let Some(f) = m.ratio() {
        let add = |keys: &[String]| {
            keys.iter()
                .map(|k| sum(k))
                .fold(Cell::default(), |a, c| Cell { sum: a.sum + c.sum, count: a.count + c.count })
        };
        let (num, den) = (add(&f.num), add(&f.den));
        if num.count == 0 || den.count == 0 || den.sum == 0.0 {
            return None;
        }
        let scale = if m.unit == Unit::Percent { 100.0 } else { 1.0 };
        return Some(num.sum / den.sum * scale);
    }
    match m.rollup {
        Rollup::Last => days.iter().rev().map(|d| cube.cell(&m.key, channel, *d)).find(|c| c.count > 0).map(|c| c.sum),
        rollup => {
            let c = sum(&m.key);
            match (c.count, rollup) {
                (0, _) => None,
                (n, Rollup::Avg) => Some(c.sum / f64::from(n)),
                _ => Some(c.sum),
            }
        }
    }
}

/// Numerator and denominator sums of a ratio over a range.
pub fn ratio_parts(f: &Formula, cube: &Cube, channel: Option<&str>, from: NaiveDate, to: NaiveDate) -> (Cell, Cell) {
    let add = |keys: &[String]| {
        keys.iter()
            .map(|k| cube.range(k, channel, from, to))
            .fold(Cell::default(), |a, c| Cell { sum: a.sum + c.sum, count: a.count + c.count })
    };
    (add(&f.num), add(&f.den))
}

/// The volume a value rests on (for minimum-volume checks): a ratio's denominator, else the value.
pub fn volume(m: &Metric, cube: &Cube, channel: Option<&str>, from: NaiveDate, to: NaiveDate) -> f64 {
    volume_with(m, m.ratio().as_ref(), cube, channel, from, to)
}

/// [`volume`] with the ratio formula parsed once by the caller.
pub fn volume_with(
    m: &Metric,
    ratio: Option<&Formula>,
    cube: &Cube,
    channel: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> f64 {
    match ratio {
        Some(f) => ratio_parts(f, cube, channel, from, to).1.sum,
        None => cube.range(&m.key, channel, from, to).sum,
    }
}

/// The part of a period that counts now: data is complete through yesterday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Span {
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

/// The current period of `grain` at `today`, the complete days of it, and the previous
/// comparable span. The day grain shows the latest complete day (yesterday) against the
/// same weekday a week before; longer grains count their complete days against the same
/// number of days into the previous period (a week's Mon-Thu against last week's Mon-Thu).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    pub period: Period,
    /// `None` on a period's first day: nothing complete yet.
    pub current: Option<Span>,
    pub previous: Option<Span>,
    /// Share of the period's days that are complete (what a sum is paced against).
    pub share: f64,
}

impl Frame {
    /// The frame of a resolved period choice: the days counted so far and the linear share.
    /// (Comparisons with the previous period use `calendar::aligned_days`, not `previous`.)
    pub fn of(shown: &crate::domain::period_choice::Shown) -> Frame {
        let period = shown.period;
        let Some(to) = shown.through else { return Frame { period, current: None, previous: None, share: 0.0 } };
        let done = (to - period.start).num_days() + 1;
        let prev = period.prev();
        let prev_to = (prev.start + Duration::days(done - 1)).min(prev.end());
        Frame {
            period,
            current: Some(Span { from: period.start, to }),
            previous: Some(Span { from: prev.start, to: prev_to }),
            share: done as f64 / period.days() as f64,
        }
    }

    pub fn at(grain: Grain, today: NaiveDate) -> Frame {
        let yesterday = today - Duration::days(1);
        if grain == Grain::Day {
            let period = Period::containing(Grain::Day, yesterday);
            let prev = yesterday - Duration::days(7);
            return Frame {
                period,
                current: Some(Span { from: yesterday, to: yesterday }),
                previous: Some(Span { from: prev, to: prev }),
                share: 1.0,
            };
        }
        let period = Period::containing(grain, today);
        let done = (today - period.start).num_days().clamp(0, period.days());
        let share = crate::domain::pacing::complete_share(&period, today);
        if done == 0 {
            return Frame { period, current: None, previous: None, share };
        }
        let current = Span { from: period.start, to: period.start + Duration::days(done - 1) };
        let prev = period.prev();
        let prev_to = (prev.start + Duration::days(done - 1)).min(prev.end());
        Frame { period, current: Some(current), previous: Some(Span { from: prev.start, to: prev_to }), share }
    }
}

/// Where a target in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetSource {
    /// Set by the user for the period (`kpi target`, or `T` in the cockpit).
    Set,
    /// The role template's default (`month` / `quarter`), or made up from one: until the user
    /// sets their own, the faces say "template target", never as if it were chosen.
    Template,
}

/// The target of `m` for `period`. A target stored for the named period wins; otherwise the
/// period-less defaults (`month`, `quarter`). Sums scale with days: a week without its own
/// target gets its month's target x 7 / days in that month; a quarter without one adds up
/// its months. Levels (ratios, averages) use the month's figure as it is.
pub fn target_for(m: &Metric, period: &Period, targets: &[(String, f64)]) -> Option<f64> {
    target_with_source(m, period, targets).map(|(v, _)| v)
}

/// [`target_for`], with where it comes from: `Template` when any part of it is a template
/// default (a quarter adding up a month the user set and two the template gives is a template
/// target until all three are set).
pub fn target_with_source(m: &Metric, period: &Period, targets: &[(String, f64)]) -> Option<(f64, TargetSource)> {
    let find = |name: &str| targets.iter().find(|(p, _)| p == name).map(|(_, v)| *v);
    if let Some(v) = find(&period.to_string()) {
        return Some((v, TargetSource::Set));
    }
    let template = |v: f64| (v, TargetSource::Template);
    let month_target = |month: &Period| {
        find(&month.to_string()).map(|v| (v, TargetSource::Set)).or_else(|| find("month").map(template))
    };
    match period.grain {
        Grain::Month => find("month").map(template),
        Grain::Quarter => {
            if let Some(v) = find("quarter") {
                return Some(template(v));
            }
            if !m.is_additive() {
                return month_target(&Period::containing(Grain::Month, period.start));
            }
            let mut total = 0.0;
            let mut source = TargetSource::Set;
            let mut month = Period::containing(Grain::Month, period.start);
            for _ in 0..3 {
                let (v, s) = month_target(&month)?;
                total += v;
                if s == TargetSource::Template {
                    source = TargetSource::Template;
                }
                month = month.next();
            }
            Some((total, source))
        }
        Grain::Week | Grain::Day => {
            let month = Period::containing(Grain::Month, period.start);
            let (t, source) = month_target(&month)?;
            let t = if m.is_additive() { t * period.days() as f64 / month.days() as f64 } else { t };
            Some((t, source))
        }
    }
}

/// A target as typed for `m`: the period (a month `2026-11`, a quarter `2026-Q4` or an ISO week
/// `2026-W47`; a day is refused) and the value in the metric's unit and the store's currency.
/// The one check behind `kpi target` and the cockpit's target form.
pub fn check_target(
    m: &Metric,
    value: &str,
    period: &str,
    currency: &str,
) -> crate::domain::error::Result<(Period, f64)> {
    let p = Period::parse(period)?;
    if p.grain == Grain::Day {
        return Err(crate::domain::error::Error::input(format!(
            "'{}' is a day; a target is for a month (2026-11), a quarter (2026-Q4) or an ISO week (2026-W47)",
            period.trim()
        )));
    }
    // The same rules as an observation: whole counts, finite and bounded, the store's currency.
    Ok((p, parse_value(m, value, currency)?))
}

/// Relative change `now / before - 1`; `None` when there is no base to compare with.
pub fn change(now: Option<f64>, before: Option<f64>) -> Option<f64> {
    match (now, before) {
        (Some(n), Some(b)) if b != 0.0 && n.is_finite() && b.is_finite() => Some(n / b - 1.0),
        _ => None,
    }
}

/// Whether a move of `delta` (any sign) is good news for `m`; `None` for no move.
pub fn is_good(m: &Metric, delta: f64) -> Option<bool> {
    if delta == 0.0 || !delta.is_finite() {
        return None;
    }
    Some((delta > 0.0) == m.good_when_up())
}

/// A value for people: `1,234`, `$45.20`, `$1.25M`, `38.2%`, `3.4x`.
pub fn format_value(unit: Unit, v: f64, currency: &str, short: bool) -> String {
    match unit {
        Unit::Currency => {
            let cents = (v * 100.0).round() as i64;
            if short { money::format_short(cents, currency) } else { money::format(cents, currency) }
        }
        Unit::Count => {
            let r = v.round();
            // A fractional count (weighted conversions) is shown as it is, never rounded away:
            // to three decimals, more than any source writes, which also hides float noise in sums.
            let milli = (v * 1000.0).round();
            if short && r.abs() >= 100_000.0 {
                format!("{:.0}k", r / 1000.0)
            } else if short || milli % 1000.0 == 0.0 {
                let g = money::group_thousands(r.abs() as u64);
                if r < 0.0 { format!("-{g}") } else { g }
            } else {
                let m = milli.abs() as u64;
                let shown = format!("{}.{:03}", money::group_thousands(m / 1000), m % 1000);
                let shown = shown.trim_end_matches('0');
                if milli < 0.0 { format!("-{shown}") } else { shown.to_string() }
            }
        }
        Unit::Percent => format!("{v:.1}%"),
        Unit::Ratio => format!("{v:.2}x"),
        Unit::Score => format!("{v:.1}"),
    }
}

/// "+12%", "-3%" for a relative change.
pub fn format_change(c: f64) -> String {
    let pct = c * 100.0;
    if pct.abs() >= 999.5 { format!("{:+.0}x", c + 1.0) } else { format!("{pct:+.0}%") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn metric(key: &str, rollup: Rollup, formula: Option<&str>, unit: Unit) -> Metric {
        Metric {
            key: key.into(),
            label: key.into(),
            unit,
            direction: Direction::Higher,
            rollup,
            formula: formula.map(Into::into),
            headline: 0,
            min_volume: 0.0,
            fractional: false,
        }
    }

    #[test]
    fn ratios_divide_sums_and_never_average_daily_ratios() {
        let mut c = Cube::new(d("2026-11-01"), d("2026-11-02"));
        c.add("spend", d("2026-11-01"), "a", 100.0, 1);
        c.add("leads", d("2026-11-01"), "a", 1.0, 1);
        c.add("spend", d("2026-11-02"), "a", 100.0, 1);
        c.add("leads", d("2026-11-02"), "a", 9.0, 1);
        let cpl = metric("cpl", Rollup::Ratio, Some("spend/leads"), Unit::Currency);
        // (100 + 100) / (1 + 9) = 20, not the mean of 100 and 11.1
        assert_eq!(value(&cpl, &c, None, d("2026-11-01"), d("2026-11-02")), Some(20.0));
        let wr = metric("win_rate", Rollup::Ratio, Some("won/won+lost"), Unit::Percent);
        c.add("won", d("2026-11-01"), "", 1.0, 1);
        c.add("lost", d("2026-11-01"), "", 3.0, 1);
        assert_eq!(value(&wr, &c, None, d("2026-11-01"), d("2026-11-02")), Some(25.0));
        assert_eq!(value(&cpl, &c, Some("zzz"), d("2026-11-01"), d("2026-11-02")), None);
    }

    #[test]
    fn averages_and_stock_figures_roll_up_their_own_way() {
        let mut c = Cube::new(d("2026-11-01"), d("2026-11-05"));
        for (day, v) in [("2026-11-01", 10.0), ("2026-11-02", 20.0), ("2026-11-04", 60.0)] {
            c.add("m", d(day), "", v, 1);
        }
        let (from, to) = (d("2026-11-01"), d("2026-11-05"));
        assert_eq!(value(&metric("m", Rollup::Avg, None, Unit::Score), &c, None, from, to), Some(30.0));
        assert_eq!(value(&metric("m", Rollup::Last, None, Unit::Score), &c, None, from, to), Some(60.0));
        assert_eq!(value(&metric("m", Rollup::Sum, None, Unit::Count), &c, None, from, to), Some(90.0));
        assert_eq!(value(&metric("m", Rollup::Sum, None, Unit::Count), &c, None, d("2026-11-05"), to), None);
    }

    #[test]
    fn the_current_period_counts_complete_days_and_aligns_the_previous_one() {
        // Friday 20 Nov 2026: the week has Mon-Thu complete, compared with last Mon-Thu.
        let w = Frame::at(Grain::Week, d("2026-11-20"));
        assert_eq!(w.current, Some(Span { from: d("2026-11-16"), to: d("2026-11-19") }));
        assert_eq!(w.previous, Some(Span { from: d("2026-11-09"), to: d("2026-11-12") }));
        assert!((w.share - 4.0 / 7.0).abs() < 1e-12);
        let m = Frame::at(Grain::Month, d("2026-11-20"));
        assert_eq!(m.previous, Some(Span { from: d("2026-10-01"), to: d("2026-10-19") }));
        // 31 March: 30 complete days, previous month (Feb 2028, leap) only has 29.
        let m = Frame::at(Grain::Month, d("2028-03-31"));
        assert_eq!(m.previous.unwrap().to, d("2028-02-29"));
        // The day grain is yesterday against the same weekday a week before.
        let day = Frame::at(Grain::Day, d("2026-11-20"));
        assert_eq!(day.current.unwrap().from, d("2026-11-19"));
        assert_eq!(day.previous.unwrap().from, d("2026-11-12"));
        // First day of a quarter: nothing complete, no verdict.
        let q = Frame::at(Grain::Quarter, d("2026-10-01"));
        assert_eq!((q.current, q.share), (None, 0.0));
        // ISO week 1 of 2027 starts in 2026; its previous week is 2026-W53.
        let w1 = Frame::at(Grain::Week, d("2027-01-06"));
        assert_eq!(w1.period.to_string(), "2027-W01");
        assert_eq!(w1.previous.unwrap().from, d("2026-12-28"));
    }

    #[test]
    fn a_named_target_wins_and_sum_defaults_scale_by_days() {
        let leads = metric("leads", Rollup::Sum, None, Unit::Count);
        let cpl = metric("cpl", Rollup::Ratio, Some("spend/leads"), Unit::Currency);
        let t = vec![("month".to_string(), 3000.0), ("2026-11".to_string(), 4500.0)];
        assert_eq!(target_for(&leads, &Period::parse("2026-11").unwrap(), &t), Some(4500.0));
        assert_eq!(target_for(&leads, &Period::parse("2026-10").unwrap(), &t), Some(3000.0));
        // W47 lies in November (30 days): 4500 x 7 / 30
        let w = target_for(&leads, &Period::parse("2026-W47").unwrap(), &t).unwrap();
        assert!((w - 1050.0).abs() < 1e-9);
        // Q4 with no quarter target adds up its months: 3000 + 4500 + 3000
        assert_eq!(target_for(&leads, &Period::parse("2026-Q4").unwrap(), &t), Some(10500.0));
        // A February day in a leap year is a 29th of the month's target.
        let day = target_for(&leads, &Period::parse("2028-02-10").unwrap(), &t).unwrap();
        assert!((day - 3000.0 / 29.0).abs() < 1e-9);
        // A ratio's target is a level: the same for a week as for the month.
        let ct = vec![("month".to_string(), 45.0)];
        assert_eq!(target_for(&cpl, &Period::parse("2026-W47").unwrap(), &ct), Some(45.0));
        assert_eq!(target_for(&cpl, &Period::parse("2026-Q4").unwrap(), &ct), Some(45.0));
        assert_eq!(target_for(&leads, &Period::parse("2026-W47").unwrap(), &[]), None);
    }

    #[test]
    fn a_target_says_whether_the_user_set_it_or_the_template_gives_it() {
        let leads = metric("leads", Rollup::Sum, None, Unit::Count);
        let p = |s: &str| Period::parse(s).unwrap();
        let t = vec![("month".to_string(), 3000.0), ("2026-11".to_string(), 4500.0)];
        assert_eq!(target_with_source(&leads, &p("2026-11"), &t), Some((4500.0, TargetSource::Set)));
        assert_eq!(target_with_source(&leads, &p("2026-12"), &t), Some((3000.0, TargetSource::Template)));
        // A quarter made of one set month and two template ones is still a template target.
        assert_eq!(target_with_source(&leads, &p("2026-Q4"), &t), Some((10500.0, TargetSource::Template)));
        let all = vec![("2026-10".into(), 1.0), ("2026-11".into(), 2.0), ("2026-12".into(), 3.0)];
        assert_eq!(target_with_source(&leads, &p("2026-Q4"), &all), Some((6.0, TargetSource::Set)));
        assert_eq!(target_with_source(&leads, &p("2026-W47"), &t).map(|(_, s)| s), Some(TargetSource::Set));
    }

    #[test]
    fn a_target_is_for_a_month_a_quarter_or_a_week_in_the_metrics_unit() {
        let spend = metric("spend", Rollup::Sum, None, Unit::Currency);
        let (p, v) = check_target(&spend, "$165,000", "2026-q4", "USD").unwrap();
        assert_eq!((p.to_string(), v), ("2026-Q4".to_string(), 165_000.0));
        let e = check_target(&spend, "100", "2026-11-20", "USD").unwrap_err().to_string();
        assert!(e.contains("is a day; a target is for a month"), "{e}");
        assert!(check_target(&spend, "100 EUR", "2026-11", "USD").unwrap_err().to_string().contains("EUR"));
    }

    #[test]
    fn deltas_know_which_way_is_good() {
        assert_eq!(change(Some(110.0), Some(100.0)).map(|c| (c * 100.0).round()), Some(10.0));
        assert_eq!(change(Some(1.0), Some(0.0)), None);
        assert_eq!(change(None, Some(3.0)), None);
        let mut cpl = metric("cpl", Rollup::Ratio, Some("spend/leads"), Unit::Currency);
        cpl.direction = Direction::Lower;
        assert_eq!(is_good(&cpl, -0.2), Some(true));
        assert_eq!(is_good(&cpl, 0.2), Some(false));
        assert_eq!(is_good(&metric("l", Rollup::Sum, None, Unit::Count), 0.2), Some(true));
        assert_eq!(format_change(0.123), "+12%");
        assert_eq!(format_change(-0.034), "-3%");
    }

    #[test]
    fn values_are_formatted_for_people() {
        assert_eq!(format_value(Unit::Count, 1234.0, "USD", false), "1,234");
        assert_eq!(format_value(Unit::Count, 1234.5, "USD", false), "1,234.5", "never rounded silently");
        assert_eq!(format_value(Unit::Count, 0.1 + 0.2, "USD", false), "0.3");
        assert_eq!(format_value(Unit::Count, 43.9996, "USD", false), "44");
        assert_eq!(format_value(Unit::Currency, 45.2, "USD", false), "$45.20");
        assert_eq!(format_value(Unit::Currency, 1_250_000.0, "USD", true), "$1.25M");
        assert_eq!(format_value(Unit::Percent, 38.24, "USD", false), "38.2%");
        assert_eq!(format_value(Unit::Ratio, 3.456, "USD", false), "3.46x");
    }
}
