//! Attribution of 100,000 deals with 10 touches each under all seven models, added up by
//! channel: the whole computation `mktg attribution --compare` runs (the target: under
//! 2 s on the 2-core machine).
//!
//! `nice cargo bench --bench attribution`

use std::hint::black_box;

use chrono::{Duration, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use mktg::domain::attribution::{By, Deal, Model, Settings, Touch, TouchKind, report};

const CHANNELS: [&str; 8] =
    ["linkedin", "organic-search", "email", "paid-search", "events", "direct", "paid-social", "webinar"];

/// Deterministic deals: a small LCG picks channels and gaps, and every deal carries its three
/// milestone rows (without a channel, so they mark touches as the importers' rows do).
fn deals(n: usize, touches: usize) -> Vec<Deal> {
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |bound: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % bound
    };
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).and_then(|d| d.and_hms_opt(9, 0, 0)).expect("date");
    (0..n)
        .map(|i| {
            let mut at = start + Duration::days(next(300) as i64);
            let mut rows: Vec<Touch> = (0..touches)
                .map(|_| {
                    at += Duration::hours(1 + next(240) as i64);
                    let channel = CHANNELS[next(CHANNELS.len() as u64) as usize];
                    Touch { at, channel: Some(channel.into()), campaign: None, kind: TouchKind::Touch }
                })
                .collect();
            let converted_at = rows[touches - 1].at;
            for (k, kind) in
                [(2, TouchKind::ContactCreated), (5, TouchKind::DealCreated), (touches - 1, TouchKind::ClosedWon)]
            {
                rows.push(Touch { at: rows[k].at, channel: None, campaign: None, kind });
            }
            Deal { id: format!("d{i}"), amount_cents: 1_000_000 + next(5_000_000) as i64, converted_at, touches: rows }
        })
        .collect()
}

fn attribution(c: &mut Criterion) {
    let deals = deals(100_000, 10);
    let settings = Settings::default();
    c.bench_function("attribution_100k_deals_x10_touches_7_models", |b| {
        b.iter(|| black_box(report(&deals, &Model::ALL, By::Channel, &settings).expect("report")))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = attribution
}
criterion_main!(benches);
