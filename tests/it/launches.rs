//! Launches: tiering by keyboard, readiness, the go-live gate, by keys and by the command line.

use serde_json::Value;

use crate::common::Sandbox;

/// The demo store, with ticks recorded under a fixed user name.
fn demo() -> Sandbox {
    let s = Sandbox::demo();
    std::fs::write(s.path("config.toml"), "[ui]\nuser = \"alex\"\n").expect("write config");
    s
}

fn list(s: &Sandbox) -> Vec<Value> {
    let out = s.ok(&["launch", "list", "--format", "json"]);
    serde_json::from_str::<Value>(&out).expect("json").as_array().expect("array").clone()
}

fn launch(s: &Sandbox, name: &str) -> Value {
    list(s).into_iter().find(|l| l["name"] == name).unwrap_or_else(|| panic!("no launch {name}"))
}

fn id_of(s: &Sandbox, name: &str) -> String {
    launch(s, name)["id"].to_string()
}

fn render(s: &Sandbox, keys: &str) -> String {
    s.ok(&["render", "launches", "--width", "120", "--height", "40", "--keys", keys])
}

/// The footer: the last line of a render.
fn footer(screen: &str) -> String {
    screen.lines().last().unwrap_or("").trim().to_string()
}

// The demo table by date: Partner Portal, Dark mode, Salesforce connector v3, Usage-based pricing,
// AI Assistant (beta), EU data residency; so four `j` reach the AI Assistant.
const TO_AI_ASSISTANT: &str = "j j j j";

#[test]
fn tiering_a_launch_by_keyboard_saves_its_tier() {
    let s = demo();
    assert_eq!(launch(&s, "AI Assistant (beta)")["tier"], Value::Null);
    let screen = render(&s, &format!("{TO_AI_ASSISTANT} t 5 4 4 Enter"));
    assert!(footer(&screen).contains("total 13 of 15 -> Tier 1"), "{screen}");
    // A second process reads the saved tier back from the store.
    let ai = launch(&s, "AI Assistant (beta)");
    assert_eq!(ai["tier"], 1);
    assert_eq!(ai["tier_source"], "computed");
    assert_eq!(ai["scores"]["revenue"], 5);
    assert_eq!(ai["scores"]["urgency"], 4);
    assert_eq!(ai["scores"]["demand"], 4);
    assert_eq!(ai["readiness"]["done"], 0);
    assert_eq!(ai["readiness"]["required"], 13);
    assert_eq!(ai["launch_date"], "2027-01-15");
    let flag = ai["lead_flag"].as_str().expect("flagged");
    assert_eq!(flag, "Tier 1 needs about 8 weeks; only 8 weeks left with 13 items open");
}

#[test]
fn escape_leaves_the_tier_exactly_as_it_was() {
    let s = demo();
    let screen = render(&s, &format!("{TO_AI_ASSISTANT} t 5 4 4 Esc"));
    assert!(footer(&screen).contains("nothing changed"), "{screen}");
    assert_eq!(launch(&s, "AI Assistant (beta)")["tier"], Value::Null);
}

#[test]
fn the_tui_refuses_going_live_naming_the_open_item_then_lets_it_go_once_ticked() {
    let s = demo();
    // Partner Portal (first row, in QA, dated last month) has "Compliance reviewed" open.
    let screen = render(&s, ">");
    assert_eq!(
        footer(&screen),
        "'Partner Portal' cannot go live: 1 baseline item open: Compliance reviewed · > again overrides, with a reason"
    );
    assert_eq!(launch(&s, "Partner Portal")["stage"], "qa");
    // Open it (on its first open item, 5), go down to item 7 (Compliance reviewed), tick it, move on.
    let screen = render(&s, "Enter j j Space >");
    assert_eq!(footer(&screen), "'Partner Portal' moved to Launch");
    assert!(screen.contains("[x] Compliance reviewed · baseline  alex 11-20 08:45"), "{screen}");
    let portal = launch(&s, "Partner Portal");
    assert_eq!(portal["stage"], "launch");
    assert_eq!(portal["open_baseline"], Value::Array(vec![]));
}

