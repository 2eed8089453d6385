//! Which period the morning read shows: the one chosen (`--period`, `p`), resolved against the
//! clock and the last day with data so that it never goes blank. On the first of the month the
//! month to date has nothing complete in it, so the month just closed is shown instead, named.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::error::{Error, Result};
use crate::domain::period::{Grain, Period};

/// A period as a person asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodChoice {
    /// The day / week / month / quarter to date (the latest complete day for `Day`).
    ToDate(Grain),
    /// The last complete week / month / quarter.
    Last(Grain),
    /// A named one: `2026-11`, `2026-Q4`, `2026-W47`, `2026-11-19`.
    Named(Period),
}

impl Default for PeriodChoice {
    fn default() -> Self {
        PeriodChoice::ToDate(Grain::Month)
    }
}

/// The words `--period` takes besides a period's name.
pub const WORDS: &str =
    "day, week, month, quarter, last-week, last-month, last-quarter, or a name like 2026-11, 2026-Q4, 2026-W47";

impl PeriodChoice {
    pub fn parse(s: &str) -> Result<PeriodChoice> {
        let t = s.trim().to_ascii_lowercase();
        let grain = |g: &str| Grain::ALL.iter().copied().find(|x| x.label() == g);
        if let Some(g) = grain(&t) {
            return Ok(PeriodChoice::ToDate(g));
        }
        if let Some(g) = t.strip_prefix("last-").and_then(grain).filter(|g| *g != Grain::Day) {
            return Ok(PeriodChoice::Last(g));
        }
        Period::parse(&t)
            .map(PeriodChoice::Named)
            .map_err(|_| Error::input(format!("'{}' is not a period (one of: {WORDS})", s.trim())))
    }

    /// The next choice `p` moves to: day, week, month, quarter, last month, last quarter.
    pub fn cycle(self) -> PeriodChoice {
        match self {
            PeriodChoice::ToDate(Grain::Day) => PeriodChoice::ToDate(Grain::Week),
            PeriodChoice::ToDate(Grain::Week) => PeriodChoice::ToDate(Grain::Month),
            PeriodChoice::ToDate(Grain::Month) => PeriodChoice::ToDate(Grain::Quarter),
            PeriodChoice::ToDate(Grain::Quarter) => PeriodChoice::Last(Grain::Month),
            PeriodChoice::Last(Grain::Month) => PeriodChoice::Last(Grain::Quarter),
            _ => PeriodChoice::ToDate(Grain::Day),
        }
    }

    /// As typed: "month", "last-quarter", "2026-11".
    pub fn name(self) -> String {
        match self {
            PeriodChoice::ToDate(g) => g.label().to_string(),
            PeriodChoice::Last(g) => format!("last-{}", g.label()),
            PeriodChoice::Named(p) => p.to_string(),
        }
    }

    /// The period shown at `today` with data through `data_through` (the latest day with any
    /// data, at most yesterday). A period to date with no complete day holding data yields the
    /// period of the same grain that holds the last data, closed: the month that just ended on
    /// the 1st, or the month the feeds went quiet in.
    pub fn resolve(self, today: NaiveDate, data_through: NaiveDate) -> Result<Shown> {
        let yesterday = today - Duration::days(1);
        let data_through = data_through.min(yesterday);
        let closed = |period: Period, fell_back: bool| Shown {
            period,
            through: Some(period.end().min(yesterday)),
            closed: true,
            fell_back,
            data_through,
        };
        Ok(match self {
            PeriodChoice::ToDate(Grain::Day) => {
                let day = if data_through < yesterday { data_through } else { yesterday };
                closed(Period::containing(Grain::Day, day), day != yesterday)
            }
            PeriodChoice::ToDate(g) => {
                let current = Period::containing(g, today);
                if data_through >= current.start {
                    Shown { period: current, through: Some(yesterday), closed: false, fell_back: false, data_through }
                } else {
                    closed(Period::containing(g, data_through), true)
                }
            }
            PeriodChoice::Last(g) => closed(Period::containing(g, today).prev(), false),
            PeriodChoice::Named(p) if p.start > yesterday => {
                return Err(Error::input(format!("{p} has no complete day yet (today is {today})")));
            }
            PeriodChoice::Named(p) if p.end() < today => closed(p, false),
            PeriodChoice::Named(p) => {
                Shown { period: p, through: Some(yesterday), closed: false, fell_back: false, data_through }
            }
        })
    }
}

