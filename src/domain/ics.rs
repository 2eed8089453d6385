//! iCalendar (RFC 5545) writing: TEXT escaping, 75-octet line folding, CRLF, recurring events.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// One recurring meeting as a VEVENT.
#[derive(Debug, Clone, PartialEq)]
pub struct IcsEvent {
    /// Stable across exports and template edits: the calendar updates the series instead of duplicating it.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub first_day: NaiveDate,
    pub start: NaiveTime,
    pub minutes: u32,
    /// RRULE value without the `RRULE:` name; `None` for a single event.
    pub rrule: Option<String>,
    /// Occurrences left out (holidays), each written as an EXDATE at the event's start time.
    pub exdates: Vec<NaiveDate>,
}

/// Escape a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma, newline.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            // Other controls are not allowed in TEXT: drop them rather than emit an invalid file.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character;
/// continuation lines start with one space. Each physical line ends in CRLF.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0usize;
    // The first line holds 75 octets, continuations 74 plus the leading space.
    let mut limit = 75usize;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > limit {
            out.push_str("\r\n ");
            used = 1;
            limit = 75;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

fn stamp(d: NaiveDateTime) -> String {
    d.format("%Y%m%dT%H%M%S").to_string()
}

/// A whole calendar. With `tzid` the times carry `TZID=` (an IANA name, which common calendar
/// programs resolve themselves), otherwise they are floating local times. `stamp_utc` is the
/// export instant in UTC, for DTSTAMP.
pub fn calendar(name: &str, events: &[IcsEvent], tzid: Option<&str>, stamp_utc: NaiveDateTime) -> String {
    let mut out = String::new();
    let mut put = |l: String| out.push_str(&fold_line(&l));
    put("BEGIN:VCALENDAR".into());
    put("VERSION:2.0".into());
    put("PRODID:-//mktg//cadence//EN".into());
    put("CALSCALE:GREGORIAN".into());
    put(format!("X-WR-CALNAME:{}", escape_text(name)));
    if let Some(tz) = tzid {
        put(format!("X-WR-TIMEZONE:{}", escape_text(tz)));
    }
    let tz_param = tzid.map(|tz| format!(";TZID={}", tz.replace(['"', ';', ':', ','], ""))).unwrap_or_default();
    for e in events {
        let start = e.first_day.and_time(e.start);
        let end = start + chrono::Duration::minutes(i64::from(e.minutes));
        put("BEGIN:VEVENT".into());
        put(format!("UID:{}", escape_text(&e.uid)));
        put(format!("DTSTAMP:{}Z", stamp(stamp_utc)));
        put(format!("DTSTART{tz_param}:{}", stamp(start)));
        put(format!("DTEND{tz_param}:{}", stamp(end)));
        if let Some(r) = &e.rrule {
            put(format!("RRULE:{r}"));
        }
        for x in &e.exdates {
            put(format!("EXDATE{tz_param}:{}", stamp(x.and_time(e.start))));
        }
        put(format!("SUMMARY:{}", escape_text(&e.summary)));
        if !e.description.is_empty() {
            put(format!("DESCRIPTION:{}", escape_text(&e.description)));
        }
        put("END:VEVENT".into());
    }
    put("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holidays_are_left_out_of_a_series() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let e = IcsEvent {
            uid: "ad-review@mktg.cadence".into(),
            summary: "Ad performance review".into(),
            description: String::new(),
            first_day: d("2026-11-20"),
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            minutes: 30,
            rrule: Some("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR".into()),
            exdates: vec![d("2026-12-25")],
        };
        let stamp = d("2026-11-20").and_hms_opt(8, 0, 0).unwrap();
        let ics = calendar("c", std::slice::from_ref(&e), Some("Europe/Berlin"), stamp);
        assert!(ics.contains("EXDATE;TZID=Europe/Berlin:20261225T090000\r\n"), "{ics}");
        assert!(calendar("c", &[e], None, stamp).contains("EXDATE:20261225T090000\r\n"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a\\b;c,d\ne\r"), "a\\\\b\\;c\\,d\\ne");
        assert_eq!(escape_text("bell\x07"), "bell");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let line = format!("SUMMARY:{}", "é".repeat(60)); // 8 + 120 octets
        let folded = fold_line(&line);
        let physical: Vec<&str> = folded.split_terminator("\r\n").collect();
        assert!(physical.len() >= 2);
        assert!(physical.iter().all(|l| l.len() <= 75), "{physical:?}");
        assert!(physical[1..].iter().all(|l| l.starts_with(' ')));
        let unfolded: String = physical.iter().enumerate().map(|(i, l)| if i == 0 { *l } else { &l[1..] }).collect();
        assert_eq!(unfolded, line);
        assert_eq!(fold_line("SHORT"), "SHORT\r\n");
    }
}
