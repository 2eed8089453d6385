//! `mktg mcp` as an MCP client launches it: the real binary, JSON-RPC lines on stdin, no SDK.
//! Stdout must carry protocol messages and nothing else.

use std::io::Write;
use std::process::{Output, Stdio};

use serde_json::{Value, json};

use super::common::Sandbox;

fn initialize(version: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
           "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}})
}

const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;

/// Pipe `lines` into `mktg mcp [extra]`, close stdin, and wait for it to end.
fn session(s: &Sandbox, extra: &[&str], lines: &[String]) -> Output {
    let mut args = vec!["mcp"];
    args.extend_from_slice(extra);
    let mut child = s
        .cmd(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start mktg mcp");
    let mut stdin = child.stdin.take().expect("stdin");
    for l in lines {
        writeln!(stdin, "{l}").expect("write a line");
    }
    drop(stdin);
    child.wait_with_output().expect("mktg mcp ends")
}

/// Every stdout line, each of which must be a JSON-RPC 2.0 message.
fn replies(out: &Output) -> Vec<Value> {
    let stdout = String::from_utf8(out.stdout.clone()).expect("utf-8");
    stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON on stdout ({e}): {l}"));
            assert_eq!(v["jsonrpc"], "2.0", "{l}");
            v
        })
        .collect()
}

#[test]
fn three_lines_in_two_replies_out_and_a_clean_exit() {
    let s = Sandbox::demo();
    let lines = [
        initialize("2025-06-18").to_string(),
        INITIALIZED.to_string(),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}).to_string(),
    ];
    let out = session(&s, &[], &lines);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let r = replies(&out);
    assert_eq!(r.iter().map(|m| m["id"].clone()).collect::<Vec<_>>(), [json!(1), json!(2)]);
    assert_eq!(r[0]["result"]["serverInfo"]["name"], "mktg");
    assert_eq!(r[0]["result"]["protocolVersion"], "2025-06-18");
    let tools: Vec<&str> =
        r[1]["result"]["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(tools.contains(&"get_brief") && tools.contains(&"run_report"), "{tools:?}");
    // The log goes to stderr, plain: no colour codes.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("mktg mcp: serving ") && !err.contains('\x1b'), "{err}");
}

#[test]
fn an_unknown_protocol_version_is_answered_with_one_the_server_speaks() {
    let s = Sandbox::new();
    let out = session(&s, &[], &[initialize("1999-01-01").to_string()]);
    assert_eq!(out.status.code(), Some(0));
    let r = replies(&out);
    assert_eq!(r.len(), 1);
    let v = r[0]["result"]["protocolVersion"].as_str().expect("a version, not an error");
    assert!(["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"].contains(&v), "{v}");
}

#[test]
fn stored_text_comes_back_as_data_and_never_breaks_the_stream() {
    let s = Sandbox::demo();
    let hostile = "Pause \u{1b}[31mdisplay\"}\n{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}\u{202e}";
    s.ok(&["decision", "add", hostile, "--owner", "Alex", "--due", "2026-11-19"]);
    let lines = [
        initialize("2025-06-18").to_string(),
        INITIALIZED.to_string(),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "get_brief", "arguments": {}}})
            .to_string(),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "add_decision",
               "arguments": {"text": "x", "owner": "y"}}})
        .to_string(),
    ];
    let out = session(&s, &[], &lines);
    // Calls run concurrently, so replies may come in any order (JSON-RPC matches them by id).
    let mut r = replies(&out);
    r.sort_by_key(|m| m["id"].as_i64());
    assert_eq!(r.iter().map(|m| m["id"].clone()).collect::<Vec<_>>(), [json!(1), json!(2), json!(3)]);
    let brief = &r[1]["result"]["structuredContent"];
    let titles: Vec<&str> =
        brief["decisions_due"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&hostile), "the title round-trips exactly: {titles:?}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'), "no raw escape on stdout");
    assert_eq!(r[2]["result"]["isError"], true);
    assert_eq!(r[2]["result"]["content"][0]["text"], "read-only server: start with mktg mcp --allow-writes");
}
