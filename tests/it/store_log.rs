//! The log a reader leaves beside the store (#14: a day's first frame). A command that wrote no
//! data closes without checkpointing a small log, so what it kept (the brief, the scan, the
//! judged feeds) stays in `-wal`: every later reader, read-write or read-only, must read it
//! there; a data write's close folds it into the file, so the file alone (the `immutable`
//! opening, a copy of the file) holds every write; and a store whose log says it is newer is
//! refused untouched, the log too.

use std::path::{Path, PathBuf};

use super::common::Sandbox;
use super::hostile_store::protect;

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", db.display()))
}

fn log_len(db: &Path) -> u64 {
    std::fs::metadata(sidecar(db, "-wal")).map(|m| m.len()).unwrap_or(0)
}

fn kept_briefs(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM kept_brief", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_readers_kept_brief_stays_in_the_log_and_every_later_reader_reads_it() {
    let s = Sandbox::demo();
    assert_eq!(log_len(&s.db()), 0, "a data write's close folds the log into the file");
    let brief = s.ok(&["brief", "--format", "json"]);
    assert!(log_len(&s.db()) > 0, "the kept brief is left in the log");
    assert_eq!(s.ok(&["brief", "--format", "json"]), brief, "read back from the log");
    let dashboard = s.ok(&["render", "dashboard"]);
    for protect_dir in [false, true] {
        let target = if protect_dir { s.dir.path().to_path_buf() } else { s.db() };
        if !protect(&target, true) {
            eprintln!("skipped: cannot make {} read-only here", target.display());
            return;
        }
        let read = s.run(&["brief", "--format", "json"]);
        let drawn = s.run(&["render", "dashboard"]);
        protect(&target, false);
        assert!(read.status.success(), "dir={protect_dir}: {}", String::from_utf8_lossy(&read.stderr));
        assert_eq!(String::from_utf8_lossy(&read.stdout), brief, "dir={protect_dir}: read-only, through the log");
        assert_eq!(String::from_utf8_lossy(&drawn.stdout), dashboard, "dir={protect_dir}");
    }
}

#[test]
fn a_data_writes_close_folds_the_log_into_the_file() {
    let s = Sandbox::demo();
    s.ok(&["brief", "--format", "json"]);
    assert!(log_len(&s.db()) > 0);
    s.ok(&["kpi", "record", "leads", "5", "--date", "2026-11-19"]);
    assert_eq!(log_len(&s.db()), 0, "a data write checkpoints at close, as before");
    let after = s.ok(&["brief", "--format", "json"]);
    assert!(kept_briefs(&s.db()) >= 1);
    // The file alone: a copy of it (no log beside it) reads the write, and so does the
    // `immutable` opening of a protected file once a write's close folded the log in.
    s.ok(&["kpi", "record", "leads", "1", "--date", "2026-11-19"]);
    let latest = s.ok(&["brief", "--format", "json"]);
    let copy = Sandbox::new();
    std::fs::copy(s.db(), copy.db()).unwrap();
    assert_eq!(copy.ok(&["brief", "--format", "json"]), latest);
    assert_ne!(latest, after, "the second record moved the numbers");
    s.ok(&["kpi", "record", "leads", "2", "--date", "2026-11-19"]);
    let written = s.ok(&["kpi", "list"]);
    assert_eq!(log_len(&s.db()), 0);
    if protect(&s.db(), true) {
        let read = s.run(&["kpi", "list"]);
        protect(&s.db(), false);
        assert!(read.status.success(), "{}", String::from_utf8_lossy(&read.stderr));
        assert_eq!(String::from_utf8_lossy(&read.stdout), written);
    }
}

#[test]
fn a_store_whose_log_says_it_is_newer_is_refused_with_file_and_log_untouched() {
    let s = Sandbox::demo();
    {
        let conn = rusqlite::Connection::open(s.db()).unwrap();
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    assert!(log_len(&s.db()) > 0, "the newer version is in the log only");
    let file = std::fs::read(s.db()).unwrap();
    let log = std::fs::read(sidecar(&s.db(), "-wal")).unwrap();
    for args in [&["brief"][..], &["kpi", "record", "leads", "5"][..]] {
        let err = s.fails(args, 2);
        assert!(err.starts_with("error: ") && err.lines().count() == 1, "{err:?}");
        assert!(err.contains("newer"), "{err}");
    }
    assert_eq!(std::fs::read(s.db()).unwrap(), file, "the file was written");
    assert_eq!(std::fs::read(sidecar(&s.db(), "-wal")).unwrap(), log, "the log was checkpointed");
}
