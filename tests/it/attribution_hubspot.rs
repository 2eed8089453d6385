//! Milestone paths derived from HubSpot contacts + deals exports that carry ids: the same
//! attribution whichever export comes first, undone with either, unchanged by a re-import, and
//! giving way to a touches file for the same deal.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::common::Sandbox;

const CONTACTS: &str = "hubspot-contacts-milestones.csv";
const DEALS: &str = "hubspot-deals-milestones.csv";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn store() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    s
}

fn import(s: &Sandbox, name: &str, extra: &[&str]) -> String {
    let file = fixture(name);
    let mut args = vec!["import", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    s.ok(&args)
}

/// Every row attribution reads: (deal, at, kind, channel, amount).
type Row = (String, String, String, Option<String>, Option<i64>);

fn touches(s: &Sandbox) -> Vec<Row> {
    let db = rusqlite::Connection::open(s.db()).unwrap();
    let mut stmt = db
        .prepare(
            "SELECT deal, at, kind, channel, amount_cents FROM touch WHERE replaced_by IS NULL
             ORDER BY deal, at, kind",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn report(s: &Sandbox, goal: &str) -> Value {
    let out = s.ok(&[
        "attribution",
        "--compare",
        "first",
        "w-shaped",
        "full-path",
        "--goal",
        goal,
        "--period",
        "2026-Q4",
        "--format",
        "json",
    ]);
    serde_json::from_str(&out).expect("JSON")
}

fn w_shaped(s: &Sandbox) -> Value {
    let out = s.ok(&["attribution", "--model", "w-shaped", "--period", "2026-Q4", "--format", "json"]);
    serde_json::from_str(&out).expect("JSON")
}

#[test]
fn contacts_then_deals_and_deals_then_contacts_give_the_same_attribution() {
    let a = store();
    import(&a, CONTACTS, &[]);
    let out = import(&a, DEALS, &[]);
    assert!(
        out.contains(
            "milestone paths: 3 deals from HubSpot contacts + deals (short: first touch, lead, deal and close \
             only); 1 deal without a lead-creation touch; 1 deal whose contacts are in no contacts import yet"
        ),
        "{out}"
    );
    let b = store();
    let first = import(&b, DEALS, &[]);
    assert!(first.contains("milestone paths: 0 deals"), "the deals wait for their contacts: {first}");
    assert!(first.contains("4 deals whose contacts are in no contacts import yet"), "{first}");
    import(&b, CONTACTS, &[]);
    assert_eq!(touches(&a), touches(&b));
    assert_eq!(w_shaped(&a), w_shaped(&b));
    assert_eq!(report(&a, "pipeline"), report(&b, "pipeline"));
    // The won deal 2001: first touch and lead creation on its earliest contact's Paid Social visit
    // (30% + 30%), the deal created from Paid Search (30%), closed on Direct (the rest, 10%).
    let v = w_shaped(&a);
    assert_eq!(v["amount_cents"], 1_200_000);
    let credit =
        |c: &str| v["rows"].as_array().unwrap().iter().find(|r| r["channel"] == c).map(|r| r["w_shaped_cents"].clone());
    assert_eq!(credit("paid-social"), Some(json!(720000)));
    assert_eq!(credit("paid-search"), Some(json!(360000)));
    assert_eq!(credit("direct"), Some(json!(120000)));
    // Deal 2003's contact has no source: no touch before its lead creation, counted as missing.
    let p = report(&a, "pipeline");
    assert_eq!(p["deals"], 3, "{p}");
    assert_eq!(p["missing_milestones"]["w_shaped"], 1, "{p}");
}

#[test]
fn the_lead_creation_is_the_first_conversion_else_became_a_lead() {
    let s = store();
    import(&s, CONTACTS, &[]);
    import(&s, DEALS, &[]);
    let rows = touches(&s);
    let of = |deal: &str, kind: &str| rows.iter().find(|r| r.0 == deal && r.2 == kind).map(|r| r.1.clone());
    assert_eq!(of("2001", "contact-created").as_deref(), Some("2026-09-20T10:00:00"));
    // Cy has no First Conversion Date: Became a Lead Date.
    assert_eq!(of("2002", "contact-created").as_deref(), Some("2026-10-02T09:30:00"));
    assert_eq!(of("2002", "closed-won"), None, "an open deal has no close");
    assert_eq!(of("2003", "closed-lost").as_deref(), Some("2026-11-02T17:00:00"));
    assert_eq!(of("2004", "touch"), None, "its contact 9999 is in no import");
    assert_eq!(of("2005", "deal-created"), None, "no associated contact");
}

#[test]
fn undoing_either_export_removes_the_derived_touches_and_a_reimport_changes_nothing() {
    let s = store();
    import(&s, CONTACTS, &[]);
    import(&s, DEALS, &[]);
    let both = touches(&s);
    assert_eq!(both.len(), 10, "{both:?}");
    // The same files again: nothing written, nothing derived differently.
    assert!(import(&s, CONTACTS, &[]).contains("already imported"));
    assert!(import(&s, DEALS, &[]).contains("already imported"));
    assert_eq!(touches(&s), both);
    // Facts counted are the exports' own; the records kept for paths are not facts.
    let undo = s.ok(&["import", "--undo", "2"]);
    assert!(undo.contains("12 facts removed"), "{undo}");
    assert!(touches(&s).is_empty());
    let undo = s.ok(&["import", "--undo", "1"]);
    assert!(undo.contains("13 facts removed"), "{undo}");

    let s = store();
    import(&s, DEALS, &[]);
    let dry = import(&s, CONTACTS, &["--dry-run"]);
    assert!(dry.contains("milestone paths: 3 deals"), "the dry run says what it would derive: {dry}");
    assert!(touches(&s).is_empty(), "and writes nothing");
    import(&s, CONTACTS, &[]);
    let dry = s.ok(&["import", "--undo", "2", "--dry-run"]);
    assert!(dry.contains("13 facts"), "{dry}");
    assert_eq!(touches(&s), both, "a dry-run undo keeps everything");
    s.ok(&["import", "--undo", "2"]);
    assert!(touches(&s).is_empty(), "the contacts undone, the deals wait again");
}

#[test]
fn a_touches_file_for_the_same_deal_takes_precedence_until_it_is_undone() {
    let s = store();
    import(&s, CONTACTS, &[]);
    import(&s, DEALS, &[]);
    let derived = touches(&s);
    let history = s.path("history.csv");
    std::fs::write(
        &history,
        "deal_id,touched_at,channel,campaign,kind,amount\n2001,2026-09-05 10:00,email,,touch,\n\
         2001,2026-10-31 16:00,events,,closed-won,12000.00\n",
    )
    .unwrap();
    s.ok(&["import", history.to_str().unwrap()]);
    let rows = touches(&s);
    let deal: Vec<&Row> = rows.iter().filter(|r| r.0 == "2001").collect();
    assert_eq!(deal.len(), 2, "only the file's rows: {deal:?}");
    assert_eq!(rows.iter().filter(|r| r.0 != "2001").count(), derived.iter().filter(|r| r.0 != "2001").count());
    let v = w_shaped(&s);
    assert_eq!(v["rows"][0]["channel"], "email", "{v}");
    s.ok(&["import", "--undo", "3"]);
    assert_eq!(touches(&s), derived, "the derived path is back");
}

#[test]
fn exports_without_ids_derive_nothing() {
    let s = store();
    import(&s, "hubspot-contacts-lifecycle.csv", &[]);
    let out = import(&s, "hubspot_deals_ids.csv", &[]);
    assert!(!out.contains("milestone"), "{out}");
    assert!(touches(&s).is_empty());
}
