//! Win/loss over 100,000 deal outcomes: the breakdown by competitor, this quarter against last,
//! and the positioning triggers (the target: under 100 ms).
//!
//! `nice cargo bench --bench winloss`

use std::hint::black_box;

use chrono::{Duration, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use mktg::domain::period::Period;
use mktg::domain::positioning::{Rules, detect};
use mktg::domain::winloss::{By, DealOutcome, Outcome, breakdown, compare};

const COMPETITORS: [&str; 6] = ["Acme", "ACME", "Globex", "Initech", "Umbrella", "Hooli"];
const REASONS: [&str; 5] = ["price", "Security review", "missing SSO", "timing", "no decision"];
const SEGMENTS: [&str; 3] = ["enterprise", "mid-market", "smb"];

fn outcomes(n: usize) -> Vec<DealOutcome> {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |bound: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % bound
    };
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
    (0..n)
        .map(|i| {
            let outcome = [Outcome::Won, Outcome::Lost, Outcome::Lost, Outcome::Open][next(4) as usize];
            DealOutcome {
                deal: format!("D-{i}"),
                closed_on: Some(start + Duration::days(next(1050) as i64)),
                outcome,
                competitor: (next(10) > 0).then(|| COMPETITORS[next(6) as usize].to_string()),
                reason: (outcome == Outcome::Lost).then(|| REASONS[next(5) as usize].to_string()),
                segment: Some(SEGMENTS[next(3) as usize].to_string()),
                amount_cents: Some(next(10_000_000) as i64),
            }
        })
        .collect()
}

fn winloss(c: &mut Criterion) {
    let rows = outcomes(100_000);
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let q4 = Period::parse("2026-Q4").expect("period");
    c.bench_function("winloss_100k_by_competitor", |b| b.iter(|| black_box(breakdown(&rows, By::Competitor, None))));
    c.bench_function("winloss_100k_quarter_on_quarter", |b| b.iter(|| black_box(compare(&rows, By::Competitor, q4))));
    c.bench_function("positioning_100k_triggers", |b| {
        b.iter(|| black_box(detect(&rows, &[], today, &Rules::default())))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = winloss
}
criterion_main!(benches);
