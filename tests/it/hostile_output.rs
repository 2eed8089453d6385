//! Terminal safety as a property of the output path (issue #12, item 1): a store seeded with
//! every payload kind through every entry point (typed names, an imported file's campaign
//! names, the config `user`), then EVERY command in EVERY format: no ESC, no C0 but newline
//! and tab (CR only before LF, in ICS), no C1, no bidi control and no invisible character
//! reaches stdout or stderr, whatever the exit code.
//!
//! New read command? Add a line to `READS` (every format is tried; the ones a command refuses
//! are skipped, but each command must print something in at least one).

use super::common::Sandbox;

/// (kind, payload). Each is typed, imported and configured.
const PAYLOADS: &[(&str, &str)] = &[
    ("csi", "\x1b[2J\x1b[31mred"),
    ("osc52", "\x1b]52;c;cHduZWQ=\x07clip"),
    ("c1", "\u{9b}31m\u{85}\u{9d}0;t\u{9c}c1"),
    ("bidi", "\u{202E}gnp.exe\u{202C}\u{2066}iso\u{2069}\u{200F}"),
    ("zero-width", "a\u{200B}b\u{200D}c\u{FEFF}d\u{2028}e\u{2060}"),
    ("cr", "shown\rhidden\x08\x7f"),
];

const FORMATS: &[&str] = &["text", "csv", "json", "markdown", "ics"];

/// Read commands; each is run with `--format F` for every format (and once without).
const READS: &[&[&str]] = &[
    &["brief"],
    &["today"],
    &["kpi", "list"],
    &["launch", "list"],
    &["budget", "list"],
    &["decision", "list"],
    &["report", "exec"],
    &["export", "kpis"],
    &["export", "launches"],
    &["export", "budget"],
    &["export", "decisions"],
    &["export", "cadence"],
];

/// Commands without `--format`, run as they are.
const PLAIN: &[&[&str]] = &[
    &["render", "dashboard"],
    &["render", "launches"],
    &["render", "budget"],
    &["render", "today"],
    &["render", "decisions"],
    &["check"],
];

/// What may not reach a terminal: a char and why.
fn offence(c: char, next: Option<char>) -> Option<&'static str> {
    match c {
        '\n' | '\t' => None,
        '\r' if next == Some('\n') => None,
        '\x1b' => Some("ESC"),
        '\0'..='\x1f' | '\x7f' => Some("C0/DEL"),
        '\u{80}'..='\u{9f}' => Some("C1"),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}' => Some("bidi"),
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{2028}' | '\u{2029}' => Some("invisible"),
        _ => None,
    }
}

fn assert_clean(what: &str, stream: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if let Some(why) = offence(c, chars.get(i + 1).copied()) {
            let from = i.saturating_sub(30);
            let around: String = chars[from..(i + 30).min(chars.len())].iter().collect();
            panic!("{what}: {why} {c:?} reached {stream} near {around:?}");
        }
    }
}

/// One demo store holding every payload through every entry point.
fn seeded() -> Sandbox {
    let s = Sandbox::demo();
    // The config `user` (written into decisions a budget move logs). Control characters are
    // refused by the config itself (below); format characters are data and must be shown safely.
    std::fs::write(s.path("config.toml"), "[ui]\nuser = \"Eve \u{202E}evE\u{202C} \u{200B}Z\"\n").unwrap();
    let mut import = String::from("date,campaign,amount,note,channel\n");
    for (i, (kind, p)) in PAYLOADS.iter().enumerate() {
        let name = format!("Camp {kind} {p}");
        s.ok(&["launch", "add", &format!("Launch {kind} {p}"), "--date", "2026-12-15", "--product", p]);
        s.ok(&["decision", "add", &format!("Decide {kind} {p}"), "--owner", p, "--due", "2026-11-20"]);
        s.ok(&["budget", "plan", &name, "1000", "--period", "2026-Q4", "--channel", "paid_social"]);
        s.ok(&["budget", "spend", &name, "10", "--note", p]);
        import.push_str(&format!("2026-11-{:02},\"Imported {kind} {p}\",12.50,\"{p}\",Paid Social\n", 10 + i));
    }
    let first = format!("Camp {} {}", PAYLOADS[0].0, PAYLOADS[0].1);
    let second = format!("Camp {} {}", PAYLOADS[1].0, PAYLOADS[1].1);
    s.ok(&["budget", "move", &first, &second, "5", "--reason", PAYLOADS[2].1]);
    let file = s.path("spend.csv");
    std::fs::write(&file, import).unwrap();
    let out = s.run(&["import", file.to_str().unwrap(), "--preset", "spend-csv"]);
    assert_clean("import spend-csv", "stdout", &out.stdout);
    assert_clean("import spend-csv", "stderr", &out.stderr);
    assert!(out.status.success(), "the import seeded nothing: {}", String::from_utf8_lossy(&out.stderr));
    s
}

