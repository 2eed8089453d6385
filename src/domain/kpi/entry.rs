//! A KPI value as a person enters it: the metric (any case), the value read in its unit, the day,
//! the channel as a slug, and a notice when the channel is new for the metric. The one check
//! behind `kpi record` and the cockpit's entry form; `check_reading` also gives a kpi-csv import
//! its words for a value's sign and marks.

use chrono::NaiveDate;

use super::Metric;
use crate::domain::currency;
use crate::domain::dates::parse_human;
use crate::domain::error::{Error, Result};
use crate::domain::model::Unit;
use crate::domain::money;
use crate::domain::number::{self, Reading, Source};
use crate::domain::text::{channel_slug, close_matches};

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
    Err(Error::input(format!("unknown metric {}; {hint}", crate::domain::text::quote(wanted))))
}

/// Parse a value as people type it (`domain::number`'s grammar), checked against the metric and
/// the store's currency: counts `1,234` or `1 234`; money `$1,234.50`; percent `12.5%` or `12.5`;
/// scores and ratios `3.5`, `3.5x`.
pub fn parse_value(m: &Metric, input: &str, currency: &str) -> Result<f64> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Error::input(format!(
            "{} is not a {} value: empty",
            crate::domain::text::quote(s),
            m.unit.as_str()
        )));
    }
    let reading = number::read(s, Source::Typed).map_err(|e| Error::input(e.to_string()))?;
    let reading = reading.ok_or_else(|| {
        Error::input(format!("{} is not a {} value: no digits", crate::domain::text::quote(s), m.unit.as_str()))
    })?;
    check_reading(m, s, &reading, currency)
}

/// The metric's rules on a number as it was written: the one check behind `kpi record`, the
/// cockpit's entry form and every import, so all of them accept and refuse the same values with
/// the same words. A count is whole (unless the metric is a fractional count, such as Google Ads'
/// attribution-weighted conversions), never below zero, never a percentage or an amount. An
/// amount has at most the store currency's minor-unit decimals and names no other currency.
/// Every value is within ±10^13 (`number::MAX_VALUE`).
pub fn check_reading(m: &Metric, raw: &str, r: &Reading, currency: &str) -> Result<f64> {
    let s = raw.trim();
    let unit = m.unit;
    let bad =
        |why: &str| Error::input(format!("{} is not a {} value: {why}", crate::domain::text::quote(s), unit.as_str()));
    let value = match unit {
        Unit::Currency => {
            if r.percent {
                return Err(bad("a percent sign on an amount"));
            }
            if let Some(mark) = r.currency {
                currency::check_mark(s, mark, currency)?;
            }
            money::check_decimals(s, r.decimals, currency)?;
            // Money is exact: read to the cent from the digits.
            let cents = number::cents_reading(s, r).map_err(|e| bad(e.why()))?;
            return Ok(cents as f64 / 100.0);
        }
        Unit::Count => {
            if r.percent || r.currency.is_some() || r.times {
                return Err(bad("a count is a plain number like 1,234"));
            }
            if r.negative && r.value != 0.0 {
                return Err(bad("a count is 0 or more, not below zero"));
            }
            check_whole(m, s, r.value, r.decimals == 3 && r.grouping == number::Grouping::Plain)?;
            r.value
        }
        Unit::Percent => {
            if r.currency.is_some() || r.times {
                return Err(bad("a currency sign on a percentage"));
            }
            r.value
        }
        Unit::Score | Unit::Ratio => {
            if r.currency.is_some() || r.percent {
                return Err(bad("a plain number like 3.5"));
            }
            r.value
        }
    };
    check_bound(s, value)?;
    Ok(value)
}

/// A count metric takes whole numbers: "leads is a count: 12.5 is not a whole number". When the
/// digits look like a thousands group written with a point (`1.234`), it says what was meant.
pub fn check_whole(m: &Metric, shown: &str, value: f64, looks_grouped: bool) -> Result<()> {
    if m.unit != Unit::Count || m.fractional || value.fract() == 0.0 {
        return Ok(());
    }
    let hint = if looks_grouped {
        let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
        format!(" (did you mean {}?)", digits.trim_start_matches('0'))
    } else {
        String::new()
    };
    Err(Error::input(format!("{} is a count: {shown} is not a whole number{hint}", m.key)))
}

