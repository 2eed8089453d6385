//! A launch as every face sees it: its tier (computed or overridden), readiness, lead-time flag,
//! history rows, and the table's sort and filter.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::domain::model::{Stage, Tier};
use crate::domain::rubric::TierRules;
use crate::domain::tiering::{self, Scores};

/// One launch with its readiness counts, as the table and `launch list` show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Launch {
    pub id: i64,
    pub name: String,
    pub product: String,
    pub owner: String,
    pub date: NaiveDate,
    pub stage: Stage,
    pub scores: Option<Scores>,
    pub computed: Option<Tier>,
    pub overridden: Option<Tier>,
    pub override_reason: Option<String>,
    /// Required items ticked.
    pub done: usize,
    /// Items the current tier requires (baseline included).
    pub required: usize,
    /// Labels of open baseline items, in checklist order: these block going live.
    pub open_baseline: Vec<String>,
    /// Its post-mortem is on record (`launch_postmortem`), not only its stage moved there.
    pub postmortem_recorded: bool,
    /// Marked as a product pivot taking effect on this day (`launch pivot`).
    pub pivot_on: Option<NaiveDate>,
}

/// Where a launch's tier comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TierSource {
    Computed,
    Override,
}

/// "Tier 1 needs about 8 weeks; 8 weeks remain with 13 items open."
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeadFlag {
    pub lead_weeks: u32,
    pub days_left: i64,
    pub open_items: usize,
}

impl LeadFlag {
    pub fn message(&self, tier: Tier) -> String {
        let left = if self.days_left < 0 {
            format!("the date passed {} ago", plural(-self.days_left, "day"))
        } else if self.days_left == 0 {
            "it is today".to_string()
        } else if self.days_left % 7 == 0 {
            format!("only {} left", plural(self.days_left / 7, "week"))
        } else {
            format!("only {} left", plural(self.days_left, "day"))
        };
        let open = plural(self.open_items as i64, "item");
        format!("{tier} needs about {}; {left} with {open} open", plural(i64::from(self.lead_weeks), "week"))
    }
}

/// "T1", "T2 ovr" for an override, "-" while unscored: the tier column everywhere.
pub fn tier_label(tier: Option<Tier>, source: Option<TierSource>) -> String {
    match (tier, source) {
        (Some(t), Some(TierSource::Override)) => format!("T{} ovr", t.0),
        (Some(t), _) => format!("T{}", t.0),
        _ => "-".into(),
    }
}

/// "1 week", "8 weeks".
pub fn plural(n: i64, unit: &str) -> String {
    if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") }
}

impl Launch {
    /// The tier in force: the override when there is one, else the computed tier.
    pub fn tier(&self) -> Option<Tier> {
        self.overridden.or(self.computed)
    }

    pub fn tier_source(&self) -> Option<TierSource> {
        match (self.overridden, self.computed) {
            (Some(_), _) => Some(TierSource::Override),
            (None, Some(_)) => Some(TierSource::Computed),
            _ => None,
        }
    }

    pub fn days_to_go(&self, today: NaiveDate) -> i64 {
        (self.date - today).num_days()
    }

    /// A launch is history once its post-mortem is recorded: the table folds it under the current
    /// ones. Until then (live, measuring, or in the post-mortem stage with nothing written) it stays
    /// in the main list, where the post-mortem still owed is seen.
    pub fn is_past(&self) -> bool {
        self.postmortem_recorded
    }

    pub fn open_items(&self) -> usize {
        self.required.saturating_sub(self.done)
    }

    /// Set when the launch is not yet live, is inside its tier's lead time, and has items open.
    pub fn lead_flag(&self, today: NaiveDate, rules: &TierRules) -> Option<LeadFlag> {
        let tier = self.tier()?;
        let lead_weeks = tiering::lead_weeks(tier, rules);
        let days_left = self.days_to_go(today);
        let inside = days_left <= i64::from(lead_weeks) * 7;
        (self.stage < Stage::Launch && inside && self.open_items() > 0).then_some(LeadFlag {
            lead_weeks,
            days_left,
            open_items: self.open_items(),
        })
    }

    /// Share of required items done, 0..=1 (1 when nothing is required yet).
    pub fn readiness(&self) -> f64 {
        if self.required == 0 { 1.0 } else { self.done as f64 / self.required as f64 }
    }
}

/// One readiness item on a launch's checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadinessItem {
    pub id: i64,
    pub key: String,
    pub label: String,
    pub baseline: bool,
    /// False once a re-tier no longer asks for it (kept, with its state).
    pub required: bool,
    pub done_at: Option<NaiveDateTime>,
    pub done_by: Option<String>,
    pub note: Option<String>,
}

impl ReadinessItem {
    pub fn is_done(&self) -> bool {
        self.done_at.is_some()
    }
}

/// One row of a launch's tier history.
#[derive(Debug, Clone, PartialEq)]
pub struct TierChange {
    pub at: NaiveDateTime,
    pub from: Option<Tier>,
    pub to: Tier,
    pub scores: Option<Scores>,
    pub overridden: bool,
    pub reason: Option<String>,
}

