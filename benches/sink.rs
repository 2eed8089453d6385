//! What the one sanitising output sink (`output::clean`, every byte of stdout and `--out` files
//! passes it) costs on a 1M-row export, against a passthrough that writes the same bytes as they
//! are: the comparison #12 asks for, in one run, on the same strings. Beside it, what producing
//! those strings from the store costs (the rest of the command), so the sink's share can be read.
//!
//!   nice cargo bench --bench sink                          # makes a 1M-row demo store (~2 s)
//!   MKTG_BENCH_DB=/tmp/bench3/demo-1m.db nice cargo bench --bench sink
//!
//! Formats: `kpi list` (text, one observation a line), `export kpis` (csv) and
//! `export kpis --format json`; plus the csv with an accented channel name on a sixth of the
//! lines, where the sink must decode characters instead of skipping ASCII bytes.

use std::hint::black_box;
use std::io::Write;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use mktg::clock::parse_now;
use mktg::output::{Format, clean};
use mktg::store::Store;
use mktg::store::demo::DemoOptions;
use mktg::views::kpis::{KpiQuery, list};

const ROWS: u64 = 1_000_000;

fn store(dir: &std::path::Path) -> PathBuf {
    if let Some(db) = std::env::var_os("MKTG_BENCH_DB") {
        return PathBuf::from(db);
    }
    let path = dir.join("sink-1m.db");
    let store = Store::create(&path, false).expect("bench store");
    let now = parse_now("2026-11-20T08:45").expect("now");
    store
        .write(|tx| mktg::store::demo::fill(tx, now, &DemoOptions { kpi_rows: Some(ROWS), ..DemoOptions::default() }))
        .expect("demo data");
    path
}

fn text(store: &Store) -> String {
    let rows = list(store, &KpiQuery::default()).expect("observations");
    let metrics = store.kpis().metrics().expect("metrics");
    mktg::io::export::kpis::list_text(&rows, &metrics, &store.meta().currency())
}

fn export(store: &Store, format: Format) -> String {
    let now = parse_now("2026-11-20T08:45").expect("now");
    mktg::io::export::kpis::export(store, Some(format), now).expect("export")
}

fn sink(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = store(dir.path());
    let store = Store::open(&path).expect("open");
    let csv = export(&store, Format::Csv);
    let accented = csv.replace("paid-social", "paid-sociál");
    let outputs =
        [("text", text(&store)), ("csv", csv), ("json", export(&store, Format::Json)), ("csv-accented", accented)];
    let mut g = c.benchmark_group("sink_1m_rows");
    g.sample_size(20);
    for (name, s) in &outputs {
        eprintln!("{name}: {} lines, {:.1} MB", s.lines().count(), s.len() as f64 / 1e6);
        assert!(matches!(clean(s, false), std::borrow::Cow::Borrowed(_)), "{name}: the export holds nothing to clean");
        g.bench_function(format!("{name}/sink"), |b| {
            b.iter(|| std::io::sink().write_all(clean(black_box(s), false).as_bytes()).expect("write"))
        });
        g.bench_function(format!("{name}/passthrough"), |b| {
            b.iter(|| std::io::sink().write_all(black_box(s).as_bytes()).expect("write"))
        });
    }
    g.finish();

    // The rest of the command: reading the store and formatting every row (seconds, not ms).
    let mut g = c.benchmark_group("export_1m_rows");
    g.sample_size(10);
    g.bench_function("text/produce", |b| b.iter(|| black_box(text(&store))));
    g.bench_function("csv/produce", |b| b.iter(|| black_box(export(&store, Format::Csv))));
    g.bench_function("json/produce", |b| b.iter(|| black_box(export(&store, Format::Json))));
    g.finish();
}

criterion_group!(benches, sink);
criterion_main!(benches);
