//! Dashboard refresh (`Brief::build`) and first frame at 10k and 1M KPI rows: the cost must
//! follow the visible window, not the years of history behind it.
//!
//! `cargo bench --bench dashboard` (the 1M-row store takes a while to fill once).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mktg::brief::Brief;
use mktg::clock::{Clock, parse_now};
use mktg::config::Config;
use mktg::store::Store;
use mktg::store::demo::DemoOptions;

fn store(dir: &tempfile::TempDir, rows: u64) -> Store {
    let now = parse_now("2026-11-20T08:45").expect("now");
    let s = Store::create(&dir.path().join(format!("bench-{rows}.db")), false).expect("store");
    s.write(|tx| tx.meta().init_role(mktg::assets::Role::DemandGen, now)).expect("role");
    s.write(|tx| mktg::store::demo::fill(tx, now, &DemoOptions { kpi_rows: Some(rows), ..DemoOptions::default() }))
        .expect("demo");
    s
}

fn dashboard(c: &mut Criterion) {
    let now = parse_now("2026-11-20T08:45").expect("now");
    let config = Config::default();
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, rows) in [("10k", 10_000u64), ("1M", 1_000_000)] {
        let s = store(&dir, rows);
        c.bench_function(&format!("brief_build_{name}"), |b| {
            b.iter(|| black_box(Brief::build(&s, &config, now).expect("brief")))
        });
        let env = mktg::context::Context {
            db: dir.path().join(format!("bench-{rows}.db")),
            config: config.clone(),
            clock: Clock::frozen(now),
            fixed_now: true,
            default_db: false,
        };
        let req = mktg::context::RenderRequest { screen: "dashboard", width: 120, height: 40, keys: &[] };
        c.bench_function(&format!("first_frame_{name}"), |b| {
            b.iter(|| {
                let store = env.open_store().expect("open");
                black_box(mktg::tui::render_to_text(&store, &env, &req).expect("render"))
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = dashboard
}
criterion_main!(benches);
