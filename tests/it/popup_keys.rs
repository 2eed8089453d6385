//! Popups take their keys from the keymap: a user's `[keys.confirm]`, `[keys.imports]` and
//! `[keys.global]` remappings reach the dialogs, `?` lists them, and the defaults still work.

use std::path::Path;

use crate::common::Sandbox;

fn render(s: &Sandbox, screen: &str, keys: &str) -> String {
    s.ok(&["render", screen, "--width", "120", "--height", "40", "--keys", keys])
}

fn configure(s: &Sandbox, toml: &str) {
    std::fs::write(s.path("config.toml"), toml).expect("write config");
}

#[test]
fn a_remapped_yes_key_confirms_and_the_unbound_one_does_nothing() {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    s.ok(&["kpi", "record", "leads", "40", "--date", "2026-11-19", "--channel", "email"]);
    configure(&s, "[keys.confirm]\n\"o\" = \"yes\"\n\"y\" = \"none\"\n");
    // Tile 1 is Leads: l h Enter opens its drill-down, x asks to delete the entry.
    let asked = render(&s, "dashboard", "l h Enter x y");
    assert!(asked.contains("Delete a KPI value") && asked.contains("o yes"), "{asked}");
    assert!(s.ok(&["kpi", "list"]).contains("40"), "y is unbound in [keys.confirm]: nothing deleted");
    let kept = render(&s, "dashboard", "l h Enter x n");
    assert!(kept.contains("nothing changed"), "n keeps its default: {kept}");
    let deleted = render(&s, "dashboard", "l h Enter x o");
    assert!(deleted.contains("deleted #1 leads 40"), "{deleted}");
    assert!(s.ok(&["kpi", "list"]).contains("no observations"));
}

#[test]
fn the_import_log_follows_remapped_keys_and_help_lists_them() {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    for f in ["ga4_daily.csv", "linkedin_campaigns.csv"] {
        s.ok(&["import", dir.join(f).to_str().expect("path")]);
    }
    configure(
        &s,
        "[keys.global]\n\"ctrl-n\" = \"down\"\n\n[keys.imports]\n\"z\" = \"undo-import\"\n\"u\" = \"none\"\n\n[keys.confirm]\n\"o\" = \"yes\"\n",
    );
    let log = render(&s, "dashboard", "I");
    assert!(log.contains("z undo"), "the footer shows the remapped key: {log}");
    // u is unbound here; Ctrl-N (a global remap) moves to the older import; z asks; o says yes.
    let idle = render(&s, "dashboard", "I u");
    assert!(!idle.contains("Undo import"), "{idle}");
    let asked = render(&s, "dashboard", "I C-n z");
    assert!(asked.contains("Undo import #1 (ga4_daily.csv)?") && asked.contains("o yes"), "{asked}");
    let undone = render(&s, "dashboard", "I C-n z o");
    assert!(undone.contains("undid import #1 (ga4_daily.csv)"), "{undone}");
    // ? lists the popups' own keys, as remapped (a taller terminal: the dashboard's own keys,
    // with `a` and `c` of the morning read, fill the first 40 rows).
    let help = s.ok(&["render", "dashboard", "--width", "120", "--height", "50", "--keys", "?"]);
    assert!(help.contains("In the import log") && help.contains("In a yes/no question"), "{help}");
    let row = help.lines().find(|l| l.contains("undo the selected import")).expect("undo-import row");
    assert!(row.contains('z') && !row.contains(" u "), "{row}");
}

#[test]
fn the_default_popup_keys_still_work() {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    s.ok(&["kpi", "record", "leads", "40", "--date", "2026-11-19", "--channel", "email"]);
    let asked = render(&s, "dashboard", "l h Enter x");
    assert!(asked.contains("y yes   n no"), "{asked}");
    let deleted = render(&s, "dashboard", "l h Enter x Enter");
    assert!(deleted.contains("deleted #1 leads 40"), "{deleted}");
}

#[test]
fn onboarding_answers_with_the_confirm_keys() {
    let s = Sandbox::bare();
    configure(&s, "[keys.confirm]\n\"o\" = \"yes\"\n");
    let asked = render(&s, "dashboard", "1");
    assert!(asked.contains("o load demo data"), "{asked}");
    let out = render(&s, "dashboard", "1 o");
    assert!(out.contains("1 Dashboard"), "{out}");
}
