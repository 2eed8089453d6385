//! The decision log: logging by keyboard (inside a meeting, linked), refusing a missing owner,
//! done / reverse / supersede, search and filters, the CLI, exports and the executive update.

use super::common::Sandbox;
use super::today::at;

fn decisions(s: &Sandbox) -> Vec<serde_json::Value> {
    serde_json::from_str(&s.ok(&["decision", "list", "--format", "json"])).expect("json")
}

fn by_title(s: &Sandbox, title: &str) -> Option<serde_json::Value> {
    decisions(s).into_iter().find(|d| d["title"] == title)
}

#[test]
fn logging_a_decision_inside_the_1300_meeting_by_keys_links_it_to_that_meeting() {
    let s = Sandbox::demo();
    let keys =
        "Enter d SDRs Space follow Space webinar Space MQLs Space within Space 24h Tab Dana Space (Sales) Enter Esc";
    let screen = at(&s, "2026-11-20T13:05", &["render", "today", "--keys", keys]);
    assert!(screen.contains("Decisions in this meeting (1)"), "{screen}");
    // Dana is not on the team: the cockpit offered to add her, and Esc kept the owner as written.
    assert!(screen.contains("'Dana (Sales)' kept as written, not on the team"), "{screen}");
    let d = by_title(&s, "SDRs follow webinar MQLs within 24h").expect("saved");
    assert_eq!(d["owner"], "Dana (Sales)");
    assert_eq!(d["meeting"], "Sales sync");
    assert_eq!(d["meeting_day"], "2026-11-20");
    let today: serde_json::Value =
        serde_json::from_str(&at(&s, "2026-11-20T13:06", &["today", "--format", "json"])).unwrap();
    let sales = today["meetings"].as_array().unwrap().iter().find(|m| m["name"] == "Sales sync").unwrap();
    assert_eq!(d["meeting_id"], sales["instance_id"]);
}

#[test]
fn a_decision_is_logged_in_one_line_of_keys_with_owner_due_and_risk() {
    let s = Sandbox::demo();
    let keys = "Enter d Test Space a Space gated Space ROI Space calculator Space in Space nurture \
                Tab Sam Tab fri Tab MQL Space growth Space stalls Space in Space Q1 Enter";
    at(&s, "2026-11-20T11:05", &["render", "today", "--keys", keys]);
    let d = by_title(&s, "Test a gated ROI calculator in nurture").expect("saved");
    assert_eq!((d["owner"].as_str(), d["due"].as_str()), (Some("Sam"), Some("2026-11-27")));
    assert_eq!(d["risk"], "MQL growth stalls in Q1");
    assert_eq!((d["status"].as_str(), d["meeting"].as_str()), (Some("proposed"), Some("Lead gen strategy")));
}

#[test]
fn the_decision_form_refuses_a_missing_owner() {
    let s = Sandbox::demo();
    let screen = s.ok(&["render", "decisions", "--keys", "d Ship Space the Space beta Enter"]);
    assert!(screen.contains("an owner is required: who owns this?"), "{screen}");
    assert!(by_title(&s, "Ship the beta").is_none(), "nothing saved");
    let screen = s.ok(&["render", "decisions", "--keys", "d Ship Tab Sam Tab someday Enter"]);
    assert!(screen.contains("'someday' is not a date"), "{screen}");
    let err = s.fails(&["decision", "add", "Ship", "--owner", " "], 2);
    assert!(err.contains("owner"), "{err}");
}

