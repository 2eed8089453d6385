//! A kpi-csv large enough to be written while it is still being parsed (several batches) keeps
//! every guarantee of a small one: all or nothing, problems in file order, idempotent, dry run,
//! and an updated export replacing the earlier one.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::common::Sandbox;

/// Enough rows for three batches of the parser's stream.
const ROWS: usize = 70_000;
const METRICS: [&str; 5] = ["sessions", "leads", "mqls", "clicks", "spend"];
const CHANNELS: [&str; 4] = ["email", "direct", "paid-social", "organic-search"];

fn store() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    s
}

/// Day-major rows from `start` (so the store's metric-first order differs from the file's).
fn rows(start: chrono::NaiveDate) -> Vec<String> {
    let per_day = METRICS.len() * CHANNELS.len();
    (0..ROWS)
        .map(|i| {
            let day = start + chrono::Days::new((i / per_day) as u64);
            let (metric, channel) = (METRICS[i % per_day / CHANNELS.len()], CHANNELS[i % CHANNELS.len()]);
            format!("{day},{metric},{},{channel}", i % 997)
        })
        .collect()
}

fn day(y: i32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, 1, 1).expect("day")
}

fn file(s: &Sandbox, name: &str, rows: impl IntoIterator<Item = String>) -> PathBuf {
    let mut text = String::from("date,metric,value,channel\n");
    for row in rows {
        let _ = writeln!(text, "{row}");
    }
    let p = s.path(name);
    std::fs::write(&p, text).expect("write");
    p
}

/// The rows from 1990 on; `edit` may change any row's text (given its 0-based number), or drop
/// it by returning `None`.
fn big_file(s: &Sandbox, name: &str, edit: impl Fn(usize, String) -> Option<String>) -> PathBuf {
    file(s, name, rows(day(1990)).into_iter().enumerate().filter_map(|(i, row)| edit(i, row)))
}

fn count(s: &Sandbox, sql: &str) -> i64 {
    rusqlite::Connection::open(s.db()).expect("open").query_row(sql, [], |r| r.get(0)).expect("count")
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn a_large_kpi_csv_lands_whole_once_and_a_dry_run_writes_nothing() {
    let s = store();
    let file = big_file(&s, "history.csv", |_, row| Some(row));

    let dry = s.ok(&["import", path(&file), "--dry-run"]);
    assert!(dry.contains(&format!("facts created      {ROWS}")), "{dry}");
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM import_log"), 0);

    let out = s.ok(&["import", path(&file)]);
    assert!(out.contains("imported as #1 (kpi-csv, 1990-01-01 to "), "{out}");
    assert!(out.contains(&format!("facts created      {ROWS}")), "{out}");
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs WHERE import_id = 1"), ROWS as i64);
    assert_eq!(count(&s, "SELECT count(DISTINCT day || metric || channel) FROM kpi_obs"), ROWS as i64);
    assert_eq!(count(&s, "SELECT rows_read FROM import_log WHERE id = 1"), ROWS as i64);
    assert_eq!(count(&s, "SELECT created FROM import_log WHERE id = 1"), ROWS as i64);
    // The last row of the file made it in, with its value.
    let last = ROWS - 1;
    assert_eq!(
        count(&s, "SELECT CAST(sum(value) AS INTEGER) FROM kpi_obs WHERE day = (SELECT max(day) FROM kpi_obs)"),
        {
            let per_day = METRICS.len() * CHANNELS.len();
            (last / per_day * per_day..ROWS).map(|i| (i % 997) as i64).sum::<i64>()
        }
    );

    let again = s.ok(&["import", path(&file)]);
    assert!(again.contains("already imported as #1, nothing changed"), "{again}");
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs"), ROWS as i64);
}

#[test]
fn a_problem_in_the_last_batch_of_a_large_file_leaves_the_store_untouched() {
    let s = store();
    // A duplicate of the first row at the very end, after two batches have been written.
    let first = big_file(&s, "probe.csv", |_, row| Some(row));
    let first_row = std::fs::read_to_string(&first).expect("read").lines().nth(1).expect("row").to_string();
    let dup = big_file(&s, "dup.csv", |i, row| Some(if i == ROWS - 1 { first_row.clone() } else { row }));
    let err = s.fails(&["import", path(&dup)], 2);
    assert!(err.contains(&format!("dup.csv:{}: -: duplicate of line 2", ROWS + 1)), "{err}");
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM import_log"), 0);

    // Unknown metrics in different batches: every one is listed, in file order.
    let unknown = big_file(&s, "unknown.csv", |i, row| match i {
        10 => Some(row.replace(",mqls,", ",mqsl,")),
        11 => Some(row.replace(",mqls,", ",leeds,")),
        40_000 => Some(row.replace(",sessions,", ",sesions,")),
        _ => Some(row),
    });
    let out = s.run(&["import", path(&unknown)]);
    assert_eq!(out.status.code(), Some(2));
    // The error line names the first; stdout lists every one.
    let err = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(": metric: ")).collect();
    assert_eq!(lines.len(), 3, "{err}");
    for (line, wanted) in
        lines.iter().zip(["unknown.csv:12: metric: ", "unknown.csv:13: metric: ", "unknown.csv:40002: metric: "])
    {
        assert!(line.contains(wanted), "{err}");
    }
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM import_log"), 0);
}

