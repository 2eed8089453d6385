//! The command palette (`:`): import (dry run, then a yes), export, report exec and backup from
//! the cockpit, through the functions the command line calls; asserted on the store and files.

use crate::common::Sandbox;

fn keys(s: &Sandbox, screen: &str, keys: &str) -> String {
    s.ok(&["render", screen, "--width", "100", "--height", "30", "--keys", keys])
}

fn set_up() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["init"]);
    std::fs::write(
        s.path("k.csv"),
        "date,metric,channel,value\n2026-11-18,leads,linkedin,40\n2026-11-19,leads,linkedin,45\n",
    )
    .expect("write the file");
    s
}

#[test]
fn import_shows_the_dry_run_then_imports_on_yes_as_the_command_would() {
    let s = set_up();
    let file = s.path("k.csv").display().to_string();
    // The dry run is shown and nothing is written until the yes.
    let screen = keys(&s, "dashboard", &format!(": import Space {file} Enter"));
    assert!(screen.contains("dry run, nothing written"), "{screen}");
    assert!(screen.contains("facts created      2"), "{screen}");
    assert_eq!(s.ok(&["kpi", "list", "--format", "json"]).trim(), "[]", "nothing written by the dry run");
    let screen = keys(&s, "dashboard", &format!(": import Space {file} Enter n"));
    assert!(screen.contains("not imported; nothing changed"), "{screen}");
    // The yes imports: the store holds the facts, and the log the import, as `mktg import` leaves them.
    let screen = keys(&s, "dashboard", &format!(": import Space {file} Enter y"));
    assert!(screen.contains("imported as #1"), "{screen}");
    let listed = s.ok(&["kpi", "list", "--format", "json"]);
    assert!(listed.contains("\"leads\""), "{listed}");
    let cli = s.ok(&["import", &file, "--dry-run"]);
    assert!(cli.contains("already imported as #1"), "{cli}");
    // The same file again: nothing to confirm.
    let screen = keys(&s, "dashboard", &format!(": import Space {file} Enter"));
    assert!(screen.contains("already imported as #1, nothing changed"), "{screen}");
    assert!(!screen.contains("Import it?"), "{screen}");
}

#[test]
fn a_refused_file_says_the_commands_one_line_and_writes_nothing() {
    let s = set_up();
    std::fs::write(s.path("bad.csv"), "date,metric,channel,value\n2026-11-18,leads,linkedin,forty\n").expect("write");
    let file = s.path("bad.csv").display().to_string();
    let screen = keys(&s, "dashboard", &format!(": import Space {file} Enter"));
    assert!(screen.contains("bad.csv:2:"), "{screen}");
    assert!(screen.contains("nothing was imported"), "{screen}");
    let missing = s.path("nope.csv").display().to_string();
    let screen = keys(&s, "dashboard", &format!(": import Space {missing} Enter"));
    assert!(screen.contains("error: ") && screen.contains("no such file"), "{screen}");
    let err = s.fails(&["import", &missing], 2);
    assert!(err.contains("no such file"), "{err}");
}

#[test]
fn export_report_and_backup_write_their_files() {
    let s = set_up();
    s.ok(&["import", &s.path("k.csv").display().to_string()]);
    let out = s.path("kpis.csv").display().to_string();
    let screen = keys(&s, "budget", &format!(": export Space kpis Space --out Space {out} Enter"));
    assert!(screen.contains("exported kpis to"), "{screen}");
    let cli = s.ok(&["export", "kpis"]);
    assert_eq!(std::fs::read_to_string(&out).expect("exported"), cli, "the palette's file is the command's output");

    let report = s.path("exec.md").display().to_string();
    keys(&s, "today", &format!(": report Space exec Space --out Space {report} Enter"));
    assert_eq!(std::fs::read_to_string(&report).expect("report"), s.ok(&["report", "exec"]));

    let copy = s.path("copy.db").display().to_string();
    let screen = keys(&s, "decisions", &format!(": backup Space {copy} Enter"));
    assert!(screen.contains("backed up"), "{screen}");
    let again = Sandbox::new();
    std::fs::copy(&copy, again.db()).expect("copy the backup");
    assert!(again.ok(&["kpi", "list", "--format", "json"]).contains("\"leads\""));
    // A backup never overwrites: the command line's one line, and the palette stays open to fix it.
    let screen = keys(&s, "decisions", &format!(": backup Space {copy} Enter"));
    assert!(screen.contains("error: ") && screen.contains("already exists"), "{screen}");
    assert!(screen.contains("Enter run"), "{screen}");
}

#[test]
fn tab_completes_command_names_and_paths() {
    let s = set_up();
    let dir = s.dir.path().display().to_string();
    let screen = keys(&s, "dashboard", ": rep Tab");
    assert!(screen.contains("report exec"), "{screen}");
    let screen = keys(&s, "dashboard", &format!(": import Space {dir}/k. Tab"));
    assert!(screen.contains(&format!("import {dir}/k.csv")), "{screen}");
    // Tab then Enter runs what is on screen.
    let screen = keys(&s, "dashboard", &format!(": im Tab {dir}/k. Tab Enter"));
    assert!(screen.contains("dry run, nothing written"), "{screen}");
    let screen = keys(&s, "dashboard", ": frob Enter");
    assert!(screen.contains("error: unknown command 'frob'"), "{screen}");
}