#[test]
fn superseding_keeps_the_original_linked() {
    let s = Sandbox::demo();
    // The newest decision is first: #9 "Test a shorter demo form".
    s.ok(&["render", "decisions", "--keys", "S C-u Test Space a Space two-field Space demo Space form Enter"]);
    let old = by_title(&s, "Test a shorter demo form").expect("the original stays");
    let new = by_title(&s, "Test a two-field demo form").expect("the new one");
    assert_eq!(old["status"], "superseded");
    assert_eq!(old["superseded_by"], new["id"]);
    assert_eq!(new["supersedes"], old["id"]);
    assert_eq!((new["owner"].as_str(), new["meeting"].as_str()), (Some("Sam"), Some("Lead gen strategy")));
    let screen = s.ok(&["render", "decisions", "--keys", "j"]);
    assert!(screen.contains(&format!("superseded by #{}", new["id"])), "{screen}");
}

#[test]
fn marking_done_and_reversing_by_keys() {
    let s = Sandbox::demo();
    s.ok(&["render", "decisions", "--keys", "Space"]);
    assert_eq!(by_title(&s, "Test a shorter demo form").unwrap()["status"], "done");
    s.ok(&["render", "decisions", "--keys", "j r n"]);
    assert_eq!(by_title(&s, "Hire a contractor for paid social").unwrap()["status"], "proposed", "n cancels");
    s.ok(&["render", "decisions", "--keys", "j r y"]);
    assert_eq!(by_title(&s, "Hire a contractor for paid social").unwrap()["status"], "reversed");
    let screen = s.ok(&["render", "decisions", "--keys", "j j Space"]);
    assert!(screen.contains("already done"), "{screen}");
    // x deletes elsewhere; a decision is never deleted, and the log says what to do instead.
    let screen = s.ok(&["render", "decisions", "--keys", "x"]);
    assert!(screen.contains("decisions are never deleted: r reverses one"), "{screen}");
}

#[test]
fn search_and_filters_narrow_the_log() {
    let s = Sandbox::demo();
    let screen = s.ok(&["render", "decisions", "--keys", "/ battle Enter"]);
    assert!(screen.contains("Decisions (1 of 13)") && screen.contains("Refresh the competitor battlecard"), "{screen}");
    let screen = s.ok(&["render", "decisions", "--keys", "/ creative Enter"]);
    assert!(screen.contains("Hire a contractor for paid social"), "searches the risk too: {screen}");
    let screen = s.ok(&["render", "decisions", "--keys", "f Tab Tab Tab ov Enter"]);
    assert!(screen.contains("Decisions (3 of 13)") && screen.contains("filter: overdue"), "{screen}");
    let screen = s.ok(&["render", "decisions", "--keys", "f open Tab Tab sales Enter"]);
    assert!(screen.contains("Decisions (2 of 13)"), "open decisions from sales syncs: {screen}");
    let screen = s.ok(&["render", "decisions", "--keys", "f Tab Tab Tab this Space week Enter"]);
    assert!(screen.contains("Pick the Q1 webinar theme") && !screen.contains("Hire a contractor"), "{screen}");
}

#[test]
fn the_decisions_screen_at_a_quarter_to_nine() {
    let s = Sandbox::demo();
    insta::assert_snapshot!("decisions_0845", s.ok(&["render", "decisions", "--width", "120", "--height", "40"]));
}

