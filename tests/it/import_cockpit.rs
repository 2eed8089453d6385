//! The import log in the cockpit: `I` lists imports newest first with their counts; `u` then `y`
//! undoes the selected one, `n` leaves it.

use std::path::Path;

use super::common::Sandbox;

fn with_two_imports() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    for f in ["ga4_daily.csv", "linkedin_campaigns.csv"] {
        s.ok(&["import", dir.join(f).to_str().expect("path")]);
    }
    s
}

fn render(s: &Sandbox, keys: &str) -> String {
    s.ok(&["render", "dashboard", "--width", "120", "--height", "24", "--keys", keys])
}

fn spend_rows(s: &Sandbox) -> i64 {
    let c = rusqlite::Connection::open(s.db()).expect("db");
    c.query_row("SELECT count(*) FROM spend", [], |r| r.get(0)).expect("count")
}

#[test]
fn capital_i_shows_the_import_log_newest_first_with_counts() {
    let s = with_two_imports();
    let screen = render(&s, "I");
    assert!(screen.contains("Imports (newest first)"), "{screen}");
    let linkedin = screen.lines().position(|l| l.contains("linkedin_campaigns.csv")).expect("linkedin row");
    let ga4 = screen.lines().position(|l| l.contains("ga4_daily.csv")).expect("ga4 row");
    assert!(linkedin < ga4, "newest first:\n{screen}");
    let row = screen.lines().nth(linkedin).unwrap_or("");
    assert!(row.contains("linkedin-ads") && row.contains(" 18 ") && row.contains("in the store"), "{row}");
}

#[test]
fn u_asks_first_and_n_keeps_the_import() {
    let s = with_two_imports();
    let screen = render(&s, "I u");
    assert!(screen.contains("Undo import #2 (linkedin_campaigns.csv)? It removes its 18 facts."), "{screen}");
    let screen = render(&s, "I u n");
    assert!(screen.contains("cancelled; nothing changed"), "{screen}");
    assert_eq!(spend_rows(&s), 3);
}

#[test]
fn u_then_y_undoes_the_selected_import_and_the_log_says_so() {
    let s = with_two_imports();
    let screen = render(&s, "I u y");
    assert!(screen.contains("undid import #2 (linkedin_campaigns.csv): 18 facts removed"), "{screen}");
    assert!(screen.lines().any(|l| l.contains("linkedin_campaigns.csv") && l.contains("undone")), "{screen}");
    assert_eq!(spend_rows(&s), 0);
    // The older import, one row down, is still there.
    let json = s.ok(&["export", "kpis", "--format", "json"]);
    assert!(json.contains("\"sessions\""), "{json}");
}
