use super::*;
use crate::domain::workflow::backlog;
use crate::store::Store;

fn now() -> NaiveDateTime {
    crate::clock::parse_now("2026-11-20T09:00").unwrap()
}

fn seeded() -> Store {
    let s = Store::open_in_memory().unwrap();
    s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now()).map(|_| ())).unwrap();
    s
}

fn add(s: &Store, name: &str, category: &str) -> WorkflowSummary {
    let w =
        NewWorkflow { name: name.into(), category: category.into(), owner: Some("Priya".into()), ..Default::default() };
    s.write(|tx| tx.workflows().add(&w, now())).unwrap()
}

fn answers(why_now: &str) -> TriageInput {
    TriageInput {
        who: Some("Sales leadership".into()),
        unblocks: Some("where to put SDR time".into()),
        breaks: Some("forecast calls on gut feel".into()),
        why_now: Some(why_now.into()),
        impact: Some("one pipeline number".into()),
    }
}

#[test]
fn a_workflow_names_a_category_a_meeting_and_metrics_that_exist() {
    let s = seeded();
    let w = NewWorkflow {
        name: "Win/loss review".into(),
        category: "market".into(),
        owner: Some("priya".into()),
        meeting: Some("quarterly positioning".into()),
        metrics: vec!["win_rate, pipeline".into()],
    };
    let got = s.write(|tx| tx.workflows().add(&w, now())).unwrap();
    assert_eq!(got.category, Category::MarketSegmentIntelligence);
    assert_eq!(got.meeting.as_deref(), Some("positioning-review"));
    assert_eq!(got.metrics, ["win_rate", "pipeline"]);
    let dup = NewWorkflow { name: "WIN/LOSS  review".into(), category: "content".into(), ..Default::default() };
    let e = s.write(|tx| tx.workflows().add(&dup, now())).unwrap_err();
    assert_eq!((e.to_string().as_str(), e.field()), ("'Win/loss review' is already a workflow", Some("name")));
    let bad = NewWorkflow {
        name: "x".into(),
        category: "content".into(),
        meeting: Some("standup".into()),
        ..Default::default()
    };
    assert_eq!(s.write(|tx| tx.workflows().add(&bad, now())).unwrap_err().field(), Some("meeting"));
    let bad = NewWorkflow { name: "x".into(), category: "contnt-messaging".into(), ..Default::default() };
    let e = s.write(|tx| tx.workflows().add(&bad, now())).unwrap_err();
    assert_eq!(e.to_string(), "'contnt-messaging' is not a workflow category (did you mean content-messaging?)");
    assert_eq!(s.workflows().all().unwrap().len(), 1);
}

#[test]
fn triage_with_a_blank_why_now_stays_untriaged_and_cannot_be_ranked() {
    let s = seeded();
    add(&s, "Pipeline review", "measurement");
    let t = s.write(|tx| tx.workflows().triage("pipeline review", &answers("  "), now())).unwrap();
    assert_eq!(t.blank(), [Question::WhyNow]);
    let e = s.write(|tx| tx.workflows().rank("Pipeline review", 1, now())).unwrap_err();
    assert_eq!(
        e.to_string(),
        "'Pipeline review' is untriaged (why now? blank): answer the five questions before ranking it"
    );
    let t = s
        .write(|tx| {
            tx.workflows().triage(
                "pipeline",
                &TriageInput { why_now: Some("Q1 planning".into()), ..Default::default() },
                now(),
            )
        })
        .unwrap();
    assert!(t.blank().is_empty(), "the other answers were kept");
    assert_eq!(s.write(|tx| tx.workflows().rank("pipeline", 1, now())).unwrap(), ["Pipeline review"]);
}

#[test]
fn ranks_stay_one_to_n_and_an_untriaged_workflow_drops_out() {
    let s = seeded();
    for n in ["a", "b", "c"] {
        add(&s, n, "content");
        s.write(|tx| tx.workflows().triage(n, &answers("now"), now())).unwrap();
        s.write(|tx| tx.workflows().rank(n, 1, now())).unwrap();
    }
    let ranked = |s: &Store| -> Vec<(String, Option<usize>)> {
        let all = s.workflows().all().unwrap();
        backlog(&all).ranked.iter().map(|w| (w.name.clone(), w.rank)).collect()
    };
    assert_eq!(ranked(&s), [("c".into(), Some(1)), ("b".into(), Some(2)), ("a".into(), Some(3))]);
    assert!(s.write(|tx| tx.workflows().rank("a", 5, now())).is_err());
    let t = s
        .write(|tx| tx.workflows().triage("b", &TriageInput { impact: Some("".into()), ..Default::default() }, now()))
        .unwrap();
    assert!(t.rank_dropped);
    assert_eq!(ranked(&s), [("c".into(), Some(1)), ("a".into(), Some(2))]);
}

#[test]
fn a_saved_document_comes_back_as_written() {
    use crate::domain::workflow::template::{parse, render};
    let s = seeded();
    add(&s, "Battlecard refresh", "sales");
    let (w, doc) = s.workflows().doc("battlecard").unwrap();
    let text = render(&w.name, &doc)
        .replace("## Objective\n", "## Objective\nCards reps trust.\n")
        .replace("repeatable:", "repeatable: no");
    let edited = parse(&text).unwrap();
    s.write(|tx| tx.workflows().save_doc("Battlecard refresh", &edited, now())).unwrap();
    let (w, back) = s.workflows().doc("Battlecard refresh").unwrap();
    assert_eq!(back.sections.get(Section::Objective), "Cards reps trust.");
    assert_eq!(w.criteria.flags(), ["not repeatable: a one-off project rather than a workflow?"]);
}
