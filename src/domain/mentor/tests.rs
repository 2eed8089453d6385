use super::*;
use crate::domain::team::Level;
use crate::domain::team::tests::{d, person};

pub(crate) fn facts(team: &[Person]) -> Facts<'_> {
    Facts {
        today: d("2026-11-20"),
        team,
        decisions: &[],
        launches: &[],
        campaigns: &[],
        checklist: &[],
        workflows: &[],
        kpis: &[],
    }
}

/// An open, framed decision: owner, due date and risk as given.
pub(crate) fn decision(id: i64, owner: Option<&str>, due: Option<&str>) -> DecisionFact {
    DecisionFact {
        id,
        title: format!("decision {id}"),
        owner: owner.map(String::from),
        due: due.map(d),
        risk: Some("the quarter slips".into()),
        open: true,
        follow_up: false,
    }
}

/// A launch with a success metric, not live, no post-mortem, no override.
pub(crate) fn launch(id: i64, owner: Option<&str>, stage: Stage, date: &str) -> LaunchFact {
    LaunchFact {
        id,
        name: format!("launch {id}"),
        owner: owner.map(String::from),
        stage,
        date: d(date),
        went_live: None,
        success_metric: Some("win rate vs X".into()),
        has_postmortem: false,
        gate_override: false,
    }
}

fn kinds(c: &[Challenge]) -> Vec<(ChallengeKind, String)> {
    c.iter().map(|c| (c.kind, c.link.label())).collect()
}

#[test]
fn a_decision_with_no_due_date_and_no_risk_is_questioned_twice() {
    let mut bare = decision(12, Some("ana"), None);
    bare.risk = Some("   ".into());
    let mut closed = bare.clone();
    closed.id = 13;
    closed.open = false;
    let mut fu = decision(14, Some("ana"), None);
    fu.follow_up = true;
    fu.risk = None;
    let decisions = [bare, closed, fu, decision(15, Some("ana"), Some("2026-12-01"))];
    let mut f = facts(&[]);
    f.decisions = &decisions;
    let c = challenges(&f, &MentorConfig::default());
    assert_eq!(
        kinds(&c),
        [
            (ChallengeKind::NoDueDate, "decision #12".into()),
            (ChallengeKind::NoDueDate, "decision #14".into()),
            (ChallengeKind::NoRiskIfNothing, "decision #12".into()),
        ]
    );
    assert_eq!(c[0].question, "by when is it needed?");
    assert_eq!(c[0].evidence, "decision 'decision 12' has no due date");
    assert_eq!(c[1].evidence, "follow-up 'decision 14' has no due date");
}

#[test]
fn anything_without_an_owner_asks_who_owns_this() {
    let campaigns = [
        CampaignFact {
            id: 5,
            name: "HubSpot: Q4 nurture".into(),
            open: true,
            created_by: Some("import #7".into()),
            ..Default::default()
        },
        CampaignFact { id: 6, name: "Old".into(), open: false, ..Default::default() },
        CampaignFact { id: 7, name: "Owned".into(), owner: Some("ana".into()), open: true, ..Default::default() },
    ];
    let launches = [launch(3, Some(" "), Stage::Build, "2026-12-01"), launch(4, None, Stage::PostMortem, "2026-06-01")];
    let mut fu = decision(9, None, Some("2026-12-01"));
    fu.follow_up = true;
    let workflows =
        [WorkflowFact { name: "Win/loss review".into(), category: Category::MarketSegmentIntelligence, owner: None }];
    let decisions = [fu];
    let mut f = facts(&[]);
    f.campaigns = &campaigns;
    f.launches = &launches;
    f.decisions = &decisions;
    f.workflows = &workflows;
    let c: Vec<Challenge> = challenges(&f, &MentorConfig::default());
    let owners: Vec<&Challenge> = c.iter().filter(|c| c.kind == ChallengeKind::NoOwner).collect();
    let links: Vec<String> = owners.iter().map(|c| c.link.label()).collect();
    assert_eq!(links, ["launch #3", "campaign #5", "decision #9", "workflow Win/loss review"]);
    assert!(owners.iter().all(|c| c.question == "who owns this?"));
    assert_eq!(owners[1].evidence, "campaign 'HubSpot: Q4 nurture' has no owner (created by import #7)");
    assert_eq!(owners[2].evidence, "follow-up 'decision 9' has no owner");
    let json = serde_json::to_value(owners[1]).unwrap();
    assert_eq!(json["kind"], "no-owner");
    assert_eq!(json["link"], serde_json::json!({"kind": "campaign", "id": 5}));
}

#[test]
fn launches_without_a_success_metric_or_a_post_mortem_after_measure() {
    let mut no_metric = launch(1, Some("ana"), Stage::Qa, "2026-12-01");
    no_metric.success_metric = Some(String::new());
    let mut long_measure = launch(2, Some("ana"), Stage::Measure, "2026-10-01");
    long_measure.went_live = Some(d("2026-10-01"));
    let mut fresh = launch(3, Some("ana"), Stage::Measure, "2026-11-10");
    fresh.went_live = Some(d("2026-11-10"));
    let unwritten = launch(4, Some("ana"), Stage::PostMortem, "2026-08-01");
    let mut written = launch(5, Some("ana"), Stage::PostMortem, "2026-08-01");
    written.has_postmortem = true;
    let launches = [no_metric, long_measure, fresh, unwritten, written];
    let mut f = facts(&[]);
    f.launches = &launches;
    let c = challenges(&f, &MentorConfig::default());
    assert_eq!(
        kinds(&c),
        [
            (ChallengeKind::NoSuccessMetric, "launch #1".into()),
            (ChallengeKind::NoPostmortem, "launch #2".into()),
            (ChallengeKind::NoPostmortem, "launch #4".into()),
        ]
    );
    assert_eq!(c[1].evidence, "launch 'launch 2' went live 50 days ago and has no post-mortem");
    assert_eq!(c[1].question, "what did we learn?");
}

