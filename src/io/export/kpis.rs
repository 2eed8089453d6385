//! `export kpis`: every observation in the kpi-csv shape `date,metric,value,channel` (CSV or JSON),
//! so that `mktg import` reads the export back unchanged.

use chrono::NaiveDateTime;

use crate::io::error::{Error, Result};
use crate::output::{Format, csv, json};
use crate::store::Store;

/// The kpis as `format` (CSV when `None`).
pub fn export(store: &Store, format: Option<Format>, _now: NaiveDateTime) -> Result<String> {
    let rows = store.kpis().export_rows()?;
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
