//! Campaign budgets: planning, spending and moving money by keyboard and by command line.

use insta::assert_snapshot;
use serde_json::Value;

use super::common::Sandbox;

/// Search for the demo's paid-search campaign, typed as the director types it.
const MOVE_KEYS: &str = "j j j j j m Search Tab 5000 Tab search Space CPL Space is Space half Space of Space display's";

fn json(s: &Sandbox, args: &[&str]) -> Value {
    serde_json::from_str(&s.ok(args)).expect("json output")
}

fn campaign<'a>(list: &'a Value, name: &str) -> &'a Value {
    list["campaigns"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()
}

fn as_user(s: &Sandbox, user: &str) {
    std::fs::write(s.path("config.toml"), format!("[ui]\nuser = \"{user}\"\n")).unwrap();
}

#[test]
fn the_budget_screen_on_the_demo_store() {
    let s = Sandbox::demo();
    assert_snapshot!("budget_120x40", s.ok(&["render", "budget"]));
    assert_snapshot!("budget_80x24", s.ok(&["render", "budget", "--width", "80", "--height", "24"]));
}

#[test]
fn a_campaigns_detail_shows_its_spend_plan_history_and_pipeline() {
    let s = Sandbox::demo();
    assert_snapshot!("budget_detail_display", s.ok(&["render", "budget", "--keys", "j j j j j Enter"]));
}

