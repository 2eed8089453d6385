//! The director's agent, in process: an MCP client talks to `mktg mcp`'s server over a duplex
//! pipe, and every answer is held to what the command line prints for the same question.

use rmcp::model::{CallToolRequestParams, CallToolResult, GetPromptRequestParams, ReadResourceRequestParams};
use rmcp::service::{RoleClient, RunningService};
use rmcp::{ServiceExt, model::JsonObject};
use serde_json::{Value, json};

use super::common::{NOW, Sandbox};

/// The seed-1 demo store the figures come from (2,716 leads from 1 to 19 November).
fn demo_seed_1() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["demo", "--seed", "1"]);
    s
}

pub(super) async fn connect(s: &Sandbox, allow_writes: bool) -> RunningService<RoleClient, ()> {
    let settings = mktg::mcp::Settings {
        db: s.db(),
        config: mktg::config::Config::default(),
        clock: mktg::clock::Clock::frozen(mktg::clock::parse_now(NOW).unwrap()),
        fixed_now: true,
        allow_writes,
    };
    let (server_io, client_io) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        if let Ok(running) = mktg::mcp::Server::new(settings).serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    ().serve(client_io).await.expect("client connects")
}

pub(super) async fn call(client: &RunningService<RoleClient, ()>, tool: &'static str, args: Value) -> CallToolResult {
    let args: JsonObject = serde_json::from_value(args).expect("arguments are an object");
    client.call_tool(CallToolRequestParams::new(tool).with_arguments(args)).await.expect("a reply")
}

pub(super) fn text(r: &CallToolResult) -> String {
    r.content.iter().filter_map(|c| c.as_text()).map(|t| t.text.clone()).collect()
}

fn ok_json(r: &CallToolResult) -> Value {
    assert_eq!(r.is_error, Some(false), "{}", text(r));
    serde_json::from_str(&text(r)).expect("the answer is JSON")
}

