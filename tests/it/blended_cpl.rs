//! The dashboard's cost per lead is blended; the budget table's is paid. The label says which
//! (#15), for new stores by the template and for existing ones by migration 0017 (tested in
//! `store::upgrade_tests` on a store built at schema 16), which leaves a label the user chose
//! alone. The metric's key (`cpl`) never changes.

use crate::common::Sandbox;

fn cpl_label(s: &Sandbox) -> String {
    let list: serde_json::Value = serde_json::from_str(&s.ok(&["brief", "--format", "json"])).unwrap();
    let tiles = list["kpis"].as_array().expect("brief kpis");
    let cpl = tiles.iter().find(|t| t["metric"] == "cpl").expect("a cpl tile, by its unchanged key");
    cpl["label"].as_str().unwrap().to_string()
}

#[test]
fn a_new_store_says_blended_cpl_by_its_unchanged_key() {
    let s = Sandbox::new();
    s.ok(&["init"]);
    assert_eq!(cpl_label(&s), "Blended CPL");
    // The migration itself (a schema-16 store opened by this build) is tested in `store::upgrade_tests`.
}
