//! Competition: battlecards, win/loss and positioning triggers, as a user meets them on the
//! command line and in the Compete tab (issue #17's "done when").

use insta::assert_snapshot;
use serde_json::Value;

use super::common::{NOW, Sandbox, read};
use super::today::at;

fn json(out: &str) -> Value {
    serde_json::from_str(out).expect("json")
}

/// A fresh store with Acme (enterprise, owned by dana).
fn with_acme() -> Sandbox {
    let s = Sandbox::new();
    std::fs::write(s.path("config.toml"), "[ui]\nuser = \"priya\"\n").expect("write config");
    s.ok(&["init"]);
    s.ok(&["compete", "add", "acme", "--name", "Acme Corp", "--owner", "dana", "--segment", "enterprise"]);
    s
}

fn write(s: &Sandbox, name: &str, text: &str) -> String {
    let p = s.path(name);
    std::fs::write(&p, text).expect("write file");
    p.to_string_lossy().into_owned()
}

const HEADER: &str = "deal,closed_on,outcome,competitor,reason,segment,amount\n";

#[test]
fn seven_won_thirteen_lost_five_open_is_35_percent_over_20_deals() {
    let s = with_acme();
    let mut csv = HEADER.to_string();
    for (i, outcome) in ["won"; 7].iter().chain(&["lost"; 13]).chain(&["open"; 5]).enumerate() {
        csv.push_str(&format!("D{i},2026-10-{:02},{outcome},ACME,price,mid-market,1000\n", i % 28 + 1));
    }
    let file = write(&s, "deals.csv", &csv);
    s.ok(&["import", &file, "--preset", "winloss-csv"]);

    let w = json(&s.ok(&["winloss", "--format", "json"]));
    assert_eq!(w["period"], "2026-Q4");
    let acme = &w["groups"][0];
    assert_eq!(acme["name"], "Acme Corp", "{w}");
    assert_eq!(acme["this"]["won"], 7);
    assert_eq!(acme["this"]["lost"], 13);
    assert_eq!(acme["this"]["open"], 5);
    assert_eq!(acme["this"]["n"], 20);
    assert_eq!(acme["this"]["rate"], 0.35);
    assert_eq!(acme["this"]["label"], "35.0% (n = 20)");

    // The text never shows a rate without its n, and the open deals stand beside it.
    let text = s.ok(&["winloss"]);
    assert!(text.contains("35.0% (n = 20) +5 open"), "{text}");
    let csv = s.ok(&["winloss", "--format", "csv"]);
    assert!(csv.lines().next().unwrap_or("").contains(",n"), "{csv}");
    // The card carries the same rate.
    let card = json(&s.ok(&["compete", "card", "Acme", "--format", "json"]));
    assert!(card.to_string().contains("35.0% (n = 20)"), "{card}");
}

#[test]
fn a_card_goes_stale_after_92_days_or_when_the_competitor_launches_after_its_refresh() {
    let s = with_acme();
    at(&s, "2026-08-01T10:00", &["compete", "edit", "acme", "why-we-win", "--text", "Setup in a day"]);
    let stale = json(&at(&s, "2026-11-20T08:45", &["compete", "card", "acme", "--format", "json"]));
    assert_eq!(stale["stale"], true, "{stale}");
    assert_eq!(stale["age_days"], 111);
    assert_eq!(stale["stale_reasons"][0]["why"], "old");
    let fresh = json(&at(&s, "2026-10-31T10:00", &["compete", "card", "acme", "--format", "json"]));
    assert_eq!(fresh["stale"], false, "{fresh}");

    // Refreshed on 2026-10-15, then Acme launches on 2026-11-02: stale though only 36 days old.
    at(&s, "2026-10-15T10:00", &["compete", "edit", "ACME", "pricing", "--text", "Per seat, 20% under Acme"]);
    let before = json(&s.ok(&["compete", "card", "acme", "--format", "json"]));
    assert_eq!(before["stale"], false, "{before}");
    let said = s.ok(&["compete", "launched", "acme", "--date", "2026-11-02", "--note", "AI add-on"]);
    assert!(said.contains("stale") && said.contains("dana"), "{said}");
    let after = json(&s.ok(&["compete", "card", "acme", "--format", "json"]));
    assert_eq!(after["stale"], true, "{after}");
    assert_eq!(after["stale_reasons"][0]["why"], "launched");
    assert_eq!(after["stale_reasons"][0]["on"], "2026-11-02");
}