/// The JSON types a schema allows at one property ("type": "x" or ["x", "null"]).
fn allowed(schema: &Value) -> Vec<String> {
    match &schema["type"] {
        Value::String(t) => vec![t.clone()],
        Value::Array(ts) => ts.iter().filter_map(|t| t.as_str().map(String::from)).collect(),
        _ => vec![],
    }
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[tokio::test]
async fn the_agent_sees_every_read_tool_with_an_input_schema_and_the_writes_marked() {
    let s = Sandbox::new();
    let client = connect(&s, false).await;
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for read in ["get_brief", "run_report", "list_launches", "list_decisions", "get_today", "get_budget", "report_exec"]
    {
        let t = tools.iter().find(|t| t.name == read).unwrap_or_else(|| panic!("{read} missing from {names:?}"));
        assert_eq!(t.input_schema.get("type"), Some(&json!("object")), "{read}");
        assert_eq!(t.annotations.as_ref().and_then(|a| a.read_only_hint), Some(true), "{read}");
        assert!(t.description.as_ref().is_some_and(|d| d.len() > 40), "{read} says what it does");
    }
    for write in ["add_decision", "score_launch"] {
        let t = tools.iter().find(|t| t.name == write).unwrap_or_else(|| panic!("{write} missing from {names:?}"));
        assert_eq!(t.annotations.as_ref().and_then(|a| a.read_only_hint), Some(false), "{write}");
    }
    let add = tools.iter().find(|t| t.name == "add_decision").unwrap();
    assert_eq!(add.input_schema["required"], json!(["text", "owner"]), "who owns this? is not optional");
    let report = tools.iter().find(|t| t.name == "run_report").unwrap();
    assert_eq!(report.input_schema["required"], json!(["metrics", "date_ranges"]));
    assert!(report.output_schema.is_some() && tools.iter().any(|t| t.name == "get_brief" && t.output_schema.is_some()));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn get_brief_is_the_brief_commands_json_byte_for_byte_and_fits_its_output_schema() {
    let s = demo_seed_1();
    let cli = s.ok(&["brief", "--format", "json"]);
    let client = connect(&s, false).await;
    let r = call(&client, "get_brief", json!({})).await;
    assert_eq!(text(&r), cli);
    let value = ok_json(&r);
    assert_eq!(r.structured_content.as_ref(), Some(&value));
    assert_eq!(value["generated_at"], "2026-11-20T08:45:00", "--now is obeyed");

    let week = call(&client, "get_brief", json!({"period": "week"})).await;
    assert_eq!(text(&week), s.ok(&["brief", "--format", "json", "--period", "week"]));

    // The hand-kept output schema names every field the brief prints, with the right types.
    let tools = client.list_all_tools().await.unwrap();
    let schema =
        Value::Object((*tools.iter().find(|t| t.name == "get_brief").unwrap().output_schema.clone().unwrap()).clone());
    let props = schema["properties"].as_object().unwrap();
    for (key, v) in value.as_object().unwrap() {
        let want = allowed(&props[key]);
        assert!(want.iter().any(|t| t == type_of(v) || (t == "number" && type_of(v) == "integer")), "{key}: {want:?}");
    }
    assert_eq!(schema["required"].as_array().unwrap().len(), value.as_object().unwrap().len());
    let kpi_props = schema["properties"]["kpis"]["items"]["properties"].as_object().unwrap();
    for (key, v) in value["kpis"][0].as_object().unwrap() {
        let want = allowed(&kpi_props[key]);
        assert!(want.iter().any(|t| t == type_of(v) || (t == "number" && type_of(v) == "integer")), "kpis.{key}");
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn leads_by_channel_for_the_month_to_date_add_up_to_the_briefs_leads() {
    let s = demo_seed_1();
    let client = connect(&s, false).await;
    let args = json!({
        "metrics": ["leads"],
        "dimensions": ["channel"],
        "date_ranges": [{"start_date": "2026-11-01", "end_date": "2026-11-19"}],
    });
    let report = ok_json(&call(&client, "run_report", args).await);
    assert_eq!(report["dimension_headers"], json!([{"name": "channel"}]));
    assert_eq!(report["metric_headers"][0]["name"], "leads");
    let rows = report["rows"].as_array().unwrap();
    assert!(rows.len() > 3, "one row per channel: {rows:?}");
    let sum: f64 = rows.iter().map(|r| r["metric_values"][0]["value"].as_str().unwrap().parse::<f64>().unwrap()).sum();
    assert_eq!(sum, 2716.0);
    let brief = ok_json(&call(&client, "get_brief", json!({})).await);
    let leads = brief["kpis"].as_array().unwrap().iter().find(|k| k["metric"] == "leads").unwrap();
    assert_eq!(leads["value"].as_f64(), Some(sum));

    // A bad metric is the tool's error, naming the close match; the next call still answers.
    let bad = call(
        &client,
        "run_report",
        json!({"metrics": ["lead"], "date_ranges": [{"start_date": "yesterday", "end_date": "yesterday"}]}),
    )
    .await;
    assert_eq!(bad.is_error, Some(true));
    assert!(text(&bad).contains("did you mean leads"), "{}", text(&bad));
    let by_campaign = call(&client, "run_report", json!({"metrics": ["spend"], "dimensions": ["campaign"], "date_ranges": [{"start_date": "2026-11-01", "end_date": "2026-11-19"}]})).await;
    assert!(ok_json(&by_campaign)["row_count"].as_u64().unwrap() > 1);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn every_read_tool_answers_what_its_command_prints_with_format_json() {
    let s = demo_seed_1();
    let client = connect(&s, false).await;
    let cases: [(&'static str, Value, &[&str]); 7] = [
        ("list_launches", json!({}), &["launch", "list", "--format", "json"]),
        ("list_decisions", json!({}), &["decision", "list", "--format", "json"]),
        (
            "list_decisions",
            json!({"status": "open", "owner": "alex", "overdue": true}),
            &["decision", "list", "--status", "open", "--owner", "alex", "--overdue", "--format", "json"],
        ),
        ("get_today", json!({}), &["today", "--format", "json"]),
        ("get_budget", json!({}), &["budget", "list", "--format", "json"]),
        ("get_budget", json!({"period": "2026-Q3"}), &["budget", "list", "--period", "2026-Q3", "--format", "json"]),
        ("report_exec", json!({}), &["report", "exec", "--format", "json"]),
    ];
    for (tool, args, command) in cases {
        let r = call(&client, tool, args.clone()).await;
        assert_eq!(text(&r), s.ok(command), "{tool} {args}");
    }
    let overdue: Vec<Value> =
        serde_json::from_str(&text(&call(&client, "list_decisions", json!({"overdue": true})).await)).unwrap();
    assert!(!overdue.is_empty(), "the demo has overdue decisions: who owns them is answerable");
    let bad = call(&client, "get_budget", json!({"period": "2026-11"})).await;
    assert_eq!(bad.is_error, Some(true));
    assert!(text(&bad).contains("not a quarter"), "{}", text(&bad));
    let bad = call(&client, "list_decisions", json!({"status": "pending"})).await;
    assert!(text(&bad).starts_with("status: "), "{}", text(&bad));
    for (uri, tool, args) in [
        ("mktg://decisions/open", "list_decisions", json!({"status": "open"})),
        ("mktg://budget/current", "get_budget", json!({})),
    ] {
        let read = client.read_resource(ReadResourceRequestParams::new(uri)).await.unwrap();
        assert_eq!(
            serde_json::to_value(&read.contents[0]).unwrap()["text"],
            text(&call(&client, tool, args).await),
            "{uri}"
        );
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn another_processs_write_shows_on_the_next_call() {
    let s = demo_seed_1();
    let client = connect(&s, false).await;
    let leads =
        |b: &Value| b["kpis"].as_array().unwrap().iter().find(|k| k["metric"] == "leads").unwrap()["value"].clone();
    let before = leads(&ok_json(&call(&client, "get_brief", json!({})).await));
    s.ok(&["kpi", "record", "leads", "100", "--date", "2026-11-19", "--channel", "email"]);
    let after = leads(&ok_json(&call(&client, "get_brief", json!({})).await));
    assert_eq!(after.as_f64().unwrap() - before.as_f64().unwrap(), 100.0);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn a_missing_store_is_an_error_result_and_the_server_keeps_serving() {
    let s = Sandbox::new();
    let client = connect(&s, true).await;
    let r = call(&client, "get_brief", json!({})).await;
    assert_eq!(r.is_error, Some(true));
    assert!(text(&r).starts_with("no store at ") && text(&r).contains("mktg init"), "{}", text(&r));
    assert!(!s.db().exists(), "a server never creates a store");
    assert_eq!(client.list_all_tools().await.unwrap().len(), 9);

    // A foreign file: the command line's own words, and the file left alone.
    std::fs::write(s.db(), b"not a database, a spreadsheet someone saved here").unwrap();
    let r = call(&client, "get_brief", json!({})).await;
    assert_eq!(r.is_error, Some(true));
    assert_eq!(format!("error: {}\n", text(&r)), s.fails(&["brief"], 2));
    assert_eq!(std::fs::read(s.db()).unwrap(), b"not a database, a spreadsheet someone saved here");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn without_allow_writes_a_write_is_refused_and_the_store_is_byte_for_byte_unchanged() {
    let s = demo_seed_1();
    let before = std::fs::read(s.db()).unwrap();
    let client = connect(&s, false).await;
    let r = call(&client, "add_decision", json!({"text": "Stop the podcast pilot today", "owner": "Alex"})).await;
    assert_eq!(r.is_error, Some(true));
    assert_eq!(text(&r), "read-only server: start with mktg mcp --allow-writes");
    ok_json(&call(&client, "get_brief", json!({})).await);
    client.cancel().await.unwrap();
    assert!(std::fs::read(s.db()).unwrap() == before, "the store file changed");
    assert!(!s.ok(&["decision", "list"]).contains("podcast pilot"));
}

#[tokio::test]
async fn with_allow_writes_a_decision_lands_in_the_decision_log_with_its_owner() {
    let s = demo_seed_1();
    let client = connect(&s, true).await;
    let args = json!({"text": "Move 5,000 from display to paid search", "owner": "Alex", "due": "fri",
                      "risk": "Q4 pipeline misses by 8%", "recommendation": "Search CPL is half of display's"});
    let d = ok_json(&call(&client, "add_decision", args).await);
    assert_eq!((d["owner"].as_str(), d["due"].as_str()), (Some("Alex"), Some("2026-11-27")));
    let listed: Vec<Value> = serde_json::from_str(&s.ok(&["decision", "list", "--format", "json"])).unwrap();
    let found = listed.iter().find(|x| x["id"] == d["id"]).expect("in mktg decision list");
    assert_eq!(found, &d, "the answer is the decision as `decision list` shows it");

    let no_owner = call(&client, "add_decision", json!({"text": "Someone should fix the nurture"})).await;
    assert_eq!(no_owner.is_error, Some(true));
    assert!(text(&no_owner).contains("owner"), "{}", text(&no_owner));
    let blank_owner = call(&client, "add_decision", json!({"text": "Fix the nurture", "owner": " "})).await;
    assert!(text(&blank_owner).contains("who owns this?"), "{}", text(&blank_owner));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn with_allow_writes_a_launch_is_scored_as_launch_score_scores_it() {
    let s = demo_seed_1();
    let id = s.ok(&["launch", "add", "Partner portal", "--date", "2027-01-15"]).trim().to_string();
    let client = connect(&s, true).await;
    let id: i64 = id.parse().unwrap();
    let scored =
        ok_json(&call(&client, "score_launch", json!({"id": id, "revenue": 5, "urgency": 4, "demand": 4})).await);
    assert_eq!((scored["tier"].as_u64(), scored["tier_source"].as_str()), (Some(1), Some("computed")));
    let listed: Vec<Value> = serde_json::from_str(&s.ok(&["launch", "list", "--format", "json"])).unwrap();
    assert_eq!(
        listed.iter().find(|l| l["id"] == id),
        Some(&scored),
        "the answer is the launch as list_launches shows it"
    );
    let bad = call(&client, "score_launch", json!({"id": id, "revenue": 6, "urgency": 4, "demand": 4})).await;
    assert_eq!(bad.is_error, Some(true));
    assert_eq!(text(&bad), "revenue impact must be a score from 1 to 5, got 6");
    let missing = call(&client, "score_launch", json!({"id": 9999, "revenue": 3, "urgency": 3, "demand": 3})).await;
    assert!(text(&missing).starts_with("no launch #9999"), "{}", text(&missing));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn resources_are_the_tools_answers_and_prompts_carry_the_directors_voice() {
    let s = demo_seed_1();
    let client = connect(&s, false).await;
    let brief = text(&call(&client, "get_brief", json!({})).await);
    let read = client.read_resource(ReadResourceRequestParams::new("mktg://brief")).await.unwrap();
    let body = serde_json::to_value(&read.contents[0]).unwrap();
    assert_eq!(body["text"], brief);
    let launches = text(&call(&client, "list_launches", json!({})).await);
    assert_eq!(launches, s.ok(&["launch", "list", "--format", "json"]));
    let first: Value = serde_json::from_str::<Vec<Value>>(&launches).unwrap().remove(0);
    let one =
        client.read_resource(ReadResourceRequestParams::new(format!("mktg://launch/{}", first["id"]))).await.unwrap();
    let one: Value =
        serde_json::from_str(serde_json::to_value(&one.contents[0]).unwrap()["text"].as_str().unwrap()).unwrap();
    assert_eq!(one, first);

    let prompts = client.list_all_prompts().await.unwrap();
    let names: Vec<&str> = prompts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["exec_update", "weekly_review", "mentor_review"]);
    let exec = client.get_prompt(GetPromptRequestParams::new("exec_update")).await.unwrap();
    let words = serde_json::to_string(&exec.messages).unwrap();
    for phrase in [
        "Lead with the decision",
        "risk of doing nothing",
        "by when",
        "Data over opinion",
        "ROI on this campaign",
        "who owns this?",
    ] {
        assert!(words.contains(phrase), "exec_update lacks '{phrase}'");
    }
    client.cancel().await.unwrap();
}
