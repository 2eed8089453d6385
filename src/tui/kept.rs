//! What the app keeps from frame to frame so that a key which changes no data reads nothing from
//! the store and regroups no keymap on its way to the frame: the store's currency (read again
//! once the data changes), each tab's key and each view's help (the keymap and the theme are
//! fixed while the app runs).

use std::rc::Rc;

use super::popups::help::Body;
use super::screen::{Screen, ScreenId};
use super::theme::Theme;
use crate::config::Config;
use crate::keymap::{Action, Keymap};

pub struct Kept {
    /// The store's currency, for the top bar; `None` once the data changed.
    pub currency: Option<String>,
    tab_keys: Vec<String>,
    /// Help for each (screen, view) opened so far.
    help: Vec<((ScreenId, &'static str), Rc<Body>)>,
}

impl Kept {
    pub fn new(screens: &[Box<dyn Screen>], config: &Config) -> Kept {
        Kept { currency: None, tab_keys: tab_keys(screens, config), help: Vec::new() }
    }

    /// The key shown on each tab, in the tabs' order.
    pub fn tab_keys(&self) -> &[String] {
        &self.tab_keys
    }

    /// Help for `view` of screen `id`, built the first time it is asked for.
    pub fn help(&mut self, keymap: &Keymap, id: ScreenId, view: &'static str, theme: &Theme) -> Rc<Body> {
        if let Some((_, body)) = self.help.iter().find(|(k, _)| *k == (id, view)) {
            return body.clone();
        }
        let body = Rc::new(Body::new(keymap, id.name(), id.title(), view, theme));
        self.help.push(((id, view), body.clone()));
        body
    }
}

/// The key that jumps to each tab (tabs are numbered by their keys, which a user may remap:
/// Team is 8 whichever tabs are built), else the position.
fn tab_keys(screens: &[Box<dyn Screen>], config: &Config) -> Vec<String> {
    let global = config.keymap.own_bindings("global");
    screens
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Action::parse(&format!("tab-{}", s.id().name()))
                .and_then(|a| global.iter().find(|(b, _)| *b == a))
                .and_then(|(_, keys)| keys.first().cloned())
                .unwrap_or_else(|| (i + 1).to_string())
        })
        .collect()
}
