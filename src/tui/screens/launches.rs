//! The Launches tab: launch tiering and readiness (placeholder until its issue lands).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use crate::error::Result;
use crate::tui::screen::{Ctx, Effect, Input, Screen, ScreenId};
use crate::tui::widgets::panel;

#[derive(Default)]
pub struct Launches {}

impl Screen for Launches {
    fn id(&self) -> ScreenId {
        ScreenId::Launches
    }

    fn reload(&mut self, _cx: &Ctx) -> Result<()> {
        Ok(())
    }

    fn handle(&mut self, _input: Input, _cx: &Ctx) -> Result<Effect> {
        Ok(Effect::Unhandled)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let block = panel("Launches", true, cx.theme);
        frame.render_widget(Paragraph::new("launch tiering and readiness: coming in this release").block(block), area);
    }
}
