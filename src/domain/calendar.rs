//! The working calendar behind pacing and comparisons: configured holidays and weekend days, a
//! metric's own weekday profile, the share of a period's volume expected by a given day, and
//! previous-period comparisons that line weekdays up and leave holidays out on both sides.
//!
//! Marketing volume is not spread evenly over a month: a B2B Monday brings five times a Sunday's
//! leads, and New Year's Day almost nothing. Linear pacing ("a third of the month gone, a third
//! of the target expected") therefore calls every Monday morning "behind" and every Friday
//! "ahead". Here each elapsed day counts by its weekday's weight, learned from the metric's own
//! recent history, and a holiday counts as a weekend day.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

use crate::domain::error::{Error, Result};
use crate::domain::period::{Grain, Period};

/// No pacing verdict before this share of the period's expected volume is in (configurable).
pub const DEFAULT_MIN_SHARE: f64 = 0.10;
/// A weekday profile is learned from at most this many weeks before the last day with data.
pub const PROFILE_WEEKS: i64 = 8;
/// ... and only from at least this many occurrences of every weekday; flat otherwise.
pub const PROFILE_MIN_WEEKS: usize = 4;

/// Holidays and weekend days, from `[calendar]` in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
    /// Monday first.
    weekend: [bool; 7],
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar { holidays: BTreeSet::new(), weekend: [false, false, false, false, false, true, true] }
    }
}

impl Calendar {
    /// A calendar from the config's lists: holidays as ISO dates, weekend days as names (`sat`).
    pub fn new(holidays: &[String], weekend: Option<&[String]>) -> Result<Calendar> {
        let mut cal = Calendar::default();
        for h in holidays {
            let d = NaiveDate::parse_from_str(h.trim(), "%Y-%m-%d")
                .map_err(|_| Error::input(format!("holiday '{}' is not a date (expected YYYY-MM-DD)", h.trim())))?;
            cal.holidays.insert(d);
        }
        if let Some(days) = weekend {
            cal.weekend = [false; 7];
            for d in days {
                let wd = parse_weekday(d).ok_or_else(|| {
                    Error::input(format!("weekend day '{}' is not a weekday (mon, tue, ... sun)", d.trim()))
                })?;
                cal.weekend[wd.num_days_from_monday() as usize] = true;
            }
        }
        Ok(cal)
    }

    /// A calendar with these holidays and the usual Saturday-Sunday weekend.
    pub fn with_holidays(days: impl IntoIterator<Item = NaiveDate>) -> Calendar {
        Calendar { holidays: days.into_iter().collect(), ..Calendar::default() }
    }

    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.holidays.contains(&d)
    }

    pub fn is_weekend(&self, d: NaiveDate) -> bool {
        self.weekend[d.weekday().num_days_from_monday() as usize]
    }

    /// The holidays from `from` to `to`, in order.
    pub fn holidays_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        if from > to {
            return Vec::new();
        }
        self.holidays.range(from..=to).copied().collect()
    }

    pub fn holidays(&self) -> impl Iterator<Item = &NaiveDate> {
        self.holidays.iter()
    }
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    let s = s.trim().to_ascii_lowercase();
    const NAMES: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    NAMES.iter().find(|(n, _)| s.len() >= 3 && n.starts_with(&s)).map(|(_, w)| *w)
}

/// The pacing rules a face hands down: the calendar and how much of a period must be in before
/// a verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Pacing {
    pub calendar: Calendar,
    pub min_share: f64,
}

impl Default for Pacing {
    fn default() -> Self {
        Pacing { calendar: Calendar::default(), min_share: DEFAULT_MIN_SHARE }
    }
}

/// How a metric's volume falls over the week: one weight per weekday (Monday first), averaging 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeekdayProfile {
    pub weights: [f64; 7],
    /// False when the history was too short to learn from: every day then weighs the same.
    pub learned: bool,
}

impl Default for WeekdayProfile {
    fn default() -> Self {
        WeekdayProfile::flat()
    }
}

impl WeekdayProfile {
    pub fn flat() -> WeekdayProfile {
        WeekdayProfile { weights: [1.0; 7], learned: false }
    }

