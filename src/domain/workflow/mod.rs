//! The GTM operating system: recurring work framed as workflows in nine categories, each in the
//! locked 9-point structure ([`template`]), held to four criteria, and a backlog that the strategy
//! owner ranks after five questions are answered. The tool never scores priority.

pub mod template;

use serde::Serialize;

use crate::domain::text::{channel_slug, close_matches, name_key};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("'{given}' is not a workflow category{}", category_hint(.suggestions))]
    Category { given: String, suggestions: Vec<&'static str> },
    #[error("'{name}' is untriaged ({} blank): answer the five questions before ranking it", .blank.join(", "))]
    Untriaged { name: String, blank: Vec<&'static str> },
    #[error("rank {rank} is out of range (1 to {max})")]
    Rank { rank: usize, max: usize },
    #[error("'{given}' is not a workflow{}", crate::domain::workflow::workflow_hint(.suggestions))]
    UnknownWorkflow { given: String, suggestions: Vec<String> },
    #[error("the workflow's name is empty")]
    BlankName,
}

fn category_hint(suggestions: &[&str]) -> String {
    if suggestions.is_empty() {
        format!(" (one of: {})", Category::ALL.map(Category::slug).join(", "))
    } else {
        format!(" (did you mean {}?)", suggestions.join(" or "))
    }
}

fn workflow_hint(suggestions: &[String]) -> String {
    if suggestions.is_empty() { String::new() } else { format!(" (did you mean {}?)", suggestions.join(" or ")) }
}

/// Declares a fieldless enum in a fixed order with its slug and label.
macro_rules! ordered {
    ($(#[$m:meta])* $name:ident { $($v:ident = $slug:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($v),+ }

        impl $name {
            pub const ALL: [$name; [$($slug),+].len()] = [$($name::$v),+];
            pub fn slug(self) -> &'static str {
                match self { $($name::$v => $slug),+ }
            }
            pub fn label(self) -> &'static str {
                match self { $($name::$v => $label),+ }
            }
        }
    };
}

ordered!(
    /// The nine categories that cover marketing execution (DOMAIN.md).
    Category {
        MarketSegmentIntelligence = "market-segment-intelligence", "Market and segment intelligence";
        IcpPersonaUseCase = "icp-persona-use-case", "ICP, persona and use case";
        ContentMessaging = "content-messaging", "Content and messaging";
        CampaignDistribution = "campaign-distribution", "Campaign and distribution";
        InboundNurtureConversion = "inbound-nurture-conversion", "Inbound, nurture and conversion";
        SalesEnablementFieldActivation = "sales-enablement-field-activation", "Sales enablement and field activation";
        CustomerMarketingExpansion = "customer-marketing-expansion", "Customer marketing and expansion signals";
        MeasurementAttributionAnalytics = "measurement-attribution-analytics", "Measurement, attribution and analytics";
        LearningPostmortemsImprovement = "learning-postmortems-improvement", "Learning, post-mortems and continuous improvement";
    }
);

ordered!(
    /// The locked 9-point structure, in its order.
    Section {
        Objective = "objective", "Objective";
        Trigger = "trigger", "Trigger";
        Inputs = "inputs", "Inputs";
        Processing = "processing", "Processing";
        Outputs = "outputs", "Outputs";
        Consumers = "consumers", "Consumers";
        DecisionsInformed = "decisions-informed", "Decisions Informed";
        QualityChecks = "quality-checks", "Quality Checks";
        FailureFeedbackLoop = "failure-feedback-loop", "Failure & Feedback Loop";
    }
);

ordered!(
    /// What makes recurring work a workflow.
    Criterion {
        EndToEnd = "end-to-end", "End-to-end";
        CrossFunctional = "cross-functional", "Cross-functional";
        Repeatable = "repeatable", "Repeatable";
        AiRelevant = "ai-relevant", "AI-relevant";
    }
);

ordered!(
    /// The five backlog questions, and only these; impact comes after the other four.
    Question {
        Who = "who", "who needs this?";
        Unblocks = "unblocks", "what decision does it unblock?";
        Breaks = "breaks", "what breaks if it doesn't exist?";
        WhyNow = "why-now", "why now?";
        Impact = "impact", "what is the impact if it works?";
    }
);

