//! HubSpot deal exports: pipeline on creation, revenue/won/lost on close, summed per day and source;
//! and, when the export carries a competitor or a loss-reason column, each deal's outcome for
//! win/loss (the common property names, or the portal's own from config).

use chrono::NaiveDate;

use super::date::{parse_date, push_iso};
use super::number::cents;
use super::sink::Sink;
use super::table::{Header, Table, cell, opt_cell};
use super::text::{slug, squash};
use super::winloss_csv::{Deals, optional};
use crate::domain::import::DealColumns;
use crate::domain::winloss::{DealOutcome, Outcome};

pub(super) const SOURCE_COLUMNS: &[&str] = &["Original Source", "Original Traffic Source", "Original Source Type"];

/// HubSpot's usual names for the competitor, the reasons and the segment of a deal.
const COMPETITOR_COLUMNS: &[&str] = &["Competitor", "Primary competitor", "Lost to competitor", "Competitors"];
const LOST_REASON_COLUMNS: &[&str] = &["Closed Lost Reason", "Closed lost reason", "Lost Reason"];
const WON_REASON_COLUMNS: &[&str] = &["Closed Won Reason", "Won Reason"];
const SEGMENT_COLUMNS: &[&str] = &["Segment", "Market Segment"];

/// Where a deal's win/loss facts are in this file, if it has any.
struct OutcomeColumns {
    id: usize,
    competitor: Option<usize>,
    lost_reason: Option<usize>,
    won_reason: Option<usize>,
    segment: Option<usize>,
}

/// The columns for deal outcomes: a configured name first, then the common names. `None` when
/// the file has neither a competitor nor a loss-reason column: it brings no outcomes then.
fn outcome_columns(h: &Header, sink: &mut Sink, custom: &DealColumns) -> Option<OutcomeColumns> {
    let find = |custom: &Option<String>, common: &[&str]| {
        custom.as_deref().and_then(|c| h.find(&[c])).or_else(|| h.find(common))
    };
    let competitor = find(&custom.competitor, COMPETITOR_COLUMNS);
    let lost_reason = find(&custom.reason, LOST_REASON_COLUMNS);
    let segment = find(&custom.segment, SEGMENT_COLUMNS);
    // A configured column the file lacks is said out loud: it is how a renamed property shows.
    for (name, found) in [(&custom.competitor, competitor), (&custom.reason, lost_reason), (&custom.segment, segment)] {
        if let (Some(name), None) = (name, found) {
            let msg = "configured in [import.hubspot-deals] but not in this file (check the property's label)";
            sink.error(h.line, name, msg);
        }
    }
    if competitor.is_none() && lost_reason.is_none() {
        return None;
    }
    let id = h.require(sink, &["Record ID", "Deal ID"])?;
    Some(OutcomeColumns { id, competitor, lost_reason, won_reason: h.find(WON_REASON_COLUMNS), segment })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Open,
    Won,
    Lost,
}

/// Labels and internal ids squash to the same word; custom pipeline stages are unknown and count as open.
fn stage(raw: &str) -> Stage {
    match squash(raw).as_str() {
        "closedwon" => Stage::Won,
        "closedlost" => Stage::Lost,
        _ => Stage::Open,
    }
}

pub(super) fn parse(text: &str, sink: &mut Sink, custom: &DealColumns) {
    let anchors: &[&[&str]] =
        &[&["Deal Stage"], &["Amount"], &["Close Date"], &["Create Date"], &["Record ID"], &["Deal Name"]];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let h = &table.header;
    let cols = (
        h.require(sink, &["Deal Stage"]),
        h.require(sink, &["Amount"]),
        h.require(sink, &["Close Date"]),
        h.require(sink, &["Create Date"]),
    );
    let (Some(stage_col), Some(amount_col), Some(close_col), Some(create_col)) = cols else {
        return;
    };
    let source_col = h.find(SOURCE_COLUMNS);
    let outcomes = outcome_columns(h, sink, custom);
    let mut deals = Deals::default();

    table.rows(sink, |sink, h, line, rec| {
        // Every bad cell in the row is reported, so no early returns until all three are read.
        let mut ok = true;
        let mut fail = |sink: &mut Sink, col: usize, msg: String| {
            sink.error(line, h.name(col), msg);
            ok = false;
        };
        let created = match parse_date(cell(rec, create_col)) {
            Ok(d) => Some(d),
            Err(e) => {
                fail(sink, create_col, e);
                None
            }
        };
        let amount = match cents(cell(rec, amount_col), h.sep) {
            Ok(Some(c)) if c < 0 => {
                fail(
                    sink,
                    amount_col,
                    format!("negative deal amount {}", crate::domain::text::quote(cell(rec, amount_col))),
                );
                None
            }
            Ok(a) => a,
            Err(e) => {
                fail(sink, amount_col, e);
                None
            }
        };
        let stage = stage(cell(rec, stage_col));
        let closed = match (stage, cell(rec, close_col)) {
            (Stage::Open, "") => None,
            (_, "") => {
                fail(sink, close_col, "closed deal has no Close Date".to_string());
                None
            }
            // Open deals' expected close dates are not used, but a bad one still means a broken file.
            (_, raw) => parse_date(raw).map_err(|e| fail(sink, close_col, e)).ok(),
        };
        let Some(created) = created.filter(|_| ok) else {
            return;
        };
        if let Some(cols) = &outcomes {
            let id = cell(rec, cols.id);
            if id.is_empty() {
                return sink.error(line, h.name(cols.id), "empty deal id: win/loss needs each deal's Record ID");
            }
            let (outcome, reason_col) = match stage {
                Stage::Won => (Outcome::Won, cols.won_reason),
                Stage::Lost => (Outcome::Lost, cols.lost_reason),
                Stage::Open => (Outcome::Open, None),
            };
            // "Competitors" may list several ("Acme;Globex"): the first is the one the deal was against.
            let competitor = opt_cell(rec, cols.competitor).split(';').next().unwrap_or("");
            let o = DealOutcome {
                deal: id.to_string(),
                closed_on: closed,
                outcome,
                competitor: optional(competitor),
                reason: optional(opt_cell(rec, reason_col)),
                segment: optional(opt_cell(rec, cols.segment)),
                amount_cents: amount,
            };
            let (close, id_col) = (h.name(close_col).to_string(), h.name(cols.id).to_string());
            deals.push(sink, line, &close, &id_col, o);
        }
        let channel = slug(opt_cell(rec, source_col));
        if let Some(c) = amount {
            add(sink, line, "pipeline", created, &channel, major(c));
        }
        match (stage, closed) {
            (Stage::Won, Some(day)) => {
                // A won deal without an amount still counts as a win; its revenue is just unknown (0).
                add(sink, line, "revenue", day, &channel, major(amount.unwrap_or(0)));
                add(sink, line, "won", day, &channel, 1.0);
            }
            (Stage::Lost, Some(day)) => add(sink, line, "lost", day, &channel, 1.0),
            _ => {}
        }
    });
}

/// Currency metrics are stored in major units; cents are exact so this division is the only rounding.
fn major(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// Aggregated per (metric, day, channel); shared with the contacts preset, which keys the same way.
pub(super) fn add(sink: &mut Sink, line: usize, metric: &str, day: NaiveDate, channel: &str, value: f64) {
    let mut key = String::with_capacity(metric.len() + channel.len() + 12);
    key.push_str(metric);
    key.push('|');
    push_iso(&mut key, day);
    key.push('|');
    key.push_str(channel);
    sink.add_kpi(line, key, metric, day, channel, None, value);
}
