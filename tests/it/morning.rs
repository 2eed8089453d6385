//! The morning read on any day of the year (issue #14): each story at a fixed `--now` on a demo
//! store generated to that date, plus the stale cases on a store generated to 20 Nov.

use serde_json::Value;

use super::common::Sandbox;
use super::today::at;

const HOLIDAYS: &str = "[calendar]\nholidays = [\"2026-12-25\", \"2027-01-01\"]\n";

/// A demo store generated to `now`, with the year-end holidays configured.
fn demo_at(now: &str) -> Sandbox {
    let s = Sandbox::new();
    std::fs::write(s.path("config.toml"), HOLIDAYS).expect("config");
    at(&s, now, &["demo", "--days", "120"]);
    s
}

fn json(s: &Sandbox, now: &str, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&at(s, now, &a)).expect("json")
}

fn render(s: &Sandbox, now: &str, w: &str, h: &str, keys: &str) -> String {
    at(s, now, &["render", "dashboard", "--width", w, "--height", h, "--keys", keys])
}

fn fits(screen: &str, width: usize) {
    for line in screen.lines() {
        assert_eq!(line.chars().count(), width, "a line overflows: {line}");
    }
}

fn kpi<'a>(b: &'a Value, metric: &str) -> &'a Value {
    b["kpis"].as_array().unwrap().iter().find(|k| k["metric"] == metric).expect("kpi")
}

fn verdicts(b: &Value) -> Vec<String> {
    b["kpis"].as_array().unwrap().iter().map(|k| k["verdict"].as_str().unwrap_or("").to_string()).collect()
}

/// At least one item of every non-empty group is on the first screen.
fn every_group_on_screen(b: &Value, screen: &str) {
    for g in b["attention_groups"].as_array().unwrap() {
        let items = g["items"].as_array().map(|i| i.len()).unwrap_or(0);
        let count = g["count"].as_u64().unwrap_or(items as u64);
        if count == 0 {
            continue;
        }
        let label = g["label"].as_str().unwrap();
        assert!(screen.contains(&format!("{label} {count}")), "group {label} ({count}) missing:\n{screen}");
    }
}

#[test]
fn the_first_of_the_month_shows_how_the_last_one_closed() {
    let now = "2026-12-01T08:45";
    let s = demo_at(now);
    let b = json(&s, now, &["brief"]);
    assert_eq!(b["period"]["label"], "November 2026, closed", "{}", b["period"]);
    assert_eq!(b["period"]["closed"], true);
    let filled = b["kpis"].as_array().unwrap().iter().filter(|k| k["value"].is_number() && k["target"].is_number());
    assert!(filled.count() >= 5, "{}", b["kpis"]);
    // November's values against November's targets: the whole month's leads, not a day's.
    assert!(kpi(&b, "leads")["value"].as_f64().unwrap() > 3000.0, "{}", kpi(&b, "leads"));
    let text = at(&s, now, &["brief"]);
    assert!(text.contains("November 2026, closed") && text.contains("missed"), "{text}");
    assert!(!text.contains("no data yet"), "{text}");
    // The director's behind-pace alert reads the closed month as closed: how far it ended short.
    let alert = text.lines().find(|l| l.contains("alert sqls-behind")).expect("the demo's alert line");
    assert!(
        alert.contains("SQLs missed target") && alert.contains("target, ended ") && alert.contains(" behind ("),
        "{alert}"
    );
    assert!(!text.contains("expected by now"), "{text}");
    // The same period by name, and the funnel is not empty.
    assert_eq!(json(&s, now, &["brief", "--period", "2026-11"])["kpis"], b["kpis"]);
    let wide = render(&s, now, "120", "40", "");
    assert!(wide.contains("November 2026, closed") && wide.contains("3,979"), "{wide}");
    assert!(!wide.contains("no data yet"), "{wide}");
    insta::assert_snapshot!("first_of_month_120x40", wide);
    let small = render(&s, now, "80", "24", "");
    fits(&small, 80);
    every_group_on_screen(&b, &small);
    insta::assert_snapshot!("first_of_month_80x24", small);
}

