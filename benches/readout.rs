//! An experiment readout (#16's target: under 1 ms): lifts by the delta method, p-values and
//! intervals, chance to win and risks, sample-ratio mismatch, the verdict and recommendation, for
//! an A/B test and for a four-variant test, with counts past the minimum so every step runs.
//!
//!   nice cargo bench --bench readout
//! (`experiment readout ID` end to end, store read included, is timed by `bench/learn.sh`.)

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use mktg::domain::experiment::{Settings, Variant, readout};

fn variant(name: &str, visitors: u64, conversions: u64) -> Variant {
    Variant { name: name.into(), weight: 1.0, visitors, conversions }
}

fn bench(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let end = NaiveDate::from_ymd_opt(2026, 12, 4);
    let settings = Settings::default();
    let ab = [variant("control", 48_211, 1_933), variant("new headline", 48_390, 2_121)];
    let abcd = [
        variant("control", 24_100, 961),
        variant("b", 24_230, 1_030),
        variant("c", 23_870, 902),
        variant("d", 24_410, 1_101),
    ];
    c.bench_function("readout_ab", |b| b.iter(|| black_box(readout(black_box(&ab), &settings, end, today))));
    c.bench_function("readout_4_variants", |b| b.iter(|| black_box(readout(black_box(&abcd), &settings, end, today))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
