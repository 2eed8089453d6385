use super::*;
use crate::domain::experiment::parse_variants;
use crate::store::Store;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn setup() -> (Store, NaiveDateTime, i64) {
    let s = Store::open_in_memory().unwrap();
    let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
    let e = NewExperiment {
        name: "Headline test".into(),
        metric: "signup rate".into(),
        owner: "Sam".into(),
        end: Some(d("2026-12-04")),
        variants: parse_variants(Some("control,new headline"), None).unwrap(),
        ..NewExperiment::default()
    };
    let id = s.write(|tx| tx.experiments().add(&e, now)).unwrap();
    (s, now, id)
}

#[test]
fn an_experiment_is_found_by_id_or_name_in_any_case_and_reads_its_latest_counts() {
    let (s, now, id) = setup();
    assert_eq!(s.experiments().resolve("headline-TEST").unwrap(), id);
    assert_eq!(s.experiments().resolve(&format!("#{id}")).unwrap(), id);
    assert!(s.experiments().resolve("Headlin test").unwrap_err().to_string().contains("did you mean Headline test"));
    s.write(|tx| tx.experiments().record(id, "control", 5_000, 250, d("2026-11-18"), now)).unwrap();
    s.write(|tx| tx.experiments().record(id, "control", 10_000, 500, d("2026-11-19"), now)).unwrap();
    let r = s.write(|tx| tx.experiments().record(id, "New-Headline", 10_000, 560, d("2026-11-19"), now)).unwrap();
    assert_eq!((r.variant.as_str(), r.replaced), ("new headline", None));
    let e = s.experiments().get(id).unwrap();
    assert_eq!(
        e.variants.iter().map(|v| (v.visitors, v.conversions)).collect::<Vec<_>>(),
        [(10_000, 500), (10_000, 560)]
    );
    assert_eq!(e.counts_through, Some(d("2026-11-19")));
    let r = e.readout(d("2026-11-20"));
    assert!((r.comparisons[0].lift.unwrap().relative - 0.12).abs() < 1e-9);
}

#[test]
fn counts_that_go_down_or_exceed_visitors_are_refused_and_nothing_is_written() {
    let (s, now, id) = setup();
    s.write(|tx| tx.experiments().record(id, "control", 10_000, 500, d("2026-11-19"), now)).unwrap();
    let e = s.write(|tx| tx.experiments().record(id, "control", 9_000, 400, d("2026-11-20"), now)).unwrap_err();
    assert!(e.to_string().starts_with("control: counts are cumulative"), "{e}");
    let e = s.write(|tx| tx.experiments().record(id, "control", 10, 11, d("2026-11-20"), now)).unwrap_err();
    assert_eq!(e.to_string(), "11 conversions from 10 visitors: conversions cannot exceed visitors");
    let e = s.write(|tx| tx.experiments().record(id, "b", 10, 1, d("2026-11-20"), now)).unwrap_err();
    assert_eq!(e.to_string(), format!("experiment #{id} has no variant 'b' (it has control, new headline)"));
    assert_eq!(s.experiments().get(id).unwrap().variants[0].visitors, 10_000);
}

#[test]
fn deciding_logs_a_decision_linked_to_the_experiment_once() {
    let (s, now, id) = setup();
    let dec =
        s.write(|tx| tx.experiments().decide(id, Decision::Ship, "clear win", "+12% forgone", "alex", now)).unwrap();
    let logged = s.decisions().get(dec).unwrap();
    assert_eq!(
        (logged.title.as_str(), logged.owner.as_str(), logged.status),
        ("Ship experiment 'Headline test'", "Sam", DecisionStatus::Decided)
    );
    assert_eq!(s.experiments().decisions(id).unwrap()[0].0, dec);
    assert_eq!(s.experiments().get(id).unwrap().status, Status::Decided);
    let again = s.write(|tx| tx.experiments().decide(id, Decision::Iterate, "x", "", "alex", now)).unwrap_err();
    assert!(again.to_string().contains("decided already (decision #"), "{again}");
}

#[test]
fn names_are_unique_in_any_case() {
    let (s, now, _) = setup();
    let e = NewExperiment {
        name: "HEADLINE test".into(),
        metric: "x".into(),
        variants: parse_variants(None, None).unwrap(),
        ..NewExperiment::default()
    };
    let err = s.write(|tx| tx.experiments().add(&e, now)).unwrap_err();
    assert_eq!(err.field(), Some("name"));
    assert!(err.to_string().contains("exists already (#1)"));
}
