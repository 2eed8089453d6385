//! HubSpot deal exports: pipeline on creation, revenue/won/lost on close, summed per day and
//! original traffic source. Won and lost are decided by the `Is Closed Won` / `Is closed lost`
//! columns when the export has them (the "all properties" export), else by the stage label; a
//! custom stage that looks closed (`Closed: abandoned`, `Dead Deals`) is refused until the config
//! says what it is, never counted as open.

use chrono::NaiveDate;

use super::DealOutcome;
use super::date::push_iso;
use super::sink::Sink;
use super::table::{Table, cell, opt_cell};
use crate::domain::import::squash;

pub(super) const SOURCE_COLUMNS: &[&str] = &["Original Traffic Source", "Original Source", "Original Source Type"];
const CREATE_DATE_HINT: &str = "missing; in HubSpot choose Export with \"Include all properties\", or add Create Date \
                                to the view before exporting";

/// The outcome a stage label says, from the config first, then HubSpot's own labels and ids.
fn stage(raw: &str, sink: &Sink<'_>) -> Result<DealOutcome, String> {
    let s = squash(raw);
    if let Some(o) = sink.opts.settings.stages.get(&s) {
        return Ok(*o);
    }
    match s.as_str() {
        "closedwon" | "won" => Ok(DealOutcome::Won),
        "closedlost" | "lost" => Ok(DealOutcome::Lost),
        _ if ["closed", "lost", "dead", "abandon", "won", "churn"].iter().any(|w| s.contains(w)) => Err(format!(
            "stage '{}' looks closed but is neither won nor lost; export with the \"Is closed lost\" column, or map \
             it in config: [import.hubspot_stages] \"{}\" = \"lost\"",
            raw.trim(),
            raw.trim()
        )),
        _ => Ok(DealOutcome::Open),
    }
}

fn truthy(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" | "" => Some(false),
        _ => None,
    }
}

pub(super) fn parse(text: &str, sink: &mut Sink<'_>) {
    let anchors: &[&[&str]] =
        &[&["Deal Stage"], &["Amount"], &["Close Date"], &["Create Date"], &["Record ID"], &["Deal Name"]];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let h = &table.header;
    if h.find(&["Create Date"]).is_none() {
        sink.error(h.line, "Create Date", CREATE_DATE_HINT);
    }
    let cols = (
        h.require(sink, &["Deal Stage"]),
        h.require(sink, &["Amount", "Amount in company currency"]),
        h.require(sink, &["Close Date"]),
        h.find(&["Create Date"]),
    );
    let (Some(stage_col), Some(amount_col), Some(close_col), Some(create_col)) = cols else {
        return;
    };
    // A multi-currency portal's deals in the company's currency: the one the store is checked against.
    let amount_col = h.find(&["Amount in company currency"]).unwrap_or(amount_col);
    let won_col = h.find(&["Is Closed Won"]);
    let lost_col = h.find(&["Is closed lost"]);
    let source_col = h.find(SOURCE_COLUMNS);
    let mut read = vec![stage_col, amount_col, close_col, create_col];
    read.extend(won_col.iter().chain(&lost_col).chain(&source_col));
    read.extend(h.find(&["Amount"]));
    sink.not_read(h.unread(&read));
    let dimension = if source_col.is_some() { "original traffic source" } else { "none" };
    sink.source(dimension, &["pipeline", "revenue", "won", "lost"]);
    sink.merge_reason("one row per deal, summed per day and channel");
    if source_col.is_none() {
        sink.note("no Original Traffic Source column: the deals' facts have no channel");
    }

    table.rows(sink, |sink, h, line, rec| {
        // Every bad cell in the row is reported, so no early returns until all are read.
        let mut ok = true;
        let created = match sink.dates.parse(cell(rec, create_col)) {
            Ok(d) => Some(d),
            Err(e) => {
                sink.error(line, h.name(create_col), e);
                ok = false;
                None
            }
        };
        let amount = match sink.money(line, h.name(amount_col), cell(rec, amount_col)) {
            Some(Some(c)) if c < 0 => {
                sink.error(
                    line,
                    h.name(amount_col),
                    format!("negative deal amount {}", crate::domain::text::quote(cell(rec, amount_col))),
                );
                ok = false;
                None
            }
            Some(a) => a,
            None => {
                ok = false;
                None
            }
        };
        let outcome = match (won_col, lost_col) {
            (None, None) => stage(cell(rec, stage_col), sink),
            _ => match (truthy(opt_cell(rec, won_col)), truthy(opt_cell(rec, lost_col))) {
                (Some(true), Some(true)) => Err("the deal is marked both closed won and closed lost".to_string()),
                (Some(true), _) => Ok(DealOutcome::Won),
                (_, Some(true)) => Ok(DealOutcome::Lost),
                (Some(false), Some(false)) => Ok(DealOutcome::Open),
                _ => Err("Is Closed Won / Is closed lost: expected true or false".to_string()),
            },
        };
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                sink.error(line, h.name(stage_col), e);
                ok = false;
                DealOutcome::Open
            }
        };
        let closed = match (outcome, cell(rec, close_col)) {
            (DealOutcome::Open, _) => None,
            (_, "") => {
                sink.error(line, h.name(close_col), "closed deal has no Close Date");
                ok = false;
                None
            }
            (_, raw) => sink.dates.parse(raw).map_err(|e| sink.error(line, h.name(close_col), e)).ok(),
        };
        let label = opt_cell(rec, source_col).to_string();
        let channel = match source_col {
            Some(i) => sink.channel(line, h.name(i), &label, true),
            None => Some(String::new()),
        };
        let (Some(created), Some(channel), true) = (created, channel, ok) else {
            return;
        };
        if let Some(c) = amount {
            add_cents(sink, line, "pipeline", created, &channel, c);
        }
        match (outcome, closed) {
            (DealOutcome::Won, Some(day)) => {
                // A won deal without an amount still counts as a win; its revenue is just unknown (0).
                add_cents(sink, line, "revenue", day, &channel, amount.unwrap_or(0));
                add(sink, line, "won", day, &channel, 1.0);
            }
            (DealOutcome::Lost, Some(day)) => add(sink, line, "lost", day, &channel, 1.0),
            _ => {}
        }
    });
}

fn key(metric: &str, day: NaiveDate, channel: &str) -> String {
    let mut key = String::with_capacity(metric.len() + channel.len() + 12);
    key.push_str(metric);
    key.push('|');
    push_iso(&mut key, day);
    key.push('|');
    key.push_str(channel);
    key
}

/// Aggregated per (metric, day, channel); shared with the contacts preset, which keys the same way.
pub(super) fn add(sink: &mut Sink<'_>, line: usize, metric: &str, day: NaiveDate, channel: &str, value: f64) {
    sink.add_kpi(line, key(metric, day, channel), metric, day, channel, None, value, "");
}

fn add_cents(sink: &mut Sink<'_>, line: usize, metric: &str, day: NaiveDate, channel: &str, cents: i64) {
    sink.add_kpi_cents(line, key(metric, day, channel), metric, day, channel, None, cents, "");
}