#[test]
fn four_of_six_enterprise_losses_for_security_review_raise_one_trigger_and_reimporting_raises_none() {
    let s = with_acme();
    // Acme has been in deals since the spring, so it is no newcomer.
    let old = write(&s, "old.csv", &format!("{HEADER}OLD1,2026-05-04,won,Acme Corp,,mid-market,9000\n"));
    s.ok(&["import", &old]);
    let rows = [
        ("E1", "lost", "security review"),
        ("E2", "won", ""),
        ("E3", "lost", "Security Review"),
        ("E4", "lost", "security review"),
        ("E5", "won", ""),
        ("E6", "lost", "security review"),
    ];
    let mut csv = HEADER.to_string();
    for (i, (deal, outcome, reason)) in rows.iter().enumerate() {
        csv.push_str(&format!("{deal},2026-11-{:02},{outcome},Acme Corp,{reason},enterprise,50000\n", i + 2));
    }
    let file = write(&s, "q4.csv", &csv);
    let said = s.ok(&["import", &file]);
    assert!(said.contains("positioning triggers 1 raised"), "{said}");

    let decisions = json(&s.ok(&["decision", "list", "--format", "json"]));
    let all = decisions.as_array().expect("array");
    assert_eq!(all.len(), 1, "{decisions}");
    let d = &all[0];
    assert_eq!(d["status"], "proposed", "proposed, never decided");
    assert_eq!(d["owner"], "dana", "the enterprise PMM");
    assert_eq!(d["title"], "Positioning review: lost 4 of the last 6 enterprise deals to \"security review\"");
    assert!(d["recommendation"].as_str().unwrap_or("").contains("E6 lost 2026-11-07"), "{d}");
    assert_eq!(d["meeting"], "Quarterly positioning review", "on the review's agenda");
    let list = json(&s.ok(&["compete", "list", "--format", "json"]));
    assert_eq!(list["open_triggers"].as_array().map(Vec::len), Some(1), "{list}");

    // The same file again: nothing new. The same deals in another file (one more open deal): the
    // trigger's key is the same, so no second trigger, no second decision.
    let again = s.ok(&["import", &file]);
    assert!(!again.contains("raised"), "{again}");
    let more = write(&s, "q4-again.csv", &format!("{csv}E7,2026-11-10,open,Acme Corp,,enterprise,50000\n"));
    let again = s.ok(&["import", &more]);
    assert!(!again.contains("raised"), "{again}");
    let decisions = json(&s.ok(&["decision", "list", "--format", "json"]));
    assert_eq!(decisions.as_array().map(Vec::len), Some(1), "{decisions}");
}

