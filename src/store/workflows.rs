//! Workflows: recurring work in the locked 9-point structure, its four criteria, the five
//! backlog questions and the rank the strategy owner sets. Names are matched case- and
//! dash-insensitively (`name_norm`), as campaign names are.
//!
//! A workflow with a blank answer cannot hold a rank: triage that blanks an answer drops the
//! workflow from the ranking and the others close up, so ranks always read 1..n.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use rusqlite::{Row, params};

use super::cadence::Cadence;
use super::fmt_instant;
use super::kpis::Kpis;
use super::team::refuse;
use super::tx::{Db, Read, Write};
use crate::domain::text::{close_matches, name_key};
use crate::domain::workflow::template::{Sections, WorkflowDoc};
use crate::domain::workflow::{
    Category, Criteria, Question, Section, Triage, WorkflowError, WorkflowSummary, check_rankable, place,
    resolve_workflow,
};
use crate::store::error::{Error, Result};

/// The nine section columns, in the locked order.
const SECTION_COLUMNS: [&str; 9] = [
    "objective",
    "trigger_text",
    "inputs",
    "processing",
    "outputs",
    "consumers",
    "decisions_informed",
    "quality_checks",
    "failure_loop",
];

const SUMMARY_COLUMNS: &str = "id, name, category, owner, meeting_key, end_to_end, cross_functional, repeatable,
    ai_relevant, who, unblocks, breaks, why_now, impact, rank";

/// A new workflow as typed; the category, meeting and metrics are checked by [`Workflows::add`].
#[derive(Debug, Clone, Default)]
pub struct NewWorkflow {
    pub name: String,
    pub category: String,
    pub owner: Option<String>,
    pub meeting: Option<String>,
    pub metrics: Vec<String>,
}

/// What `workflow edit` changes besides the document: `None` keeps the stored value; an empty
/// owner or meeting clears it, an empty list of metrics clears them.
#[derive(Debug, Clone, Default)]
pub struct WorkflowPatch {
    pub category: Option<String>,
    pub owner: Option<String>,
    pub meeting: Option<String>,
    pub metrics: Option<Vec<String>>,
}

impl WorkflowPatch {
    pub fn is_empty(&self) -> bool {
        self.category.is_none() && self.owner.is_none() && self.meeting.is_none() && self.metrics.is_none()
    }
}

/// The five answers as given; `None` keeps the stored answer.
#[derive(Debug, Clone, Default)]
pub struct TriageInput {
    pub who: Option<String>,
    pub unblocks: Option<String>,
    pub breaks: Option<String>,
    pub why_now: Option<String>,
    pub impact: Option<String>,
}

/// After triage: the workflow, and whether it lost its rank by becoming untriaged.
#[derive(Debug, Clone, PartialEq)]
pub struct Triaged {
    pub workflow: WorkflowSummary,
    pub rank_dropped: bool,
}

impl Triaged {
    /// The questions still blank: untriaged while any is.
    pub fn blank(&self) -> Vec<Question> {
        self.workflow.triage.blank()
    }
}

fn criterion(v: Option<i64>) -> Option<bool> {
    v.map(|v| v != 0)
}

fn summary_row(r: &Row) -> rusqlite::Result<(i64, WorkflowSummary)> {
    let category: String = r.get(2)?;
    let category = Category::parse(&category)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok((
        r.get(0)?,
        WorkflowSummary {
            name: r.get(1)?,
            category,
            owner: r.get::<_, Option<String>>(3)?.filter(|s| !s.trim().is_empty()),
            meeting: r.get(4)?,
            metrics: Vec::new(),
            criteria: Criteria {
                end_to_end: criterion(r.get(5)?),
                cross_functional: criterion(r.get(6)?),
                repeatable: criterion(r.get(7)?),
                ai_relevant: criterion(r.get(8)?),
            },
            triage: Triage {
                who: r.get(9)?,
                unblocks: r.get(10)?,
                breaks: r.get(11)?,
                why_now: r.get(12)?,
                impact: r.get(13)?,
            },
            rank: r.get::<_, Option<i64>>(14)?.map(|n| n as usize),
        },
    ))
}

