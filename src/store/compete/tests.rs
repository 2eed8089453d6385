use chrono::NaiveDateTime;

use crate::clock::parse_now;
use crate::domain::battlecard::Section;
use crate::domain::compete::NewCompetitor;
use crate::io::import::{fingerprint, parse};
use crate::store::Store;
use crate::store::imports::{ImportOutcome, ImportRequest, ImportSummary};

fn now() -> NaiveDateTime {
    parse_now("2026-11-20T08:45").unwrap()
}

fn store() -> Store {
    let s = Store::open_in_memory().unwrap();
    s.write(|tx| tx.meta().init_role(crate::assets::Role::ProductMarketing, now())).unwrap();
    s
}

fn acme(s: &Store) {
    let new = NewCompetitor {
        key: "Acme-Corp".into(),
        name: "Acme Corp".into(),
        owner: "maya".into(),
        segment: Some("Enterprise".into()),
    };
    s.write(|tx| tx.compete().add(&new, now())).unwrap();
}

/// Import `text` as a winloss-csv file by dana at `now()`, whatever the outcome.
fn try_import(s: &Store, text: &str) -> ImportOutcome {
    let parsed = parse(text.as_bytes(), None).unwrap();
    let print = fingerprint(text.as_bytes());
    let req = ImportRequest {
        file_name: "w.csv",
        fingerprint: &print,
        parsed: &parsed,
        now: now(),
        dry_run: false,
        user: "dana",
    };
    s.imports().import(&req, &mut |_, _| {}).unwrap()
}

fn import(s: &Store, text: &str) -> ImportSummary {
    match try_import(s, text) {
        ImportOutcome::Imported(sum) => *sum,
        ImportOutcome::AlreadyImported { id, .. } => panic!("already #{id}"),
        ImportOutcome::Refused(e) => panic!("{e:?}"),
    }
}

#[test]
fn competitor_keys_are_case_and_dash_insensitive() {
    let s = store();
    acme(&s);
    assert_eq!(s.compete().find("ACME–CORP").unwrap().name, "Acme Corp");
    assert_eq!(s.compete().find(" acme-corp ").unwrap().owner, "maya");
    let e = s.compete().find("acme").unwrap_err().to_string();
    assert!(e.starts_with("no competitor 'acme'"), "{e}");
    let dup = NewCompetitor { key: "acme-CORP".into(), name: "Again".into(), owner: "li".into(), segment: None };
    let e = s.write(|tx| tx.compete().add(&dup, now())).unwrap_err().to_string();
    assert!(e.contains("already exists"), "{e}");
    assert_eq!(s.compete().competitors().unwrap().len(), 1);
}

#[test]
fn a_refused_section_writes_nothing_and_a_saved_one_is_stamped() {
    let s = store();
    acme(&s);
    let long = "x".repeat(20_001);
    let e = s.write(|tx| tx.compete().edit_section("acme-corp", Section::Pricing, &long, "dana", now())).unwrap_err();
    assert!(e.to_string().contains("20001 characters"), "{e}");
    let bad = "Answer: without an objection";
    assert!(s.write(|tx| tx.compete().edit_section("acme-corp", Section::Objections, bad, "dana", now())).is_err());
    assert!(s.compete().card("acme-corp").unwrap().history.is_empty());
    let v =
        s.write(|tx| tx.compete().edit_section("acme-corp", Section::Pricing, "Per seat.\n", "dana", now())).unwrap();
    assert_eq!((v.text.as_str(), v.by.as_str(), v.at), ("Per seat.", "dana", now()));
    assert_eq!(s.compete().card("acme-corp").unwrap().history, vec![v]);
}

const FILE: &str = "deal,closed_on,outcome,competitor,reason,segment\n\
    E-01,2026-08-01,won,,,Enterprise\n\
    E-02,2026-08-20,won,,,enterprise\n\
    E-03,2026-09-01,lost,,Security review,Enterprise\n\
    E-04,2026-09-15,won,,,Enterprise\n\
    E-05,2026-10-01,lost,,security review,Enterprise\n\
    E-06,2026-10-10,lost,,Price,Enterprise\n\
    E-07,2026-10-20,lost,,SECURITY REVIEW,Enterprise\n\
    E-08,2026-11-02,lost,,security  review,Enterprise\n";

