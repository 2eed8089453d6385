//! Issue #19 end to end: the team (people, skills matrix, time against 70/20/10, load and
//! autonomy), workflows (the locked nine sections, triage, rank) and mentor mode, from the
//! command line, the MCP-shaped JSON and the Team tab.

use std::path::PathBuf;

use super::common::Sandbox;

fn store() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    s
}

fn json(s: &Sandbox, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&s.ok(args)).expect("json")
}

#[test]
fn hours_28_8_4_are_on_track_and_20_4_16_flag_exploration_40_percent_plus_30_points() {
    let s = store();
    s.ok(&["team", "add", "priya", "--name", "Priya Shah", "--level", "senior"]);
    s.ok(&["team", "add", "alex", "--name", "Alex Kim", "--level", "pmm", "--manager", "priya"]);
    s.ok(&["team", "add", "lee", "--name", "Lee Park", "--level", "junior"]);
    let logged = s.ok(&["team", "time", "priya", "2026-W47", "core=28", "systems=8", "exploration=4"]);
    assert!(logged.starts_with("logged 2026-W47 for Priya Shah"), "{logged}");
    s.ok(&["team", "time", "alex", "2026-W47", "core=20", "systems=4", "exploration=16"]);
    let out = s.ok(&["team", "allocation"]);
    let priya = out.lines().find(|l| l.starts_with("Priya Shah")).expect("priya's line");
    assert!(priya.contains("core 70% · systems 20% · exploration 10%") && priya.ends_with("on track"), "{out}");
    let alex = out.lines().find(|l| l.starts_with("Alex Kim")).expect("alex's line");
    assert!(alex.contains("exploration 40%") && alex.contains("off 70/20/10"), "{out}");
    assert!(out.contains("! exploration 40%, +30 pts: strategic work with no clear output?"), "{out}");
    // No entries is "no time logged", never 0/0/0.
    let lee = out.lines().find(|l| l.starts_with("Lee Park")).expect("lee's line");
    assert!(lee.contains("no time logged") && !lee.contains("0%"), "{out}");
    let v = json(&s, &["team", "allocation", "--format", "json"]);
    assert!(v.to_string().contains("no-time-logged") || v.to_string().contains("no_time_logged"), "{v}");
    // A refusal names the bucket, writes nothing.
    let err = s.fails(&["team", "time", "lee", "2026-W47", "core=ten"], 2);
    assert!(err.starts_with("error: ") && err.lines().count() == 1, "{err}");
    assert!(s.ok(&["team", "allocation"]).lines().any(|l| l.starts_with("Lee Park") && l.contains("no time logged")));
}

#[test]
fn a_two_by_seven_matrix_in_markdown_has_two_data_rows_and_a_senior_rated_staff_thrice_shows_three_marks() {
    let s = store();
    s.ok(&["team", "add", "priya", "--name", "Priya Shah", "--level", "senior"]);
    s.ok(&["team", "add", "lee", "--name", "Lee Park", "--level", "junior"]);
    for c in ["positioning", "coaching", "cross-functional-influence"] {
        let out = s.ok(&["team", "rate", "PRIYA", c, "staff", "--evidence", "ran the Q3 repositioning"]);
        assert!(out.contains("promotion evidence ▲"), "{out}");
    }
    let md = s.ok(&["team", "matrix", "--format", "markdown"]);
    let table: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(table.len(), 4, "header, rule and two data rows: {md}");
    assert_eq!(table[0].matches('|').count(), 2 + 7 + 1, "person, level and seven competencies: {md}");
    let priya = table.iter().find(|l| l.contains("Priya Shah")).expect("priya's row");
    assert_eq!(priya.matches('▲').count(), 3, "{md}");
    let v = json(&s, &["team", "matrix", "--format", "json"]);
    assert_eq!(v["rows"].as_array().map(Vec::len), Some(2), "{v}");
    // Unknown competency: refused, with the nearest one.
    let err = s.fails(&["team", "rate", "lee", "positoning", "pmm", "--evidence", "x"], 2);
    assert!(err.contains("did you mean positioning?"), "{err}");
}

