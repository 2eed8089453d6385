//! `attribution`: credits by channel under HubSpot's models, from the store's touch histories,
//! the same numbers on the command line and through the agent's `attribution` tool.

use serde_json::{Value, json};

use super::common::Sandbox;
use super::mcp::{call, connect, text};

/// The reference deal, written as the store keeps a touches file's rows.
fn reference_store() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    let db = rusqlite::Connection::open(s.db()).unwrap();
    let rows: [(&str, Option<&str>, &str, Option<i64>); 10] = [
        ("2026-09-01T10:00:00", Some("linkedin"), "touch", None),
        ("2026-09-10T10:00:00", Some("organic-search"), "touch", None),
        ("2026-09-20T10:00:00", Some("email"), "contact-created", None),
        ("2026-10-05T10:00:00", Some("paid-search"), "touch", None),
        ("2026-10-12T10:00:00", Some("events"), "touch", None),
        ("2026-10-12T10:00:00", None, "deal-created", None),
        ("2026-10-25T10:00:00", Some("email"), "touch", None),
        ("2026-10-31T10:00:00", Some("direct"), "touch", None),
        ("2026-10-31T10:00:00", None, "closed-won", Some(1_200_000)),
        ("2026-11-02T10:00:00", Some("display"), "touch", None),
    ];
    for (at, channel, kind, amount) in rows {
        db.execute(
            "INSERT INTO touch(deal, at, channel, kind, amount_cents, created_at) VALUES ('D-1', ?1, ?2, ?3, ?4, ?1)",
            rusqlite::params![at, channel, kind, amount],
        )
        .unwrap();
    }
    s
}

fn json_of(s: &Sandbox, args: &[&str]) -> Value {
    serde_json::from_str(&s.ok(args)).expect("JSON")
}

#[test]
fn the_reference_deal_is_credited_to_the_cent_by_channel_under_w_shaped() {
    let s = reference_store();
    let v = json_of(&s, &["attribution", "--model", "w-shaped", "--format", "json"]);
    let credit = |channel: &str| {
        v["rows"].as_array().unwrap().iter().find(|r| r["channel"] == channel).map(|r| r["w_shaped_cents"].clone())
    };
    assert_eq!(credit("linkedin"), Some(json!(360000)));
    assert_eq!(credit("email"), Some(json!(390000)));
    assert_eq!(credit("events"), Some(json!(360000)));
    for c in ["organic-search", "paid-search", "direct"] {
        assert_eq!(credit(c), Some(json!(30000)), "{c}");
    }
    assert_eq!(credit("display"), None, "a touch after the close earns nothing");
    assert_eq!(v["amount_cents"], 1_200_000);
    let text = s.ok(&["attribution", "--model", "w-shaped"]);
    assert!(text.contains("email") && text.contains("$3,900") && text.contains("$12,000"), "{text}");
}

#[test]
fn compare_gives_one_row_per_channel_with_one_column_per_model_each_summing_to_the_deals() {
    let s = Sandbox::new();
    s.ok(&["demo", "--seed", "1"]);
    let v = json_of(&s, &["attribution", "--compare", "first", "w-shaped", "time-decay", "--format", "json"]);
    assert_eq!(v["models"], json!(["first", "w-shaped", "time-decay"]));
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.len() >= 5, "the demo's channels: {rows:?}");
    let mut channels: Vec<&str> = rows.iter().map(|r| r["channel"].as_str().unwrap()).collect();
    channels.sort();
    channels.dedup();
    assert_eq!(channels.len(), rows.len(), "one row per channel");
    for col in ["first_cents", "w_shaped_cents", "time_decay_cents"] {
        let sum: i64 = rows.iter().map(|r| r[col].as_i64().unwrap()).sum();
        assert_eq!(sum, v["amount_cents"].as_i64().unwrap(), "{col} credits every deal's amount exactly");
    }
    for r in rows {
        assert_eq!(r.as_object().unwrap().len(), 4, "the channel and one column per model: {r}");
    }
    assert!(v["unattributed"]["deals"].as_u64().unwrap() > 0, "deals no touch explains are reported, not dropped");
    let text = s.ok(&["attribution", "--compare", "first", "w-shaped"]);
    assert!(text.contains("unattributed:") && text.lines().any(|l| l.starts_with("total")), "{text}");
}

#[test]
fn bad_options_are_one_line_naming_the_option_and_exit_2() {
    let s = Sandbox::new();
    s.ok(&["demo", "--seed", "1"]);
    for (args, words) in [
        (&["attribution", "--model", "w"][..], "not an attribution model"),
        (&["attribution", "--model", "first", "--compare", "linear"][..], "--compare"),
        (&["attribution", "--half-life-days", "0"][..], "half-life"),
        (&["attribution", "--by", "team"][..], "by:"),
        (&["attribution", "--period", "Q9"][..], "period:"),
        (&["attribution", "--format", "markdown"][..], "text, csv or json"),
    ] {
        let err = s.fails(args, 2);
        assert!(err.starts_with("error: ") && err.contains(words) && err.lines().count() == 1, "{args:?}: {err}");
    }
}

#[tokio::test]
async fn the_agents_attribution_tool_answers_what_the_command_prints() {
    let s = Sandbox::new();
    s.ok(&["demo", "--seed", "1"]);
    let client = connect(&s, false).await;
    let r = call(&client, "attribution", json!({"compare": ["first", "w-shaped", "time-decay"]})).await;
    assert_eq!(text(&r), s.ok(&["attribution", "--compare", "first", "w-shaped", "time-decay", "--format", "json"]));
    let r = call(&client, "attribution", json!({"model": "linear", "by": "campaign", "goal": "pipeline"})).await;
    assert_eq!(
        text(&r),
        s.ok(&["attribution", "--model", "linear", "--by", "campaign", "--goal", "pipeline", "--format", "json"])
    );
    let bad = call(&client, "attribution", json!({"model": "nope"})).await;
    assert_eq!(bad.is_error, Some(true));
    assert!(text(&bad).contains("not an attribution model"), "{}", text(&bad));
}

#[test]
fn the_budget_view_shows_credits_against_the_plan_and_every_model_side_by_side() {
    let s = Sandbox::demo();
    let plan = s.ok(&["render", "budget", "--keys", "t"]);
    insta::assert_snapshot!("budget_attribution_120x40", plan);
    let compare = s.ok(&["render", "budget", "--keys", "t t", "--width", "80", "--height", "24"]);
    insta::assert_snapshot!("budget_attribution_compare_80x24", compare);
    for model in ["first", "last", "linear", "u-shaped", "w-shaped", "full-path", "time-decay"] {
        assert!(compare.contains(model), "{model} is a column at 80 columns:\n{compare}");
    }
    // The panel's closed-won column is the command's: the same model, the same quarter.
    let v = json_of(&s, &["attribution", "--model", "full-path", "--format", "json"]);
    let total = v["amount_cents"].as_i64().unwrap() / 100;
    let shown = s.ok(&["render", "budget", "--keys", "t M"]);
    let digits = total.to_string();
    let grouped: Vec<String> =
        digits.as_bytes().rchunks(3).rev().map(|c| String::from_utf8(c.to_vec()).unwrap()).collect();
    let money = format!("${}", grouped.join(","));
    assert!(shown.contains("full-path") && shown.contains(&money), "{money} in\n{shown}");
    // t a third time goes back to the campaigns.
    assert!(s.ok(&["render", "budget", "--keys", "t t t"]).contains("Campaign"));
}
