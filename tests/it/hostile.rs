//! Hostile and broken input: shown safely or refused in one line, and nothing is lost.

use super::common::Sandbox;

const ESCAPES: &str = "Q4 \x1b[2J\x1b]0;pwned\x07 plan \u{202E}txet\u{202C} \u{9b}31m end";

fn assert_inert(what: &str, out: &str) {
    for bad in ['\x1b', '\x07', '\u{9b}', '\u{202E}', '\u{202C}'] {
        assert!(!out.contains(bad), "{what} emitted {bad:?} raw:\n{out:?}");
    }
}

#[test]
fn escape_sequences_in_typed_text_are_stored_as_typed_and_never_emitted() {
    let s = Sandbox::demo();
    let id = s.ok(&["decision", "add", ESCAPES, "--owner", "Eve\x1b[31m", "--due", "2026-11-20"]);
    let id = id.trim();
    let launch = s.ok(&["launch", "add", ESCAPES, "--date", "2026-12-15"]);
    assert!(!launch.trim().is_empty());
    for (what, args) in [
        ("decision list", vec!["decision", "list"]),
        ("decision list markdown", vec!["decision", "list", "--format", "markdown"]),
        ("launch list", vec!["launch", "list"]),
        ("brief", vec!["brief"]),
        ("today", vec!["today"]),
        ("report exec", vec!["report", "exec"]),
        ("render decisions", vec!["render", "decisions"]),
        ("render launches", vec!["render", "launches"]),
        ("render dashboard", vec!["render", "dashboard"]),
    ] {
        let out = s.ok(&args);
        assert_inert(what, &out);
    }
    // Stored exactly as typed: JSON escapes it, it does not drop it.
    let json = s.ok(&["decision", "list", "--format", "json"]);
    assert!(json.contains("\\u001b[2J"), "the text was not kept as typed: {json}");
    assert!(json.contains(&format!("\"id\": {id}")) || json.contains(&format!("\"id\":{id}")), "{json}");
}

#[test]
fn a_hundred_thousand_character_field_is_kept_and_drawn_without_breaking_the_layout() {
    let s = Sandbox::demo();
    let long = "x".repeat(100_000);
    s.ok(&["decision", "add", &long, "--owner", "Sam"]);
    let json = s.ok(&["decision", "list", "--format", "json"]);
    assert!(json.contains(&long));
    let screen = s.ok(&["render", "decisions", "--width", "100", "--height", "30"]);
    assert_eq!(screen.lines().count(), 30);
    assert!(screen.lines().all(|l| l.chars().count() <= 100), "{screen}");
}

#[test]
fn wide_characters_keep_columns_aligned() {
    let s = Sandbox::demo();
    s.ok(&["launch", "add", "発売日 🚀 ローンチ", "--date", "2026-12-01", "--product", "製品"]);
    let screen = s.ok(&["render", "launches", "--width", "120", "--height", "40"]);
    assert!(screen.contains("発売日"), "{screen}");
    for line in screen.lines() {
        let w: usize = line.chars().map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)).sum();
        assert_eq!(w, 120, "misaligned line: {line:?}");
    }
}

