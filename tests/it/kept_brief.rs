//! The kept brief (`brief::kept`): whatever was written, at whatever minute, under whatever
//! config, the brief a face prints is the one `Brief::compute` gives afresh; a kept one is read
//! back only for the same data generation, day, period choice, config and build.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use mktg::brief::{Brief, to_json};
use mktg::config::Config;
use mktg::domain::period_choice::PeriodChoice;
use mktg::store::Store;
use proptest::prelude::*;

use super::common::{NOW, Sandbox};

/// `mktg` on the sandbox store at `now`; its stdout (empty when it failed: a refused write
/// writes nothing, which is as good a case as any).
fn run_at(s: &Sandbox, now: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mktg"))
        .arg("--db")
        .arg(s.db())
        .arg("--now")
        .arg(now)
        .arg("--config")
        .arg(s.path("config.toml"))
        .args(args)
        .env_remove("MKTG_DB")
        .env_remove("MKTG_NOW")
        .env_remove("MKTG_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run mktg");
    (out.status.success(), String::from_utf8(out.stdout).expect("utf-8"))
}

/// The brief as `mktg brief --format json` prints it at `now` (through the kept path).
fn printed(s: &Sandbox, now: &str) -> serde_json::Value {
    let (ok, out) = run_at(s, now, &["brief", "--format", "json"]);
    assert!(ok, "brief at {now}");
    serde_json::from_str(&out).expect("json")
}

/// The brief computed afresh in this process, never read from what is kept.
fn fresh(s: &Sandbox, now: &str) -> serde_json::Value {
    let store = Store::open(&s.db()).expect("open");
    let config = Config::load(&s.path("config.toml")).expect("config");
    let now = mktg::clock::parse_now(now).expect("now");
    to_json(&Brief::compute(&store, &config, now, PeriodChoice::default()).expect("brief"))
}

fn kept_rows(db: &Path) -> i64 {
    let c = rusqlite::Connection::open(db).expect("open");
    c.query_row("SELECT count(*) FROM kept_brief", [], |r| r.get(0)).expect("count")
}

/// One demo store, made once; each case works on its own copy.
fn template() -> std::path::PathBuf {
    static T: OnceLock<Sandbox> = OnceLock::new();
    T.get_or_init(Sandbox::demo).db()
}

fn copy_of_demo() -> Sandbox {
    let s = Sandbox::new();
    std::fs::copy(template(), s.db()).expect("copy the demo store");
    s
}

/// A write of some kind, through the command line as a user makes it.
fn write(s: &Sandbox, kind: u8, v: u32) {
    let v = v.to_string();
    let csv = s.path("k.csv");
    std::fs::write(&csv, format!("date,metric,channel,value\n2026-11-18,leads,seo,{v}\n2026-11-19,mqls,email,3\n"))
        .expect("csv");
    let csv = csv.to_str().expect("utf-8 path");
    let args: Vec<&str> = match kind % 12 {
        0 => vec!["kpi", "record", "leads", &v, "--date", "2026-11-19", "--channel", "seo"],
        1 => vec!["kpi", "record", "spend", &v, "--date", "2026-11-17", "--channel", "paid-social"],
        2 => vec!["kpi", "target", "leads", &v, "--period", "2026-11"],
        3 => vec!["decision", "add", "Kept or not", "--owner", "me", "--due", "2026-11-19"],
        4 => vec!["decision", "done", "3"],
        5 => vec!["budget", "move", "11", "12", &v, "--reason", "test"],
        6 => vec!["note", "add", "2026-11-18", "an outage", "--metric", "leads"],
        7 => vec!["import", csv, "--preset", "kpi-csv"],
        8 => vec!["import", "--undo", "1"],
        9 => vec!["launch", "add", "Kept launch", "--date", "2026-11-24"],
        10 => vec!["alert", "add", "kept", "--metric", "leads", "--when", "below-target"],
        _ => vec!["alert", "check"],
    };
    let _ = run_at(s, NOW, &args);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// After any kind of write, the brief printed (kept before the write, then kept again) is the
    /// one computed afresh.
    #[test]
    fn a_brief_after_any_write_is_the_one_computed_afresh(writes in proptest::collection::vec((0u8..12, 1u32..5000), 1..4)) {
        let s = copy_of_demo();
        prop_assert_eq!(printed(&s, NOW), fresh(&s, NOW));
        for (kind, v) in writes {
            // A brief kept at this generation, then a write.
            let _ = printed(&s, NOW);
            write(&s, kind, v);
            let after = printed(&s, NOW);
            prop_assert_eq!(&after, &fresh(&s, NOW), "first brief after write {}", kind);
            prop_assert_eq!(printed(&s, NOW), after, "the kept one, read back");
        }
    }
}

