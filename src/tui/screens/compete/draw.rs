//! Drawing the Compete tab: the competitor table and what the selected one needs, or one
//! battlecard with its sections.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Row, Table, TableState, Wrap};

use super::{Compete, OpenCard};
use crate::domain::text::safe;
use crate::io::export::compete::{age_words, trend_words};
use crate::tui::screen::Ctx;
use crate::tui::widgets::{cell, num, panel};
use crate::views::compete::{CompetitorJson, ListJson, RateJson};

pub fn draw(s: &mut Compete, frame: &mut Frame, area: Rect, cx: &Ctx) {
    match (&s.open, &s.list) {
        (Some(o), _) => draw_card(o, frame, area, cx),
        (None, Some(l)) => {
            let page = draw_list(l, s.sel, frame, area, cx);
            s.page = page;
        }
        (None, None) => {}
    }
}

/// "35.0%", or "—" with no closed deal: the n has its own column.
fn pct(r: &RateJson) -> String {
    r.rate.map_or_else(|| "—".into(), |v| format!("{:.1}%", v * 100.0))
}

/// The table, then the selected competitor's story and the open triggers. Returns the page size.
fn draw_list(l: &ListJson, sel: usize, frame: &mut Frame, area: Rect, cx: &Ctx) -> usize {
    let th = cx.theme;
    let lower_h = if area.height >= 30 { 11 } else { 7 };
    let [top, lower] = Layout::vertical([Constraint::Min(5), Constraint::Length(lower_h)]).areas(area);
    let title = format!(
        "Competitors · win rate {} (trend vs {}) · stale after {} days",
        l.period, l.previous, l.stale_after_days
    );
    // Below 100 columns the segment goes, below 72 the owner too.
    let (show_owner, show_segment) = (area.width >= 72, area.width >= 100);
    let mut header = vec!["Competitor", "Win rate", "n", "Trend", "Card age"];
    let mut widths = vec![
        Constraint::Min(14),
        Constraint::Length(8),
        Constraint::Length(5),
        Constraint::Length(13),
        Constraint::Length(10),
    ];
    if show_owner {
        header.push("Owner");
        widths.push(Constraint::Length(12));
    }
    if show_segment {
        header.push("Segment");
        widths.push(Constraint::Length(14));
    }
    let rows: Vec<Row> = l.competitors.iter().map(|c| row(c, show_owner, show_segment, cx)).collect();
    if rows.is_empty() {
        let msg = "No competitors yet. n adds one: key, name and the PMM who owns its card.";
        frame.render_widget(Paragraph::new(msg).style(th.dim()).block(panel(&title, true, th)), top);
    } else {
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(th.header()))
            .block(panel(&title, true, th))
            .row_highlight_style(th.selected())
            .highlight_symbol("> ")
            .highlight_spacing(ratatui::widgets::HighlightSpacing::Always)
            .column_spacing(1);
        let mut state = TableState::default().with_selected(Some(sel));
        frame.render_stateful_widget(table, top, &mut state);
    }
    let [story, triggers] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(lower);
    draw_story(l, l.competitors.get(sel), frame, story, cx);
    draw_triggers(l, frame, triggers, cx);
    top.height.saturating_sub(3) as usize
}

fn row<'a>(c: &CompetitorJson, owner: bool, segment: bool, cx: &Ctx) -> Row<'a> {
    let th = cx.theme;
    let age = format!("{}{}", age_words(c.age_days), if c.stale { " ⚠" } else { "" });
    let t = &c.win_rate;
    let trend_style = match t.change_points {
        Some(p) if p > 0.0 => th.good(),
        Some(p) if p < 0.0 => th.bad(),
        _ => th.dim(),
    };
    let mut cells = vec![
        cell(&c.name),
        num(pct(&t.this)),
        num(t.this.n.to_string()),
        ratatui::widgets::Cell::from(Span::styled(trend_words(t), trend_style)),
        ratatui::widgets::Cell::from(Span::styled(age, if c.stale { th.warn() } else { th.base() })),
    ];
    if owner {
        cells.push(cell(&c.owner));
    }
    if segment {
        cells.push(cell(c.segment.as_deref().unwrap_or("")));
    }
    Row::new(cells)
}

/// What the selected competitor needs: why its card is stale and who owns it, its rate.
fn draw_story(l: &ListJson, c: Option<&CompetitorJson>, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let th = cx.theme;
    let mut lines = Vec::new();
    if let Some(c) = c {
        lines.push(Line::from(vec![
            Span::styled(safe(&c.name).into_owned(), th.title()),
            Span::styled(format!("  owner {}", safe(&c.owner)), th.dim()),
        ]));
        let t = &c.win_rate;
        lines.push(Line::from(format!("{} {} · {} {}", l.period, t.this.label, l.previous, t.prev.label)));
        if t.this.open > 0 {
            lines.push(Line::from(Span::styled(format!("{} open deals, not in the rate", t.this.open), th.dim())));
        }
        if c.stale {
            for r in &c.stale_reasons {
                lines.push(Line::from(Span::styled(format!("stale: {r}"), th.warn())));
            }
            lines.push(Line::from(Span::styled(
                format!("{} owns the refresh: Enter, then e", safe(&c.owner)),
                th.dim(),
            )));
        } else if let Some(d) = c.refreshed_on {
            lines.push(Line::from(Span::styled(format!("fresh: last refreshed {d}"), th.good())));
        }
    }
    lines.push(Line::from(Span::styled(format!("All deals {}: {}", l.period, l.total.this.label), th.dim())));
    for t in &l.without_card {
        let name = t.name.as_deref().unwrap_or("?");
        lines.push(Line::from(Span::styled(format!("no card yet: {} {}", safe(name), t.this.label), th.accent())));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(panel("Selected", false, th)), area);
}

