//! The attention list: ranked lines saying what, how far, and where Enter goes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::brief::Brief;
use crate::domain::text::{fit, safe, width};
use crate::tui::screen::Ctx;
use crate::tui::widgets::panel;

/// Cut `s` to `w` cells at a word boundary, so a number is never shown half
/// ("$1.2" of "$1.25M"); an ellipsis says something was left out.
pub fn clip_words(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    for word in s.split(' ') {
        let next = if out.is_empty() { word.to_string() } else { format!("{out} {word}") };
        if width(&next) + 1 > w {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        // One word wider than the room: nothing sensible to show but its start.
        return crate::domain::text::truncate(s, w).into_owned();
    }
    format!("{}…", out.trim_end_matches([',', ';', ':']))
}

pub fn draw(frame: &mut Frame, area: Rect, b: &Brief, selected: Option<usize>, cx: &Ctx) {
    let title = format!("Attention ({})", b.attention.len());
    let block = panel(&title, selected.is_some(), cx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if b.attention.is_empty() {
        // An empty store is not "on track": tell a newcomer how numbers get in.
        let msg = if b.tiles.iter().all(|t| t.value.is_none()) {
            Span::styled("no KPI data yet: r records a value; `mktg import FILE` loads an export", cx.theme.dim())
        } else {
            Span::styled("nothing off track", cx.theme.good())
        };
        frame.render_widget(Paragraph::new(msg), inner);
        return;
    }
    let rows = inner.height as usize;
    let sel = selected.unwrap_or(0);
    // Keep the selection in view.
    let start = sel.saturating_sub(rows.saturating_sub(1));
    let w = inner.width as usize;
    let lines: Vec<Line> = b
        .attention
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(i, a)| {
            let mark = if a.bad { "! " } else { "+ " };
            let dest = format!(" → {}", a.link.label());
            let room = w.saturating_sub(2 + width(&dest));
            let text = fit(&clip_words(&safe(&a.line()), room), room);
            let base = if selected == Some(i) { cx.theme.selected() } else { cx.theme.base() };
            let mark_style = if a.bad { cx.theme.bad() } else { cx.theme.good() };
            Line::from(vec![
                Span::styled(mark, base.patch(mark_style)),
                Span::styled(text, base),
                Span::styled(dest, base.patch(cx.theme.dim())),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_between_words_never_inside_a_number() {
        let s = "Pipeline created behind pace $1.25M vs $1.52M expected by now (-18%)";
        let c = clip_words(s, 40);
        assert_eq!(c, "Pipeline created behind pace $1.25M vs…");
        assert!(width(&c) <= 40);
        assert_eq!(clip_words("short", 40), "short");
    }
}