impl Category {
    /// The slug, the label, or a unique start of the slug ("content" is content-messaging).
    pub fn parse(s: &str) -> Result<Category, WorkflowError> {
        let slug = channel_slug(s);
        let exact = Category::ALL.into_iter().find(|c| c.slug() == slug || name_key(c.label()) == name_key(s));
        let prefixed: Vec<Category> = Category::ALL.into_iter().filter(|c| c.slug().starts_with(&slug)).collect();
        match (exact, prefixed.as_slice()) {
            (Some(c), _) => Ok(c),
            (None, [one]) if !slug.is_empty() => Ok(*one),
            _ => Err(WorkflowError::Category {
                given: s.trim().to_string(),
                suggestions: close_matches(&slug, Category::ALL.map(Category::slug)),
            }),
        }
    }
}

impl Section {
    /// The hint under each heading of the template.
    pub fn hint(self) -> &'static str {
        match self {
            Section::Objective => "The outcome this workflow exists for, in a sentence or two.",
            Section::Trigger => "What starts it: a date, an event, a threshold crossed.",
            Section::Inputs => "The data and documents it needs, and where each comes from.",
            Section::Processing => "The steps, who does each, and which an agent could do.",
            Section::Outputs => "What it produces: documents, updates, alerts, decisions to make.",
            Section::Consumers => "Who uses the outputs, and where they read them.",
            Section::DecisionsInformed => "Which decisions the outputs feed.",
            Section::QualityChecks => "How you know an output is right before anyone uses it.",
            Section::FailureFeedbackLoop => "What happens when it fails, and how it gets better.",
        }
    }
}

impl Criterion {
    pub fn parse(s: &str) -> Option<Criterion> {
        let slug = channel_slug(s);
        Criterion::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// The question when a workflow fails this criterion: a flag, never a refusal.
    pub fn question(self) -> &'static str {
        match self {
            Criterion::EndToEnd => "stops partway: who picks it up from there?",
            Criterion::CrossFunctional => "one team's task rather than a workflow?",
            Criterion::Repeatable => "a one-off project rather than a workflow?",
            Criterion::AiRelevant => "nothing in it an agent could draft, check or route?",
        }
    }
}

/// The four criteria as recorded: yes, no, or not yet recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Criteria {
    pub end_to_end: Option<bool>,
    pub cross_functional: Option<bool>,
    pub repeatable: Option<bool>,
    pub ai_relevant: Option<bool>,
}

impl Criteria {
    pub fn get(&self, c: Criterion) -> Option<bool> {
        match c {
            Criterion::EndToEnd => self.end_to_end,
            Criterion::CrossFunctional => self.cross_functional,
            Criterion::Repeatable => self.repeatable,
            Criterion::AiRelevant => self.ai_relevant,
        }
    }

    pub fn set(&mut self, c: Criterion, v: Option<bool>) {
        match c {
            Criterion::EndToEnd => self.end_to_end = v,
            Criterion::CrossFunctional => self.cross_functional = v,
            Criterion::Repeatable => self.repeatable = v,
            Criterion::AiRelevant => self.ai_relevant = v,
        }
    }

    /// "not repeatable: a one-off project rather than a workflow?" for each criterion answered no.
    pub fn flags(&self) -> Vec<String> {
        Criterion::ALL
            .into_iter()
            .filter(|c| self.get(*c) == Some(false))
            .map(|c| format!("not {}: {}", c.slug(), c.question()))
            .collect()
    }

    pub fn unrecorded(&self) -> Vec<Criterion> {
        Criterion::ALL.into_iter().filter(|c| self.get(*c).is_none()).collect()
    }
}

/// The five answers. Any blank one leaves the workflow untriaged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Triage {
    pub who: String,
    pub unblocks: String,
    pub breaks: String,
    pub why_now: String,
    pub impact: String,
}

impl Triage {
    pub fn answer(&self, q: Question) -> &str {
        match q {
            Question::Who => &self.who,
            Question::Unblocks => &self.unblocks,
            Question::Breaks => &self.breaks,
            Question::WhyNow => &self.why_now,
            Question::Impact => &self.impact,
        }
    }

    pub fn blank(&self) -> Vec<Question> {
        Question::ALL.into_iter().filter(|q| self.answer(*q).trim().is_empty()).collect()
    }

    pub fn is_triaged(&self) -> bool {
        self.blank().is_empty()
    }
}

/// A workflow as lists and the backlog see it (the nine sections stay in the store until shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowSummary {
    pub name: String,
    pub category: Category,
    pub owner: Option<String>,
    /// The meeting that runs it, if named.
    pub meeting: Option<String>,
    /// Metric keys it informs.
    pub metrics: Vec<String>,
    pub criteria: Criteria,
    pub triage: Triage,
    /// Set by the user, 1 first; ignored while untriaged.
    pub rank: Option<usize>,
}

