//! One path per Learn form: each form on the Learn tab (`render learn --keys`) and its command
//! accept and refuse the same input with the same words and leave the same store behind, because
//! they call the same check and the same write.

use super::common::Sandbox;
use super::one_path::{popup_text, typed};

/// What a face said: (exit code, stdout and stderr).
fn by_command_line(s: &Sandbox, args: &[&str]) -> (i32, String) {
    let out = s.run(args);
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// The Learn tab after `keys`: the frame after the last key.
fn by_cockpit(s: &Sandbox, keys: &str) -> String {
    s.ok(&["render", "learn", "--width", "200", "--height", "40", "--keys", keys])
}

/// The same store behind both faces: `listing` (a `--format json` readout) prints alike.
fn same_store(cli: &Sandbox, cockpit: &Sandbox, listing: &[&str]) {
    assert_eq!(cli.ok(listing), cockpit.ok(listing), "{listing:?} after the command line and the form");
}

/// Refused alike: exit 2 with `error: WORDS`, the form stays open saying `✗ ...WORDS`, and
/// nothing is written by either.
fn refused_alike(
    cli: &Sandbox,
    cockpit: &Sandbox,
    args: &[&str],
    keys: &str,
    title: &str,
    words: &str,
    listing: &[&str],
) {
    let before = cli.ok(listing);
    let (code, said) = by_command_line(cli, args);
    assert_eq!(code, 2, "{args:?}: {said}");
    assert_eq!(said.trim(), format!("error: {words}"), "{args:?}");
    let screen = by_cockpit(cockpit, keys);
    let form = popup_text(&screen, title).unwrap_or_else(|| panic!("the form '{title}' stays open: {screen}"));
    assert!(form.contains("✗ ") && form.contains(words), "the form says '{words}': {form}");
    assert_eq!(cli.ok(listing), before, "nothing written by {args:?}");
    same_store(cli, cockpit, listing);
}

/// Accepted alike: the command succeeds saying `cli_words`, the form closes and the cockpit
/// confirms with `cockpit_words`, and the store reads the same after both.
fn accepted_alike(
    cli: &Sandbox,
    cockpit: &Sandbox,
    (args, cli_words): (&[&str], &str),
    (keys, title, cockpit_words): (&str, &str, &str),
    listing: &[&str],
) {
    let (code, said) = by_command_line(cli, args);
    assert_eq!(code, 0, "{args:?}: {said}");
    assert!(said.contains(cli_words), "{args:?} says '{cli_words}': {said}");
    let screen = by_cockpit(cockpit, keys);
    assert!(popup_text(&screen, title).is_none(), "the form '{title}' closes: {screen}");
    assert!(screen.contains(cockpit_words), "the cockpit says '{cockpit_words}': {screen}");
    same_store(cli, cockpit, listing);
}

fn pair() -> (Sandbox, Sandbox) {
    (Sandbox::demo(), Sandbox::demo())
}

#[test]
fn a_new_experiment_from_the_form_is_the_one_experiment_add_makes() {
    let (cli, cockpit) = pair();
    let list = ["experiment", "list", "--format", "json"];
    refused_alike(
        &cli,
        &cockpit,
        &["experiment", "add", "Headline", "--metric", "signup-rate", "--end", "2026-11-10"],
        "n Headline Tab signup-rate Tab Tab Tab Tab 2026-11-10 Enter",
        "New experiment",
        "it ends (2026-11-10) before it starts (2026-11-20)",
        &list,
    );
    accepted_alike(
        &cli,
        &cockpit,
        (&["experiment", "add", "Headline", "--metric", "signup-rate", "--end", "2026-11-27"], "3"),
        (
            "n Headline Tab signup-rate Tab Tab Tab Tab 2026-11-27 Enter",
            "New experiment",
            "experiment #3 'Headline' added",
        ),
        &list,
    );
}

#[test]
fn a_result_from_the_form_is_the_one_experiment_result_records() {
    let (cli, cockpit) = pair();
    let readout = ["experiment", "readout", "1", "--format", "json"];
    refused_alike(
        &cli,
        &cockpit,
        &["experiment", "result", "1", "short form", "--visitors", "1000", "--conversions", "2000"],
        "r 1000 Tab 2000 Enter",
        "Record a result",
        "2000 conversions from 1000 visitors: conversions cannot exceed visitors",
        &readout,
    );
    let words = "#1 short form: 30000 visitors, 1500 conversions through 2026-11-20";
    accepted_alike(
        &cli,
        &cockpit,
        (&["experiment", "result", "1", "short form", "--visitors", "30000", "--conversions", "1500"], words),
        ("r 30000 Tab 1500 Enter", "Record a result", words),
        &readout,
    );
}

#[test]
fn deciding_in_the_form_logs_the_decision_experiment_decide_logs() {
    let (cli, cockpit) = pair();
    let decisions = ["decision", "list", "--format", "json"];
    refused_alike(
        &cli,
        &cockpit,
        &["experiment", "decide", "1", "ship", "--reason", ""],
        "D BackTab ship Enter",
        "Decide #1",
        "a decision needs its reason (--reason), so others can follow it",
        &decisions,
    );
    let reason = "both engines call it a win";
    let words = "experiment #1 decided: ship; logged as decision #";
    accepted_alike(
        &cli,
        &cockpit,
        (&["experiment", "decide", "1", "ship", "--reason", reason], words),
        (&format!("D BackTab ship Tab {} Enter", typed(reason)), "Decide #1", words),
        &decisions,
    );
    same_store(&cli, &cockpit, &["experiment", "readout", "1", "--format", "json"]);
}

#[test]
fn a_post_mortem_from_the_form_is_the_one_postmortem_add_writes() {
    let (cli, cockpit) = pair();
    let list = ["postmortem", "list", "--format", "json"];
    // The form is about the selected experiment (#1, the first row) unless told otherwise.
    refused_alike(
        &cli,
        &cockpit,
        &["postmortem", "add", "Spring", "--experiment", "1"],
        "p Spring Enter",
        "Write a post-mortem",
        "a post-mortem needs what worked (--worked) or what did not (--didnt)",
        &list,
    );
    let words = "(owner Sam, due 2026-11-27)";
    accepted_alike(
        &cli,
        &cockpit,
        (
            &[
                "postmortem",
                "add",
                "Spring",
                "--experiment",
                "1",
                "--worked",
                "press",
                "--follow-up",
                "Fix the form=Sam@2026-11-27",
            ],
            words,
        ),
        (
            "p Spring Tab Tab press Tab Tab Tab Tab Tab Fix Space the Space form Tab Sam Tab 2026-11-27 Enter",
            "Write a post-mortem",
            words,
        ),
        &list,
    );
}

#[test]
fn a_follow_up_marked_done_in_the_form_is_decision_done() {
    let (cli, cockpit) = pair();
    let follow_through = ["postmortem", "followthrough", "--format", "json"];
    refused_alike(
        &cli,
        &cockpit,
        &["decision", "done", "99999"],
        "Space C-u 99999 Enter",
        "Mark a follow-up done",
        "no decision #99999",
        &follow_through,
    );
    // The form offers the most overdue first, as `postmortem followthrough` lists it.
    let v: serde_json::Value = serde_json::from_str(&cli.ok(&follow_through)).unwrap();
    let id = v["overdue"][0]["decision_id"].as_i64().expect("an overdue follow-up in the demo").to_string();
    let words = format!("decision #{id} done: Attribution review of webinar-sourced pipeline");
    accepted_alike(
        &cli,
        &cockpit,
        (&["decision", "done", &id], &words),
        ("Space Enter", "Mark a follow-up done", &words),
        &follow_through,
    );
}

#[test]
fn an_alert_rule_from_the_form_is_the_one_alert_add_adds() {
    let (cli, cockpit) = pair();
    let list = ["alert", "list", "--format", "json"];
    refused_alike(
        &cli,
        &cockpit,
        &["alert", "add", "mql-low", "--metric", "mqlz", "--when", "below=50"],
        "a mql-low Tab mqlz Tab below=50 Enter",
        "Add an alert rule",
        "unknown metric 'mqlz'; did you mean mqls, sqls?",
        &list,
    );
    let words = "alert mql-low added: mqls below=50";
    accepted_alike(
        &cli,
        &cockpit,
        (&["alert", "add", "mql-low", "--metric", "mqls", "--when", "below=50"], words),
        ("a mql-low Tab mqls Tab below=50 Enter", "Add an alert rule", words),
        &list,
    );
}

#[test]
fn a_note_from_the_form_is_the_one_note_add_adds() {
    let (cli, cockpit) = pair();
    let list = ["note", "list", "--format", "json"];
    refused_alike(
        &cli,
        &cockpit,
        &["note", "add", "2026-11-20", "Price change", "--metric", "cpx"],
        "N Price Space change Tab cpx Enter",
        "Add a note",
        "unknown metric 'cpx'; did you mean cpl, ctr?",
        &list,
    );
    accepted_alike(
        &cli,
        &cockpit,
        (&["note", "add", "2026-11-20", "Price change", "--metric", "cpl"], "3"),
        ("N Price Space change Tab cpl Enter", "Add a note", "note #3 added for 2026-11-20"),
        &list,
    );
}