/// `store.workflows()` reads them; `tx.workflows()` also adds, edits, triages and ranks.
pub struct Workflows<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

impl<'a, M> Workflows<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Workflows { db }
    }

    /// Every workflow with its metrics, in the order added.
    pub fn all(&self) -> Result<Vec<WorkflowSummary>> {
        Ok(self.with_ids()?.into_iter().map(|(_, w)| w).collect())
    }

    fn with_ids(&self) -> Result<Vec<(i64, WorkflowSummary)>> {
        let conn = self.db.conn();
        let mut stmt = conn.prepare_cached(&format!("SELECT {SUMMARY_COLUMNS} FROM workflow ORDER BY id"))?;
        let mut list: Vec<(i64, WorkflowSummary)> =
            stmt.query_map([], summary_row)?.collect::<rusqlite::Result<_>>()?;
        let mut metrics: HashMap<i64, Vec<String>> = HashMap::new();
        let mut stmt =
            conn.prepare_cached("SELECT workflow_id, metric_key FROM workflow_metric ORDER BY workflow_id, rowid")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, key) = row?;
            metrics.entry(id).or_default().push(key);
        }
        for (id, w) in &mut list {
            w.metrics = metrics.remove(id).unwrap_or_default();
        }
        Ok(list)
    }

    /// The workflow `given` names (any case or dash, or a unique start of its name).
    pub fn get(&self, given: &str) -> Result<WorkflowSummary> {
        Ok(self.find(given)?.1)
    }

    fn find(&self, given: &str) -> Result<(i64, WorkflowSummary)> {
        let list = self.with_ids()?;
        let summaries: Vec<WorkflowSummary> = list.iter().map(|(_, w)| w.clone()).collect();
        let name = resolve_workflow(given, &summaries).map_err(|e| refuse(e, "workflow"))?.name.clone();
        list.into_iter().find(|(_, w)| w.name == name).ok_or_else(|| Error::input(format!("no workflow '{given}'")))
    }

    /// The workflow's criteria and its nine sections.
    pub fn doc(&self, given: &str) -> Result<(WorkflowSummary, WorkflowDoc)> {
        let (id, w) = self.find(given)?;
        let sql = format!("SELECT {} FROM workflow WHERE id = ?1", SECTION_COLUMNS.join(", "));
        let texts: [String; 9] = self.db.conn().query_row(&sql, [id], |r| {
            Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?])
        })?;
        Ok((w.clone(), WorkflowDoc { criteria: w.criteria, sections: Sections(texts) }))
    }

    /// A meeting by template key or name (or a unique start of the name) → its key.
    fn meeting_key(&self, given: &str) -> Result<String> {
        let templates = Cadence::new(self.db).templates_current()?;
        let k = name_key(given);
        if let Some(t) = templates.iter().find(|t| name_key(&t.key) == k || name_key(&t.name) == k) {
            return Ok(t.key.clone());
        }
        let mut starts = templates.iter().filter(|t| name_key(&t.name).starts_with(&k) || t.key.starts_with(&k));
        match (starts.next(), starts.next()) {
            (Some(t), None) if !k.is_empty() => Ok(t.key.clone()),
            _ => {
                let keys: Vec<&str> = templates.iter().map(|t| t.key.as_str()).collect();
                let near = close_matches(&k, keys.iter().copied());
                let hint = if near.is_empty() {
                    format!("one of: {}", keys.join(", "))
                } else {
                    format!("did you mean {}?", near.join(" or "))
                };
                Err(refuse(format!("'{}' is not a meeting ({hint})", given.trim()), "meeting"))
            }
        }
    }

    fn metric_keys(&self, given: &[String]) -> Result<Vec<String>> {
        let kpis = Kpis::new(self.db);
        let mut out: Vec<String> = Vec::new();
        for m in given.iter().flat_map(|m| m.split(',')).map(str::trim).filter(|m| !m.is_empty()) {
            let key = kpis.metric(m).map_err(|e| refuse(e, "metrics"))?.key;
            if !out.contains(&key) {
                out.push(key);
            }
        }
        Ok(out)
    }
}

