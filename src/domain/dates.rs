//! Dates as people type them: `2026-11-27`, `today`, `tomorrow`, `fri`, `+3d`, `11/27/2026`.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};

use crate::domain::error::{Error, Result};
use crate::domain::text::quote;

/// The years a date may fall in. Anything outside is a typo (0000, 9999, 20266 read as 2026),
/// refused rather than stored where it would sort, pace and count days absurdly.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Refuse a date outside [`YEARS`], naming the value as typed.
pub fn check_year(d: NaiveDate, input: &str) -> Result<NaiveDate> {
    if YEARS.contains(&d.year()) {
        return Ok(d);
    }
    Err(Error::input(format!(
        "{} is out of range: dates run from {} to {}",
        quote(input.trim()),
        YEARS.start(),
        YEARS.end()
    )))
}

/// Parse a strict ISO date, naming the value when it is not a real day (2026-02-30).
pub fn parse_iso(s: &str) -> Result<NaiveDate> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::input(format!("{} is not a date (expected YYYY-MM-DD)", quote(s.trim()))))?;
    check_year(d, s)
}

/// Parse a date relative to `today`. A weekday name means the next such day
/// after today ("fri" typed on a Friday is a week away; type "today" for today).
pub fn parse_human(input: &str, today: NaiveDate) -> Result<NaiveDate> {
    check_year(parse_relative(input, today)?, input)
}

fn parse_relative(input: &str, today: NaiveDate) -> Result<NaiveDate> {
    let lowered = input.trim().to_ascii_lowercase();
    // "next fri" means the next Friday, as "fri" does.
    let s = lowered.strip_prefix("next ").map(str::trim).unwrap_or(&lowered).to_string();
    let bad = || {
        Error::input(format!("{} is not a date (try 2026-11-27, today, tomorrow, fri, +3d, +2w)", quote(input.trim())))
    };
    match s.as_str() {
        "" => return Err(bad()),
        "today" | "tod" | "now" => return Ok(today),
        "tomorrow" | "tom" | "tmr" => return Ok(today + Duration::days(1)),
        "yesterday" => return Ok(today - Duration::days(1)),
        _ => {}
    }
    if let Some(wd) = weekday(&s) {
        let ahead = (7 + wd.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64) % 7;
        return Ok(today + Duration::days(if ahead == 0 { 7 } else { ahead }));
    }
    if let Some(rest) = s.strip_prefix('+').or_else(|| s.strip_prefix('-')) {
        let sign: i64 = if s.starts_with('-') { -1 } else { 1 };
        let (num, unit) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len()));
        let n: i64 = num.parse().map_err(|_| bad())?;
        if n > 36_500 {
            return Err(bad());
        }
        let days = match unit {
            "" | "d" => n,
            "w" => n * 7,
            "m" => return add_months(today, (sign * n) as i32).ok_or_else(bad),
            _ => return Err(bad()),
        };
        return Ok(today + Duration::days(sign * days));
    }
    if s.contains('-') {
        return parse_iso(&s);
    }
    if s.contains('/') {
        return NaiveDate::parse_from_str(&s, "%m/%d/%Y").map_err(|_| bad());
    }
    Err(bad())
}

fn weekday(s: &str) -> Option<Weekday> {
    const NAMES: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    if s.len() < 2 {
        return None;
    }
    NAMES.iter().find(|(name, _)| name.starts_with(s) && s.len() >= 3.min(name.len())).map(|(_, wd)| *wd)
}

/// Add calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28).
pub fn add_months(d: NaiveDate, months: i32) -> Option<NaiveDate> {
    let total = d.year() * 12 + d.month0() as i32 + months;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let last = last_day_of_month(y, m)?;
    NaiveDate::from_ymd_opt(y, m, d.day().min(last))
}

pub fn last_day_of_month(y: i32, m: u32) -> Option<u32> {
    let first_next =
        if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(y, m + 1, 1)? };
    Some((first_next - Duration::days(1)).day())
}

/// "in 3 days", "today", "2 days ago": how far a date is from today.
pub fn relative(d: NaiveDate, today: NaiveDate) -> String {
    let n = (d - today).num_days();
    match n {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        n if n > 0 => format!("in {n}d"),
        n => format!("{}d ago", -n),
    }
}

/// A typed time of day, `HH:MM` (the form templates and moves use).
pub fn parse_time(s: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M")
        .map_err(|_| Error::input(format!("{} is not a time (expected HH:MM, e.g. 09:30)", quote(s.trim()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_iso(s).unwrap()
    }

    #[test]
    fn relative_words_count_from_today() {
        let fri = d("2026-11-20");
        assert_eq!(parse_human("today", fri).unwrap(), fri);
        assert_eq!(parse_human("tomorrow", fri).unwrap(), d("2026-11-21"));
        assert_eq!(parse_human("+3d", fri).unwrap(), d("2026-11-23"));
        assert_eq!(parse_human("+2w", fri).unwrap(), d("2026-12-04"));
        assert_eq!(parse_human("2026-11-27", fri).unwrap(), d("2026-11-27"));
        assert_eq!(parse_human("11/27/2026", fri).unwrap(), d("2026-11-27"));
    }

    #[test]
    fn a_weekday_is_the_next_one_after_today() {
        let fri = d("2026-11-20");
        assert_eq!(parse_human("fri", fri).unwrap(), d("2026-11-27"));
        assert_eq!(parse_human("next Friday", fri).unwrap(), d("2026-11-27"));
        assert_eq!(parse_human("Monday", fri).unwrap(), d("2026-11-23"));
        assert_eq!(parse_human("sat", fri).unwrap(), d("2026-11-21"));
    }

    #[test]
    fn impossible_dates_are_refused_naming_the_value() {
        let e = parse_human("2026-02-30", d("2026-11-20")).unwrap_err();
        assert!(e.to_string().contains("2026-02-30"), "{e}");
        assert!(parse_human("someday", d("2026-11-20")).is_err());
    }

    #[test]
    fn months_clamp_to_the_last_day() {
        assert_eq!(add_months(d("2026-01-31"), 1).unwrap(), d("2026-02-28"));
        assert_eq!(add_months(d("2028-01-31"), 1).unwrap(), d("2028-02-29"));
        assert_eq!(add_months(d("2026-01-15"), -1).unwrap(), d("2025-12-15"));
    }
}
