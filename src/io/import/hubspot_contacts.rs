//! HubSpot contact exports: funnel counts (leads, MQLs, SQLs, opps) per day and original traffic
//! source. A stage is dated on its own `Became a ... Date` column when the export has it (an MQL
//! on the day it became one), else on the Create Date.

use chrono::{NaiveDateTime, NaiveTime};

use super::hubspot_deals::{SOURCE_COLUMNS, add};
use super::sink::Sink;
use super::table::Header;
use super::table::{Table, cell, opt_cell};
use super::touches_csv::instant;
use crate::domain::attribution::{HubspotContact, HubspotRecord};
use crate::domain::import::squash;

/// Funnel stages in order, with the column HubSpot dates each one by.
const FUNNEL: [(&str, &str); 4] = [
    ("leads", "Became a Lead Date"),
    ("mqls", "Became a Marketing Qualified Lead Date"),
    ("sqls", "Became a Sales Qualified Lead Date"),
    ("opps", "Became an Opportunity Date"),
];

/// How many funnel stages a lifecycle stage has passed, or why it counts in none.
fn depth(raw: &str) -> Result<usize, String> {
    match squash(raw).as_str() {
        "lead" => Ok(1),
        "marketingqualifiedlead" | "mql" => Ok(2),
        "salesqualifiedlead" | "sql" => Ok(3),
        // Customers and evangelists went through every stage on their way.
        "opportunity" | "customer" | "evangelist" => Ok(4),
        "subscriber" => Err("lifecycle stage 'subscriber' is not counted as a lead".to_string()),
        "other" => Err("lifecycle stage 'other' is outside the funnel".to_string()),
        "" => Err("no lifecycle stage".to_string()),
        _ => Err(format!("unknown lifecycle stage {}", crate::domain::text::quote(raw.trim()))),
    }
}

/// Personal columns (names, emails, phones) are never looked up, so they cannot leak into facts,
/// skip reasons or error messages.
pub(super) fn parse(text: &str, sink: &mut Sink<'_>) {
    let anchors: &[&[&str]] = &[&["Lifecycle Stage"], &["Create Date"], &["Record ID"], SOURCE_COLUMNS];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let h = &table.header;
    if h.find(&["Lifecycle Stage"]).is_none() {
        let msg = "a HubSpot contacts export without Lifecycle Stage; add Lifecycle Stage, Create Date and Original \
                   Traffic Source to the view (or export with \"Include all properties\")";
        return sink.error(h.line, "-", msg);
    }
    let cols = (h.require(sink, &["Lifecycle Stage"]), h.require(sink, &["Create Date"]));
    let (Some(stage_col), Some(create_col)) = cols else {
        return;
    };
    let source_col = h.find(SOURCE_COLUMNS);
    let became: Vec<Option<usize>> = FUNNEL.iter().map(|(_, col)| h.find(&[col])).collect();
    // Only what is read is named as not read: personal columns are listed by name, never by value.
    // Record ID (with First Conversion Date) is kept for milestone paths, joined to deals' ids.
    let id_col = h.find(&["Record ID", "Contact ID"]);
    let conversion_col = h.find(&["First Conversion Date"]);
    let mut read = vec![stage_col, create_col];
    read.extend(source_col.iter().chain(became.iter().flatten()).chain(&id_col).chain(&conversion_col));
    sink.not_read(h.unread(&read));
    let dimension = if source_col.is_some() { "original traffic source" } else { "none" };
    sink.source(dimension, &["leads", "mqls", "sqls", "opps"]);
    sink.merge_reason("one row per contact, counted per day and channel");
    if source_col.is_none() {
        sink.note("no Original Traffic Source column: the contacts' facts have no channel");
    }

    table.rows(sink, |sink, h, line, rec| {
        let created = match sink.dates.parse(cell(rec, create_col)) {
            Ok(d) => d,
            Err(e) => return sink.error(line, h.name(create_col), e),
        };
        // Stages outside the funnel are not errors: HubSpot allows custom stages and they are
        // reported as skipped so the counts can be reconciled with HubSpot's own.
        let depth = match depth(cell(rec, stage_col)) {
            Ok(d) => d,
            Err(reason) => return sink.skip(line, reason),
        };
        let label = opt_cell(rec, source_col).to_string();
        let channel = match source_col {
            Some(i) => sink.channel(line, h.name(i), &label, true),
            None => Some(String::new()),
        };
        let Some(channel) = channel else { return };
        if let Some(i) = id_col {
            // First Conversion Date, else Became a Lead Date, whichever this row fills first.
            let lead = [conversion_col, became[0]].into_iter().flatten().find(|&c| !cell(rec, c).trim().is_empty());
            let Some(contact) = milestone_contact(sink, line, h, rec, (i, create_col, lead), &channel) else {
                return;
            };
            sink.hubspot.extend(contact.map(HubspotRecord::Contact));
        }
        for ((metric, _), col) in FUNNEL.iter().zip(&became).take(depth) {
            let day = match opt_cell(rec, *col) {
                "" => created,
                raw => match sink.dates.parse(raw) {
                    Ok(d) => d,
                    Err(e) => return sink.error(line, h.name(col.unwrap_or(0)), e),
                },
            };
            add(sink, line, metric, day, &channel, 1.0);
        }
    });
}

/// A date-time cell as an instant (a date alone is its midnight); `None` for an empty cell.
pub(super) fn moment(sink: &mut Sink<'_>, line: usize, column: &str, raw: &str) -> Result<Option<NaiveDateTime>, ()> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    // Exports in a non-ISO locale write dates the date grammar reads; their time is then dropped.
    match instant(sink, raw).or_else(|_| sink.dates.parse(raw).map(|d| d.and_time(NaiveTime::MIN))) {
        Ok(at) => Ok(Some(at)),
        Err(e) => {
            sink.error(line, column, e);
            Err(())
        }
    }
}

/// The contact's milestone fields; `Some(None)` when the row has no id, `None` on a bad date.
fn milestone_contact(
    sink: &mut Sink<'_>,
    line: usize,
    h: &Header,
    rec: &csv::StringRecord,
    (id_col, create_col, lead_col): (usize, usize, Option<usize>),
    channel: &str,
) -> Option<Option<HubspotContact>> {
    let id = cell(rec, id_col);
    let created = moment(sink, line, h.name(create_col), cell(rec, create_col)).ok()?;
    let converted = match lead_col {
        Some(c) => moment(sink, line, h.name(c), cell(rec, c)).ok()?,
        None => None,
    };
    let (false, Some(created_at)) = (id.is_empty(), created) else { return Some(None) };
    let channel = (!channel.is_empty()).then(|| channel.to_string());
    Some(Some(HubspotContact { id: id.to_string(), created_at, channel, converted_at: converted }))
}
