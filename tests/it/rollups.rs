//! Property test: whatever sequence of KPI writes a store goes through (values recorded, edited,
//! deleted and put back; budget spend entries and their spend twins; kpi-csv files imported,
//! streamed or parsed first; updated exports replacing earlier ones; spend-csv files; undos),
//! its rollups equal a fresh aggregation of its facts, and the channel scan it keeps equals a
//! fresh one.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use mktg::brief::{fresh, scan};
use mktg::config::Config;
use mktg::domain::period::{Grain, Period};
use mktg::io::import::{ParseOptions, fingerprint, parse, parse_streaming};
use mktg::store::Store;
use mktg::store::budget::NewPlan;
use mktg::store::imports::{ImportOutcome, ImportRequest, StreamRequest, Streamed};
use mktg::store::kpis::{NewObservation, ObservationFilter};
use proptest::prelude::*;

const METRICS: [&str; 4] = ["leads", "spend", "mqls", "sessions"];
const CHANNELS: [&str; 4] = ["", "email", "paid-search", "organic"];
const CAMPAIGNS: [&str; 2] = ["Search", "Nurture"];

fn now() -> NaiveDateTime {
    mktg::clock::parse_now("2026-11-20T08:45").expect("now")
}

/// A day of the quarter up to yesterday: `back` days before it.
fn day(back: u8) -> NaiveDate {
    now().date() - Duration::days(1 + i64::from(back % 50))
}

/// Values in cents: sums of them are not exact in binary, as real money is not.
fn value(cents: u32) -> f64 {
    f64::from(cents % 1_000_000) / 100.0
}

#[derive(Debug, Clone)]
enum Op {
    Record {
        metric: u8,
        day: u8,
        channel: u8,
        cents: u32,
    },
    Edit {
        pick: u16,
        day: u8,
        channel: u8,
        cents: u32,
    },
    Delete {
        pick: u16,
        put_back: bool,
    },
    KpiCsv {
        rows: Vec<(u8, u8, u8, u32)>,
        stream: bool,
    },
    /// An earlier kpi-csv exported again with some values changed and a row gone: it replaces.
    Reexport {
        pick: u16,
        edits: Vec<(u8, u32)>,
        drop: u8,
        stream: bool,
    },
    SpendCsv {
        rows: Vec<(u8, u8, u32)>,
    },
    Spend {
        campaign: u8,
        day: u8,
        cents: u32,
        then: u8,
    },
    Undo {
        pick: u16,
    },
}

fn op() -> impl Strategy<Value = Op> {
    // Few days, metrics and channels: files overlap and share keys, so updated exports replace.
    let row = (0u8..8, 0u8..4, 0u8..4, 1u32..100_000);
    prop_oneof![
        3 => (0u8..4, 0u8..8, 0u8..4, 1u32..100_000)
            .prop_map(|(metric, day, channel, cents)| Op::Record { metric, day, channel, cents }),
        2 => (any::<u16>(), 0u8..8, 0u8..4, 1u32..100_000)
            .prop_map(|(pick, day, channel, cents)| Op::Edit { pick, day, channel, cents }),
        2 => (any::<u16>(), any::<bool>()).prop_map(|(pick, put_back)| Op::Delete { pick, put_back }),
        3 => (proptest::collection::vec(row, 1..12), any::<bool>()).prop_map(|(rows, stream)| Op::KpiCsv { rows, stream }),
        2 => (any::<u16>(), proptest::collection::vec((any::<u8>(), 1u32..100_000), 0..4), any::<u8>(), any::<bool>())
            .prop_map(|(pick, edits, drop, stream)| Op::Reexport { pick, edits, drop, stream }),
        1 => proptest::collection::vec((0u8..8, 0u8..2, 1u32..100_000), 1..6).prop_map(|rows| Op::SpendCsv { rows }),
        2 => (0u8..2, 0u8..8, 1u32..100_000, 0u8..3)
            .prop_map(|(campaign, day, cents, then)| Op::Spend { campaign, day, cents, then }),
        2 => any::<u16>().prop_map(|pick| Op::Undo { pick }),
    ]
}

