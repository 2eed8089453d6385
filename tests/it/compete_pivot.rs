//! A product pivot (#17): `launch pivot` and the launches screen's `P` mark a launch as a
//! repositioning; battlecards refreshed before its day go stale, and a Tier 1 pivot proposes one
//! positioning review. Triggers are raised by every write that can cause them, once each.

use serde_json::Value;

use super::common::Sandbox;
use super::today::at;

fn json(out: &str) -> Value {
    serde_json::from_str(out).expect("json")
}

/// Acme's card refreshed on 15 Oct; a launch "Platform 2" on 1 Dec, scored `scores`.
fn with_launch(scores: [&str; 3]) -> Sandbox {
    let s = Sandbox::new();
    std::fs::write(s.path("config.toml"), "[ui]\nuser = \"priya\"\n").expect("write config");
    s.ok(&["init"]);
    s.ok(&["compete", "add", "acme", "--name", "Acme Corp", "--owner", "dana", "--segment", "enterprise"]);
    at(&s, "2026-10-15T10:00", &["compete", "edit", "acme", "why-we-win", "--text", "Setup in a day"]);
    assert_eq!(s.ok(&["launch", "add", "Platform 2", "--date", "2026-12-01"]).trim(), "1");
    let [r, u, d] = scores;
    s.ok(&["launch", "score", "1", "--revenue", r, "--urgency", u, "--demand", d]);
    s
}

fn decisions(s: &Sandbox) -> Vec<Value> {
    json(&s.ok(&["decision", "list", "--format", "json"])).as_array().cloned().unwrap_or_default()
}

#[test]
fn a_tier_one_pivot_stales_older_cards_and_proposes_one_positioning_review() {
    let s = with_launch(["5", "5", "5"]);
    let card = json(&s.ok(&["compete", "card", "acme", "--format", "json"]));
    assert_eq!(card["stale"], false, "{card}");

    let said = s.ok(&["launch", "pivot", "1", "--date", "2026-11-10"]);
    assert!(said.contains("a product pivot on 2026-11-10"), "{said}");
    assert!(said.contains("positioning review proposed"), "{said}");

    let card = json(&s.ok(&["compete", "card", "acme", "--format", "json"]));
    assert_eq!(card["stale"], true, "{card}");
    assert_eq!(card["stale_reasons"][0]["why"], "pivot");
    assert_eq!(card["stale_reasons"][0]["on"], "2026-11-10");
    assert_eq!(card["stale_reasons"][0]["refreshed_on"], "2026-10-15");

    let all = decisions(&s);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["status"], "proposed", "proposed, never decided");
    assert_eq!(all[0]["title"], "Positioning review: product pivot \"Platform 2\" from 2026-11-10 (a Tier 1 launch)");
    let list = json(&s.ok(&["compete", "list", "--format", "json"]));
    assert_eq!(list["open_triggers"].as_array().map(Vec::len), Some(1), "{list}");
    let launches = json(&s.ok(&["launch", "list", "--format", "json"]));
    assert_eq!(launches[0]["pivot_on"], "2026-11-10");

    // The stale card is on the attention list naming the pivot.
    let brief = s.ok(&["brief"]);
    assert!(brief.contains("our product pivot \"Platform 2\" on 2026-11-10"), "{brief}");

    // Marking again (another day) raises nothing new; a card refreshed since is fresh.
    let again = s.ok(&["launch", "pivot", "1", "--date", "2026-11-12"]);
    assert!(!again.contains("proposed"), "{again}");
    assert_eq!(decisions(&s).len(), 1);
    at(&s, "2026-11-18T10:00", &["compete", "edit", "acme", "pricing", "--text", "Per seat"]);
    let card = json(&s.ok(&["compete", "card", "acme", "--format", "json"]));
    assert_eq!(card["stale"], false, "{card}");

    // Off again: the mark goes, the proposal stays for the director; clearing twice is refused.
    s.ok(&["launch", "pivot", "1", "--clear"]);
    assert_eq!(json(&s.ok(&["launch", "list", "--format", "json"]))[0]["pivot_on"], Value::Null);
    let e = s.fails(&["launch", "pivot", "1", "--clear"], 2);
    assert_eq!(e, "error: #1 'Platform 2' is not marked as a pivot; nothing changed\n");
    assert_eq!(decisions(&s).len(), 1);
}

