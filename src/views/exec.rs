//! `report exec`: the executive update. It leads with decisions (those needed: still to be
//! taken, due within two weeks, overdue or undated; those made in the period, today's too; those
//! decided and being carried out), then the risks (budget: campaigns over plan or heading there;
//! launches: Tier 1 inside their lead time with items open), then the KPI headline for the
//! period: the same brief as the dashboard and `mktg brief`, so they never disagree.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::{Value, json};

use crate::brief::Brief;
use crate::config::Config;
use crate::domain::feeds::LaunchAlert;
use crate::domain::model::{DecisionStatus, Tier};
use crate::domain::period_choice::PeriodChoice;
use crate::store::Store;
use crate::store::decisions::Decision;
use crate::store::error::Result;

/// How far ahead the executive update looks for decisions needed.
pub const EXEC_HORIZON_DAYS: i64 = 14;

/// Bump when a field changes meaning or goes away (adding fields does not).
pub const SCHEMA: u32 = 1;

/// A campaign over its plan, or heading there at its current pace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetRisk {
    pub campaign_id: i64,
    pub name: String,
    pub period: String,
    pub planned_cents: i64,
    pub spent_cents: i64,
    /// Spent past the plan already (0 when only the forecast is over).
    pub over_cents: i64,
    /// Where the quarter ends at the current pace, when it is still running.
    pub forecast_cents: Option<i64>,
    /// "over plan" (spent past it) or "forecast over plan".
    pub kind: &'static str,
}

#[derive(Debug, Clone)]
pub struct ExecReport {
    pub today: NaiveDate,
    pub now: NaiveDateTime,
    /// Proposed: still to be taken. Soonest first, undated last.
    pub needed: Vec<Decision>,
    /// Decided (or done) and logged within the period shown, or today.
    pub made: Vec<Decision>,
    /// Decided, being carried out, due within the horizon.
    pub decided: Vec<Decision>,
    pub budget_risk: Vec<BudgetRisk>,
    /// Tier 1 launches inside their lead time with readiness items open.
    pub launch_risk: Vec<LaunchAlert>,
    /// The brief behind the KPI headline (and the period).
    pub brief: Brief,
}

impl ExecReport {
    /// The update for the month to date (or the month just closed, on the 1st).
    pub fn build(store: &Store, config: &Config, now: NaiveDateTime) -> Result<ExecReport> {
        ExecReport::build_at(store, config, now, PeriodChoice::default())
    }

    /// The update for the period `choice` resolves to: `--period last-quarter` is a quarter close.
    pub fn build_at(store: &Store, config: &Config, now: NaiveDateTime, choice: PeriodChoice) -> Result<ExecReport> {
        let today = now.date();
        let brief = Brief::build_at(store, config, now, choice)?;
        let due = store.decisions().needed(today + Duration::days(EXEC_HORIZON_DAYS))?;
        let (needed, decided) = due.into_iter().partition(|d| d.status == DecisionStatus::Proposed);
        // Made (logged as decided, or closed) within the period shown: a closed quarter's own
        // decisions, not later ones; and today's as well, so the morning after a close still
        // carries the decision taken at 08:30.
        let (from, last) = (brief.shown.period.start, brief.shown.period.end());
        let counts = |t: NaiveDateTime| t <= now && ((t.date() >= from && t.date() <= last) || t.date() == today);
        let made = store
            .decisions()
            .all()?
            .into_iter()
            .filter(|d| matches!(d.status, DecisionStatus::Decided | DecisionStatus::Done))
            .filter(|d| counts(d.made_at) || d.closed_at.is_some_and(counts))
            .rev()
            .collect();
        let mut budget_risk: Vec<BudgetRisk> = store
            .budget()
            .over_plan(today)?
            .into_iter()
            .filter(|o| !o.ended || o.open())
            .map(|o| BudgetRisk {
                campaign_id: o.id,
                name: o.name,
                period: o.period,
                planned_cents: o.planned_cents,
                spent_cents: o.spent_cents,
                over_cents: o.over_cents,
                forecast_cents: None,
                kind: "over plan",
            })
            .collect();
        let quarter = brief.burn.period.clone();
        for c in brief.campaign_alerts.iter().filter(|c| c.deviation > 0.0) {
            let forecast = (c.planned_cents as f64 * (1.0 + c.deviation)).round() as i64;
            budget_risk.push(BudgetRisk {
                campaign_id: c.id,
                name: c.name.clone(),
                period: quarter.clone(),
                planned_cents: c.planned_cents,
                spent_cents: c.spent_cents,
                over_cents: 0,
                forecast_cents: Some(forecast),
                kind: "forecast over plan",
            });
        }
        let launch_risk =
            brief.launch_alerts.iter().filter(|l| l.tier == Tier(1) && l.open_items > 0).cloned().collect();
        Ok(ExecReport { today, now, needed, made, decided, budget_risk, launch_risk, brief })
    }

    /// The stable JSON shape (`report exec --format json`, the MCP tool `report_exec`); the KPI
    /// headline is the brief's own `period` and `kpis`, so the report and the brief never disagree.
    pub fn json(&self) -> Value {
        let brief = crate::brief::to_json(&self.brief);
        let launches: Vec<Value> = self
            .launch_risk
            .iter()
            .map(|l| {
                json!({
                    "id": l.id, "name": l.name, "tier": l.tier.0, "launch_date": l.launch_date.to_string(),
                    "days_left": (l.launch_date - self.today).num_days(), "lead_weeks": l.lead_weeks,
                    "open_items": l.open_items, "open_baseline": l.open_baseline,
                })
            })
            .collect();
        json!({
            "schema": SCHEMA,
            "today": self.today.to_string(),
            "period": brief["period"],
            "horizon_days": EXEC_HORIZON_DAYS,
            "decisions_needed": self.needed,
            "decisions_made": self.made,
            "being_carried_out": self.decided,
            "budget_risk": self.budget_risk,
            "launch_risk": launches,
            "kpi_headline": {
                "period": brief["period"],
                "data_through": brief["data_through"],
                "currency": brief["currency"],
                "kpis": brief["kpis"],
            },
        })
    }
}
