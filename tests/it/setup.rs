//! Setting up: init, demo, render, config.

use super::common::Sandbox;

#[test]
fn init_twice_is_safe_and_says_nothing_changed() {
    let s = Sandbox::new();
    assert!(s.ok(&["init", "--role", "demand-gen"]).contains("metrics"));
    assert!(s.ok(&["init", "--role", "demand-gen"]).contains("nothing changed"));
    let err = s.fails(&["init", "--role", "product-marketing"], 2);
    assert!(err.starts_with("error: ") && err.contains("demand-gen"), "{err}");
}

#[test]
fn demo_is_deterministic_per_seed() {
    let (a, b, c) = (Sandbox::new(), Sandbox::new(), Sandbox::new());
    let ra = a.ok(&["demo", "--days", "60", "--seed", "7"]);
    let rb = b.ok(&["demo", "--days", "60", "--seed", "7"]);
    c.ok(&["demo", "--days", "60", "--seed", "8"]);
    assert_eq!(ra, rb);
    let screen = |s: &Sandbox| s.ok(&["render", "dashboard"]);
    assert_eq!(screen(&a), screen(&b));
    // Refuses to mix into a store that holds data.
    let err = a.fails(&["demo"], 2);
    assert!(err.contains("--force"), "{err}");
}

#[test]
fn render_prints_exactly_the_requested_size() {
    let s = Sandbox::demo();
    for (w, h) in [(120, 40), (80, 24), (20, 6)] {
        let out = s.ok(&["render", "launches", "--width", &w.to_string(), "--height", &h.to_string()]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), h, "{w}x{h}");
        for l in &lines {
            assert_eq!(unicode_width(l), w, "{w}x{h}: {l:?}");
        }
    }
    let tiny = s.ok(&["render", "dashboard", "--width", "20", "--height", "6"]);
    assert!(tiny.contains("too small"), "{tiny}");
}

fn unicode_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

#[test]
fn render_keys_replay_through_the_keymap() {
    let s = Sandbox::demo();
    // Tab moves from the dashboard to launches, exactly as in the cockpit.
    let out = s.ok(&["render", "dashboard", "--keys", "Tab ?"]);
    assert!(out.contains("Keys: Launches"), "{out}");
    let err = s.fails(&["render", "nowhere"], 2);
    assert!(err.contains("not a screen") && err.contains("dashboard"), "{err}");
}

#[test]
fn every_tab_draws_on_a_fresh_demo_store() {
    let s = Sandbox::demo();
    for screen in ["dashboard", "launches", "budget", "today", "decisions"] {
        let out = s.ok(&["render", screen]);
        assert!(out.contains("1 Dashboard") && out.contains("5 Decisions"), "{screen}: {out}");
    }
}

#[test]
fn a_fresh_store_opens_on_onboarding() {
    let s = Sandbox::bare();
    let out = s.ok(&["render", "dashboard"]);
    assert!(out.contains("Welcome to mktg") && out.contains("Demand Generation"), "{out}");
    // Choosing a role then demo data in one key each gives a living cockpit.
    let out = s.ok(&["render", "dashboard", "--keys", "1 y"]);
    assert!(out.contains("1 Dashboard"), "{out}");
    assert!(s.ok(&["check"]).contains("ok"));
}

#[test]
fn a_config_with_a_bad_key_or_action_is_refused_naming_the_line() {
    let s = Sandbox::demo();
    std::fs::write(
        s.path("config.toml"),
        "[ui]\nbell = false\n\n[keys.global]\n\"ctrl-q\" = \"quit\"\n\"x\" = \"explode\"\n",
    )
    .unwrap();
    let err = s.fails(&["render", "dashboard"], 2);
    assert!(err.contains("config.toml:6") && err.contains("explode"), "{err}");
    std::fs::write(s.path("config.toml"), "[ui]\nbell = maybe\n").unwrap();
    let err = s.fails(&["check"], 2);
    assert!(err.contains("config.toml:2"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_bad_now_is_an_input_error() {
    let s = Sandbox::new();
    let out = s.cmd(&["check"]).arg("--now").arg("2026-02-30").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-02-30"));
}

#[test]
fn esc_after_a_jump_goes_back_to_where_the_jump_came_from() {
    let s = Sandbox::demo();
    // The seventh attention line, the first of the group "due", is an overdue decision: Enter
    // jumps to the decision log.
    let there = s.ok(&["render", "dashboard", "--keys", "j j j j j j Enter"]);
    assert!(there.contains("Decisions (") && !there.contains("Attention ·"), "{there}");
    let back = s.ok(&["render", "dashboard", "--keys", "j j j j j j Enter Esc"]);
    assert!(back.contains("Attention ·"), "{back}");
}
