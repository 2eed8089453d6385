//! Key to frame through a real pseudo-terminal on a dense store while another process writes.
//!
//! The release binary runs in a 120x40 PTY on a store made by `bench/dense.sh` (KEEP=1 keeps
//! them); a second process records a KPI value every second with `mktg kpi record`, so the
//! cockpit sees another writer through `PRAGMA data_version` and recomputes its brief each time.
//! Keys alternate `?` (the help popup opens) and Esc (it closes); a key's time runs from writing
//! it to the PTY until the `read` that brings back the bytes showing its frame returns (the
//! bench's vt100 model parses them after the time is taken; a trivial program that answers each
//! key with a fixed frame in one write times at the bench's floor: see docs/benchmarks/session-5.md).
//!
//!   KEEP=1 bench/dense.sh 1370
//!   MKTG_BENCH_DB=bench/out/dense-now-1370.db cargo bench --bench pty_dense
//!
//! Environment: MKTG_BENCH_DB (the store; without it the bench says so and does nothing),
//! MKTG_BIN (default target/release/mktg), MKTG_BENCH_KEYS (keys per screen, default 400),
//! MKTG_BENCH_SCREENS (set: each of the eight screens in turn, not just the dashboard):
//!
//!   MKTG_BENCH_SCREENS=1 MKTG_BENCH_KEYS=100 MKTG_BENCH_DB=... cargo bench --bench pty_dense
//!
//! MKTG_BENCH_NO_WRITER (set: nobody writes) times the same keys without the other process.
//! MKTG_BENCH_WRITER_BIN (default MKTG_BIN) is the mktg the other process runs, so the floor
//! program (`bench/pty-floor.py` as MKTG_BIN) can be timed while a real mktg writes beside it.
//! MKTG_BENCH_TRACE=FILE writes one line per key (screen, index, CLOCK_MONOTONIC ns when the key
//! was written, ms to its frame, whether a write was near) and one per write (its start and end),
//! to line the slow keys up with `perf sched record -k mono` (what the cockpit's threads did).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const NOW: &str = "2026-11-20T08:45";
/// The cockpit's screens: the key that opens each and the title its help popup carries.
const SCREENS: [(char, &str); 8] = [
    ('1', "Dashboard"),
    ('2', "Launches"),
    ('3', "Budget"),
    ('4', "Today"),
    ('5', "Decisions"),
    ('6', "Learn"),
    ('7', "Compete"),
    ('8', "Team"),
];
/// How long after a write's end a key still counts as typed "after a write".
const AFTER_WRITE: Duration = Duration::from_millis(500);
/// Longest wait for one frame before the bench gives up on that key.
const GIVE_UP: Duration = Duration::from_secs(30);

/// The screen as the bench last read it back, and when those bytes were read.
struct Screen {
    /// One entry per read of the PTY: when `read` returned, and the screen's text after the
    /// vt100 model took those bytes (the reader thread parses; this thread only compares).
    output: Receiver<(Instant, String)>,
    text: String,
    at: Instant,
}

impl Screen {
    fn shows(&self, text: &str) -> bool {
        self.text.contains(text)
    }

    /// Wait until the screen shows (or no longer shows) `text`; when the bytes that made it so
    /// were read from the PTY (`None` after `GIVE_UP`). The time is taken as `read` returns,
    /// before the bench parses them: the vt100 model's work is the bench's, not the cockpit's.
    fn wait(&mut self, text: &str, present: bool) -> Option<Instant> {
        let start = Instant::now();
        while self.shows(text) != present {
            let left = GIVE_UP.checked_sub(start.elapsed())?;
            let (at, screen) = self.output.recv_timeout(left).ok()?;
            (self.at, self.text) = (at, screen);
        }
        Some(self.at)
    }
}