#[test]
fn the_command_line_gate_exits_2_naming_the_items_and_passes_after_ticking() {
    let s = demo();
    let id = id_of(&s, "Partner Portal");
    let err = s.fails(&["launch", "stage", &id, "launch"], 2);
    assert!(
        err.starts_with("error: 'Partner Portal' cannot go live: 1 baseline item open: Compliance reviewed"),
        "{err}"
    );
    assert!(!err.contains("Tracking"), "only the open items are named: {err}");
    let err = s.fails(&["launch", "check", &id, "legal"], 2);
    assert!(err.contains("no readiness item 'legal'") && err.contains("7 compliance"), "{err}");
    let out = s.ok(&["launch", "check", &id, "compliance"]);
    assert!(out.contains("[x] Compliance reviewed (compliance)  (baseline)  alex 2026-11-20 08:45"), "{out}");
    let out = s.ok(&["launch", "stage", &id, "launch"]);
    assert_eq!(out, format!("#{id} Partner Portal: QA -> Launch\n"));
}

#[test]
fn overriding_the_gate_needs_a_reason_and_is_logged_as_a_decision() {
    let s = demo();
    let id = id_of(&s, "Partner Portal");
    s.fails(&["launch", "stage", &id, "launch", "--override-reason", "  "], 2);
    let out = s.ok(&["launch", "stage", &id, "launch", "--override-reason", "legal approved by mail"]);
    assert!(out.contains("the go-live gate was overridden; logged as decision #"), "{out}");
    let store = mktg::store::Store::open(&s.db()).expect("open");
    let detail = store.launches().detail(id.parse().expect("id")).expect("detail");
    let gate = detail.stages.last().expect("stage history");
    assert_eq!(gate.override_reason.as_deref(), Some("legal approved by mail"));
    let d = &detail.decisions[0];
    assert!(d.title.contains("Compliance reviewed") && d.owner == "alex" && d.status == "decided", "{d:?}");
}

#[test]
fn a_tier_override_needs_a_reason_and_its_history_survives_a_restart() {
    let s = demo();
    let id = id_of(&s, "AI Assistant (beta)");
    let out = s.ok(&["launch", "score", &id, "--revenue", "5", "--urgency", "4", "--demand", "4"]);
    assert!(out.starts_with(&format!("#{id} AI Assistant (beta): Tier 1 (total 13 of 15 -> Tier 1)\n")), "{out}");
    s.fails(&["launch", "tier", &id, "2", "--reason", ""], 2);
    let out = s.ok(&["launch", "tier", &id, "2", "--reason", "beta: only design partners"]);
    assert!(out.contains("Tier 2 (override, logged as decision #"), "{out}");
    let ai = launch(&s, "AI Assistant (beta)");
    assert_eq!(
        (ai["tier"].clone(), ai["tier_source"].clone(), ai["computed_tier"].clone()),
        (2.into(), "override".into(), 1.into())
    );
    // Tier 2 asks for fewer items: the Tier 1-only ones are kept but no longer required.
    assert_eq!(ai["readiness"]["required"], 8);
    // A fresh process shows the history on the launch's detail: when, from, to, scores, reason.
    let screen = render(&s, &format!("{TO_AI_ASSISTANT} Enter"));
    assert!(screen.contains("2026-11-20 08:45 T1 → T2 5/4/4 override"), "{screen}");
    assert!(screen.contains("beta: only design partners"), "{screen}");
    assert!(screen.contains("2026-11-20 08:45 - → T1 5/4/4"), "{screen}");
    assert!(screen.contains("Tier 2 (override; computed Tier 1)"), "{screen}");
    assert!(screen.contains("(no longer required)"), "{screen}");
}

#[test]
fn scores_out_of_range_are_refused_naming_the_criterion() {
    let s = demo();
    let id = id_of(&s, "AI Assistant (beta)");
    let err = s.fails(&["launch", "score", &id, "--revenue", "5", "--urgency", "6", "--demand", "4"], 2);
    assert_eq!(err, "error: competitive urgency must be a score from 1 to 5, got 6\n");
    assert_eq!(launch(&s, "AI Assistant (beta)")["tier"], Value::Null);
}

