//! The day's cadence: meetings as the clock moves, checklists, skip / move / one-off,
//! template edits, and the calendar export.

use std::process::Command;

use super::common::Sandbox;

/// `mktg` on the sandbox store at another time (the sandbox's own commands run at 08:45).
pub fn at(s: &Sandbox, now: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mktg"))
        .arg("--db")
        .arg(s.db())
        .arg("--now")
        .arg(now)
        .arg("--config")
        .arg(s.path("config.toml"))
        .args(args)
        .env_remove("MKTG_DB")
        .env_remove("MKTG_NOW")
        .env_remove("MKTG_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run mktg");
    assert!(out.status.success(), "mktg {args:?} at {now}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn today_json(s: &Sandbox, now: &str) -> serde_json::Value {
    serde_json::from_str(&at(s, now, &["today", "--format", "json"])).expect("json")
}

/// (name of the current meeting, name of the next) at `now`.
fn current_and_next(s: &Sandbox, now: &str) -> (Option<String>, Option<String>) {
    let v = today_json(s, now);
    let find = |flag: &str| {
        v["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m[flag] == true)
            .map(|m| m["name"].as_str().unwrap().to_string())
    };
    (find("current"), find("next"))
}

fn meeting<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["meetings"].as_array().unwrap().iter().find(|m| m["name"] == name).expect("meeting")
}

#[test]
fn the_current_and_next_meeting_follow_the_clock() {
    let s = Sandbox::demo();
    let name = |n: &str| Some(n.to_string());
    assert_eq!(current_and_next(&s, "2026-11-20T08:59"), (None, name("Ad performance review")));
    assert_eq!(current_and_next(&s, "2026-11-20T09:00"), (name("Ad performance review"), name("Lead gen strategy")));
    assert_eq!(current_and_next(&s, "2026-11-20T12:59"), (None, name("Sales sync")));
    assert_eq!(current_and_next(&s, "2026-11-20T13:00"), (name("Sales sync"), name("Webinar planning")));
    assert_eq!(current_and_next(&s, "2026-11-20T17:00"), (None, None));
    let text = at(&s, "2026-11-20T13:10", &["today"]);
    assert!(text.lines().any(|l| l.starts_with('▶') && l.contains("Sales sync") && l.contains("now")), "{text}");
    assert!(text.contains("next, in 1h 50m"), "{text}");
}

#[test]
fn the_today_screen_at_a_quarter_to_nine() {
    let s = Sandbox::demo();
    insta::assert_snapshot!("today_0845", s.ok(&["render", "today", "--width", "120", "--height", "40"]));
}

#[test]
fn the_webinar_meeting_shows_yesterdays_unfinished_items() {
    let s = Sandbox::demo();
    let screen = at(&s, "2026-11-20T15:05", &["render", "today", "--keys", "Enter"]);
    assert!(screen.contains("Promotion scheduled  ↻ open since Thu 19 Nov"), "{screen}");
    assert!(screen.contains("Follow-up sequence ready  ↻ open since Thu 19 Nov"), "{screen}");
    insta::assert_snapshot!("today_webinar_1505", screen);
}

#[test]
fn ticking_the_ad_review_checklist_by_keyboard_shows_progress() {
    let s = Sandbox::demo();
    let screen = at(&s, "2026-11-20T09:02", &["render", "today", "--keys", "Enter Space Space Space"]);
    assert!(screen.contains("Checklist 3/4"), "{screen}");
    assert!(screen.contains("Blended CPL") && screen.contains("paid-search"), "KPIs by channel: {screen}");
    let v = today_json(&s, "2026-11-20T09:03");
    assert_eq!(meeting(&v, "Ad performance review")["items_done"], 3);
    assert_eq!(meeting(&v, "Ad performance review")["current"], true);
}

#[test]
fn notes_typed_in_a_meeting_are_kept() {
    let s = Sandbox::demo();
    at(&s, "2026-11-20T09:02", &["render", "today", "--keys", "Enter e Pause Space display Esc"]);
    let screen = at(&s, "2026-11-20T09:04", &["render", "today", "--keys", "Enter"]);
    assert!(screen.contains("Pause display"), "{screen}");
}

#[test]
fn skipping_moving_and_adding_a_one_off_by_keys() {
    let s = Sandbox::demo();
    // 08:45: the selection starts on the next meeting, the ad review; once it is skipped,
    // the next is the lead gen strategy.
    s.ok(&["render", "today", "--keys", "s"]);
    s.ok(&["render", "today", "--keys", "m C-u 16:30 Enter"]);
    s.ok(&["render", "today", "--keys", "n Board Space prep Tab 12:00 Tab 20 Enter"]);
    let v = today_json(&s, "2026-11-20T08:46");
    assert_eq!(meeting(&v, "Ad performance review")["status"], "skipped");
    assert_eq!(meeting(&v, "Lead gen strategy")["start"], "16:30");
    assert_eq!(meeting(&v, "Board prep")["end"], "12:20");
    // A skipped meeting is never next: the one-off at 12:00 is.
    assert_eq!(current_and_next(&s, "2026-11-20T08:47").1.as_deref(), Some("Board prep"));
    // Only today changed.
    let monday = today_json(&s, "2026-11-23T08:00");
    assert_eq!(meeting(&monday, "Lead gen strategy")["start"], "11:00");
    // A bad time is refused in the form, naming it.
    let screen = s.ok(&["render", "today", "--keys", "m C-u 25:99 Enter"]);
    assert!(screen.contains("'25:99' is not a time"), "{screen}");
}

#[test]
fn editing_a_template_applies_from_today_and_keeps_yesterday() {
    let s = Sandbox::demo();
    // Settings, third template (sales sync), time field: 13:30.
    let screen = s.ok(&["render", "today", "--keys", ", j j Enter Tab C-u 13:30 Enter"]);
    assert!(screen.contains("applies from 2026-11-20 on"), "{screen}");
    assert_eq!(meeting(&today_json(&s, "2026-11-20T08:50"), "Sales sync")["start"], "13:30");
    let yesterday = at(&s, "2026-11-19T08:00", &["today", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&yesterday).unwrap();
    assert_eq!(meeting(&v, "Sales sync")["start"], "13:00");
}

#[test]
fn the_calendar_export_is_rfc_5545_line_by_line() {
    let s = Sandbox::demo();
    // A name with the characters TEXT must escape.
    s.ok(&["render", "today", "--keys", ", j j Enter C-u Sales, Space pipeline; Space Q4 Enter"]);
    let out = s.run(&["export", "cadence", "--format", "ics"]);
    assert!(out.status.success());
    let bytes = out.stdout;
    assert!(bytes.ends_with(b"END:VCALENDAR\r\n"));
    let text = String::from_utf8(bytes.clone()).expect("valid UTF-8: folding never splits a character");
    assert!(!text.replace("\r\n", "").contains('\n'), "every line ends in CRLF");
    let physical: Vec<&str> = text.split_terminator("\r\n").collect();
    for l in &physical {
        assert!(l.len() <= 75, "longer than 75 octets: {l:?}");
    }
    assert!(physical.iter().any(|l| l.starts_with(' ')), "the long descriptions are folded");
    // Unfold, then read the content lines.
    let unfolded = text.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split_terminator("\r\n").collect();
    assert_eq!(lines[0], "BEGIN:VCALENDAR");
    assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(), 8, "one event per template");
    let event = |uid: &str| -> Vec<&str> {
        let start = lines.iter().position(|l| *l == format!("UID:{uid}@mktg.cadence")).expect(uid);
        lines[start..].iter().take_while(|l| **l != "END:VEVENT").copied().collect()
    };
    let sales = event("sales-sync");
    assert!(sales.contains(&"SUMMARY:Sales\\, pipeline\\; Q4"), "{sales:?}");
    assert!(sales.contains(&"DTSTART:20261120T130000"), "floating local time: {sales:?}");
    assert!(sales.contains(&"DTEND:20261120T133000"));
    assert!(sales.contains(&"RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"));
    assert!(
        sales.iter().any(|l| l.starts_with("DESCRIPTION:Checklist:\\n- MQL→SQL conversion reviewed\\n")),
        "{sales:?}"
    );
    let gtm = event("gtm-sync");
    assert!(
        gtm.contains(&"RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU") && gtm.contains(&"DTSTART:20261124T140000"),
        "{gtm:?}"
    );
    assert!(event("positioning-review").contains(&"RRULE:FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1TH"));
    assert!(event("roadmap-review").contains(&"DTSTART:20261202T100000"));
    assert!(lines.iter().all(|l| !l.starts_with("DTSTAMP") || l.ends_with('Z')), "DTSTAMP is UTC");

    // With a configured time zone, times carry its TZID.
    std::fs::write(s.path("config.toml"), "[calendar]\ntimezone = \"Europe/Paris\"\n").unwrap();
    let zoned = s.ok(&["export", "cadence", "--format", "ics"]);
    assert!(zoned.contains("DTSTART;TZID=Europe/Paris:20261120T090000\r\n"), "{zoned}");
}

#[test]
fn the_cadence_exports_as_markdown_and_json() {
    let s = Sandbox::demo();
    let md = s.ok(&["export", "cadence", "--format", "markdown"]);
    assert!(md.contains("| GTM sync (Sales + Marketing) | every other Tue | 14:00 | 45 min |"), "{md}");
    let v: serde_json::Value = serde_json::from_str(&s.ok(&["export", "cadence", "--format", "json"])).unwrap();
    assert_eq!(v[0]["key"], "ad-review");
    assert_eq!(v[0]["rrule"], "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
    let err = s.fails(&["export", "cadence", "--format", "csv"], 2);
    assert!(err.contains("ics, markdown or json"), "{err}");
}

#[test]
fn the_open_meetings_kpi_panel_scrolls_at_80x24_and_says_there_is_more() {
    let s = Sandbox::demo();
    let args = |keys: &'static str| ["render", "today", "--width", "80", "--height", "24", "--keys", keys];
    let open = at(&s, "2026-11-20T09:02", &args("Enter"));
    assert!(open.contains("▼ more: PgDn"), "{open}");
    assert!(!open.contains("CTR"), "CTR is below the fold at 80x24: {open}");
    insta::assert_snapshot!("today_meeting_80x24", open);
    let scrolled = at(&s, "2026-11-20T09:02", &args("Enter PageDown PageDown PageDown"));
    assert!(scrolled.contains("CTR"), "{scrolled}");
    let back = at(&s, "2026-11-20T09:02", &args("Enter PageDown PageDown PageDown PageUp PageUp PageUp"));
    assert_eq!(back, open, "PgUp scrolls back to the top");
}
