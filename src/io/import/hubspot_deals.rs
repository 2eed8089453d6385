//! HubSpot deal exports: pipeline on creation, revenue/won/lost on close, summed per day and
//! original traffic source. Won and lost are decided by the `Is Closed Won` / `Is closed lost`
//! columns when the export has them (the "all properties" export), else by the stage label; a
//! custom stage that looks closed (`Closed: abandoned`, `Dead Deals`) is refused until the config
//! says what it is, never counted as open. When the export carries a competitor or a
//! loss-reason column, each deal's outcome for win/loss too (the common property names, or the
//! portal's own from config `[import.hubspot-deals]`).

use chrono::NaiveDate;

use super::StageOutcome as DealOutcome;
use super::date::push_iso;
use super::hubspot_contacts::moment;
use super::sink::Sink;
use super::table::{Header, Table, cell, opt_cell};
use super::winloss_csv::{Deals, optional};
use crate::domain::attribution::{DealStatus, HubspotDeal, HubspotRecord};
use crate::domain::import::{DealColumns, squash};
use crate::domain::winloss::{self, Outcome};

pub(super) const SOURCE_COLUMNS: &[&str] = &["Original Traffic Source", "Original Source", "Original Source Type"];
const LATEST_SOURCE_COLUMNS: &[&str] = &["Latest Traffic Source", "Latest Source"];
const CREATE_DATE_HINT: &str = "missing; in HubSpot choose Export with \"Include all properties\", or add Create Date \
                                to the view before exporting";

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

impl OutcomeColumns {
    fn all(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.id)
            .chain(self.competitor)
            .chain(self.lost_reason)
            .chain(self.won_reason)
            .chain(self.segment)
    }
}

/// The columns for deal outcomes: a configured name first, then the common names. `None` when
/// the file has neither a competitor nor a loss-reason column: it brings no outcomes then.
fn outcome_columns(h: &Header, sink: &mut Sink<'_>, custom: &DealColumns) -> Option<OutcomeColumns> {
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
    let custom = sink.opts.settings.hubspot_deals.clone();
    let outcomes = outcome_columns(h, sink, &custom);
    // Deals naming their contacts are kept for milestone paths (joined to a contacts export).
    let milestone_cols = match h.find(&["Associated Contact IDs", "Associated Contact"]) {
        Some(c) => h.require(sink, &["Record ID", "Deal ID"]).map(|id| (id, c, h.find(LATEST_SOURCE_COLUMNS))),
        None => None,
    };
    let mut deals = Deals::default();
    let mut read = vec![stage_col, amount_col, close_col, create_col];
    read.extend(won_col.iter().chain(&lost_col).chain(&source_col));
    read.extend(outcomes.iter().flat_map(OutcomeColumns::all));
    read.extend(h.find(&["Amount"]));
    read.extend(milestone_cols.iter().flat_map(|(a, b, c)| [Some(*a), Some(*b), *c]).flatten());
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
        if let Some(cols) = &outcomes {
            let id = cell(rec, cols.id);
            if id.is_empty() {
                return sink.error(line, h.name(cols.id), "empty deal id: win/loss needs each deal's Record ID");
            }
            let (won_lost, reason_col) = match outcome {
                DealOutcome::Won => (Outcome::Won, cols.won_reason),
                DealOutcome::Lost => (Outcome::Lost, cols.lost_reason),
                DealOutcome::Open => (Outcome::Open, None),
            };
            // "Competitors" may list several ("Acme;Globex"): the first is the one the deal was against.
            let competitor = opt_cell(rec, cols.competitor).split(';').next().unwrap_or("");
            // An open deal's Close Date is its expected close: kept for win/loss when readable.
            let closed_on = match outcome {
                DealOutcome::Open => sink.dates.parse(cell(rec, close_col)).ok(),
                _ => closed,
            };
            let o = winloss::DealOutcome {
                deal: id.to_string(),
                closed_on,
                outcome: won_lost,
                competitor: optional(competitor),
                reason: optional(opt_cell(rec, reason_col)),
                segment: optional(opt_cell(rec, cols.segment)),
                amount_cents: amount,
            };
            let (close, id_col) = (h.name(close_col).to_string(), h.name(cols.id).to_string());
            deals.push(sink, line, &close, &id_col, o);
        }
        if let Some(cols) = milestone_cols {
            let ctx = Milestone { line, created: cell(rec, create_col), close: (close_col, closed), amount };
            if let Some(d) = milestone_deal(sink, h, rec, cols, &ctx, outcome, &channel) {
                sink.hubspot.push(HubspotRecord::Deal(d));
            }
        }
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

/// What the row loop already read of a deal, for its milestone fields.
struct Milestone<'a> {
    line: usize,
    created: &'a str,
    close: (usize, Option<NaiveDate>),
    amount: Option<i64>,
}

/// The deal's milestone fields, when it has an id and names contacts (else `None`, no error:
/// a deal without contacts simply has no derived path).
fn milestone_deal(
    sink: &mut Sink<'_>,
    h: &Header,
    rec: &csv::StringRecord,
    (id_col, contacts_col, latest_col): (usize, usize, Option<usize>),
    m: &Milestone<'_>,
    outcome: DealOutcome,
    channel: &str,
) -> Option<HubspotDeal> {
    let id = cell(rec, id_col);
    // HubSpot joins several associated ids with ';' (some exports with ',').
    let contacts: Vec<String> =
        cell(rec, contacts_col).split([';', ',']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    if id.is_empty() || contacts.is_empty() {
        return None;
    }
    let created_at = moment(sink, m.line, "Create Date", m.created).ok()??;
    let (close_col, closed) = m.close;
    let closed_at = match closed {
        Some(_) => moment(sink, m.line, h.name(close_col), cell(rec, close_col)).ok()?,
        None => None,
    };
    let latest_channel = match latest_col {
        Some(c) => sink.channel(m.line, h.name(c), cell(rec, c), true)?,
        None => String::new(),
    };
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Some(HubspotDeal {
        id: id.to_string(),
        created_at,
        channel: some(channel),
        contacts,
        outcome: match outcome {
            DealOutcome::Open => DealStatus::Open,
            DealOutcome::Won => DealStatus::Won,
            DealOutcome::Lost => DealStatus::Lost,
        },
        closed_at,
        latest_channel: some(&latest_channel),
        amount_cents: m.amount,
    })
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
