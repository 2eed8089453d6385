//! Meeting recurrence: parsing the template's rule, which days it falls on, and its RFC 5545 RRULE.
//!
//! Rules are stored as text: `daily` | `weekdays` | `weekly:fri` | `biweekly:2026-01-06` (an anchor
//! day; every other week from it, before or after) | `monthly:day:15` | `monthly:nth:1:tue`
//! | `monthly:nth:last:fri` | `quarterly:nth:1:thu` | `quarterly:day:1`. Quarters are calendar
//! quarters (Jan, Apr, Jul, Oct). A day of month past the month's end falls on its last day
//! (`monthly:day:31` is Feb 28 in February), so a meeting is never silently dropped.
//! Times are local wall-clock times: a 09:00 meeting is at 09:00 on both sides of a DST change.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::dates::last_day_of_month;
use crate::domain::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recurrence {
    Daily,
    Weekdays,
    Weekly(Weekday),
    /// Every other week on the anchor's weekday, in phase with the anchor.
    Biweekly(NaiveDate),
    /// Day of month (1..=31), clamped to the month's last day.
    MonthlyDay(u32),
    /// The nth (1..=5, or -1 for the last) weekday of each month.
    MonthlyNth(i8, Weekday),
    QuarterlyDay(u32),
    QuarterlyNth(i8, Weekday),
}

const DAYS: [(&str, Weekday, &str); 7] = [
    ("mon", Weekday::Mon, "MO"),
    ("tue", Weekday::Tue, "TU"),
    ("wed", Weekday::Wed, "WE"),
    ("thu", Weekday::Thu, "TH"),
    ("fri", Weekday::Fri, "FR"),
    ("sat", Weekday::Sat, "SA"),
    ("sun", Weekday::Sun, "SU"),
];

fn day_name(wd: Weekday) -> &'static str {
    DAYS.iter().find(|d| d.1 == wd).map(|d| d.0).unwrap_or("mon")
}

fn day_code(wd: Weekday) -> &'static str {
    DAYS.iter().find(|d| d.1 == wd).map(|d| d.2).unwrap_or("MO")
}

fn parse_day_name(s: &str) -> Option<Weekday> {
    let s = s.trim().to_ascii_lowercase();
    DAYS.iter().find(|d| s.len() >= 3 && d.0.starts_with(&s[..3]) && s.starts_with(d.0)).map(|d| d.1)
}

