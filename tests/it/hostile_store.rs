//! The store under attack (issue #12, items 2, 7, 8, 10): upgrades raced by several processes,
//! mistyped paths, empty, foreign, truncated and read-only files, and a schema that does not
//! match its version. Each refusal is one line, and leaves the file byte-identical with no
//! `-wal`/`-shm` beside it.

use std::path::Path;

use super::common::Sandbox;

/// A store as release 1 left it: only the first migration.
fn old_store(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(include_str!("../../src/store/migrations/0001_init.sql")).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
}

fn one_line_error(err: &str) {
    assert!(err.starts_with("error: ") && err.lines().count() == 1, "not one error line: {err:?}");
}

fn sidecars(db: &Path) -> Vec<String> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| format!("{}{s}", db.display()))
        .filter(|p| Path::new(p).exists())
        .collect()
}

fn user_version(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
}

#[test]
fn several_processes_opening_an_old_store_at_once_all_succeed() {
    for trial in 0..3 {
        let s = Sandbox::new();
        old_store(&s.db());
        let children: Vec<_> = (0..6)
            .map(|i| {
                let args: &[&str] = if i % 2 == 0 { &["check"] } else { &["kpi", "list", "--format", "json"] };
                s.cmd(args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "trial {trial}: {err}");
        }
        assert_eq!(user_version(&s.db()), mktg::store::SCHEMA_VERSION);
        assert!(s.ok(&["check"]).contains("ok"));
    }
}

/// Every command that reads: none may create a store.
const READERS: &[&[&str]] = &[
    &["check"],
    &["brief"],
    &["today"],
    &["render", "dashboard"],
    &["export", "kpis"],
    &["kpi", "list"],
    &["launch", "list"],
    &["budget", "list"],
    &["decision", "list"],
    &["report", "exec"],
    &["kpi", "record", "leads", "5"],
];

#[test]
fn a_mistyped_store_path_is_refused_by_every_command_and_nothing_is_created() {
    let s = Sandbox::new();
    let backup = s.path("copy.db");
    for args in READERS.iter().copied().chain([&["backup", backup.to_str().unwrap()][..]]) {
        let err = s.fails(args, 2);
        one_line_error(&err);
        assert!(err.contains(&s.db().display().to_string()) && err.contains("mktg init"), "{args:?}: {err}");
        assert!(!s.db().exists(), "{args:?} created the store");
        assert!(!backup.exists());
        assert!(sidecars(&s.db()).is_empty());
    }
    // `init` creates one, but not missing folders the user did not ask for.
    let nested = s.path("no/such/folder/mktg.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mktg"))
        .arg("--db")
        .arg(&nested)
        .arg("--config")
        .arg(s.path("config.toml"))
        .arg("init")
        .output()
        .unwrap();
    assert!(!out.status.success());
    one_line_error(&String::from_utf8_lossy(&out.stderr));
    assert!(!s.path("no").exists(), "a missing folder was created");
    s.ok(&["init"]);
    assert!(s.ok(&["check"]).contains("ok"));
}

#[test]
fn an_empty_file_is_not_silently_given_a_schema() {
    let s = Sandbox::new();
    std::fs::write(s.db(), b"").unwrap();
    for args in [&["check"][..], &["kpi", "record", "leads", "5"], &["brief"]] {
        let out = s.run(args);
        assert!(!out.status.success(), "{args:?} took an empty file");
        one_line_error(&String::from_utf8_lossy(&out.stderr));
        assert_eq!(std::fs::metadata(s.db()).unwrap().len(), 0, "{args:?} wrote into the empty file");
        assert!(sidecars(&s.db()).is_empty(), "{args:?}: {:?}", sidecars(&s.db()));
    }
}