#[test]
fn a_person_carrying_far_more_than_the_team_median_is_asked_about() {
    let team = [
        person("ana", Level::Senior),
        person("raj", Level::Pmm),
        person("lee", Level::Junior),
        person("kim", Level::Pmm),
    ];
    let mut decisions = Vec::new();
    for (owner, n) in [("ana", 12), ("raj", 2), ("lee", 3), ("kim", 1), ("Dana (Sales)", 2)] {
        for _ in 0..n {
            decisions.push(decision(decisions.len() as i64 + 1, Some(owner), Some("2026-12-01")));
        }
    }
    let mut f = facts(&team);
    f.decisions = &decisions;
    let c = challenges(&f, &MentorConfig::default());
    assert_eq!(
        kinds(&c),
        [(ChallengeKind::Overloaded, "person ana".into()), (ChallengeKind::OwnerOffTeam, "person dana (sales)".into())]
    );
    assert_eq!(c[0].evidence, "ana name carries 12 open items (12 decisions); the team median is 2.5");
    assert_eq!(c[1].evidence, "Dana (Sales) owns 2 open items (2 decisions) and is not on the team");
    // More than twice the median (2.5) but fewer than 5 above it: not "far more".
    let few: Vec<DecisionFact> = decisions
        .iter()
        .filter(|d| d.owner.as_deref() != Some("ana"))
        .cloned()
        .chain((0..6).map(|i| decision(100 + i, Some("ana"), Some("2026-12-01"))))
        .collect();
    f.decisions = &few;
    assert!(challenges(&f, &MentorConfig::default()).iter().all(|c| c.kind != ChallengeKind::Overloaded));
    // Two people make no median.
    f.team = &team[..2];
    f.decisions = &decisions;
    assert!(challenges(&f, &MentorConfig::default()).iter().all(|c| c.kind != ChallengeKind::Overloaded));
}

#[test]
fn an_activity_kpi_on_the_dashboard_and_work_outside_the_role_are_questioned() {
    let kpis = [
        KpiFact { key: "launches_shipped".into(), label: "Launches".into(), headline: true },
        KpiFact { key: "emails".into(), label: "Emails sent".into(), headline: false },
        KpiFact { key: "win_rate".into(), label: "Win rate vs competitors".into(), headline: true },
    ];
    let workflows = [
        WorkflowFact {
            name: "Lead scoring".into(),
            category: Category::InboundNurtureConversion,
            owner: Some("ana".into()),
        },
        WorkflowFact {
            name: "Battlecards".into(),
            category: Category::SalesEnablementFieldActivation,
            owner: Some("ana".into()),
        },
        WorkflowFact {
            name: "Churn signals".into(),
            category: Category::CustomerMarketingExpansion,
            owner: Some("ana".into()),
        },
    ];
    let mut f = facts(&[]);
    f.kpis = &kpis;
    f.workflows = &workflows;
    let mut cfg = MentorConfig::default();
    let c = challenges(&f, &cfg);
    assert_eq!(kinds(&c), [(ChallengeKind::ActivityKpi, "metric launches_shipped".into())]);
    assert_eq!(c[0].evidence, "'Launches' is a headline KPI and counts activity, not an outcome");
    cfg.scope = RoleScope {
        owns: vec![Category::SalesEnablementFieldActivation, Category::ContentMessaging],
        does_not_own: vec![Category::InboundNurtureConversion],
    };
    cfg.activity_kpis.clear();
    let c = challenges(&f, &cfg);
    assert_eq!(
        kinds(&c),
        [
            (ChallengeKind::OutsideScope, "workflow Lead scoring".into()),
            (ChallengeKind::OutsideScope, "workflow Churn signals".into())
        ]
    );
    assert_eq!(c[0].question, "who owns this?");
    assert_eq!(
        c[0].evidence,
        "workflow 'Lead scoring' is Inbound, nurture and conversion work: [role] does_not_own lists it"
    );
    assert_eq!(
        c[1].evidence,
        "workflow 'Churn signals' is Customer marketing and expansion signals work: [role] owns does not list it"
    );
    assert!(cfg.scope.validate().is_ok());
    cfg.scope.owns.push(Category::InboundNurtureConversion);
    assert_eq!(
        cfg.scope.validate().unwrap_err().to_string(),
        "inbound-nurture-conversion is both in [role] owns and in does_not_own: keep it in one"
    );
}

#[test]
fn an_empty_store_raises_nothing() {
    assert!(challenges(&facts(&[]), &MentorConfig::default()).is_empty());
    let team = [person("ana", Level::Senior), person("raj", Level::Pmm), person("lee", Level::Junior)];
    assert!(challenges(&facts(&team), &MentorConfig::default()).is_empty());
}
