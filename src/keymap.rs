//! Keys map to actions through a keymap: defaults from `assets/keymap.toml`,
//! patched (not replaced) by the user's config. Screens handle actions, not raw keys.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::error::{Error, Result};

/// Declares the actions with their config names and help text.
macro_rules! actions {
    ($($variant:ident = $name:literal : $help:literal),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action { $($variant),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];
            pub fn name(self) -> &'static str { match self { $(Action::$variant => $name),+ } }
            pub fn help(self) -> &'static str { match self { $(Action::$variant => $help),+ } }
            pub fn parse(s: &str) -> Option<Action> {
                match s { $($name => Some(Action::$variant),)+ _ => None }
            }
        }
    };
}

actions! {
    Quit = "quit": "quit mktg",
    Help = "help": "the keys of the view in sight",
    NextTab = "next-tab": "next screen",
    PrevTab = "prev-tab": "previous screen",
    TabDashboard = "tab-dashboard": "go to the dashboard",
    TabLaunches = "tab-launches": "go to launches",
    TabBudget = "tab-budget": "go to the budget",
    TabToday = "tab-today": "go to today's meetings",
    TabDecisions = "tab-decisions": "go to the decision log",
    TabLearn = "tab-learn": "go to Learn: experiments, post-mortems, alerts, notes",
    TabTeam = "tab-team": "go to the team: skills, time, load, workflows",
    TabCompete = "tab-compete": "go to competitors and battlecards",
    LogDecision = "log-decision": "log a decision (linked to the open meeting)",
    Up = "up": "move up",
    Down = "down": "move down",
    Left = "left": "move left / previous field",
    Right = "right": "move right / next field",
    PageUp = "page-up": "page up",
    PageDown = "page-down": "page down",
    Top = "top": "go to the first row",
    Bottom = "bottom": "go to the last row",
    Select = "select": "open / confirm",
    Back = "back": "close / cancel",
    Refresh = "refresh": "reload from the store",
    CyclePeriod = "cycle-period": "switch day / week / month / quarter / last month / last quarter",
    ShowAll = "show-all": "every attention line, not just each group's top ones (again: back)",
    Acknowledge = "acknowledge": "acknowledge the selected campaign over plan",
    Record = "record": "record a KPI value",
    SetTarget = "target": "set the KPI's targets: this and next month and quarter",
    New = "new": "add a new one",
    Edit = "edit": "edit the selected one",
    Delete = "delete": "delete the selected one",
    Undo = "undo": "undo the last delete",
    Tier = "tier": "score and tier the launch",
    Override = "override": "override the tier, with a reason",
    Toggle = "toggle": "tick the item and move to the next / untick it",
    StageNext = "stage-next": "move to the next stage",
    StagePrev = "stage-prev": "move back a stage",
    Sort = "sort": "change the sort order",
    Filter = "filter": "change the filter",
    Spend = "spend": "record spend",
    Move = "move": "move budget / move the meeting",
    PrevPeriod = "prev-period": "previous period / day",
    NextPeriod = "next-period": "next period / day",
    Skip = "skip": "skip the meeting today",
    Settings = "settings": "edit the meeting templates",
    Search = "search": "search",
    Done = "done": "mark done",
    Reverse = "reverse": "reverse the decision",
    Supersede = "supersede": "supersede with a new decision",
    Imports = "imports": "the import log: what came in from which file; undo an import",
    Palette = "palette": "command: import FILE, export WHAT --out FILE, report exec --out FILE, backup FILE",
    Yes = "yes": "yes: go ahead",
    No = "no": "no: cancel, nothing changes",
    UndoImport = "undo-import": "undo the selected import (asks first)",
    Rate = "rate": "rate the person in a competency, with the evidence",
    LogTime = "log-time": "log a week's hours: core, systems, exploration",
    Triage = "triage": "answer the five backlog questions",
    RankUp = "rank-up": "move the workflow up the backlog (rank it first if unranked)",
    RankDown = "rank-down": "move the workflow down the backlog",
    Weekly = "weekly": "the weekly review pack (as mktg report weekly prints it)",
    Note = "note": "add a note (an annotation) for the selected day",
    Launched = "launched": "record a competitor launch (its card goes stale until refreshed)",
    Attribution = "attribution": "attribution: credits by channel against the plan, then every model side by side",
    Model = "model": "the next attribution model",
    AddResult = "result": "record an experiment's counts to date: a variant's visitors and conversions",
    Decide = "decide": "decide the experiment: ship, roll back or iterate (logged as a decision)",
    Postmortem = "postmortem": "write a post-mortem, with a follow-up (owner, due)",
    AddAlert = "alert": "add an alert rule (below target, behind pace, above / below / crosses a value)",
    Pivot = "pivot": "mark the launch as a product pivot: older battlecards go stale; Tier 1 proposes a positioning review",
}

