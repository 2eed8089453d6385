//! Files mktg writes, config it reads, and the smaller items of issue #12 (items 3, 4, 9, 10):
//! whole, private files or nothing; errors naming the target; one-line refusals.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use super::common::Sandbox;

fn one_line_error(err: &str) {
    assert!(err.starts_with("error: ") && err.lines().count() == 1, "not one error line: {err:?}");
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A disk that fills after `bytes`: RLIMIT_FSIZE with SIGXFSZ ignored makes a write past it
/// fail with EFBIG, as ENOSPC would on a full disk.
fn on_a_full_disk(mut c: Command, bytes: u64) -> std::process::Output {
    unsafe {
        c.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    c.output().unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_backup_to_a_full_disk_leaves_nothing_names_the_target_and_the_next_one_works() {
    let s = Sandbox::demo();
    let dest = tempfile::tempdir().unwrap();
    let target = dest.path().join("b.db");
    let out = on_a_full_disk(s.cmd(&["backup", target.to_str().unwrap()]), 64 * 1024);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    one_line_error(&err);
    assert!(err.contains(&target.display().to_string()), "the error names the target: {err}");
    assert!(listing(dest.path()).is_empty(), "left behind: {:?}", listing(dest.path()));
    s.ok(&["backup", target.to_str().unwrap()]);
    assert_eq!(mode(&target), 0o600, "a backup is private");
    assert_eq!(listing(dest.path()), vec!["b.db".to_string()]);
    // An existing target is refused and left as it was.
    let before = std::fs::read(&target).unwrap();
    let err = s.fails(&["backup", target.to_str().unwrap()], 2);
    one_line_error(&err);
    assert!(err.contains("exists"), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), before);
}

#[test]
fn a_continuous_writer_does_not_starve_a_backup() {
    let s = Sandbox::demo();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let target = s.path("copy.db");
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let conn = rusqlite::Connection::open(s.db()).unwrap();
            conn.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
            let mut commits = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                conn.execute_batch("BEGIN IMMEDIATE; UPDATE meta SET value = value; COMMIT;").unwrap();
                commits += 1;
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            commits
        });
        let out = s.run(&["backup", target.to_str().unwrap()]);
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(writer.join().unwrap() > 0);
    });
    let c = Sandbox::new();
    std::fs::copy(&target, c.db()).unwrap();
    assert!(c.ok(&["check"]).contains("ok"));
}

#[test]
fn export_out_is_whole_or_absent_and_a_folder_is_refused() {
    let s = Sandbox::demo();
    let dest = tempfile::tempdir().unwrap();
    // A folder as --out: refused, nothing written beside it or in it.
    let folder = dest.path().join("reports");
    std::fs::create_dir(&folder).unwrap();
    let err = s.fails(&["export", "kpis", "--out", folder.to_str().unwrap()], 2);
    one_line_error(&err);
    assert!(err.contains(&folder.display().to_string()), "{err}");
    assert_eq!(listing(dest.path()), vec!["reports".to_string()]);
    assert!(listing(&folder).is_empty());
    // A full disk: the temporary file goes too. (The limit leaves room for the store's 32 KiB -shm.)
    let csv = dest.path().join("a.csv");
    let limit = 40 * 1024;
    assert!(s.ok(&["export", "kpis", "--format", "csv"]).len() > 2 * limit as usize, "the export must not fit");
    let out = on_a_full_disk(s.cmd(&["export", "kpis", "--format", "csv", "--out", csv.to_str().unwrap()]), limit);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    one_line_error(&err);
    assert!(err.contains(&csv.display().to_string()), "{err}");
    assert_eq!(listing(dest.path()), vec!["reports".to_string()]);
    // Two exports at once to a.csv and a.json: no shared temporary name, both whole and private.
    let json = dest.path().join("a.json");
    let a = s.cmd(&["export", "kpis", "--format", "csv", "--out", csv.to_str().unwrap()]).spawn().unwrap();
    let b = s.cmd(&["export", "kpis", "--format", "json", "--out", json.to_str().unwrap()]).spawn().unwrap();
    assert!(a.wait_with_output().unwrap().status.success());
    assert!(b.wait_with_output().unwrap().status.success());
    assert_eq!(listing(dest.path()), vec!["a.csv", "a.json", "reports"]);
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), s.ok(&["export", "kpis", "--format", "csv"]));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(v.is_array() || v.is_object());
    assert_eq!(mode(&csv), 0o600);
}

#[test]
fn the_calendar_time_zone_must_be_a_real_zone_on_one_line() {
    let s = Sandbox::demo();
    for (tz, why) in [("Mars/Olympus", "unknown"), ("Europe/Paris\\r\\nX-INJECTED:1", "CR/LF")] {
        std::fs::write(s.path("config.toml"), format!("[calendar]\ntimezone = \"{tz}\"\n")).unwrap();
        let out = s.run(&["export", "cadence", "--format", "ics"]);
        assert_eq!(out.status.code(), Some(2), "{why}");
        let err = String::from_utf8_lossy(&out.stderr);
        one_line_error(&err);
        assert!(err.contains("2:") && err.contains("timezone"), "{why}: {err}");
        assert!(out.stdout.is_empty());
    }
    std::fs::write(s.path("config.toml"), "[calendar]\ntimezone = \"Europe/Paris\"\n").unwrap();
    let ics = s.ok(&["export", "cadence", "--format", "ics"]);
    assert!(ics.contains("TZID=Europe/Paris") || ics.contains("TZID:Europe/Paris"), "{ics}");
    for line in ics.split("\r\n") {
        assert!(!line.contains('\r') && !line.contains('\n'), "a raw line break inside an ICS line: {line:?}");
        assert!(line.len() <= 75, "an ICS line is folded at 75 octets: {line:?}");
    }
}

