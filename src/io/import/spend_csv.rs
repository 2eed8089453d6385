//! The plain `date,campaign,amount[,note][,channel]` format: one spend entry per row.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::Fact;
use super::date::push_iso;
use super::kpi_csv::check_exact_header;
use super::sink::Sink;
use super::table::{Table, cell, opt_cell};

pub(super) fn parse(text: &str, sink: &mut Sink<'_>) {
    let anchors: &[&[&str]] = &[&["date"], &["campaign"], &["amount"], &["note"], &["channel"]];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let h = &table.header;
    check_exact_header(h, sink, &["date", "campaign", "amount", "note", "channel"], "spend-csv");
    let cols = (h.require(sink, &["date"]), h.require(sink, &["campaign"]), h.require(sink, &["amount"]));
    let (Some(date_col), Some(campaign_col), Some(amount_col)) = cols else {
        return;
    };
    if !sink.errors.is_empty() {
        return;
    }
    let (note_col, channel_col) = (h.find(&["note"]), h.find(&["channel"]));
    sink.source("campaign", &["spend"]);
    // Identical (date, campaign) rows are legitimate (two invoices on one day). Numbering them in
    // file order keeps keys free of line numbers, so re-importing the same file gives the same keys.
    let mut occurrences: HashMap<(NaiveDate, String), u32> = HashMap::new();

    table.rows(sink, |sink, h, line, rec| {
        let day = sink.dates.parse(cell(rec, date_col)).map_err(|e| sink.error(line, h.name(date_col), e));
        let campaign = cell(rec, campaign_col);
        if campaign.is_empty() {
            sink.error(line, h.name(campaign_col), "empty campaign name");
        }
        // Negative amounts are allowed: a hand-kept ledger records refunds and credits that way.
        let amount = sink.money(line, h.name(amount_col), cell(rec, amount_col)).ok_or(());
        let channel = sink.channel(line, "channel", opt_cell(rec, channel_col), false);
        let (Ok(day), false, Ok(amount), Some(channel)) = (day, campaign.is_empty(), amount, channel) else {
            return;
        };
        let Some(amount_cents) = amount else {
            return sink.skip(line, "no amount");
        };
        let n = occurrences.entry((day, campaign.to_string())).or_insert(0);
        *n += 1;
        let mut key = String::with_capacity(16 + campaign.len());
        push_iso(&mut key, day);
        key.push('|');
        key.push_str(campaign);
        key.push('|');
        key.push_str(&n.to_string());
        sink.campaign(campaign, &channel);
        sink.push(Fact::Spend {
            line,
            key,
            campaign: campaign.to_string(),
            channel,
            day,
            amount_cents,
            note: opt_cell(rec, note_col).to_string(),
        });
    });
}
