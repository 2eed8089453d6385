//! Reading the dates the supported tools write, in the day order the file itself settles, and
//! writing dates into row keys.
//!
//! Formats: `YYYY-MM-DD[ HH:MM]`, `YYYYMMDD`, `D/M/YYYY` or `M/D/YYYY` (the file decides which),
//! `DD.MM.YYYY` (always day first), `D Month YYYY`, `D Mon YYYY`, `Month D, YYYY`, `Sept`.
//! The day order of slash dates: any first field above 12 makes the whole file day-first, any
//! second field above 12 month-first; both in one file is refused naming both lines. A file where
//! every slash date could be either is refused naming `--date-order dmy|mdy`, unless the file
//! settles it: a `DD.MM.YYYY` cell or a `1 November 2026` date is day-first (en-GB, en-IN), a
//! `November 1, 2026` date month-first (en-US).

use chrono::{Datelike, NaiveDate};

use super::ImportError;
use super::decode::lines;

const EXPECTED: &str = "expected YYYY-MM-DD, YYYYMMDD, D/M/YYYY or M/D/YYYY, DD.MM.YYYY, '1 Sep 2026' or 'Sep 1, 2026'";

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

/// Which slash-date field is the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    /// `03/11/2026` is 3 November (en-GB, en-IN, most of Europe).
    Dmy,
    /// `03/11/2026` is 11 March (en-US).
    Mdy,
}

impl DayOrder {
    pub fn parse(s: &str) -> Option<DayOrder> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dmy" | "d/m/y" | "day-first" => Some(DayOrder::Dmy),
            "mdy" | "m/d/y" | "month-first" => Some(DayOrder::Mdy),
            _ => None,
        }
    }
}

/// How one file's dates are read: its day order, once settled.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Dates {
    pub order: Option<DayOrder>,
}

impl Dates {
    /// Parses a date, ignoring a trailing time of day (HubSpot writes `2026-09-14 10:22`).
    ///
    /// The time is dropped as written rather than converted between zones: the exports state
    /// local calendar days and the facts are per day.
    pub fn parse(&self, raw: &str) -> Result<NaiveDate, String> {
        let s = raw.trim();
        if let Some(d) = plain_iso(s) {
            return d;
        }
        let unrecognised = || format!("unrecognised date {} ({EXPECTED})", crate::domain::text::quote(s));
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
        } else if let Some((a, b, y)) = fields(s, '/') {
            let (d, m) = match (self.order, a > 12, b > 12) {
                (Some(DayOrder::Dmy), _, _) | (None, true, false) => (a, b),
                (Some(DayOrder::Mdy), _, _) | (None, false, true) => (b, a),
                (None, true, true) => {
                    return Err(format!("invalid date {} (no such date)", crate::domain::text::quote(s)));
                }
                (None, false, false) => return Err(ambiguous(s, a, b)),
            };
            (Some(y), Some(m), Some(d))
        } else if let Some((d, m, y)) = fields(s, '.') {
            (Some(y), Some(m), Some(d))
        } else if s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
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
            .ok_or_else(|| format!("invalid date {} (no such date)", crate::domain::text::quote(s)))
    }

    /// A `start - end` range as Google Ads writes it on line 2 (`September 1, 2026 - September 30,
    /// 2026`, `1 November 2026 - 30 November 2026`, with `-` or `–`), or `20261001-20261031` as a
    /// GA4 exploration writes it.
    pub fn range(&self, raw: &str) -> Option<(NaiveDate, NaiveDate)> {
        let s = raw.trim().trim_start_matches('#').trim().trim_matches(|c| c == '"' || c == ',').trim();
        let (a, b) = s
            .split_once(" - ")
            .or_else(|| s.split_once(" \u{2013} "))
            .or_else(|| s.split_once('\u{2013}'))
            .or_else(|| (s.len() == 17 && s.as_bytes()[8] == b'-').then(|| (&s[..8], &s[9..])))?;
        let (a, b) = (self.parse(a).ok()?, self.parse(b).ok()?);
        (a <= b).then_some((a, b))
    }
}