/// The workflow a user typed: its name in any case and dash, or a unique start of it.
pub fn resolve_workflow<'a>(given: &str, list: &'a [WorkflowSummary]) -> Result<&'a WorkflowSummary, WorkflowError> {
    let k = name_key(given);
    if k.is_empty() {
        return Err(WorkflowError::BlankName);
    }
    if let Some(w) = list.iter().find(|w| name_key(&w.name) == k) {
        return Ok(w);
    }
    let mut starts = list.iter().filter(|w| name_key(&w.name).starts_with(&k));
    match (starts.next(), starts.next()) {
        (Some(w), None) => Ok(w),
        _ => Err(WorkflowError::UnknownWorkflow {
            given: given.trim().to_string(),
            suggestions: close_matches(given, list.iter().map(|w| w.name.as_str()))
                .into_iter()
                .map(String::from)
                .collect(),
        }),
    }
}

/// Refuses to rank a workflow with a blank answer, naming the blank questions.
pub fn check_rankable(w: &WorkflowSummary) -> Result<(), WorkflowError> {
    let blank = w.triage.blank();
    if blank.is_empty() {
        return Ok(());
    }
    Err(WorkflowError::Untriaged { name: w.name.clone(), blank: blank.into_iter().map(Question::label).collect() })
}

/// The ranked names after putting `name` at `rank` (1 first): the others keep their order, so ranks
/// stay 1..n without ties. `rank` may be one past the end only for a workflow not yet ranked.
pub fn place(ranked: &[String], name: &str, rank: usize) -> Result<Vec<String>, WorkflowError> {
    let k = name_key(name);
    let mut out: Vec<String> = ranked.iter().filter(|n| name_key(n) != k).cloned().collect();
    if rank == 0 || rank > out.len() + 1 {
        return Err(WorkflowError::Rank { rank, max: out.len() + 1 });
    }
    out.insert(rank - 1, name.to_string());
    Ok(out)
}

/// The backlog in three parts: ranked (by the user's rank), triaged but not ranked, untriaged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Backlog<'a> {
    pub ranked: Vec<&'a WorkflowSummary>,
    pub unranked: Vec<&'a WorkflowSummary>,
    pub untriaged: Vec<&'a WorkflowSummary>,
}

pub fn backlog(list: &[WorkflowSummary]) -> Backlog<'_> {
    let mut b = Backlog { ranked: Vec::new(), unranked: Vec::new(), untriaged: Vec::new() };
    for w in list {
        match (w.triage.is_triaged(), w.rank) {
            (false, _) => b.untriaged.push(w),
            (true, Some(_)) => b.ranked.push(w),
            (true, None) => b.unranked.push(w),
        }
    }
    b.ranked.sort_by_key(|w| w.rank);
    b
}

/// One category with its workflows (in the order given), empty when none covers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage<'a> {
    pub category: Category,
    pub label: &'static str,
    pub workflows: Vec<&'a WorkflowSummary>,
}

/// All nine categories in order, each with its workflows: the gaps show as empty categories.
pub fn coverage(list: &[WorkflowSummary]) -> Vec<Coverage<'_>> {
    let mut out: Vec<Coverage> = Category::ALL
        .into_iter()
        .map(|category| Coverage { category, label: category.label(), workflows: Vec::new() })
        .collect();
    for w in list {
        out[w.category as usize].workflows.push(w);
    }
    out
}

