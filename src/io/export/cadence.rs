//! The meeting cadence as an iCalendar file (one recurring VEVENT per template), Markdown or JSON.

use crate::domain::calendar::Calendar;
use crate::domain::ics::{IcsEvent, calendar};
use crate::io::error::{Error, Result};
use crate::output::{Format, json, md};
use crate::store::Store;
use crate::store::cadence::Template;
use crate::views::cadence::template_views;
use chrono::{NaiveDateTime, TimeZone};

/// The cadence as `format` (iCalendar when `None`), with no time zone and no holidays.
pub fn export(store: &Store, format: Option<Format>, now: NaiveDateTime) -> Result<String> {
    export_with_zone(store, format, now, None, &Calendar::default())
}

/// As [`export`], with the configured time zone written as `TZID` (floating local time without
/// one) and the configured holidays left out of every series as EXDATEs.
pub fn export_with_zone(
    store: &Store,
    format: Option<Format>,
    now: NaiveDateTime,
    tzid: Option<&str>,
    cal: &Calendar,
) -> Result<String> {
    let templates = crate::views::cadence::templates(store)?;
    match format.unwrap_or(Format::Ics) {
        Format::Ics => Ok(ics(&templates, now, tzid, cal)),
        Format::Json => json(&template_views(&templates)),
        Format::Markdown => Ok(markdown(&templates)),
        other => Err(Error::input(format!(
            "the cadence exports as ics, markdown or json, not {}",
            format!("{other:?}").to_lowercase()
        ))),
    }
}

/// One VEVENT per template in force, starting at its first occurrence on or after today
/// (or its first day, if later). The UID comes from the template's key, so it survives edits.
/// Holidays on which a series would fall are EXDATEs: the calendar shows no meeting that day.
pub fn ics(templates: &[Template], now: NaiveDateTime, tzid: Option<&str>, cal: &Calendar) -> String {
    let events: Vec<IcsEvent> = templates
        .iter()
        .filter_map(|t| {
            let rule = t.rule()?;
            let first = rule.first_on_or_after(t.valid_from.max(now.date()))?;
            let mut description = String::new();
            if !t.checklist.is_empty() {
                description.push_str("Checklist:\n");
                for item in &t.checklist {
                    description.push_str(&format!("- {item}\n"));
                }
            }
            if !t.kpis.is_empty() {
                description.push_str(&format!("KPIs: {}", t.kpis.join(", ")));
            }
            Some(IcsEvent {
                uid: format!("{}@mktg.cadence", t.key),
                summary: t.name.clone(),
                description: description.trim_end().to_string(),
                first_day: first,
                start: t.start,
                minutes: t.minutes,
                rrule: Some(rule.rrule()),
                exdates: cal.holidays().copied().filter(|h| *h >= first && rule.occurs_on(*h)).collect(),
            })
        })
        .collect();
    // DTSTAMP must be UTC: the local clock reading converted with this machine's offset.
    let utc = chrono::Local.from_local_datetime(&now).earliest().map(|t| t.naive_utc()).unwrap_or(now);
    calendar("Marketing cadence", &events, tzid, utc)
}

fn markdown(templates: &[Template]) -> String {
    let mut out = String::from("# Meeting cadence\n\n| Meeting | When | Time | Length | Checklist | KPIs |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for t in templates {
        let when = t.rule().map(|r| r.describe()).unwrap_or_else(|| t.recurrence.clone());
        out.push_str(&format!(
            "| {} | {} | {} | {} min | {} | {} |\n",
            md(&t.name),
            md(&when),
            t.start.format("%H:%M"),
            t.minutes,
            md(&t.checklist.join("; ")),
            md(&t.kpis.join(", "))
        ));
    }
    out
}
