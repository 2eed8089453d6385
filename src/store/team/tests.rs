use super::*;
use crate::domain::allocation::{Allocation, allocation};
use crate::domain::team::{SEEDED_COMPETENCIES, matrix};
use crate::store::Store;

fn now() -> NaiveDateTime {
    crate::clock::parse_now("2026-11-20T09:00").unwrap()
}

fn person(key: &str, name: &str, level: &str, manager: Option<&str>) -> PersonInput {
    PersonInput { key: key.into(), name: name.into(), level: level.into(), manager: manager.map(String::from) }
}

#[test]
fn the_migration_seeds_the_seven_competencies_of_the_domain() {
    let s = Store::open_in_memory().unwrap();
    let seeded: Vec<(String, String)> =
        s.team().competencies().unwrap().into_iter().map(|c| (c.slug, c.label)).collect();
    let expected: Vec<(String, String)> =
        SEEDED_COMPETENCIES.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(seeded, expected);
}

#[test]
fn people_are_unique_by_key_in_any_case_and_dash_and_refusals_name_their_field() {
    let s = Store::open_in_memory().unwrap();
    s.write(|tx| tx.team().add_person(&person("Priya", "Priya Shah", "senior", None), now())).unwrap();
    let lee =
        s.write(|tx| tx.team().add_person(&person("lee", "Lee Park", "Junior PMM", Some("PRIYA")), now())).unwrap();
    assert_eq!((lee.level, lee.manager.as_deref()), (Level::Junior, Some("Priya")));
    let e = s.write(|tx| tx.team().add_person(&person("PRIYA", "Another", "pmm", None), now())).unwrap_err();
    assert_eq!(e.to_string(), "'Priya' is already on the team (Priya Shah)");
    assert_eq!(e.field(), Some("key"));
    let e = s.write(|tx| tx.team().add_person(&person("ana", "Ana", "lead", None), now())).unwrap_err();
    assert_eq!(
        (e.to_string().as_str(), e.field()),
        ("'lead' is not a level (one of: junior, pmm, senior, staff)", Some("level"))
    );
    let e = s.write(|tx| tx.team().add_person(&person("ana", "Ana", "pmm", Some("dana")), now())).unwrap_err();
    assert_eq!(e.field(), Some("manager"));
    let e = s.write(|tx| tx.team().add_person(&person("ana", " ", "pmm", None), now())).unwrap_err();
    assert_eq!(e.field(), Some("name"));
    assert_eq!(s.team().people().unwrap().len(), 2, "nothing written by a refusal");
    assert_eq!(s.team().resolve("priya shah", "person").unwrap().key, "Priya");
}

#[test]
fn a_senior_rated_staff_in_three_competencies_carries_three_promotion_marks() {
    let s = Store::open_in_memory().unwrap();
    let day = now().date();
    s.write(|tx| {
        tx.team().add_person(&person("priya", "Priya Shah", "senior", None), now())?;
        for c in ["positioning", "Launch execution", "coach"] {
            let r = RatingInput {
                person: "Priya".into(),
                competency: c.into(),
                level: "staff".into(),
                evidence: "did it".into(),
            };
            assert_eq!(tx.team().rate(&r, day, now())?.mark, Mark::PromotionEvidence);
        }
        Ok::<_, Error>(())
    })
    .unwrap();
    let blank = RatingInput {
        person: "priya".into(),
        competency: "analytics".into(),
        level: "pmm".into(),
        evidence: " ".into(),
    };
    let e = s.write(|tx| tx.team().rate(&blank, day, now())).unwrap_err();
    assert_eq!(e.field(), Some("evidence"));
    let t = s.team();
    let m = matrix(&t.people().unwrap(), &t.competencies().unwrap(), &t.ratings().unwrap());
    assert_eq!(m.rows[0].promotion_evidence(), 3);
}

#[test]
fn logging_a_week_again_replaces_it() {
    let s = Store::open_in_memory().unwrap();
    s.write(|tx| tx.team().add_person(&person("alex", "Alex Kim", "pmm", None), now())).unwrap();
    let first = s
        .write(|tx| tx.team().log_time("Alex", "2026-W47", &["core=10", "systems=10", "exploration=10"], now()))
        .unwrap();
    assert!(!first.replaced);
    let again = s
        .write(|tx| tx.team().log_time("alex", "2026-w47", &["exploration=16", "core=20", "systems=4"], now()))
        .unwrap();
    assert!(again.replaced);
    let e = s
        .write(|tx| tx.team().log_time("alex", "2026-11", &["core=1", "systems=1", "exploration=1"], now()))
        .unwrap_err();
    assert_eq!((e.to_string().as_str(), e.field()), ("'2026-11' is not a week (expected like 2026-W47)", Some("week")));
    let entries = s.team().time_entries().unwrap();
    assert_eq!(entries.len(), 1);
    let r = allocation(&s.team().people().unwrap(), &entries, None);
    let Allocation::Logged(split) = &r.team else { panic!("logged") };
    assert_eq!(split.flags().last(), Some("exploration 40%, +30 pts: strategic work with no clear output?"));
}

#[test]
fn competencies_are_added_renamed_and_retired_never_deleted() {
    let s = Store::open_in_memory().unwrap();
    s.write(|tx| tx.team().add_competency("Analyst relations")).unwrap();
    assert!(s.write(|tx| tx.team().add_competency("analyst-relations")).is_err());
    s.write(|tx| tx.team().rename_competency("analyst-r", "AR")).unwrap();
    s.write(|tx| tx.team().retire_competency("coaching", now())).unwrap();
    let slugs: Vec<String> = s.team().competencies().unwrap().into_iter().map(|c| c.slug).collect();
    assert_eq!(slugs.len(), 7);
    assert!(slugs.contains(&"analyst-relations".to_string()) && !slugs.contains(&"coaching".to_string()));
    s.write(|tx| tx.team().add_competency("Coaching")).unwrap();
    assert_eq!(s.team().competencies().unwrap().len(), 8, "a retired one comes back");
}

#[test]
fn facts_hand_over_open_records_with_their_owners_as_written() {
    let s = Store::open_in_memory().unwrap();
    let now = now();
    s.write(|tx| {
        tx.conn().execute_batch(
            "INSERT INTO decision(title, owner, made_at, status) VALUES ('Open', 'Dana', '2026-11-01T09:00:00', 'proposed');
             INSERT INTO decision(title, owner, made_at, status) VALUES ('Closed', 'Dana', '2026-11-01T09:00:00', 'done');
             INSERT INTO campaign(name, period, created_at) VALUES ('Old', '2026-Q3', '2026-07-01T09:00:00');
             INSERT INTO campaign(name, period, created_at, owner) VALUES ('Now', '2026-Q4', '2026-10-01T09:00:00', 'priya');",
        )?;
        Ok::<_, Error>(())
    })
    .unwrap();
    let f = s.team().facts(now.date()).unwrap();
    assert_eq!(f.decisions.len(), 1);
    assert_eq!(f.decisions[0].risk, None, "blank risk is no risk");
    let open: Vec<(bool, Option<&str>)> = f.campaigns.iter().map(|c| (c.open, c.owner.as_deref())).collect();
    assert_eq!(open, [(false, None), (true, Some("priya"))]);
}
