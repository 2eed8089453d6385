//! The tiering panel: three criteria scored 1-5 by digit keys, the verdict live with its reason,
//! each criterion's 1/3/5 anchors on show. Enter saves (history, re-derived checklist); Esc changes nothing.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::launch::{Launch, plural};
use crate::domain::model::Tier;
use crate::domain::rubric::TierRules;
use crate::domain::tiering::{self, Scores, Verdict};
use crate::error::Result;
use crate::keymap::Action;
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::widgets::{centered, modal, text};

pub struct TierPanel {
    id: i64,
    name: String,
    date: NaiveDate,
    current: String,
    scores: [Option<u8>; 3],
    focus: usize,
    error: Option<String>,
}

impl TierPanel {
    pub fn new(l: &Launch) -> TierPanel {
        let scores = l.scores.map_or([None; 3], |s| [Some(s.revenue), Some(s.urgency), Some(s.demand)]);
        let current = match (l.tier(), l.overridden) {
            (Some(t), Some(_)) => format!("now {t} (override: {})", l.override_reason.as_deref().unwrap_or("")),
            (Some(t), None) => format!("now {t} (computed)"),
            _ => "not scored yet".into(),
        };
        TierPanel { id: l.id, name: l.name.clone(), date: l.date, current, scores, focus: 0, error: None }
    }

    fn complete(&self) -> Option<Scores> {
        match self.scores {
            [Some(r), Some(u), Some(d)] => Scores::new(r.into(), u.into(), d.into()).ok(),
            _ => None,
        }
    }

    fn verdict(&self, rules: &TierRules) -> Option<Verdict> {
        self.complete().map(|s| tiering::compute(s, rules))
    }

    fn save(&self, scores: Scores, cx: &Ctx) -> Result<Effect> {
        let rules = &cx.config.tiers;
        let scored = cx.store.write(|tx| tx.launches().score(self.id, scores, rules, &cx.config.user, cx.now))?;
        let mut msg = format!("'{}': {}", self.name, scored.verdict.reason());
        if let Some(t) = scored.override_kept {
            msg.push_str(&format!("; the override to {t} stays"));
        }
        let l = cx.store.launches().get(self.id)?;
        if let Some((t, f)) = l.tier().zip(l.lead_flag(cx.now.date(), rules)) {
            msg.push_str(&format!(" ! {}", f.message(t)));
        }
        Ok(Effect::Saved(msg))
    }
}

