//! Annotations: what explains the data ("site outage", "price change") on a day or a range of
//! days, for every metric or one metric, for every channel or one channel.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::anomaly::Anomaly;
use crate::domain::dates;
use crate::domain::text::channel_slug;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    pub from: NaiveDate,
    /// Inclusive; equal to `from` for a single day.
    pub to: NaiveDate,
    pub text: String,
    /// A metric key, or every metric when `None`.
    pub metric: Option<String>,
    /// A channel slug, or every channel when `None`.
    pub channel: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnnotationError {
    #[error("'{given}': {why}")]
    BadDay { given: String, why: String },
    #[error("'{0}' ends before it starts (write FROM..TO, earlier day first)")]
    Backwards(String),
    #[error("a note needs its text, like: mktg note add 2026-11-19 \"site outage\"")]
    NoText,
}

/// `DATE` or `DATE..DATE`, each side any date `dates::parse_human` reads (2026-11-12, yesterday, -3d).
pub fn parse_days(input: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), AnnotationError> {
    let given = input.trim();
    let day = |s: &str| {
        dates::parse_human(s, today).map_err(|e| AnnotationError::BadDay { given: given.into(), why: e.to_string() })
    };
    match given.split_once("..") {
        Some((a, b)) => {
            let (from, to) = (day(a)?, day(b)?);
            if to < from {
                return Err(AnnotationError::Backwards(given.into()));
            }
            Ok((from, to))
        }
        None => day(given).map(|d| (d, d)),
    }
}

impl Annotation {
    /// `note add DATE[..DATE] TEXT [--metric M] [--channel C]`: the text required, the metric
    /// kept as typed (trimmed) for the store to resolve, the channel as a slug.
    pub fn new(
        days: &str,
        text: &str,
        metric: Option<&str>,
        channel: Option<&str>,
        today: NaiveDate,
    ) -> Result<Annotation, AnnotationError> {
        let (from, to) = parse_days(days, today)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(AnnotationError::NoText);
        }
        let given = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        Ok(Annotation {
            from,
            to,
            text: text.into(),
            metric: given(metric),
            channel: given(channel).map(|c| channel_slug(&c)),
        })
    }

    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Does this note speak about `metric` (in `channel`, or its total when `None`) on `day`?
    pub fn applies_to(&self, metric: &str, channel: Option<&str>, day: NaiveDate) -> bool {
        self.covers(day) && self.speaks_about(metric, channel)
    }

    /// The metric and channel part of [`Annotation::applies_to`]. A global note speaks about
    /// everything; a note on a channel also speaks about the total, which that channel is part
    /// of, but not about another channel.
    pub fn speaks_about(&self, metric: &str, channel: Option<&str>) -> bool {
        let metric_ok = self.metric.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(metric));
        let channel_ok = match (self.channel.as_deref(), channel) {
            (None, _) | (Some(_), None) => true,
            (Some(mine), Some(theirs)) => mine == channel_slug(theirs),
        };
        metric_ok && channel_ok
    }
}

/// The notes that explain `anomaly`: same day, same metric or global, same channel or global.
pub fn explaining<'a>(notes: &'a [Annotation], anomaly: &Anomaly) -> Vec<&'a Annotation> {
    notes.iter().filter(|n| n.applies_to(&anomaly.metric, anomaly.channel.as_deref(), anomaly.day)).collect()
}

/// The notes to draw on a chart of `metric` (and `channel`) over [from, to].
pub fn on_chart<'a>(
    notes: &'a [Annotation],
    metric: &str,
    channel: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<&'a Annotation> {
    notes.iter().filter(|n| n.from <= to && n.to >= from && n.speaks_about(metric, channel)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn note(days: &str, metric: Option<&str>, channel: Option<&str>) -> Annotation {
        Annotation::new(days, "site outage", metric, channel, d("2026-11-20")).unwrap()
    }

    fn anomaly(metric: &str, channel: Option<&str>, day: &str) -> Anomaly {
        Anomaly {
            metric: metric.into(),
            label: metric.into(),
            channel: channel.map(str::to_string),
            day: d(day),
            value: 120.0,
            usual: 60.0,
            z: 5.0,
            up: true,
            good: false,
        }
    }

    #[test]
    fn days_are_one_day_or_an_inclusive_range_in_order() {
        let today = d("2026-11-20");
        assert_eq!(parse_days("2026-11-19", today).unwrap(), (d("2026-11-19"), d("2026-11-19")));
        assert_eq!(parse_days("2026-11-12..2026-11-14", today).unwrap(), (d("2026-11-12"), d("2026-11-14")));
        assert_eq!(parse_days("-2d..yesterday", today).unwrap(), (d("2026-11-18"), d("2026-11-19")));
        assert_eq!(
            parse_days("2026-11-14..2026-11-12", today).unwrap_err().to_string(),
            "'2026-11-14..2026-11-12' ends before it starts (write FROM..TO, earlier day first)"
        );
        assert!(
            parse_days("2026-11-31", today)
                .unwrap_err()
                .to_string()
                .starts_with("'2026-11-31': '2026-11-31' is not a date")
        );
        assert_eq!(Annotation::new("2026-11-19", "  ", None, None, today), Err(AnnotationError::NoText));
    }

    #[test]
    fn a_note_applies_on_its_days_to_its_metric_and_channel_or_to_all() {
        let n = note("2026-11-12..2026-11-14", Some("CPL"), Some("Paid Social"));
        assert_eq!(n.channel.as_deref(), Some("paid-social"));
        assert!(n.applies_to("cpl", Some("paid-social"), d("2026-11-13")));
        assert!(n.applies_to("cpl", Some("Paid Social"), d("2026-11-14")));
        assert!(!n.applies_to("cpl", Some("paid-social"), d("2026-11-15")));
        assert!(!n.applies_to("leads", Some("paid-social"), d("2026-11-13")));
        assert!(!n.applies_to("cpl", Some("search"), d("2026-11-13")));
        // The total includes the channel, so a channel's outage can explain it.
        assert!(n.applies_to("cpl", None, d("2026-11-13")));
        let global = note("2026-11-13", None, None);
        assert!(global.applies_to("leads", Some("search"), d("2026-11-13")));
    }

    #[test]
    fn the_cpl_note_explains_the_paid_social_cpl_anomaly_of_its_day() {
        let notes = [
            note("2026-11-19", Some("cpl"), None),
            note("2026-11-18", Some("cpl"), None),
            note("2026-11-19", Some("leads"), None),
            note("2026-11-19", None, Some("search")),
            note("2026-11-17..2026-11-19", None, None),
        ];
        let found = explaining(&notes, &anomaly("cpl", Some("paid-social"), "2026-11-19"));
        assert_eq!(found, [&notes[0], &notes[4]]);
    }

    #[test]
    fn a_chart_gets_the_notes_overlapping_its_span() {
        let notes = [
            note("2026-10-30..2026-11-02", None, None),
            note("2026-12-01", None, None),
            note("2026-11-10", Some("leads"), None),
        ];
        let shown = on_chart(&notes, "cpl", None, d("2026-11-01"), d("2026-11-30"));
        assert_eq!(shown, [&notes[0]]);
    }
}
