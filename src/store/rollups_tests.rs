//! Tests of the KPI rollups kept with every write (`store::rollups`).

use super::*;
use crate::store::Store;
use crate::store::kpis::NewObservation;

fn d(s: &str) -> NaiveDate {
    iso_day(s).expect("day")
}

fn store() -> Store {
    let s = Store::open_in_memory().expect("store");
    s.write(|tx| {
        tx.meta().init_role(crate::assets::Role::DemandGen, crate::clock::parse_now("2026-11-20").expect("now"))
    })
    .expect("init");
    s
}

fn record(s: &Store, metric: &str, day: &str, channel: &str, value: f64) -> i64 {
    let now = crate::clock::parse_now("2026-11-20").expect("now");
    let o = NewObservation { metric: metric.into(), day: d(day), channel: channel.into(), value };
    s.write(|tx| tx.kpis().record(&o, now)).expect("record")
}

#[test]
fn totals_channels_and_feeds_follow_every_write() {
    let s = store();
    record(&s, "leads", "2026-11-18", "email", 3.0);
    let id = record(&s, "leads", "2026-11-18", "email", 2.0);
    record(&s, "leads", "2026-11-19", "", 7.0);
    let cube = s.kpis().daily_totals(&["leads".into()], d("2026-11-01"), d("2026-11-19")).expect("totals");
    let all = cube.range("leads", None, d("2026-11-01"), d("2026-11-19"));
    assert_eq!((all.sum, all.count), (12.0, 3));
    assert!(cube.channels("leads").is_empty(), "totals only");
    assert_eq!(s.kpis().channels_of(&["leads".into()]).expect("channels"), ["email"]);
    let feeds = s.kpis().feeds().expect("feeds");
    assert_eq!(feeds.len(), 1);
    assert_eq!((feeds[0].source.as_str(), feeds[0].last_day, feeds[0].facts), (MANUAL, d("2026-11-19"), 3));

    // Moved to another channel and day, then gone: nothing of it is left behind.
    let o = NewObservation { metric: "leads".into(), day: d("2026-11-10"), channel: "paid-search".into(), value: 4.0 };
    s.write(|tx| tx.kpis().update(id, &o)).expect("update");
    assert_eq!(s.kpis().channels_of(&["leads".into()]).expect("channels"), ["email", "paid-search"]);
    s.write(|tx| tx.kpis().delete(id)).expect("delete");
    assert_eq!(s.kpis().channels_of(&["leads".into()]).expect("channels"), ["email"]);
    assert!(s.kpis().rollup_mismatches().expect("compare").is_empty());
    assert!(s.kpis().version().expect("version") >= 5, "every write moved the version");
}

#[test]
fn a_derived_result_is_kept_only_while_the_facts_have_not_moved() {
    let s = store();
    let v = s.kpis().version().expect("version");
    let day = d("2026-11-19");
    assert!(s.write(|tx| tx.kpis().keep_scan(day, "p", v, "[]")).expect("keep"));
    assert_eq!(s.kpis().kept_scan(day, "p").expect("kept").as_deref(), Some("[]"));
    assert_eq!(s.kpis().kept_scan(day, "other params").expect("kept"), None);
    record(&s, "leads", "2026-11-19", "email", 1.0);
    assert_eq!(s.kpis().kept_scan(day, "p").expect("kept"), None, "a write dates it");
    // Computed before that write: refused.
    assert!(!s.write(|tx| tx.kpis().keep_scan(day, "p", v, "[]")).expect("keep"));
}

#[test]
fn keeping_a_result_never_waits_for_another_writer() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("s.db");
    let a = Store::create(&path, false).expect("a");
    let (hold_tx, hold_rx) = std::sync::mpsc::channel::<()>();
    let (started_tx, started_rx) = std::sync::mpsc::channel::<()>();
    let writer = std::thread::spawn(move || {
        let b = Store::open(&path).expect("b");
        b.write(|_tx| {
            started_tx.send(()).expect("send");
            // Held until released, or for 2 s: a writer that waited for the lock would get
            // it then, and write.
            let _ = hold_rx.recv_timeout(std::time::Duration::from_secs(2));
            Ok::<_, Error>(())
        })
        .expect("b writes");
    });
    started_rx.recv().expect("b holds the lock");
    assert_eq!(a.write_if_free(|_tx| Ok(1)).expect("try"), None, "gave up at once");
    let _ = hold_tx.send(());
    writer.join().expect("writer");
    assert_eq!(a.write_if_free(|_tx| Ok(1)).expect("try"), Some(1));
}
