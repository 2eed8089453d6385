//! `team load`, `mentor` and the autonomy measure over 10,000 decisions and 1,000 workflows: they
//! are attention sources and run at every dashboard refresh, so the budget is well under 50 ms.
//! Pure functions over plain facts (the store's read is measured with the faces).
//!
//! `cargo bench --bench team`

use std::hint::black_box;

use chrono::{Duration, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use mktg::domain::mentor::autonomy::autonomy;
use mktg::domain::mentor::{
    CampaignFact, ChecklistFact, DecisionFact, Facts, KpiFact, LaunchFact, MentorConfig, RoleScope, WorkflowFact,
    challenges, team_load,
};
use mktg::domain::model::Stage;
use mktg::domain::team::{Level, Person};
use mktg::domain::workflow::Category;

struct Data {
    team: Vec<Person>,
    decisions: Vec<DecisionFact>,
    launches: Vec<LaunchFact>,
    campaigns: Vec<CampaignFact>,
    checklist: Vec<ChecklistFact>,
    workflows: Vec<WorkflowFact>,
    kpis: Vec<KpiFact>,
}

/// A big store's worth of facts: 25 people, owners written in mixed case and dashes, a few
/// outside the team and some blank, so every check has work to do.
fn data(today: NaiveDate) -> Data {
    let team: Vec<Person> = (0..25)
        .map(|i| Person {
            key: format!("person-{i}"),
            name: format!("Person {i}"),
            level: Level::ALL[i % 4],
            manager: None,
        })
        .collect();
    let owner = |i: usize| match i % 37 {
        0 => None,
        1 => Some(format!("Partner – {}", i % 5)),
        _ => Some(if i.is_multiple_of(2) { format!("PERSON-{}", i % 25) } else { format!("person–{}", i % 25) }),
    };
    let day = |i: usize| today + Duration::days((i % 120) as i64 - 60);
    let decisions = (0..10_000)
        .map(|i| DecisionFact {
            id: i as i64,
            title: format!("Decision {i}"),
            owner: owner(i),
            due: (!i.is_multiple_of(7)).then(|| day(i)),
            risk: (!i.is_multiple_of(5)).then(|| "the quarter slips".to_string()),
            open: !i.is_multiple_of(3),
            follow_up: i.is_multiple_of(4),
        })
        .collect();
    let launches = (0..300)
        .map(|i| LaunchFact {
            id: i as i64,
            name: format!("Launch {i}"),
            owner: owner(i),
            stage: Stage::ALL[i % Stage::ALL.len()],
            date: day(i),
            went_live: (i.is_multiple_of(2)).then(|| day(i)),
            success_metric: (!i.is_multiple_of(6)).then(|| "win rate".to_string()),
            has_postmortem: i.is_multiple_of(3),
            gate_override: i.is_multiple_of(11),
        })
        .collect();
    let campaigns = (0..500)
        .map(|i| CampaignFact {
            id: i as i64,
            name: format!("Campaign {i}"),
            owner: owner(i),
            open: i.is_multiple_of(2),
            due: Some(day(i)),
            created_by: (i.is_multiple_of(9)).then(|| format!("import #{i}")),
        })
        .collect();
    let checklist = (0..5_000)
        .map(|i| ChecklistFact {
            id: i as i64,
            label: format!("Item {i}"),
            owner: owner(i),
            due: Some(day(i)),
            done: i.is_multiple_of(2),
        })
        .collect();
    let workflows = (0..1_000)
        .map(|i| WorkflowFact {
            name: format!("Workflow {i}"),
            category: Category::ALL[i % Category::ALL.len()],
            owner: owner(i),
        })
        .collect();
    let kpis = ["leads", "launches_shipped", "win_rate", "pipeline"]
        .map(|k| KpiFact { key: k.into(), label: k.into(), headline: true })
        .to_vec();
    Data { team, decisions, launches, campaigns, checklist, workflows, kpis }
}

fn team(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let d = data(today);
    let f = Facts {
        today,
        team: &d.team,
        decisions: &d.decisions,
        launches: &d.launches,
        campaigns: &d.campaigns,
        checklist: &d.checklist,
        workflows: &d.workflows,
        kpis: &d.kpis,
    };
    let cfg = MentorConfig {
        scope: RoleScope { owns: Category::ALL[..6].to_vec(), does_not_own: vec![Category::ALL[8]] },
        ..MentorConfig::default()
    };
    c.bench_function("team_load_10k_decisions", |b| b.iter(|| black_box(team_load(black_box(&f)))));
    c.bench_function("mentor_10k_decisions_1k_workflows", |b| b.iter(|| black_box(challenges(black_box(&f), &cfg))));
    c.bench_function("autonomy_300_launches", |b| b.iter(|| black_box(autonomy(&d.launches, "person-0", today))));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = team
}
criterion_main!(benches);