#[test]
fn no_stored_text_drives_the_terminal_from_any_command_in_any_format() {
    let s = seeded();
    let mut runs: Vec<(String, Vec<String>, bool)> = Vec::new();
    for cmd in READS {
        let base: Vec<String> = cmd.iter().map(|a| a.to_string()).collect();
        runs.push((cmd.join(" "), base.clone(), true));
        for f in FORMATS {
            let mut args = base.clone();
            args.extend(["--format".to_string(), f.to_string()]);
            runs.push((cmd.join(" "), args, false));
        }
    }
    for cmd in PLAIN {
        runs.push((cmd.join(" "), cmd.iter().map(|a| a.to_string()).collect(), true));
    }
    // Refusals that quote what was typed: stderr is held to the same rule.
    for (kind, p) in PAYLOADS {
        for args in [
            vec!["budget".to_string(), "spend".into(), format!("Nope {kind} {p}"), "5".into()],
            vec!["kpi".to_string(), "record".into(), (*p).into(), "5".into()],
            vec!["kpi".to_string(), "record".into(), "leads".into(), (*p).into()],
            vec!["launch".to_string(), "add".into(), "x".into(), "--date".into(), (*p).into()],
            vec!["render".to_string(), (*p).into()],
        ] {
            runs.push((format!("refusal {kind}"), args, false));
        }
    }
    let printed = std::sync::Mutex::new(std::collections::BTreeMap::<String, usize>::new());
    let chunks: Vec<_> = runs.chunks(runs.len().div_ceil(4)).collect();
    std::thread::scope(|scope| {
        for chunk in chunks {
            let (s, printed) = (&s, &printed);
            scope.spawn(move || {
                for (name, args, must) in chunk {
                    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
                    let out = s.run(&argv);
                    let what = format!("mktg {}", args.join(" ").escape_debug());
                    assert_clean(&what, "stdout", &out.stdout);
                    assert_clean(&what, "stderr", &out.stderr);
                    if *must {
                        assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
                    }
                    if out.status.success() && !out.stdout.is_empty() {
                        *printed.lock().unwrap().entry(name.clone()).or_default() += 1;
                    } else if !out.status.success() {
                        let err = String::from_utf8_lossy(&out.stderr);
                        assert!(err.starts_with("error: ") && err.lines().count() == 1, "{what}: {err}");
                    }
                }
            });
        }
    });
    let printed = printed.into_inner().unwrap();
    for cmd in READS.iter().chain(PLAIN) {
        assert!(printed.contains_key(&cmd.join(" ")), "mktg {} printed nothing in any format", cmd.join(" "));
    }
    // The payloads were stored as typed: JSON carries them, escaped.
    let json = s.ok(&["decision", "list", "--format", "json"]);
    assert!(json.contains("\\u001b]52;c;"), "{json}");
    assert!(json.contains("\\u202e") || json.contains("\\u202E"), "{json}");
    assert!(json.contains("\\u009b") || json.contains("\\u009B"), "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v.to_string().contains("Decide bidi \u{202E}gnp.exe"), "JSON reads back as typed");
    // Files written with --out get the same bytes as stdout.
    let out = s.path("launches.md");
    s.ok(&["export", "launches", "--format", "markdown", "--out", out.to_str().unwrap()]);
    assert_clean("export --out", "the file", &std::fs::read(&out).unwrap());
}

#[test]
fn a_config_user_with_control_characters_is_refused_naming_its_line() {
    let s = Sandbox::demo();
    for (kind, p) in PAYLOADS.iter().filter(|(k, _)| ["csi", "osc52", "c1", "cr"].contains(k)) {
        let escaped: String = p.chars().map(|c| format!("\\u{:04X}", c as u32)).collect();
        std::fs::write(s.path("config.toml"), format!("[ui]\nuser = \"{escaped}\"\n")).unwrap();
        let out = s.run(&["brief"]);
        assert_eq!(out.status.code(), Some(2), "{kind}");
        assert_clean(kind, "stderr", &out.stderr);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.lines().count() == 1 && err.contains("2: user"), "{kind}: {err}");
    }
}