#[test]
fn four_of_six_enterprise_losses_raise_one_trigger_owned_by_the_segments_pmm() {
    let s = store();
    acme(&s);
    let sum = import(&s, FILE);
    assert_eq!(sum.triggers.len(), 1, "{:#?}", sum.triggers);
    let t = &sum.triggers[0];
    assert_eq!((t.kind.as_str(), t.owner.as_str()), ("failed-deals", "maya"));
    let d = s.decisions().get(t.decision_id.unwrap()).unwrap();
    assert_eq!(d.status, crate::domain::model::DecisionStatus::Proposed);
    assert_eq!(d.due, t.review_on);
    let review = s.cadence().meeting(t.meeting_id.unwrap()).unwrap();
    assert_eq!(review.key.as_deref(), Some("positioning-review"));
    assert!(review.items.iter().any(|i| i.label.starts_with("Positioning review: lost 4 of the last 6")));
    // The same deals again, in another file: nothing new.
    let again = import(&s, &format!("{FILE}E-09,2026-08-02,won,,,Mid-market\n"));
    assert!(again.triggers.is_empty());
    assert_eq!(s.decisions().all().unwrap().len(), 1);
}

#[test]
fn the_newest_import_holds_a_deal_and_undo_gives_it_back() {
    let s = store();
    import(&s, "deal,closed_on,outcome,competitor,reason\nD-1,2026-10-01,won,Acme,\n");
    let second = import(&s, "deal,closed_on,outcome,competitor,reason,segment\nD-1,2026-10-03,lost,Acme,Price,SMB\n");
    let now_held = s.compete().outcomes().unwrap();
    assert_eq!(now_held.len(), 1);
    assert_eq!(now_held[0].reason.as_deref(), Some("Price"));
    s.imports().undo(second.id, now(), false).unwrap();
    let back = s.compete().outcomes().unwrap();
    assert_eq!((back.len(), back[0].outcome), (1, crate::domain::winloss::Outcome::Won));
}

#[test]
fn a_deal_closed_after_today_is_refused_and_nothing_is_written() {
    let s = store();
    let text = "deal,closed_on,outcome,competitor,reason\nD-1,2026-10-01,won,Acme,\nD-2,2026-11-21,lost,Acme,Price\n";
    let parsed = parse(text.as_bytes(), None).unwrap();
    let req =
        ImportRequest { file_name: "w.csv", fingerprint: "f", parsed: &parsed, now: now(), dry_run: false, user: "d" };
    let ImportOutcome::Refused(problems) = s.imports().import(&req, &mut |_, _| {}).unwrap() else { panic!() };
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].to_string(),
        "3: closed_on: deal D-2: closed on 2026-11-21, which is after today (2026-11-20)"
    );
    assert!(s.compete().outcomes().unwrap().is_empty());
}

#[test]
fn undoing_the_import_that_raised_a_trigger_clears_it_and_leaves_its_decision_to_the_director() {
    let s = store();
    acme(&s);
    let sum = import(&s, FILE);
    let key = sum.triggers[0].key.clone();
    let decision = sum.triggers[0].decision_id.unwrap();
    s.imports().undo(sum.id, now(), false).unwrap();
    let t = s.compete().triggers().unwrap();
    assert_eq!(t.len(), 1, "the trigger is kept, as raised");
    assert_eq!((t[0].key.as_str(), t[0].cleared_at), (key.as_str(), Some(now())));
    assert!(!t[0].is_open(), "no longer open: its evidence went with the import");
    let d = s.decisions().get(decision).unwrap();
    assert_eq!(d.status, crate::domain::model::DecisionStatus::Proposed, "the proposal is the director's");
    assert!(s.check().unwrap().is_empty());
    // The same deals again: the trigger opens again, with the decision it has; nothing new.
    let again = import(&s, &format!("{FILE}E-09,2026-08-02,won,,,Mid-market\n"));
    assert!(again.triggers.is_empty());
    let t = s.compete().triggers().unwrap();
    assert!(t[0].is_open() && t[0].cleared_at.is_none(), "{t:?}");
    assert_eq!(s.decisions().all().unwrap().len(), 1);
}