    /// Learn from daily totals, oldest first, every day of the window present (0 where nothing
    /// was observed): the mean of each weekday over the days from the first observation on,
    /// holidays left out. Flat when any weekday has fewer than [`PROFILE_MIN_WEEKS`] days, or
    /// nothing was observed.
    pub fn learn(daily: &[(NaiveDate, f64)], cal: &Calendar) -> WeekdayProfile {
        let Some(first) = daily.iter().position(|(_, v)| *v != 0.0) else { return WeekdayProfile::flat() };
        let mut sums = [0.0; 7];
        let mut counts = [0usize; 7];
        for (d, v) in &daily[first..] {
            if cal.is_holiday(*d) || !v.is_finite() {
                continue;
            }
            let i = d.weekday().num_days_from_monday() as usize;
            sums[i] += v.max(0.0);
            counts[i] += 1;
        }
        if counts.iter().any(|c| *c < PROFILE_MIN_WEEKS) {
            return WeekdayProfile::flat();
        }
        let means: Vec<f64> = (0..7).map(|i| sums[i] / counts[i] as f64).collect();
        let avg = means.iter().sum::<f64>() / 7.0;
        if avg <= 0.0 {
            return WeekdayProfile::flat();
        }
        let mut weights = [0.0; 7];
        for (w, m) in weights.iter_mut().zip(&means) {
            *w = m / avg;
        }
        WeekdayProfile { weights, learned: true }
    }

    /// What `d` is worth: its weekday's weight, or, on a holiday, the lightest weekend day's
    /// (the lightest day of the week when no weekend is configured).
    pub fn weight(&self, d: NaiveDate, cal: &Calendar) -> f64 {
        if cal.is_holiday(d) {
            let weekend = (0..7).filter(|i| cal.weekend[*i]).map(|i| self.weights[i]);
            return weekend.reduce(f64::min).unwrap_or_else(|| self.weights.iter().copied().fold(f64::MAX, f64::min));
        }
        self.weights[d.weekday().num_days_from_monday() as usize]
    }

    /// The share of `period`'s volume expected by the end of `through` (0 before it starts,
    /// 1 once it is over): the weights of its elapsed days over the weights of all its days.
    pub fn expected_share(&self, period: &Period, through: NaiveDate, cal: &Calendar) -> f64 {
        if through < period.start {
            return 0.0;
        }
        let end = period.end();
        let (mut done, mut all) = (0.0, 0.0);
        let mut d = period.start;
        while d <= end {
            let w = self.weight(d, cal);
            all += w;
            if d <= through {
                done += w;
            }
            d += Duration::days(1);
        }
        if all <= 0.0 { (through >= end) as u8 as f64 } else { done / all }
    }
}

