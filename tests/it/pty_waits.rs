//! The cockpit while another process holds the store's write lock: live, honest about waiting,
//! and nothing typed meanwhile lands anywhere.

use super::common::Sandbox;
use super::pty::Pty;

/// Another connection to the store that has taken the write lock and keeps it until dropped.
fn hold_write_lock(s: &Sandbox) -> rusqlite::Connection {
    let lock = rusqlite::Connection::open(s.db()).expect("open the store");
    lock.execute_batch("BEGIN IMMEDIATE").expect("take the write lock");
    lock
}

fn decisions(s: &Sandbox) -> Vec<serde_json::Value> {
    let json = s.ok(&["decision", "list", "--format", "json"]);
    serde_json::from_str::<serde_json::Value>(&json).expect("json").as_array().cloned().unwrap_or_default()
}

#[test]
fn the_cockpit_stays_live_while_another_process_writes_and_keys_typed_meanwhile_land_nowhere() {
    let s = Sandbox::demo();
    let before = decisions(&s);
    let mut pty = Pty::spawn(&s, &[], 120, 40);
    pty.wait_for("1 Dashboard");
    pty.key("d");
    pty.wait_for("Log a decision");
    pty.send("Written while the store was busy\tSam");
    let lock = hold_write_lock(&s);
    pty.key("\r");
    pty.wait_for("waiting for another mktg to finish writing");
    // The UI thread keeps drawing while the write waits: the seconds count on.
    pty.wait_for("(2 s)");
    // Keys are answered, not queued: 5 would open the decision log, x would mark one done.
    pty.key("5");
    pty.wait_for("1 key ignored");
    pty.key("x");
    pty.wait_for("2 keys ignored");
    lock.execute_batch("COMMIT").expect("release the lock");
    pty.wait_for("logged, owner Sam");
    pty.wait_for("2 keys typed while waiting for the store ignored");
    let screen = pty.screen();
    assert!(screen.contains("Leads"), "still on the dashboard: neither key acted\n{screen}");
    pty.key("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.is_cooked());
    let after = decisions(&s);
    assert_eq!(after.len(), before.len() + 1, "the decision was saved once");
    let done = |list: &[serde_json::Value]| list.iter().filter(|d| d["status"] == "done").count();
    assert_eq!(done(&after), done(&before), "nothing was marked done by the ignored x");
}

#[test]
fn ctrl_c_quits_at_once_while_a_write_waits_and_the_write_is_not_made() {
    let s = Sandbox::demo();
    let before = decisions(&s).len();
    let mut pty = Pty::spawn(&s, &[], 120, 40);
    pty.wait_for("1 Dashboard");
    pty.key("d");
    pty.wait_for("Log a decision");
    pty.send("Abandoned while waiting\tSam");
    let lock = hold_write_lock(&s);
    pty.key("\r");
    pty.wait_for("waiting for another mktg to finish writing");
    pty.key("\x03");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.is_cooked(), "the terminal is given back");
    drop(lock);
    assert_eq!(decisions(&s).len(), before);
    assert!(s.ok(&["check"]).contains("ok"));
}
