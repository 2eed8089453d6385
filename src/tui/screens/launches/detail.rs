//! One launch open: its stage path, tier and why, the lead-time flag, the checklist with who
//! ticked what and when, and beside it the tier and stage history, post-mortem and decisions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

use crate::domain::launch::{self, LaunchDetail};
use crate::domain::model::Stage;
use crate::domain::text::safe;
use crate::domain::tiering;
use crate::tui::screen::Ctx;
use crate::tui::widgets::{panel, text};

pub fn draw(frame: &mut Frame, area: Rect, d: &LaunchDetail, cursor: usize, cx: &Ctx) {
    let [left, right] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(area);
    let [head, list] = Layout::vertical([Constraint::Length(10), Constraint::Min(3)]).areas(left);
    draw_head(frame, head, d, cx);
    draw_checklist(frame, list, d, cursor, cx);
    draw_history(frame, right, d, cx);
}

fn draw_head(frame: &mut Frame, area: Rect, d: &LaunchDetail, cx: &Ctx) {
    let th = cx.theme;
    let l = &d.launch;
    let today = cx.now.date();
    let mut path = vec![Span::styled("Stage  ", th.dim())];
    for (i, s) in Stage::ALL.iter().enumerate() {
        if i > 0 {
            path.push(Span::styled(" > ", th.dim()));
        }
        if *s == l.stage {
            path.push(Span::styled(format!("[{}]", s.label()), th.current()));
        } else {
            path.push(Span::styled(s.label(), th.dim()));
        }
    }
    let tier = match (l.tier(), l.overridden, l.scores) {
        (Some(t), Some(_), _) => {
            let was = l.computed.map_or("unscored".into(), |c| format!("computed {c}"));
            format!("{t} (override; {was}): {}", l.override_reason.as_deref().unwrap_or(""))
        }
        (Some(t), None, Some(s)) => format!("{t} (computed): {}", tiering::compute(s, &cx.config.tiers).reason()),
        (Some(t), None, None) => format!("{t} (computed)"),
        _ => "not scored yet: t scores it".into(),
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Product ", th.dim()),
            text(&l.product),
            Span::styled("  Owner ", th.dim()),
            text(&l.owner),
            Span::styled("  Date ", th.dim()),
            Span::raw(format!("{} ({})", l.date.format("%Y-%m-%d"), crate::domain::dates::relative(l.date, today))),
        ]),
        Line::from(path),
        Line::from(vec![Span::styled("Tier   ", th.dim()), text(&tier)]),
        Line::from(vec![
            Span::styled("Ready  ", th.dim()),
            Span::raw(format!("{} of {} required items done", l.done, l.required)),
        ]),
    ];
    if let Some((t, f)) = l.tier().zip(l.lead_flag(today, &cx.config.tiers)) {
        lines.push(Line::from(Span::styled(format!("! {}", f.message(t)), th.warn())));
    }
    if let Some(on) = l.pivot_on {
        lines.push(Line::from(vec![
            Span::styled("Pivot  ", th.dim()),
            Span::raw(format!("a product pivot from {on}: older battlecards are stale")),
        ]));
    }
    let blockers = launch::gate_blockers(&d.items, &cx.config.tiers);
    if l.stage < Stage::Launch {
        if blockers.is_empty() {
            lines.push(Line::from(Span::styled("Baseline standard met: may go live", th.good())));
        } else {
            lines.push(Line::from(vec![
                Span::styled("Go-live blocked by  ", th.dim()),
                Span::styled(safe(&blockers.join("; ")).into_owned(), th.bad()),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(panel(&safe(&l.name), true, th)), area);
}

fn draw_checklist(frame: &mut Frame, area: Rect, d: &LaunchDetail, cursor: usize, cx: &Ctx) {
    let th = cx.theme;
    let mut items = Vec::new();
    let mut dropped_header = false;
    for (n, i) in d.items.iter().enumerate() {
        let mark = if i.is_done() { "[x]" } else { "[ ]" };
        let mut spans = vec![Span::raw(format!("{:>2} {mark} ", n + 1)), text(&i.label)];
        if i.baseline {
            spans.push(Span::styled(" · baseline", th.accent()));
        }
        if !i.required {
            spans.push(Span::styled(" (no longer required)", th.dim()));
            dropped_header = true;
        }
        if let (Some(by), Some(at)) = (&i.done_by, i.done_at) {
            spans.push(Span::styled(format!("  {} {}", safe(by), at.format("%m-%d %H:%M")), th.dim()));
        }
        if let Some(note) = &i.note {
            spans.push(Span::styled(format!("  note: {}", safe(note)), th.accent()));
        }
        let style = if !i.required {
            th.dim()
        } else if i.is_done() {
            th.good()
        } else {
            th.base()
        };
        items.push(ListItem::new(Line::from(spans)).style(style));
    }
    let title = if d.items.is_empty() {
        "Checklist · score the launch (t) to derive it".to_string()
    } else if dropped_header {
        "Checklist · Space ticks · e note · items a re-tier dropped are kept below".to_string()
    } else {
        "Checklist · Space ticks · e adds a note".to_string()
    };
    let list = List::new(items).block(panel(&title, true, th)).highlight_style(th.selected()).highlight_symbol(">");
    let mut state = ListState::default().with_selected((!d.items.is_empty()).then_some(cursor));
    frame.render_stateful_widget(list, area, &mut state);
}

fn draw_history(frame: &mut Frame, area: Rect, d: &LaunchDetail, cx: &Ctx) {
    let th = cx.theme;
    let mut lines: Vec<Line> = vec![Line::from(Span::styled("Tier history", th.header()))];
    if d.tiers.is_empty() {
        lines.push(Line::from(Span::styled("  none yet", th.dim())));
    }
    for t in d.tiers.iter().rev() {
        let from = t.from.map_or("-".into(), |f| format!("T{}", f.0));
        let scores = t.scores.map_or(String::new(), |s| format!(" {}/{}/{}", s.revenue, s.urgency, s.demand));
        let kind = if t.overridden { " override" } else { "" };
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", t.at.format("%Y-%m-%d %H:%M")), th.dim()),
            Span::raw(format!("{from} → T{}{scores}{kind}", t.to.0)),
        ]));
        if let Some(r) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            lines.push(Line::from(vec![Span::raw("   "), Span::styled(safe(r).into_owned(), th.dim())]));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Stage history", th.header())));
    for s in d.stages.iter().rev() {
        let mut spans = vec![
            Span::styled(format!("{} ", s.at.format("%Y-%m-%d %H:%M")), th.dim()),
            Span::raw(format!("{} → {}", s.from.label(), s.to.label())),
        ];
        if let Some(r) = &s.override_reason {
            spans.push(Span::styled(format!("  gate overridden: {}", safe(r)), th.warn()));
        }
        lines.push(Line::from(spans));
    }
    if let Some((at, pm)) = &d.postmortem {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(format!("Post-mortem {}", at.format("%Y-%m-%d")), th.header())));
        lines.push(Line::from(vec![Span::styled("  worked  ", th.dim()), text(&pm.worked)]));
        lines.push(Line::from(vec![Span::styled("  did not ", th.dim()), text(&pm.didnt)]));
        lines.push(Line::from(vec![
            Span::styled("  outcome ", th.dim()),
            text(&format!("{}: {} vs goal {}", pm.outcome_metric, pm.outcome_actual, pm.outcome_goal)),
        ]));
    }
    if !d.decisions.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("Decisions", th.header())));
        for dec in &d.decisions {
            lines.push(Line::from(vec![
                Span::styled(format!("#{} {} ", dec.id, dec.status), th.dim()),
                text(&dec.title),
                Span::styled(format!(" ({})", safe(&dec.owner)), th.dim()),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(panel("History", false, th)), area);
}