fn draw_triggers(l: &ListJson, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let th = cx.theme;
    let mut lines = Vec::new();
    for t in &l.open_triggers {
        let id = t.decision_id.map(|d| format!("#{d} ")).unwrap_or_default();
        let title = t.title.trim_start_matches("Positioning review: ");
        lines.push(Line::from(vec![Span::styled(id, th.dim()), Span::raw(safe(title).into_owned())]));
        let on = t.review_on.map(|d| format!(" · review {}", d.format("%d %b"))).unwrap_or_default();
        lines.push(Line::from(Span::styled(format!("   {}{on}", safe(&t.owner)), th.dim())));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("none open", th.dim())));
    }
    let title = format!("Positioning triggers, proposed ({})", l.open_triggers.len());
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(panel(&title, false, th)), area);
}

/// One battlecard: the header, the six sections on the left, the selected one's text.
fn draw_card(o: &OpenCard, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let th = cx.theme;
    let c = &o.card;
    let [head, body] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let refreshed = match (c.refreshed_on, c.age_days) {
        (Some(d), Some(a)) => format!("last refreshed {d} ({a} days ago)"),
        _ => "never refreshed".into(),
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!(" {} ", safe(&c.name)), th.title()),
            Span::styled(format!(" owner {} · {refreshed}", safe(&c.owner)), th.base()),
        ]),
        Line::from(format!(" {} {} · {} {}", c.period, c.win_rate.this.label, "before", c.win_rate.prev.label)),
    ];
    let status = if c.stale {
        let why: Vec<String> = c.stale_reasons.iter().map(ToString::to_string).collect();
        Span::styled(format!(" stale: {}", why.join("; ")), th.warn())
    } else {
        Span::styled(" fresh", th.good())
    };
    lines.push(Line::from(status));
    frame.render_widget(Paragraph::new(lines), head);

    let left_w = if area.width >= 100 { 26 } else { 22 };
    let [left, right] = Layout::horizontal([Constraint::Length(left_w), Constraint::Min(20)]).areas(body);
    let items: Vec<ListItem> = c
        .sections
        .iter()
        .map(|s| {
            let mark = match (&s.text, s.changed) {
                (None, _) => Span::styled("  ", th.dim()),
                (Some(_), true) => Span::styled("● ", th.accent()),
                (Some(_), false) => Span::styled("✓ ", th.good()),
            };
            let style = if s.text.is_some() { th.base() } else { th.dim() };
            ListItem::new(Line::from(vec![mark, Span::styled(s.title, style)]))
        })
        .collect();
    let list =
        List::new(items).block(panel("Sections", true, th)).highlight_style(th.selected()).highlight_symbol("› ");
    let mut state = ListState::default().with_selected(Some(o.sel));
    frame.render_stateful_widget(list, left, &mut state);

    let Some(s) = c.sections.get(o.sel) else { return };
    let mut lines: Vec<Line> = match &s.text {
        None => vec![Line::from(Span::styled("Not written yet: e writes it.", th.dim()))],
        Some(t) => t.lines().map(|l| Line::from(safe(l).into_owned())).collect(),
    };
    if let (Some(by), Some(at)) = (&s.by, s.at) {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(format!("updated {} by {}", at.format("%Y-%m-%d"), safe(by)), th.dim())));
    }
    if let Some(ch) = c.changed_since_previous_refresh.iter().find(|ch| ch.section == s.section)
        && let Some(before) = &ch.before
    {
        lines.push(Line::from(Span::styled("before the last refresh:", th.dim())));
        for l in before.lines().take(4) {
            lines.push(Line::from(Span::styled(format!("  {}", safe(l)), th.dim())));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(panel(s.title, false, th)), right);
}

/// The quarterly positioning review's panel in the meeting view: win rate per competitor with
/// its n and trend, which cards are stale and who owns them, competitors without a card.
pub(in crate::tui::screens) fn review_lines(l: &ListJson, cx: &Ctx) -> Vec<Line<'static>> {
    let th = cx.theme;
    let mut lines = vec![Line::from(Span::styled(
        format!("All deals {}: {} ({})", l.period, l.total.this.label, trend_words(&l.total)),
        th.header(),
    ))];
    for c in &l.competitors {
        let spans = vec![
            Span::raw(format!("{:<16}", crate::domain::text::truncate(&safe(&c.name), 15))),
            Span::raw(format!("{} {}", c.win_rate.this.label, trend_words(&c.win_rate))),
        ];
        lines.push(Line::from(spans));
        if c.stale {
            let why = c.stale_reasons.first().map(ToString::to_string).unwrap_or_default();
            lines.push(Line::from(Span::styled(format!("  ⚠ card stale ({}): {why}", safe(&c.owner)), th.warn())));
        }
    }
    for t in &l.without_card {
        let name = t.name.as_deref().unwrap_or("?");
        lines.push(Line::from(Span::styled(format!("{:<16}{}  no card", safe(name), t.this.label), th.accent())));
    }
    lines
}