impl Recurrence {
    pub fn parse(s: &str) -> Result<Recurrence> {
        let raw = s.trim().to_ascii_lowercase();
        let bad = || {
            Error::input(format!(
                "'{}' is not a recurrence (daily, weekdays, weekly:fri, biweekly:2026-01-06, monthly:day:15, \
                 monthly:nth:1:tue, quarterly:nth:1:thu, quarterly:day:1)",
                s.trim()
            ))
        };
        let parts: Vec<&str> = raw.split(':').collect();
        let nth = |p: &str| -> Option<i8> {
            if p == "last" {
                return Some(-1);
            }
            p.parse::<i8>().ok().filter(|n| (1..=5).contains(n))
        };
        let dom = |p: &str| p.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
        let r = match parts.as_slice() {
            ["daily"] => Recurrence::Daily,
            ["weekdays"] => Recurrence::Weekdays,
            ["weekly", d] => Recurrence::Weekly(parse_day_name(d).ok_or_else(bad)?),
            ["biweekly", d] => Recurrence::Biweekly(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| bad())?),
            ["monthly", "day", d] => Recurrence::MonthlyDay(dom(d).ok_or_else(bad)?),
            ["monthly", "nth", n, d] => {
                Recurrence::MonthlyNth(nth(n).ok_or_else(bad)?, parse_day_name(d).ok_or_else(bad)?)
            }
            ["quarterly", "day", d] => Recurrence::QuarterlyDay(dom(d).ok_or_else(bad)?),
            ["quarterly", "nth", n, d] => {
                Recurrence::QuarterlyNth(nth(n).ok_or_else(bad)?, parse_day_name(d).ok_or_else(bad)?)
            }
            _ => return Err(bad()),
        };
        Ok(r)
    }

    /// The stored form (round-trips through `parse`).
    pub fn to_rule(self) -> String {
        let n = |n: i8| if n < 0 { "last".to_string() } else { n.to_string() };
        match self {
            Recurrence::Daily => "daily".into(),
            Recurrence::Weekdays => "weekdays".into(),
            Recurrence::Weekly(d) => format!("weekly:{}", day_name(d)),
            Recurrence::Biweekly(a) => format!("biweekly:{}", a.format("%Y-%m-%d")),
            Recurrence::MonthlyDay(d) => format!("monthly:day:{d}"),
            Recurrence::MonthlyNth(k, d) => format!("monthly:nth:{}:{}", n(k), day_name(d)),
            Recurrence::QuarterlyDay(d) => format!("quarterly:day:{d}"),
            Recurrence::QuarterlyNth(k, d) => format!("quarterly:nth:{}:{}", n(k), day_name(d)),
        }
    }

    /// A few words for screens: "weekdays", "every other Tue", "1st Thu of the quarter".
    pub fn describe(self) -> String {
        let ord = |n: i8| match n {
            -1 => "last".to_string(),
            1 => "1st".into(),
            2 => "2nd".into(),
            3 => "3rd".into(),
            n => format!("{n}th"),
        };
        let wd = |d: Weekday| format!("{d}");
        match self {
            Recurrence::Daily => "daily".into(),
            Recurrence::Weekdays => "weekdays".into(),
            Recurrence::Weekly(d) => format!("every {}", wd(d)),
            Recurrence::Biweekly(a) => format!("every other {}", wd(a.weekday())),
            Recurrence::MonthlyDay(d) => format!("monthly on the {}", ord(d as i8)),
            Recurrence::MonthlyNth(n, d) => format!("{} {} of the month", ord(n), wd(d)),
            Recurrence::QuarterlyDay(d) => format!("quarterly on the {}", ord(d as i8)),
            Recurrence::QuarterlyNth(n, d) => format!("{} {} of the quarter", ord(n), wd(d)),
        }
    }

    /// Does the meeting fall on `day`?
    pub fn occurs_on(self, day: NaiveDate) -> bool {
        let quarter_month = day.month0().is_multiple_of(3);
        match self {
            Recurrence::Daily => true,
            Recurrence::Weekdays => day.weekday().num_days_from_monday() < 5,
            Recurrence::Weekly(d) => day.weekday() == d,
            Recurrence::Biweekly(anchor) => (day - anchor).num_days().rem_euclid(14) == 0,
            Recurrence::MonthlyDay(d) => day_of_month_matches(day, d),
            Recurrence::MonthlyNth(n, d) => nth_weekday_matches(day, n, d),
            Recurrence::QuarterlyDay(d) => quarter_month && day_of_month_matches(day, d),
            Recurrence::QuarterlyNth(n, d) => quarter_month && nth_weekday_matches(day, n, d),
        }
    }

    /// The first day on or after `from` the meeting falls on (within ~2 years; every rule repeats sooner).
    pub fn first_on_or_after(self, from: NaiveDate) -> Option<NaiveDate> {
        (0..800).map(|i| from + Duration::days(i)).find(|d| self.occurs_on(*d))
    }

    /// The RFC 5545 RRULE value, matching `occurs_on` when DTSTART is an occurrence.
    pub fn rrule(self) -> String {
        let byday = |n: i8, d: Weekday| format!("{n}{}", day_code(d));
        match self {
            Recurrence::Daily => "FREQ=DAILY".into(),
            Recurrence::Weekdays => "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR".into(),
            Recurrence::Weekly(d) => format!("FREQ=WEEKLY;BYDAY={}", day_code(d)),
            Recurrence::Biweekly(a) => format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={}", day_code(a.weekday())),
            Recurrence::MonthlyDay(d) if d > 28 => clamped_month_day("FREQ=MONTHLY", d),
            Recurrence::MonthlyDay(d) => format!("FREQ=MONTHLY;BYMONTHDAY={d}"),
            Recurrence::MonthlyNth(n, d) => format!("FREQ=MONTHLY;BYDAY={}", byday(n, d)),
            Recurrence::QuarterlyDay(d) if d > 28 => clamped_month_day("FREQ=MONTHLY;INTERVAL=3", d),
            Recurrence::QuarterlyDay(d) => format!("FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY={d}"),
            Recurrence::QuarterlyNth(n, d) => format!("FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY={}", byday(n, d)),
        }
    }
}

