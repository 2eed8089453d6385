//! The decision form, opened by one key from anywhere: decision and owner required, then due,
//! risk if nothing is done, recommendation, status. Enter saves from any field.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::dates::parse_human;
use crate::domain::model::DecisionStatus;
use crate::error::Result;
use crate::store::decisions::{Decision, NewDecision};
use crate::tui::screen::{Ctx, Effect, Links, Popup, PopupOutcome};
use crate::tui::widgets::form::{Field, Form, FormEvent};
use crate::tui::widgets::{centered, modal};

const DECISION: &str = "Decision";
const OWNER: &str = "Owner";
const DUE: &str = "Due";
const RISK: &str = "Risk if nothing";
const RECOMMENDATION: &str = "Recommendation";
const STATUS: &str = "Status";

pub struct DecisionForm {
    form: Form,
    links: Links,
    /// Set when this form replaces an existing decision.
    supersedes: Option<i64>,
}

fn fields(cx: &Ctx) -> Vec<Field> {
    vec![
        Field::new(DECISION).required().hint("what is decided, in one line"),
        crate::tui::widgets::owner::field(OWNER, cx).required(),
        Field::new(DUE).hint("fri, +3d, 2026-11-27"),
        Field::new(RISK).hint("what happens if nothing is done"),
        Field::new(RECOMMENDATION).hint("the recommendation and context"),
        Field::new(STATUS).hint("proposed (default), decided, done").choices(vec![
            "proposed".into(),
            "decided".into(),
            "done".into(),
        ]),
    ]
}

/// The form to log a decision linked to `links` (the open meeting, launch or campaign).
pub fn open(links: Links, cx: &Ctx) -> Option<Box<dyn Popup>> {
    let mut title = "Log a decision".to_string();
    if let Some(m) = links.meeting_id.and_then(|id| cx.store.cadence().meeting(id).ok()) {
        title.push_str(&format!(" · in {} {}", m.name, m.day.format("%a %d %b")));
    }
    let form = Form { long_text: true, ..Form::new(&title, fields(cx)) };
    Some(Box::new(DecisionForm { form, links, supersedes: None }))
}

/// The form that supersedes `original`: prefilled with it; the original stays, linked.
pub fn supersede(original: &Decision, cx: &Ctx) -> Box<dyn Popup> {
    let mut f = fields(cx);
    f[0] = f[0].clone().value(&original.title);
    f[1] = f[1].clone().value(&original.owner);
    if let Some(d) = original.due {
        f[2] = f[2].clone().value(&d.to_string());
    }
    f[3] = f[3].clone().value(&original.risk);
    f[4] = f[4].clone().value(&original.recommendation);
    let form = Form { long_text: true, ..Form::new(&format!("Supersede #{}: the new decision", original.id), f) };
    Box::new(DecisionForm { form, links: Links::default(), supersedes: Some(original.id) })
}

impl DecisionForm {
    /// The decision typed, or the field to fix and why.
    fn parse(&self, cx: &Ctx) -> std::result::Result<NewDecision, (&'static str, String)> {
        let f = &self.form;
        let mut new = NewDecision {
            title: f.by_label(DECISION).into(),
            owner: f.by_label(OWNER).into(),
            risk: f.by_label(RISK).into(),
            recommendation: f.by_label(RECOMMENDATION).into(),
            meeting_id: self.links.meeting_id,
            launch_id: self.links.launch_id,
            campaign_id: self.links.campaign_id,
            ..NewDecision::default()
        };
        // The store's own check and words, as `decision add` gets them.
        new.validate().map_err(|e| (if e.field() == Some("owner") { OWNER } else { DECISION }, e.to_string()))?;
        new.due = match f.by_label(DUE) {
            "" => None,
            s => Some(parse_human(s, cx.now.date()).map_err(|e| (DUE, e.to_string()))?),
        };
        new.status = match f.by_label(STATUS) {
            "" => None,
            s => {
                let st = DecisionStatus::parse(s).map_err(|e| (STATUS, e.to_string()))?;
                if !matches!(st, DecisionStatus::Proposed | DecisionStatus::Decided | DecisionStatus::Done) {
                    return Err((STATUS, "a new decision is proposed, decided or done".into()));
                }
                Some(st)
            }
        };
        Ok(new)
    }
}

impl Popup for DecisionForm {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        match self.form.handle(key) {
            FormEvent::Editing => Ok(PopupOutcome::Continue),
            FormEvent::Cancel => Ok(PopupOutcome::Close(Effect::Status("decision not logged".into()))),
            FormEvent::Submit => {
                let new = match self.parse(cx) {
                    Ok(n) => n,
                    Err((field, why)) => {
                        self.form.focus_label(field);
                        self.form.error = Some(why);
                        return Ok(PopupOutcome::Continue);
                    }
                };
                let saved = match self.supersedes {
                    Some(old) => cx.store.write(|tx| tx.decisions().supersede(old, &new, cx.now)),
                    None => cx.store.write(|tx| tx.decisions().add(&new, cx.now)),
                };
                match saved {
                    Ok(id) => {
                        let msg = match self.supersedes {
                            Some(old) => format!("decision #{id} logged; #{old} superseded (kept, linked)"),
                            None => format!("decision #{id} logged, owner {}", new.owner),
                        };
                        Ok(PopupOutcome::Close(crate::tui::widgets::owner::offer_after(
                            Effect::Saved(msg),
                            &new.owner,
                            cx,
                        )))
                    }
                    Err(e) => {
                        self.form.error = Some(e.to_string());
                        Ok(PopupOutcome::Continue)
                    }
                }
            }
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let w = area.width.saturating_sub(4).min(90);
        let inner = modal(frame, centered(area, w, self.form.height() + 2), &self.form.title, cx.theme);
        self.form.draw(frame, inner, cx.theme);
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        Some(&mut self.form)
    }
}
