//! What `team load` and mentor mode read: six plain reads of open records into the domain's fact
//! structs. No join on owners: an owner is text, matched to the team in Rust through
//! `person_key`, so "Priya", "priya" and "Priya Shah" are one person everywhere.
//!
//! They run at every dashboard refresh, so each is one pass: launch history is grouped once
//! rather than looked up per launch.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::Team;
use crate::domain::mentor::{CampaignFact, ChecklistFact, DecisionFact, Facts, KpiFact, LaunchFact, WorkflowFact};
use crate::domain::model::Stage;
use crate::domain::period::Period;
use crate::domain::team::Person;
use crate::domain::workflow::Category;
use crate::store::error::Result;
use crate::store::parse_day;

/// The facts, owned; [`FactSet::facts`] lends them to the domain.
#[derive(Debug, Clone, Default)]
pub struct FactSet {
    pub today: NaiveDate,
    pub team: Vec<Person>,
    pub decisions: Vec<DecisionFact>,
    pub launches: Vec<LaunchFact>,
    pub campaigns: Vec<CampaignFact>,
    pub checklist: Vec<ChecklistFact>,
    pub workflows: Vec<WorkflowFact>,
    pub kpis: Vec<KpiFact>,
}

impl FactSet {
    pub fn facts(&self) -> Facts<'_> {
        Facts {
            today: self.today,
            team: &self.team,
            decisions: &self.decisions,
            launches: &self.launches,
            campaigns: &self.campaigns,
            checklist: &self.checklist,
            workflows: &self.workflows,
            kpis: &self.kpis,
        }
    }
}

fn day(s: Option<String>) -> Option<NaiveDate> {
    s.filter(|s| !s.trim().is_empty()).map(|s| parse_day(s.get(..10).unwrap_or(&s)))
}

fn text(s: String) -> Option<String> {
    (!s.trim().is_empty()).then_some(s)
}

impl<M> Team<'_, M> {
    /// Everything open that someone owns (or nobody does), as of `today`.
    pub fn facts(&self, today: NaiveDate) -> Result<FactSet> {
        Ok(FactSet {
            today,
            team: self.people()?,
            decisions: self.decision_facts()?,
            launches: self.launch_facts()?,
            campaigns: self.campaign_facts(today)?,
            checklist: self.checklist_facts()?,
            workflows: self.workflow_facts()?,
            kpis: self.kpi_facts()?,
        })
    }

    /// Open decisions. A post-mortem's follow-ups are the decisions written with it: linked to its
    /// launch, at the same instant (one transaction writes both).
    fn decision_facts(&self) -> Result<Vec<DecisionFact>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT d.id, d.title, d.owner, d.due, d.risk,
                    d.launch_id IS NOT NULL AND EXISTS (SELECT 1 FROM launch_postmortem p
                        WHERE p.launch_id = d.launch_id AND p.at = d.made_at)
             FROM decision d WHERE d.status IN ('proposed', 'decided') ORDER BY d.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DecisionFact {
                id: r.get(0)?,
                title: r.get(1)?,
                owner: text(r.get(2)?),
                due: day(r.get(3)?),
                risk: text(r.get(4)?),
                open: true,
                follow_up: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn launch_facts(&self) -> Result<Vec<LaunchFact>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT l.id, l.name, l.owner, l.stage, l.launch_date, l.success_metric, h.live, coalesce(h.overridden, 0),
                    EXISTS (SELECT 1 FROM launch_postmortem p WHERE p.launch_id = l.id)
             FROM launch l
             LEFT JOIN (SELECT launch_id, min(CASE WHEN to_stage = 'launch' THEN at END) AS live,
                               max(coalesce(trim(override_reason), '') <> '') AS overridden
                        FROM launch_stage_history GROUP BY launch_id) h ON h.launch_id = l.id
             ORDER BY l.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(LaunchFact {
                id: r.get(0)?,
                name: r.get(1)?,
                owner: text(r.get(2)?),
                stage: r.get::<_, Stage>(3)?,
                date: parse_day(&r.get::<_, String>(4)?),
                success_metric: text(r.get(5)?),
                went_live: day(r.get(6)?),
                gate_override: r.get(7)?,
                has_postmortem: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Campaigns of the current quarter and later are open; one an import created says which.
    fn campaign_facts(&self, today: NaiveDate) -> Result<Vec<CampaignFact>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT c.id, c.name, c.owner, c.period, i.id, i.file_name
             FROM campaign c
             LEFT JOIN (SELECT campaign_id, min(import_id) AS import_id FROM import_campaign GROUP BY campaign_id) ic
                    ON ic.campaign_id = c.id
             LEFT JOIN import_log i ON i.id = ic.import_id
             ORDER BY c.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut ends: HashMap<String, Option<NaiveDate>> = HashMap::new();
        let mut out = Vec::new();
        for row in rows {
            let (id, name, owner, period, import, file) = row?;
            let end = *ends.entry(period.clone()).or_insert_with(|| Period::parse(&period).ok().map(|p| p.end()));
            out.push(CampaignFact {
                id,
                name,
                owner: owner.and_then(text),
                open: end.is_none_or(|e| e >= today),
                due: None,
                created_by: import.map(|i| match file {
                    Some(f) => format!("import #{i}, {f}"),
                    None => format!("import #{i}"),
                }),
            });
        }
        Ok(out)
    }

    /// Open required items of launches not yet in post-mortem; an item without its own owner or
    /// due day is the launch's (its owner, its date).
    fn checklist_facts(&self) -> Result<Vec<ChecklistFact>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT i.id, l.name, i.label, coalesce(nullif(trim(i.owner), ''), l.owner), coalesce(i.due, l.launch_date)
             FROM launch_item i JOIN launch l ON l.id = i.launch_id
             WHERE i.required = 1 AND i.done_at IS NULL AND l.stage <> 'post-mortem'
             ORDER BY l.id, i.position, i.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ChecklistFact {
                id: r.get(0)?,
                label: format!("{}: {}", r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                owner: text(r.get(3)?),
                due: day(r.get(4)?),
                done: false,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn workflow_facts(&self) -> Result<Vec<WorkflowFact>> {
        let mut stmt = self.db.conn().prepare_cached("SELECT name, category, owner FROM workflow ORDER BY id")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, category, owner) = row?;
            // The schema's CHECK keeps the category one of the nine.
            let Ok(category) = Category::parse(&category) else { continue };
            out.push(WorkflowFact { name, category, owner: owner.and_then(text) });
        }
        Ok(out)
    }

    fn kpi_facts(&self) -> Result<Vec<KpiFact>> {
        let mut stmt =
            self.db.conn().prepare_cached("SELECT key, label, headline > 0 FROM metric ORDER BY position, key")?;
        let rows = stmt.query_map([], |r| Ok(KpiFact { key: r.get(0)?, label: r.get(1)?, headline: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
