//! Reusable pieces every screen draws with: safe text, centred modals, forms.

pub mod form;
pub mod form_popup;
pub mod owner;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Cell, Clear};

use super::theme::Theme;
use crate::domain::text::safe;

/// A span of user or imported text, made safe to show.
pub fn text<'a>(s: &str) -> Span<'a> {
    Span::raw(safe(s).into_owned())
}

/// A table cell of user or imported text, made safe to show.
pub fn cell<'a>(s: &str) -> Cell<'a> {
    Cell::from(safe(s).into_owned())
}

/// A right-aligned numeric cell.
pub fn num<'a>(s: impl Into<String>) -> Cell<'a> {
    Cell::from(Line::from(s.into()).right_aligned())
}

/// A right-aligned number in a column `width` cells wide. A number too wide is never cut from
/// the left (a right-aligned cut drops the sign: -740305 read as 40305): it shows as `…`, or
/// `-…` when negative, so it is seen not to fit.
pub fn num_in<'a>(s: String, width: u16) -> Cell<'a> {
    if crate::domain::text::width(&s) <= usize::from(width) {
        return num(s);
    }
    num(if s.starts_with('-') { "-…" } else { "…" })
}

/// A `w` x `h` rectangle centred in `area`, clamped to fit.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(h.min(area.height))]).flex(Flex::Center).areas(area);
    let [r] = Layout::horizontal([Constraint::Length(w.min(area.width))]).flex(Flex::Center).areas(v);
    r
}

/// Clear a modal's area and draw its frame; returns the inner area.
pub fn modal(frame: &mut Frame, area: Rect, title: &str, theme: &Theme) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.focused_border())
        .title(Span::styled(format!(" {} ", safe(title)), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// A titled panel border; `focused` panels are highlighted.
pub fn panel<'a>(title: &str, focused: bool, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(if focused { theme.focused_border() } else { theme.border() })
        .title(Span::styled(format!(" {title} "), theme.title()))
}

/// Keep a selection inside `0..len` after the list changed.
pub fn clamp_selection(sel: usize, len: usize) -> usize {
    if len == 0 { 0 } else { sel.min(len - 1) }
}