#[test]
fn an_explicit_config_that_does_not_exist_is_an_error() {
    let s = Sandbox::demo();
    let missing = s.path("confg.toml");
    let mut c = Command::new(env!("CARGO_BIN_EXE_mktg"));
    c.arg("--db").arg(s.db()).arg("--config").arg(&missing).arg("brief");
    let out = c.env_remove("MKTG_CONFIG").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    one_line_error(&err);
    assert!(err.contains(&missing.display().to_string()), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_mktg"))
        .arg("--db")
        .arg(s.db())
        .arg("brief")
        .env("MKTG_CONFIG", &missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "MKTG_CONFIG too");
}

#[test]
fn relative_dates_with_a_minus_are_taken_where_the_help_offers_them() {
    let s = Sandbox::demo();
    s.ok(&["kpi", "record", "leads", "7", "--date", "-2d"]);
    let json = s.ok(&["kpi", "list", "--metric", "leads", "--from", "-2d", "--to", "-2d", "--format", "json"]);
    assert!(json.contains("2026-11-18"), "{json}");
    s.ok(&["budget", "plan", "Minus", "100", "--period", "2026-Q4"]);
    s.ok(&["budget", "spend", "Minus", "5", "--date", "-1d"]);
}

#[test]
fn years_out_of_reason_are_refused_everywhere_a_date_is_read() {
    let s = Sandbox::demo();
    for date in ["0000-01-01", "9999-12-31", "1899-12-31", "2201-01-01"] {
        for args in [
            vec!["kpi", "record", "leads", "1", "--date", date],
            vec!["launch", "add", "Far", "--date", date],
            vec!["decision", "add", "Far", "--owner", "Sam", "--due", date],
        ] {
            let err = s.fails(&args, 2);
            one_line_error(&err);
            assert!(err.contains(date), "{args:?}: {err}");
        }
        let out = Command::new(env!("CARGO_BIN_EXE_mktg")).arg("--db").arg(s.db()).arg("--now").arg(date).output();
        assert_eq!(out.unwrap().status.code(), Some(2), "--now {date}");
    }
    let file = s.path("old.csv");
    std::fs::write(&file, "date,metric,value,channel\n0001-01-01,leads,5,\n").unwrap();
    let err = s.fails(&["import", file.to_str().unwrap(), "--preset", "kpi-csv"], 2);
    one_line_error(&err);
}

#[test]
fn a_negative_day_count_keeps_its_minus_in_the_launches_table() {
    let s = Sandbox::demo();
    s.ok(&["launch", "add", "Long ago", "--date", "1990-03-01"]);
    let screen = s.ok(&["render", "launches", "--width", "120", "--height", "60"]);
    let row = screen.lines().find(|l| l.contains("Long ago")).expect("the launch is listed");
    // -13048 days do not fit the column: it says so, and never shows 13048 or 3048 unsigned.
    assert!(row.contains("-…") || row.contains("-13048"), "{row}");
    assert!(!row.contains(" 3048") && !row.contains(" 13048"), "{row}");
    let text = s.ok(&["launch", "list"]);
    let row = text.lines().find(|l| l.contains("Long ago")).unwrap();
    assert!(row.contains('-'), "{row}");
}

#[test]
fn markdown_output_carries_no_script_links_nor_raw_html() {
    let s = Sandbox::demo();
    s.ok(&[
        "decision",
        "add",
        "[click](javascript:alert(1)) <script>x</script> <img src=x onerror=y> [d](data:text/html,z)",
        "--owner",
        "Sam",
        "--due",
        "2026-11-20",
    ]);
    for args in [vec!["decision", "list", "--format", "markdown"], vec!["export", "decisions", "--format", "markdown"]]
    {
        let md = s.ok(&args);
        assert!(md.contains("click"), "{md}");
        assert!(!md.contains("](javascript:") && !md.contains("](data:"), "{args:?}: {md}");
        assert!(!md.contains("<script") && !md.contains("<img"), "{args:?}: {md}");
    }
}

#[test]
fn a_number_with_a_space_means_the_same_to_every_command() {
    let s = Sandbox::demo();
    let plan = s.run(&["budget", "plan", "Spaced", "12 000", "--period", "2026-Q4"]);
    let kpi = s.run(&["kpi", "record", "leads", "12 000"]);
    assert_eq!(plan.status.code(), kpi.status.code(), "budget plan and kpi record disagree on '12 000'");
    if plan.status.success() {
        assert!(s.ok(&["kpi", "list", "--metric", "leads", "--format", "csv"]).contains("12000"));
    }
}

#[test]
fn an_import_error_is_one_bounded_line() {
    let s = Sandbox::demo();
    let file = s.path("huge.csv");
    let cell = "9".repeat(2_500_000);
    std::fs::write(
        &file,
        format!("date,metric,value,channel\n2026-11-01,leads,{cell}x,\n2026-11-02,leads,\"a\nb\",\n"),
    )
    .unwrap();
    let err = s.fails(&["import", file.to_str().unwrap(), "--preset", "kpi-csv"], 2);
    one_line_error(&err);
    assert!(err.len() < 600, "a {} byte error line", err.len());
}
