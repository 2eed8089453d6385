//! Crash safety and concurrency: SIGKILL at random moments, two writers at once, backups during writes.

use std::process::{Command, Stdio};
use std::time::Duration;

use super::common::{NOW, Sandbox};

/// A shell loop that records `count` observations one process at a time, printing
/// "done N" after each one the store acknowledged.
fn writer_script(s: &Sandbox, channel: &str, count: usize) -> String {
    let bin = env!("CARGO_BIN_EXE_mktg");
    let db = s.db();
    format!(
        "for i in $(seq 1 {count}); do \
           '{bin}' --db '{}' --now {NOW} kpi record leads $i --date 2026-11-01 --channel {channel}-$i >/dev/null || exit 3; \
           echo done $i; \
         done",
        db.display()
    )
}

fn spawn_writer(s: &Sandbox, channel: &str, count: usize) -> std::process::Child {
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(writer_script(s, channel, count));
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0); // so the kill reaches the mktg child mid-write too
    }
    cmd.spawn().expect("spawn writer loop")
}

/// The channels recorded for `leads` on 2026-11-01.
fn recorded_channels(s: &Sandbox) -> Vec<String> {
    let json =
        s.ok(&["kpi", "list", "--metric", "leads", "--from", "2026-11-01", "--to", "2026-11-01", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("kpi list json");
    let rows =
        v.as_array().cloned().or_else(|| v.get("observations").and_then(|o| o.as_array().cloned())).unwrap_or_default();
    rows.iter().filter_map(|r| r.get("channel").and_then(|c| c.as_str()).map(str::to_string)).collect()
}

#[cfg(unix)]
#[test]
fn killing_a_writer_at_random_moments_never_loses_an_acknowledged_write() {
    let s = Sandbox::new();
    s.ok(&["init"]);
    // A fixed sequence of kill delays: deterministic test, varied moments.
    let mut seed: u64 = 0x5eed;
    for round in 0..8 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = Duration::from_millis(30 + (seed >> 33) % 400);
        let child = spawn_writer(&s, &format!("r{round}"), 1000);
        std::thread::sleep(delay);
        // SIGKILL the whole group: the loop and whichever mktg is mid-write.
        unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
        let out = child.wait_with_output().expect("writer output");
        let done: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("done ").map(|n| format!("r{round}-{n}")))
            .collect();
        assert!(s.ok(&["check"]).contains("ok"), "round {round}: store not sound after SIGKILL");
        let present = recorded_channels(&s);
        for d in &done {
            assert!(present.contains(d), "round {round}: acknowledged write {d} is missing");
        }
    }
}

#[test]
fn two_writers_at_once_lose_nothing_and_never_report_a_locked_store() {
    let s = Sandbox::new();
    s.ok(&["init"]);
    let a = spawn_writer(&s, "a", 25);
    let b = spawn_writer(&s, "b", 25);
    for child in [a, b] {
        let out = child.wait_with_output().expect("writer");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a writer failed: {err}");
        assert!(!err.contains("locked"), "{err}");
    }
    let present = recorded_channels(&s);
    for w in ["a", "b"] {
        for i in 1..=25 {
            assert!(present.contains(&format!("{w}-{i}")), "missing {w}-{i}");
        }
    }
}

#[test]
fn a_backup_taken_during_writes_is_sound() {
    let s = Sandbox::new();
    s.ok(&["demo", "--days", "60"]);
    let writer = spawn_writer(&s, "w", 40);
    std::thread::sleep(Duration::from_millis(200));
    let copy = s.path("during.db");
    s.ok(&["backup", copy.to_str().expect("utf-8 path")]);
    let out = writer.wait_with_output().expect("writer");
    assert!(out.status.success());
    let check = Command::new(env!("CARGO_BIN_EXE_mktg")).arg("--db").arg(&copy).arg("check").output().expect("check");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

/// Rows of `kpi_obs` in the store, read directly.
fn kpi_rows(s: &Sandbox) -> i64 {
    let conn = rusqlite::Connection::open(s.db()).expect("open store");
    conn.query_row("SELECT count(*) FROM kpi_obs", [], |r| r.get(0)).expect("count")
}

#[cfg(unix)]
#[test]
fn an_import_killed_mid_way_leaves_all_of_it_or_none() {
    let s = Sandbox::new();
    s.ok(&["init"]);
    let rows = 60_000;
    let mut csv = String::from("date,metric,value,channel\n");
    for i in 0..rows {
        csv.push_str(&format!("2026-{:02}-{:02},leads,{},ch{}\n", 1 + (i / 28) % 12, 1 + i % 28, i % 97, i / 336));
    }
    let file = s.path("big.csv");
    std::fs::write(&file, csv).unwrap();
    for (round, delay_ms) in [40u64, 150, 400, 900].into_iter().enumerate() {
        let mut child =
            s.cmd(&["import", file.to_str().unwrap()]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(s.ok(&["check"]).contains("ok"), "round {round}: store not sound");
        let n = kpi_rows(&s);
        assert!(n == 0 || n == rows as i64, "round {round}: a killed import left {n} of {rows} rows");
        if status.success() {
            break; // it finished before the kill: nothing left to interrupt
        }
    }
}