#[test]
fn a_new_minute_of_the_same_day_reads_the_agenda_again_from_the_kept_day() {
    let s = copy_of_demo();
    let morning = printed(&s, "2026-11-20T08:45");
    assert_eq!(kept_rows(&s.db()), 1);
    for now in ["2026-11-20T10:31", "2026-11-20T17:00", "2026-11-20T23:59"] {
        let later = printed(&s, now);
        assert_eq!(later, fresh(&s, now), "at {now}");
        assert_ne!(later["generated_at"], morning["generated_at"]);
    }
    assert_eq!(kept_rows(&s.db()), 1, "the same day's kept brief served every minute");
    // Another day is another brief.
    assert_eq!(printed(&s, "2026-11-21T08:45"), fresh(&s, "2026-11-21T08:45"));
    assert_eq!(kept_rows(&s.db()), 2);
}

#[test]
fn a_config_change_is_never_served_a_brief_kept_under_the_old_one() {
    let s = copy_of_demo();
    let before = printed(&s, NOW);
    for text in ["[calendar]\nholidays = [\"2026-11-19\", \"2026-11-12\"]\n", "[pacing]\nmin_share = 0.6\n"] {
        std::fs::write(s.path("config.toml"), text).expect("config");
        let after = printed(&s, NOW);
        assert_eq!(after, fresh(&s, NOW), "under {text}");
        assert_ne!(after, before, "{text} changes the brief");
    }
}

#[test]
fn a_kept_brief_is_read_only_by_the_build_and_config_it_was_kept_by() {
    let s = copy_of_demo();
    let real = printed(&s, NOW);
    let c = rusqlite::Connection::open(s.db()).expect("open");
    // Tamper with the kept row: the next brief shows it, so it is the one read back...
    c.execute("UPDATE kept_brief SET body = replace(body, '\"currency\":\"USD\"', '\"currency\":\"XXX\"')", [])
        .expect("tamper");
    assert_eq!(printed(&s, NOW)["currency"], "XXX");
    // ...but filed under another build, it is not.
    c.execute("UPDATE kept_brief SET key = replace(key, 'brief-1:', 'brief-1:another-build.')", []).expect("rekey");
    assert_eq!(printed(&s, NOW), real);
    // A body this build cannot read is a miss, not an error.
    c.execute("UPDATE kept_brief SET body = '{\"not\": \"a brief\"}'", []).expect("garble");
    assert_eq!(printed(&s, NOW), real);
}

#[test]
fn every_face_prints_the_same_numbers_kept_or_not() {
    let s = copy_of_demo();
    let faces: [&[&str]; 4] = [
        &["report", "exec", "--format", "json"],
        &["render", "dashboard"],
        &["render", "dashboard", "--keys", "p"],
        &["today", "--format", "json"],
    ];
    for args in faces {
        let (ok, first) = run_at(&s, NOW, args);
        assert!(ok, "{args:?}");
        let (_, again) = run_at(&s, NOW, args);
        assert_eq!(first, again, "{args:?} read back");
    }
    // What the faces kept is what a fresh computation prints.
    write(&s, 0, 77);
    let (_, exec) = run_at(&s, NOW, &["report", "exec", "--format", "json"]);
    let c = rusqlite::Connection::open(s.db()).expect("open");
    c.execute("DELETE FROM kept_brief", []).expect("forget");
    assert_eq!(run_at(&s, NOW, &["report", "exec", "--format", "json"]).1, exec);
}
