//! The `winloss-csv` preset, `deal,closed_on,outcome,competitor,reason[,segment][,amount]`: one
//! deal's outcome per row, for win/loss and the positioning triggers. Also the one place a deal
//! outcome becomes a fact, which the HubSpot deals preset shares.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::Fact;
use super::kpi_csv::check_exact_header;
use super::sink::Sink;
use super::table::{Table, cell, opt_cell};
use crate::domain::winloss::{DealOutcome, Outcome, WinLossError};

const COLUMNS: [&str; 7] = ["deal", "closed_on", "outcome", "competitor", "reason", "segment", "amount"];

pub(super) fn parse(text: &str, sink: &mut Sink<'_>) {
    let anchors: Vec<&[&str]> = COLUMNS.iter().map(std::slice::from_ref).collect();
    let mut table = match Table::by_columns(text, &anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let h = &table.header;
    check_exact_header(h, sink, &COLUMNS, "winloss-csv");
    let cols = (
        h.require(sink, &["deal"]),
        h.require(sink, &["closed_on"]),
        h.require(sink, &["outcome"]),
        h.require(sink, &["competitor"]),
        h.require(sink, &["reason"]),
    );
    let (Some(deal_col), Some(close_col), Some(outcome_col), Some(competitor_col), Some(reason_col)) = cols else {
        return;
    };
    if !sink.errors.is_empty() {
        return;
    }
    let (segment_col, amount_col) = (h.find(&["segment"]), h.find(&["amount"]));
    let mut deals = Deals::default();

    table.rows(sink, |sink, h, line, rec| {
        let deal = cell(rec, deal_col);
        if deal.is_empty() {
            sink.error(line, h.name(deal_col), "empty deal id (each row is one deal: give its id)");
        }
        let outcome =
            Outcome::parse(cell(rec, outcome_col)).map_err(|e| sink.error(line, h.name(outcome_col), e.to_string()));
        let closed_on = match cell(rec, close_col) {
            "" => Ok(None),
            raw => sink.dates.parse(raw).map(Some).map_err(|e| sink.error(line, h.name(close_col), e)),
        };
        let amount = match amount_col {
            Some(col) => amount_cents(sink, line, h.name(col), cell(rec, col)),
            None => Ok(None),
        };
        let (false, Ok(outcome), Ok(closed_on), Ok(amount_cents)) = (deal.is_empty(), outcome, closed_on, amount)
        else {
            return;
        };
        let o = DealOutcome {
            deal: deal.to_string(),
            closed_on,
            outcome,
            competitor: optional(cell(rec, competitor_col)),
            reason: optional(cell(rec, reason_col)),
            segment: optional(opt_cell(rec, segment_col)),
            amount_cents,
        };
        deals.push(sink, line, h.name(close_col), h.name(deal_col), o);
    });
}

/// A deal amount: money as people write it (the file's number grammar, the store's currency),
/// never negative. `Err` once the problem is recorded.
fn amount_cents(sink: &mut Sink<'_>, line: usize, column: &str, raw: &str) -> Result<Option<i64>, ()> {
    match sink.money(line, column, raw) {
        Some(Some(c)) if c < 0 => {
            sink.error(line, column, format!("negative deal amount '{}'", raw.trim()));
            Err(())
        }
        Some(a) => Ok(a),
        None => Err(()),
    }
}

/// An optional text cell: empty is none.
pub(super) fn optional(raw: &str) -> Option<String> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The deals of one file, each once.
#[derive(Default)]
pub(super) struct Deals {
    /// deal id => the line it was first on.
    seen: HashMap<String, usize>,
}

impl Deals {
    /// Adds one deal's outcome as a fact, refusing a closed deal without a close date and a
    /// deal given twice (which of two rows is the truth is the user's to settle). A close
    /// date after today is the store's to refuse: parsing does not know what day it is.
    pub(super) fn push(
        &mut self,
        sink: &mut Sink<'_>,
        line: usize,
        close_column: &str,
        deal_column: &str,
        o: DealOutcome,
    ) {
        if let Err(e @ WinLossError::NoCloseDate { .. }) = o.check(NaiveDate::MAX) {
            return sink.error(line, close_column, e.to_string());
        }
        if let Some(first) = self.seen.get(&o.deal) {
            let msg = format!("deal {} is also on line {first}: one row per deal (keep the one that is true)", o.deal);
            return sink.error(line, deal_column, msg);
        }
        self.seen.insert(o.deal.clone(), line);
        sink.push(Fact::Outcome { line, key: format!("deal|{}", o.deal), outcome: o });
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Preset, parse as parse_file};
    use super::*;

    fn outcomes(text: &str) -> Vec<DealOutcome> {
        let parsed = parse_file(text.as_bytes(), Some(Preset::WinlossCsv)).unwrap();
        parsed
            .facts
            .into_iter()
            .map(|f| match f {
                Fact::Outcome { outcome, .. } => outcome,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    fn errors(text: &str) -> Vec<String> {
        parse_file(text.as_bytes(), Some(Preset::WinlossCsv)).unwrap_err().iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn rows_become_outcomes() {
        let got = outcomes(
            "deal,closed_on,outcome,competitor,reason,segment,amount\n\
             D-1,2026-10-01,Won,Acme,,Enterprise,\"$12,000\"\n\
             D-2,2026-10-02,lost,ACME,Security review,,\n\
             D-3,,open,,,,\n",
        );
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].outcome, Outcome::Won);
        assert_eq!(got[0].amount_cents, Some(1_200_000));
        assert_eq!(got[0].segment.as_deref(), Some("Enterprise"));
        assert_eq!(got[1].reason.as_deref(), Some("Security review"));
        assert_eq!((got[2].closed_on, got[2].competitor.as_deref()), (None, None));
    }

    #[test]
    fn the_five_columns_are_enough() {
        let got = outcomes("deal,closed_on,outcome,competitor,reason\nD-1,2026-10-01,won,Acme,\n");
        assert_eq!(got[0].segment, None);
    }

    #[test]
    fn bad_rows_are_refused_one_line_each() {
        let errs = errors(
            "deal,closed_on,outcome,competitor,reason\n\
             D-1,2026-10-01,closed,Acme,\n\
             D-2,,lost,Acme,Price\n\
             D-3,2026-10-01,won,Acme,\n\
             D-3,2026-10-02,lost,Acme,\n",
        );
        assert_eq!(
            errs,
            [
                "2: outcome: 'closed' is not an outcome (one of: won, lost, open)",
                "3: closed_on: deal D-2: a lost deal needs the date it closed",
                "5: deal: deal D-3 is also on line 4: one row per deal (keep the one that is true)",
            ]
        );
        assert_eq!(
            errors("deal,closed_on,outcome,competitor,reason,stage\n")[0],
            "1: stage: unexpected column (winloss-csv takes deal, closed_on, outcome, competitor, reason, segment, amount)"
        );
    }
}