/// CLOCK_MONOTONIC in ns: the clock `Instant` reads, and `perf record -k mono` stamps events with.
fn mono_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// An `Instant` on CLOCK_MONOTONIC, given one pair read together.
fn to_mono(at: Instant, base: (Instant, u64)) -> u64 {
    if at >= base.0 { base.1 + (at - base.0).as_nanos() as u64 } else { base.1 - (base.0 - at).as_nanos() as u64 }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let Some(db) = std::env::var_os("MKTG_BENCH_DB").map(PathBuf::from) else {
        println!("pty_dense: set MKTG_BENCH_DB to a store from `KEEP=1 bench/dense.sh 1370` (nothing measured)");
        return;
    };
    let bin = std::env::var_os("MKTG_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/mktg"));
    let keys: usize = std::env::var("MKTG_BENCH_KEYS").ok().and_then(|s| s.parse().ok()).unwrap_or(400);
    // An empty config of its own, so the user's keymap and settings do not change what is timed
    // (a --config naming a file that does not exist is refused since #12).
    let config = std::env::temp_dir().join(format!("mktg-pty-dense-{}.toml", std::process::id()));
    std::fs::write(&config, "").expect("write the empty config");

    let pty = native_pty_system();
    let pair = pty.openpty(PtySize { rows: 40, cols: 120, pixel_width: 0, pixel_height: 0 }).expect("open a pty");
    let mut cmd = CommandBuilder::new(&bin);
    for a in ["--db".as_ref(), db.as_os_str(), "--config".as_ref(), config.as_os_str(), "--now".as_ref(), NOW.as_ref()]
    {
        cmd.arg(a);
    }
    // portable_pty starts the command in the home folder unless told: a relative store path is ours.
    if let Ok(dir) = std::env::current_dir() {
        cmd.cwd(dir);
    }
    cmd.env("TERM", "xterm-256color");
    cmd.env("NO_COLOR", "1");
    cmd.env_remove("MKTG_DB");
    cmd.env_remove("MKTG_NOW");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn mktg");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut writer = pair.master.take_writer().expect("pty writer");
    // The reader timestamps each read as it returns and then feeds the vt100 model, so a key's
    // time ends when its frame's bytes left the PTY, and the main thread sleeps until they do
    // (it used to wake every 200 us and rebuild the screen's text each time, on the same two
    // cores as the cockpit it was timing).
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(nz(40), nz(120), 0);
        let mut buf = [0u8; 16384];
        while let Ok(n) = reader.read(&mut buf) {
            let at = Instant::now();
            if n == 0 {
                break;
            }
            parser.process(&buf[..n]);
            if tx.send((at, parser.screen().contents())).is_err() {
                break;
            }
        }
    });
    let mut screen = Screen { output: rx, text: String::new(), at: Instant::now() };
    assert!(screen.wait("Leads", true).is_some(), "the dashboard never showed:\n{}", screen.text);
    let first_frame = started.elapsed();

    // Another process writes once a second for as long as keys are typed (not with
    // MKTG_BENCH_NO_WRITER: the same keys on a store nobody writes to, to tell the two apart).
    let quiet = std::env::var_os("MKTG_BENCH_NO_WRITER").is_some();
    let stop = Arc::new(AtomicBool::new(quiet));
    // Each write's start and end, to tell the keys typed while the cockpit catches up with one.
    let writes: Arc<Mutex<Vec<(Instant, Instant)>>> = Arc::default();
    let writer_thread = {
        let bin = std::env::var_os("MKTG_BENCH_WRITER_BIN").map(PathBuf::from).unwrap_or_else(|| bin.clone());
        let (stop, writes, db, config) = (stop.clone(), writes.clone(), db.clone(), config.clone());
        std::thread::spawn(move || {
            let mut i = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let status = Command::new(&bin)
                    .arg("--db")
                    .arg(&db)
                    .arg("--config")
                    .arg(&config)
                    .args(["--now", NOW, "kpi", "record", "leads", &(1 + i % 5).to_string()])
                    .args(["--date", "2026-11-19", "--channel", "c0001"])
                    .env_remove("MKTG_DB")
                    .env_remove("MKTG_NOW")
                    .output()
                    .expect("run the writer");
                assert!(status.status.success(), "the writer failed: {}", String::from_utf8_lossy(&status.stderr));
                writes.lock().map(|mut w| w.push((t, Instant::now()))).ok();
                i += 1;
                std::thread::sleep(Duration::from_secs(1).saturating_sub(t.elapsed()));
            }
        })
    };

    // One screen (the dashboard, as the issue measures it) or, with MKTG_BENCH_SCREENS, each of
    // the eight in turn (#15: every screen answers a key within a frame), `keys` keys on each.
    let screens: Vec<(char, &str)> =
        if std::env::var_os("MKTG_BENCH_SCREENS").is_some() { SCREENS.to_vec() } else { SCREENS[..1].to_vec() };
    let mut per_screen = Vec::new();
    let run = Instant::now();
    for (digit, title) in &screens {
        writer.write_all(&[*digit as u8]).and_then(|_| writer.flush()).expect("switch screen");
        std::thread::sleep(Duration::from_millis(300));
        let marker = format!("Keys: {title}");
        let (times, refreshing, lost) = typist(&mut screen, &mut writer, &marker, keys);
        per_screen.push((*title, times, refreshing, lost));
    }
    let elapsed = run.elapsed();
    stop.store(true, Ordering::Relaxed);
    let _ = writer_thread.join();
    writer.write_all(b"q").ok();
    let _ = child.wait();
    let _ = std::fs::remove_file(&config);

    let spans = writes.lock().map(|w| w.clone()).unwrap_or_default();
    let mut w: Vec<f64> = spans.iter().map(|(a, b)| (*b - *a).as_secs_f64() * 1e3).collect();
    w.sort_by(f64::total_cmp);
    // A key typed while a write runs or within AFTER_WRITE of its end: the cockpit notices the
    // write and recomputes its brief then.
    let near_write = |k: Instant| spans.iter().any(|(a, b)| *a <= k && k <= *b + AFTER_WRITE);
    println!("store: {}", db.display());
    println!("binary: {}", bin.display());
    println!("cockpit start to first dashboard frame: {:.0} ms", first_frame.as_secs_f64() * 1e3);
    let total: usize = per_screen.iter().map(|(_, t, _, _)| t.len()).sum();
    println!(
        "{} keys over {:.1} s with {} writes by another process (each {:.0} ms median, {:.0} ms max)",
        total,
        elapsed.as_secs_f64(),
        w.len(),
        percentile(&w, 0.5),
        w.last().copied().unwrap_or(f64::NAN)
    );
    if let Some(path) = std::env::var_os("MKTG_BENCH_TRACE") {
        let base = (Instant::now(), mono_ns());
        let mut out = String::new();
        for (a, b) in &spans {
            out.push_str(&format!("write {} {}\n", to_mono(*a, base), to_mono(*b, base)));
        }
        for (title, keyed, _, _) in &per_screen {
            for (at, ms, i) in keyed {
                out.push_str(&format!("key {title} {i} {} {ms:.3} {}\n", to_mono(*at, base), near_write(*at) as u8));
            }
        }
        std::fs::write(path, out).expect("write the trace");
    }
    for (title, keyed, refreshing, lost) in per_screen {
        let mut times: Vec<f64> = keyed.iter().map(|k| k.1).collect();
        times.sort_by(f64::total_cmp);
        let mut away: Vec<f64> = keyed.iter().filter(|k| !near_write(k.0)).map(|k| k.1).collect();
        away.sort_by(f64::total_cmp);
        let slow: Vec<&(Instant, f64, usize)> = keyed.iter().filter(|k| k.1 > 4.0).collect();
        let slow_near = slow.iter().filter(|k| near_write(k.0)).count();
        let slow_first = slow.iter().filter(|k| k.2 == 0).count();
        println!(
            "{title}: key to frame ({} keys): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms (target: p99 < 4 ms); \
             frames marked refreshing: {refreshing}; keys without a frame within {} s: {lost}",
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.9),
            percentile(&times, 0.99),
            times.last().copied().unwrap_or(f64::NAN),
            GIVE_UP.as_secs()
        );
        println!(
            "  {title}: keys over 4 ms: {} ({slow_near} during a write or within {} ms after it, {slow_first} the screen's first key); \
             p99 of the {} keys away from writes {:.2} ms",
            slow.len(),
            AFTER_WRITE.as_millis(),
            away.len(),
            percentile(&away, 0.99)
        );
    }
}

/// Keys at a typist's pace: `?` (help opens, its title `marker` shows) and Esc (it closes, the
/// screen is drawn again) in turn, `n` keys; each key's (time written, ms from writing it to its
/// frame, index on the screen).
fn typist(
    screen: &mut Screen,
    writer: &mut Box<dyn Write + Send>,
    marker: &str,
    n: usize,
) -> (Vec<(Instant, f64, usize)>, usize, usize) {
    let mut times = Vec::with_capacity(n);
    let (mut refreshing, mut lost) = (0, 0);
    for i in 0..n {
        let (key, present) = if i % 2 == 0 { ("?", true) } else { ("\x1b", false) };
        let t = Instant::now();
        writer.write_all(key.as_bytes()).and_then(|_| writer.flush()).expect("type a key");
        match screen.wait(marker, present) {
            Some(at) => times.push((t, (at - t).as_secs_f64() * 1e3, i)),
            None => lost += 1,
        }
        if screen.shows("refreshing") {
            refreshing += 1;
        }
        // 30 to 70 ms apart.
        std::thread::sleep(Duration::from_millis(30 + (i as u64 * 17) % 41));
    }
    (times, refreshing, lost)
}
