//! `?`: every binding of the current screen, generated from the keymap.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::error::Result;
use crate::keymap::Keymap;
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::widgets::{centered, modal};

pub struct Help {
    title: String,
    rows: Vec<(String, String)>,
    scroll: u16,
}

impl Help {
    pub fn new(keymap: &Keymap, screen: &str, title: &str) -> Help {
        let rows = keymap
            .bindings(screen)
            .into_iter()
            .map(|(action, keys)| (keys.join(" "), action.help().to_string()))
            .collect();
        Help { title: format!("Keys: {title}"), rows, scroll: 0 }
    }
}

impl Popup for Help {
    fn handle(&mut self, key: KeyEvent, _cx: &Ctx) -> Result<PopupOutcome> {
        use crossterm::event::KeyCode::*;
        match key.code {
            Down | Char('j') => self.scroll = self.scroll.saturating_add(1).min(self.rows.len() as u16),
            Up | Char('k') => self.scroll = self.scroll.saturating_sub(1),
            _ => return Ok(PopupOutcome::Close(Effect::None)),
        }
        Ok(PopupOutcome::Continue)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let key_w = self.rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(4).min(24);
        let w = (key_w + 48) as u16;
        let h = (self.rows.len() + 3) as u16;
        let inner = modal(frame, centered(area, w, h), &self.title, cx.theme);
        let lines: Vec<Line> = self
            .rows
            .iter()
            .map(|(k, h)| {
                Line::from(vec![Span::styled(format!("{k:>key_w$}  "), cx.theme.key()), Span::raw(h.clone())])
            })
            .collect();
        // A short terminal cannot show every binding: say there is more, and how to see it.
        let hidden = (lines.len() as u16 + 1).saturating_sub(inner.height + self.scroll);
        let footer = if hidden > 0 {
            format!("↓ {hidden} more: j/k scroll, any other key closes")
        } else {
            "any other key closes".to_string()
        };
        let [body, foot] = ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Min(1),
            ratatui::layout::Constraint::Length(1),
        ])
        .areas(inner);
        frame.render_widget(Paragraph::new(lines).scroll((self.scroll, 0)), body);
        frame.render_widget(Paragraph::new(Span::styled(footer, cx.theme.dim())), foot);
    }
}
