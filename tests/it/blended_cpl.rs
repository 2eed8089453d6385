//! The dashboard's cost per lead is blended; the budget table's is paid. The label says which
//! (#15), for new stores by the template and for existing ones by migration 0017, which leaves a
//! label the user chose alone. The metric's key (`cpl`) never changes.

use crate::common::Sandbox;

/// Roll the store back to how schema 16 left it, with `label` on the `cpl` metric.
fn as_schema_16_with(s: &Sandbox, label: &str) {
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    conn.execute("UPDATE metric SET label = ?1 WHERE key = 'cpl'", [label]).unwrap();
    conn.pragma_update(None, "user_version", 16).unwrap();
}

fn cpl_label(s: &Sandbox) -> String {
    let list: serde_json::Value = serde_json::from_str(&s.ok(&["brief", "--format", "json"])).unwrap();
    let tiles = list["kpis"].as_array().expect("brief kpis");
    let cpl = tiles.iter().find(|t| t["metric"] == "cpl").expect("a cpl tile, by its unchanged key");
    cpl["label"].as_str().unwrap().to_string()
}

#[test]
fn a_new_store_says_blended_cpl_and_an_old_default_label_is_renamed_on_open() {
    let s = Sandbox::new();
    s.ok(&["init"]);
    assert_eq!(cpl_label(&s), "Blended CPL");
    as_schema_16_with(&s, "Cost per lead");
    assert_eq!(cpl_label(&s), "Blended CPL", "the old default label is migrated");
}

#[test]
fn a_label_the_user_chose_survives_the_migration() {
    let s = Sandbox::new();
    s.ok(&["init"]);
    as_schema_16_with(&s, "CPL (all sources)");
    assert_eq!(cpl_label(&s), "CPL (all sources)");
}
