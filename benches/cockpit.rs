//! Cockpit speed on years of data: first frame, and a keypress answered with a new frame, per screen.
//! Stores of 10k, 100k and 1M KPI rows are generated once per run (seed 1) in a temp dir.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mktg::clock::{Clock, parse_now};
use mktg::config::Config;
use mktg::store::Store;
use mktg::store::demo::DemoOptions;
use mktg::tui::App;
use mktg::tui::screen::ScreenId;
use mktg::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [u64; 3] = [10_000, 100_000, 1_000_000];

fn store_with(dir: &std::path::Path, rows: u64) -> std::path::PathBuf {
    let path = dir.join(format!("bench-{rows}.db"));
    let store = Store::create(&path, false).expect("open bench store");
    let now = parse_now("2026-11-20T08:45").expect("now");
    store
        .write(|tx| mktg::store::demo::fill(tx, now, &DemoOptions { kpi_rows: Some(rows), ..DemoOptions::default() }))
        .expect("demo data");
    path
}

fn cockpit(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::default();
    let clock = Clock::frozen(parse_now("2026-11-20T08:45").expect("now"));
    let mut first = c.benchmark_group("first_frame");
    first.sample_size(20);
    let paths: Vec<(u64, std::path::PathBuf)> = SIZES.iter().map(|n| (*n, store_with(dir.path(), *n))).collect();
    for (rows, path) in &paths {
        first.bench_with_input(BenchmarkId::new("dashboard", rows), path, |b, path| {
            b.iter(|| {
                let store = Store::open(path).expect("open");
                let mut app = App::new(&store, &config, clock.clone(), Theme::plain()).expect("app");
                let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
                term.draw(|f| app.draw(f)).expect("draw");
                black_box(term.backend().buffer().area);
            })
        });
    }
    first.finish();

    let mut keys = c.benchmark_group("keypress_to_frame");
    keys.sample_size(30);
    for (rows, path) in paths.iter().filter(|(r, _)| *r == 10_000 || *r == 1_000_000) {
        let store = Store::open(path).expect("open");
        for screen in ScreenId::ALL {
            let mut app = App::new(&store, &config, clock.clone(), Theme::plain()).expect("app");
            app.select(screen);
            let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            term.draw(|f| app.draw(f)).expect("draw");
            let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
            let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
            let mut flip = false;
            keys.bench_function(BenchmarkId::new(screen.name(), rows), |b| {
                b.iter(|| {
                    flip = !flip;
                    app.on_key(if flip { down } else { up });
                    term.draw(|f| app.draw(f)).expect("draw");
                })
            });
        }
    }
    keys.finish();
}

criterion_group!(benches, cockpit);
criterion_main!(benches);
