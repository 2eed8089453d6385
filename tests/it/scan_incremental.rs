//! Property test: after any sequence of KPI writes (values recorded, edited, deleted and put back,
//! kpi-csv files imported, undone), the channel anomaly scan and the judged feeds a store keeps,
//! brought up to date from the series each write touched, are the ones a full pass computes,
//! to the bit. The store starts with nine weeks of a weekly rhythm in a few channels (one of them
//! tiny, near the volume floor), so there are baselines to judge and floors to cross.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use mktg::brief::{fresh, scan};
use mktg::store::Store;
use mktg::store::kpis::{NewObservation, ObservationFilter};
use proptest::prelude::*;

const METRICS: [&str; 3] = ["leads", "spend", "mqls"];
const CHANNELS: [&str; 6] = ["email", "paid-search", "organic", "tiny", "", "events"];

fn now() -> NaiveDateTime {
    mktg::clock::parse_now("2026-11-20T08:45").expect("now")
}

fn yesterday() -> NaiveDate {
    now().date() - Duration::days(1)
}

fn day(back: u8) -> NaiveDate {
    yesterday() - Duration::days(i64::from(back % 64))
}

/// A weekly rhythm: weekdays busy, weekends quiet; the tiny channel near 1% of the total.
fn usual(metric: usize, channel: usize, d: NaiveDate) -> f64 {
    let weekday = if d.weekday().number_from_monday() <= 5 { 1.0 } else { 0.3 };
    let scale = [100.0, 40.0, 60.0, 2.0][channel];
    let m = [10.0, 300.0, 6.0][metric];
    let wobble = 1.0 + 0.04 * f64::from((d.ordinal() * 7 + channel as u32 * 3) % 5) / 4.0;
    (scale * m * weekday * wobble * 100.0).round() / 100.0
}

fn import(store: &Store, name: &str, text: &str) {
    crate::common::import_text(store, name, text, now());
}

fn seeded() -> Store {
    let store = Store::open_in_memory().expect("store");
    store.write(|tx| tx.meta().init_role(mktg::assets::Role::DemandGen, now())).expect("init");
    let mut text = String::from("date,metric,value,channel\n");
    for back in 0..64u8 {
        let d = day(back);
        for (m, metric) in METRICS.iter().enumerate() {
            for (c, channel) in CHANNELS.iter().take(4).enumerate() {
                let v = usual(m, c, d);
                let v = if *metric == "spend" { v } else { v.round() };
                text.push_str(&format!("{d},{metric},{v},{channel}\n"));
            }
        }
    }
    import(&store, "baseline.csv", &text);
    store
}