/// One row of a launch's stage history.
#[derive(Debug, Clone, PartialEq)]
pub struct StageChange {
    pub at: NaiveDateTime,
    pub from: Stage,
    pub to: Stage,
    pub override_reason: Option<String>,
}

/// The short structured record a launch gets on entering post-mortem.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PostMortem {
    pub worked: String,
    pub didnt: String,
    pub outcome_metric: String,
    pub outcome_actual: String,
    pub outcome_goal: String,
}

/// A decision linked to a launch, as the detail lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedDecision {
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub status: String,
}

/// Everything the detail view shows about one launch.
#[derive(Debug, Clone)]
pub struct LaunchDetail {
    pub launch: Launch,
    pub items: Vec<ReadinessItem>,
    pub tiers: Vec<TierChange>,
    pub stages: Vec<StageChange>,
    pub postmortem: Option<(NaiveDateTime, PostMortem)>,
    pub decisions: Vec<LinkedDecision>,
}

/// How the table is ordered (`s` cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Date,
    Tier,
    Readiness,
}

impl SortBy {
    pub fn next(self) -> SortBy {
        match self {
            SortBy::Date => SortBy::Tier,
            SortBy::Tier => SortBy::Readiness,
            SortBy::Readiness => SortBy::Date,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            SortBy::Date => "date",
            SortBy::Tier => "tier",
            SortBy::Readiness => "readiness",
        }
    }
}

/// What the table shows (`f` cycles: everything, each stage, each tier, unscored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LaunchFilter {
    #[default]
    All,
    Stage(Stage),
    Tier(Tier),
    Unscored,
}

impl LaunchFilter {
    /// The cycle `f` walks through.
    pub fn cycle() -> Vec<LaunchFilter> {
        let mut v = vec![LaunchFilter::All];
        v.extend(Stage::ALL.iter().map(|s| LaunchFilter::Stage(*s)));
        v.extend((1..=3).map(|t| LaunchFilter::Tier(Tier(t))));
        v.push(LaunchFilter::Unscored);
        v
    }

    pub fn next(self) -> LaunchFilter {
        let all = LaunchFilter::cycle();
        let i = all.iter().position(|f| *f == self).unwrap_or(0);
        all[(i + 1) % all.len()]
    }

    pub fn label(self) -> String {
        match self {
            LaunchFilter::All => "all".into(),
            LaunchFilter::Stage(s) => format!("stage {}", s.label()),
            LaunchFilter::Tier(t) => t.to_string(),
            LaunchFilter::Unscored => "unscored".into(),
        }
    }

    pub fn matches(self, l: &Launch) -> bool {
        match self {
            LaunchFilter::All => true,
            LaunchFilter::Stage(s) => l.stage == s,
            LaunchFilter::Tier(t) => l.tier() == Some(t),
            LaunchFilter::Unscored => l.tier().is_none(),
        }
    }
}

/// Order launches for the table: current ones first by `sort`, then those live and owing their
/// post-mortem, then past ones (most recent first).
pub fn arrange(launches: &mut [Launch], sort: SortBy) {
    // 0 still to launch, 1 launched and owing its post-mortem, 2 done with.
    let group = |l: &Launch| if l.is_past() { 2 } else { u8::from(l.stage >= Stage::Launch) };
    launches.sort_by(|a, b| {
        group(a).cmp(&group(b)).then_with(|| {
            if a.is_past() {
                return b.date.cmp(&a.date).then(a.id.cmp(&b.id));
            }
            let by = match sort {
                SortBy::Date => std::cmp::Ordering::Equal,
                // Unscored after Tier 3: they still need a decision, but the tiered ones mobilise people.
                SortBy::Tier => a.tier().map_or(9, |t| t.0).cmp(&b.tier().map_or(9, |t| t.0)),
                SortBy::Readiness => a.readiness().total_cmp(&b.readiness()),
            };
            by.then(a.date.cmp(&b.date)).then(a.id.cmp(&b.id))
        })
    });
}

/// The go-live gate: the labels of baseline items still open, in order. Empty means the launch may go live.
/// A baseline item the launch does not carry yet (an unscored launch) counts as open: the
/// standard applies to every launch, tiered or not.
pub fn gate_blockers(items: &[ReadinessItem], rules: &TierRules) -> Vec<String> {
    let mut open: Vec<String> = rules
        .baseline
        .iter()
        .filter(|b| !items.iter().any(|i| i.key == b.key && i.is_done()))
        .map(|b| items.iter().find(|i| i.key == b.key).map_or_else(|| b.label.clone(), |i| i.label.clone()))
        .collect();
    let extra = items.iter().filter(|i| i.baseline && i.required && !i.is_done());
    for i in extra.filter(|i| !rules.baseline.iter().any(|b| b.key == i.key)) {
        open.push(i.label.clone());
    }
    open
}

/// True when moving from `from` to `to` takes the launch live (the gate applies).
pub fn crosses_gate(from: Stage, to: Stage) -> bool {
    from < Stage::Launch && to >= Stage::Launch
}

