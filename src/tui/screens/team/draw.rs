//! Drawing the Team tab. Tall terminals show everything; short ones show the pane in focus
//! (h/l switch). Every number and every flag comes from the views, as the commands print them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use super::{Pane, Team};
use crate::domain::allocation::{Allocation, Split, TimeBucket};
use crate::domain::team::{Mark, Person};
use crate::domain::text::{fit, safe, truncate};
use crate::io::export::mentor::{autonomy_line, open_items};
use crate::io::export::workflows::facts_line;
use crate::tui::screen::Ctx;
use crate::tui::widgets::{cell, num, panel};

/// Below this height the tab shows one pane at a time.
const FULL_HEIGHT: u16 = 32;

pub fn draw(s: &mut Team, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let th = cx.theme;
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
    let autonomy = s.load.as_ref().map(|l| autonomy_line(&l.autonomy)).unwrap_or_default();
    let pane = match s.pane {
        Pane::People => "people",
        Pane::Workflows => "workflows",
    };
    let line = Line::from(vec![
        Span::styled(" Team ", th.title()),
        Span::styled(format!("· autonomy {}", safe(&autonomy)), th.accent()),
        Span::styled(format!("   h/l: {pane}"), th.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), head);

    if body.height >= FULL_HEIGHT && body.width >= 100 {
        let people_h = (s.people().len() as u16 + 4).max(6);
        let load_h = s.load.as_ref().map_or(4, |l| l.load.owners.len() as u16 + 4).clamp(5, 12);
        let [top, load, bottom] =
            Layout::vertical([Constraint::Length(people_h), Constraint::Length(load_h), Constraint::Min(11)])
                .areas(body);
        let [matrix, time] = Layout::horizontal([Constraint::Min(60), Constraint::Length(46)]).areas(top);
        draw_matrix(s, frame, matrix, cx);
        draw_time(s, frame, time, cx);
        draw_load(s, frame, load, cx);
        let [coverage, backlog] = Layout::horizontal([Constraint::Length(44), Constraint::Min(40)]).areas(bottom);
        draw_coverage(s, frame, coverage, cx);
        draw_backlog(s, frame, backlog, cx);
        return;
    }
    match s.pane {
        Pane::People => {
            let people_h = (s.people().len() as u16 + 4).max(6).min(body.height / 2);
            let [matrix, rest] = Layout::vertical([Constraint::Length(people_h), Constraint::Min(4)]).areas(body);
            let [time, load] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(rest);
            draw_matrix(s, frame, matrix, cx);
            draw_time(s, frame, time, cx);
            draw_load(s, frame, load, cx);
        }
        Pane::Workflows => {
            let [coverage, backlog] =
                Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
            draw_coverage(s, frame, coverage, cx);
            draw_backlog(s, frame, backlog, cx);
        }
    }
}

fn mark_style(m: Mark, cx: &Ctx) -> Style {
    match m {
        Mark::PromotionEvidence => cx.theme.good(),
        Mark::CoachingFocus => cx.theme.warn(),
        Mark::AtLevel => cx.theme.base(),
    }
}

fn draw_matrix(s: &Team, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let th = cx.theme;
    let focused = s.pane == Pane::People;
    let Some(m) = &s.matrix else { return };
    if m.rows.is_empty() {
        let msg = "No one on the team yet: n adds a member (or mktg team add).";
        frame.render_widget(
            Paragraph::new(Span::styled(msg, th.dim())).block(panel("Skills matrix", focused, th)),
            area,
        );
        return;
    }
    let inner_w = area.width.saturating_sub(2) as usize;
    let name_w = if inner_w >= 90 { 14 } else { 10 };
    let level_w = 7;
    let n = m.competencies.len().max(1);
    let col_w = (inner_w.saturating_sub(name_w + level_w + 2) / n).saturating_sub(1).clamp(4, 14);
    let mut header = vec![cell("Person"), cell("Level")];
    header.extend(m.competencies.iter().map(|c| cell(&truncate(&c.label, col_w))));
    let rows: Vec<Row> = m
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![cell(&r.person.name), cell(r.person.level.slug())];
            for c in &r.cells {
                cells.push(match c {
                    Some(c) => ratatui::widgets::Cell::from(Span::styled(cell_text(c, col_w), mark_style(c.mark, cx))),
                    None => cell("—"),
                });
            }
            Row::new(cells)
        })
        .collect();
    let mut widths = vec![Constraint::Length(name_w as u16), Constraint::Length(level_w as u16)];
    widths.extend(std::iter::repeat_n(Constraint::Length(col_w as u16), m.competencies.len()));
    let legend = "▲ promotion evidence · ▼ coaching focus · — not rated";
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(th.header()))
        .block(panel("Skills matrix", focused, th).title_bottom(Span::styled(format!(" {legend} "), th.dim())))
        .row_highlight_style(if focused { th.selected() } else { th.base() });
    let mut state = TableState::default().with_selected(Some(s.person));
    frame.render_stateful_widget(table, area, &mut state);
}