#[test]
fn amounts_and_dates_out_of_reason_are_refused_naming_the_value() {
    let s = Sandbox::demo();
    let campaign = "LinkedIn ABM";
    for (amount, why) in [("12.345", "more than 2 decimals"), ("99999999999999999999", "too large"), ("12x", "12x")] {
        let err = s.fails(&["budget", "spend", campaign, amount], 2);
        assert!(err.contains(why), "{amount}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let err = s.fails(&["kpi", "record", "leads", "5", "--date", "2026-02-30"], 2);
    assert!(err.contains("2026-02-30"), "{err}");
    let err = s.fails(&["launch", "add", "X", "--date", "2026-02-30"], 2);
    assert!(err.contains("2026-02-30"), "{err}");
}

#[test]
fn csv_exports_never_hand_a_spreadsheet_a_formula() {
    let s = Sandbox::demo();
    s.ok(&["decision", "add", "=HYPERLINK(\"http://x\",\"click\")", "--owner", "@ops"]);
    let csv = s.ok(&["export", "decisions", "--format", "csv"]);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'@ops"), "{csv}");
    assert!(!csv.lines().any(|l| l.starts_with('=') || l.contains(",=")), "{csv}");
}

/// Make `path` unwritable even for root (which ignores permission bits): `chattr +i` when we are root.
#[cfg(unix)]
fn protect(path: &std::path::Path, on: bool) -> bool {
    use std::os::unix::fs::PermissionsExt;
    if unsafe { libc::geteuid() } == 0 {
        let flag = if on { "+i" } else { "-i" };
        return std::process::Command::new("chattr").arg(flag).arg(path).status().is_ok_and(|s| s.success());
    }
    let mode = match (path.is_dir(), on) {
        (true, true) => 0o500,
        (true, false) => 0o700,
        (false, true) => 0o400,
        (false, false) => 0o600,
    };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).is_ok()
}

#[cfg(unix)]
#[test]
fn a_read_only_store_or_directory_is_refused_in_one_line_and_left_intact() {
    for protect_dir in [false, true] {
        let s = Sandbox::demo();
        let before = std::fs::read(s.db()).unwrap();
        let target = if protect_dir { s.dir.path().to_path_buf() } else { s.db() };
        if !protect(&target, true) {
            eprintln!("skipped: cannot make {} read-only here", target.display());
            return;
        }
        let out = s.run(&["kpi", "record", "leads", "5"]);
        protect(&target, false);
        assert_eq!(out.status.code(), Some(1), "dir={protect_dir}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("error: ") && err.lines().count() == 1, "{err}");
        assert!(err.contains("read-only") || err.contains("cannot open"), "dir={protect_dir}: {err}");
        assert_eq!(std::fs::read(s.db()).unwrap(), before, "dir={protect_dir}");
    }
}

#[test]
fn an_amount_in_another_currency_is_refused_not_taken_as_dollars() {
    let s = Sandbox::demo();
    for foreign in ["100EUR", "€100", "£5", "100 GBP"] {
        let err = s.fails(&["budget", "spend", "LinkedIn ABM", foreign], 2);
        assert!(err.contains("store keeps USD"), "{foreign}: {err}");
    }
    let err = s.fails(&["kpi", "record", "spend", "12abc"], 2);
    assert!(err.contains("12abc"), "{err}");
    s.ok(&["budget", "spend", "LinkedIn ABM", "100 USD", "--date", "2026-11-19"]);
}

#[test]
fn usage_errors_are_one_line_too() {
    let s = Sandbox::new();
    for args in [vec!["frobnicate"], vec!["budget", "move", "A", "B", "5"], vec!["launch", "score", "x"]] {
        let err = s.fails(&args, 2);
        assert!(err.starts_with("error: ") && err.lines().count() == 1, "{args:?}: {err}");
    }
}

#[test]
fn observations_from_the_future_and_backwards_ranges_are_refused() {
    let s = Sandbox::demo();
    let err = s.fails(&["kpi", "record", "leads", "5", "--date", "2030-01-01"], 2);
    assert!(err.contains("2030-01-01") && err.contains("future"), "{err}");
    let err = s.fails(&["kpi", "list", "--from", "2026-11-20", "--to", "2026-11-01"], 2);
    assert!(err.contains("after --to"), "{err}");
    // A negative value for a count is refused as a value, not taken for an option.
    let err = s.fails(&["kpi", "record", "leads", "-5"], 2);
    assert!(err.contains("0 or more"), "{err}");
}

#[test]
fn keys_do_nothing_while_the_terminal_is_too_small_to_show_what_they_would_do() {
    let s = Sandbox::demo();
    let done = || {
        let json = s.ok(&["decision", "list", "--status", "done", "--format", "json"]);
        serde_json::from_str::<serde_json::Value>(&json).unwrap().as_array().map_or(0, Vec::len)
    };
    let before = done();
    // On the decision log, Space marks the selected decision done: not while nobody can see it.
    s.ok(&["render", "decisions", "--width", "30", "--height", "8", "--keys", "Space"]);
    assert_eq!(done(), before, "no decision was marked done by a key nobody could see act");
}

#[test]
fn an_import_is_held_to_what_kpi_record_accepts_and_a_broken_quote_refuses_the_file() {
    let s = Sandbox::demo();
    let before = s.ok(&["export", "kpis", "--format", "csv"]);
    for (body, line, what) in [
        ("2026-11-19,cpl,45,paid-social\n", 2, "computed from spend/leads"),
        ("2026-11-18,leads,5,x\n2026-11-19,leads,-4,x\n", 3, "below zero"),
        ("2030-01-01,leads,5,x\n", 2, "in the future"),
        ("2026-11-18,leads,5,x\n2026-11-19,leads,\"7\n", 3, "never closed"),
    ] {
        let file = s.path("bad.csv");
        std::fs::write(&file, format!("date,metric,value,channel\n{body}")).unwrap();
        let err = s.fails(&["import", file.to_str().unwrap()], 2);
        assert!(err.contains(&format!("bad.csv:{line}:")) && err.contains(what), "{body:?}: {err}");
    }
    assert_eq!(s.ok(&["export", "kpis", "--format", "csv"]), before, "nothing was imported");
}
