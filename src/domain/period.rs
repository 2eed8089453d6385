//! Calendar periods (day, ISO week, month, quarter): bounds, parsing, elapsed share.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::domain::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Grain {
    Day,
    Week,
    Month,
    Quarter,
}

impl Grain {
    pub const ALL: [Grain; 4] = [Grain::Day, Grain::Week, Grain::Month, Grain::Quarter];

    pub fn label(self) -> &'static str {
        match self {
            Grain::Day => "day",
            Grain::Week => "week",
            Grain::Month => "month",
            Grain::Quarter => "quarter",
        }
    }

    pub fn next(self) -> Grain {
        let i = Grain::ALL.iter().position(|g| *g == self).unwrap_or(0);
        Grain::ALL[(i + 1) % Grain::ALL.len()]
    }
}

/// A closed range of days with a name: `2026-11-20`, `2026-W47`, `2026-11`, `2026-Q4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub grain: Grain,
    pub start: NaiveDate,
}

impl Period {
    /// The period of `grain` that contains `day`.
    pub fn containing(grain: Grain, day: NaiveDate) -> Period {
        let start = match grain {
            Grain::Day => day,
            Grain::Week => day - Duration::days(day.weekday().num_days_from_monday() as i64),
            Grain::Month => day.with_day(1).unwrap_or(day),
            Grain::Quarter => NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1).unwrap_or(day),
        };
        Period { grain, start }
    }

    /// Parse `2026-11`, `2026-Q4`, `2026-W47` or `2026-11-20`.
    pub fn parse(s: &str) -> Result<Period> {
        let t = s.trim().to_ascii_uppercase();
        let bad = || {
            Error::input(format!(
                "{} is not a period (expected 2026-11, 2026-Q4 or 2026-W47)",
                crate::domain::text::quote(s.trim())
            ))
        };
        let (year, rest) = t.split_once('-').ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !crate::domain::dates::YEARS.contains(&year) {
            return Err(bad());
        }
        if let Some(q) = rest.strip_prefix('Q') {
            let q: u32 = q.parse().map_err(|_| bad())?;
            if !(1..=4).contains(&q) {
                return Err(bad());
            }
            let start = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1).ok_or_else(bad)?;
            return Ok(Period { grain: Grain::Quarter, start });
        }
        if let Some(w) = rest.strip_prefix('W') {
            let w: u32 = w.parse().map_err(|_| bad())?;
            let start = NaiveDate::from_isoywd_opt(year, w, Weekday::Mon).ok_or_else(bad)?;
            return Ok(Period { grain: Grain::Week, start });
        }
        if rest.len() == 2 {
            let m: u32 = rest.parse().map_err(|_| bad())?;
            let start = NaiveDate::from_ymd_opt(year, m, 1).ok_or_else(bad)?;
            return Ok(Period { grain: Grain::Month, start });
        }
        let day = NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|_| bad())?;
        Ok(Period { grain: Grain::Day, start: day })
    }

    /// The last day in the period.
    pub fn end(&self) -> NaiveDate {
        self.next().start - Duration::days(1)
    }

    pub fn days(&self) -> i64 {
        (self.end() - self.start).num_days() + 1
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        d >= self.start && d <= self.end()
    }

    pub fn next(&self) -> Period {
        let start = match self.grain {
            Grain::Day => self.start + Duration::days(1),
            Grain::Week => self.start + Duration::days(7),
            Grain::Month => crate::domain::dates::add_months(self.start, 1).unwrap_or(self.start),
            Grain::Quarter => crate::domain::dates::add_months(self.start, 3).unwrap_or(self.start),
        };
        Period { grain: self.grain, start }
    }

    pub fn prev(&self) -> Period {
        let start = match self.grain {
            Grain::Day => self.start - Duration::days(1),
            Grain::Week => self.start - Duration::days(7),
            Grain::Month => crate::domain::dates::add_months(self.start, -1).unwrap_or(self.start),
            Grain::Quarter => crate::domain::dates::add_months(self.start, -3).unwrap_or(self.start),
        };
        Period { grain: self.grain, start }
    }

    /// Share of the period elapsed at `now`, 0.0 at its first instant, 1.0 at its end.
    /// Counted in minutes so that pacing moves during the day.
    pub fn elapsed_share(&self, now: NaiveDateTime) -> f64 {
        let start = self.start.and_hms_opt(0, 0, 0).unwrap_or_default();
        let total = (self.days() * 24 * 60) as f64;
        let done = (now - start).num_minutes() as f64;
        (done / total).clamp(0.0, 1.0)
    }

    /// Share of whole days elapsed, counting `today` as done: the share that
    /// day-grained data (observations, spend) can be compared against.
    pub fn elapsed_days_share(&self, today: NaiveDate) -> f64 {
        let done = ((today - self.start).num_days() + 1).clamp(0, self.days());
        done as f64 / self.days() as f64
    }

    /// Human label: "Fri 20 Nov", "W47", "Nov 2026", "Q4 2026".
    pub fn label(&self) -> String {
        match self.grain {
            Grain::Day => self.start.format("%a %d %b").to_string(),
            Grain::Week => format!("W{:02} {}", self.start.iso_week().week(), self.start.iso_week().year()),
            Grain::Month => self.start.format("%b %Y").to_string(),
            Grain::Quarter => format!("Q{} {}", self.start.month0() / 3 + 1, self.start.year()),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.grain {
            Grain::Day => write!(f, "{}", self.start.format("%Y-%m-%d")),
            Grain::Week => {
                let w = self.start.iso_week();
                write!(f, "{}-W{:02}", w.year(), w.week())
            }
            Grain::Month => write!(f, "{}", self.start.format("%Y-%m")),
            Grain::Quarter => write!(f, "{}-Q{}", self.start.year(), self.start.month0() / 3 + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_round_trip_through_their_names() {
        for name in ["2026-11", "2026-Q4", "2026-W47", "2026-11-20", "2020-W53"] {
            assert_eq!(Period::parse(name).unwrap().to_string(), name);
        }
        assert!(Period::parse("2026-Q5").is_err());
        assert!(Period::parse("2026-13").is_err());
        assert!(Period::parse("2026-W54").is_err());
    }

    #[test]
    fn iso_weeks_cross_years() {
        // 2027-01-01 is a Friday in ISO week 53 of 2026
        let p = Period::containing(Grain::Week, d("2027-01-01"));
        assert_eq!(p.to_string(), "2026-W53");
        assert_eq!(p.start, d("2026-12-28"));
        assert_eq!(p.end(), d("2027-01-03"));
    }

    #[test]
    fn month_and_quarter_ends_include_leap_days() {
        assert_eq!(Period::parse("2028-02").unwrap().days(), 29);
        assert_eq!(Period::parse("2026-02").unwrap().days(), 28);
        assert_eq!(Period::parse("2028-Q1").unwrap().days(), 91);
        assert_eq!(Period::parse("2026-Q1").unwrap().days(), 90);
        assert_eq!(Period::parse("2026-Q4").unwrap().end(), d("2026-12-31"));
        assert_eq!(Period::parse("2026-Q4").unwrap().next().to_string(), "2027-Q1");
        assert_eq!(Period::parse("2026-01").unwrap().prev().to_string(), "2025-12");
    }

    #[test]
    fn elapsed_share_runs_from_zero_to_one() {
        let m = Period::parse("2026-11").unwrap();
        assert_eq!(m.elapsed_share(d("2026-11-01").and_hms_opt(0, 0, 0).unwrap()), 0.0);
        let mid = m.elapsed_share(d("2026-11-16").and_hms_opt(0, 0, 0).unwrap());
        assert!((mid - 0.5).abs() < 1e-9);
        assert_eq!(m.elapsed_share(d("2026-12-05").and_hms_opt(0, 0, 0).unwrap()), 1.0);
        assert!((m.elapsed_days_share(d("2026-11-30")) - 1.0).abs() < 1e-9);
        assert!((m.elapsed_days_share(d("2026-11-01")) - 1.0 / 30.0).abs() < 1e-9);
    }
}