/// The refusal a user reads when the gate stops a launch.
pub fn gate_refusal(name: &str, blockers: &[String]) -> String {
    let n = blockers.len();
    let items = if n == 1 { "item" } else { "items" };
    format!("'{name}' cannot go live: {n} baseline {items} open: {}", blockers.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn launch(id: i64, date: &str, stage: Stage, tier: Option<u8>, done: usize, required: usize) -> Launch {
        Launch {
            id,
            name: format!("L{id}"),
            product: String::new(),
            owner: String::new(),
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            stage,
            scores: None,
            computed: tier.map(Tier),
            overridden: None,
            override_reason: None,
            done,
            required,
            open_baseline: Vec::new(),
            postmortem_recorded: stage == Stage::PostMortem,
            pivot_on: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    #[test]
    fn a_tier_1_launch_eight_weeks_out_with_everything_open_is_flagged() {
        let rules = TierRules::defaults();
        let l = launch(1, "2027-01-15", Stage::Intake, Some(1), 0, 13);
        let flag = l.lead_flag(today(), &rules).unwrap();
        assert_eq!(flag.message(Tier(1)), "Tier 1 needs about 8 weeks; only 8 weeks left with 13 items open");
        let later = launch(1, "2027-01-16", Stage::Intake, Some(1), 0, 13);
        assert_eq!(later.lead_flag(today(), &rules), None);
        let ready = launch(1, "2027-01-15", Stage::Intake, Some(1), 13, 13);
        assert_eq!(ready.lead_flag(today(), &rules), None);
        let live = launch(1, "2026-11-10", Stage::Launch, Some(1), 0, 13);
        assert_eq!(live.lead_flag(today(), &rules), None);
    }

    #[test]
    fn an_override_wins_over_the_computed_tier_and_says_so() {
        let mut l = launch(1, "2027-01-15", Stage::Intake, Some(1), 0, 13);
        assert_eq!((l.tier(), l.tier_source()), (Some(Tier(1)), Some(TierSource::Computed)));
        l.overridden = Some(Tier(2));
        assert_eq!((l.tier(), l.tier_source()), (Some(Tier(2)), Some(TierSource::Override)));
    }

    #[test]
    fn past_launches_fold_under_current_ones_whatever_the_sort() {
        let mut v = vec![
            launch(1, "2026-10-01", Stage::PostMortem, Some(1), 13, 13),
            launch(2, "2026-12-20", Stage::Build, Some(3), 1, 6),
            launch(3, "2026-12-01", Stage::Qa, Some(2), 6, 8),
            launch(4, "2027-01-15", Stage::Intake, None, 0, 0),
        ];
        arrange(&mut v, SortBy::Date);
        assert_eq!(v.iter().map(|l| l.id).collect::<Vec<_>>(), [3, 2, 4, 1]);
        arrange(&mut v, SortBy::Tier);
        assert_eq!(v.iter().map(|l| l.id).collect::<Vec<_>>(), [3, 2, 4, 1]);
        arrange(&mut v, SortBy::Readiness);
        assert_eq!(v.iter().map(|l| l.id).collect::<Vec<_>>(), [2, 3, 4, 1]);
        assert!(LaunchFilter::Tier(Tier(2)).matches(&v[1]));
        assert!(LaunchFilter::Unscored.matches(&v[2]));
        assert_eq!(LaunchFilter::Unscored.next(), LaunchFilter::All);
    }

    fn item(key: &str, baseline: bool, done: bool) -> ReadinessItem {
        ReadinessItem {
            id: 0,
            key: key.into(),
            label: format!("{key} label"),
            baseline,
            required: true,
            done_at: done.then(|| NaiveDate::from_ymd_opt(2026, 11, 20).unwrap().and_hms_opt(8, 45, 0).unwrap()),
            done_by: None,
            note: None,
        }
    }

    #[test]
    fn the_gate_names_exactly_the_open_baseline_items() {
        let rules = TierRules::defaults();
        let items = [
            item("press", false, false),
            item("tracking", true, true),
            item("compliance", true, false),
            item("handoffs", true, true),
        ];
        assert_eq!(gate_blockers(&items, &rules), vec!["compliance label".to_string()]);
        assert_eq!(
            gate_refusal("Partner Portal", &gate_blockers(&items, &rules)),
            "'Partner Portal' cannot go live: 1 baseline item open: compliance label"
        );
        // An unscored launch carries no items: the whole baseline standard is open.
        assert_eq!(gate_blockers(&[], &rules).len(), 3);
        let ticked: Vec<_> = ["tracking", "compliance", "handoffs"].iter().map(|k| item(k, true, true)).collect();
        assert!(gate_blockers(&ticked, &rules).is_empty());
        assert!(crosses_gate(Stage::Qa, Stage::Launch) && crosses_gate(Stage::Build, Stage::Measure));
        assert!(!crosses_gate(Stage::Launch, Stage::Measure) && !crosses_gate(Stage::Measure, Stage::Qa));
    }
}
