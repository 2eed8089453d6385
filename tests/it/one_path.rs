//! One path per feature: the command line, the cockpit's forms and an import accept and refuse
//! the same inputs with the same words, because they call the same function.

use super::common::{NOW, Sandbox};

/// One KPI input, typed the same way into every face.
struct Case {
    metric: &'static str,
    value: &'static str,
    date: &'static str,
    channel: &'static str,
    /// `Ok(what the confirmation shows)` or `Err(the refusal's words)`.
    outcome: Result<&'static str, &'static str>,
    /// Said on acceptance by the command line and the cockpit (a new channel).
    notice: Option<&'static str>,
}

const DAY: &str = "2026-11-19";

fn cases() -> Vec<Case> {
    let ok = |metric, value, shown| Case { metric, value, date: DAY, channel: "", outcome: Ok(shown), notice: None };
    let refused =
        |metric, value, words| Case { metric, value, date: DAY, channel: "", outcome: Err(words), notice: None };
    vec![
        ok("leads", "1 234", "recorded leads 1,234 for 2026-11-19"),
        ok("leads", "12 000", "recorded leads 12,000 for 2026-11-19"),
        ok("spend", "$12,000.50", "recorded spend $12,000.50 for 2026-11-19"),
        ok("conversions", "10.5", "recorded conversions 10.5 for 2026-11-19"),
        // A count is whole, everywhere; a point before three digits is most likely a thousands group.
        refused("leads", "1.234", "leads is a count: 1.234 is not a whole number (did you mean 1234?)"),
        refused("leads", "12.5", "leads is a count: 12.5 is not a whole number"),
        refused("spend", "1.005", "'1.005' is not an amount: USD has 2 decimals at most"),
        refused("spend", "€12", "'€12' is in EUR, but this store keeps USD; convert it first"),
        refused("leads", "10000000000001", "'10000000000001' is out of range: a value is at most 10,000,000,000,000"),
        refused("leads", "-3", "'-3' is not a count value: a count is 0 or more, not below zero"),
        refused("leads", "1e400", "'1e400' is not a number"),
        refused("leads", "12.5%", "'12.5%' is not a count value: a count is a plain number like 1,234"),
        refused(
            "leads",
            "99999999999999999999",
            "number '99999999999999999999' is too large: at most 15 digits before the decimal point",
        ),
        refused("leadz", "5", "unknown metric 'leadz'; did you mean leads?"),
        Case {
            date: "2030-01-01",
            ..refused("leads", "5", "2030-01-01 is in the future: an observation is for a day that has happened")
        },
        Case {
            channel: "emial",
            notice: Some("note: 'emial' is a new channel for leads; did you mean email?"),
            ..ok("leads", "5", "recorded leads 5 for 2026-11-19")
        },
    ]
}