#[test]
fn the_markdown_card_is_what_sales_reads_sections_in_fixed_order_with_owner_and_refresh() {
    let s = with_acme();
    at(&s, "2026-09-01T10:00", &["compete", "edit", "acme", "pricing", "--text", "Per seat, 20% under Acme"]);
    at(&s, "2026-11-02T10:00", &["compete", "edit", "acme", "proof", "--text", "Initrode cut setup to 2 days"]);
    let objections = "Objection: Acme is cheaper\nAnswer: not at 50 seats\nProof: the TCO sheet";
    at(&s, "2026-11-03T10:00", &["compete", "edit", "acme", "objections", "--text", objections]);
    at(&s, "2026-11-03T11:00", &["compete", "edit", "acme", "why-we-win", "--text", "Setup in a day"]);
    let md = s.ok(&["compete", "card", "acme", "--format", "markdown"]);
    assert!(md.starts_with("# "), "{md}");
    assert!(md.contains("dana"), "the owner: {md}");
    assert!(md.contains("2026-11-03"), "last refreshed: {md}");
    let order: Vec<usize> = ["Why we win", "Why we lose", "Objections", "Landmines to set", "Pricing", "Proof points"]
        .iter()
        .map(|h| md.find(&format!("## {h}")).unwrap_or_else(|| panic!("no section {h}: {md}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "fixed order: {order:?}\n{md}");
    assert!(md.contains("Acme is cheaper") && md.contains("the TCO sheet"), "{md}");
    assert_snapshot!("compete_card_markdown", md);
}

#[test]
fn bad_input_is_one_line_and_nothing_is_written() {
    let s = with_acme();
    let before = read(&s.db());
    let refusals: [(Vec<String>, &str); 5] = [
        (vec!["compete".into(), "add".into(), "x".into(), "--name".into(), "X".into()], "an owner is required"),
        (
            vec!["compete".into(), "edit".into(), "acme".into(), "pricing".into(), "--text".into(), "x".repeat(20_001)],
            "the pricing section is 20001 characters; the limit is 20000",
        ),
        (
            vec!["compete".into(), "edit".into(), "acme".into(), "swot".into(), "--text".into(), "x".into()],
            "'swot' is not a battlecard section",
        ),
        (
            vec!["import".into(), write(&s, "tie.csv", &format!("{HEADER}Z1,2026-11-01,tie,Acme,price,,\n"))],
            "'tie' is not an outcome (one of: won, lost, open)",
        ),
        (
            vec!["import".into(), write(&s, "later.csv", &format!("{HEADER}Z2,2026-12-01,won,Acme,price,,\n"))],
            "closed on 2026-12-01, which is after today (2026-11-20)",
        ),
    ];
    for (args, words) in refusals {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = s.fails(&args, 2);
        assert!(err.contains(words), "{:?}: {err}", &args[..2]);
        let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
        assert_eq!(errors.len(), 1, "one error line: {err}");
        assert_eq!(read(&s.db()), before, "nothing written by {:?}", &args[..2]);
    }
    assert!(s.ok(&["compete", "list"]).contains("Acme Corp"));
}

#[test]
fn competitor_keys_forgive_case_and_dashes_like_campaigns() {
    let s = with_acme();
    s.ok(&["compete", "add", "Acme-Cloud", "--name", "Acme Cloud", "--owner", "lee"]);
    let card = json(&s.ok(&["compete", "card", "ACME\u{2013}CLOUD", "--format", "json"]));
    assert_eq!(card["owner"], "lee");
    let err = s.fails(&["compete", "add", "acme\u{2010}cloud", "--name", "Again", "--owner", "lee"], 2);
    assert!(err.contains("already exists"), "{err}");
}

/// One path: the Compete tab's forms refuse with the words the command line uses.
#[test]
fn the_cockpit_and_the_command_line_refuse_with_the_same_words() {
    let s = with_acme();
    let cli = s.fails(&["compete", "add", "acme", "--name", "Again", "--owner", "lee"], 2);
    let screen = s.ok(&["render", "compete", "--keys", "n acme Tab Again Tab lee Enter"]);
    let words = "competitor 'acme' already exists (Acme Corp, owned by dana); nothing was changed";
    assert!(cli.contains(words), "{cli}");
    assert!(screen.contains(words), "{screen}");

    let cli = s.fails(&["compete", "launched", "acme", "--date", "someday"], 2);
    let screen = s.ok(&["render", "compete", "--keys", "L C-u someday Enter"]);
    let words = "'someday' is not a date (try 2026-11-27, today, tomorrow, fri, +3d, +2w)";
    assert!(cli.contains(words), "{cli}");
    assert!(screen.contains(words), "{screen}");

    // And a section saved from the card's form is what the command line reads back.
    let screen = s.ok(&["render", "compete", "--keys", "Enter e C-u Setup Space in Space a Space day Enter"]);
    assert!(screen.contains("why-we-win of acme saved"), "{screen}");
    let card = json(&s.ok(&["compete", "card", "acme", "--format", "json"]));
    assert_eq!(card["sections"][0]["text"], "Setup in a day", "{card}");
    assert_eq!(card["refreshed_on"], NOW[..10]);
}

#[test]
fn compete_view_snapshots() {
    let s = Sandbox::demo();
    assert_snapshot!("compete_120x40", s.ok(&["render", "compete", "--width", "120", "--height", "40"]));
    assert_snapshot!("compete_80x24", s.ok(&["render", "compete", "--width", "80", "--height", "24"]));
    assert_snapshot!("compete_card_120x40", s.ok(&["render", "compete", "--keys", "Enter"]));
}

#[test]
fn a_stale_card_is_on_the_attention_list_naming_its_owner_and_why() {
    let s = with_acme();
    at(&s, "2026-08-01T10:00", &["compete", "edit", "acme", "why-we-win", "--text", "Setup in a day"]);
    let brief = json(&s.ok(&["brief", "--format", "json"]));
    let lines: Vec<&Value> =
        brief["attention"].as_array().expect("attention").iter().filter(|a| a["kind"] == "battlecard").collect();
    assert_eq!(lines.len(), 1, "{brief}");
    assert_eq!(lines[0]["what"], "battlecard Acme Corp stale:");
    assert_eq!(lines[0]["how_far"], "last refreshed 111 days ago (refresh every 92); owner dana");
    assert_eq!(lines[0]["link"], serde_json::json!({"kind": "competitor", "key": "acme"}));

    // Refreshed: off the list.
    s.ok(&["compete", "edit", "acme", "why-we-win", "--text", "Setup in a day, no services contract"]);
    let brief = s.ok(&["brief", "--format", "json"]);
    assert!(!brief.contains("\"battlecard\""), "{brief}");
}

#[test]
fn enter_on_the_stale_card_line_opens_its_card() {
    let s = Sandbox::demo();
    let brief = json(&s.ok(&["brief", "--format", "json"]));
    let at = brief["attention"].as_array().expect("attention").iter().position(|a| a["kind"] == "battlecard");
    let at = at.expect("Globex's stale card is on the list");
    let keys = ["j"; 64][..at].join(" ") + " Enter";
    let screen = s.ok(&["render", "dashboard", "--keys", keys.trim()]);
    assert!(screen.contains("Globex  owner Marcus · last refreshed 2026-07-22 (121 days ago)"), "{screen}");
}

#[test]
fn undoing_the_import_that_raised_a_trigger_clears_it_and_keeps_the_proposed_decision() {
    let s = with_acme();
    let old = write(&s, "old.csv", &format!("{HEADER}OLD1,2026-05-04,won,Acme Corp,,mid-market,9000\n"));
    s.ok(&["import", &old]);
    let mut csv = HEADER.to_string();
    for (i, outcome) in ["lost", "won", "lost", "lost", "won", "lost"].iter().enumerate() {
        let reason = if *outcome == "lost" { "security review" } else { "" };
        csv.push_str(&format!("E{i},2026-11-{:02},{outcome},Acme Corp,{reason},enterprise,50000\n", i + 2));
    }
    let file = write(&s, "q4.csv", &csv);
    assert!(s.ok(&["import", &file]).contains("positioning triggers 1 raised"));

    // Import #2 is the one that raised it.
    let said = s.ok(&["import", "--undo", "2"]);
    assert!(said.contains("positioning trigger cleared") && said.contains("decision #1 stays in the log"), "{said}");
    let list = json(&s.ok(&["compete", "list", "--format", "json"]));
    assert_eq!(list["open_triggers"].as_array().map(Vec::len), Some(0), "not open on evidence gone: {list}");
    let decisions = json(&s.ok(&["decision", "list", "--format", "json"]));
    assert_eq!(decisions[0]["status"], "proposed", "the director's to close: {decisions}");
    assert!(s.ok(&["check"]).contains("ok"));

    // The deals again: the same trigger opens again, with the same decision.
    let again = s.ok(&["import", &file]);
    assert!(!again.contains("raised"), "{again}");
    let list = json(&s.ok(&["compete", "list", "--format", "json"]));
    assert_eq!(list["open_triggers"].as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(json(&s.ok(&["decision", "list", "--format", "json"])).as_array().map(Vec::len), Some(1));
}
