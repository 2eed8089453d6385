//! The store is the user's work: refuse what is not ours, untouched; keep it private.

use super::common::{Sandbox, read};

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let s = Sandbox::new();
    std::fs::write(s.db(), b"these are my notes, not a database\n").unwrap();
    let before = read(&s.db());
    let err = s.fails(&["check"], 2);
    assert!(err.contains("not a mktg store"), "{err}");
    assert_eq!(read(&s.db()), before);
    assert!(!s.path("mktg.db-wal").exists());
}

#[test]
fn a_sqlite_database_that_is_not_ours_is_refused_untouched() {
    let s = Sandbox::new();
    {
        let c = rusqlite::Connection::open(s.db()).unwrap();
        c.execute_batch("CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('mine');").unwrap();
    }
    let before = read(&s.db());
    let err = s.fails(&["render", "dashboard"], 2);
    assert!(err.contains("not a mktg store"), "{err}");
    assert_eq!(read(&s.db()), before);
}

#[test]
fn a_store_from_a_newer_mktg_is_refused_untouched() {
    let s = Sandbox::new();
    s.ok(&["init"]);
    {
        let c = rusqlite::Connection::open(s.db()).unwrap();
        c.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 999;").unwrap();
    }
    let before = read(&s.db());
    let err = s.fails(&["check"], 2);
    assert!(err.contains("newer mktg"), "{err}");
    assert_eq!(read(&s.db()), before);
}

#[test]
fn a_truncated_store_is_refused() {
    let s = Sandbox::demo();
    let bytes = read(&s.db());
    std::fs::write(s.db(), &bytes[..bytes.len() / 3]).unwrap();
    let out = s.run(&["check"]);
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: ") && err.lines().count() == 1, "{err}");
}

#[cfg(unix)]
#[test]
fn the_default_data_directory_and_store_are_created_private() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    // No --db: the store goes to $XDG_DATA_HOME/mktg/mktg.db, folders created as needed.
    let data = s.path("home/.local/share");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mktg"))
        .args(["--now", "2026-11-20", "init"])
        .env_remove("MKTG_DB")
        .env_remove("MKTG_CONFIG")
        .env("XDG_DATA_HOME", &data)
        .env("XDG_CONFIG_HOME", s.path("home/.config"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let db = data.join("mktg/mktg.db");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    assert_eq!(mode(&db), 0o600);
}

#[test]
fn migrations_run_from_an_empty_file_and_backup_is_a_sound_copy() {
    let s = Sandbox::new();
    std::fs::write(s.db(), b"").unwrap();
    s.ok(&["demo", "--days", "30"]);
    assert!(s.ok(&["check"]).contains("ok (schema"));
    let copy = s.path("copy.db");
    s.ok(&["backup", copy.to_str().unwrap()]);
    let out =
        std::process::Command::new(env!("CARGO_BIN_EXE_mktg")).arg("--db").arg(&copy).arg("check").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = s.fails(&["backup", copy.to_str().unwrap()], 2);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn every_write_is_in_the_store_file_itself_once_the_command_ends_even_after_reads_that_skip_the_checkpoint() {
    let s = Sandbox::demo();
    // Reads close without a checkpoint (their log is empty): the file alone still holds the store.
    s.ok(&["render", "dashboard"]);
    s.ok(&["brief", "--format", "json"]);
    s.ok(&["kpi", "record", "leads", "4242", "--date", "2026-11-19", "--channel", "email"]);
    s.ok(&["render", "dashboard"]);
    // The file alone, as a user copies it (no -wal, no -shm beside the copy).
    let copy = s.path("copy.db");
    std::fs::copy(s.db(), &copy).unwrap();
    let c = rusqlite::Connection::open(&copy).unwrap();
    let n: i64 = c.query_row("SELECT count(*) FROM kpi_obs WHERE value = 4242", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1, "the recorded value is in the file itself");
    // A read leaves in the log only what it derived (the kept brief, #14): every fact is in the
    // file, so the copy lists exactly what the store does.
    let listed = s.ok(&["kpi", "list", "--format", "json"]);
    let c = Sandbox::new();
    std::fs::copy(&copy, c.db()).unwrap();
    assert_eq!(c.ok(&["kpi", "list", "--format", "json"]), listed, "the file alone holds every write");
}