/// Every KPI value and target is within ±10^13.
pub fn check_bound(shown: &str, value: f64) -> Result<()> {
    if value.is_finite() && value.abs() <= number::MAX_VALUE {
        return Ok(());
    }
    Err(Error::input(format!("'{shown}' is out of range: a value is at most 10,000,000,000,000")))
}

/// The rules a stored fact must meet whatever file it came from: whole counts (unless
/// fractional), whole cents for money, within the bound. `shown` names the value in the refusal.
pub fn check_fact(m: &Metric, value: f64, currency: &str) -> Result<()> {
    let shown = crate::domain::number::shortest(value);
    check_bound(&shown, value)?;
    let decimals = crate::domain::number::decimals_in(&shown);
    match m.unit {
        Unit::Count => {
            if value < 0.0 {
                return Err(Error::input(format!(
                    "'{shown}' is not a count value: a count is 0 or more, not below zero"
                )));
            }
            check_whole(m, &shown, value, decimals == 3)
        }
        Unit::Currency => money::check_decimals(&shown, decimals, currency),
        _ => Ok(()),
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
    let value = parse_value(m, input.value, currency).map_err(|e| e.in_field(EntryField::VALUE))?;
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
            fractional: false,
        }
    }

    #[test]
    fn values_are_read_as_people_type_them_and_checked_against_the_metric() {
        let count = metric("leads", Unit::Count, None);
        let money = metric("spend", Unit::Currency, None);
        let pct = metric("ctr", Unit::Percent, None);
        let ratio = metric("roas", Unit::Ratio, None);
        let v = |m: &Metric, s: &str| parse_value(m, s, "USD");
        assert_eq!(v(&count, "1,234").unwrap(), 1234.0);
        assert_eq!(v(&money, "$1,234.50").unwrap(), 1234.5);
        assert_eq!(v(&pct, "12.5%").unwrap(), 12.5);
        assert_eq!(v(&pct, "12.5").unwrap(), 12.5);
        assert_eq!(v(&ratio, "3.5x").unwrap(), 3.5);
        assert!(v(&count, "12.5%").is_err());
        assert!(v(&count, "$12").is_err());
        assert_eq!(v(&count, "1 234").unwrap(), 1234.0);
        assert_eq!(v(&count, "12.5").unwrap_err().to_string(), "leads is a count: 12.5 is not a whole number");
        assert_eq!(
            v(&count, "1.234").unwrap_err().to_string(),
            "leads is a count: 1.234 is not a whole number (did you mean 1234?)"
        );
        let conversions = Metric { fractional: true, ..metric("conversions", Unit::Count, None) };
        assert_eq!(v(&conversions, "10.5").unwrap(), 10.5, "weighted conversions are fractional");
        assert!(v(&count, "-3").unwrap_err().to_string().contains("below zero"));
        assert!(v(&count, "1e400").is_err());
        assert!(v(&count, "12,34.5").is_err());
        assert!(v(&money, "12%").is_err());
        assert!(v(&money, "€12").unwrap_err().to_string().contains("store keeps USD"));
        assert_eq!(
            parse_value(&money, "12.5", "JPY").unwrap_err().to_string(),
            "'12.5' is not an amount: JPY has no minor unit: whole amounts only"
        );
        assert!(v(&pct, "$3").is_err());
        assert!(v(&ratio, "abc").is_err());
        assert_eq!(
            v(&count, "10000000000001").unwrap_err().to_string(),
            "'10000000000001' is out of range: a value is at most 10,000,000,000,000"
        );
        assert!(v(&pct, "99999999999999").is_err(), "targets are bounded too");
    }

    #[test]
    fn a_stored_fact_meets_the_same_rules() {
        let count = metric("leads", Unit::Count, None);
        let money = metric("spend", Unit::Currency, None);
        assert!(check_fact(&count, 12.0, "USD").is_ok());
        assert_eq!(
            check_fact(&count, 12.5, "USD").unwrap_err().to_string(),
            "leads is a count: 12.5 is not a whole number"
        );
        assert!(check_fact(&money, 2035.28, "USD").is_ok());
        assert!(check_fact(&money, 1.005, "USD").unwrap_err().to_string().contains("2 decimals at most"));
        assert!(check_fact(&count, 2e13, "USD").unwrap_err().to_string().contains("out of range"));
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