/// `mktg kpi record`: (exit code, what it said).
fn by_command_line(s: &Sandbox, c: &Case) -> (i32, String) {
    let mut args = vec!["kpi", "record", c.metric, c.value, "--date", c.date];
    if !c.channel.is_empty() {
        args.extend(["--channel", c.channel]);
    }
    let out = s.run(&args);
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// Keys that type `text` into a form field: spaces as `Space`, the rest as themselves.
pub(super) fn typed(text: &str) -> String {
    text.split(' ').collect::<Vec<_>>().join(" Space ")
}

/// The dashboard's entry form (`r`), filled field by field and saved: the frame after Enter.
fn by_cockpit(s: &Sandbox, c: &Case) -> String {
    let mut keys = format!("r {} Tab C-u {} Tab {}", typed(c.metric), c.date, typed(c.value));
    if !c.channel.is_empty() {
        keys.push_str(&format!(" Tab {}", c.channel));
    }
    keys.push_str(" Enter");
    s.ok(&["render", "dashboard", "--width", "200", "--height", "40", "--keys", &keys])
}

/// The text inside the popup titled `title`, its lines joined (a long line wraps inside it).
pub(super) fn popup_text(screen: &str, title: &str) -> Option<String> {
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let top = lines.iter().position(|l| l.iter().collect::<String>().contains(title))?;
    let left = lines[top].iter().position(|&c| c == '╭')?;
    let right = lines[top].iter().rposition(|&c| c == '╮')?;
    let mut out = Vec::new();
    for l in &lines[top + 1..] {
        if l.get(left) == Some(&'╰') {
            break;
        }
        let inner: String = l.get(left + 1..right).unwrap_or_default().iter().collect();
        out.push(inner.trim().to_string());
    }
    Some(out.join(" "))
}

/// A one-row kpi-csv import: (exit code, what it said).
fn by_import(s: &Sandbox, c: &Case, n: usize) -> (i32, String) {
    let file = s.path(&format!("kpis-{n}.csv"));
    let value = format!("\"{}\"", c.value);
    std::fs::write(&file, format!("date,metric,value,channel\n{},{},{value},{}\n", c.date, c.metric, c.channel))
        .unwrap();
    let out = s.run(&["import", file.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn one_table_of_kpi_inputs_is_accepted_and_refused_alike_by_the_command_line_the_entry_form_and_an_import() {
    let (cli, cockpit, import) = (Sandbox::demo(), Sandbox::demo(), Sandbox::demo());
    for (n, c) in cases().iter().enumerate() {
        let what = format!("{} {:?} on {} in {:?}", c.metric, c.value, c.date, c.channel);
        let (code, said) = by_command_line(&cli, c);
        let screen = by_cockpit(&cockpit, c);
        let form = popup_text(&screen, "Record a KPI value");
        let (import_code, imported) = by_import(&import, c, n);
        match c.outcome {
            Ok(shown) => {
                assert_eq!(code, 0, "kpi record {what}: {said}");
                assert!(said.contains(shown), "kpi record {what}: {said}");
                assert!(form.is_none(), "the form closes on {what}: {screen}");
                assert!(screen.contains(shown), "the cockpit confirms {what}: {screen}");
                assert_eq!(import_code, 0, "import {what}: {imported}");
                assert!(imported.contains(": imported as #"), "import {what}: {imported}");
            }
            Err(words) => {
                assert_eq!(code, 2, "kpi record {what}: {said}");
                assert_eq!(said.trim(), format!("error: {words}"), "kpi record {what}");
                let form = form.unwrap_or_else(|| panic!("the form stays open on {what}: {screen}"));
                assert!(form.contains(&format!("✗ {words}")), "the form on {what}: {form}");
                assert_eq!(import_code, 2, "import {what}: {imported}");
                assert!(imported.contains(&format!(": {words}; nothing was imported")), "import {what}: {imported}");
                assert!(imported.contains("nothing was imported"), "import {what}: {imported}");
            }
        }
        if let Some(notice) = c.notice {
            assert!(said.contains(notice), "kpi record {what}: {said}");
            assert!(screen.contains(notice), "the cockpit on {what}: {screen}");
        }
    }
    // What was accepted reads back as it was written.
    let listed = cli.ok(&["kpi", "list", "--metric", "leads", "--from", DAY, "--to", DAY]);
    for shown in ["1,234", "12,000"] {
        assert!(listed.lines().any(|l| l.trim_end().ends_with(&format!(" {shown}"))), "{shown}: {listed}");
    }
}

#[test]
fn the_move_form_finds_a_campaign_by_a_unique_part_of_its_name_as_the_command_line_does() {
    let (cli, cockpit) = (Sandbox::demo(), Sandbox::demo());
    cli.ok(&["budget", "move", "core terms", "series", "100", "--reason", "test"]);
    // `m` on the first campaign (Search – Core terms) moves from it; the effect shows as it is
    // typed, and one Enter moves the money, as `budget move` does.
    let screen = cockpit.ok(&["render", "budget", "--keys", "m series Tab 100 Tab test"]);
    assert!(screen.contains("planned $30,000 → $30,100"), "the effect, before Enter: {screen}");
    let screen = cockpit.ok(&["render", "budget", "--keys", "m series Tab 100 Tab test Enter"]);
    assert!(screen.contains("moved $100 from Search – Core terms to Webinar series"), "{screen}");
    let plans = |s: &Sandbox| {
        let list: serde_json::Value = serde_json::from_str(&s.ok(&["budget", "list", "--format", "json"])).unwrap();
        list["campaigns"].as_array().unwrap().iter().map(|c| c["planned_cents"].as_i64().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(plans(&cli), plans(&cockpit));
    // A typo is refused by both, with the same words after the field's name.
    let words = "no campaign 'Dispaly retargetting' in 2026-Q4; did you mean: Display retargeting?";
    let err = cli.fails(&["budget", "move", "core terms", "Dispaly retargetting", "100", "--reason", "t"], 2);
    assert_eq!(err.trim(), format!("error: TO: {words}"));
    let screen = cockpit.ok(&[
        "render",
        "budget",
        "--width",
        "160",
        "--keys",
        "m Dispaly Space retargetting Tab 100 Tab test Enter",
    ]);
    assert!(screen.contains(&format!("✗ To: {words}")), "{screen}");
}

#[test]
fn an_amount_is_refused_with_the_same_words_by_the_command_line_and_the_budget_forms() {
    let s = Sandbox::demo();
    let err = s.fails(&["budget", "plan", "Brand search", "-5", "--period", "2026-Q4"], 2);
    assert_eq!(err.trim(), "error: AMOUNT: '-5' must be zero or more");
    let screen = s.ok(&["render", "budget", "--keys", "n Brand Space search Tab -5 Enter"]);
    assert!(screen.contains("Planned: '-5' must be zero or more"), "{screen}");
    let _ = NOW;
}

#[test]
fn a_target_set_in_the_cockpit_is_the_one_kpi_target_sets_and_a_template_target_says_so_until_then() {
    let (cli, cockpit) = (Sandbox::demo(), Sandbox::demo());
    let brief =
        |s: &Sandbox| -> serde_json::Value { serde_json::from_str(&s.ok(&["brief", "--format", "json"])).unwrap() };
    let leads = |s: &Sandbox| brief(s)["kpis"][0].clone();
    // The role template's targets are in force: every face says so.
    assert_eq!(leads(&cli)["target_source"], "template");
    assert!(cli.ok(&["brief"]).contains("* template target: the role template's default"));
    assert!(cockpit.ok(&["render", "dashboard"]).contains("template 4,200"));
    cli.ok(&["kpi", "target", "leads", "4,500", "--period", "2026-11"]);
    // h picks the first tile (Leads); T opens its targets, the current month first; typing replaces it.
    let screen = cockpit.ok(&["render", "dashboard", "--keys", "h T 4,500 Enter"]);
    assert!(screen.contains("targets for leads set: Nov 2026 4,500"), "{screen}");
    assert!(screen.contains("of 4,500"), "the tile reads the user's target: {screen}");
    for s in [&cli, &cockpit] {
        assert_eq!(leads(s)["target"], 4500.0);
        assert_eq!(leads(s)["target_source"], "set");
    }
    // A refusal has the same words from both faces, named after the period in the form.
    let err = cli.fails(&["kpi", "target", "leads", "1e400", "--period", "2026-Q4"], 2);
    assert_eq!(err.trim(), "error: '1e400' is not a number");
    let screen = cockpit.ok(&["render", "dashboard", "--keys", "h T Tab Tab 1e400 Enter"]);
    assert!(screen.contains("✗ Q4 2026: '1e400' is not a number"), "{screen}");
    // A value for today is shown beside the tile as today so far, never in its pace.
    let before = leads(&cli)["value"].clone();
    cli.ok(&["kpi", "record", "leads", "57"]);
    assert_eq!(leads(&cli)["today_so_far"], 57.0);
    assert_eq!(leads(&cli)["value"], before);
    assert!(cli.ok(&["render", "dashboard"]).contains("today 57"));
    assert!(cli.ok(&["render", "dashboard", "--width", "200"]).contains("today so far 57"));
}
