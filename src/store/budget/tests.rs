//! The budget store: plans, spend, moves with their decision, and the dashboard's feeds.

use chrono::NaiveDate;

use super::*;
use crate::domain::budget::totals;
use crate::domain::model::Bucket;
use crate::store::Store;

fn now() -> chrono::NaiveDateTime {
    crate::clock::parse_now("2026-11-20T08:45").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn q4() -> Period {
    Period::parse("2026-Q4").unwrap()
}

fn plan(s: &Store, name: &str, channel: &str, bucket: Bucket, cents: i64) -> i64 {
    let p = NewPlan {
        name: name.into(),
        period: q4(),
        planned_cents: cents,
        channel: Some(channel.into()),
        bucket: Some(bucket),
        reason: String::new(),
    };
    s.write(|tx| tx.budget().plan(&p, now())).unwrap().id
}

fn count(s: &Store, table: &str) -> i64 {
    s.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

/// Display 45,000 planned with 18,000 spent; search 150,000 planned with 80,000 spent.
fn two_campaigns() -> (Store, i64, i64) {
    let s = Store::open_in_memory().unwrap();
    let display = plan(&s, "Display retargeting", "display", Bucket::Growth, 4_500_000);
    let search = plan(&s, "Search – Core terms", "paid-search", Bucket::Core, 15_000_000);
    s.write(|tx| tx.budget().spend_add(display, day("2026-11-02"), 1_800_000, "Oct+Nov", now())).unwrap();
    s.write(|tx| tx.budget().spend_add(search, day("2026-11-19"), 8_000_000, "", now())).unwrap();
    (s, display, search)
}

#[test]
fn moving_money_changes_both_plans_and_logs_one_done_decision_linked_to_both() {
    let (s, display, search) = two_campaigns();
    let m = MoveRequest {
        from_id: display,
        to_id: search,
        amount_cents: 500_000,
        reason: "search CPL is half of display's".into(),
        owner: "dana".into(),
    };
    let out = s.write(|tx| tx.budget().move_money(&m, now())).unwrap();
    let rows = s.budget().rows(&q4(), now().date()).unwrap();
    let by_id = |id| rows.iter().find(|r| r.facts.id == id).unwrap();
    assert_eq!((by_id(display).facts.planned_cents, by_id(display).remaining_cents), (4_000_000, 2_200_000));
    assert_eq!((by_id(search).facts.planned_cents, by_id(search).remaining_cents), (15_500_000, 7_500_000));
    let (title, rec, owner, status, c1, c2, closed): (String, String, String, String, i64, i64, Option<String>) = s
        .conn
        .query_row(
            "SELECT title, recommendation, owner, status, campaign_id, campaign2_id, closed_at FROM decision WHERE id = ?1",
            [out.decision_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .unwrap();
    assert_eq!(title, "Move $5,000 from Display retargeting to Search – Core terms");
    assert_eq!((rec.as_str(), owner.as_str(), status.as_str()), ("search CPL is half of display's", "dana", "done"));
    assert_eq!((c1, c2), (display, search));
    assert!(closed.is_some());
    let history = s.budget().plan_history(display).unwrap();
    assert_eq!(
        history.last().map(|h| (h.from_cents, h.to_cents, h.decision_id)),
        Some((4_500_000, 4_000_000, Some(out.decision_id)))
    );
    assert_eq!(count(&s, "budget_move"), 1);
}

#[test]
fn a_refused_move_changes_nothing() {
    let (s, display, search) = two_campaigns();
    let before = s.budget().rows(&q4(), now().date()).unwrap();
    let too_much = MoveRequest {
        from_id: display,
        to_id: search,
        amount_cents: 2_700_001,
        reason: "all in on search".into(),
        owner: "dana".into(),
    };
    let err = s.write(|tx| tx.budget().move_money(&too_much, now())).unwrap_err();
    assert_eq!(err.kind().exit_code(), 2);
    assert!(err.to_string().contains("$27,000 available"), "{err}");
    let no_reason = MoveRequest { amount_cents: 100, reason: " ".into(), ..too_much };
    assert!(s.write(|tx| tx.budget().move_money(&no_reason, now())).unwrap_err().to_string().contains("reason"));
    assert_eq!(s.budget().rows(&q4(), now().date()).unwrap(), before);
    assert_eq!((count(&s, "decision"), count(&s, "budget_move")), (0, 0));
    assert_eq!(count(&s, "plan_change"), 2); // the two creations only
}

#[test]
fn spend_must_be_positive_dated_in_its_quarter_and_not_in_the_future() {
    let (s, display, _) = two_campaigns();
    let n = now();
    assert!(
        s.write(|tx| tx.budget().spend_add(display, day("2026-11-19"), -500, "", n))
            .unwrap_err()
            .to_string()
            .contains("positive")
    );
    assert!(
        s.write(|tx| tx.budget().spend_add(display, day("2026-09-30"), 500, "", n))
            .unwrap_err()
            .to_string()
            .contains("outside 2026-Q4")
    );
    assert!(
        s.write(|tx| tx.budget().spend_add(display, day("2026-11-21"), 500, "", n))
            .unwrap_err()
            .to_string()
            .contains("future")
    );
    let id = s.write(|tx| tx.budget().spend_add(display, day("2026-11-20"), 12_345, "today's invoice", n)).unwrap();
    s.write(|tx| tx.budget().spend_update(id, day("2026-11-19"), 12_300, "corrected", n.date())).unwrap();
    let gone = s.write(|tx| tx.budget().spend_delete(id)).unwrap();
    assert_eq!((gone.amount_cents, gone.note.as_str()), (12_300, "corrected"));
    assert_eq!(s.budget().spend_entries(display).unwrap().len(), 1);
    s.write(|tx| tx.budget().spend_restore(&gone)).unwrap();
    assert_eq!(s.budget().spend_entries(display).unwrap().last(), Some(&gone));
}

#[test]
fn replanning_keeps_a_history_and_names_match_in_any_case() {
    let (s, display, _) = two_campaigns();
    let p = NewPlan {
        name: "display RETARGETING".into(),
        period: q4(),
        planned_cents: 5_000_000,
        channel: None,
        bucket: None,
        reason: "Q4 push".into(),
    };
    let out = s.write(|tx| tx.budget().plan(&p, now())).unwrap();
    assert_eq!((out.id, out.created, out.from_cents), (display, false, 4_500_000));
    let h = s.budget().plan_history(display).unwrap();
    assert_eq!(
        h.iter().map(|c| (c.from_cents, c.to_cents)).collect::<Vec<_>>(),
        vec![(0, 4_500_000), (4_500_000, 5_000_000)]
    );
    assert_eq!(s.budget().find_campaign("display", &q4()).unwrap().id, display);
    let err = s.budget().find_campaign("Dispaly retargetting", &q4()).unwrap_err().to_string();
    assert!(err.contains("did you mean: Display retargeting"), "{err}");
    let err = s.budget().find_campaign("e", &q4()).unwrap_err().to_string();
    assert!(err.contains("more than one"), "{err}");
}

#[test]
fn the_dashboard_feeds_are_the_budget_screens_totals() {
    let s = Store::open_in_memory().unwrap();
    let n = now();
    s.write(|tx| {
        crate::store::demo::fill(tx, n, &crate::store::demo::DemoOptions { seed: 1, days: 120, ..Default::default() })
    })
    .unwrap();
    let rows = s.budget().rows(&q4(), n.date()).unwrap();
    let t = totals(&rows, Elapsed::at(&q4(), n.date()));
    let burn = s.budget().burn(n.date()).unwrap();
    assert_eq!(
        (burn.planned_cents, burn.spent_cents, burn.forecast_cents),
        (t.facts.planned_cents, t.facts.spent_cents, t.forecast_cents)
    );
    assert_eq!(burn.elapsed_share, 50.0 / 92.0);
    let alerts = s.budget().alerts(n.date()).unwrap();
    assert_eq!(alerts.first().map(|a| a.name.as_str()), Some("Display retargeting"));
    for a in &alerts {
        let r = rows.iter().find(|r| r.facts.id == a.id).unwrap();
        assert_eq!(a.deviation, r.pace.deviation);
    }
    assert!(alerts.iter().any(|a| a.name == "LinkedIn ABM" && a.deviation > 0.05));
}