fn write_template(s: &Sandbox, name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    // `workflow edit` with `cat` as the editor prints the template it hands over, unchanged.
    let template = s.cmd(&["workflow", "edit", name]).env("VISUAL", "cat").output().expect("run");
    let text = String::from_utf8_lossy(&template.stdout);
    let start = text.find("# Workflow:").expect("the template");
    let end = text.find("\nsaved ").unwrap_or(text.len());
    let file = s.path("workflow.md");
    std::fs::write(&file, edit(text[start..end].to_string())).expect("write");
    file
}

fn section_moved(t: String, from: &str, before: &str) -> String {
    let a = t.find(from).expect(from);
    let next = t[a + from.len()..].find("\n## ").map_or(t.len(), |i| a + from.len() + i + 1);
    let moved = t[a..next].to_string();
    let rest = format!("{}{}", &t[..a], &t[next..]);
    let b = rest.find(before).expect(before);
    format!("{}{moved}{}", &rest[..b], &rest[b..])
}

#[test]
fn a_workflow_file_with_quality_checks_before_decisions_informed_is_refused_naming_both() {
    let s = store();
    s.ok(&["team", "add", "jordan", "--name", "Jordan Reyes", "--level", "pmm"]);
    s.ok(&["workflow", "add", "Battlecard refresh", "--category", "sales-enablement", "--owner", "jordan"]);
    let file = write_template(&s, "Battlecard refresh", |t| {
        section_moved(t, "## Quality Checks", "## Decisions Informed").replace("## Objective\n", "## Objective\nWin.\n")
    });
    let err = s.fails(&["workflow", "edit", "Battlecard refresh", "--file", file.to_str().expect("path")], 2);
    assert!(err.starts_with("error: ") && err.lines().count() == 1, "{err}");
    assert!(err.contains("Quality Checks") && err.contains("Decisions Informed"), "{err}");
    let shown = s.ok(&["workflow", "show", "Battlecard refresh", "--format", "json"]);
    assert!(!shown.contains("Win."), "nothing written: {shown}");

    // In order, with a criterion answered "no": saved and flagged, not refused.
    let file = write_template(&s, "Battlecard refresh", |t| {
        t.replace("## Objective\n", "## Objective\nWin more deals.\n")
            .replace("cross-functional:", "cross-functional: no")
    });
    s.ok(&["workflow", "edit", "Battlecard refresh", "--file", file.to_str().expect("path")]);
    let listed = s.ok(&["workflow", "list"]);
    assert!(listed.contains("not cross-functional"), "{listed}");
    assert!(listed.contains("(empty: no workflow covers it)"), "the empty categories are listed: {listed}");
}

#[test]
fn triage_with_an_empty_why_now_stays_untriaged_and_cannot_be_ranked() {
    let s = store();
    s.ok(&["team", "add", "priya", "--name", "Priya Shah", "--level", "senior"]);
    s.ok(&["workflow", "add", "Win/loss review", "--category", "market", "--owner", "priya"]);
    let answers =
        ["--who", "Sales", "--unblocks", "where to compete", "--breaks", "we guess", "--impact", "win rate up"];
    let mut args = vec!["workflow", "triage", "Win/loss review"];
    args.extend(answers);
    args.extend(["--why-now", ""]);
    let out = s.ok(&args);
    assert!(out.contains("untriaged") && out.contains("why now?"), "{out}");
    let err = s.fails(&["workflow", "rank", "Win/loss review", "1"], 2);
    assert!(err.contains("untriaged") && err.contains("why now?"), "{err}");
    s.ok(&["workflow", "triage", "Win/loss review", "--why-now", "Q1 planning starts in January"]);
    s.ok(&["workflow", "rank", "Win/loss review", "1"]);
    let backlog = json(&s, &["workflow", "backlog", "--format", "json"]);
    assert!(backlog.to_string().contains("Win/loss review"), "{backlog}");
    assert!(s.ok(&["workflow", "backlog"]).contains("1. Win/loss review"));
}

