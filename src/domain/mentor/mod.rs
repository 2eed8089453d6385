//! Mentor mode: the challenges a senior operator would raise today, each a question with its
//! evidence and a link to the record. Questions, never changes: nothing here writes anything.
//!
//! The store fills the plain facts below; every check is one linear pass (owners are matched
//! through a hash map of normalised keys), so it can run at every dashboard refresh.

pub mod autonomy;
pub mod load;

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use chrono::NaiveDate;

use crate::domain::model::Stage;
use crate::domain::team::Person;
use crate::domain::text::channel_slug;
use crate::domain::workflow::Category;

pub use load::{Counts, LoadReport, OwnerLoad, team_load};

/// An open or closed decision; a post-mortem's follow-ups are decisions with `follow_up` set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DecisionFact {
    pub id: i64,
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    /// The risk if nothing is done; blank counts as missing.
    pub risk: Option<String>,
    /// Proposed or decided: someone still has to act.
    pub open: bool,
    pub follow_up: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchFact {
    pub id: i64,
    pub name: String,
    pub owner: Option<String>,
    pub stage: Stage,
    /// The planned go-live date.
    pub date: NaiveDate,
    /// When it moved to the launch stage, if it has.
    pub went_live: Option<NaiveDate>,
    pub success_metric: Option<String>,
    pub has_postmortem: bool,
    /// Any stage gate passed with an override reason.
    pub gate_override: bool,
}

