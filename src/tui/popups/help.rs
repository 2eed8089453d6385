//! `?`: every binding of the current screen, then the popups' own keys, generated from the keymap.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::error::Result;
use crate::keymap::{Action, Keymap, POPUPS};
use std::rc::Rc;

use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::theme::Theme;
use crate::tui::widgets::{centered, modal};

pub struct Help {
    body: Rc<Body>,
    scroll: u16,
}

/// What `?` shows for one view, ready to draw: built from the keymap once per view and kept by
/// the app (the keymap and the theme do not change while the cockpit runs), so opening help
/// does not group every binding again and drawing it formats nothing.
pub struct Body {
    title: String,
    /// (keys, what they do); a row with no keys is a heading.
    rows: Vec<(String, String)>,
    /// The rows as drawn: keys right-aligned in `key_w` cells, headings styled.
    lines: Vec<Line<'static>>,
    key_w: usize,
}

/// How help names each popup section.
fn popup_title(section: &str) -> &'static str {
    match section {
        "confirm" => "In a yes/no question",
        "imports" => "In the import log",
        _ => "",
    }
}

impl Help {
    /// Help showing `body` from its top.
    pub fn new(body: Rc<Body>) -> Help {
        Help { body, scroll: 0 }
    }
}

impl Body {
    /// The keys of `view` on `screen` (`tui::views`): the view's own actions first, as the keymap
    /// binds them, then the keys that work everywhere, then the popups'.
    pub fn new(keymap: &Keymap, screen: &str, title: &str, view: &str, theme: &Theme) -> Body {
        let row = |(action, keys): (Action, Vec<String>)| (keys.join(" "), action.help().to_string());
        let bound = keymap.bindings(screen);
        let mut rows: Vec<(String, String)> = Vec::new();
        let listed: Vec<Action> = match crate::tui::views::find(screen, view) {
            Some(v) => v.actions.to_vec(),
            None => bound.iter().map(|(a, _)| *a).collect(),
        };
        for a in &listed {
            if let Some(b) = bound.iter().find(|(b, _)| b == a) {
                rows.push(row(b.clone()));
            }
        }
        // What works on every screen, minus what the view lists already and the screen keys that shadow it.
        let global = keymap.own_bindings("global");
        let everywhere: Vec<(Action, Vec<String>)> = bound
            .iter()
            .filter(|(a, _)| !listed.contains(a))
            .filter(|(a, _)| global.iter().any(|(g, _)| g == a))
            .cloned()
            .collect();
        if !everywhere.is_empty() {
            rows.push((String::new(), "Everywhere".to_string()));
            rows.extend(everywhere.into_iter().map(row));
        }
        // Popups take their keys from their own sections: list them, as remapped, after the screen's.
        for section in POPUPS {
            let own = keymap.own_bindings(section);
            if own.is_empty() || popup_title(section).is_empty() {
                continue;
            }
            rows.push((String::new(), popup_title(section).to_string()));
            rows.extend(own.into_iter().map(row));
        }
        let title = if view.is_empty() { format!("Keys: {title}") } else { format!("Keys: {title} › {view}") };
        let key_w = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(4).min(24);
        let lines = rows
            .iter()
            .map(|(k, h)| {
                if k.is_empty() {
                    Line::from(Span::styled(h.clone(), theme.header()))
                } else {
                    Line::from(vec![Span::styled(format!("{k:>key_w$}  "), theme.key()), Span::raw(h.clone())])
                }
            })
            .collect();
        Body { title, rows, lines, key_w }
    }
}

impl Popup for Help {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        let last = self.body.rows.len() as u16;
        match cx.config.keymap.action("help", &key) {
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1).min(last),
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::PageDown) => self.scroll = self.scroll.saturating_add(10).min(last),
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(10),
            _ => return Ok(PopupOutcome::Close(Effect::None)),
        }
        Ok(PopupOutcome::Continue)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let body = &*self.body;
        let w = (body.key_w + 48) as u16;
        let h = (body.rows.len() + 3) as u16;
        let inner = modal(frame, centered(area, w, h), &body.title, cx.theme);
        // A short terminal cannot show every binding: say there is more, and how to see it.
        let hidden = (body.lines.len() as u16 + 1).saturating_sub(inner.height + self.scroll);
        let km = &cx.config.keymap;
        let key = |a: Action| km.key_for("help", a).unwrap_or_default();
        let footer = if hidden > 0 {
            format!("↓ {hidden} more: {}/{} scroll, any other key closes", key(Action::Down), key(Action::Up))
        } else {
            "any other key closes".to_string()
        };
        let [rows, foot] = ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Min(1),
            ratatui::layout::Constraint::Length(1),
        ])
        .areas(inner);
        // Only the rows that fit are handed to the paragraph (it would lay out every one).
        let from = usize::from(self.scroll).min(body.lines.len());
        let to = (from + usize::from(rows.height)).min(body.lines.len());
        frame.render_widget(Paragraph::new(body.lines[from..to].to_vec()), rows);
        frame.render_widget(Paragraph::new(Span::styled(footer, cx.theme.dim())), foot);
    }
}
