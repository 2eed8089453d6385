//! The `deal_id,touched_at,channel[,campaign][,kind][,amount]` format: deals' touch histories
//! for attribution, one row per touch or milestone.
//!
//! Every row is read through the import's own grammars (dates, channel aliases, money), and each
//! deal's rows are then built into its attribution path (`domain::attribution::path`) so that a
//! second closed-won row or a milestone that could mark two touches is refused here, at the row
//! that makes it so, not later when a report is asked for.

use std::collections::HashMap;

use chrono::{NaiveDateTime, NaiveTime};

use super::Fact;
use super::kpi_csv::check_exact_header;
use super::sink::Sink;
use super::table::{Table, cell, opt_cell};
use crate::domain::attribution::{AttributionError, Deal, Touch, TouchKind, path};

const COLUMNS: [&str; 6] = ["deal_id", "touched_at", "channel", "campaign", "kind", "amount"];

/// One row read, kept with its line until every row of its deal is known.
struct Row {
    line: usize,
    deal: String,
    touch: Touch,
    amount_cents: Option<i64>,
}

pub(super) fn parse(text: &str, sink: &mut Sink<'_>) {
    let anchors: Vec<&[&str]> = COLUMNS.iter().map(std::slice::from_ref).collect();
    let mut table = match Table::by_columns(text, &anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let h = &table.header;
    check_exact_header(h, sink, &COLUMNS, "touches-csv");
    let cols = (h.require(sink, &["deal_id"]), h.require(sink, &["touched_at"]), h.require(sink, &["channel"]));
    let (Some(deal_col), Some(at_col), Some(channel_col)) = cols else {
        return;
    };
    if !sink.errors.is_empty() {
        return;
    }
    let (campaign_col, kind_col, amount_col) = (h.find(&["campaign"]), h.find(&["kind"]), h.find(&["amount"]));
    // Every touches file is one report: a later export replaces the same deals' rows.
    sink.source("deal", &["touches"]);
    let mut rows: Vec<Row> = Vec::new();

    table.rows(sink, |sink, h, line, rec| {
        let deal = cell(rec, deal_col);
        if deal.is_empty() {
            sink.error(line, h.name(deal_col), "empty deal id");
        }
        let at = instant(sink, cell(rec, at_col)).map_err(|e| sink.error(line, h.name(at_col), e));
        let kind_name = kind_col.map_or("kind", |c| h.name(c));
        let kind = TouchKind::parse(opt_cell(rec, kind_col)).map_err(|e| sink.error(line, kind_name, e.to_string()));
        let channel = sink.own_channel(line, h.name(channel_col), cell(rec, channel_col));
        let amount_name = amount_col.map_or("amount", |c| h.name(c));
        let amount = match sink.money(line, amount_name, opt_cell(rec, amount_col)) {
            Some(Some(c)) if c < 0 => {
                sink.error(line, amount_name, "a deal's amount is never negative");
                Err(())
            }
            Some(a) => Ok(a),
            None => Err(()),
        };
        let (false, Ok(at), Ok(kind), Some(channel), Ok(amount)) = (deal.is_empty(), at, kind, channel, amount) else {
            return;
        };
        let channel = (!channel.is_empty()).then_some(channel);
        if kind == TouchKind::Touch && channel.is_none() {
            return sink.error(
                line,
                h.name(channel_col),
                "a touch names its channel (only a milestone row may leave it empty)",
            );
        }
        match (kind, amount) {
            (TouchKind::DealCreated | TouchKind::ClosedWon, _) | (_, None) => {}
            (_, Some(_)) => {
                return sink.error(
                    line,
                    amount_name,
                    "only a deal-created or closed-won row carries the deal's amount",
                );
            }
        }
        if kind == TouchKind::ClosedWon && amount.is_none() {
            return sink.error(line, amount_name, "a closed-won row carries the deal's amount (the revenue credited)");
        }
        let campaign = opt_cell(rec, campaign_col);
        let campaign = (!campaign.is_empty()).then(|| campaign.to_string());
        rows.push(Row {
            line,
            deal: deal.to_string(),
            touch: Touch { at, channel, campaign, kind },
            amount_cents: amount,
        });
    });
    check_paths(sink, &rows);
    push_facts(sink, rows);
}

/// A date, or a date and a time of day: `2026-09-20`, `2026-09-20 10:15`, `2026-09-20T10:15:30`
/// (any date the import reads, with a time after an ISO date). A time is read as written: local,
/// no zone, as the exports write it.
pub(super) fn instant(sink: &Sink<'_>, raw: &str) -> Result<NaiveDateTime, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("empty date".to_string());
    }
    let (date, time) = match s.as_bytes().get(4) == Some(&b'-') {
        true => match s.find(['T', ' ']) {
            Some(i) => (&s[..i], s[i + 1..].trim()),
            None => (s, ""),
        },
        false => (s, ""),
    };
    let day = sink.dates.parse(date)?;
    if time.is_empty() {
        return Ok(day.and_time(NaiveTime::MIN));
    }
    ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(time, f).ok())
        .map(|t| day.and_time(t))
        .ok_or_else(|| format!("unrecognised time '{time}' in '{s}' (expected HH:MM or HH:MM:SS, local time, no zone)"))
}