/// Sections of the keymap: `global`, one per screen, then one per popup (`POPUPS`).
pub const SECTIONS: [&str; 12] = [
    "global",
    "dashboard",
    "launches",
    "budget",
    "today",
    "decisions",
    "learn",
    "compete",
    "team",
    "confirm",
    "imports",
    "help",
];

/// The popup sections: a dialog over any screen looks its keys up here, then in `global`
/// (so a user's remapped j/k/Esc reach it too).
pub const POPUPS: [&str; 3] = ["confirm", "imports", "help"];

/// Why `[keys.SECTION]` is refused, if it is: the config names sections the keymap does not have.
pub fn unknown_section(section: &str) -> Option<String> {
    (!SECTIONS.contains(&section))
        .then(|| format!("unknown keymap section [keys.{section}] (one of: {})", SECTIONS.join(", ")))
}

/// One user override from config.toml, with the line it came from for error messages.
#[derive(Debug, Clone)]
pub struct KeyPatch {
    pub section: String,
    pub key: String,
    pub action: String,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeOrd,
    pub mods: u8,
}

/// KeyCode with an order, so bindings list stably in help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(u8),
}

const NAMED: [(&str, KeyCode); 14] = [
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
];

const CTRL: u8 = 1;
const ALT: u8 = 2;