#[test]
fn a_store_that_went_quiet_says_so_instead_of_reporting_a_collapse() {
    let s = Sandbox::demo(); // generated to 2026-11-20
    std::fs::write(s.path("config.toml"), HOLIDAYS).expect("config");
    let now = "2027-01-04T08:45";
    let b = json(&s, now, &["brief"]);
    assert_eq!(b["data_through"], "2026-11-19");
    let stale: Vec<&Value> = b["attention"].as_array().unwrap().iter().filter(|a| a["kind"] == "stale").collect();
    assert!(!stale.is_empty(), "{}", b["attention"]);
    // Every channel went quiet on one day: one cause, one line, naming the channels by label.
    assert_eq!(stale.len(), 1, "{stale:?}");
    let (what, how) = (stale[0]["what"].as_str().unwrap(), stale[0]["how_far"].as_str().unwrap());
    assert!(what.starts_with("9 feeds quiet since 19 Nov"), "{what}");
    assert!(how.starts_with("display, email, events, LinkedIn, organic, paid search, +3 more"), "{how}");
    assert!(!how.contains("paid-search") && how.contains("usually daily"), "{how}");
    assert!(stale.iter().all(|a| a["group"] == "off-track"));
    // Missing data is never "behind" nor "pacing under".
    assert!(verdicts(&b).iter().all(|v| v != "behind"), "{:?}", verdicts(&b));
    let text = at(&s, now, &["brief"]);
    assert!(text.contains("data through Thu 19 Nov"), "{text}");
    assert!(!text.contains("behind") && !text.contains("pacing under"), "{text}");
    let exec = at(&s, now, &["report", "exec"]);
    assert!(exec.contains("data through 2026-11-19"), "{exec}");
    assert!(!exec.contains("behind"), "{exec}");
    let wide = render(&s, now, "120", "40", "");
    assert!(wide.contains("9 feeds quiet since 19 Nov"), "{wide}");
    assert!(!wide.contains("pacing under"), "{wide}");
    insta::assert_snapshot!("stale_120x40", wide);
    let small = render(&s, now, "80", "24", "");
    fits(&small, 80);
    every_group_on_screen(&b, &small);
    insta::assert_snapshot!("stale_80x24", small);
}

#[test]
fn three_days_into_the_year_it_is_too_early_to_call() {
    let now = "2027-01-04T08:45";
    let s = demo_at(now);
    let b = json(&s, now, &["brief"]);
    assert!(verdicts(&b).iter().all(|v| v == "too early to call"), "{:?}", verdicts(&b));
    let text = at(&s, now, &["brief"]);
    assert!(!text.contains("behind") && !text.contains("pacing under") && !text.contains("pacing over"), "{text}");
    assert!(text.contains("too early to call"), "{text}");
    // No campaign pacing verdicts, no run-rate forecast from a holiday weekend.
    let budget = at(&s, now, &["budget", "list"]);
    assert!(!budget.contains("under -") && !budget.contains("over +"), "{budget}");
    assert!(!text.contains("forecast"), "{text}");
    // Mentor mode's questions are a group of their own (off by config), not pacing noise.
    let items = b["attention"].as_array().unwrap().iter().filter(|a| a["group"] != "questions").count();
    assert!(items <= 15, "{items} attention items: {}", b["attention"]);
    let wide = render(&s, now, "120", "40", "");
    insta::assert_snapshot!("new_year_120x40", wide);
    let small = render(&s, now, "80", "24", "");
    fits(&small, 80);
    every_group_on_screen(&b, &small);
    insta::assert_snapshot!("new_year_80x24", small);
}

#[test]
fn the_twentieth_of_november_reads_as_before() {
    let s = Sandbox::demo();
    let now = super::common::NOW;
    let text = at(&s, now, &["brief"]);
    assert!(text.contains("paid-social CPL"), "{text}");
    assert!(text.contains("LinkedIn ABM pacing over"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("SQLs") && l.contains("behind")), "{text}");
    assert_eq!(text.matches("decision overdue").count(), 2, "{text}");
    assert!(text.contains("09:00-09:30 Ad performance review (0/4) <- next"), "{text}");
    let b = json(&s, now, &["brief"]);
    assert_eq!(b["period"]["label"], "Nov 2026 to date (19 of 30 days)");
    let groups: Vec<&str> =
        b["attention_groups"].as_array().unwrap().iter().map(|g| g["group"].as_str().unwrap()).collect();
    assert_eq!(groups, ["off-track", "due", "at-risk", "good-news", "questions"]);
}

#[test]
fn the_next_meeting_is_named_with_its_day_and_holidays_have_none() {
    let s = demo_at("2026-11-20T08:45");
    let friday = json(&s, "2026-11-20T17:40", &["today"]);
    assert_eq!(friday["next"]["label"], "Mon 09:00 Ad performance review", "{friday}");
    let sunday = at(&s, "2026-11-22T10:00", &["today"]);
    assert!(sunday.contains("next: Mon 09:00 Ad performance review"), "{sunday}");
    let dash = render(&s, "2026-11-20T17:40", "120", "40", "");
    assert!(dash.contains("Mon 09:00"), "{dash}");
    // 25 Dec is a holiday: no meetings that day, the next one is after it, and the ICS skips it.
    let christmas = json(&s, "2026-12-25T08:45", &["today"]);
    assert_eq!(christmas["holiday"], true);
    assert!(christmas["meetings"].as_array().unwrap().is_empty(), "{christmas}");
    assert_eq!(christmas["next"]["day"], "2026-12-28");
    let eve = json(&s, "2026-12-24T17:00", &["today"]);
    assert_eq!(eve["next"]["day"], "2026-12-28", "{eve}");
    let ics = at(&s, "2026-12-01T08:45", &["export", "cadence", "--format", "ics"]);
    assert!(ics.contains("EXDATE:20261225T090000"), "{ics}");
}