fn kpi_csv(rows: &[(u8, u8, u8, u32)]) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut text = String::from("date,metric,value,channel\n");
    for &(d, m, c, cents) in rows {
        // kpi-csv refuses a repeated (date, metric, channel): keep the first.
        if seen.insert((d, m, c)) {
            let (metric, channel) = (METRICS[usize::from(m)], CHANNELS[usize::from(c)]);
            // A count in a file is whole (#13: imports are held to `kpi record`'s rules); money keeps
            // its cents, whose sums are not exact in binary.
            let v = if metric == "spend" { value(cents) } else { f64::from(cents % 10_000) };
            text.push_str(&format!("{},{metric},{v},{channel}\n", day(d)));
        }
    }
    text
}

fn spend_csv(rows: &[(u8, u8, u32)]) -> String {
    let mut text = String::from("date,campaign,amount,channel\n");
    for &(d, c, cents) in rows {
        text.push_str(&format!("{},{},{},paid-search\n", day(d), CAMPAIGNS[usize::from(c)], value(cents)));
    }
    text
}

/// Imports `text` as the cockpit's command does: kpi-csv streamed while it parses, or parsed first.
fn import(store: &Store, name: &str, text: &str, stream: bool) {
    let bytes = text.as_bytes();
    let print = fingerprint(bytes);
    if stream {
        let (to_store, batches) = std::sync::mpsc::sync_channel(4);
        std::thread::scope(|s| {
            let parser = s.spawn(|| parse_streaming(bytes, &ParseOptions::new(None), to_store));
            let finish = || parser.join().expect("parser");
            match batches.recv() {
                Ok(first) => {
                    let req = StreamRequest {
                        file_name: name,
                        fingerprint: &print,
                        now: now(),
                        dry_run: false,
                        estimated_facts: 1,
                        user: "dana",
                    };
                    match store.imports().import_streamed(&req, first, batches, finish, &mut |_, _| {}).expect("stream")
                    {
                        Streamed::Done(ImportOutcome::Refused(e), _) => panic!("refused: {e:?}"),
                        Streamed::ParseFailed(e) => panic!("parse: {e:?}"),
                        Streamed::Done(..) => {}
                    }
                }
                Err(_) => {
                    let parsed = finish().expect("parse");
                    let req = ImportRequest {
                        file_name: name,
                        fingerprint: &print,
                        parsed: &parsed,
                        now: now(),
                        dry_run: false,
                        user: "dana",
                    };
                    store.imports().import(&req, &mut |_, _| {}).expect("import");
                }
            }
        });
    } else {
        let parsed = parse(bytes, None).expect("parse");
        let req = ImportRequest {
            file_name: name,
            fingerprint: &print,
            parsed: &parsed,
            now: now(),
            dry_run: false,
            user: "dana",
        };
        let outcome = store.imports().import(&req, &mut |_, _| {}).expect("import");
        if let ImportOutcome::Refused(e) = outcome {
            panic!("refused: {e:?}");
        }
    }
}

fn facts(store: &Store) -> Vec<i64> {
    store.kpis().observations(&ObservationFilter::default()).expect("facts").into_iter().map(|o| o.id).collect()
}

type Rows = Vec<(u8, u8, u8, u32)>;

