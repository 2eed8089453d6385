//! Property: any valid kpi-csv imports, exports with `export kpis --format csv`, and reads back
//! as the same facts; importing the export into a fresh store gives the same export again.
//! In-process (an in-memory store), so many cases run in well under a second.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use mktg::assets::Role;
use mktg::clock::parse_now;
use mktg::domain::channel::{Aliases, Channel};
use mktg::io::export::kpis::export;
use mktg::io::import::{Fact, parse};
use mktg::output::Format;
use mktg::store::Store;
use mktg::store::imports::ImportOutcome;
use proptest::prelude::*;

/// Metric keys both role templates define.
const METRICS: [&str; 8] = ["sessions", "leads", "mqls", "pipeline", "revenue", "spend", "clicks", "won"];

type Rows = BTreeMap<(NaiveDate, String, String), f64>;

fn rows() -> impl Strategy<Value = Rows> {
    // Up to 2026-11-04: observations are for days that have happened (the clock reads 2026-11-20).
    let day = (0i64..2500).prop_map(|d| NaiveDate::from_ymd_opt(2020, 1, 1).expect("date") + chrono::Duration::days(d));
    let metric = proptest::sample::select(METRICS.to_vec()).prop_map(str::to_string);
    // Channels the alias table leaves as they are ("cpc" would come back as paid-search).
    let channel =
        prop_oneof![Just(String::new()), proptest::collection::vec("[a-z]{1,6}", 1..3).prop_map(|w| w.join("-")),]
            .prop_filter(
                "an alias of another channel",
                |c| !matches!(Aliases::default().channel(c), Channel::Known(slug) if slug != *c),
            );
    // Values as exports write them: whole counts, cents, negatives, large figures.
    let value = prop_oneof![
        (0i64..1_000_000).prop_map(|v| v as f64),
        (-1_000_000i64..100_000_000).prop_map(|c| c as f64 / 100.0),
        (0u32..10_000).prop_map(|v| f64::from(v) / 1000.0),
        (0i64..4_000_000_000_000).prop_map(|v| v as f64),
    ];
    // Valid for the store: counts are whole and never below zero (currency may be: refunds).
    proptest::collection::btree_map((day, metric, channel), value, 0..40).prop_map(|rows| {
        rows.into_iter()
            .map(|(k, v)| {
                let currency = matches!(k.1.as_str(), "pipeline" | "revenue" | "spend");
                // Money has at most the currency's two decimals.
                let v = if currency { (v * 100.0).round() / 100.0 } else { v.abs().trunc() };
                (k, v)
            })
            .collect()
    })
}

fn kpi_csv(rows: &Rows) -> String {
    let mut text = String::from("date,metric,value,channel\n");
    for ((day, metric, channel), value) in rows {
        text.push_str(&format!("{day},{metric},{value},{channel}\n"));
    }
    text
}

fn import(store: &Store, text: &str) {
    let facts = parse(text.as_bytes(), None).unwrap_or_else(|e| panic!("{e:?}\n{text}")).facts.len();
    let now = parse_now("2026-11-20T08:45").expect("now");
    match crate::common::import_text(store, "kpis.csv", text, now) {
        ImportOutcome::Imported(s) => assert_eq!(s.created, facts),
        ImportOutcome::AlreadyImported { id, .. } => panic!("already imported as #{id}"),
        ImportOutcome::Refused(_) => unreachable!("import_text fails the test on a refusal"),
    }
}

fn fresh() -> Store {
    let s = Store::open_in_memory().expect("store");
    s.write(|tx| tx.meta().init_role(Role::DemandGen, parse_now("2026-11-20").expect("now"))).expect("init");
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_valid_kpi_csv_round_trips_through_import_and_export(rows in rows()) {
        let now = parse_now("2026-11-20T08:45").expect("now");
        let store = fresh();
        import(&store, &kpi_csv(&rows));
        let exported = export(&store, Some(Format::Csv), now).expect("export");

        let back = parse(exported.as_bytes(), None).unwrap_or_else(|e| panic!("{e:?}\n{exported}"));
        let got: Rows = back
            .facts
            .iter()
            .map(|f| match f {
                Fact::Kpi { day, metric, channel, value, .. } => ((*day, metric.clone(), channel.clone()), *value),
                Fact::Spend { .. } | Fact::Experiment { .. } | Fact::Outcome { .. } | Fact::Touch { .. } => panic!("not a kpi in a kpi export"),
            })
            .collect();
        prop_assert_eq!(&got, &rows);

        let again = fresh();
        import(&again, &exported);
        prop_assert_eq!(export(&again, Some(Format::Csv), now).expect("export"), exported);
    }
}
