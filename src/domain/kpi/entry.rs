//! A KPI value as a person enters it: the metric (any case), the value read in its unit, the day,
//! the channel as a slug, and a notice when the channel is new for the metric. The one check
//! behind `kpi record` and the cockpit's entry form; `check_reading` also gives a kpi-csv import
//! its words for a value's sign and marks.

use chrono::NaiveDate;

use super::Metric;
use crate::domain::dates::parse_human;
use crate::domain::error::{Error, Result};
use crate::domain::model::Unit;
use crate::domain::money;
use crate::domain::number::{self, Reading, Source};
use crate::domain::text::{channel_slug, close_matches, quote};

/// The metric named `key` among `metrics`, whatever its case and surrounding spaces; an unknown
/// name is refused naming the close matches (or, when none is close, every metric).
pub fn find_metric<'m>(metrics: &'m [Metric], key: &str) -> Result<&'m Metric> {
    let wanted = key.trim();
    if let Some(m) = metrics.iter().find(|m| m.key.eq_ignore_ascii_case(wanted)) {
        return Ok(m);
    }
    let keys: Vec<&str> = metrics.iter().map(|m| m.key.as_str()).collect();
    let near = close_matches(wanted, keys.iter().copied());
    let hint = if near.is_empty() {
        format!("known metrics: {}", keys.join(", "))
    } else {
        format!("did you mean {}?", near.join(", "))
    };
    Err(Error::input(format!("unknown metric {}; {hint}", quote(wanted))))
}

/// Parse a value as people type it (`domain::number`'s grammar), checked against the unit:
/// counts `1,234` or `1 234`; money `$1,234.50`; percent `12.5%` or `12.5`; scores and ratios
/// `3.5`, `3.5x`.
pub fn parse_value(unit: Unit, input: &str) -> Result<f64> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Error::input(format!("{} is not a {} value: empty", quote(s), unit.as_str())));
    }
    let reading = number::read(s, Source::Typed).map_err(|e| Error::input(e.to_string()))?;
    let reading =
        reading.ok_or_else(|| Error::input(format!("{} is not a {} value: no digits", quote(s), unit.as_str())))?;
    check_reading(unit, s, &reading)
}

/// The unit's rules on a number as it was written: the one check behind `kpi record`, the
/// cockpit's entry form and a kpi-csv import, so all three accept and refuse the same values
/// with the same words. A count is never below zero, never a percentage or an amount; it may be
/// fractional (attribution-weighted conversions, or `1.234`: a lone `.` is a decimal point) and is
/// then kept and shown as it is, never rounded. An amount has at most two decimals.
pub fn check_reading(unit: Unit, raw: &str, r: &Reading) -> Result<f64> {
    let s = raw.trim();
    let bad = |why: &str| Error::input(format!("{} is not a {} value: {why}", quote(s), unit.as_str()));
    match unit {
        Unit::Currency => {
            if r.percent {
                return Err(bad("a percent sign on an amount"));
            }
            // Money is exact: the amount grammar (cents) reads it, with its own words.
            Ok(money::parse_cents(s)? as f64 / 100.0)
        }
        Unit::Count => {
            if r.percent || r.currency_mark || r.times {
                return Err(bad("a count is a plain number like 1,234"));
            }
            if r.negative && r.value != 0.0 {
                return Err(bad("a count is 0 or more, not below zero"));
            }
            Ok(r.value)
        }
        Unit::Percent => {
            if r.currency_mark || r.times {
                return Err(bad("a currency sign on a percentage"));
            }
            Ok(r.value)
        }
        Unit::Score | Unit::Ratio => {
            if r.currency_mark || r.percent {
                return Err(bad("a plain number like 3.5"));
            }
            Ok(r.value)
        }
    }
}

/// The fields of an entry, so a form can put the cursor where the problem is (`Error::field`).
pub struct EntryField;