/// A rating in `w` columns: the level and its mark, the level shortened when narrow so the mark
/// (the point of the matrix) is never the part cut off.
fn cell_text(c: &crate::domain::team::Cell, w: usize) -> String {
    let full = c.short();
    if crate::domain::text::width(&full) <= w {
        return full;
    }
    let short = match c.level.slug() {
        "junior" => "jr",
        "senior" => "sr",
        "staff" => "stf",
        other => other,
    };
    format!("{short} {}", c.mark.symbol()).trim_end().to_string()
}

/// A bar of `w` cells: core █, systems ▓, exploration ░, in their shares.
fn bar(split: &Split, w: usize) -> String {
    let mut out = String::new();
    let mut used = 0usize;
    for (i, b) in split.buckets.iter().enumerate() {
        let n = if i == 2 { w - used } else { ((b.share_pct / 100.0) * w as f64).round() as usize };
        let n = n.min(w - used);
        let c = match b.bucket {
            TimeBucket::Core => '█',
            TimeBucket::Systems => '▓',
            TimeBucket::Exploration => '░',
        };
        out.extend(std::iter::repeat_n(c, n));
        used += n;
    }
    out
}

fn time_line(name: &str, a: &Allocation, area_w: usize, cx: &Ctx) -> Line<'static> {
    let th = cx.theme;
    let name_w = 8;
    let bar_w = 20usize.min(area_w.saturating_sub(name_w + 4));
    let who = Span::raw(format!("{} ", fit(&safe(name), name_w)));
    match a {
        Allocation::NoTimeLogged => Line::from(vec![who, Span::styled("no time logged", th.dim())]),
        Allocation::Logged(split) => {
            let rest = area_w.saturating_sub(name_w + bar_w + 3);
            // The flag as the domain words it, cut to fit; the person's page has it whole.
            let verdict = match split.flags().next() {
                Some(f) => Span::styled(format!("! {}", truncate(f, rest.saturating_sub(2))), th.warn()),
                None => Span::styled("on track", th.good()),
            };
            Line::from(vec![who, Span::raw(bar(split, bar_w)), Span::raw(" "), verdict])
        }
    }
}

fn draw_time(s: &Team, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let th = cx.theme;
    let Some(v) = &s.allocation else { return };
    let w = area.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> =
        v.report.people.iter().map(|p| time_line(&first_name(&p.name), &p.allocation, w, cx)).collect();
    if !lines.is_empty() {
        lines.push(time_line("team", &v.report.team, w, cx));
    }
    // The target drawn as the bars are, so the eye compares lengths.
    let bar_w = 20usize.min(w.saturating_sub(8 + 4));
    let (core, systems) = ((bar_w * 7).div_ceil(10), (bar_w * 2).div_ceil(10));
    let target_bar: String = std::iter::repeat_n('█', core)
        .chain(std::iter::repeat_n('▓', systems.min(bar_w - core)))
        .chain(std::iter::repeat_n('░', bar_w.saturating_sub(core + systems)))
        .collect();
    let target = format!("{} {target_bar} 70/20/10", fit("target", 8));
    lines.push(Line::from(Span::styled(truncate(&target, w).into_owned(), th.dim())));
    let title = format!("Time vs 70/20/10 · {}", v.period.as_deref().unwrap_or("all weeks"));
    frame.render_widget(Paragraph::new(lines).block(panel(&title, false, th)), area);
}

fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_string()
}