#[test]
fn an_updated_large_export_replaces_the_earlier_one() {
    let s = store();
    let before = big_file(&s, "export-v1.csv", |_, row| Some(row));
    s.ok(&["import", path(&before)]);
    // The updated export: one value changed, the last row gone.
    let after = big_file(&s, "export-v2.csv", |i, row| match i {
        5 => Some(row.replace(",5,", ",12345,")),
        i if i == ROWS - 1 => None,
        _ => Some(row),
    });
    let out = s.ok(&["import", path(&after)]);
    assert!(out.contains("replaces import #1"), "{out}");
    assert!(out.contains("facts updated      1"), "{out}");
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs"), ROWS as i64 - 1);
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs WHERE import_id = 2"), ROWS as i64 - 1);
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs WHERE value = 12345"), 1);

    s.ok(&["import", "--undo", "2"]);
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs"), 0);
}

#[test]
fn a_later_period_after_a_large_import_adds_to_it() {
    let s = store();
    s.ok(&["import", path(&big_file(&s, "until-2000.csv", |_, row| Some(row)))]);
    let later = file(&s, "from-2010.csv", rows(day(2010)));
    let out = s.ok(&["import", path(&later)]);
    assert!(out.contains("imported as #2 (kpi-csv, 2010-01-01 to "), "{out}");
    assert!(!out.contains("replaces"), "{out}");
    assert!(out.contains(&format!("facts created      {ROWS}")), "{out}");
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs"), 2 * ROWS as i64);
    assert_eq!(count(&s, "SELECT count(*) FROM import_log WHERE replaced_by IS NULL"), 2);
}

#[test]
fn an_updated_export_whose_first_rows_are_new_still_replaces_the_earlier_one() {
    let s = store();
    s.ok(&["import", path(&big_file(&s, "v1.csv", |_, row| Some(row)))]);
    // The updated export starts with a year the first one did not have (more than a batch of
    // rows), then holds every row of the first one, one of them changed.
    let mut updated = rows(day(1980));
    updated.truncate(10_000);
    updated.extend(
        rows(day(1990)).into_iter().enumerate().map(
            |(i, row)| {
                if i == 5 { row.replace(",5,", ",12345,") } else { row }
            },
        ),
    );
    let out = s.ok(&["import", path(&file(&s, "v2.csv", updated))]);
    assert!(out.contains("replaces import #1"), "{out}");
    assert!(out.contains("facts created      10000"), "{out}");
    assert!(out.contains("facts updated      1"), "{out}");
    assert!(out.contains(&format!("facts unchanged    {}", ROWS - 1)), "{out}");
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs"), ROWS as i64 + 10_000);
    assert_eq!(count(&s, "SELECT count(*) FROM kpi_obs WHERE import_id = 2"), ROWS as i64 + 10_000);
}