#[test]
fn a_launch_added_by_the_command_line_or_by_the_form_carries_the_baseline() {
    let s = demo();
    let id = s.ok(&["launch", "add", "Usage alerts", "--date", "2027-02-01", "--product", "Billing"]);
    assert!(id.trim().parse::<i64>().is_ok(), "prints the id: {id}");
    let added = launch(&s, "Usage alerts");
    assert_eq!((added["readiness"]["required"].clone(), added["tier"].clone()), (3.into(), Value::Null));
    s.fails(&["launch", "add", "Nope", "--date", "someday"], 2);
    // The form takes dates as people type them: +8w from Friday 2026-11-20.
    let screen = render(&s, "n Mobile Space app Tab Mobile Tab +8w Tab C-u Sam Enter");
    assert!(footer(&screen).contains("added launch #"), "{screen}");
    let mobile = launch(&s, "Mobile app");
    assert_eq!((mobile["launch_date"].clone(), mobile["owner"].clone()), ("2027-01-15".into(), "Sam".into()));
}

#[test]
fn the_launches_screen_on_the_demo_store() {
    let s = demo();
    insta::assert_snapshot!("launches_screen", render(&s, ""));
}

#[test]
fn the_tiering_panel_scores_live_with_its_reason() {
    let s = demo();
    insta::assert_snapshot!("launches_tiering_panel", render(&s, &format!("{TO_AI_ASSISTANT} t 5 4 4")));
}

#[test]
fn a_launch_opened_shows_its_checklist_history_and_what_blocks_it() {
    let s = demo();
    insta::assert_snapshot!("launches_detail", render(&s, "Enter"));
}

#[test]
fn entering_post_mortem_by_command_line_asks_for_its_record_and_logs_follow_ups() {
    let s = demo();
    let id = id_of(&s, "Analytics Suite 3");
    let err = s.fails(&["launch", "stage", &id, "post-mortem"], 2);
    assert!(err.contains("--worked"), "{err}");
    let err = s.fails(&["launch", "stage", &id, "post-mortem", "--worked", "x", "--follow-up", "no owner here"], 2);
    assert!(err.contains("TEXT=OWNER"), "{err}");
    s.ok(&[
        "launch",
        "stage",
        &id,
        "post-mortem",
        "--worked",
        "analyst day",
        "--didnt",
        "late docs",
        "--follow-up",
        "Docs ready two weeks before launch=Priya",
    ]);
    assert_eq!(launch(&s, "Analytics Suite 3")["stage"], "post-mortem");
    let decisions = s.ok(&["decision", "list", "--format", "json"]);
    assert!(decisions.contains("Docs ready two weeks before launch") && decisions.contains("\"owner\": \"Priya\""));
}

#[test]
fn a_launch_stays_in_the_main_list_until_its_post_mortem_is_recorded() {
    let s = demo();
    let screen = render(&s, "");
    // Measuring, or in the post-mortem stage with nothing written: still listed, nothing folded.
    for name in ["Analytics Suite 3", "Reporting API", "SSO for SMB"] {
        assert!(screen.contains(name), "{name}: {screen}");
    }
    assert!(!screen.contains("past launches"), "{screen}");
    let id = id_of(&s, "Analytics Suite 3");
    s.ok(&["launch", "stage", &id, "post-mortem", "--worked", "analyst day", "--didnt", "late docs"]);
    let screen = render(&s, "");
    assert!(screen.contains("1 past launches"), "{screen}");
    assert!(!screen.contains("Analytics Suite 3"), "folded once its post-mortem is on record: {screen}");
}

#[test]
fn the_checklist_opens_on_the_item_the_gate_named_or_the_first_open_one_and_never_silently_unticks() {
    let s = demo();
    // Partner Portal (the first row): the first open item is 5, Social posts.
    assert!(render(&s, "Enter").contains("│> 5 [ ] Social posts"));
    // `>` is refused naming the compliance review; the checklist opens on it.
    let screen = render(&s, "> Enter");
    assert!(screen.contains("│> 7 [ ] Compliance reviewed · baseline"), "{screen}");
    assert!(footer(&render(&s, "> Enter Space")).starts_with("ticked Compliance reviewed"));
    // Space on a done item asks first; a second Space unticks it.
    let asked = render(&s, "Enter k k Space");
    assert!(footer(&asked).contains("is done by Jordan; Space again unticks it"), "{asked}");
    assert!(footer(&render(&s, "Enter k k Space Space")).starts_with("unticked Sales enablement note"));
}