fn draw_load(s: &Team, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let th = cx.theme;
    let Some(v) = &s.load else { return };
    let wide = area.width >= 90;
    let mut header = vec![cell("Owner"), cell("Open"), cell("Late")];
    if wide {
        header.push(cell("What"));
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut row = |owner: &str, on_team: bool, c: &crate::domain::mentor::Counts| {
        let mut cells = vec![cell(owner), num(c.total().to_string()), num(c.overdue.to_string())];
        if wide {
            let what = open_items(c);
            cells.push(cell(&if on_team { what } else { format!("{what} (not on the team)") }));
        }
        let style = if !on_team {
            th.dim()
        } else if c.overdue > 0 {
            th.warn()
        } else {
            th.base()
        };
        rows.push(Row::new(cells).style(style));
    };
    for o in &v.load.owners {
        row(&o.owner, o.on_team, &o.counts);
    }
    if v.load.unowned.total() > 0 {
        row("nobody", true, &v.load.unowned);
    }
    let mut widths = vec![Constraint::Length(16), Constraint::Length(5), Constraint::Length(5)];
    if wide {
        widths.push(Constraint::Min(20));
    }
    let median = v.team_median.map(|m| format!(" · team median {m}")).unwrap_or_default();
    let table = Table::new(rows, widths).header(Row::new(header).style(th.header())).block(panel(
        &format!("Load: open items per owner{median}"),
        false,
        th,
    ));
    frame.render_widget(table, area);
}

fn draw_coverage(s: &Team, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let th = cx.theme;
    let Some(v) = &s.coverage else { return };
    let w = area.width.saturating_sub(7) as usize;
    let lines: Vec<Line> = v
        .categories
        .iter()
        .map(|c| {
            let n = c.workflows.len();
            let (count, style) = if n == 0 { ("—".to_string(), th.dim()) } else { (n.to_string(), th.base()) };
            Line::from(vec![
                Span::styled(format!("{} ", fit(c.label, w)), style),
                Span::styled(format!("{count:>3}"), style),
            ])
        })
        .collect();
    let title = format!("Coverage: {} of 9 categories empty", v.empty);
    frame.render_widget(Paragraph::new(lines).block(panel(&title, false, th)), area);
}

fn draw_backlog(s: &Team, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let th = cx.theme;
    let focused = s.pane == Pane::Workflows;
    let Some(b) = &s.backlog else { return };
    let w = area.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0usize;
    let mut i = 0usize;
    let parts = [
        ("Ranked", &b.ranked),
        ("Triaged, not ranked", &b.unranked),
        ("Untriaged: answer the five questions", &b.untriaged),
    ];
    for (title, rows) in parts {
        lines.push(Line::from(Span::styled(title, th.header())));
        if rows.is_empty() {
            lines.push(Line::from(Span::styled("  none", th.dim())));
        }
        for r in rows {
            let lead = r.summary.rank.filter(|_| r.triaged).map(|n| format!("{n}. ")).unwrap_or_default();
            let text = format!("  {lead}{} · {}", r.summary.name, facts_line(r));
            let flag = if r.flags.is_empty() { String::new() } else { " !".to_string() };
            let style = if focused && i == s.workflow {
                th.selected()
            } else if r.triaged {
                th.base()
            } else {
                th.dim()
            };
            if i == s.workflow {
                selected_line = lines.len();
            }
            lines.push(Line::from(vec![
                Span::styled(truncate(&safe(&text), w.saturating_sub(2)).into_owned(), style),
                Span::styled(flag, th.warn()),
            ]));
            i += 1;
        }
    }
    if i == 0 {
        lines.push(Line::from(Span::styled("No workflow yet: l, then n adds one.", th.dim())));
    }
    let visible = area.height.saturating_sub(2) as usize;
    let scroll = selected_line.saturating_sub(visible.saturating_sub(1)) as u16;
    let title = "Backlog (you rank it; + and - move)";
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)).block(panel(title, focused, th)), area);
}

/// Enter on a person: their level's bar, every rating with its evidence, their time and load.
pub fn person_page(s: &Team, p: &Person) -> String {
    let mut out = format!("{}\n", super::forms::level_line(p.level));
    if let Some(m) = &p.manager {
        out.push_str(&format!("Reports to {m}\n"));
    }
    if let Some(m) = &s.matrix
        && let Some(row) = m.rows.iter().find(|r| r.person.key == p.key)
    {
        out.push_str(&format!(
            "\n{} promotion evidence · {} coaching focus · {} not rated\n",
            row.promotion_evidence(),
            row.coaching_focus(),
            row.unrated()
        ));
        for (c, cell) in m.competencies.iter().zip(&row.cells) {
            if let Some(cell) = cell {
                out.push_str(&format!("  {}: {}, {}: {}\n", c.label, cell.short(), cell.date, cell.evidence));
            }
        }
    }
    if let Some(v) = &s.allocation
        && let Some(a) = v.report.people.iter().find(|a| a.person == p.key)
    {
        out.push_str(&format!("\nTime, {}: ", v.period.as_deref().unwrap_or("all weeks")));
        match &a.allocation {
            Allocation::NoTimeLogged => out.push_str("no time logged\n"),
            Allocation::Logged(split) => {
                out.push_str(&format!("{}\n", crate::io::export::team::shares(split)));
                for f in split.flags() {
                    out.push_str(&format!("  ! {f}\n"));
                }
            }
        }
    }
    if let Some(l) = &s.load
        && let Some(o) = l.load.owners.iter().find(|o| o.on_team && o.owner == p.name)
    {
        let items = open_items(&o.counts);
        let items = if items.is_empty() { "nothing open".to_string() } else { items };
        out.push_str(&format!("\nOpen: {items}; {} overdue\n", o.counts.overdue));
    }
    out
}