#[test]
fn a_decision_without_due_date_or_risk_and_an_imported_campaign_without_owner_are_in_mentor() {
    let s = store();
    s.ok(&["team", "add", "priya", "--name", "Priya Shah", "--level", "senior"]);
    let note = s.run(&["decision", "add", "Pick the events agency", "--owner", "dana"]);
    assert!(note.status.success());
    assert_eq!(String::from_utf8_lossy(&note.stderr), "note: 'dana' is not on the team: add with mktg team add\n");
    let spend = s.path("spend.csv");
    std::fs::write(&spend, "date,campaign,amount,note,channel\n2026-11-10,Podcast Q4,1200.00,host read,podcast\n")
        .expect("write");
    let imported = s.ok(&["import", spend.to_str().expect("path")]);
    assert!(imported.contains("campaigns created"), "{imported}");
    let out = s.ok(&["mentor"]);
    assert!(out.contains("decision 'Pick the events agency' has no due date"), "{out}");
    assert!(out.contains("decision 'Pick the events agency' has no risk if nothing is done"), "{out}");
    assert!(out.contains("campaign 'Podcast Q4' has no owner"), "{out}");
    assert!(out.contains("who owns this?"), "{out}");
    let v = json(&s, &["mentor", "--format", "json"]);
    let kinds: Vec<&str> = v.as_array().expect("list").iter().filter_map(|c| c["kind"].as_str()).collect();
    for k in ["no-owner", "no-due-date", "no-risk-if-nothing"] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    // Questions, never changes: asking twice changes nothing.
    assert_eq!(s.ok(&["mentor"]), out);
}

#[test]
fn mentor_stays_out_of_attention_when_configured_and_the_command_still_asks() {
    let s = store();
    s.ok(&["decision", "add", "Pick the events agency", "--owner", "dana"]);
    std::fs::write(s.path("config.toml"), "[mentor]\nattention = false\n").expect("config");
    assert!(s.ok(&["mentor"]).contains("has no due date"));
}

#[test]
fn the_mentor_questions_are_an_attention_group_on_the_demo_store_unless_configured_off() {
    let s = Sandbox::demo();
    let mentor = json(&s, &["mentor", "--format", "json"]);
    let asked = mentor.as_array().expect("array");
    assert!(asked.len() >= 3, "{mentor}");
    let brief = json(&s, &["brief", "--format", "json"]);
    let questions: Vec<&serde_json::Value> =
        brief["attention"].as_array().expect("attention").iter().filter(|a| a["group"] == "questions").collect();
    // The same questions as `mentor`, in its order, each with its evidence and link.
    assert_eq!(questions.len(), asked.len(), "{brief}");
    for (q, m) in questions.iter().zip(asked) {
        assert_eq!((&q["kind"], &q["what"], &q["how_far"]), (&"mentor".into(), &m["question"], &m["evidence"]));
    }
    let groups = brief["attention_groups"].as_array().expect("groups");
    let last = groups.last().expect("a group");
    assert_eq!((&last["group"], &last["count"]), (&"questions".into(), &asked.len().into()), "{brief}");
    let text = s.ok(&["brief"]);
    assert!(text.contains(&format!("QUESTIONS ({})", asked.len())), "{text}");
    assert!(text.contains("? who owns this? campaign 'Review sites pilot' has no owner"), "{text}");
    let small = s.ok(&["render", "dashboard", "--width", "80", "--height", "24"]);
    assert!(small.contains(&format!("questions {}", asked.len())), "{small}");

    // Off by config: the command still asks; the attention list does not.
    std::fs::write(s.path("config.toml"), "[mentor]\nattention = false\n").expect("config");
    let brief = json(&s, &["brief", "--format", "json"]);
    assert!(!brief["attention"].as_array().expect("attention").iter().any(|a| a["group"] == "questions"), "{brief}");
    assert!(!s.ok(&["render", "dashboard"]).contains("questions"));
    assert_eq!(json(&s, &["mentor", "--format", "json"]), mentor);
}