impl Popup for TierPanel {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        self.error = None;
        // Digits are scores, read as typed; every other key goes through the keymap ([global]),
        // so a user's remapped movement keys work here too.
        if let KeyCode::Char(c) = key.code
            && c.is_ascii_digit()
        {
            match c.to_digit(10).filter(|d| (1..=5).contains(d)) {
                Some(d) => {
                    self.scores[self.focus] = Some(d as u8);
                    // Advance so three digits score all three criteria.
                    self.focus = (self.focus + 1).min(2);
                }
                None => self.error = Some("scores run from 1 to 5".into()),
            }
            return Ok(PopupOutcome::Continue);
        }
        match cx.config.keymap.action("launches", &key) {
            Some(Action::NextTab | Action::Down | Action::Right) => self.focus = (self.focus + 1) % 3,
            Some(Action::PrevTab | Action::Up | Action::Left) => self.focus = (self.focus + 2) % 3,
            Some(Action::Back) => {
                return Ok(PopupOutcome::Close(Effect::Status("tiering cancelled; nothing changed".into())));
            }
            Some(Action::Select) => match self.complete() {
                Some(scores) => return Ok(PopupOutcome::Close(self.save(scores, cx)?)),
                None => {
                    let missing = self.scores.iter().position(Option::is_none).unwrap_or(0);
                    let label = cx.config.tiers.criteria.get(missing).map_or("every criterion", |c| c.label.as_str());
                    self.focus = missing;
                    self.error = Some(format!("score {label} first (1-5)"));
                }
            },
            _ => {}
        }
        Ok(PopupOutcome::Continue)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let th = cx.theme;
        let rules = &cx.config.tiers;
        // Short or narrow terminals: anchors only under the focused criterion, no spacer lines.
        let compact = area.height < 30 || area.width < 110;
        let key = |a: Action| cx.config.keymap.key_for("launches", a).unwrap_or_else(|| "?".into());
        let mut lines = vec![Line::from(vec![
            Span::styled("1-5", th.key()),
            Span::raw(" score  "),
            Span::styled(format!("{} {}/{}", key(Action::NextTab), key(Action::Down), key(Action::Up)), th.key()),
            Span::raw(" move  "),
            Span::styled(key(Action::Select), th.key()),
            Span::raw(" save  "),
            Span::styled(key(Action::Back), th.key()),
            Span::raw(" unchanged   "),
            Span::styled(self.current.clone(), th.dim()),
        ])];
        if !compact {
            lines.push(Line::default());
        }
        for (i, c) in rules.criteria.iter().enumerate().take(3) {
            let focused = i == self.focus;
            let score = self.scores[i].map_or("·".to_string(), |s| s.to_string());
            let bar: String = (1..=5).map(|n| if self.scores[i].is_some_and(|s| s >= n) { '█' } else { '·' }).collect();
            let style = if focused { th.current() } else { th.base() };
            lines.push(Line::from(vec![
                Span::styled(if focused { " > " } else { "   " }, style),
                Span::styled(format!("{:<26}", c.label), style),
                Span::styled(format!("[{score}] "), if focused { th.selected() } else { th.base() }),
                Span::styled(bar, th.accent()),
            ]));
            if !compact || focused {
                lines.push(Line::from(vec![Span::raw("     "), Span::styled(c.anchors.join("  ·  "), th.dim())]));
            }
            if !compact {
                lines.push(Line::default());
            }
        }
        match self.verdict(rules) {
            Some(v) => {
                lines.push(Line::from(vec![
                    Span::raw("   "),
                    Span::styled(v.tier.to_string(), th.title()),
                    Span::raw("  "),
                    Span::styled(v.reason(), th.accent()),
                ]));
                lines.push(Line::from(Span::styled(format!("   {}", lead_line(v.tier, self.date, cx)), th.dim())));
                let items = tiering::checklist_for(v.tier, rules).len();
                lines.push(Line::from(Span::styled(
                    format!("   {} asks for {items} readiness items (the baseline standard included)", v.tier),
                    th.dim(),
                )));
            }
            None => {
                let so_far: u32 = self.scores.iter().flatten().map(|s| u32::from(*s)).sum();
                lines.push(Line::from(Span::styled(
                    format!("   score all three to see the tier (so far {so_far})"),
                    th.dim(),
                )));
            }
        }
        if let Some(e) = &self.error {
            lines.push(Line::default());
            lines.push(Line::from(vec![Span::raw("   "), Span::styled(format!("✗ {}", text(e).content), th.bad())]));
        }
        let width = area.width.min(112);
        let inner_w = usize::from(width.saturating_sub(2)).max(1);
        let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner_w)).sum();
        let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
        let para = Paragraph::new(lines).wrap(Wrap { trim: false });
        let inner = modal(frame, centered(area, width, height), &format!("Tier {}", self.name), th);
        frame.render_widget(para, inner);
    }
}

/// "Tier 1 needs about 8 weeks of lead time; 56 days to go."
fn lead_line(tier: Tier, date: NaiveDate, cx: &Ctx) -> String {
    let weeks = tiering::lead_weeks(tier, &cx.config.tiers);
    let left = (date - cx.now.date()).num_days();
    let when = if left < 0 {
        format!("the date passed {} ago", plural(-left, "day"))
    } else {
        format!("{} to go", plural(left, "day"))
    };
    let warn = if left <= i64::from(weeks) * 7 { " ! inside the lead time" } else { "" };
    format!("{tier} needs about {} of lead time; {when}{warn}", plural(i64::from(weeks), "week"))
}