fn apply(store: &Store, op: &Op, n: usize, files: &mut Vec<Rows>) {
    let now = now();
    match op {
        Op::Record { metric, day: d, channel, cents } => {
            let o = NewObservation {
                metric: METRICS[usize::from(*metric)].into(),
                day: day(*d),
                channel: CHANNELS[usize::from(*channel)].into(),
                value: value(*cents),
            };
            store.write(|tx| tx.kpis().record(&o, now)).expect("record");
        }
        Op::Edit { pick, day: d, channel, cents } => {
            let all = facts(store);
            let Some(&id) = all.get(usize::from(*pick) % all.len().max(1)) else { return };
            let old = store.kpis().observation(id).expect("observation");
            let o = NewObservation {
                metric: old.metric,
                day: day(*d),
                channel: CHANNELS[usize::from(*channel)].into(),
                value: value(*cents),
            };
            store.write(|tx| tx.kpis().update(id, &o)).expect("edit");
        }
        Op::Delete { pick, put_back } => {
            let all = facts(store);
            let Some(&id) = all.get(usize::from(*pick) % all.len().max(1)) else { return };
            let gone = store.write(|tx| tx.kpis().delete(id)).expect("delete");
            if *put_back {
                store.write(|tx| tx.kpis().restore(&gone, now)).expect("restore");
            }
        }
        Op::KpiCsv { rows, stream } => {
            files.push(rows.clone());
            import(store, &format!("kpis-{n}.csv"), &kpi_csv(rows), *stream);
        }
        Op::Reexport { pick, edits, drop, stream } => {
            let Some(mut rows) = files.get(usize::from(*pick) % files.len().max(1)).cloned() else { return };
            for &(i, cents) in edits {
                let len = rows.len();
                rows[usize::from(i) % len].3 = cents;
            }
            if rows.len() > 1 {
                rows.remove(usize::from(*drop) % rows.len());
            }
            files.push(rows.clone());
            import(store, &format!("kpis-{n}.csv"), &kpi_csv(&rows), *stream);
        }
        Op::SpendCsv { rows } => import(store, &format!("spend-{n}.csv"), &spend_csv(rows), false),
        Op::Spend { campaign, day: d, cents, then } => {
            let quarter = Period::containing(Grain::Quarter, now.date());
            let name = CAMPAIGNS[usize::from(*campaign)];
            let plan = NewPlan {
                name: name.into(),
                period: quarter,
                planned_cents: 1_000_000,
                channel: Some("email".into()),
                bucket: None,
                reason: String::new(),
            };
            let id = store.write(|tx| tx.budget().plan(&plan, now)).expect("plan").id;
            let cents = i64::from(*cents);
            let entry = store.write(|tx| tx.budget().spend_add(id, day(*d), cents, "", now)).expect("spend");
            match then {
                1 => store
                    .write(|tx| tx.budget().spend_update(entry, day(d.wrapping_add(3)), cents + 7, "fix", now.date()))
                    .expect("edit spend"),
                2 => {
                    let e = store.write(|tx| tx.budget().spend_delete(entry)).expect("delete spend");
                    if cents % 2 == 0 {
                        store.write(|tx| tx.budget().spend_restore(&e)).expect("restore spend");
                    }
                }
                _ => {}
            }
        }
        Op::Undo { pick } => {
            let live: Vec<i64> = store
                .imports()
                .log()
                .expect("log")
                .into_iter()
                .filter(|e| e.undone_at.is_none() && e.replaced_by.is_none())
                .map(|e| e.id)
                .collect();
            if let Some(&id) = live.get(usize::from(*pick) % live.len().max(1)) {
                store.imports().undo(id, now, false).expect("undo");
            }
        }
    }
}

