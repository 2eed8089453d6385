//! "Are you sure?": the `[confirm]` keys (y / Enter by default) confirm, n / Esc cancel.
//! The confirmed effect is built by the caller.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::error::Result;
use crate::keymap::{Action, Keymap};
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::widgets::{centered, modal};

type OnConfirm = Box<dyn FnOnce(&Ctx) -> Result<Effect>>;

pub struct Confirm {
    title: String,
    question: String,
    on_yes: Option<OnConfirm>,
}

impl Confirm {
    pub fn new(title: &str, question: &str, on_yes: impl FnOnce(&Ctx) -> Result<Effect> + 'static) -> Confirm {
        Confirm { title: title.into(), question: question.into(), on_yes: Some(Box::new(on_yes)) }
    }
}

impl Popup for Confirm {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        match cx.config.keymap.action("confirm", &key) {
            Some(Action::Yes) => {
                let effect = match self.on_yes.take() {
                    Some(f) => f(cx)?,
                    None => Effect::None,
                };
                Ok(PopupOutcome::Close(effect))
            }
            Some(Action::No) => Ok(PopupOutcome::Close(Effect::Status("cancelled; nothing changed".into()))),
            _ => Ok(PopupOutcome::Continue),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let w = (self.question.chars().count() as u16 + 4).clamp(30, 70);
        let inner = modal(frame, centered(area, w, 6), &self.title, cx.theme);
        let lines = vec![
            Line::from(crate::tui::widgets::text(&self.question)),
            Line::default(),
            Line::from(answer_keys(&cx.config.keymap, cx.theme)),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }
}

/// `y yes   n no`, with the keys the user's keymap gives yes and no.
pub fn answer_keys(keymap: &Keymap, theme: &crate::tui::theme::Theme) -> Vec<Span<'static>> {
    let key = |a: Action| keymap.key_for("confirm", a).unwrap_or_else(|| "?".into());
    vec![
        Span::styled(key(Action::Yes), theme.key()),
        Span::raw(" yes   "),
        Span::styled(key(Action::No), theme.key()),
        Span::raw(" no"),
    ]
}