#[test]
fn a_pivot_below_tier_one_proposes_nothing_until_it_is_tiered_one() {
    let s = with_launch(["2", "2", "2"]);
    let said = s.ok(&["launch", "pivot", "1"]);
    assert!(said.contains("a product pivot on 2026-12-01"), "the launch day by default: {said}");
    assert!(said.contains("no positioning review proposed: only a Tier 1 pivot proposes one"), "{said}");
    assert!(decisions(&s).is_empty());
    // Not stale yet: the pivot's day is ahead.
    assert_eq!(json(&s.ok(&["compete", "card", "acme", "--format", "json"]))["stale"], false);
    assert_eq!(json(&at(&s, "2026-12-02T09:00", &["compete", "card", "acme", "--format", "json"]))["stale"], true);

    // Re-scored to Tier 1: the same write raises the review.
    let scored = s.ok(&["launch", "score", "1", "--revenue", "5", "--urgency", "5", "--demand", "5"]);
    assert!(scored.contains("Positioning review: product pivot \"Platform 2\""), "{scored}");
    let all = decisions(&s);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["owner"], "priya", "the director, who marked it");
}

#[test]
fn bad_pivot_input_is_one_line_and_nothing_is_written() {
    let s = with_launch(["5", "5", "5"]);
    let e = s.fails(&["launch", "pivot", "9"], 2);
    assert_eq!(e, "error: no launch #9 (see `mktg launch list`)\n");
    let e = s.fails(&["launch", "pivot", "1", "--date", "someday"], 2);
    assert!(e.starts_with("error: --date: 'someday' is not a date"), "{e}");
    assert_eq!(e.lines().count(), 1);
    assert!(decisions(&s).is_empty());
    assert_eq!(json(&s.ok(&["launch", "list", "--format", "json"]))[0]["pivot_on"], Value::Null);
}

#[test]
fn the_cockpit_marks_a_pivot_with_the_same_outcome_as_the_command() {
    let s = with_launch(["5", "5", "5"]);
    let screen = s.ok(&["render", "launches", "--keys", "P C-u 2026-11-10 Enter"]);
    assert!(screen.contains("'Platform 2' is a product pivot from 2026-11-10"), "{screen}");
    assert!(screen.contains("positioning review proposed (decision #"), "{screen}");
    assert_eq!(json(&s.ok(&["launch", "list", "--format", "json"]))[0]["pivot_on"], "2026-11-10");
    assert_eq!(decisions(&s).len(), 1);
    let detail = s.ok(&["render", "launches", "--keys", "Enter"]);
    assert!(detail.contains("a product pivot from 2026-11-10"), "{detail}");
}

#[test]
fn a_competitor_launch_raises_the_triggers_its_data_already_shows_once() {
    // The demo's deal outcomes were written without an import: nothing raised them yet.
    let s = Sandbox::demo();
    let before = decisions(&s).len();
    let said = s.ok(&["compete", "launched", "globex", "--date", "2026-11-19"]);
    assert!(said.contains("Positioning review:"), "{said}");
    let raised = decisions(&s).len() - before;
    assert!(raised >= 1, "{said}");
    let list = json(&s.ok(&["compete", "list", "--format", "json"]));
    assert_eq!(list["open_triggers"].as_array().map(Vec::len), Some(raised), "{list}");
    // The same write again raises none.
    let again = s.ok(&["compete", "launched", "globex", "--date", "2026-11-20"]);
    assert!(!again.contains("Positioning review:"), "{again}");
    assert_eq!(decisions(&s).len() - before, raised);
}