impl EntryField {
    pub const METRIC: &'static str = "metric";
    pub const VALUE: &'static str = "value";
    pub const DATE: &'static str = "date";
}

/// What was typed, as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryInput<'a> {
    pub metric: &'a str,
    pub value: &'a str,
    /// `None` or blank: today.
    pub day: Option<&'a str>,
    pub channel: Option<&'a str>,
}

/// An entry that checks out: ready to record.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub metric: Metric,
    pub value: f64,
    pub day: NaiveDate,
    /// As stored: a slug ("Paid Search" is paid-search); empty when none was given.
    pub channel: String,
}

/// Check an entry against the store's metrics and currency on `today`. Refusals are one line and
/// name their field (`Error::field`): an unknown metric (with the close matches), a computed one,
/// a value its unit cannot hold or in another currency, a day that is not a date or still to come.
pub fn check_entry(input: &EntryInput<'_>, metrics: &[Metric], currency: &str, today: NaiveDate) -> Result<Entry> {
    let m = find_metric(metrics, input.metric).map_err(|e| e.in_field(EntryField::METRIC))?;
    if m.from_deals() {
        let e = Error::input(format!(
            "{} is computed from deal outcomes; import them instead (a winloss-csv or HubSpot deals export)",
            m.key
        ));
        return Err(e.in_field(EntryField::METRIC));
    }
    if let Some(f) = &m.formula {
        let e = Error::input(format!("{} is computed from {f}; record those metrics instead", m.key));
        return Err(e.in_field(EntryField::METRIC));
    }
    let value = money::check_currency(input.value, currency)
        .and_then(|()| parse_value(m.unit, input.value))
        .map_err(|e| e.in_field(EntryField::VALUE))?;
    let day = match input.day.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_human(d, today).map_err(|e| e.in_field(EntryField::DATE))?,
        None => today,
    };
    if day > today {
        let e = Error::input(format!("{day} is in the future: an observation is for a day that has happened"));
        return Err(e.in_field(EntryField::DATE));
    }
    Ok(Entry { metric: m.clone(), value, day, channel: channel_slug(input.channel.unwrap_or("")) })
}

/// Said when a value is recorded for today: pacing and the dashboard's figures count complete
/// days only, so today's value shows as "today so far" until the day is over. The same words
/// from `kpi record` and the cockpit's entry form.
pub fn today_note(day: NaiveDate, today: NaiveDate) -> Option<&'static str> {
    (day == today).then_some("today so far: it counts in pacing from tomorrow, when the day is complete")
}

/// "'emial' is a new channel for leads; did you mean email?": a channel the metric has never
/// been seen in is most often a typo. The entry is still recorded; this says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelNotice {
    pub channel: String,
    pub metric: String,
    /// The known channels close to it, best first; when none is close, every known channel.
    pub near: Vec<String>,
    pub close: bool,
}

impl std::fmt::Display for ChannelNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hint = if self.close {
            format!("did you mean {}?", self.near.join(", "))
        } else {
            format!("known: {}", self.near.join(", "))
        };
        write!(f, "note: '{}' is a new channel for {}; {hint}", self.channel, self.metric)
    }
}