#[test]
fn moving_5000_from_display_to_search_by_keyboard_shows_the_effect_first_then_logs_a_decision() {
    let s = Sandbox::demo();
    as_user(&s, "dana");
    // The effect is on screen, before -> after for both campaigns, while the form is filled in.
    let preview = s.ok(&["render", "budget", "--keys", MOVE_KEYS]);
    assert_snapshot!("budget_move_preview", preview);
    assert!(
        // Paced by the spend's weekday profile, not linearly: -6%, no longer -5.3%.
        preview.contains("planned $45,000 → $40,000 · remaining $24,405 → $19,405 · pacing under -16% → under -6%")
    );
    assert!(preview.contains("planned $150,000 → $155,000"));
    // Nothing is saved before Enter.
    let before = json(&s, &["budget", "list", "--format", "json"]);
    assert_eq!(campaign(&before, "Display retargeting")["planned_cents"], 4_500_000);

    // One Enter moves it: the effect was already shown.
    let done = s.ok(&["render", "budget", "--keys", &format!("{MOVE_KEYS} Enter")]);
    assert!(done.contains("moved $5,000 from Display retargeting to Search – Core terms; decision #"), "{done}");
    let after = json(&s, &["budget", "list", "--format", "json"]);
    let (display, search) = (campaign(&after, "Display retargeting"), campaign(&after, "Search – Core terms"));
    assert_eq!(
        (display["planned_cents"].as_i64(), display["remaining_cents"].as_i64()),
        (Some(4_000_000), Some(1_940_500))
    );
    assert_eq!(search["planned_cents"], 15_500_000);
    assert_eq!(after["totals"]["planned_cents"], before["totals"]["planned_cents"]);

    let store = rusqlite::Connection::open(s.db()).unwrap();
    let (title, reason, owner, status, from, to): (String, String, String, String, i64, i64) = store
        .query_row(
            "SELECT title, recommendation, owner, status, campaign_id, campaign2_id FROM decision ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap();
    assert_eq!(title, "Move $5,000 from Display retargeting to Search – Core terms");
    assert_eq!((reason.as_str(), owner.as_str(), status.as_str()), ("search CPL is half of display's", "dana", "done"));
    assert_eq!((Some(from), Some(to)), (display["id"].as_i64(), search["id"].as_i64()));
}

#[test]
fn a_move_beyond_the_unspent_plan_is_refused_in_the_form_and_nothing_changes() {
    let s = Sandbox::demo();
    let keys = "j j j j j m Search Tab 30000 Tab too Space much Enter";
    let out = s.ok(&["render", "budget", "--keys", keys]);
    assert!(out.contains("✗ $30,000 exceeds the unspent plan of 'Display retargeting': $24,405 available"), "{out}");
    let list = json(&s, &["budget", "list", "--format", "json"]);
    assert_eq!(campaign(&list, "Display retargeting")["planned_cents"], 4_500_000);
}

#[test]
fn planning_and_recording_spend_by_keyboard() {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    let keys =
        "n Partner Space webinars Tab 12,000 Tab events Tab growth Enter a 1,250.50 Tab yesterday Tab deposit Enter";
    let out = s.ok(&["render", "budget", "--keys", keys]);
    assert!(out.contains("recorded $1,250.50 on 2026-11-19 for 'Partner webinars'"), "{out}");
    assert!(out.contains("Partner webinars"));
    let list = json(&s, &["budget", "list", "--format", "json"]);
    let c = campaign(&list, "Partner webinars");
    assert_eq!((c["planned_cents"].as_i64(), c["spent_cents"].as_i64()), (Some(1_200_000), Some(125_050)));
    assert_eq!((c["channel"].as_str(), c["bucket"].as_str()), (Some("events"), Some("growth")));
}

#[test]
fn correcting_and_deleting_spend_entries_by_keyboard_with_undo() {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    s.ok(&["budget", "plan", "Webinars", "10000", "--period", "2026-Q4"]);
    s.ok(&["budget", "spend", "Webinars", "400", "--date", "2026-11-18"]);
    s.ok(&["budget", "spend", "Webinars", "$600", "--date", "2026-11-19", "--note", "speaker fee"]);
    let spent = |s: &Sandbox| json(s, &["budget", "list", "--format", "json"])["campaigns"][0]["spent_cents"].as_i64();
    let deleted = s.ok(&["render", "budget", "--keys", "Enter x"]);
    assert!(deleted.contains("deleted $600 on 2026-11-19 · u to undo"), "{deleted}");
    assert_eq!(spent(&s), Some(40_000));
    // Correct the remaining entry by keyboard: clear the amount, type the right one.
    let fixed = s.ok(&["render", "budget", "--keys", "Enter e C-u 450 Enter"]);
    assert!(fixed.contains("corrected: $450 on 2026-11-18 for 'Webinars'"), "{fixed}");
    assert_eq!(spent(&s), Some(45_000));
    // In one session: delete the remaining entry, then take it back with u.
    let restored = s.ok(&["render", "budget", "--keys", "Enter x u"]);
    assert!(restored.contains("restored $450 on 2026-11-18"), "{restored}");
    assert!(restored.contains("Wed 18 Nov       450.00"), "{restored}");
    assert_eq!(spent(&s), Some(45_000));
}

#[test]
fn pacing_and_roi_from_the_command_line_match_a_hand_calculation() {
    let s = Sandbox::new();
    s.ok(&["init"]);
    // 92,000 over Q4's 92 days; 20 Nov means 50 complete days: 50,000 expected.
    s.ok(&["budget", "plan", "Brand search", "$92,000", "--period", "2026-Q4", "--channel", "paid-search"]);
    s.ok(&["budget", "plan", "Podcast", "10,000", "--period", "2026-q4", "--bucket", "experiment"]);
    s.ok(&["budget", "spend", "Brand search", "56,000.00", "--date", "2026-11-19"]);
    let list = json(&s, &["budget", "list", "--period", "2026-Q4", "--format", "json"]);
    let c = campaign(&list, "Brand search");
    assert_eq!(c["pacing"], "over");
    assert!((c["pacing_deviation"].as_f64().unwrap() - 0.12).abs() < 1e-9);
    assert_eq!(c["expected_cents"], 5_000_000);
    assert_eq!(c["forecast_cents"], 10_304_000); // 56,000 / 50 x 92
    assert_eq!(c["roi"], -1.0); // nothing won yet: (0 - 56,000) / 56,000
    let idle = campaign(&list, "Podcast");
    assert_eq!((idle["roi"].is_null(), idle["roas"].is_null()), (true, true));
    assert_eq!(list["totals"]["planned_cents"], 10_200_000);
    let text = s.ok(&["budget", "list"]);
    assert!(text.contains("over +12%") && text.contains("n/a"), "{text}");
    let csv = s.ok(&["budget", "list", "--format", "csv"]);
    assert!(csv.starts_with("period,campaign,channel,bucket,planned,spent,remaining,pacing"), "{csv}");
    assert!(
        csv.contains("2026-Q4,Brand search,paid-search,core,92000.00,56000.00,36000.00,over +12%,103040.00"),
        "{csv}"
    );
    // Any quarter exports, with its period in every row, so quarters stack in one sheet.
    s.ok(&["budget", "plan", "Q3 launch", "5,000", "--period", "2026-Q3"]);
    let q3 = s.ok(&["export", "budget", "--period", "2026-Q3"]);
    assert!(q3.contains("\n2026-Q3,Q3 launch,,core,5000.00,0.00,5000.00"), "{q3}");
    assert!(!q3.contains("Brand search"), "{q3}");
    let err = s.fails(&["export", "budget", "--period", "2026-11"], 2);
    assert!(err.contains("--period: '2026-11' is not a quarter"), "{err}");
}

#[test]
fn the_command_line_refuses_bad_amounts_and_unknown_campaigns_with_exit_2() {
    let s = Sandbox::demo();
    let err = s.fails(&["budget", "move", "display", "core terms", "$30,000", "--reason", "x"], 2);
    assert!(err.contains("$24,405 available"), "{err}");
    let err = s.fails(&["budget", "move", "display", "core terms", "-5", "--reason", "x"], 2);
    assert!(err.contains("more than zero"), "{err}");
    let err = s.fails(&["budget", "spend", "display", "12x4"], 2);
    assert!(err.contains("'12x4' is not an amount"), "{err}");
    let err = s.fails(&["budget", "spend", "Dispaly retargetting", "100"], 2);
    assert!(err.contains("did you mean: Display retargeting"), "{err}");
    let err = s.fails(&["budget", "plan", "X", "100", "--period", "2026-11"], 2);
    assert!(err.contains("not a quarter"), "{err}");
    // A refused move left no trace.
    let store = rusqlite::Connection::open(s.db()).unwrap();
    let moves: i64 = store.query_row("SELECT count(*) FROM budget_move", [], |r| r.get(0)).unwrap();
    assert_eq!(moves, 0);
    let out =
        s.ok(&["budget", "move", "display", "core terms", "5,000", "--reason", "search CPL is half of display's"]);
    assert!(out.contains("Display retargeting: planned $45,000 → $40,000"), "{out}");
}

#[test]
fn the_quarter_filter_and_sort_keys_change_what_the_table_adds_up() {
    let s = Sandbox::demo();
    let q3 = s.ok(&["render", "budget", "--keys", "["]);
    assert!(q3.contains("[ Q3 2026 ] · all · day 92 of 92"), "{q3}");
    let back = s.ok(&["render", "budget", "--keys", "[ ]"]);
    assert!(back.contains("[ Q4 2026 ]"));
    // f: all -> core -> growth. Growth is 30,000 + 45,000 + 30,000.
    let growth = s.ok(&["render", "budget", "--keys", "f f"]);
    assert!(growth.contains("bucket growth"), "{growth}");
    let total = growth.lines().find(|l| l.contains("│Total")).unwrap();
    assert!(total.contains("$105,000"), "{total}");
    assert!(!growth.contains("LinkedIn ABM"));
    // s cycles the sort column: Campaign, Channel, Bucket, Planned.
    let by_planned = s.ok(&["render", "budget", "--keys", "s s s s"]);
    assert!(by_planned.contains("sort Planned ↓"), "{by_planned}");
    let rows: Vec<&str> = by_planned
        .lines()
        .skip_while(|l| !l.starts_with("│Campaign"))
        .skip(1)
        .take_while(|l| !l.starts_with("│Total"))
        .collect();
    assert!(rows[0].contains("Search – Core terms") && rows[1].contains("LinkedIn ABM"), "{by_planned}");
    assert!(rows[9].contains("Nurture email"), "{by_planned}");
}

#[test]
fn a_budget_move_made_at_0905_while_the_0900_review_is_open_is_linked_to_it() {
    let s = Sandbox::demo();
    let keys = "m L Tab 1000 Tab Shift Space to Space LinkedIn Enter";
    super::today::at(&s, "2026-11-20T09:05", &["render", "budget", "--keys", keys]);
    let list: Vec<Value> = serde_json::from_str(&s.ok(&["decision", "list", "--format", "json"])).expect("json");
    let moved =
        list.iter().find(|d| d["title"] == "Move $1,000 from Search – Core terms to LinkedIn ABM").expect("logged");
    assert_eq!(moved["meeting"], "Ad performance review");
    assert_eq!(moved["meeting_day"], "2026-11-20");
    assert_eq!(moved["made_at"], "2026-11-20T09:05:00");
}
