//! `mktg mcp` as an MCP client sees it: the real binary over pipes, a `get_brief` round trip
//! timed from writing the request line to reading the whole reply line (the first call, on a
//! fresh process, included), and the server's resident memory while idle.
//!
//! `bench/mcp.sh` (makes the 1M-row store once, then runs this), or
//! `MKTG_BENCH_DB=path/to/store.db cargo bench --bench mcp`. Without a store it says so and stops.

use std::io::{BufRead, BufReader, Write};
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-20T08:45";
const CALLS: usize = 50;

struct Client {
    to: ChildStdin,
    from: BufReader<ChildStdout>,
    line: String,
}

impl Client {
    fn send(&mut self, message: &str) {
        writeln!(self.to, "{message}").expect("write");
        self.to.flush().expect("flush");
    }

    /// Send a request and read its reply line; the time between the two.
    fn ask(&mut self, request: &str) -> Duration {
        let t = Instant::now();
        self.send(request);
        self.line.clear();
        self.from.read_line(&mut self.line).expect("read a reply");
        t.elapsed()
    }
}

fn status_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// Time the server's threads have spent on a CPU so far, in ms (`/proc/PID/task/*/schedstat`):
/// on a shared machine, the cost of a call apart from the time it waited for a core.
fn on_cpu_ms(pid: u32) -> f64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return f64::NAN };
    let ns: u64 = tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e6
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let Ok(db) = std::env::var("MKTG_BENCH_DB") else {
        eprintln!("mcp bench: set MKTG_BENCH_DB to a store (bench/mcp.sh makes a 1M-row one); skipped");
        return;
    };
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mktg"))
        .args(["--db", &db, "--now", NOW, "mcp"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start mktg mcp");
    let pid = child.id();
    let mut c = Client {
        to: child.stdin.take().expect("stdin"),
        from: BufReader::new(child.stdout.take().expect("stdout")),
        line: String::new(),
    };
    c.ask(r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"0"}}}"#);
    c.send(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
    let ready = started.elapsed();
    std::thread::sleep(Duration::from_millis(300));
    let rss_idle = status_mb(pid, "VmRSS");

    // As every client does before it calls anything.
    let list = c.ask(r#"{"jsonrpc":"2.0","id":"tools","method":"tools/list"}"#);

    let mut times = Vec::with_capacity(CALLS);
    let mut cpu = Vec::with_capacity(CALLS);
    for i in 1..=CALLS {
        let request = format!(
            r#"{{"jsonrpc":"2.0","id":{i},"method":"tools/call","params":{{"name":"get_brief","arguments":{{}}}}}}"#
        );
        let before = on_cpu_ms(pid);
        times.push(c.ask(&request));
        cpu.push(on_cpu_ms(pid) - before);
        assert!(c.line.contains(r#""isError":false"#), "get_brief failed: {}", &c.line[..c.line.len().min(300)]);
    }
    let reply_bytes = c.line.len();
    std::thread::sleep(Duration::from_millis(300));
    let rss_after = status_mb(pid, "VmRSS");
    let rss_peak = status_mb(pid, "VmHWM");
    drop(c);
    let _ = child.wait();

    // The same brief as a whole command, in the same minute: on a shared machine the ratio
    // says more than either figure alone.
    let mut process: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            let out = Command::new(env!("CARGO_BIN_EXE_mktg"))
                .args(["--db", &db, "--now", NOW, "brief", "--format", "json"])
                .output()
                .expect("run mktg brief");
            assert!(out.status.success(), "mktg brief failed");
            ms(t.elapsed())
        })
        .collect();
    process.sort_by(f64::total_cmp);

    let mut rest: Vec<f64> = times[1..].iter().copied().map(ms).collect();
    rest.sort_by(f64::total_cmp);
    let at = |q: f64| rest[((rest.len() - 1) as f64 * q).round() as usize];
    let mut cpu_rest = cpu[1..].to_vec();
    cpu_rest.sort_by(f64::total_cmp);
    println!("mcp: {db}");
    println!("  start to initialized:             {:7.2} ms", ms(ready));
    println!("  tools/list (after the idle wait): {:7.2} ms", ms(list));
    println!("  get_brief, first call:            {:7.2} ms", ms(times[0]));
    println!(
        "  get_brief, next {} calls:          median {:.2} ms, p90 {:.2} ms, worst {:.2} ms ({reply_bytes} bytes a reply)",
        rest.len(),
        at(0.5),
        at(0.9),
        at(1.0),
    );
    println!(
        "  server CPU for one get_brief:     first {:.2} ms, then median {:.2} ms",
        cpu[0],
        cpu_rest[cpu_rest.len() / 2]
    );
    println!("  `mktg brief --format json` as a process, median of 15: {:.2} ms", process[7]);
    println!("  resident, idle after start:       {rss_idle:7.1} MB");
    println!("  resident, idle after {CALLS} calls:    {rss_after:7.1} MB (peak {rss_peak:.1} MB)");
}