/// The notice for `entry` given the channels its metric has been seen in (none for a metric never
/// split by channel, or a channel already known).
pub fn channel_notice(entry: &Entry, known: &[String]) -> Option<ChannelNotice> {
    if entry.channel.is_empty() || known.is_empty() || known.contains(&entry.channel) {
        return None;
    }
    let near: Vec<String> =
        close_matches(&entry.channel, known.iter().map(String::as_str)).into_iter().map(String::from).collect();
    let close = !near.is_empty();
    let near = if close { near } else { known.to_vec() };
    Some(ChannelNotice { channel: entry.channel.clone(), metric: entry.metric.key.clone(), near, close })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Direction, Rollup};

    fn metric(key: &str, unit: Unit, formula: Option<&str>) -> Metric {
        Metric {
            key: key.into(),
            label: key.into(),
            unit,
            direction: Direction::Higher,
            rollup: if formula.is_some() { Rollup::Ratio } else { Rollup::Sum },
            formula: formula.map(Into::into),
            headline: 0,
            min_volume: 0.0,
        }
    }

    #[test]
    fn values_are_read_as_people_type_them_and_checked_against_the_unit() {
        assert_eq!(parse_value(Unit::Count, "1,234").unwrap(), 1234.0);
        assert_eq!(parse_value(Unit::Currency, "$1,234.50").unwrap(), 1234.5);
        assert_eq!(parse_value(Unit::Percent, "12.5%").unwrap(), 12.5);
        assert_eq!(parse_value(Unit::Percent, "12.5").unwrap(), 12.5);
        assert_eq!(parse_value(Unit::Ratio, "3.5x").unwrap(), 3.5);
        assert!(parse_value(Unit::Count, "12.5%").is_err());
        assert!(parse_value(Unit::Count, "$12").is_err());
        assert_eq!(parse_value(Unit::Count, "1 234").unwrap(), 1234.0);
        assert_eq!(parse_value(Unit::Count, "12.5").unwrap(), 12.5, "a fraction is kept, as imports keep it");
        assert_eq!(parse_value(Unit::Count, "1.234").unwrap(), 1.234, "a lone dot is a decimal point");
        assert!(parse_value(Unit::Count, "-3").unwrap_err().to_string().contains("below zero"));
        assert!(parse_value(Unit::Count, "1e400").is_err());
        assert!(parse_value(Unit::Count, "12,34.5").is_err());
        assert!(parse_value(Unit::Currency, "12%").is_err());
        assert!(parse_value(Unit::Percent, "$3").is_err());
        assert!(parse_value(Unit::Score, "abc").is_err());
    }

    #[test]
    fn an_entry_is_checked_field_by_field_and_says_which_field_is_wrong() {
        let metrics = [metric("leads", Unit::Count, None), metric("cpl", Unit::Currency, Some("spend/leads"))];
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let input = |m, v, d| EntryInput { metric: m, value: v, day: d, channel: Some("Paid Search") };
        let e = check_entry(&input("Leads", "1 234", Some("yesterday")), &metrics, "USD", today).unwrap();
        assert_eq!((e.metric.key.as_str(), e.value, e.channel.as_str()), ("leads", 1234.0, "paid-search"));
        assert_eq!(e.day, NaiveDate::from_ymd_opt(2026, 11, 19).unwrap());
        let field = |m, v, d| check_entry(&input(m, v, d), &metrics, "USD", today).unwrap_err().field();
        assert_eq!(field("leds", "5", None), Some(EntryField::METRIC));
        assert_eq!(field("cpl", "5", None), Some(EntryField::METRIC));
        assert_eq!(field("leads", "-3", None), Some(EntryField::VALUE));
        assert_eq!(field("leads", "5", Some("2030-01-01")), Some(EntryField::DATE));
        let e = check_entry(&input("leads", "5", Some("2030-01-01")), &metrics, "USD", today).unwrap_err();
        assert_eq!(e.to_string(), "2030-01-01 is in the future: an observation is for a day that has happened");
    }

    #[test]
    fn a_new_channel_is_noted_with_the_close_ones() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let metrics = [metric("leads", Unit::Count, None)];
        let mut e = check_entry(
            &EntryInput { metric: "leads", value: "5", day: None, channel: Some("emial") },
            &metrics,
            "USD",
            today,
        )
        .unwrap();
        let known = vec!["email".to_string(), "paid-search".to_string()];
        let n = channel_notice(&e, &known).unwrap();
        assert_eq!(n.to_string(), "note: 'emial' is a new channel for leads; did you mean email?");
        e.channel = "email".into();
        assert_eq!(channel_notice(&e, &known), None);
        assert_eq!(channel_notice(&e, &[]), None, "a metric never split by channel");
    }
}