/// A resolved choice: the period and how much of it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    pub period: Period,
    /// The last day counted: yesterday for a period to date, the period's end once it is over.
    pub through: Option<NaiveDate>,
    /// The period is over: its figures are its result, not a pace.
    pub closed: bool,
    /// The period to date had no complete day with data, so this one is shown instead.
    pub fell_back: bool,
    pub data_through: NaiveDate,
}

impl Shown {
    /// "Nov 2026 to date (19 of 30 days)", "November 2026, closed", "Thu 19 Nov (latest complete day)".
    pub fn label(&self) -> String {
        let p = &self.period;
        let name = match p.grain {
            Grain::Month => p.start.format("%B %Y").to_string(),
            _ => p.label(),
        };
        let quiet = if self.data_through < p.end() && self.closed {
            format!(" (data through {})", self.data_through.format("%-d %b"))
        } else {
            String::new()
        };
        match (p.grain, self.closed, self.through) {
            (Grain::Day, _, _) => format!("{} (latest complete day)", p.label()),
            (_, true, _) => format!("{name}, closed{quiet}"),
            (_, false, Some(t)) => {
                format!("{} to date ({} of {} days)", p.label(), (t - p.start).num_days() + 1, p.days())
            }
            (_, false, None) => format!("{} (first day: nothing complete yet)", p.label()),
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
    fn the_contract_names_parse() {
        for (s, name) in [
            ("month", "month"),
            ("Quarter", "quarter"),
            ("last-month", "last-month"),
            ("last-quarter", "last-quarter"),
            ("2026-11", "2026-11"),
            ("2026-q4", "2026-Q4"),
            ("2026-W47", "2026-W47"),
        ] {
            assert_eq!(PeriodChoice::parse(s).unwrap().name(), name);
        }
        let e = PeriodChoice::parse("fortnight").unwrap_err().to_string();
        assert!(e.contains("'fortnight' is not a period") && e.contains("last-month"), "{e}");
        assert!(PeriodChoice::parse("last-day").is_err());
    }

    #[test]
    fn the_first_of_the_month_shows_the_month_just_closed() {
        let s = PeriodChoice::default().resolve(d("2026-12-01"), d("2026-11-30")).unwrap();
        assert_eq!(s.period.to_string(), "2026-11");
        assert!(s.closed && s.fell_back);
        assert_eq!(s.through, Some(d("2026-11-30")));
        assert_eq!(s.label(), "November 2026, closed");
        // The next morning December has a complete day: December to date.
        let s = PeriodChoice::default().resolve(d("2026-12-02"), d("2026-12-01")).unwrap();
        assert_eq!((s.period.to_string(), s.closed), ("2026-12".to_string(), false));
        assert_eq!(s.label(), "Dec 2026 to date (1 of 31 days)");
    }

    #[test]
    fn quiet_feeds_show_the_period_the_data_stopped_in() {
        let s = PeriodChoice::default().resolve(d("2027-01-04"), d("2026-11-19")).unwrap();
        assert_eq!(s.period.to_string(), "2026-11");
        assert_eq!(s.label(), "November 2026, closed (data through 19 Nov)");
        let day = PeriodChoice::ToDate(Grain::Day).resolve(d("2027-01-04"), d("2026-11-19")).unwrap();
        assert_eq!(day.period.to_string(), "2026-11-19");
    }

    #[test]
    fn last_and_named_periods() {
        let s = PeriodChoice::Last(Grain::Quarter).resolve(d("2026-11-20"), d("2026-11-19")).unwrap();
        assert_eq!((s.period.to_string(), s.closed), ("2026-Q3".to_string(), true));
        let s = PeriodChoice::parse("2026-Q4").unwrap().resolve(d("2026-11-20"), d("2026-11-19")).unwrap();
        assert_eq!((s.closed, s.through), (false, Some(d("2026-11-19"))));
        let e = PeriodChoice::parse("2027-03").unwrap().resolve(d("2026-11-20"), d("2026-11-19")).unwrap_err();
        assert!(e.to_string().contains("2027-03 has no complete day yet"), "{e}");
        assert_eq!(PeriodChoice::ToDate(Grain::Quarter).cycle(), PeriodChoice::Last(Grain::Month));
        assert_eq!(PeriodChoice::Last(Grain::Quarter).cycle(), PeriodChoice::ToDate(Grain::Day));
    }
}