fn ambiguous(s: &str, a: u32, b: u32) -> String {
    let month = |m: u32| MONTHS.get(m as usize - 1).map_or("?".to_string(), |n| capitalise(n));
    format!(
        "'{s}' could be {a} {} or {b} {} and nothing in the file settles it; pass --date-order dmy or --date-order mdy",
        month(b),
        month(a)
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// `A?B?YYYY` split on `sep` with an optional time after the year; `None` when it is not that shape.
fn fields(s: &str, sep: char) -> Option<(u32, u32, u32)> {
    let (date, time) = split_time(s, &[' ']);
    let mut it = date.split(sep);
    let (a, b, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 || a.len() > 2 || b.len() > 2 || !is_time(time) {
        return None;
    }
    Some((num(a)?, num(b)?, num(y)?))
}

/// What the whole file says about its day order, looked at before any row is read.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Settled {
    /// No slash date could be read two ways, or the file or the flag says which.
    Order(Option<DayOrder>),
    /// The file contradicts itself, or nothing settles an ambiguous date: one refusal.
    Refused(ImportError),
}

/// Settles the day order of a file: the flag first; then the file's own evidence.
pub(super) fn settle(text: &str, flag: Option<DayOrder>) -> Settled {
    if flag.is_some() {
        return Settled::Order(flag);
    }
    // Only slash dates can be read two ways; a file without a '/' needs no decision (the
    // million-row kpi-csv path pays one byte scan here).
    if !text.contains('/') {
        return Settled::Order(None);
    }
    let mut dmy: Option<(usize, String)> = None;
    let mut mdy: Option<(usize, String)> = None;
    let mut first_ambiguous: Option<(usize, String)> = None;
    let mut locale: Option<DayOrder> = None;
    for line in lines(text) {
        // Dates are looked for in every word: "Report End: 9/30/2026" settles a file too.
        for cell in line.text.split([',', ';', '\t', ' ', '"']) {
            let cell = cell.trim();
            if cell.is_empty() || !cell.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                continue;
            }
            if let Some((a, b, _)) = fields(cell, '/') {
                let seen = (line.number, cell.to_string());
                match (a > 12, b > 12) {
                    (true, false) => {
                        dmy.get_or_insert(seen);
                    }
                    (false, true) => {
                        mdy.get_or_insert(seen);
                    }
                    (false, false) => {
                        first_ambiguous.get_or_insert(seen);
                    }
                    (true, true) => {}
                }
            } else if fields(cell, '.').is_some() {
                locale = locale.or(Some(DayOrder::Dmy));
            }
        }
        // A month written out says the locale: "1 November 2026" day first, "November 1, 2026"
        // month first (the range lines above a Google Ads table, LinkedIn's title block).
        if locale.is_none() && line.number <= 20 {
            for part in line.text.split([' ', '-', '\u{2013}', '"', '\t', ';']).collect::<Vec<_>>().windows(3) {
                let joined = part.join(" ");
                locale = locale.or_else(|| month_name_order(joined.trim().trim_matches([',', '#', ' '])));
            }
        }
    }
    match (dmy, mdy) {
        (Some((dl, dv)), Some((ml, mv))) => {
            let (line, msg) = if dl > ml {
                (dl, format!("'{dv}' is day first but line {ml} ('{mv}') is month first; a file keeps one order"))
            } else {
                (ml, format!("'{mv}' is month first but line {dl} ('{dv}') is day first; a file keeps one order"))
            };
            Settled::Refused(ImportError::new(line, "date", msg))
        }
        (Some(_), None) => Settled::Order(Some(DayOrder::Dmy)),
        (None, Some(_)) => Settled::Order(Some(DayOrder::Mdy)),
        (None, None) => match (locale, first_ambiguous) {
            (Some(o), _) => Settled::Order(Some(o)),
            (None, None) => Settled::Order(None),
            (None, Some((line, cell))) => {
                let (a, b, _) = fields(&cell, '/').unwrap_or((1, 1, 1));
                Settled::Refused(ImportError::new(line, "date", ambiguous(&cell, a, b)))
            }
        },
    }
}

/// The order a month-name date states: `1 November 2026` day first, `November 1, 2026` month first.
fn month_name_order(cell: &str) -> Option<DayOrder> {
    let mut parts = cell.split([' ', ',']).filter(|p| !p.is_empty());
    let (first, second, third) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || third.len() != 4 || !third.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match (month_number(first), month_number(second)) {
        (None, Some(_)) if num(first).is_some() => Some(DayOrder::Dmy),
        (Some(_), None) if num(second).is_some() => Some(DayOrder::Mdy),
        _ => None,
    }
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
            .ok_or_else(|| format!("invalid date {} (no such date)", crate::domain::text::quote(s))),
    )
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

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let m = MONTHS.iter().position(|name| name.starts_with(w.as_str()))?;
    u32::try_from(m + 1).ok()
}

