//! The views the cockpit shows (each screen, and the sub-views it opens) and the actions each
//! answers: `?` lists exactly these, with the keys the keymap gives them, for the view in sight.
//! A test holds the table to the keymap: every binding is listed in a view of its screen, every
//! listed action has a key, and no key means two things in one view.

use crate::keymap::Action::{self, *};

pub struct View {
    /// The keymap section (the screen's name).
    pub section: &'static str,
    /// The sub-view's name; `""` for the screen itself.
    pub name: &'static str,
    /// The actions the view answers, in the order `?` lists them.
    pub actions: &'static [Action],
}

pub const VIEWS: &[View] = &[
    View {
        section: "dashboard",
        name: "",
        actions: &[Left, Right, Up, Down, Select, CyclePeriod, ShowAll, Acknowledge, Record, SetTarget],
    },
    View {
        section: "dashboard",
        name: "drill-down",
        actions: &[Up, Down, Record, SetTarget, Edit, Delete, Note, CyclePeriod, Back],
    },
    View {
        section: "launches",
        name: "",
        actions: &[Up, Down, Select, Tier, Override, StageNext, StagePrev, Pivot, New, Edit, Sort, Filter],
    },
    View {
        section: "launches",
        name: "checklist",
        actions: &[Up, Down, Toggle, Edit, Tier, Override, StageNext, StagePrev, Back],
    },
    View {
        section: "budget",
        name: "",
        actions: &[
            Up,
            Down,
            Select,
            New,
            Edit,
            Spend,
            Move,
            Delete,
            Undo,
            Sort,
            Filter,
            Attribution,
            PrevPeriod,
            NextPeriod,
        ],
    },
    View { section: "budget", name: "campaign", actions: &[Up, Down, Spend, Edit, Delete, Undo, Move, Back] },
    View { section: "budget", name: "attribution", actions: &[Attribution, Model, PrevPeriod, NextPeriod, Back] },
    View {
        section: "today",
        name: "",
        actions: &[Up, Down, Select, Skip, Move, New, PrevPeriod, NextPeriod, Settings],
    },
    View { section: "today", name: "meeting", actions: &[Up, Down, Toggle, Edit, PageUp, PageDown, Back] },
    View { section: "today", name: "meeting templates", actions: &[Up, Down, Edit, Back] },
    View {
        section: "decisions",
        name: "",
        actions: &[Up, Down, Select, Search, Filter, Done, Edit, Delete, Reverse, Supersede, New],
    },
    View {
        section: "learn",
        name: "",
        actions: &[Up, Down, Select, Weekly, New, AddResult, Decide, Postmortem, Done, AddAlert, Note],
    },
    View { section: "learn", name: "readout", actions: &[Up, Down, PageUp, PageDown, Back] },
    View { section: "compete", name: "", actions: &[Up, Down, Select, Edit, New, Launched] },
    View { section: "compete", name: "card", actions: &[Up, Down, Edit, Launched, Back] },
    View { section: "team", name: "", actions: &[Left, Right, Up, Down, Select, Rate, LogTime, New] },
    View {
        section: "team",
        name: "workflows",
        actions: &[Left, Right, Up, Down, Select, Triage, RankUp, RankDown, Edit, New],
    },
];

/// The view `name` of the screen `section` (its main view when there is no such sub-view).
pub fn find(section: &str, name: &str) -> Option<&'static View> {
    VIEWS
        .iter()
        .find(|v| v.section == section && v.name == name)
        .or_else(|| VIEWS.iter().find(|v| v.section == section && v.name.is_empty()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::keymap::{Key, Keymap};

    /// Keys that mean one thing on every screen that binds them (docs/cockpit.md, "One meaning per key").
    pub const SAME_EVERYWHERE: &[(&str, Action)] = &[
        ("x", Delete),
        ("e", Edit),
        ("enter", Select),
        ("esc", Back),
        ("u", Undo),
        ("f", Filter),
        ("[", PrevPeriod),
        ("]", NextPeriod),
    ];

    fn keymap() -> Keymap {
        Keymap::build(&[]).expect("the shipped keymap")
    }

    #[test]
    fn every_binding_of_a_screen_is_listed_in_one_of_its_views() {
        let km = keymap();
        for v in VIEWS {
            for (action, keys) in km.own_bindings(v.section) {
                let listed = VIEWS.iter().any(|w| w.section == v.section && w.actions.contains(&action));
                assert!(listed, "[{}] {} = {} is in no view's ? list", v.section, keys.join(" "), action.name());
            }
        }
    }

    #[test]
    fn every_listed_action_has_a_key_and_no_key_means_two_things_in_a_view() {
        let km = keymap();
        for v in VIEWS {
            let bound = km.bindings(v.section);
            let mut meaning: BTreeMap<String, Action> = BTreeMap::new();
            for a in v.actions {
                let keys = bound.iter().find(|(b, _)| b == a).map(|(_, k)| k.clone()).unwrap_or_default();
                assert!(!keys.is_empty(), "{}/{}: {} has no key", v.section, v.name, a.name());
                for k in keys {
                    if let Some(other) = meaning.insert(k.clone(), *a) {
                        panic!("{}/{}: {k} means both {} and {}", v.section, v.name, other.name(), a.name());
                    }
                    // Labels like ← are drawn, not parsed; the letters and names read back to their action.
                    if let Some(key) = Key::parse(&k).filter(|_| k.is_ascii()) {
                        let got = km.action(v.section, &key.to_event());
                        assert_eq!(got, Some(*a), "{}/{}: {k} is listed as {}", v.section, v.name, a.name());
                    }
                }
            }
        }
    }

    #[test]
    fn the_shared_keys_mean_the_same_on_every_screen() {
        let km = keymap();
        for (key, action) in SAME_EVERYWHERE {
            let ev = Key::parse(key).expect("key").to_event();
            for v in VIEWS.iter().filter(|v| v.name.is_empty()) {
                match km.action(v.section, &ev) {
                    None => {}
                    Some(a) => assert_eq!(
                        a,
                        *action,
                        "[{}] {key} is {} (everywhere else {})",
                        v.section,
                        a.name(),
                        action.name()
                    ),
                }
            }
        }
    }
}