/// Whole minutes from `now` until `at`, rounded up (at 08:45:20, 09:00 is 15 minutes away).
pub fn minutes_until(at: NaiveDateTime, now: NaiveDateTime) -> i64 {
    ((at - now).num_seconds().max(0) + 59) / 60
}

/// "in 15 min", "in 2h 05m": how long from `now` until `start` on the same day.
pub fn countdown(start: NaiveTime, now: NaiveDateTime) -> String {
    let mins = minutes_until(now.date().and_time(start), now);
    if mins < 60 { format!("in {mins} min") } else { format!("in {}h {:02}m", mins / 60, mins % 60) }
}

/// "The 30th, or the month's last day if shorter": the candidate days up to `d`, last one kept.
fn clamped_month_day(freq: &str, d: u32) -> String {
    let days: Vec<String> = (28..=d).map(|x| x.to_string()).collect();
    format!("{freq};BYMONTHDAY={};BYSETPOS=-1", days.join(","))
}

fn day_of_month_matches(day: NaiveDate, d: u32) -> bool {
    let last = last_day_of_month(day.year(), day.month()).unwrap_or(28);
    day.day() == d.min(last)
}

fn nth_weekday_matches(day: NaiveDate, n: i8, wd: Weekday) -> bool {
    if day.weekday() != wd {
        return false;
    }
    if n < 0 {
        let last = last_day_of_month(day.year(), day.month()).unwrap_or(28);
        return day.day() + 7 > last;
    }
    (day.day() - 1) / 7 + 1 == n as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn days_in(r: Recurrence, from: &str, to: &str) -> Vec<String> {
        let (a, b) = (d(from), d(to));
        a.iter_days().take_while(|x| *x <= b).filter(|x| r.occurs_on(*x)).map(|x| x.to_string()).collect()
    }

    #[test]
    fn every_stored_rule_round_trips() {
        for s in [
            "daily",
            "weekdays",
            "weekly:fri",
            "biweekly:2026-01-06",
            "monthly:day:15",
            "monthly:nth:1:tue",
            "monthly:nth:last:fri",
            "quarterly:nth:1:thu",
            "quarterly:day:1",
        ] {
            assert_eq!(Recurrence::parse(s).unwrap().to_rule(), s);
        }
        assert_eq!(Recurrence::parse("Weekly:Friday").unwrap(), Recurrence::Weekly(Weekday::Fri));
        for bad in ["", "hourly", "weekly:frx", "monthly:day:32", "monthly:nth:6:tue", "biweekly:2026-02-30"] {
            let e = Recurrence::parse(bad).unwrap_err().to_string();
            assert!(e.contains("not a recurrence"), "{bad}: {e}");
        }
    }

    #[test]
    fn weekdays_skip_the_weekend() {
        let r = Recurrence::Weekdays;
        assert_eq!(days_in(r, "2026-11-20", "2026-11-23"), ["2026-11-20", "2026-11-23"]);
    }

    #[test]
    fn a_day_of_month_past_the_end_falls_on_the_last_day() {
        let r = Recurrence::MonthlyDay(31);
        assert_eq!(days_in(r, "2026-01-01", "2026-04-30"), ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]);
        // Leap years: the 29th exists in February 2028, not in 2026.
        assert!(Recurrence::MonthlyDay(29).occurs_on(d("2028-02-29")));
        assert!(Recurrence::MonthlyDay(30).occurs_on(d("2028-02-29")));
        assert!(Recurrence::MonthlyDay(29).occurs_on(d("2026-02-28")));
        assert!(!Recurrence::MonthlyDay(29).occurs_on(d("2028-02-28")));
        assert_eq!(Recurrence::Daily.first_on_or_after(d("2028-02-28")).unwrap(), d("2028-02-28"));
    }

    #[test]
    fn biweekly_stays_in_phase_with_its_anchor_on_both_sides() {
        let r = Recurrence::Biweekly(d("2026-01-06"));
        assert_eq!(days_in(r, "2026-01-01", "2026-02-04"), ["2026-01-06", "2026-01-20", "2026-02-03"]);
        assert!(r.occurs_on(d("2025-12-23")), "before the anchor too");
        assert!(!r.occurs_on(d("2026-01-13")));
        // Across a year end: 2026-12-29 is 51 weeks after the anchor (off week), 2027-01-05 is 52.
        assert!(!r.occurs_on(d("2026-12-29")));
        assert!(r.occurs_on(d("2027-01-05")));
        assert_eq!(r.first_on_or_after(d("2026-11-20")).unwrap(), d("2026-11-24"));
    }

    #[test]
    fn nth_weekdays_of_the_month_and_quarter() {
        let first_tue = Recurrence::MonthlyNth(1, Weekday::Tue);
        assert_eq!(days_in(first_tue, "2026-11-01", "2026-12-31"), ["2026-11-03", "2026-12-01"]);
        let last_fri = Recurrence::MonthlyNth(-1, Weekday::Fri);
        assert_eq!(days_in(last_fri, "2026-01-01", "2026-02-28"), ["2026-01-30", "2026-02-27"]);
        let fifth_thu = Recurrence::MonthlyNth(5, Weekday::Thu);
        assert_eq!(days_in(fifth_thu, "2026-01-01", "2026-03-31"), ["2026-01-29"]);
        let q = Recurrence::QuarterlyNth(1, Weekday::Thu);
        assert_eq!(days_in(q, "2026-01-01", "2026-12-31"), ["2026-01-01", "2026-04-02", "2026-07-02", "2026-10-01"]);
        let qd = Recurrence::QuarterlyDay(31);
        assert_eq!(days_in(qd, "2026-01-01", "2026-12-31"), ["2026-01-31", "2026-04-30", "2026-07-31", "2026-10-31"]);
    }

    #[test]
    fn a_nine_oclock_meeting_stays_at_nine_across_daylight_saving_changes() {
        // US DST starts 2026-03-08, the EU's ends 2026-10-25: local wall-clock times do not move.
        let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        for (from, to) in [("2026-03-06", "2026-03-10"), ("2026-10-23", "2026-10-27")] {
            let starts: Vec<_> = d(from)
                .iter_days()
                .take_while(|x| *x <= d(to))
                .filter(|x| Recurrence::Daily.occurs_on(*x))
                .map(|x| x.and_time(nine))
                .collect();
            assert_eq!(starts.len(), 5);
            assert!(starts.windows(2).all(|w| (w[1] - w[0]).num_hours() == 24));
            assert!(starts.iter().all(|s| s.time() == nine));
        }
    }

    #[test]
    fn rrules_say_the_same_as_occurs_on() {
        assert_eq!(Recurrence::Weekdays.rrule(), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
        assert_eq!(Recurrence::Biweekly(d("2026-01-06")).rrule(), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU");
        assert_eq!(Recurrence::MonthlyNth(-1, Weekday::Fri).rrule(), "FREQ=MONTHLY;BYDAY=-1FR");
        assert_eq!(Recurrence::MonthlyDay(30).rrule(), "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1");
        assert_eq!(Recurrence::QuarterlyNth(1, Weekday::Thu).rrule(), "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1TH");
        assert_eq!(Recurrence::QuarterlyNth(1, Weekday::Thu).describe(), "1st Thu of the quarter");
    }

    #[test]
    fn the_next_meeting_is_counted_down() {
        let now = d("2026-11-20").and_hms_opt(8, 45, 30).unwrap();
        assert_eq!(countdown(NaiveTime::from_hms_opt(9, 0, 0).unwrap(), now), "in 15 min");
        assert_eq!(countdown(NaiveTime::from_hms_opt(11, 0, 0).unwrap(), now), "in 2h 15m");
        assert_eq!(countdown(NaiveTime::from_hms_opt(8, 46, 0).unwrap(), now), "in 1 min");
    }
}
