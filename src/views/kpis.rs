//! `kpi list` and `export kpis`: observations as scripts read them.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::kpi::ChannelNotice;
use crate::store::Store;
use crate::store::error::{Error, Result};
use crate::store::imports::KpiExportRow;
use crate::store::kpis::{Observation, ObservationFilter};

/// Which observations to list: one metric (named in any case) and an inclusive range of days.
#[derive(Debug, Clone, Default)]
pub struct KpiQuery {
    pub metric: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The observations matching `q`, oldest first. An unknown metric or a range that ends before it
/// starts is refused.
pub fn list(store: &Store, q: &KpiQuery) -> Result<Vec<Observation>> {
    let metric = match &q.metric {
        Some(k) => Some(store.kpis().metric(k)?.key),
        None => None,
    };
    if let (Some(f), Some(t)) = (q.from, q.to)
        && f > t
    {
        return Err(Error::input(format!("--from {f} is after --to {t}")));
    }
    store.kpis().observations(&ObservationFilter { metric, from: q.from, to: q.to, ..ObservationFilter::default() })
}

/// Every observation in the kpi-csv shape, so the export imports back as it is.
pub fn export_rows(store: &Store) -> Result<Vec<KpiExportRow>> {
    store.kpis().export_rows()
}

/// What `kpi record --format json` prints and the MCP tool `record_kpi` returns: the observation
/// as `kpi list --format json` shows it, and the notes the command line prints under it (a new
/// channel for the metric, a value for today that counts in pacing from tomorrow).
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    #[serde(flatten)]
    pub observation: Observation,
    pub notes: Vec<String>,
}

/// The observation `id` just recorded, with its notes.
pub fn recorded(store: &Store, id: i64, notice: Option<&ChannelNotice>, today: NaiveDate) -> Result<Recorded> {
    let observation = store.kpis().observation(id)?;
    let mut notes: Vec<String> =
        notice.map(|n| n.to_string().trim_start_matches("note: ").to_string()).into_iter().collect();
    notes.extend(crate::domain::kpi::today_note(observation.day, today).map(String::from));
    Ok(Recorded { observation, notes })
}
