//! One number, one truth: money recorded in one place shows the same everywhere.

use super::common::Sandbox;

/// Month-to-date Spend on the dashboard, in cents, from `brief --format json`.
fn spend_tile(s: &Sandbox) -> i64 {
    let brief: serde_json::Value = serde_json::from_str(&s.ok(&["brief", "--format", "json"])).unwrap();
    let tile = brief["kpis"].as_array().unwrap().iter().find(|k| k["metric"] == "spend").unwrap().clone();
    tile["value"].as_f64().unwrap().round() as i64
}

#[test]
fn spend_recorded_against_a_campaign_moves_the_dashboards_spend_too() {
    let s = Sandbox::demo();
    let before = spend_tile(&s);
    s.ok(&["budget", "spend", "LinkedIn ABM", "10,000", "--date", "2026-11-19"]);
    assert_eq!(spend_tile(&s), before + 1_000_000);
}

#[test]
fn a_spend_csv_import_moves_the_spend_kpi_and_its_undo_moves_it_back() {
    let s = Sandbox::demo();
    let before = spend_tile(&s);
    let file = s.path("spend.csv");
    std::fs::write(&file, "date,campaign,amount,note\n2026-11-18,LinkedIn ABM,\"2,500.00\",boost\n").unwrap();
    let out = s.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("facts created      1"), "{out}");
    assert_eq!(spend_tile(&s), before + 250_000);
    let undo = s.ok(&["import", "--undo", "1"]);
    assert!(undo.contains("1 facts removed"), "{undo}");
    assert_eq!(spend_tile(&s), before);
}

#[test]
fn a_campaign_is_found_whatever_dash_was_typed_and_a_channel_typo_is_pointed_out() {
    let s = Sandbox::demo();
    // The demo's name has an en dash nobody types.
    let out = s.ok(&["budget", "move", "Display retargeting", "search - core terms", "100", "--reason", "test"]);
    assert!(out.contains("Search – Core terms"), "{out}");
    let out = s.ok(&["kpi", "record", "leads", "5", "--channel", "emial", "--date", "2026-11-19"]);
    assert!(out.contains("new channel") && out.contains("did you mean email"), "{out}");
    let out = s.ok(&["kpi", "record", "leads", "5", "--channel", "Paid Search", "--date", "2026-11-19"]);
    assert!(out.contains("in paid-search") && !out.contains("new channel"), "{out}");
}