/// Builds each deal's path over all its rows, so a milestone given twice or one that could mark
/// either of two touches is refused at the row that makes it so.
fn check_paths(sink: &mut Sink<'_>, rows: &[Row]) {
    let mut deals: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let slot = *index.entry(&r.deal).or_insert_with(|| {
            deals.push((&r.deal, Vec::new()));
            deals.len() - 1
        });
        deals[slot].1.push(i);
    }
    for (id, members) in deals {
        let touches: Vec<Touch> = members.iter().map(|&i| rows[i].touch.clone()).collect();
        // Every row counts: the conversion is the deal's last row, whichever goal is asked later.
        let Some(last) = touches.iter().map(|t| t.at).max() else { continue };
        let deal = Deal { id: id.to_string(), amount_cents: 0, converted_at: last, touches };
        let Err(e) = path(&deal) else { continue };
        let line_of = |kind: TouchKind, nth: usize| {
            members.iter().map(|&i| &rows[i]).filter(|r| r.touch.kind == kind).nth(nth).map_or(1, |r| r.line)
        };
        match e {
            AttributionError::DuplicateMilestone { kind, .. } => {
                let first = line_of(kind, 0);
                let msg = format!(
                    "deal {id}: a second {kind} row (the first is line {first}); a deal has one, keep the right one"
                );
                sink.error(line_of(kind, 1), "kind", msg);
            }
            AttributionError::AmbiguousMilestone { kind, .. } => sink.error(line_of(kind, 0), "kind", e.to_string()),
            other => sink.error(members.first().map_or(1, |&i| rows[i].line), "-", other.to_string()),
        }
    }
}

/// The rows as facts, keyed by what they say (numbered when a deal repeats a row exactly), so
/// the same history exported again gives the same keys.
fn push_facts(sink: &mut Sink<'_>, rows: Vec<Row>) {
    let mut seen: HashMap<String, u32> = HashMap::new();
    for r in rows {
        let t = r.touch;
        let base = format!(
            "{}|{}|{}|{}|{}",
            r.deal,
            t.at.format("%Y-%m-%dT%H:%M:%S"),
            t.kind.slug(),
            t.channel.as_deref().unwrap_or(""),
            t.campaign.as_deref().unwrap_or("")
        );
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let key = format!("{base}|{n}");
        sink.push(Fact::Touch {
            line: r.line,
            key,
            deal: r.deal,
            at: t.at,
            channel: t.channel,
            campaign: t.campaign,
            kind: t.kind,
            amount_cents: r.amount_cents,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Fact, Preset, parse};

    fn errors(text: &str) -> Vec<String> {
        parse(text.as_bytes(), Some(Preset::TouchesCsv)).unwrap_err().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn times_are_read_after_an_iso_date_and_keys_number_repeated_rows() {
        let text = "deal_id,touched_at,channel\nD,2026-09-20,email\nD,2026-09-20 10:15,email\n\
                    D,2026-09-20T10:15:30,email\nD,2026-09-20,email\n";
        let parsed = parse(text.as_bytes(), None).unwrap();
        assert_eq!(parsed.preset, Preset::TouchesCsv);
        let got: Vec<(String, String)> = parsed
            .facts
            .iter()
            .map(|f| match f {
                Fact::Touch { at, key, .. } => (at.to_string(), key.clone()),
                _ => panic!("not a touch"),
            })
            .collect();
        assert_eq!(got[0], ("2026-09-20 00:00:00".into(), "D|2026-09-20T00:00:00|touch|email||1".into()));
        assert_eq!(got[1].0, "2026-09-20 10:15:00");
        assert_eq!(got[2].0, "2026-09-20 10:15:30");
        assert_eq!(got[3].1, "D|2026-09-20T00:00:00|touch|email||2");
    }

    #[test]
    fn rows_that_cannot_be_a_history_are_refused_at_their_line() {
        let e = errors(
            "deal_id,touched_at,channel,kind,amount\n,2026-09-20,email,,\nD,2026-09-20 25:00,email,,\n\
             D,2026-09-21,,touch,\nD,2026-09-22,,deal-created,-5.00\n",
        );
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e[0].starts_with("2: deal_id: empty deal id"), "{e:?}");
        assert!(e[1].starts_with("3: touched_at: unrecognised time '25:00'"), "{e:?}");
        assert!(e[2].starts_with("4: channel: a touch names its channel"), "{e:?}");
        assert!(e[3].starts_with("5: amount: a deal's amount is never negative"), "{e:?}");
        let e = errors("deal_id,touched_at,channel,stage\nD,2026-09-20,email,x\n");
        assert!(e[0].starts_with("1: stage: unexpected column (touches-csv takes deal_id"), "{e:?}");
    }
}