#[derive(Debug, Clone)]
enum Op {
    /// A value `times` its channel's usual (0 for a collapse, 10 for a spike).
    Record {
        metric: u8,
        back: u8,
        channel: u8,
        times: u8,
    },
    Edit {
        pick: u16,
        back: u8,
        times: u8,
    },
    Delete {
        pick: u16,
        put_back: bool,
    },
    KpiCsv {
        rows: Vec<(u8, u8, u8, u8)>,
    },
    Undo {
        pick: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let times = prop_oneof![Just(0u8), Just(1), Just(3), Just(10), Just(40)];
    prop_oneof![
        4 => (0u8..3, 0u8..8, 0u8..6, times.clone())
            .prop_map(|(metric, back, channel, times)| Op::Record { metric, back, channel, times }),
        2 => (any::<u16>(), 0u8..64, times.clone()).prop_map(|(pick, back, times)| Op::Edit { pick, back, times }),
        2 => (any::<u16>(), any::<bool>()).prop_map(|(pick, put_back)| Op::Delete { pick, put_back }),
        // Files in channels of their own: one sharing the baseline's keys would replace it.
        2 => proptest::collection::vec((0u8..3, 0u8..10, 4u8..6, times), 1..8).prop_map(|rows| Op::KpiCsv { rows }),
        1 => any::<u8>().prop_map(|pick| Op::Undo { pick }),
    ]
}

fn value(metric: usize, channel: usize, d: NaiveDate, times: u8) -> f64 {
    let v = usual(metric, channel.min(3), d) * f64::from(times) + 0.37;
    if METRICS[metric] == "spend" { (v * 100.0).round() / 100.0 } else { v.round() }
}

fn apply(store: &Store, op: &Op, n: usize) {
    let ids = || -> Vec<i64> {
        store.kpis().observations(&ObservationFilter::default()).expect("facts").into_iter().map(|o| o.id).collect()
    };
    match op {
        Op::Record { metric, back, channel, times } => {
            let (m, c) = (usize::from(*metric), usize::from(*channel));
            let o = NewObservation {
                metric: METRICS[m].into(),
                day: day(*back),
                channel: CHANNELS[c].into(),
                value: value(m, c, day(*back), *times),
            };
            store.write(|tx| tx.kpis().record(&o, now())).expect("record");
        }
        Op::Edit { pick, back, times } => {
            let all = ids();
            let Some(&id) = all.get(usize::from(*pick) % all.len().max(1)) else { return };
            let old = store.kpis().observation(id).expect("observation");
            let m = METRICS.iter().position(|k| *k == old.metric).unwrap_or(0);
            let c = CHANNELS.iter().position(|k| *k == old.channel).unwrap_or(0);
            let o = NewObservation {
                metric: old.metric.clone(),
                day: day(*back),
                channel: old.channel.clone(),
                value: value(m, c, day(*back), *times),
            };
            store.write(|tx| tx.kpis().update(id, &o)).expect("edit");
        }
        Op::Delete { pick, put_back } => {
            let all = ids();
            let Some(&id) = all.get(usize::from(*pick) % all.len().max(1)) else { return };
            let gone = store.write(|tx| tx.kpis().delete(id)).expect("delete");
            if *put_back {
                store.write(|tx| tx.kpis().restore(&gone, now())).expect("restore");
            }
        }
        Op::KpiCsv { rows } => {
            let mut seen = std::collections::HashSet::new();
            let mut text = String::from("date,metric,value,channel\n");
            for &(m, back, c, times) in rows {
                if seen.insert((m, back, c)) {
                    let (mi, ci) = (usize::from(m), usize::from(c));
                    let d = day(back);
                    text.push_str(&format!("{d},{},{},{}\n", METRICS[mi], value(mi, ci, d, times), CHANNELS[ci]));
                }
            }
            import(store, &format!("more-{n}.csv"), &text);
        }
        Op::Undo { pick } => {
            let live: Vec<i64> = store
                .imports()
                .log()
                .expect("log")
                .into_iter()
                .filter(|e| e.undone_at.is_none() && e.replaced_by.is_none() && e.file_name != "baseline.csv")
                .map(|e| e.id)
                .collect();
            if let Some(&id) = live.get(usize::from(*pick) % live.len().max(1)) {
                store.imports().undo(id, now(), false).expect("undo");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn a_kept_scan_brought_up_to_date_is_a_full_pass(ops in proptest::collection::vec(op(), 1..16)) {
        let store = seeded();
        let metrics = store.kpis().metrics().expect("metrics");
        let headline = mktg::brief::headline(&metrics);
        let inputs = mktg::brief::inputs(headline.iter().copied());
        let as_of = yesterday();
        let base: Vec<String> = METRICS.iter().map(|m| m.to_string()).collect();
        let from = as_of - Duration::days(60);
        let check = |store: &Store| -> Result<usize, TestCaseError> {
            let totals = store.kpis().daily_totals(&inputs, scan::window_start(as_of), as_of).expect("totals");
            let kept = scan::channel_anomalies(store, &headline, &totals, as_of).expect("scan");
            let full = scan::compute(store, &headline, &totals, as_of).expect("full");
            prop_assert_eq!(&kept, &full);
            let again = scan::channel_anomalies(store, &headline, &totals, as_of).expect("scan");
            prop_assert_eq!(&again, &full);
            let feeds = fresh::judged(store, &base, from, as_of).expect("feeds");
            prop_assert_eq!(&feeds, &fresh::judged_afresh(store, &base, from, as_of).expect("afresh"));
            Ok(full.len())
        };
        check(&store)?;
        for (n, op) in ops.iter().enumerate() {
            apply(&store, op, n);
            check(&store)?;
        }
    }
}

#[test]
fn a_one_channel_write_re_reads_that_channel_and_the_floor_moves_with_the_total() {
    let store = seeded();
    let metrics = store.kpis().metrics().expect("metrics");
    let headline = mktg::brief::headline(&metrics);
    let inputs = mktg::brief::inputs(headline.iter().copied());
    let as_of = yesterday();
    let totals = |s: &Store| s.kpis().daily_totals(&inputs, scan::window_start(as_of), as_of).expect("totals");
    let leads = |list: &[mktg::domain::anomaly::Anomaly]| -> Vec<String> {
        list.iter().filter(|a| a.metric == "leads").filter_map(|a| a.channel.clone()).collect()
    };
    assert!(leads(&scan::channel_anomalies(&store, &headline, &totals(&store), as_of).expect("scan")).is_empty());
    // A spike in the tiny channel: its own facts make it anomalous, but it is below the floor.
    let spike = |s: &Store, channel: &str, value: f64| {
        let o = NewObservation { metric: "leads".into(), day: as_of, channel: channel.into(), value };
        s.write(|tx| tx.kpis().record(&o, now())).expect("record");
    };
    spike(&store, "tiny", 300.0);
    let list = scan::channel_anomalies(&store, &headline, &totals(&store), as_of).expect("scan");
    assert_eq!(list, scan::compute(&store, &headline, &totals(&store), as_of).expect("full"));
    // A spike in a large channel shows, whatever the kept scan held.
    spike(&store, "email", 2000.0);
    let list = scan::channel_anomalies(&store, &headline, &totals(&store), as_of).expect("scan");
    assert_eq!(list, scan::compute(&store, &headline, &totals(&store), as_of).expect("full"));
    assert!(leads(&list).contains(&"email".to_string()), "{list:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// A new day's first brief carries the day before's kept scan and feeds forward (re-reading
    /// what moved, and the series with facts on the days in between): the same, to the bit, as a
    /// full pass of that day. The days start before the data ends (facts ahead of the kept day)
    /// and run past it (days with no facts at all), with writes between them.
    #[test]
    fn a_kept_scan_carried_to_a_later_day_is_a_full_pass(
        steps in proptest::collection::vec((proptest::option::of(op()), prop_oneof![Just(0u8), Just(1), Just(2), Just(3), Just(8)]), 1..10)
    ) {
        let store = seeded();
        let metrics = store.kpis().metrics().expect("metrics");
        let headline = mktg::brief::headline(&metrics);
        let inputs = mktg::brief::inputs(headline.iter().copied());
        let base: Vec<String> = METRICS.iter().map(|m| m.to_string()).collect();
        // The feeds' window starts where the brief's would while the data's last day holds still.
        let from = yesterday() - Duration::days(60);
        let check = |store: &Store, as_of: NaiveDate| -> Result<(), TestCaseError> {
            let totals = store.kpis().daily_totals(&inputs, scan::window_start(as_of), as_of).expect("totals");
            let kept = scan::channel_anomalies(store, &headline, &totals, as_of).expect("scan");
            prop_assert_eq!(&kept, &scan::compute(store, &headline, &totals, as_of).expect("full"), "{}", as_of);
            let feeds = fresh::judged(store, &base, from, as_of).expect("feeds");
            prop_assert_eq!(&feeds, &fresh::judged_afresh(store, &base, from, as_of).expect("afresh"), "{}", as_of);
            Ok(())
        };
        let mut as_of = yesterday() - Duration::days(6);
        check(&store, as_of)?;
        for (n, (op, step)) in steps.iter().enumerate() {
            if let Some(op) = op {
                apply(&store, op, n);
            }
            as_of += Duration::days(i64::from(*step));
            check(&store, as_of)?;
        }
    }
}

#[test]
fn a_spike_recorded_ahead_of_the_kept_day_shows_on_the_day_it_is_judged() {
    let store = seeded();
    let metrics = store.kpis().metrics().expect("metrics");
    let headline = mktg::brief::headline(&metrics);
    let inputs = mktg::brief::inputs(headline.iter().copied());
    let totals = |s: &Store, as_of| s.kpis().daily_totals(&inputs, scan::window_start(as_of), as_of).expect("totals");
    let base: Vec<String> = METRICS.iter().map(|m| m.to_string()).collect();
    let from = yesterday() - Duration::days(60);
    // Yesterday's spike is in the store before the scan and feeds of three days earlier are kept.
    let o = NewObservation { metric: "leads".into(), day: yesterday(), channel: "email".into(), value: 2000.0 };
    store.write(|tx| tx.kpis().record(&o, now())).expect("record");
    let before = yesterday() - Duration::days(3);
    scan::channel_anomalies(&store, &headline, &totals(&store, before), before).expect("scan");
    fresh::judged(&store, &base, from, before).expect("feeds");
    for as_of in [yesterday(), yesterday() + Duration::days(2)] {
        let list = scan::channel_anomalies(&store, &headline, &totals(&store, as_of), as_of).expect("scan");
        assert_eq!(list, scan::compute(&store, &headline, &totals(&store, as_of), as_of).expect("full"));
        assert!(list.iter().any(|a| a.channel.as_deref() == Some("email") && a.day == yesterday()), "{list:?}");
        let feeds = fresh::judged(&store, &base, from, as_of).expect("feeds");
        assert_eq!(feeds, fresh::judged_afresh(&store, &base, from, as_of).expect("afresh"));
    }
}