#[test]
fn the_command_line_adds_lists_and_closes_decisions() {
    let s = Sandbox::demo();
    let id =
        s.ok(&["decision", "add", "=HYPERLINK(\"x\")", "--owner", "Alex", "--due", "+3d", "--meeting", "sales-sync"]);
    let id: i64 = id.trim().parse().expect("prints the id");
    let d = by_title(&s, "=HYPERLINK(\"x\")").unwrap();
    assert_eq!(
        (d["id"].as_i64(), d["due"].as_str(), d["meeting"].as_str()),
        (Some(id), Some("2026-11-23"), Some("Sales sync"))
    );
    let csv = s.ok(&["decision", "list", "--owner", "alex", "--format", "csv"]);
    assert!(csv.lines().next().unwrap().starts_with("id,title,owner,due,status"), "{csv}");
    assert!(csv.contains("'=HYPERLINK"), "formulas are neutralised: {csv}");
    let overdue = s.ok(&["decision", "list", "--overdue"]);
    // The two overdue decisions and the demo post-mortem's overdue follow-up.
    assert_eq!(overdue.lines().count(), 3, "{overdue}");
    assert!(overdue.contains("Cap LinkedIn") && overdue.contains("Approve Partner Portal"), "{overdue}");
    s.ok(&["decision", "done", &id.to_string()]);
    assert_eq!(by_title(&s, "=HYPERLINK(\"x\")").unwrap()["status"], "done");
    let err = s.fails(&["decision", "done", &id.to_string()], 2);
    assert!(err.contains("already done"), "{err}");
    let err = s.fails(&["decision", "add", "x", "--owner", "A", "--meeting", "board"], 2);
    assert!(err.contains("no meeting 'board' today"), "{err}");
    let err = s.fails(&["decision", "list", "--status", "maybe"], 2);
    assert!(err.contains("'maybe' is not a decision status"), "{err}");
    let md = s.ok(&["decision", "list", "--status", "open", "--format", "markdown"]);
    assert!(
        md.contains("| 1 | Cap LinkedIn ABM daily budget at $1,300 | Alex | 2026-11-17 | decided (overdue) |"),
        "{md}"
    );
}

#[test]
fn decisions_export_as_markdown_csv_and_json() {
    let s = Sandbox::demo();
    let md = s.ok(&["export", "decisions"]);
    assert!(md.starts_with("# Decision log\n"), "{md}");
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| ")).count(),
        14,
        "header, nine decisions and four post-mortem follow-ups: {md}"
    );
    let csv = s.ok(&["export", "decisions", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 14);
    let v: serde_json::Value = serde_json::from_str(&s.ok(&["export", "decisions", "--format", "json"])).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 13);
}

#[test]
fn the_exec_report_leads_with_the_decisions_needed() {
    let s = Sandbox::demo();
    let report = s.ok(&["report", "exec"]);
    assert!(
        report.starts_with(
            "# Marketing update, Fri 20 Nov 2026\n\n_Nov 2026 to date (19 of 30 days)_\n\n## Decisions needed\n"
        ),
        "{report}"
    );
    insta::assert_snapshot!("exec_report", report);
    let text = s.ok(&["report", "exec", "--format", "text"]);
    assert!(text.contains("DECISIONS NEEDED") && !text.contains("**"), "{text}");
}

#[test]
fn the_exec_report_as_json_carries_the_decisions_and_the_briefs_own_kpis() {
    let s = Sandbox::demo();
    let report: serde_json::Value = serde_json::from_str(&s.ok(&["report", "exec", "--format", "json"])).unwrap();
    let brief: serde_json::Value = serde_json::from_str(&s.ok(&["brief", "--format", "json"])).unwrap();
    assert_eq!(report["kpi_headline"]["kpis"], brief["kpis"], "one computation behind both");
    let needed: Vec<&str> =
        report["decisions_needed"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap()).collect();
    assert_eq!(needed[0], "Approve Partner Portal compliance review");
    assert!(report["being_carried_out"].as_array().unwrap().iter().all(|d| d["status"] == "decided"));
}

#[test]
fn tab_then_da_then_enter_saves_the_completion_shown_not_the_prefix() {
    let s = Sandbox::demo();
    s.ok(&["render", "decisions", "--keys", "d Hire Space a Space contractor Tab D a Enter"]);
    let d = by_title(&s, "Hire a contractor").expect("saved");
    assert_eq!(d["owner"], "Dana (Sales)");
}

#[test]
fn a_quoted_title_in_keys_is_typed_with_its_spaces_and_the_owner_completes() {
    let s = Sandbox::demo();
    s.ok(&["render", "decisions", "--keys", "d 'Hire a contractor for Tab' Tab D a Enter"]);
    let d = by_title(&s, "Hire a contractor for Tab").expect("saved, the key name inside typed as text");
    assert_eq!(d["owner"], "Dana (Sales)");
}
