//! The Decisions tab: the decision log (placeholder until its issue lands).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use crate::error::Result;
use crate::tui::screen::{Ctx, Effect, Input, Screen, ScreenId};
use crate::tui::widgets::panel;

#[derive(Default)]
pub struct Decisions {}

impl Screen for Decisions {
    fn id(&self) -> ScreenId {
        ScreenId::Decisions
    }

    fn reload(&mut self, _cx: &Ctx) -> Result<()> {
        Ok(())
    }

    fn handle(&mut self, _input: Input, _cx: &Ctx) -> Result<Effect> {
        Ok(Effect::Unhandled)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let block = panel("Decisions", true, cx.theme);
        frame.render_widget(Paragraph::new("the decision log: coming in this release").block(block), area);
    }
}