#[test]
fn the_quarter_end_names_the_campaign_over_plan_with_the_amount() {
    let now = "2026-12-31T17:00";
    let s = demo_at(now);
    let text = at(&s, now, &["brief"]);
    assert!(text.contains("LinkedIn ABM over plan by $11.7k"), "{text}");
    assert!(!text.contains("LinkedIn ABM pacing"), "{text}");
    // The total never rounds an overspend to 100%.
    assert!(!text.contains("(100%)"), "{text}");
    let wide = render(&s, now, "120", "40", "");
    assert!(wide.contains("over plan by $11.7k"), "{wide}");
    insta::assert_snapshot!("quarter_end_120x40", wide);
    let small = render(&s, now, "80", "24", "");
    fits(&small, 80);
    assert!(small.contains("LinkedIn ABM over plan by $11.7k"), "{small}");
    let b = json(&s, now, &["brief"]);
    every_group_on_screen(&b, &small);
    insta::assert_snapshot!("quarter_end_80x24", small);
    // Acknowledged, it leaves the attention list; the exec update still carries it as budget risk.
    at(&s, now, &["budget", "ack", "LinkedIn ABM"]);
    let after = at(&s, now, &["brief"]);
    assert!(!after.contains("LinkedIn ABM over plan"), "{after}");
    let exec = json(&s, now, &["report", "exec", "--period", "quarter"]);
    let risk = exec["budget_risk"].as_array().unwrap();
    let linkedin = risk.iter().find(|r| r["name"] == "LinkedIn ABM" && r["kind"] == "over plan").expect("budget risk");
    assert_eq!(linkedin["over_cents"].as_i64().map(|c| (c + 5_000) / 10_000), Some(117), "{linkedin}");
}

#[test]
fn the_exec_update_leads_with_decisions_and_covers_the_period() {
    let now = "2026-12-01T08:45";
    let s = demo_at(now);
    let md = at(&s, now, &["report", "exec"]);
    let order = ["## Decisions needed", "## Decisions made", "## Budget risk", "## Launch risk", "## KPI headline"];
    let at_ = |h: &str| md.find(h).unwrap_or_else(|| panic!("{h} missing:\n{md}"));
    for w in order.windows(2) {
        assert!(at_(w[0]) < at_(w[1]), "{} before {}:\n{md}", w[0], w[1]);
    }
    assert!(md.contains("November 2026, closed"), "{md}");
    assert!(md.contains("Usage-based pricing (Tier 1)"), "{md}");
    let j = json(&s, now, &["report", "exec"]);
    for k in ["decisions_needed", "decisions_made", "budget_risk", "launch_risk", "kpi_headline"] {
        assert!(!j[k].is_null(), "{k} missing: {j}");
    }
    assert_eq!(j["period"]["name"], "2026-11");
    // Decisions made in November (and today), none from later.
    for d in j["decisions_made"].as_array().unwrap() {
        let made = d["made_at"].as_str().unwrap_or("");
        assert!(made.starts_with("2026-11") || made.starts_with("2026-12-01"), "{d}");
    }
    // A decision taken this morning is in the update of the month just closed.
    at(&s, now, &["decision", "done", "3"]);
    let j = json(&s, now, &["report", "exec"]);
    let made: Vec<&Value> = j["decisions_made"].as_array().unwrap().iter().filter(|d| d["id"] == 3).collect();
    assert_eq!(made.len(), 1, "{}", j["decisions_made"]);
    // --period: a quarter close, and its headline is the brief's.
    let q = json(&s, now, &["report", "exec", "--period", "last-quarter"]);
    assert_eq!(q["period"]["name"], "2026-Q3");
    assert_eq!(q["kpi_headline"]["kpis"], json(&s, now, &["brief", "--period", "last-quarter"])["kpis"]);
    let bad = s.run(&["report", "exec", "--period", "fortnight"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn acknowledging_an_overspend_says_and_does_the_same_from_the_command_line_and_the_cockpit() {
    let now = "2026-12-31T17:00";
    let (cli, tui) = (demo_at(now), demo_at(now));
    let said = at(&cli, now, &["budget", "ack", "LinkedIn ABM"]);
    // The first attention line is the overspend: c acknowledges it.
    let screen = render(&tui, now, "120", "40", "c");
    let words =
        "acknowledged: 'LinkedIn ABM' (2026-Q4) over plan by $11.7k; it leaves the attention list until more is spent";
    assert_eq!(said.trim_end(), words);
    assert!(screen.contains(words), "{screen}");
    for s in [&cli, &tui] {
        let b = json(s, now, &["brief"]);
        let open: Vec<&Value> =
            b["over_plan"].as_array().unwrap().iter().filter(|o| o["name"] == "LinkedIn ABM").collect();
        assert!(open.is_empty(), "{open:?}");
    }
    // Not over plan: refused with one line, exit 2, nothing written.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mktg"))
        .arg("--db")
        .arg(cli.db())
        .args(["--now", now, "--config"])
        .arg(cli.path("config.toml"))
        .args(["budget", "ack", "Display retargeting"])
        .env_remove("MKTG_DB")
        .env_remove("MKTG_NOW")
        .env_remove("MKTG_CONFIG")
        .output()
        .expect("run mktg");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: ") && err.lines().count() == 1, "{err}");
}