/// `Sep 1, 2026`, `September 1, 2026`, `Sept 1 2026`, `1 November 2026`, `1 Nov 2026`.
fn month_name_date(s: &str) -> Option<(Option<u32>, Option<u32>, Option<u32>)> {
    let mut parts = s.split([' ', ',']).filter(|p| !p.is_empty());
    let (first, second, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (m, day) = match (month_number(first), month_number(second)) {
        (Some(m), None) => (m, second),
        (None, Some(m)) => (m, first),
        _ => return None,
    };
    Some((num(year).filter(|_| year.len() == 4), Some(m), num(day)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const ANY: Dates = Dates { order: None };
    const DMY: Dates = Dates { order: Some(DayOrder::Dmy) };
    const MDY: Dates = Dates { order: Some(DayOrder::Mdy) };

    #[test]
    fn formats() {
        assert_eq!(ANY.parse("2026-09-01"), Ok(d(2026, 9, 1)));
        assert_eq!(ANY.parse("20260901"), Ok(d(2026, 9, 1)));
        assert_eq!(MDY.parse("9/1/2026"), Ok(d(2026, 9, 1)));
        assert_eq!(MDY.parse("09/01/2026 3:04 PM"), Ok(d(2026, 9, 1)));
        assert_eq!(DMY.parse("03/11/2026"), Ok(d(2026, 11, 3)));
        assert_eq!(ANY.parse("13/11/2026"), Ok(d(2026, 11, 13)), "a first field above 12 is the day");
        assert_eq!(ANY.parse("11/13/2026"), Ok(d(2026, 11, 13)));
        assert_eq!(ANY.parse("02.11.2026"), Ok(d(2026, 11, 2)));
        assert_eq!(ANY.parse("Sep 1, 2026"), Ok(d(2026, 9, 1)));
        assert_eq!(ANY.parse("September 30, 2026"), Ok(d(2026, 9, 30)));
        assert_eq!(ANY.parse("1 November 2026"), Ok(d(2026, 11, 1)));
        assert_eq!(ANY.parse("27 Sept 2025"), Ok(d(2025, 9, 27)));
        assert_eq!(ANY.parse("2026-09-14 10:22"), Ok(d(2026, 9, 14)));
        assert_eq!(ANY.parse("2026-09-14T10:22:00Z"), Ok(d(2026, 9, 14)));
    }

    #[test]
    fn errors_name_the_value() {
        assert_eq!(ANY.parse("2026-02-30").unwrap_err(), "invalid date '2026-02-30' (no such date)");
        assert!(ANY.parse("20261301").unwrap_err().contains("invalid date"));
        assert_eq!(
            ANY.parse("03/11/2026").unwrap_err(),
            "'03/11/2026' could be 3 November or 11 March and nothing in the file settles it; pass --date-order dmy or --date-order mdy"
        );
        assert!(DMY.parse("11/13/2026").unwrap_err().contains("no such date"));
        for bad in ["tomorrow", "2026-09", "9/1/26", "1/2/3/2026", "2026-09-01 lunch", "Sepx 1, 2026", "", "12345"] {
            assert!(MDY.parse(bad).unwrap_err().contains("unrecognised"), "{bad}");
        }
    }

    #[test]
    fn ranges_in_every_locale_and_keys() {
        let nov = Some((d(2026, 11, 1), d(2026, 11, 30)));
        assert_eq!(ANY.range("September 1, 2026 - September 30, 2026"), Some((d(2026, 9, 1), d(2026, 9, 30))));
        assert_eq!(ANY.range("\"November 1, 2026 - November 30, 2026\""), nov);
        assert_eq!(ANY.range("1 November 2026 - 30 November 2026"), nov);
        assert_eq!(ANY.range("1 Nov 2026 \u{2013} 30 Nov 2026"), nov);
        assert_eq!(ANY.range("# 20261101-20261130"), nov);
        assert_eq!(ANY.range("All time"), None);
        let mut s = String::new();
        push_iso(&mut s, d(2026, 9, 1));
        assert_eq!(s, "2026-09-01");
    }

    #[test]
    fn the_file_settles_its_day_order() {
        let order = |t: &str| match settle(t, None) {
            Settled::Order(o) => Ok(o),
            Settled::Refused(e) => Err(e.to_string()),
        };
        assert_eq!(order("date,v\n2026-11-01,1\n"), Ok(None));
        assert_eq!(order("date,v\n03/11/2026,1\n13/11/2026,2\n"), Ok(Some(DayOrder::Dmy)));
        assert_eq!(order("date,v\n03/11/2026,1\n11/13/2026,2\n"), Ok(Some(DayOrder::Mdy)));
        assert_eq!(
            order("date,v\n03/11/2026,1\n04/11/2026,2\n"),
            Err("2: date: '03/11/2026' could be 3 November or 11 March and nothing in the file settles it; \
                 pass --date-order dmy or --date-order mdy"
                .into())
        );
        assert_eq!(
            order("date,v\n13/11/2026,1\n11/14/2026,2\n"),
            Err("3: date: '11/14/2026' is month first but line 2 ('13/11/2026') is day first; a file keeps one order"
                .into())
        );
        assert_eq!(order("Report\n1 November 2026 - 30 November 2026\nDay,v\n03/11/2026,1\n"), Ok(Some(DayOrder::Dmy)));
        assert_eq!(order("Report\n\"Nov 1, 2026 - Nov 30, 2026\"\nDay,v\n03/11/2026,1\n"), Ok(Some(DayOrder::Mdy)));
        assert_eq!(order("date;v\n02.11.2026;1\n03/11/2026;1\n"), Ok(Some(DayOrder::Dmy)));
        assert_eq!(settle("date,v\n03/11/2026,1\n", Some(DayOrder::Mdy)), Settled::Order(Some(DayOrder::Mdy)));
    }
}
