//! `report exec`: the executive update. The decisions needed (still to be taken, due within two
//! weeks, overdue or undated) lead, then those decided and being carried out, then the KPI
//! headline: the same tiles as the dashboard and the brief.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::{Value, json};

use crate::brief::Brief;
use crate::config::Config;
use crate::domain::model::DecisionStatus;
use crate::store::Store;
use crate::store::decisions::Decision;
use crate::store::error::Result;

/// How far ahead the executive update looks for decisions needed.
pub const EXEC_HORIZON_DAYS: i64 = 14;

/// Bump when a field changes meaning or goes away (adding fields does not).
pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone)]
pub struct ExecReport {
    pub today: NaiveDate,
    /// Proposed: still to be taken. Soonest first, undated last.
    pub needed: Vec<Decision>,
    /// Decided, being carried out, due within the horizon.
    pub decided: Vec<Decision>,
    /// The brief behind the KPI headline.
    pub brief: Brief,
}

impl ExecReport {
    pub fn build(store: &Store, config: &Config, now: NaiveDateTime) -> Result<ExecReport> {
        let today = now.date();
        let due = store.decisions().needed(today + Duration::days(EXEC_HORIZON_DAYS))?;
        let (needed, decided) = due.into_iter().partition(|d| d.status == DecisionStatus::Proposed);
        Ok(ExecReport { today, needed, decided, brief: Brief::build(store, config, now)? })
    }

    /// The stable JSON shape (`report exec --format json`); the KPI headline is the brief's own
    /// `period` and `kpis`, so the report and the brief never disagree.
    pub fn json(&self) -> Value {
        let brief = crate::brief::to_json(&self.brief);
        json!({
            "schema": SCHEMA,
            "today": self.today.to_string(),
            "horizon_days": EXEC_HORIZON_DAYS,
            "decisions_needed": self.needed,
            "being_carried_out": self.decided,
            "kpi_headline": {
                "period": brief["period"],
                "data_through": brief["data_through"],
                "currency": brief["currency"],
                "kpis": brief["kpis"],
            },
        })
    }
}