impl Key {
    /// Parse `q`, `G`, `shift-g`, `ctrl-c`, `enter`, `f1`, `alt-x`.
    pub fn parse(s: &str) -> Option<Key> {
        let mut mods = 0u8;
        let mut shift = false;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-").or_else(|| lower.strip_prefix("c-")) {
                mods |= CTRL;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-") {
                mods |= ALT;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("shift-") {
                shift = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        if let (Some(c), None) = (chars.next(), chars.clone().next()) {
            let c = if shift {
                c.to_ascii_uppercase()
            } else if mods & CTRL != 0 {
                c.to_ascii_lowercase()
            } else {
                c
            };
            return Some(Key { code: KeyCodeOrd::Char(c), mods });
        }
        let lower = rest.to_ascii_lowercase();
        if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()).filter(|n| (1..=12).contains(n)) {
            return Some(Key { code: KeyCodeOrd::F(n), mods });
        }
        let i = NAMED.iter().position(|(name, _)| *name == lower)?;
        if lower == "space" {
            return Some(Key { code: KeyCodeOrd::Char(' '), mods });
        }
        if lower == "tab" && shift {
            return Some(Key { code: KeyCodeOrd::Named(3), mods });
        }
        Some(Key { code: KeyCodeOrd::Named(i as u8), mods })
    }

    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let mut mods = 0u8;
        if ev.modifiers.contains(KeyModifiers::CONTROL) {
            mods |= CTRL;
        }
        if ev.modifiers.contains(KeyModifiers::ALT) {
            mods |= ALT;
        }
        let code = match ev.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(if mods & CTRL != 0 { c.to_ascii_lowercase() } else { c }),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            other => KeyCodeOrd::Named(NAMED.iter().position(|(_, k)| *k == other)? as u8),
        };
        Some(Key { code, mods })
    }

    /// The key as a crossterm event (for `render --keys` replay).
    pub fn to_event(self) -> KeyEvent {
        let mut m = KeyModifiers::NONE;
        if self.mods & CTRL != 0 {
            m |= KeyModifiers::CONTROL;
        }
        if self.mods & ALT != 0 {
            m |= KeyModifiers::ALT;
        }
        let code = match self.code {
            KeyCodeOrd::Char(c) => {
                if c.is_ascii_uppercase() {
                    m |= KeyModifiers::SHIFT;
                }
                KeyCode::Char(c)
            }
            KeyCodeOrd::F(n) => KeyCode::F(n),
            KeyCodeOrd::Named(i) => NAMED.get(i as usize).map(|(_, k)| *k).unwrap_or(KeyCode::Null),
        };
        if code == KeyCode::BackTab {
            m |= KeyModifiers::SHIFT;
        }
        KeyEvent::new(code, m)
    }

    /// How help and the footer show it: `q`, `G`, `C-c`, `Enter`, `Space`.
    pub fn label(self) -> String {
        let mut s = String::new();
        if self.mods & CTRL != 0 {
            s.push_str("C-");
        }
        if self.mods & ALT != 0 {
            s.push_str("M-");
        }
        match self.code {
            KeyCodeOrd::Char(' ') => s.push_str("Space"),
            KeyCodeOrd::Char(c) => s.push(c),
            KeyCodeOrd::F(n) => s.push_str(&format!("F{n}")),
            KeyCodeOrd::Named(i) => s.push_str(match NAMED.get(i as usize).map(|(n, _)| *n) {
                Some("enter") => "Enter",
                Some("esc") => "Esc",
                Some("tab") => "Tab",
                Some("backtab") => "S-Tab",
                Some("backspace") => "Bksp",
                Some("up") => "↑",
                Some("down") => "↓",
                Some("left") => "←",
                Some("right") => "→",
                Some("home") => "Home",
                Some("end") => "End",
                Some("pageup") => "PgUp",
                Some("pagedown") => "PgDn",
                _ => "?",
            }),
        }
        s
    }
}