impl LaunchFact {
    /// Open until its post-mortem stage: someone still owns work on it.
    pub fn open(&self) -> bool {
        self.stage != Stage::PostMortem
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CampaignFact {
    pub id: i64,
    pub name: String,
    pub owner: Option<String>,
    /// In the current or a future period.
    pub open: bool,
    pub due: Option<NaiveDate>,
    /// Where it came from when not typed ("import #7"): evidence for an owner-less campaign.
    pub created_by: Option<String>,
}

/// An open or done checklist item (launch readiness, meeting); owner and due as the store resolves them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChecklistFact {
    pub id: i64,
    pub label: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowFact {
    pub name: String,
    pub category: Category,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KpiFact {
    pub key: String,
    pub label: String,
    /// Shown as a dashboard tile.
    pub headline: bool,
}

/// Everything mentor mode and the load read, as the store hands it over.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub today: NaiveDate,
    pub team: &'a [Person],
    pub decisions: &'a [DecisionFact],
    pub launches: &'a [LaunchFact],
    pub campaigns: &'a [CampaignFact],
    pub checklist: &'a [ChecklistFact],
    pub workflows: &'a [WorkflowFact],
    pub kpis: &'a [KpiFact],
}

/// `[role] owns = [...]`, `does_not_own = [...]`, as categories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleScope {
    pub owns: Vec<Category>,
    pub does_not_own: Vec<Category>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} is both in [role] owns and in does_not_own: keep it in one")]
pub struct ScopeConflict(pub &'static str);

impl RoleScope {
    /// A category in both lists cannot be read either way: the config is refused.
    pub fn validate(&self) -> Result<(), ScopeConflict> {
        match self.owns.iter().find(|c| self.does_not_own.contains(c)) {
            Some(c) => Err(ScopeConflict(c.slug())),
            None => Ok(()),
        }
    }

    /// Outside when listed in `does_not_own`, or when `owns` is given and does not list it.
    pub fn outside(&self, c: Category) -> bool {
        self.does_not_own.contains(&c) || (!self.owns.is_empty() && !self.owns.contains(&c))
    }
}

/// The tunables, each with the default documented where it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct MentorConfig {
    /// Headline KPIs that count activity, not outcomes; compared as slugs with a KPI's key or label.
    pub activity_kpis: Vec<String>,
    /// "Far more open items than the team median": more than `overload_ratio` × the median ...
    pub overload_ratio: f64,
    /// ... and at least this many items above it (so 3 against a median of 1 is not a flag).
    pub overload_min_extra: usize,
    /// A median needs at least this many people to mean anything.
    pub overload_min_team: usize,
    /// Days in the measure stage after going live before a missing post-mortem is asked about.
    pub measure_days: i64,
    pub scope: RoleScope,
}

impl Default for MentorConfig {
    fn default() -> Self {
        MentorConfig {
            activity_kpis: [
                "launches shipped",
                "launches",
                "campaigns launched",
                "emails sent",
                "content published",
                "assets produced",
                "posts published",
                "webinars held",
                "events attended",
                "tasks completed",
            ]
            .map(String::from)
            .to_vec(),
            overload_ratio: 2.0,
            overload_min_extra: 5,
            overload_min_team: 3,
            measure_days: 30,
            scope: RoleScope::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChallengeKind {
    NoOwner,
    OutsideScope,
    NoDueDate,
    NoRiskIfNothing,
    NoSuccessMetric,
    NoPostmortem,
    Overloaded,
    OwnerOffTeam,
    ActivityKpi,
}

impl ChallengeKind {
    /// The question itself, as the seed asks it.
    pub fn question(self) -> &'static str {
        match self {
            ChallengeKind::NoOwner | ChallengeKind::OutsideScope => "who owns this?",
            ChallengeKind::NoDueDate => "by when is it needed?",
            ChallengeKind::NoRiskIfNothing => "what happens if nothing is done?",
            ChallengeKind::NoSuccessMetric => "how will we know it worked?",
            ChallengeKind::NoPostmortem => "what did we learn?",
            ChallengeKind::Overloaded => "can the team run this without one person?",
            ChallengeKind::OwnerOffTeam => "accountable without authority: who on the team answers for this?",
            ChallengeKind::ActivityKpi => "activity or outcome: what result does this number move?",
        }
    }
}

/// Where a challenge points: the record a face opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Link {
    Decision { id: i64 },
    Launch { id: i64 },
    Campaign { id: i64 },
    ChecklistItem { id: i64 },
    Workflow { name: String },
    Person { key: String },
    Metric { key: String },
}

impl Link {
    /// "decision #12", "launch #3", "workflow Win/loss review": stored text, to be shown through `safe()`.
    pub fn label(&self) -> String {
        match self {
            Link::Decision { id } => format!("decision #{id}"),
            Link::Launch { id } => format!("launch #{id}"),
            Link::Campaign { id } => format!("campaign #{id}"),
            Link::ChecklistItem { id } => format!("checklist item #{id}"),
            Link::Workflow { name } => format!("workflow {name}"),
            Link::Person { key } => format!("person {key}"),
            Link::Metric { key } => format!("metric {key}"),
        }
    }
}

/// One question a senior operator would raise, with what prompted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Challenge {
    pub kind: ChallengeKind,
    pub question: &'static str,
    pub evidence: String,
    pub link: Link,
}

impl Challenge {
    fn new(kind: ChallengeKind, evidence: String, link: Link) -> Challenge {
        Challenge { kind, question: kind.question(), evidence, link }
    }
}

/// An owner field as the store holds it: blank is no owner.
pub(crate) fn owner_of(o: &Option<String>) -> Option<&str> {
    o.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn blank(s: &Option<String>) -> bool {
    owner_of(s).is_none()
}

/// Today's challenges as the director reads them: [`challenges`], less "who on the team answers
/// for this?" about the director themselves (they are not a member of their own team, and owning
/// things is their job). The one computation behind `mentor`, the Team tab and the attention group.
pub fn challenges_for(f: &Facts, cfg: &MentorConfig, director: &str) -> Vec<Challenge> {
    let me = crate::domain::team::person_key(director);
    let mut out = challenges(f, cfg);
    out.retain(|c| !(c.kind == ChallengeKind::OwnerOffTeam && matches!(&c.link, Link::Person { key } if *key == me)));
    out
}

/// Every challenge for today, grouped by kind in [`ChallengeKind`] order, records in the order given.
pub fn challenges(f: &Facts, cfg: &MentorConfig) -> Vec<Challenge> {
    use ChallengeKind::*;
    let mut out = Vec::new();
    let mut push = |kind, evidence: String, link| out.push(Challenge::new(kind, evidence, link));

    for l in f.launches.iter().filter(|l| l.open() && blank(&l.owner)) {
        push(
            NoOwner,
            format!("launch '{}' ({}, {}) has no owner", l.name, l.stage.label(), l.date),
            Link::Launch { id: l.id },
        );
    }
    for c in f.campaigns.iter().filter(|c| c.open && blank(&c.owner)) {
        let from = c.created_by.as_deref().map(|s| format!(" (created by {s})")).unwrap_or_default();
        push(NoOwner, format!("campaign '{}' has no owner{from}", c.name), Link::Campaign { id: c.id });
    }
    for d in f.decisions.iter().filter(|d| d.open && blank(&d.owner)) {
        let what = if d.follow_up { "follow-up" } else { "decision" };
        push(NoOwner, format!("{what} '{}' has no owner", d.title), Link::Decision { id: d.id });
    }
    for w in f.workflows.iter().filter(|w| blank(&w.owner)) {
        push(
            NoOwner,
            format!("workflow '{}' ({}) has no owner", w.name, w.category.label()),
            Link::Workflow { name: w.name.clone() },
        );
    }
    for w in f.workflows.iter().filter(|w| cfg.scope.outside(w.category)) {
        let why = if cfg.scope.does_not_own.contains(&w.category) {
            "[role] does_not_own lists it"
        } else {
            "[role] owns does not list it"
        };
        push(
            OutsideScope,
            format!("workflow '{}' is {} work: {why}", w.name, w.category.label()),
            Link::Workflow { name: w.name.clone() },
        );
    }
    for d in f.decisions.iter().filter(|d| d.open) {
        let what = if d.follow_up { "follow-up" } else { "decision" };
        if d.due.is_none() {
            push(NoDueDate, format!("{what} '{}' has no due date", d.title), Link::Decision { id: d.id });
        }
        if !d.follow_up && blank(&d.risk) {
            push(
                NoRiskIfNothing,
                format!("decision '{}' has no risk if nothing is done", d.title),
                Link::Decision { id: d.id },
            );
        }
    }
    for l in f.launches.iter().filter(|l| blank(&l.success_metric) && l.stage != Stage::PostMortem) {
        push(
            NoSuccessMetric,
            format!("launch '{}' ({}) has no success metric", l.name, l.stage.label()),
            Link::Launch { id: l.id },
        );
    }
    for l in f.launches.iter().filter(|l| !l.has_postmortem) {
        let since = l.went_live.unwrap_or(l.date);
        let days = (f.today - since).num_days();
        let evidence = match l.stage {
            Stage::PostMortem => format!("launch '{}' is in post-mortem with no post-mortem written", l.name),
            Stage::Measure if days > cfg.measure_days => {
                format!("launch '{}' went live {days} days ago and has no post-mortem", l.name)
            }
            _ => continue,
        };
        push(NoPostmortem, evidence, Link::Launch { id: l.id });
    }

    let report = team_load(f);
    if let Some(median) = report.team_median().filter(|_| f.team.len() >= cfg.overload_min_team) {
        for o in report.owners.iter().filter(|o| o.on_team) {
            let n = o.counts.total();
            if n as f64 > cfg.overload_ratio * median && n as f64 >= median + cfg.overload_min_extra as f64 {
                push(
                    Overloaded,
                    format!(
                        "{} carries {n} open items ({}); the team median is {}",
                        o.owner,
                        o.counts.breakdown(),
                        fmt_median(median)
                    ),
                    Link::Person { key: o.key.clone() },
                );
            }
        }
    }
    if !f.team.is_empty() {
        for o in report.owners.iter().filter(|o| !o.on_team) {
            push(
                OwnerOffTeam,
                format!(
                    "{} owns {} open items ({}) and is not on the team",
                    o.owner,
                    o.counts.total(),
                    o.counts.breakdown()
                ),
                Link::Person { key: o.key.clone() },
            );
        }
    }

    let activity: HashSet<String> = cfg.activity_kpis.iter().map(|k| channel_slug(k)).collect();
    for k in f.kpis.iter().filter(|k| k.headline) {
        if activity.contains(&channel_slug(&k.key)) || activity.contains(&channel_slug(&k.label)) {
            push(
                ActivityKpi,
                format!("'{}' is a headline KPI and counts activity, not an outcome", k.label),
                Link::Metric { key: k.key.clone() },
            );
        }
    }
    // Stable: within a kind, records keep the order the store gave them.
    out.sort_by_key(|c| c.kind);
    out
}

/// "4", "4.5".
fn fmt_median(m: f64) -> String {
    if m.fract() == 0.0 { format!("{m:.0}") } else { format!("{m:.1}") }
}

#[cfg(test)]
pub(crate) mod tests;
