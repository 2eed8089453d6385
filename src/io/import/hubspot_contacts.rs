//! HubSpot contact exports: funnel counts (leads, MQLs, SQLs, opps) per create day and original source.

use super::date::parse_date;
use super::hubspot_deals::{SOURCE_COLUMNS, add};
use super::sink::Sink;
use super::table::{Table, cell, opt_cell};
use super::text::{slug, squash};

/// Funnel stages in order; a contact counts once in every stage up to and including its own.
const FUNNEL: [&str; 4] = ["leads", "mqls", "sqls", "opps"];

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
pub(super) fn parse(text: &str, sink: &mut Sink) {
    let anchors: &[&[&str]] = &[&["Lifecycle Stage"], &["Create Date"], &["Record ID"], SOURCE_COLUMNS];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let h = &table.header;
    let cols = (h.require(sink, &["Lifecycle Stage"]), h.require(sink, &["Create Date"]));
    let (Some(stage_col), Some(create_col)) = cols else {
        return;
    };
    let source_col = h.find(SOURCE_COLUMNS);

    table.rows(sink, |sink, h, line, rec| {
        let day = match parse_date(cell(rec, create_col)) {
            Ok(d) => d,
            Err(e) => return sink.error(line, h.name(create_col), e),
        };
        // Stages outside the funnel are not errors: HubSpot allows custom stages and they are
        // reported as skipped so the counts can be reconciled with HubSpot's own.
        let depth = match depth(cell(rec, stage_col)) {
            Ok(d) => d,
            Err(reason) => return sink.skip(line, reason),
        };
        let channel = slug(opt_cell(rec, source_col));
        for metric in &FUNNEL[..depth] {
            add(sink, line, metric, day, &channel, 1.0);
        }
    });
}