#[test]
fn team_allocation_and_the_team_tab_show_the_same_month_unless_asked_for_another_period() {
    let s = Sandbox::demo();
    let month = json(&s, &["team", "allocation", "--format", "json"]);
    assert_eq!(month["period"], "2026-11", "this month by default, as the tab: {month}");
    let text = s.ok(&["team", "allocation"]);
    assert!(text.lines().next().unwrap_or("").ends_with(", 2026-11"), "{text}");
    let screen = s.ok(&["render", "team"]);
    assert!(screen.contains("Time vs 70/20/10 · 2026-11"), "{screen}");
    // Alex's split off 70/20/10 is the same finding in both faces.
    let alex = text.lines().find(|l| l.starts_with("Alex Kim")).expect("alex's line");
    let core = alex.split(" · ").next().unwrap_or("").trim_start_matches("Alex Kim").trim().to_string();
    assert!(screen.contains(&format!("! {core}")), "{alex}\n{screen}");
    // Every week logged is one word away, and names itself.
    let all = json(&s, &["team", "allocation", "--period", "all", "--format", "json"]);
    assert_eq!(all["period"], serde_json::Value::Null);
    assert!(s.ok(&["team", "allocation", "--period", "ALL"]).contains("every week logged"));
    assert_eq!(json(&s, &["team", "allocation", "--period", "2026-11", "--format", "json"]), month);
}

#[test]
fn autonomy_on_the_demo_store_is_computed_and_shown_in_the_team_view() {
    let s = Sandbox::demo();
    let load = json(&s, &["team", "load", "--format", "json"]);
    let autonomy = &load["autonomy"];
    assert!(autonomy["director"].is_string(), "{load}");
    let text = s.ok(&["team", "load"]);
    let line = text.lines().find(|l| l.starts_with("Autonomy: ")).expect("autonomy line");
    let screen = s.ok(&["render", "team"]);
    let pct = line.trim_start_matches("Autonomy: ").split(' ').next().expect("percent");
    assert!(screen.contains(&format!("autonomy {pct}")), "{line}\n{screen}");
    // "The last two quarters": the six months ending today, whatever the day of the quarter.
    assert_eq!(autonomy["from"], "2026-05-21", "{load}");
    assert!(line.contains("since 2026-05-21"), "{line}");
    // The demo: five people, all rated, four weeks logged for four of them, three workflows.
    assert_eq!(json(&s, &["team", "matrix", "--format", "json"])["rows"].as_array().map(Vec::len), Some(5));
    let backlog = s.ok(&["workflow", "backlog"]);
    assert!(backlog.contains("Untriaged") && backlog.contains("blank: why now?"), "{backlog}");
}

#[test]
fn the_team_view_at_120x40_and_80x24() {
    let s = Sandbox::demo();
    insta::assert_snapshot!("team_120x40", s.ok(&["render", "team"]));
    insta::assert_snapshot!("team_80x24", s.ok(&["render", "team", "--width", "80", "--height", "24"]));
    insta::assert_snapshot!(
        "team_80x24_workflows",
        s.ok(&["render", "team", "--width", "80", "--height", "24", "--keys", "l"])
    );
}

/// One path: `team time` and the Team tab's `w` form refuse the same hours with the same words.
#[test]
fn the_command_line_and_the_time_form_refuse_the_same_hours_alike() {
    let (cli, cockpit) = (Sandbox::demo(), Sandbox::demo());
    let err = cli.fails(&["team", "time", "lee", "2026-W47", "core=-3"], 2);
    let words = err.trim().strip_prefix("error: ").expect("one error line").to_string();
    let screen = cockpit.ok(&["render", "team", "--width", "160", "--height", "40", "--keys", "j j j j w -3 Enter"]);
    // The form wraps a long refusal inside its box: compare the first line of it.
    let start: String = words.chars().take(40).collect();
    assert!(screen.contains(&format!("✗ {start}")), "the form says '{words}':\n{screen}");
    assert!(cockpit.ok(&["team", "allocation"]).lines().any(|l| l.starts_with("Lee Park") && l.contains("no time")));
}