/// The workflows a meeting runs: what the Today view shows beside the current meeting.
pub fn behind_meeting<'a>(list: &'a [WorkflowSummary], meeting: &str) -> Vec<&'a WorkflowSummary> {
    let k = name_key(meeting);
    list.iter().filter(|w| w.meeting.as_deref().is_some_and(|m| name_key(m) == k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn wf(name: &str, category: Category) -> WorkflowSummary {
        WorkflowSummary {
            name: name.into(),
            category,
            owner: Some("ana".into()),
            meeting: None,
            metrics: Vec::new(),
            criteria: Criteria::default(),
            triage: Triage {
                who: "Sales leadership".into(),
                unblocks: "where to put SDR time".into(),
                breaks: "forecast calls run on gut feel".into(),
                why_now: "Q1 planning starts in three weeks".into(),
                impact: "one pipeline number everyone trusts".into(),
            },
            rank: None,
        }
    }

    #[test]
    fn nine_categories_with_the_domain_slugs() {
        let slugs = Category::ALL.map(Category::slug);
        assert_eq!(slugs.len(), 9);
        assert_eq!(slugs[0], "market-segment-intelligence");
        assert_eq!(slugs[8], "learning-postmortems-improvement");
        assert_eq!(Category::parse("Content-Messaging").unwrap(), Category::ContentMessaging);
        assert_eq!(Category::parse("ICP, persona and use case").unwrap(), Category::IcpPersonaUseCase);
        assert_eq!(Category::parse("learning").unwrap(), Category::LearningPostmortemsImprovement);
        let e = Category::parse("content-mesaging").unwrap_err().to_string();
        assert_eq!(e, "'content-mesaging' is not a workflow category (did you mean content-messaging?)");
        let e = Category::parse("zzz").unwrap_err().to_string();
        assert!(e.starts_with("'zzz' is not a workflow category (one of: market-segment-intelligence, icp-"), "{e}");
        assert!(Category::parse("").is_err());
    }

    #[test]
    fn a_failed_criterion_is_a_flag_not_a_refusal() {
        let mut c = Criteria::default();
        c.set(Criterion::EndToEnd, Some(true));
        c.set(Criterion::Repeatable, Some(false));
        assert_eq!(c.flags(), ["not repeatable: a one-off project rather than a workflow?"]);
        assert_eq!(c.unrecorded(), [Criterion::CrossFunctional, Criterion::AiRelevant]);
        assert_eq!(Criterion::parse("AI relevant"), Some(Criterion::AiRelevant));
    }

    #[test]
    fn triage_with_an_empty_why_now_stays_untriaged_and_cannot_be_ranked() {
        let mut w = wf("Pipeline review", Category::MeasurementAttributionAnalytics);
        assert!(check_rankable(&w).is_ok());
        w.triage.why_now = "  ".into();
        w.rank = Some(1);
        assert!(!w.triage.is_triaged());
        let e = check_rankable(&w).unwrap_err().to_string();
        assert_eq!(e, "'Pipeline review' is untriaged (why now? blank): answer the five questions before ranking it");
        let list = [w, wf("Battlecard refresh", Category::SalesEnablementFieldActivation)];
        let b = backlog(&list);
        assert_eq!(
            (b.ranked.len(), b.unranked.len(), b.untriaged.len()),
            (0, 1, 1),
            "a rank is ignored while untriaged"
        );
        assert_eq!(Question::ALL.map(Question::label).len(), 5);
        assert_eq!(Question::ALL[4], Question::Impact, "impact comes after the other four");
    }

    #[test]
    fn the_user_sets_the_rank_and_the_others_keep_their_order() {
        let ranked: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(place(&ranked, "C", 1).unwrap(), ["C", "a", "b"]);
        assert_eq!(place(&ranked, "d", 4).unwrap(), ["a", "b", "c", "d"]);
        assert_eq!(place(&ranked, "a", 3).unwrap(), ["b", "c", "a"]);
        assert_eq!(place(&ranked, "a", 4).unwrap_err().to_string(), "rank 4 is out of range (1 to 3)");
        assert!(place(&ranked, "d", 0).is_err());
        let mut list = vec![wf("x", Category::ContentMessaging), wf("y", Category::ContentMessaging)];
        list[0].rank = Some(2);
        list[1].rank = Some(1);
        let names: Vec<&str> = backlog(&list).ranked.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["y", "x"]);
    }

    #[test]
    fn coverage_lists_all_nine_with_the_empty_ones() {
        let mut list = vec![
            wf("Win/loss review", Category::MarketSegmentIntelligence),
            wf("Battlecard refresh", Category::SalesEnablementFieldActivation),
            wf("Enablement office hours", Category::SalesEnablementFieldActivation),
        ];
        list[0].meeting = Some("Quarterly positioning review".into());
        let cov = coverage(&list);
        assert_eq!(cov.len(), 9);
        assert_eq!(cov[5].workflows.len(), 2);
        assert_eq!(cov.iter().filter(|c| c.workflows.is_empty()).count(), 7);
        assert_eq!(behind_meeting(&list, "quarterly  positioning REVIEW").len(), 1);
        assert_eq!(resolve_workflow("win/loss", &list).unwrap().name, "Win/loss review");
        assert_eq!(resolve_workflow("BATTLECARD refresh", &list).unwrap().name, "Battlecard refresh");
        let e = resolve_workflow("Batlecard refresh", &list).unwrap_err().to_string();
        assert_eq!(e, "'Batlecard refresh' is not a workflow (did you mean Battlecard refresh?)");
    }
}
