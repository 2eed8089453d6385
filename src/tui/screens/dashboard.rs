//! The Dashboard tab: the morning dashboard (placeholder until its issue lands).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use crate::error::Result;
use crate::tui::screen::{Ctx, Effect, Input, Screen, ScreenId};
use crate::tui::widgets::panel;

#[derive(Default)]
pub struct Dashboard {}

impl Screen for Dashboard {
    fn id(&self) -> ScreenId {
        ScreenId::Dashboard
    }

    fn reload(&mut self, _cx: &Ctx) -> Result<()> {
        Ok(())
    }

    fn handle(&mut self, _input: Input, _cx: &Ctx) -> Result<Effect> {
        Ok(Effect::Unhandled)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let block = panel("Dashboard", true, cx.theme);
        frame.render_widget(Paragraph::new("the morning dashboard: coming in this release").block(block), area);
    }
}