/// Parse a `--keys` script: space-separated, letters and digits as themselves,
/// named keys (Enter Esc Tab BackTab Space Backspace Up Down Left Right Home End
/// PageUp PageDown) and C-x for Ctrl+x. A word of several letters that is not a
/// key name is typed letter by letter, so `--keys "n Launch Enter"` works. A word
/// that starts with `'` types everything up to the `'` that ends a word, spaces
/// included: `--keys "d 'Ship SSO' Tab"` is `d S h i p Space S S O Tab`. A lone `'`
/// (or one followed by a space) is the apostrophe key.
pub fn parse_script(script: &str) -> Result<Vec<KeyEvent>> {
    let mut out = Vec::new();
    let mut rest = script.trim_start();
    while !rest.is_empty() {
        if let Some(body) = rest.strip_prefix('\'')
            && let Some(end) = quoted_end(body)
        {
            out.extend(body[..end].chars().map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
            rest = body[end + 1..].trim_start();
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        word(&rest[..end], &mut out)?;
        rest = rest[end..].trim_start();
    }
    Ok(out)
}

/// Where the quoted run opened before `body` ends: the first `'` that ends a word (followed by
/// a space or the end), so `'it's done'` types "it's done". None when `body` starts with a space
/// or has no such `'`: the opening `'` is then a key (or a word) of its own.
fn quoted_end(body: &str) -> Option<usize> {
    if body.starts_with(char::is_whitespace) {
        return None;
    }
    body.match_indices('\'')
        .map(|(i, _)| i)
        .find(|&i| i > 0 && body[i + 1..].chars().next().is_none_or(char::is_whitespace))
}

/// One space-separated word of a script: a key name, or text typed letter by letter.
fn word(word: &str, out: &mut Vec<KeyEvent>) -> Result<()> {
    if let Some(k) = Key::parse(word) {
        out.push(k.to_event());
        return Ok(());
    }
    // Words are typed letter by letter, but a near-miss of a key name is a typo, not text.
    let lower = word.to_ascii_lowercase();
    let near = NAMED.iter().map(|(n, _)| *n).find(|n| n.len() >= 4 && crate::domain::text::levenshtein(&lower, n) <= 1);
    if let Some(name) = near {
        return Err(Error::input(format!("--keys: '{word}' is not a key; did you mean {name}?")));
    }
    if lower.starts_with("c-") || lower.starts_with("ctrl-") || lower.starts_with("alt-") {
        return Err(Error::input(format!("--keys: '{word}' is not a key (C-x is Ctrl and one letter)")));
    }
    out.extend(word.chars().map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    Ok(())
}

/// section -> key -> action
type Sections = BTreeMap<String, BTreeMap<Key, Action>>;

#[derive(Debug, Clone)]
pub struct Keymap {
    /// Built on first use when no config patches it: only the cockpit reads keys, and parsing
    /// the embedded keymap was a part of every other command's start (`brief`, `report`, ...).
    sections: OnceLock<Sections>,
}

impl Keymap {
    /// The defaults patched by `patches`; an unknown key, action or section names its config line.
    /// Without patches nothing can be refused: the defaults are built when first read.
    pub fn build(patches: &[KeyPatch]) -> Result<Keymap> {
        if patches.is_empty() {
            return Ok(Keymap { sections: OnceLock::new() });
        }
        let mut sections = defaults();
        for p in patches {
            let at = |what: String| Error::input(format!("config line {}: {what}", p.line));
            if let Some(why) = unknown_section(&p.section) {
                return Err(at(why));
            }
            let key = Key::parse(&p.key).ok_or_else(|| at(format!("'{}' is not a key", p.key)))?;
            let map = sections.entry(p.section.clone()).or_default();
            if p.action == "none" {
                map.remove(&key);
                continue;
            }
            let action = Action::parse(&p.action).ok_or_else(|| at(format!("'{}' is not an action", p.action)))?;
            map.insert(key, action);
        }
        Ok(Keymap { sections: OnceLock::from(sections) })
    }

    fn sections(&self) -> &Sections {
        self.sections.get_or_init(defaults)
    }

    /// The action for `ev` on `screen`: the screen's own bindings win over global ones.
    pub fn action(&self, screen: &str, ev: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(ev)?;
        self.sections()
            .get(screen)
            .and_then(|m| m.get(&key))
            .or_else(|| self.sections().get("global").and_then(|m| m.get(&key)))
            .copied()
    }

    /// Every binding that applies on `screen`, grouped by action, for `?` help:
    /// the screen's own actions first, then the global ones; plain keys before chords.
    pub fn bindings(&self, screen: &str) -> Vec<(Action, Vec<String>)> {
        let own = self.sections().get(screen);
        let mut groups: Vec<(Action, Vec<String>)> = Vec::new();
        for section in [screen, "global"] {
            let shadowed =
                |k: &Key| section == "global" && (screen == "global" || own.is_some_and(|o| o.contains_key(k)));
            for (a, ks) in self.grouped(section, shadowed) {
                match groups.iter_mut().find(|(g, _)| *g == a) {
                    Some((_, existing)) => existing.extend(ks),
                    None => groups.push((a, ks)),
                }
            }
        }
        groups
    }

    /// Only the bindings `section` itself sets (not those it falls back to), for a popup's part of help.
    pub fn own_bindings(&self, section: &str) -> Vec<(Action, Vec<String>)> {
        self.grouped(section, |_| false).into_iter().collect()
    }

    /// `section`'s keys by action, minus `skip`; plain keys before chords, `y` before `Y`.
    fn grouped(&self, section: &str, skip: impl Fn(&Key) -> bool) -> BTreeMap<Action, Vec<String>> {
        let mut by_action: BTreeMap<Action, Vec<String>> = BTreeMap::new();
        let Some(m) = self.sections().get(section) else { return by_action };
        let mut keys: Vec<(&Key, &Action)> = m.iter().filter(|(k, _)| !skip(k)).collect();
        keys.sort_by_key(|(k, _)| match k.code {
            KeyCodeOrd::Char(c) => (k.mods, KeyCodeOrd::Char(c.to_ascii_lowercase()), c.is_ascii_uppercase()),
            code => (k.mods, code, false),
        });
        for (k, a) in keys {
            by_action.entry(*a).or_default().push(k.label());
        }
        by_action
    }

    /// The first key bound to `action` on `screen`, for footers: the first of its keys in
    /// [`Keymap::bindings`]' order, found without grouping every binding (a footer asks for a
    /// dozen actions on every frame).
    pub fn key_for(&self, screen: &str, action: Action) -> Option<String> {
        let own = self.sections().get(screen);
        let first = |section: &str, skip: &dyn Fn(&Key) -> bool| {
            self.sections().get(section)?.iter().filter(|(k, a)| **a == action && !skip(k)).map(|(k, _)| k).min_by_key(
                |k| match k.code {
                    KeyCodeOrd::Char(c) => (k.mods, KeyCodeOrd::Char(c.to_ascii_lowercase()), c.is_ascii_uppercase()),
                    code => (k.mods, code, false),
                },
            )
        };
        // As `bindings`: global keys a screen rebinds are its own (and "global" lists none).
        let shadowed = |section: &str, k: &Key| {
            section == "global" && (screen == "global" || own.is_some_and(|o| o.contains_key(k)))
        };
        first(screen, &|k| shadowed(screen, k))
            .or_else(|| first("global", &|k| shadowed("global", k)))
            .map(|k| k.label())
    }
}

/// The embedded keymap (`assets/keymap.toml`), unpatched.
fn defaults() -> Sections {
    let defaults: BTreeMap<String, BTreeMap<String, String>> =
        toml::from_str(crate::assets::KEYMAP).expect("embedded keymap parses");
    let mut sections = Sections::new();
    for (section, binds) in defaults {
        let map = sections.entry(section).or_default();
        for (k, a) in binds {
            let (Some(key), Some(action)) = (Key::parse(&k), Action::parse(&a)) else {
                panic!("embedded keymap has a bad binding {k} = {a}");
            };
            map.insert(key, action);
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn the_footer_key_of_an_action_is_the_first_of_its_help_keys() {
        let patch = KeyPatch { section: "dashboard".into(), key: "ctrl-q".into(), action: "quit".into(), line: 3 };
        let unbind = KeyPatch { section: "global".into(), key: "?".into(), action: "none".into(), line: 4 };
        for km in [Keymap::build(&[]).unwrap(), Keymap::build(&[patch, unbind]).unwrap()] {
            let mut screens: Vec<&str> = km.sections().keys().map(String::as_str).collect();
            screens.push("nowhere");
            for screen in screens {
                for &a in Action::ALL {
                    let slow =
                        km.bindings(screen).into_iter().find(|(b, _)| *b == a).and_then(|(_, k)| k.into_iter().next());
                    assert_eq!(km.key_for(screen, a), slow, "[{screen}] {}", a.name());
                }
            }
        }
    }

    #[test]
    fn screen_bindings_win_over_global_ones() {
        let km = Keymap::build(&[]).unwrap();
        assert_eq!(km.action("launches", &ev('t')), Some(Action::Tier));
        assert_eq!(km.action("launches", &ev('q')), Some(Action::Quit));
        assert_eq!(km.action("dashboard", &ev('j')), Some(Action::Down));
    }

    #[test]
    fn a_user_patch_changes_one_binding_and_keeps_the_rest() {
        let patch = KeyPatch { section: "global".into(), key: "ctrl-q".into(), action: "quit".into(), line: 3 };
        let unbind = KeyPatch { section: "global".into(), key: "q".into(), action: "none".into(), line: 4 };
        let km = Keymap::build(&[patch, unbind]).unwrap();
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(km.action("today", &ctrl_q), Some(Action::Quit));
        assert_eq!(km.action("today", &ev('q')), None);
        assert_eq!(km.action("today", &ev('?')), Some(Action::Help));
    }

    #[test]
    fn popups_have_their_own_sections_and_fall_back_to_global() {
        let km = Keymap::build(&[]).unwrap();
        assert_eq!(km.action("confirm", &ev('y')), Some(Action::Yes));
        assert_eq!(km.action("confirm", &ev('N')), Some(Action::No));
        assert_eq!(km.action("imports", &ev('j')), Some(Action::Down));
        assert_eq!(km.action("help", &ev('k')), Some(Action::Up));
        assert_eq!(km.key_for("confirm", Action::Yes).as_deref(), Some("y"), "lowercase before uppercase");
        let remap = KeyPatch { section: "confirm".into(), key: "o".into(), action: "yes".into(), line: 2 };
        let km = Keymap::build(&[remap]).unwrap();
        assert_eq!(km.action("confirm", &ev('o')), Some(Action::Yes));
        assert_eq!(km.action("confirm", &ev('y')), Some(Action::Yes), "a patch adds, it does not replace");
        let own: Vec<Action> = km.own_bindings("imports").into_iter().map(|(a, _)| a).collect();
        assert_eq!(own, vec![Action::UndoImport], "own bindings leave out the global fallbacks");
    }

    #[test]
    fn bad_patches_name_their_line() {
        let bad_action = KeyPatch { section: "global".into(), key: "x".into(), action: "explode".into(), line: 7 };
        let e = Keymap::build(&[bad_action]).unwrap_err().to_string();
        assert!(e.contains("line 7") && e.contains("explode"), "{e}");
        let bad_key = KeyPatch { section: "global".into(), key: "hyper-x".into(), action: "quit".into(), line: 9 };
        assert!(Keymap::build(&[bad_key]).unwrap_err().to_string().contains("line 9"));
    }

    #[test]
    fn key_scripts_replay_named_keys_and_ctrl() {
        let keys = parse_script("2 t 5 4 4 Enter C-c Space").unwrap();
        assert_eq!(keys.len(), 8);
        assert_eq!(keys[5].code, KeyCode::Enter);
        assert_eq!(keys[6].modifiers, KeyModifiers::CONTROL);
        assert_eq!(keys[7].code, KeyCode::Char(' '));
        assert!(parse_script("Entr").unwrap_err().to_string().contains("did you mean enter"));
        assert!(parse_script("C-").is_err());
        assert_eq!(parse_script("Sam").unwrap().len(), 3, "a word is typed");
        // A quoted run types its characters, spaces and inner apostrophes included.
        let typed = |script: &str| -> String {
            parse_script(script)
                .unwrap()
                .iter()
                .map(|k| match k.code {
                    KeyCode::Char(c) => c.to_string(),
                    other => format!("<{other:?}>"),
                })
                .collect()
        };
        assert_eq!(typed("d 'Ship SSO' Tab"), "dShip SSO<Tab>");
        assert_eq!(typed("'it's  done' Enter"), "it's  done<Enter>");
        assert_eq!(typed("': import Space x.csv Enter'"), ": import Space x.csv Enter", "no key names inside");
        // A lone quote, or one before a space, is the apostrophe key; an unclosed run is a word.
        assert_eq!(typed("' Enter"), "'<Enter>");
        assert_eq!(typed("' x '"), "'x'");
        assert_eq!(typed("'abc"), "'abc");
    }
}
