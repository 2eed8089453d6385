//! `attribution` as text (a channels × models table) or CSV; JSON is the view's own.

use crate::domain::attribution::{By, Goal};
use crate::domain::money;
use crate::domain::text::{fit, fit_right, width};
use crate::io::error::{Error, Result};
use crate::output::{Format, csv, json};
use crate::views::attribution::Readout;

/// A readout as `format`.
pub fn render(r: &Readout, format: Format) -> Result<String> {
    match format {
        Format::Text => Ok(text(r)),
        Format::Csv => csv_rows(r),
        Format::Json => json(&r.json()),
        Format::Markdown | Format::Ics => Err(Error::input("attribution prints as text, csv or json")),
    }
}

fn key_header(r: &Readout) -> &'static str {
    match r.report.by {
        By::Channel => "channel",
        By::Campaign => "campaign",
    }
}

fn key_cell(key: &Option<String>) -> String {
    key.clone().unwrap_or_else(|| "(no campaign)".into())
}

/// The heading, the table, then what was not attributed and where weights were renormalised.
fn text(r: &Readout) -> String {
    let (rep, q) = (&r.report, &r.query);
    let m = |c: i64| money::format(c, &r.currency);
    let what = match q.goal {
        Goal::Revenue => "closed-won revenue",
        Goal::Pipeline => "pipeline",
    };
    let mut out = format!(
        "Attribution of {what}, {} ({} to {}), by {}: {} deal{}, {}\n",
        q.period.label(),
        q.period.start,
        q.period.end(),
        key_header(r),
        rep.deals,
        if rep.deals == 1 { "" } else { "s" },
        m(rep.cents)
    );
    if rep.rows.is_empty() {
        out += "no deal with touches converted in this period (import a touches-csv: mktg import FILE --preset touches-csv)\n";
    } else {
        let header: Vec<String> =
            std::iter::once(key_header(r).to_string()).chain(rep.models.iter().map(|m| m.slug().to_string())).collect();
        let mut table: Vec<Vec<String>> = rep
            .rows
            .iter()
            .map(|row| std::iter::once(key_cell(&row.key)).chain(row.cents.iter().map(|c| m(*c))).collect())
            .collect();
        table.push(std::iter::once("total".to_string()).chain(rep.models.iter().map(|_| m(rep.cents))).collect());
        let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
        for row in &table {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(c));
            }
        }
        let line = |cells: &[String]| {
            let parts: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| if i == 0 { fit(c, *w) } else { fit_right(c, *w) })
                .collect();
            parts.join("  ").trim_end().to_string() + "\n"
        };
        out += &line(&header);
        for row in &table {
            out += &line(row);
        }
    }
    let u = rep.unattributed;
    out += &format!(
        "unattributed: {} deal{}, {} (no touch at or before the conversion)\n",
        u.deals,
        if u.deals == 1 { "" } else { "s" },
        m(u.cents)
    );
    let missing: Vec<String> = rep
        .models
        .iter()
        .zip(&rep.missing_milestones)
        .filter(|(_, n)| **n > 0)
        .map(|(model, n)| format!("{model} {n}"))
        .collect();
    if !missing.is_empty() {
        out += &format!(
            "deals missing a milestone the model weighs (its other weights renormalised): {}\n",
            missing.join(", ")
        );
    }
    out
}

/// One row per channel (or campaign), one column per model, amounts in currency units with a
/// dot and no grouping, so a spreadsheet in any locale reads them as numbers.
fn csv_rows(r: &Readout) -> Result<String> {
    let rep = &r.report;
    let mut header = vec![key_header(r).to_string()];
    header.extend(rep.models.iter().map(|m| m.slug().to_string()));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = rep
        .rows
        .iter()
        .map(|row| {
            std::iter::once(row.key.clone().unwrap_or_default())
                .chain(row.cents.iter().map(|c| format!("{}.{:02}", c / 100, c % 100)))
                .collect()
        })
        .collect();
    csv(&header, &rows)
}
