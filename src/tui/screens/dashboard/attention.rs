//! The attention list: ranked lines saying what, how far, and where Enter goes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::brief::Brief;
use crate::domain::attention::Group;
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

/// Cells of the group column: "off track 12 ".
const GUTTER: usize = 13;

/// Which lines fit in `rows`: every non-empty group gets one before any gets a second, then
/// off track and due one more each (what is wrong now, what is late), then the rows go round the
/// groups in order until they or the lines run out, mentor questions last of all. Returns
/// indices into `b.attention`, in list order.
pub fn fold(b: &Brief, rows: usize) -> Vec<usize> {
    let groups: Vec<(Group, Vec<usize>)> = Group::ALL
        .iter()
        .map(|g| (*g, b.attention.iter().enumerate().filter(|(_, a)| a.group == *g).map(|(i, _)| i).collect()))
        .filter(|(_, v): &(Group, Vec<usize>)| !v.is_empty())
        .collect();
    let mut take = vec![0usize; groups.len()];
    let mut left = rows;
    let mut pass = 0;
    // Mentor questions show one line among the first, then wait until the news has its rows.
    let mut questions_wait = true;
    while left > 0 {
        let mut moved = false;
        for ((g, items), n) in groups.iter().zip(take.iter_mut()) {
            let wanted = match pass {
                0 => true,
                1 => matches!(g, Group::OffTrack | Group::Due),
                _ => *g != Group::Questions || !questions_wait,
            };
            if left > 0 && wanted && *n < items.len() {
                *n += 1;
                left -= 1;
                moved = true;
            }
        }
        if !moved && pass > 1 {
            if !questions_wait {
                break;
            }
            questions_wait = false;
        }
        pass += 1;
    }
    groups.iter().zip(take).flat_map(|((_, g), n)| g.iter().take(n).copied()).collect()
}

/// The attention lines as cut for one width, kept from frame to frame: cutting each line to its
/// room word by word was the list's main cost, paid again on every key. Emptied when the brief
/// changes (`Dashboard::show`); a new width cuts the lines again.
#[derive(Default)]
pub struct Cut {
    /// The inner width the lines were cut for.
    width: usize,
    /// The panel's title counts ("3 off track · 2 due"), once per brief.
    counts: Option<Vec<String>>,
    /// Per attention item, once drawn: its text cut to the room and its " → link".
    lines: Vec<Option<(String, String)>>,
    /// Each item's group's size, once per brief.
    group_sizes: Vec<usize>,
}

impl Cut {
    /// `b`'s line `i`: its text cut to `w` cells of room beside the gutter, and where it links.
    fn line(&mut self, b: &Brief, i: usize, w: usize, gutter: usize) -> &(String, String) {
        if self.width != w || self.lines.len() != b.attention.len() {
            self.width = w;
            self.lines = vec![None; b.attention.len()];
        }
        self.lines[i].get_or_insert_with(|| {
            let a = &b.attention[i];
            let link = a.link.label();
            let dest = if link.is_empty() { String::new() } else { format!(" → {link}") };
            let room = w.saturating_sub(gutter + 2 + width(&dest));
            (fit(&clip_words(&safe(&a.line()), room), room), dest)
        })
    }

    fn group_size(&mut self, b: &Brief, i: usize) -> usize {
        if self.group_sizes.len() != b.attention.len() {
            let sizes: Vec<(Group, usize)> =
                Group::ALL.iter().map(|g| (*g, b.attention.iter().filter(|a| a.group == *g).count())).collect();
            let size = |g: Group| sizes.iter().find(|(s, _)| *s == g).map_or(0, |(_, n)| *n);
            self.group_sizes = b.attention.iter().map(|a| size(a.group)).collect();
        }
        self.group_sizes[i]
    }
}

/// The attention panel: the groups in order, each with its count and its top lines (every line
/// with `all`). `selected` indexes the lines on screen; returns them as indices into the brief's
/// list, for Enter and `c`. `cut` keeps the lines' text between frames (for this brief only).
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    b: &Brief,
    selected: Option<usize>,
    all: bool,
    cx: &Ctx,
    cut: &mut Cut,
) -> Vec<usize> {
    let counts = cut.counts.get_or_insert_with(|| {
        crate::domain::attention::counts(&b.attention).iter().map(|(g, n)| format!("{n} {}", g.label())).collect()
    });
    let title = if counts.is_empty() {
        "Attention".to_string()
    } else if all {
        format!("Attention · {} · a: top lines", counts.join(" · "))
    } else {
        format!("Attention · {} · a: all", counts.join(" · "))
    };
    let block = panel(
        &crate::domain::text::truncate(&title, area.width.saturating_sub(4) as usize),
        selected.is_some(),
        cx.theme,
    );
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
        return Vec::new();
    }
    let rows = inner.height as usize;
    let lines: Vec<usize> = if all { (0..b.attention.len()).collect() } else { fold(b, rows) };
    let sel = selected.unwrap_or(0);
    // Keep the selection in view.
    let start = sel.saturating_sub(rows.saturating_sub(1));
    let w = inner.width as usize;
    let gutter = if w >= 60 { GUTTER } else { 0 };
    let mut drawn: Vec<Line> = Vec::with_capacity(rows.min(lines.len()));
    let mut prev_group = None;
    for (pos, &i) in lines.iter().enumerate() {
        let a = &b.attention[i];
        let head = prev_group != Some(a.group);
        prev_group = Some(a.group);
        if pos < start {
            continue;
        }
        if drawn.len() == rows {
            break;
        }
        let n = cut.group_size(b, i);
        let label = if head || pos == start { format!("{} {n}", a.group.label()) } else { String::new() };
        let base = if selected == Some(pos) { cx.theme.selected() } else { cx.theme.base() };
        let mark_style = match a.mark() {
            "?" => cx.theme.warn(),
            "!" => cx.theme.bad(),
            _ => cx.theme.good(),
        };
        let (text, dest) = cut.line(b, i, w, gutter);
        let mut spans = Vec::with_capacity(4);
        if gutter > 0 {
            spans.push(Span::styled(fit(&label, gutter), cx.theme.header()));
        }
        spans.extend([
            Span::styled(format!("{} ", a.mark()), base.patch(mark_style)),
            Span::styled(text.clone(), base),
            Span::styled(dest.clone(), base.patch(cx.theme.dim())),
        ]);
        drawn.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(drawn), inner);
    lines
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