/// The days of the current span and the previous period's days they are compared with: the k-th
/// Monday that is not a holiday with the k-th such Monday of the previous period, and so on for
/// every weekday. Holidays drop out on both sides, and a day with no partner (a fifth Monday) is
/// left out of both, so a holiday weekend is never compared with three working days.
/// The day grain compares the day with the latest same weekday before it that is not a holiday.
pub fn aligned_days(
    period: &Period,
    from: NaiveDate,
    to: NaiveDate,
    cal: &Calendar,
) -> (Vec<NaiveDate>, Vec<NaiveDate>) {
    if from > to {
        return (Vec::new(), Vec::new());
    }
    if period.grain == Grain::Day {
        let mut back = to - Duration::days(7);
        for _ in 0..8 {
            if !cal.is_holiday(back) {
                break;
            }
            back -= Duration::days(7);
        }
        return (vec![to], vec![back]);
    }
    let prev = period.prev();
    // The working days of each weekday in the previous period, in order.
    let mut pool: [Vec<NaiveDate>; 7] = Default::default();
    let mut d = prev.start;
    while d <= prev.end() {
        if !cal.is_holiday(d) {
            pool[d.weekday().num_days_from_monday() as usize].push(d);
        }
        d += Duration::days(1);
    }
    let mut seen = [0usize; 7];
    let (mut cur, mut old) = (Vec::new(), Vec::new());
    let mut d = from;
    while d <= to {
        if !cal.is_holiday(d) {
            let i = d.weekday().num_days_from_monday() as usize;
            if let Some(p) = pool[i].get(seen[i]) {
                cur.push(d);
                old.push(*p);
            }
            seen[i] += 1;
        }
        d += Duration::days(1);
    }
    old.sort();
    (cur, old)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Eight weeks of a B2B rhythm: weekdays 10, weekends 2.
    fn b2b(to: &str) -> Vec<(NaiveDate, f64)> {
        let to = d(to);
        (0..56)
            .rev()
            .map(|back| {
                let day = to - Duration::days(back);
                (day, if day.weekday().num_days_from_monday() >= 5 { 2.0 } else { 10.0 })
            })
            .collect()
    }

    #[test]
    fn a_profile_is_learned_from_weekdays_and_flat_when_short() {
        let cal = Calendar::default();
        let p = WeekdayProfile::learn(&b2b("2026-11-19"), &cal);
        assert!(p.learned);
        // Weekdays 10, weekend 2: mean 54/7, so a weekday weighs 70/54.
        assert!((p.weights[0] - 70.0 / 54.0).abs() < 1e-9, "{p:?}");
        assert!((p.weights[6] - 14.0 / 54.0).abs() < 1e-9);
        let short = &b2b("2026-11-19")[40..];
        assert_eq!(WeekdayProfile::learn(short, &cal), WeekdayProfile::flat());
        assert_eq!(WeekdayProfile::learn(&[], &cal), WeekdayProfile::flat());
    }

    #[test]
    fn a_holiday_weekend_is_too_little_of_january_to_judge() {
        // Monday 4 January 2027: the 1st a holiday, the 2nd and 3rd a weekend.
        let cal = Calendar::with_holidays([d("2027-01-01"), d("2026-12-25")]);
        let p = WeekdayProfile::learn(&b2b("2026-12-31"), &cal);
        let jan = Period::parse("2027-01").unwrap();
        let share = p.expected_share(&jan, d("2027-01-03"), &cal);
        // Three days of 31 is 9.7% linearly; weighted, three weekend-like days are about 2%.
        assert!(share < 0.03 && share > 0.01, "{share}");
        assert!(share < DEFAULT_MIN_SHARE);
        assert_eq!(p.expected_share(&jan, d("2026-12-31"), &cal), 0.0);
        assert_eq!(p.expected_share(&jan, d("2027-02-03"), &cal), 1.0);
        // A flat profile is the linear share.
        let flat = WeekdayProfile::flat().expected_share(&jan, d("2027-01-03"), &Calendar::default());
        assert!((flat - 3.0 / 31.0).abs() < 1e-12);
    }

    #[test]
    fn a_friday_morning_expects_more_than_the_linear_share() {
        // Friday 20 November 2026: 1 Nov was a Sunday, so 19 days hold 14 weekdays of 21.
        let cal = Calendar::default();
        let p = WeekdayProfile::learn(&b2b("2026-11-19"), &cal);
        let nov = Period::parse("2026-11").unwrap();
        let share = p.expected_share(&nov, d("2026-11-19"), &cal);
        assert!((share - (14.0 * 10.0 + 5.0 * 2.0) / (21.0 * 10.0 + 9.0 * 2.0)).abs() < 1e-9, "{share}");
        assert!(share > 19.0 / 30.0);
    }

    #[test]
    fn previous_periods_line_weekdays_up_and_skip_holidays_on_both_sides() {
        let cal = Calendar::with_holidays([d("2027-01-01"), d("2026-12-25")]);
        // 1-3 Jan 2027 (holiday Friday, Saturday, Sunday) against December's first Saturday and Sunday.
        let jan = Period::parse("2027-01").unwrap();
        let (cur, prev) = aligned_days(&jan, d("2027-01-01"), d("2027-01-03"), &cal);
        assert_eq!(cur, vec![d("2027-01-02"), d("2027-01-03")]);
        assert_eq!(prev, vec![d("2026-12-05"), d("2026-12-06")]);
        // A week lines up day for day.
        let w = Period::parse("2026-W47").unwrap();
        let (cur, prev) = aligned_days(&w, d("2026-11-16"), d("2026-11-19"), &Calendar::default());
        assert_eq!(cur.len(), 4);
        assert_eq!(prev, vec![d("2026-11-09"), d("2026-11-10"), d("2026-11-11"), d("2026-11-12")]);
        // Christmas Friday is compared with nothing; the other December Fridays with November's.
        let dec = Period::parse("2026-12").unwrap();
        let (cur, prev) = aligned_days(&dec, d("2026-12-01"), d("2026-12-31"), &cal);
        assert!(!cur.contains(&d("2026-12-25")));
        assert_eq!(cur.len(), prev.len());
        // A day is compared with the same weekday a week before, or the week before that if a holiday.
        let day = Period::parse("2027-01-08").unwrap();
        assert_eq!(
            aligned_days(&day, d("2027-01-08"), d("2027-01-08"), &cal).1,
            vec![d("2026-12-25") - Duration::days(7)]
        );
    }

    #[test]
    fn the_calendar_reads_the_config_lists() {
        let c = Calendar::new(&["2026-12-25".into()], Some(&["fri".into(), "saturday".into()])).unwrap();
        assert!(c.is_holiday(d("2026-12-25")) && c.is_weekend(d("2026-11-20")) && !c.is_weekend(d("2026-11-22")));
        assert!(Calendar::new(&["25/12/2026".into()], None).unwrap_err().to_string().contains("25/12/2026"));
        assert!(Calendar::new(&[], Some(&["funday".into()])).unwrap_err().to_string().contains("funday"));
    }
}
