//! The one clock everything date-dependent reads, so `--now` makes every screen deterministic.

use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime};
use std::time::Instant;

use crate::domain::error::{Error, Result};

/// A local wall clock. `fixed` clocks (from `--now`) either stand still
/// (headless renders, tests) or run forward from the given instant (the live
/// cockpit), so a director can rehearse a day from 08:45 and watch it move.
#[derive(Debug, Clone)]
pub struct Clock {
    base: NaiveDateTime,
    started: Option<Instant>,
}

impl Clock {
    /// The real local time, advancing.
    pub fn system() -> Self {
        Clock { base: Local::now().naive_local(), started: Some(Instant::now()) }
    }

    /// A clock that always reads `at`.
    pub fn frozen(at: NaiveDateTime) -> Self {
        Clock { base: at, started: None }
    }

    /// A clock that reads `at` now and advances with real time.
    pub fn running_from(at: NaiveDateTime) -> Self {
        Clock { base: at, started: Some(Instant::now()) }
    }

    /// The same instant, but no longer advancing.
    pub fn freeze(&self) -> Self {
        Clock::frozen(self.now())
    }

    pub fn now(&self) -> NaiveDateTime {
        match self.started {
            Some(t0) => {
                let elapsed = chrono::Duration::from_std(t0.elapsed()).unwrap_or_default();
                self.base + elapsed
            }
            None => self.base,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

/// Parse `--now`: `YYYY-MM-DDTHH:MM` (seconds optional) or `YYYY-MM-DD` meaning 08:00.
pub fn parse_now(s: &str) -> Result<NaiveDateTime> {
    let s = s.trim();
    let in_range = |t: NaiveDateTime| -> Result<NaiveDateTime> {
        crate::domain::dates::check_year(t.date(), s).map(|_| t).map_err(|e| Error::input(format!("--now: {e}")))
    };
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return in_range(t);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return in_range(d.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default()));
    }
    Err(Error::input(format!("--now: '{s}' is not a date-time (expected YYYY-MM-DDTHH:MM or YYYY-MM-DD)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_date_means_eight_in_the_morning() {
        let t = parse_now("2026-11-20").unwrap();
        assert_eq!(t.to_string(), "2026-11-20 08:00:00");
        assert_eq!(parse_now("2026-11-20T08:45").unwrap().to_string(), "2026-11-20 08:45:00");
    }

    #[test]
    fn an_impossible_date_is_refused_naming_it() {
        let e = parse_now("2026-02-30").unwrap_err();
        assert!(e.to_string().contains("2026-02-30"));
    }
}