/// The monthly rollup by channel answers every span (whole months, a month's edges, a day, across
/// months) with the facts' own totals per channel, and the days each channel reported on.
fn channel_months_agree(store: &Store) -> Result<(), TestCaseError> {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
    let spans = [
        ("2026-09-25", "2026-11-19"),
        ("2026-10-01", "2026-10-31"),
        ("2026-10-03", "2026-10-29"),
        ("2026-11-01", "2026-11-18"),
        ("2026-10-12", "2026-11-02"),
        ("2026-11-19", "2026-11-19"),
    ];
    for metric in METRICS {
        for (a, b) in spans {
            let (a, b) = (d(a), d(b));
            let raw = store.kpis().cube(&[metric.to_string()], a, b).expect("cube");
            let fast = store.kpis().channel_totals(metric, a, b).expect("totals");
            let mut expected: Vec<(String, u32, f64)> = raw
                .channels(metric)
                .into_iter()
                .map(|c| {
                    let cell = raw.range(metric, Some(&c), a, b);
                    (c, cell.count, cell.sum)
                })
                .filter(|(_, n, _)| *n > 0)
                .collect();
            let mut got: Vec<(String, u32, f64)> =
                fast.into_iter().map(|(c, cell)| (c, cell.count, cell.sum)).collect();
            expected.sort_by(|x, y| x.0.cmp(&y.0));
            got.sort_by(|x, y| x.0.cmp(&y.0));
            prop_assert_eq!(expected.len(), got.len(), "{} {}..{}: {:?} vs {:?}", metric, a, b, expected, got);
            for (e, g) in expected.iter().zip(&got) {
                prop_assert!(
                    e.0 == g.0 && e.1 == g.1 && (e.2 - g.2).abs() <= 1e-6 * e.2.abs().max(1.0),
                    "{} {}..{}: facts {:?}, rollup {:?}",
                    metric,
                    a,
                    b,
                    e,
                    g
                );
            }
            let days: Vec<(String, Vec<NaiveDate>)> = raw
                .channels(metric)
                .into_iter()
                .map(|c| {
                    let days = raw.observed_days(metric, &c);
                    (c, days)
                })
                .filter(|(_, days)| !days.is_empty())
                .collect();
            prop_assert_eq!(days, store.kpis().channel_days(metric, a, b).expect("days"), "{} {}..{}", metric, a, b);
        }
    }
    // Freshness read from the rollups judges every feed as one read from the facts does.
    let base: Vec<String> = METRICS.iter().map(|m| m.to_string()).collect();
    let (from, through, data_through) = (d("2026-09-28"), d("2026-11-19"), d("2026-11-18"));
    let raw = store.kpis().cube(&base, from, through).expect("cube");
    let expected = fresh::kpi_feeds(&raw, &base, through, data_through);
    let totals = store.kpis().daily_totals(&base, from - Duration::days(20), through).expect("totals");
    let kept =
        fresh::kpi_feeds_kept(store, &totals, &base, (from, through, data_through), fresh::Which::All).expect("feeds");
    prop_assert_eq!(expected.len(), kept.len(), "{:?} vs {:?}", expected, kept);
    for (e, k) in expected.iter().zip(&kept) {
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
        prop_assert!(
            e.metric == k.metric
                && e.channel == k.channel
                && e.fresh == k.fresh
                && near(e.share, k.share)
                && near(e.daily_rate, k.daily_rate),
            "facts {:?}, rollups {:?}",
            e,
            k
        );
    }
    // The brief's read: the same feeds, the quiet ones alone.
    let quiet = fresh::kpi_feeds_kept(store, &totals, &base, (from, through, data_through), fresh::Which::Quiet)
        .expect("quiet");
    prop_assert_eq!(quiet, kept.into_iter().filter(|f| f.fresh.stale).collect::<Vec<_>>());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn rollups_equal_a_fresh_aggregation_after_any_sequence_of_writes(ops in proptest::collection::vec(op(), 1..24)) {
        let store = Store::open_in_memory().expect("store");
        store.write(|tx| tx.meta().init_role(mktg::assets::Role::DemandGen, now())).expect("init");
        let metrics = store.kpis().metrics().expect("metrics");
        let headline = mktg::brief::headline(&metrics);
        let yesterday = now().date() - Duration::days(1);
        let mut files = Vec::new();
        for (n, op) in ops.iter().enumerate() {
            apply(&store, op, n, &mut files);
            let wrong = store.kpis().rollup_mismatches().expect("compare");
            prop_assert!(wrong.is_empty(), "after {op:?}: {wrong:#?}");
            // The kept scan (brought up to date from the series a write touched, or read back
            // when nothing moved since it was kept) is a fresh one.
            let inputs = mktg::brief::inputs(headline.iter().copied());
            let totals = store.kpis().daily_totals(&inputs, scan::window_start(yesterday), yesterday).expect("totals");
            let kept = scan::channel_anomalies(&store, &headline, &totals, yesterday).expect("scan");
            let again = scan::channel_anomalies(&store, &headline, &totals, yesterday).expect("scan");
            let fresh = scan::compute(&store, &headline, &totals, yesterday).expect("fresh");
            prop_assert_eq!(&kept, &fresh);
            prop_assert_eq!(&again, &fresh);
            channel_months_agree(&store)?;
        }
        // And the brief built on them reads the same totals as the facts.
        mktg::brief::Brief::build(&store, &Config::default(), now()).expect("brief");
    }
}