mod quarters {
    //! The outcomes counted per quarter against a fresh count and against win/loss over every
    //! outcome, after any sequence of imports and undos.

    use proptest::prelude::*;

    use super::{acme, now, store, try_import};
    use crate::domain::period::Period;
    use crate::domain::winloss::By;
    use crate::store::Store;
    use crate::store::imports::ImportOutcome;
    use crate::views::compete::{comparison, comparison_from_outcomes};

    const NAMES: [&str; 6] = ["Acme Corp", "ACME-corp", "acme corp", " ", "Globex", ""];
    const REASONS: [&str; 3] = ["Price", "price ", ""];
    const SEGMENTS: [&str; 3] = ["Enterprise", "SMB", ""];
    const OUTCOMES: [&str; 3] = ["won", "lost", "open"];

    type Row = (u8, u16, usize, usize, usize, usize, Option<u32>);

    fn file(rows: &[Row]) -> String {
        let start = chrono::NaiveDate::from_ymd_opt(2025, 11, 20).unwrap();
        let mut csv = "deal,closed_on,outcome,competitor,reason,segment,amount\n".to_string();
        // One row per deal in a file (a file naming a deal twice is refused).
        let rows: std::collections::BTreeMap<u8, &Row> = rows.iter().map(|r| (r.0, r)).collect();
        for (deal, day, o, c, r, seg, amount) in rows.into_values() {
            let day = start + chrono::Duration::days(i64::from(*day));
            let amount = amount.map(|a| a.to_string()).unwrap_or_default();
            csv.push_str(&format!(
                "D-{deal},{day},{},{},{},{},{amount}\n",
                OUTCOMES[*o], NAMES[*c], REASONS[*r], SEGMENTS[*seg]
            ));
        }
        csv
    }

    fn import(s: &Store, text: &str) -> Option<i64> {
        match try_import(s, text) {
            ImportOutcome::Imported(sum) => Some(sum.id),
            _ => None,
        }
    }

    fn row() -> impl Strategy<Value = Row> {
        (0u8..25, 0u16..=365, 0usize..3, 0usize..6, 0usize..3, 0usize..3, proptest::option::of(0u32..90_000))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn the_count_per_quarter_gives_the_same_win_loss_as_every_outcome(
            files in proptest::collection::vec(proptest::collection::vec(row(), 1..12), 1..5),
            undo in proptest::collection::vec(any::<bool>(), 5),
        ) {
            let s = store();
            acme(&s);
            let mut ids = Vec::new();
            for (i, rows) in files.iter().enumerate() {
                ids.extend(import(&s, &file(rows)));
                if undo[i] && let Some(&id) = ids.last() {
                    let _ = s.imports().undo(id, now(), false);
                }
            }
            prop_assert!(s.compete().quarter_mismatches().unwrap().is_empty());
            for p in ["2026-Q4", "2026-Q3", "2026-Q1"] {
                let p = Period::parse(p).unwrap();
                for by in [By::Competitor, By::Reason, By::Segment] {
                    prop_assert_eq!(comparison(&s, p, by).unwrap(), comparison_from_outcomes(&s, p, by).unwrap());
                }
            }
        }
    }
}

#[test]
fn check_finds_a_per_quarter_count_that_disagrees_with_the_outcomes() {
    let s = store();
    import(&s, FILE);
    assert!(s.check().unwrap().is_empty());
    let tamper = "UPDATE deal_outcome_quarter SET deals = deals + 1 WHERE rowid = 1";
    s.write(|tx| Ok::<_, crate::store::error::Error>(tx.conn().execute(tamper, [])?)).unwrap();
    let problems = s.check().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("deal outcomes per quarter disagree with the outcomes (1 rows wrong, 1 missing)"));
}
