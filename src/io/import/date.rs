//! Reading the date formats the supported tools write, and writing dates into row keys.

use chrono::{Datelike, NaiveDate};

use crate::domain::text::quote;

const EXPECTED: &str = "expected YYYY-MM-DD, YYYYMMDD, M/D/YYYY or 'Sep 1, 2026'";

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Parses a date, ignoring a trailing time of day (HubSpot writes `2026-09-14 10:22`).
///
/// The time is dropped as written rather than converted between zones: the exports state local
/// calendar days and the facts are per day.
pub(super) fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    let s = raw.trim();
    if let Some(d) = plain_iso(s) {
        return d;
    }
    let unrecognised = || format!("unrecognised date {} ({EXPECTED})", quote(s));
    let (y, m, d) = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        (num(&s[..4]), num(&s[4..6]), num(&s[6..]))
    } else if s.as_bytes().get(4) == Some(&b'-') {
        let (date, time) = split_time(s, &['T', ' ']);
        let mut it = date.split('-');
        let ymd = (it.next().and_then(num), it.next().and_then(num), it.next().and_then(num));
        if it.next().is_some() || !is_time(time) {
            return Err(unrecognised());
        }
        ymd
    } else if s.contains('/') {
        let (date, time) = split_time(s, &[' ']);
        let mut it = date.split('/');
        let mdy = (it.next().and_then(num), it.next().and_then(num), it.next().and_then(num));
        if it.next().is_some() || !is_time(time) || date.rsplit('/').next().is_none_or(|y| y.len() != 4) {
            return Err(unrecognised());
        }
        (mdy.2, mdy.0, mdy.1)
    } else if s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        month_name_date(s).ok_or_else(unrecognised)?
    } else {
        return Err(unrecognised());
    };
    let (Some(y), Some(m), Some(d)) = (y, m, d) else {
        return Err(unrecognised());
    };
    let year = i32::try_from(y).map_err(|_| unrecognised())?;
    if !(1000..=9999).contains(&year) {
        return Err(unrecognised());
    }
    NaiveDate::from_ymd_opt(year, m, d)
        .ok_or_else(|| format!("invalid date {} (no such date)", quote(s)))
        .and_then(|d| in_range(d, s))
}

/// Fast path for exactly `YYYY-MM-DD`, the format of every machine-written kpi-csv.
fn plain_iso(s: &str) -> Option<Result<NaiveDate, String>> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digit = |i: usize| b[i].is_ascii_digit().then(|| u32::from(b[i] - b'0'));
    let n = |r: std::ops::Range<usize>| r.map(digit).try_fold(0u32, |acc, d| Some(acc * 10 + d?));
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let year = i32::try_from(y).ok().filter(|y| *y >= 1000)?;
    Some(
        NaiveDate::from_ymd_opt(year, m, d)
            .ok_or_else(|| format!("invalid date {} (no such date)", quote(s)))
            .and_then(|d| in_range(d, s)),
    )
}

/// The same years a typed date may fall in (`domain::dates::YEARS`).
fn in_range(d: NaiveDate, s: &str) -> Result<NaiveDate, String> {
    crate::domain::dates::check_year(d, s).map_err(|e| e.to_string())
}

/// A `start - end` range as Google Ads writes it on line 2 (`September 1, 2026 - September 30, 2026`).
pub(super) fn parse_range(raw: &str) -> Option<(NaiveDate, NaiveDate)> {
    let s = raw.trim().trim_matches(|c| c == '"' || c == ',').trim();
    let (a, b) = s.split_once(" - ").or_else(|| s.split_once(" \u{2013} "))?;
    let (a, b) = (parse_date(a).ok()?, parse_date(b).ok()?);
    (a <= b).then_some((a, b))
}

/// Appends `YYYY-MM-DD` without going through `fmt`, which matters at a million rows.
pub(super) fn push_iso(out: &mut String, day: NaiveDate) {
    let y = day.year().clamp(0, 9999);
    let digits = [
        (y / 1000) as u8,
        (y / 100 % 10) as u8,
        (y / 10 % 10) as u8,
        (y % 10) as u8,
        0xFF,
        (day.month() / 10) as u8,
        (day.month() % 10) as u8,
        0xFF,
        (day.day() / 10) as u8,
        (day.day() % 10) as u8,
    ];
    for d in digits {
        out.push(if d == 0xFF { '-' } else { char::from(b'0' + d) });
    }
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn split_time<'a>(s: &'a str, seps: &[char]) -> (&'a str, &'a str) {
    match s.find(seps) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    }
}

/// Loose on purpose: only the date matters, but text that is not a time means a misread column.
fn is_time(t: &str) -> bool {
    let t = t.trim();
    t.is_empty()
        || (t.starts_with(|c: char| c.is_ascii_digit())
            && t.contains(':')
            && t.chars().all(|c| c.is_ascii_digit() || " :.+-ZzAaPpMmUTC".contains(c)))
}

/// `Sep 1, 2026`, `September 1, 2026` or `Sept 1 2026`.
fn month_name_date(s: &str) -> Option<(Option<u32>, Option<u32>, Option<u32>)> {
    let mut parts = s.split([' ', ',']).filter(|p| !p.is_empty());
    let month = parts.next()?.trim_end_matches('.').to_ascii_lowercase();
    let (day, year) = (parts.next()?, parts.next()?);
    if parts.next().is_some() || month.len() < 3 {
        return None;
    }
    let m = MONTHS.iter().position(|name| name.starts_with(month.as_str()))?;
    let m = u32::try_from(m + 1).ok()?;
    Some((num(year).filter(|_| year.len() == 4), Some(m), num(day)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn formats() {
        assert_eq!(parse_date("2026-09-01"), Ok(d(2026, 9, 1)));
        assert_eq!(parse_date("20260901"), Ok(d(2026, 9, 1)));
        assert_eq!(parse_date("9/1/2026"), Ok(d(2026, 9, 1)));
        assert_eq!(parse_date("09/01/2026 3:04 PM"), Ok(d(2026, 9, 1)));
        assert_eq!(parse_date("Sep 1, 2026"), Ok(d(2026, 9, 1)));
        assert_eq!(parse_date("September 30, 2026"), Ok(d(2026, 9, 30)));
        assert_eq!(parse_date("2026-09-14 10:22"), Ok(d(2026, 9, 14)));
        assert_eq!(parse_date("2026-09-14T10:22:00Z"), Ok(d(2026, 9, 14)));
    }

    #[test]
    fn errors_name_the_value() {
        assert_eq!(parse_date("2026-02-30").unwrap_err(), "invalid date '2026-02-30' (no such date)");
        assert!(parse_date("20261301").unwrap_err().contains("invalid date"));
        for bad in ["tomorrow", "2026-09", "9/1/26", "1/2/3/2026", "2026-09-01 lunch", "Sepx 1, 2026", "", "12345"] {
            assert!(parse_date(bad).unwrap_err().contains("unrecognised"), "{bad}");
        }
    }

    #[test]
    fn ranges_and_keys() {
        assert_eq!(parse_range("September 1, 2026 - September 30, 2026"), Some((d(2026, 9, 1), d(2026, 9, 30))));
        assert_eq!(parse_range("All time"), None);
        let mut s = String::new();
        push_iso(&mut s, d(2026, 9, 1));
        assert_eq!(s, "2026-09-01");
    }
}
