//! Export of budget: a quarter's campaigns with plan, spend, pacing and returns, as text, CSV,
//! JSON (money as integer cents) or Markdown. `budget list` prints the same.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::budget::{
    BucketShare, CampaignRow, Elapsed, bucket_split, format_multiple, format_percent, pacing_label, totals,
};
use crate::domain::calendar::Pacing;
use crate::domain::money;
use crate::domain::period::{Grain, Period};
use crate::domain::text::{fit, fit_right};
use crate::io::error::{Error, Result};
use crate::output::{Format, csv, json, md};
use crate::store::Store;
use crate::views::budget::BudgetReadout;

/// The budget as `format` (CSV when `None`) for `period` (a quarter; the current one when `None`),
/// paced by `pacing`.
pub fn export(
    store: &Store,
    format: Option<Format>,
    now: NaiveDateTime,
    period: Option<&Period>,
    pacing: &Pacing,
) -> Result<String> {
    let current = Period::containing(Grain::Quarter, now.date());
    list(store, period.unwrap_or(&current), now.date(), pacing, format.unwrap_or(Format::Csv))
}

/// `period`'s campaigns as `format`.
pub fn list(store: &Store, period: &Period, today: NaiveDate, pacing: &Pacing, format: Format) -> Result<String> {
    render(&BudgetReadout::load(store, period, today, pacing)?, format)
}

/// A budget readout as `format`.
pub fn render(b: &BudgetReadout, format: Format) -> Result<String> {
    let (period, rows, elapsed, currency) = (&b.period, b.rows.as_slice(), b.elapsed, b.currency.as_str());
    match format {
        Format::Text => Ok(text(period, rows, elapsed, currency)),
        Format::Csv => csv_rows(period, rows, elapsed, currency),
        Format::Json => json(&b.json()),
        Format::Markdown => Ok(markdown(period, rows, elapsed, currency)),
        Format::Ics => Err(Error::input("the budget exports as text, csv, json or markdown, not ics")),
    }
}

/// One row's cells as plain strings; money exact with `m`.
fn cells(r: &CampaignRow, m: &dyn Fn(i64) -> String, currency: &str) -> Vec<String> {
    vec![
        r.facts.name.clone(),
        r.facts.channel.clone(),
        r.facts.bucket.map(|b| b.as_str().to_string()).unwrap_or_default(),
        m(r.facts.planned_cents),
        m(r.facts.spent_cents),
        m(r.remaining_cents),
        pacing_label(r, currency),
        r.forecast_cents.map(m).unwrap_or_else(|| "n/a".into()),
        format!("{:.0}", r.facts.leads),
        r.cpl_cents.map(m).unwrap_or_else(|| "n/a".into()),
        m(r.facts.pipeline_cents),
        m(r.facts.won_cents),
        format_percent(r.roi),
        format_multiple(r.roas),
        format_multiple(r.pipeline_per_spend),
    ]
}

const HEADER: [&str; 15] = [
    "campaign",
    "channel",
    "bucket",
    "planned",
    "spent",
    "remaining",
    "pacing",
    "forecast",
    "leads",
    "cpl",
    "pipeline",
    "closed_won",
    "roi",
    "roas",
    "pipeline_per_spend",
];

fn all_rows(rows: &[CampaignRow], elapsed: Elapsed, m: &dyn Fn(i64) -> String, currency: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = rows.iter().map(|r| cells(r, m, currency)).collect();
    out.push(cells(&totals(rows, elapsed), m, currency));
    out
}

fn text(period: &Period, rows: &[CampaignRow], elapsed: Elapsed, currency: &str) -> String {
    let m = |c: i64| money::format(c, currency);
    let table = all_rows(rows, elapsed, &m, currency);
    let mut widths: Vec<usize> = HEADER.iter().map(|h| h.len()).collect();
    for row in &table {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(crate::domain::text::width(c));
        }
    }
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| if i < 3 || i == 6 { fit(c, *w) } else { fit_right(c, *w) })
            .collect();
        parts.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = format!(
        "{} · day {} of {} · pacing counts complete days (spend through yesterday)\n",
        period.label(),
        elapsed.days,
        elapsed.period_days
    );
    out += &line(&HEADER.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    for row in &table {
        out += &line(row);
    }
    for b in bucket_split(rows) {
        out += &bucket_line(&b, currency);
    }
    out
}

/// "core: planned $345,000 (target $347,900, gap -$2,900), spent $190,000".
fn bucket_line(b: &BucketShare, currency: &str) -> String {
    let m = |c: i64| money::format(c, currency);
    format!(
        "{} {}%: planned {} (target {}, gap {}), spent {}\n",
        b.bucket,
        b.bucket.target_share(),
        m(b.planned_cents),
        m(b.target_cents),
        m(b.gap_cents),
        m(b.spent_cents)
    )
}

/// CSV for spreadsheets: the quarter in its own column (so exports of several quarters stack),
/// plain decimal amounts, ratios as numbers (empty when n/a), so no cell reads as a formula.
fn csv_rows(period: &Period, rows: &[CampaignRow], elapsed: Elapsed, currency: &str) -> Result<String> {
    let m = |c: i64| money::format_plain(c).replace(',', "");
    let ratio = |v: Option<f64>| v.map(|x| format!("{x:.4}")).unwrap_or_default();
    let mut table = all_rows(rows, elapsed, &m, currency);
    let all: Vec<CampaignRow> = rows.iter().cloned().chain([totals(rows, elapsed)]).collect();
    for (cells, r) in table.iter_mut().zip(&all) {
        cells[12] = ratio(r.roi);
        cells[13] = ratio(r.roas);
        cells[14] = ratio(r.pipeline_per_spend);
        cells.insert(0, period.to_string());
    }
    let header: Vec<&str> = ["period"].into_iter().chain(HEADER).collect();
    csv(&header, &table)
}

fn markdown(period: &Period, rows: &[CampaignRow], elapsed: Elapsed, currency: &str) -> String {
    let m = |c: i64| money::format(c, currency);
    let mut out = format!("# Budget {}\n\nDay {} of {}.\n\n", period.label(), elapsed.days, elapsed.period_days);
    out += &format!("| {} |\n", HEADER.join(" | "));
    out += &format!(
        "|{}\n",
        HEADER.iter().enumerate().map(|(i, _)| if i < 3 || i == 6 { "---|" } else { "---:|" }).collect::<String>()
    );
    for row in all_rows(rows, elapsed, &m, currency) {
        out += &format!("| {} |\n", row.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | "));
    }
    out += "\n## 70/20/10\n\n";
    for b in bucket_split(rows) {
        out += &format!("- {}", md(&bucket_line(&b, currency)));
    }
    out
}
