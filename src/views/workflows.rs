//! `workflow list | show | backlog`: coverage of the nine categories (the empty ones included),
//! one workflow's nine sections, and the backlog in three parts. The same values feed the Team
//! tab and the Today view (the workflows behind a meeting).

use serde::Serialize;

use crate::domain::workflow::{Category, Criterion, Section, WorkflowSummary, backlog as split_backlog, coverage};
use crate::store::Store;
use crate::store::error::Result;

/// A workflow as lists show it: what is stored, whether it is triaged, and its questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkflowRow {
    #[serde(flatten)]
    pub summary: WorkflowSummary,
    pub triaged: bool,
    /// The backlog questions still blank (`why-now`...): untriaged while any is.
    pub blank: Vec<&'static str>,
    /// A criterion answered no: "not repeatable: a one-off project rather than a workflow?".
    pub flags: Vec<String>,
}

impl WorkflowRow {
    pub fn of(w: &WorkflowSummary) -> WorkflowRow {
        WorkflowRow {
            summary: w.clone(),
            triaged: w.triage.is_triaged(),
            blank: w.triage.blank().into_iter().map(|q| q.slug()).collect(),
            flags: w.criteria.flags(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryView {
    pub category: Category,
    pub label: &'static str,
    pub workflows: Vec<WorkflowRow>,
}

/// `workflow list`: the nine categories in order, each with its workflows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageView {
    pub categories: Vec<CategoryView>,
    /// How many categories no workflow covers.
    pub empty: usize,
}

pub fn list(store: &Store) -> Result<CoverageView> {
    Ok(coverage_of(&store.workflows().all()?))
}

pub fn coverage_of(all: &[WorkflowSummary]) -> CoverageView {
    let categories: Vec<CategoryView> = coverage(all)
        .into_iter()
        .map(|c| CategoryView {
            category: c.category,
            label: c.label,
            workflows: c.workflows.into_iter().map(WorkflowRow::of).collect(),
        })
        .collect();
    let empty = categories.iter().filter(|c| c.workflows.is_empty()).count();
    CoverageView { categories, empty }
}

/// `workflow backlog`: ranked by the user, triaged but unranked, untriaged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacklogView {
    pub ranked: Vec<WorkflowRow>,
    pub unranked: Vec<WorkflowRow>,
    pub untriaged: Vec<WorkflowRow>,
}

pub fn backlog(store: &Store) -> Result<BacklogView> {
    Ok(backlog_of(&store.workflows().all()?))
}

pub fn backlog_of(all: &[WorkflowSummary]) -> BacklogView {
    let b = split_backlog(all);
    let rows = |v: Vec<&WorkflowSummary>| v.into_iter().map(WorkflowRow::of).collect();
    BacklogView { ranked: rows(b.ranked), unranked: rows(b.unranked), untriaged: rows(b.untriaged) }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionView {
    pub section: Section,
    pub heading: &'static str,
    pub text: String,
}

/// `workflow show NAME`: the row, the nine sections in the locked order, what is still open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkflowDetail {
    #[serde(flatten)]
    pub row: WorkflowRow,
    pub sections: Vec<SectionView>,
    /// Headings with nothing under them yet: shown, not refused.
    pub empty_sections: Vec<&'static str>,
    /// Criteria not recorded yet.
    pub unrecorded: Vec<&'static str>,
}

pub fn show(store: &Store, name: &str) -> Result<WorkflowDetail> {
    let (w, doc) = store.workflows().doc(name)?;
    Ok(WorkflowDetail {
        row: WorkflowRow::of(&w),
        sections: Section::ALL
            .into_iter()
            .map(|s| SectionView { section: s, heading: s.label(), text: doc.sections.get(s).to_string() })
            .collect(),
        empty_sections: doc.sections.empty().into_iter().map(Section::label).collect(),
        unrecorded: w.criteria.unrecorded().into_iter().map(Criterion::slug).collect(),
    })
}

/// The workflows a meeting runs, by the meeting template's key (what the Today view shows).
pub fn behind_meeting(all: &[WorkflowSummary], meeting_key: &str) -> Vec<WorkflowRow> {
    crate::domain::workflow::behind_meeting(all, meeting_key).into_iter().map(WorkflowRow::of).collect()
}