impl Workflows<'_, Write> {
    /// Add a workflow in one of the nine categories. The owner is kept as written (a team member
    /// or not: Sales and Product own workflows too); the meeting and metrics must exist.
    pub fn add(&self, w: &NewWorkflow, now: NaiveDateTime) -> Result<WorkflowSummary> {
        let name = w.name.trim();
        if name.is_empty() {
            return Err(refuse(WorkflowError::BlankName, "name"));
        }
        let category = Category::parse(&w.category).map_err(|e| refuse(e, "category"))?;
        if let Some(same) = self.all()?.into_iter().find(|x| name_key(&x.name) == name_key(name)) {
            return Err(refuse(format!("'{}' is already a workflow", same.name), "name"));
        }
        let meeting = w.meeting.as_deref().filter(|m| !m.trim().is_empty()).map(|m| self.meeting_key(m)).transpose()?;
        let metrics = self.metric_keys(&w.metrics)?;
        let owner = w.owner.as_deref().map(str::trim).filter(|o| !o.is_empty());
        let conn = self.db.conn();
        conn.execute(
            "INSERT INTO workflow(name, name_norm, category, owner, meeting_key, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![name, name_key(name), category.slug(), owner, meeting, fmt_instant(now)],
        )?;
        let id = conn.last_insert_rowid();
        self.set_metrics(id, &metrics)?;
        self.get(name)
    }

    fn set_metrics(&self, id: i64, metrics: &[String]) -> Result<()> {
        let conn = self.db.conn();
        conn.execute("DELETE FROM workflow_metric WHERE workflow_id = ?1", [id])?;
        for m in metrics {
            conn.execute("INSERT INTO workflow_metric(workflow_id, metric_key) VALUES (?1, ?2)", params![id, m])?;
        }
        Ok(())
    }

    /// Change the category, owner, meeting or metrics; what is `None` stays.
    pub fn patch(&self, given: &str, p: &WorkflowPatch, now: NaiveDateTime) -> Result<WorkflowSummary> {
        let (id, w) = self.find(given)?;
        let conn = self.db.conn();
        if let Some(c) = &p.category {
            let c = Category::parse(c).map_err(|e| refuse(e, "category"))?;
            conn.execute("UPDATE workflow SET category = ?2 WHERE id = ?1", params![id, c.slug()])?;
        }
        if let Some(o) = &p.owner {
            let o = Some(o.trim()).filter(|o| !o.is_empty());
            conn.execute("UPDATE workflow SET owner = ?2 WHERE id = ?1", params![id, o])?;
        }
        if let Some(m) = &p.meeting {
            let key = if m.trim().is_empty() { None } else { Some(self.meeting_key(m)?) };
            conn.execute("UPDATE workflow SET meeting_key = ?2 WHERE id = ?1", params![id, key])?;
        }
        if let Some(ms) = &p.metrics {
            let keys = self.metric_keys(ms)?;
            self.set_metrics(id, &keys)?;
        }
        conn.execute("UPDATE workflow SET updated_at = ?2 WHERE id = ?1", params![id, fmt_instant(now)])?;
        self.get(&w.name)
    }

    /// Save an edited document: the four criteria and the nine sections, all replaced.
    pub fn save_doc(&self, given: &str, doc: &WorkflowDoc, now: NaiveDateTime) -> Result<WorkflowSummary> {
        let (id, w) = self.find(given)?;
        let sets: Vec<String> = SECTION_COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 2)).collect();
        let sql = format!(
            "UPDATE workflow SET {}, end_to_end = ?11, cross_functional = ?12, repeatable = ?13, ai_relevant = ?14,
             updated_at = ?15 WHERE id = ?1",
            sets.join(", ")
        );
        let s = |x: Section| doc.sections.get(x).to_string();
        let c = |v: Option<bool>| v.map(i64::from);
        self.db.conn().execute(
            &sql,
            params![
                id,
                s(Section::Objective),
                s(Section::Trigger),
                s(Section::Inputs),
                s(Section::Processing),
                s(Section::Outputs),
                s(Section::Consumers),
                s(Section::DecisionsInformed),
                s(Section::QualityChecks),
                s(Section::FailureFeedbackLoop),
                c(doc.criteria.end_to_end),
                c(doc.criteria.cross_functional),
                c(doc.criteria.repeatable),
                c(doc.criteria.ai_relevant),
                fmt_instant(now)
            ],
        )?;
        self.get(&w.name)
    }

    /// Store the answers given (the others stay). Blank answers are kept blank: the workflow stays
    /// untriaged, and one that held a rank loses it.
    pub fn triage(&self, given: &str, t: &TriageInput, now: NaiveDateTime) -> Result<Triaged> {
        let (id, w) = self.find(given)?;
        let keep = |new: &Option<String>, old: &str| new.as_deref().map(str::trim).unwrap_or(old).to_string();
        let next = Triage {
            who: keep(&t.who, &w.triage.who),
            unblocks: keep(&t.unblocks, &w.triage.unblocks),
            breaks: keep(&t.breaks, &w.triage.breaks),
            why_now: keep(&t.why_now, &w.triage.why_now),
            impact: keep(&t.impact, &w.triage.impact),
        };
        self.db.conn().execute(
            "UPDATE workflow SET who = ?2, unblocks = ?3, breaks = ?4, why_now = ?5, impact = ?6, updated_at = ?7
             WHERE id = ?1",
            params![id, next.who, next.unblocks, next.breaks, next.why_now, next.impact, fmt_instant(now)],
        )?;
        let rank_dropped = w.rank.is_some() && !next.is_triaged();
        if rank_dropped {
            let others: Vec<String> = self.ranked()?.into_iter().filter(|n| *n != w.name).collect();
            self.write_ranks(&others)?;
        }
        Ok(Triaged { workflow: self.get(&w.name)?, rank_dropped })
    }

    /// The triaged workflows that hold a rank, by rank.
    fn ranked(&self) -> Result<Vec<String>> {
        let mut list: Vec<WorkflowSummary> = self.all()?.into_iter().filter(|w| w.rank.is_some()).collect();
        list.sort_by_key(|w| w.rank);
        Ok(list.into_iter().filter(|w| w.triage.is_triaged()).map(|w| w.name).collect())
    }

    /// Ranks 1..n in `order`; every other workflow unranked.
    fn write_ranks(&self, order: &[String]) -> Result<()> {
        let conn = self.db.conn();
        // Cleared first: `rank` is UNIQUE, so a swap cannot be written row by row.
        conn.execute("UPDATE workflow SET rank = NULL WHERE rank IS NOT NULL", [])?;
        for (i, name) in order.iter().enumerate() {
            conn.execute("UPDATE workflow SET rank = ?2 WHERE name = ?1", params![name, i as i64 + 1])?;
        }
        Ok(())
    }

    /// Put a triaged workflow at `rank` (1 first); the others keep their order. Returns the
    /// ranked names, first to last.
    pub fn rank(&self, given: &str, rank: usize, now: NaiveDateTime) -> Result<Vec<String>> {
        let (id, w) = self.find(given)?;
        check_rankable(&w).map_err(|e| refuse(e, "workflow"))?;
        let order = place(&self.ranked()?, &w.name, rank).map_err(|e| refuse(e, "rank"))?;
        self.write_ranks(&order)?;
        self.db.conn().execute("UPDATE workflow SET updated_at = ?2 WHERE id = ?1", params![id, fmt_instant(now)])?;
        Ok(order)
    }
}

#[cfg(test)]
mod tests;
