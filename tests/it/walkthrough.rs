//! Day one by keys only: from an empty store, every first task through the cockpit, and the
//! store holds each. The key counts are the ones docs/cockpit.md gives ("Day one by keys").

use serde_json::Value;

use crate::common::Sandbox;

/// Each task: the keys typed (from the dashboard, as the cockpit opens), and how many keys that is.
const TASKS: &[(&str, &str, usize)] = &[
    ("start empty", "1 n", 2),
    ("set a target", "h T 3000 Enter", 7),
    ("record a value", "h r 40 Enter", 5),
    ("add a campaign budget", "3 n Webinars Tab 12000 Enter", 17),
    ("add a launch and tier it", "2 n SSO Tab Tab +8w Enter t 5 4 4 Enter", 16),
    ("log a decision", "d 'Ship SSO' Tab me Enter", 13),
    ("tick a checklist item", "2 Enter Space", 3),
];

fn json(s: &Sandbox, args: &[&str]) -> Value {
    serde_json::from_str(&s.ok(args)).expect("json")
}

#[test]
fn docs_give_each_task_the_key_count_the_walkthrough_types() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cockpit.md")).expect("docs");
    for (task, keys, count) in TASKS {
        let row = docs
            .lines()
            .find(|l| l.starts_with(&format!("| {task}")))
            .unwrap_or_else(|| panic!("docs/cockpit.md \"Day one by keys\" has no row for {task:?}"));
        assert!(row.ends_with(&format!("| {count} |")), "{task}: docs say {row:?}, the walkthrough types {count}");
        assert_eq!(mktg::keymap::parse_script(keys).expect("keys").len(), *count, "{task}: {keys}");
    }
}

#[test]
fn an_empty_store_is_set_up_by_keys_alone_and_holds_each_task() {
    let s = Sandbox::bare();
    for (task, keys, count) in TASKS {
        assert_eq!(mktg::keymap::parse_script(keys).expect("keys").len(), *count, "{task}: the count docs give");
        s.ok(&["render", "dashboard", "--keys", keys]);
    }
    let brief = json(&s, &["brief", "--format", "json"]);
    let leads = brief["kpis"].as_array().and_then(|k| k.iter().find(|k| k["metric"] == "leads")).cloned();
    let leads = leads.unwrap_or_else(|| panic!("leads in the brief: {brief}"));
    assert_eq!((leads["target"].as_f64(), leads["target_source"].as_str()), (Some(3000.0), Some("set")), "{leads}");
    let obs = json(&s, &["kpi", "list", "--format", "json"]);
    assert_eq!((obs[0]["metric"].as_str(), obs[0]["value"].as_f64()), (Some("leads"), Some(40.0)), "{obs}");
    let budget = json(&s, &["budget", "list", "--format", "json"]);
    assert_eq!(budget["campaigns"][0]["name"], "Webinars");
    assert_eq!(budget["campaigns"][0]["planned_cents"], 1_200_000);
    let launches = json(&s, &["launch", "list", "--format", "json"]);
    assert_eq!((launches[0]["name"].as_str(), launches[0]["tier"].as_i64()), (Some("SSO"), Some(1)), "{launches}");
    assert_eq!(launches[0]["readiness"]["done"], 1, "one checklist item ticked: {launches}");
    let decisions = json(&s, &["decision", "list", "--format", "json"]);
    assert_eq!((decisions[0]["title"].as_str(), decisions[0]["owner"].as_str()), (Some("Ship SSO"), Some("me")));
}