#[test]
fn foreign_negative_and_truncated_stores_are_refused_untouched_without_sidecars() {
    // user_version = -1: not a version any mktg wrote.
    let s = Sandbox::new();
    s.ok(&["init"]);
    {
        let conn = rusqlite::Connection::open(s.db()).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.pragma_update(None, "user_version", -1).unwrap();
    }
    let before = std::fs::read(s.db()).unwrap();
    let err = s.fails(&["check"], 2);
    one_line_error(&err);
    assert!(err.contains("-1"), "{err}");
    assert_eq!(std::fs::read(s.db()).unwrap(), before);
    assert!(sidecars(&s.db()).is_empty(), "{:?}", sidecars(&s.db()));

    // Truncated: the header promises pages the file does not hold.
    let s = Sandbox::demo();
    s.ok(&["check"]);
    {
        let conn = rusqlite::Connection::open(s.db()).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let full = std::fs::read(s.db()).unwrap();
    std::fs::write(s.db(), &full[..full.len() / 2]).unwrap();
    let out = s.run(&["brief"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    one_line_error(&err);
    assert!(err.contains("truncated") || err.contains("damaged") || err.contains("corrupt"), "{err}");
    assert!(!err.contains("not writable"), "{err}");
    assert_eq!(std::fs::read(s.db()).unwrap(), &full[..full.len() / 2]);
    assert!(sidecars(&s.db()).is_empty(), "{:?}", sidecars(&s.db()));
}

#[test]
fn check_finds_a_schema_that_does_not_match_its_version() {
    let s = Sandbox::new();
    s.ok(&["init"]);
    {
        let conn = rusqlite::Connection::open(s.db()).unwrap();
        conn.execute_batch("CREATE TABLE smuggled(x); ").unwrap();
    }
    let out = s.run(&["check"]);
    assert!(!out.status.success(), "check passed a schema the migrations never made");
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(all.contains("smuggled"), "{all}");
}

#[test]
fn demo_force_twice_succeeds() {
    let s = Sandbox::demo();
    s.ok(&["demo", "--days", "120", "--force"]);
    s.ok(&["demo", "--days", "120", "--force"]);
    assert!(s.ok(&["check"]).contains("ok"));
}

/// Make `path` unwritable even for root (which ignores permission bits): `chattr +i` when we are root.
pub(super) fn protect(path: &Path, on: bool) -> bool {
    use std::os::unix::fs::PermissionsExt;
    if unsafe { libc::geteuid() } == 0 {
        let flag = if on { "+i" } else { "-i" };
        return std::process::Command::new("chattr").arg(flag).arg(path).status().is_ok_and(|s| s.success());
    }
    let mode = match (path.is_dir(), on) {
        (true, true) => 0o500,
        (true, false) => 0o700,
        (false, true) => 0o400,
        (false, false) => 0o600,
    };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).is_ok()
}

#[test]
fn a_read_only_store_is_read_checked_and_backed_up_and_refuses_writes_in_one_line() {
    for protect_dir in [false, true] {
        let s = Sandbox::demo();
        {
            // As a store is left after a clean close: no -wal (the immutable opening).
            let conn = rusqlite::Connection::open(s.db()).unwrap();
            conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        }
        let before = std::fs::read(s.db()).unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let copy = elsewhere.path().join("copy.db");
        let target = if protect_dir { s.dir.path().to_path_buf() } else { s.db() };
        if !protect(&target, true) {
            eprintln!("skipped: cannot make {} read-only here", target.display());
            return;
        }
        let outs: Vec<_> = [
            vec!["check"],
            vec!["brief"],
            vec!["kpi", "list"],
            vec!["decision", "list"],
            vec!["render", "dashboard"],
            vec!["backup", copy.to_str().unwrap()],
        ]
        .into_iter()
        .map(|a| (a.join(" "), s.run(&a)))
        .collect();
        let write = s.run(&["kpi", "record", "leads", "5"]);
        protect(&target, false);
        for (what, out) in outs {
            assert!(out.status.success(), "dir={protect_dir} {what}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let err = String::from_utf8_lossy(&write.stderr);
        assert!(!write.status.success());
        one_line_error(&err);
        assert!(err.contains("read-only"), "{err}");
        assert_eq!(std::fs::read(s.db()).unwrap(), before, "dir={protect_dir}");
        assert!(sidecars(&s.db()).is_empty(), "dir={protect_dir}: {:?}", sidecars(&s.db()));
        let c = Sandbox::new();
        std::fs::copy(&copy, c.db()).unwrap();
        assert!(c.ok(&["check"]).contains("ok"));
    }
}

#[test]
fn a_store_of_ours_with_a_damaged_schema_is_called_damaged_and_left_untouched_without_sidecars() {
    // Our application id and version in an intact header, in WAL mode, with no log beside it:
    // the header check alone passes, so the damage is found by the connection that opens it.
    let s = Sandbox::new();
    s.ok(&["init"]);
    let mut bytes = std::fs::read(s.db()).unwrap();
    assert_eq!((bytes[18], bytes[19]), (2, 2), "a WAL-mode store");
    bytes[100..400].fill(0xAB); // page 1's b-tree: the schema table
    std::fs::write(s.db(), &bytes).unwrap();
    let out = s.run(&["brief"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    one_line_error(&err);
    assert!(err.contains("damaged"), "{err}");
    assert_eq!(std::fs::read(s.db()).unwrap(), bytes, "the file was written");
    assert!(sidecars(&s.db()).is_empty(), "{:?}", sidecars(&s.db()));
}
