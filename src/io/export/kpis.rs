//! `export kpis`: every observation in the kpi-csv shape `date,metric,value,channel` (CSV or JSON),
//! so that `mktg import` reads the export back unchanged.

use chrono::NaiveDateTime;

use crate::domain::kpi::{Metric, format_value};
use crate::domain::text::{fit, fit_right};
use crate::io::error::{Error, Result};
use crate::output::{Format, csv, json};
use crate::store::Store;
use crate::store::kpis::Observation;

/// The kpis as `format` (CSV when `None`).
pub fn export(store: &Store, format: Option<Format>, _now: NaiveDateTime) -> Result<String> {
    let rows = crate::views::kpis::export_rows(store)?;
    match format.unwrap_or(Format::Csv) {
        Format::Csv => {
            // `{}` prints the shortest decimal that reads back as the same f64: exact round trips.
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.date.format("%Y-%m-%d").to_string(),
                        r.metric.clone(),
                        r.value.to_string(),
                        r.channel.clone(),
                    ]
                })
                .collect();
            csv(&["date", "metric", "value", "channel"], &cells)
        }
        Format::Json => json(&rows),
        other => Err(Error::input(format!("'export kpis' writes csv or json, not {other:?}").to_lowercase())),
    }
}

/// `kpi list --format csv`: one observation a row, ids and all.
pub fn list_csv(rows: &[Observation]) -> Result<String> {
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|o| {
            vec![
                o.id.to_string(),
                o.metric.clone(),
                o.day.to_string(),
                o.channel.clone(),
                o.campaign_id.map(|c| c.to_string()).unwrap_or_default(),
                crate::domain::number::shortest(o.value),
            ]
        })
        .collect();
    csv(&["id", "metric", "day", "channel", "campaign_id", "value"], &body)
}

/// `kpi list`: one observation a line, its value in its metric's unit.
pub fn list_text(rows: &[Observation], metrics: &[Metric], currency: &str) -> String {
    let mut s = String::new();
    for o in rows {
        let unit = metrics.iter().find(|m| m.key == o.metric).map(|m| m.unit);
        let v = unit.map(|u| format_value(u, o.value, currency, false)).unwrap_or_else(|| o.value.to_string());
        s.push_str(&format!(
            "{} {} {} {} {}\n",
            fit_right(&format!("#{}", o.id), 8),
            o.day,
            fit(&o.metric, 14),
            fit(&o.channel, 14),
            fit_right(&v, 14)
        ));
    }
    if rows.is_empty() {
        s.push_str("no observations\n");
    }
    s
}
