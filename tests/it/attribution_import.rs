//! touches-csv: deals' touch histories imported from a file, with every import guarantee
//! (detected, all-or-nothing, idempotent, replace-on-update by deal, undoable, dry run), and the
//! issue's reference deal credited to the cent from the imported rows.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::common::Sandbox;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

/// A store with no channel aliases of its own: the reference names `linkedin` as a
/// channel, and a touches file keeps a channel written as a slug as written.
fn store() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    s
}

fn import(s: &Sandbox, name: &str, extra: &[&str]) -> String {
    let file = fixture(name);
    let mut args = vec!["import", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    s.ok(&args)
}

/// (deal, at, kind) of the rows attribution reads, in order.
fn active_touches(s: &Sandbox) -> Vec<(String, String, String)> {
    let db = rusqlite::Connection::open(s.db()).unwrap();
    let mut stmt =
        db.prepare("SELECT deal, at, kind FROM touch WHERE replaced_by IS NULL ORDER BY deal, at, id").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
}

fn log_rows(s: &Sandbox) -> i64 {
    let db = rusqlite::Connection::open(s.db()).unwrap();
    db.query_row("SELECT count(*) FROM import_log", [], |r| r.get(0)).unwrap()
}

fn w_shaped(s: &Sandbox) -> Value {
    let out = s.ok(&["attribution", "--model", "w-shaped", "--period", "2026-Q4", "--format", "json"]);
    serde_json::from_str(&out).expect("JSON")
}

fn credit(v: &Value, channel: &str) -> Option<Value> {
    v["rows"].as_array().unwrap().iter().find(|r| r["channel"] == channel).map(|r| r["w_shaped_cents"].clone())
}

#[test]
fn the_reference_deal_from_a_touches_file_gets_the_reference_credits() {
    let s = store();
    let out = import(&s, "touches-reference.csv", &[]);
    assert!(out.contains("(touches-csv, 2026-09-01 to 2026-11-02)"), "detected from its header: {out}");
    assert!(out.contains("facts created      11"), "{out}");
    let v = w_shaped(&s);
    assert_eq!(credit(&v, "linkedin"), Some(json!(360000)));
    assert_eq!(credit(&v, "email"), Some(json!(390000)));
    assert_eq!(credit(&v, "events"), Some(json!(360000)));
    for c in ["organic-search", "paid-search", "direct"] {
        assert_eq!(credit(&v, c), Some(json!(30000)), "{c}");
    }
    assert_eq!(credit(&v, "display"), None, "a touch after the close earns nothing");
    assert_eq!(v["amount_cents"], 1_200_000);
}

#[test]
fn a_channel_written_as_a_slug_is_kept_and_a_tools_label_is_mapped_unless_the_config_says() {
    let s = store();
    let out = import(&s, "touches-reference.csv", &[]);
    assert!(
        out.contains("channels kept as written, outside mktg's vocabulary ([channels.aliases] merges them): linkedin"),
        "the summary names the user's own channel: {out}"
    );
    // The same deal written with the tool's label: LinkedIn Ads is paid social, as everywhere.
    let text = std::fs::read_to_string(fixture("touches-reference.csv")).unwrap();
    let tool = s.path("tool-labels.csv");
    std::fs::write(&tool, text.replace(",linkedin,", ",LinkedIn Ads,").replace("D-1001", "D-1002")).unwrap();
    let out = s.ok(&["import", tool.to_str().unwrap()]);
    assert!(out.contains("LinkedIn Ads -> paid-social"), "{out}");
    let v = w_shaped(&s);
    assert_eq!(credit(&v, "linkedin"), Some(json!(360000)));
    assert_eq!(credit(&v, "paid-social"), Some(json!(360000)));

    // The config merges the user's slug into the vocabulary.
    let merged = Sandbox::new();
    std::fs::write(merged.path("config.toml"), "[channels.aliases]\nlinkedin = \"paid-social\"\n").unwrap();
    merged.ok(&["init", "--role", "demand-gen"]);
    import(&merged, "touches-reference.csv", &[]);
    let v = w_shaped(&merged);
    assert_eq!(credit(&v, "linkedin"), None);
    assert_eq!(credit(&v, "paid-social"), Some(json!(360000)));
}

#[test]
fn a_touch_after_today_is_refused_at_its_line_and_nothing_is_written() {
    let s = store();
    let path = s.path("future.csv");
    std::fs::write(
        &path,
        "deal_id,touched_at,channel,kind,amount\nD-1,2026-10-01,email,touch,\n\
         D-1,2027-01-05 09:30,events,touch,\nD-1,2026-10-09,direct,closed-won,900.00\n",
    )
    .unwrap();
    let out = s.run(&["import", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: ")
            && stderr.contains("future.csv:3: touched_at: 2027-01-05 09:30 is after today (2026-11-20, from --now"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(active_touches(&s).is_empty() && log_rows(&s) == 0, "the store is unchanged");
}

#[test]
fn a_bad_file_is_refused_whole_one_line_per_problem_with_its_line() {
    let s = store();
    let file = fixture("touches-refused.csv");
    let out = s.run(&["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let at = |n: usize, rest: &str| format!("touches-refused.csv:{n}: {rest}");
    let want = [
        at(2, "kind: 'visit' is not a touch kind"),
        at(3, "amount: only a deal-created or closed-won row carries the deal's amount"),
        at(4, "touched_at: invalid date '2026-09-31'"),
        at(7, "kind: deal D-2002: a second closed-won row (the first is line 6)"),
    ];
    // One line per problem on stdout, and the one `error:` line on stderr.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), want.len(), "{stdout}");
    for (line, want) in lines.iter().zip(&want) {
        assert!(line.contains(want.as_str()), "{line:?} should say {want:?}");
    }
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains(&want[0]), "{stderr}");
    assert!(stderr.contains("and 3 more problems") && stderr.contains("nothing was imported"), "{stderr}");
    assert!(active_touches(&s).is_empty() && log_rows(&s) == 0, "the store is unchanged");
}

#[test]
fn a_closed_won_row_without_its_amount_and_an_ambiguous_milestone_are_refused_at_their_row() {
    let s = store();
    let path = s.path("t.csv");
    std::fs::write(
        &path,
        "deal_id,touched_at,channel,kind,amount\nD-1,2026-10-01,email,touch,\nD-1,2026-10-01,events,touch,\n\
         D-1,2026-10-01,,contact-created,\nD-1,2026-10-09,direct,closed-won,\n",
    )
    .unwrap();
    let out = s.run(&["import", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    // Every problem listed on stdout (the `error:` line on stderr repeats the first).
    let err = String::from_utf8_lossy(&out.stdout);
    assert!(
        err.contains("t.csv:4: kind: deal D-1: the contact-created row at 2026-10-01 00:00:00 could mark"),
        "{err}"
    );
    assert!(err.contains("t.csv:5: amount: a closed-won row carries the deal's amount"), "{err}");
    assert!(active_touches(&s).is_empty());
}

#[test]
fn the_same_file_twice_adds_nothing_and_the_same_rows_written_differently_add_nothing_either() {
    let s = store();
    import(&s, "touches-reference.csv", &[]);
    let before = active_touches(&s);
    let again = import(&s, "touches-reference.csv", &[]);
    assert!(again.contains("already imported as #1, nothing changed"), "{again}");
    // The same rows, other bytes (CRLF line ends): a new import of the same rows, nothing new.
    let crlf = s.path("touches-crlf.csv");
    let text = std::fs::read_to_string(fixture("touches-reference.csv")).unwrap();
    std::fs::write(&crlf, text.replace('\n', "\r\n")).unwrap();
    let out = s.ok(&["import", crlf.to_str().unwrap()]);
    assert!(out.contains("facts created      0") && out.contains("facts unchanged    11"), "{out}");
    assert!(out.contains("touches replaced: 1 deal from import #1 (11 rows)"), "{out}");
    assert_eq!(active_touches(&s), before);
    assert_eq!(credit(&w_shaped(&s), "email"), Some(json!(390000)));
}

#[test]
fn a_longer_export_replaces_the_same_deals_rows_and_its_undo_gives_them_back() {
    let s = store();
    import(&s, "touches-reference.csv", &[]);
    let reference = active_touches(&s);
    let out = import(&s, "touches-reference-more.csv", &[]);
    assert!(out.contains("touches replaced: 1 deal from import #1 (11 rows)"), "{out}");
    assert!(out.contains("facts created      5") && out.contains("facts unchanged    11"), "{out}");
    let now = active_touches(&s);
    assert_eq!(now.len(), 16, "never duplicated: {now:?}");
    assert_eq!(now.iter().filter(|t| t.0 == "D-1001").count(), 12);
    let v = w_shaped(&s);
    assert_eq!(v["deals"], 2);
    assert_eq!(v["amount_cents"], 2_000_000);

    let undo = s.ok(&["import", "--undo", "2"]);
    assert!(undo.contains("16 facts removed"), "{undo}");
    assert_eq!(active_touches(&s), reference, "the earlier import's rows count again");
    assert_eq!(credit(&w_shaped(&s), "linkedin"), Some(json!(360000)));
}

#[test]
fn undo_removes_the_imports_touch_rows() {
    let s = store();
    import(&s, "touches-reference.csv", &[]);
    let out = s.ok(&["import", "--undo", "1"]);
    assert!(out.contains("undid import #1") && out.contains("11 facts removed"), "{out}");
    assert!(active_touches(&s).is_empty());
    assert_eq!(w_shaped(&s)["deals"], 0);
    // Undone, the file imports afresh.
    import(&s, "touches-reference.csv", &[]);
    assert_eq!(active_touches(&s).len(), 11);
}

#[test]
fn a_dry_run_says_what_it_would_do_and_writes_nothing() {
    let s = store();
    let out = import(&s, "touches-reference.csv", &["--dry-run"]);
    assert!(out.contains("dry run, nothing written") && out.contains("facts created      11"), "{out}");
    assert!(active_touches(&s).is_empty() && log_rows(&s) == 0);
    import(&s, "touches-reference.csv", &[]);
    let out = import(&s, "touches-reference-more.csv", &["--dry-run"]);
    assert!(out.contains("touches replaced: 1 deal from import #1 (11 rows)"), "{out}");
    assert_eq!(active_touches(&s).len(), 11, "the dry run replaced nothing");
}
