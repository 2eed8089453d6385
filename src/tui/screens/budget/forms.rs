//! The budget's dialogs: plan a campaign, record or correct spend, and move money with a
//! preview of its effect on both campaigns before it is confirmed.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::budget::{CampaignRow, Elapsed, MoveSide, move_effect, plan_move, resolve_campaign};
use crate::domain::dates::parse_human;
use crate::domain::model::Bucket;
use crate::domain::money::{self, parse_positive};
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::keymap::Action;
use crate::store::budget::{MoveRequest, NewPlan, SpendEntry};
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::widgets::form::{Field, Form, FormEvent};
use crate::tui::widgets::{centered, modal};

fn draw_form(frame: &mut Frame, area: Rect, cx: &Ctx, form: &Form, width: u16) {
    let w = width.min(area.width.saturating_sub(2));
    let inner = modal(frame, centered(area, w, form.height() + 2), &form.title, cx.theme);
    form.draw(frame, inner, cx.theme);
}

/// Enter checks the required fields, then saves; a refused input keeps the form open with its reason.
fn submit(form: &mut Form, key: KeyEvent, save: impl FnOnce(&Form) -> Result<Effect>) -> Result<PopupOutcome> {
    match form.handle(key) {
        FormEvent::Editing => Ok(PopupOutcome::Continue),
        FormEvent::Cancel => Ok(PopupOutcome::Close(Effect::Status("cancelled; nothing changed".into()))),
        FormEvent::Submit => {
            if let Some(m) = form.missing() {
                form.error = Some(m);
                return Ok(PopupOutcome::Continue);
            }
            match save(form) {
                Ok(e) => Ok(PopupOutcome::Close(e)),
                Err(e) => refuse(form, e),
            }
        }
    }
}

/// Keep a refused input in the form (exit-2 kind of error); anything else goes up.
fn refuse(form: &mut Form, e: Error) -> Result<PopupOutcome> {
    if e.is_input() {
        form.error = Some(e.to_string());
        Ok(PopupOutcome::Continue)
    } else {
        Err(e)
    }
}

/// An amount above zero, as the command line reads it; the refusal names the field.
fn amount(s: &str, what: &str, currency: &str) -> Result<i64> {
    parse_positive(s, currency, false).map_err(|e| Error::input(format!("{what}: {e}")))
}

/// `n` plans a campaign in the shown quarter; `e` re-plans the selected one.
pub struct PlanForm {
    form: Form,
    period: Period,
}

impl PlanForm {
    pub fn new(cx: &Ctx, period: Period, existing: Option<&CampaignRow>) -> Result<PlanForm> {
        let title = match existing {
            Some(_) => format!("Re-plan a campaign · {}", period.label()),
            None => format!("Plan a campaign · {}", period.label()),
        };
        let buckets: Vec<String> = Bucket::ALL.iter().map(|b| b.as_str().to_string()).collect();
        let (name, planned, channel, bucket) = match existing {
            Some(r) => (
                r.facts.name.clone(),
                money::format_plain(r.facts.planned_cents),
                r.facts.channel.clone(),
                r.facts.bucket.map(|b| b.as_str()).unwrap_or("core").to_string(),
            ),
            None => (String::new(), String::new(), String::new(), String::new()),
        };
        let owner = match existing {
            Some(r) => cx.store.budget().owner(r.facts.id)?.unwrap_or_default(),
            None => String::new(),
        };
        let mut form = Form::new(
            &title,
            vec![
                Field::new("Campaign").required().value(&name),
                Field::new("Planned").required().hint("12,000 or $12,000.50").value(&planned),
                Field::new("Channel").choices(cx.store.budget().channels()?).value(&channel),
                Field::new("Bucket").hint("core (default) · growth · experiment").choices(buckets).value(&bucket),
                Field::new("Reason").hint("why the plan changes (kept in its history)"),
                crate::tui::widgets::owner::field(OWNER, cx).value(&owner),
            ],
        );
        if existing.is_some() {
            form.focus = 1;
        }
        Ok(PlanForm { form, period })
    }
}

/// The plan form's owner field (after the reason: the fields before keep their places).
const OWNER: &str = "Owner";

fn save_plan(f: &Form, cx: &Ctx, period: Period) -> Result<Effect> {
    let planned = parse_positive(f.get(1), &cx.store.meta().currency(), true)
        .map_err(|e| Error::input(format!("Planned: {e}")))?;
    let bucket = if f.get(3).is_empty() { None } else { Some(Bucket::parse(f.get(3))?) };
    let channel = (!f.get(2).is_empty()).then(|| f.get(2).to_string());
    let plan = NewPlan {
        name: f.get(0).to_string(),
        period,
        planned_cents: planned,
        channel,
        bucket,
        reason: f.get(4).to_string(),
    };
    let owner = f.by_label(OWNER);
    let out = cx.store.write(|tx| {
        let out = tx.budget().plan(&plan, cx.now)?;
        tx.budget().set_owner(out.id, owner)?;
        Ok::<_, Error>(out)
    })?;
    let cur = cx.store.meta().currency();
    let saved = Effect::Saved(if out.created {
        format!("planned '{}': {}", plan.name, money::format(planned, &cur))
    } else {
        format!(
            "re-planned '{}': {} → {}",
            plan.name,
            money::format(out.from_cents, &cur),
            money::format(planned, &cur)
        )
    });
    Ok(crate::tui::widgets::owner::offer_after(saved, owner, cx))
}

impl Popup for PlanForm {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        let period = self.period;
        submit(&mut self.form, key, |f| save_plan(f, cx, period))
    }
    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw_form(frame, area, cx, &self.form, 76);
    }
    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }
}

/// `a` records spend (date defaults to today); `e` on an entry corrects it.
pub struct SpendForm {
    form: Form,
    period: Period,
    entry: Option<i64>,
}

impl SpendForm {
    pub fn new(period: Period, names: Vec<String>, row: Option<&CampaignRow>, entry: Option<&SpendEntry>) -> SpendForm {
        let name = row.map(|r| r.facts.name.clone()).unwrap_or_default();
        let title = if entry.is_some() { "Correct a spend entry" } else { "Record spend" };
        let mut form = Form::new(
            title,
            vec![
                Field::new("Campaign").required().choices(names).value(&name),
                Field::new("Amount").required().hint("as typed: 1,250 or $1,250.50"),
                Field::new("Date").hint("today · yesterday · fri · 2026-11-19"),
                Field::new("Note"),
            ],
        );
        if let Some(e) = entry {
            form.fields[1] = form.fields[1].clone().value(&money::format_plain(e.amount_cents));
            form.fields[2] = form.fields[2].clone().value(&e.day.to_string());
            form.fields[3] = form.fields[3].clone().value(&e.note);
        }
        form.focus = if name.is_empty() { 0 } else { 1 };
        SpendForm { form, period, entry: entry.map(|e| e.id) }
    }
}

fn save_spend(f: &Form, cx: &Ctx, period: Period, entry: Option<i64>) -> Result<Effect> {
    let today = cx.now.date();
    let cents = amount(f.get(1), "Amount", &cx.store.meta().currency())?;
    let day = if f.get(2).is_empty() { today } else { parse_human(f.get(2), today)? };
    let c = cx.store.budget().find_campaign(f.get(0), &period)?;
    let cur = cx.store.meta().currency();
    match entry {
        Some(id) => {
            cx.store.write(|tx| tx.budget().spend_update(id, day, cents, f.get(3), today))?;
            Ok(Effect::Saved(format!("corrected: {} on {day} for '{}'", money::format(cents, &cur), c.name)))
        }
        None => {
            cx.store.write(|tx| tx.budget().spend_add(c.id, day, cents, f.get(3), cx.now))?;
            Ok(Effect::Saved(format!("recorded {} on {day} for '{}'", money::format(cents, &cur), c.name)))
        }
    }
}

impl Popup for SpendForm {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        let period = self.period;
        let entry = self.entry;
        submit(&mut self.form, key, |f| save_spend(f, cx, period, entry))
    }
    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw_form(frame, area, cx, &self.form, 70);
    }
    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }
}

/// `m` moves unspent plan: source, target, amount, reason; Enter shows the effect on both
/// campaigns, a second Enter (or y) saves it, Esc goes back to editing.
pub struct MoveForm {
    form: Form,
    rows: Vec<CampaignRow>,
    period: Period,
    elapsed: Elapsed,
    currency: String,
    /// The checked move awaiting confirmation.
    confirming: Option<(i64, i64, i64)>,
}

impl MoveForm {
    pub fn new(
        rows: Vec<CampaignRow>,
        period: Period,
        elapsed: Elapsed,
        source: Option<&CampaignRow>,
        currency: &str,
    ) -> MoveForm {
        let names: Vec<String> = rows.iter().map(|r| r.facts.name.clone()).collect();
        let from = source.map(|r| r.facts.name.clone()).unwrap_or_default();
        let mut form = Form::new(
            "Move budget",
            vec![
                Field::new("From").required().choices(names.clone()).value(&from),
                Field::new("To").required().choices(names),
                Field::new("Amount").required().hint("at most the source's unspent plan"),
                Field::new("Reason").required().hint("logged with the decision"),
            ],
        );
        form.focus = if from.is_empty() { 0 } else { 1 };
        let mut m = MoveForm { form, rows, period, elapsed, currency: currency.to_string(), confirming: None };
        m.refresh_notes();
        m
    }

    /// The campaign a field names, resolved as the command line resolves it: any case, a unique
    /// part of a name, an id; refused naming the close names.
    fn resolve(&self, field: &str, typed: &str) -> Result<&CampaignRow> {
        resolve_campaign(&self.rows, typed, &self.period).map_err(|e| Error::input(format!("{field}: {e}")))
    }

    /// The move as typed, checked against the figures shown.
    fn check(&self) -> Result<(MoveSide, MoveSide)> {
        let f = &self.form;
        let from = self.resolve("From", f.get(0))?;
        let to = self.resolve("To", f.get(1))?;
        let cents = amount(f.get(2), "Amount", &self.currency)?;
        Ok(plan_move(from, to, cents, self.elapsed, &self.currency)?)
    }

    fn preview(&self, a: &MoveSide, b: &MoveSide) -> Vec<String> {
        [a, b].iter().flat_map(|s| [s.name.clone(), format!("  {}", move_effect(s, &self.currency))]).collect()
    }

    /// Under the fields: what is available from the source, then the effect once it checks out.
    fn refresh_notes(&mut self) {
        self.form.notes = match self.check() {
            Ok((a, b)) => self.preview(&a, &b),
            Err(_) => match self.resolve("From", self.form.get(0)).ok() {
                Some(r) => vec![format!(
                    "{} available to move from {}",
                    money::format(r.remaining_cents.max(0), &self.currency),
                    r.facts.name
                )],
                None => vec![],
            },
        };
    }

    fn save(&self, cx: &Ctx, from: i64, to: i64, cents: i64) -> Result<Effect> {
        let req = MoveRequest {
            from_id: from,
            to_id: to,
            amount_cents: cents,
            reason: self.form.get(3).to_string(),
            owner: cx.config.user.clone(),
        };
        let out = cx.store.write(|tx| tx.budget().move_money(&req, cx.now))?;
        Ok(Effect::Saved(format!(
            "moved {} from {} to {}; decision #{} logged",
            money::format(cents, &self.currency),
            out.from.name,
            out.to.name,
            out.decision_id
        )))
    }
}

impl Popup for MoveForm {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        if let Some((from, to, cents)) = self.confirming {
            return match cx.config.keymap.action("confirm", &key) {
                Some(Action::Yes) => match self.save(cx, from, to, cents) {
                    Ok(e) => Ok(PopupOutcome::Close(e)),
                    Err(e) => {
                        self.confirming = None;
                        self.form.title = "Move budget".into();
                        self.refresh_notes();
                        refuse(&mut self.form, e)
                    }
                },
                Some(Action::No) => {
                    self.confirming = None;
                    self.form.title = "Move budget".into();
                    self.refresh_notes();
                    Ok(PopupOutcome::Continue)
                }
                _ => Ok(PopupOutcome::Continue),
            };
        }
        match self.form.handle(key) {
            FormEvent::Editing => {
                self.refresh_notes();
                Ok(PopupOutcome::Continue)
            }
            FormEvent::Cancel => Ok(PopupOutcome::Close(Effect::Status("cancelled; nothing moved".into()))),
            FormEvent::Submit => {
                if let Some(m) = self.form.missing() {
                    self.form.error = Some(m);
                    return Ok(PopupOutcome::Continue);
                }
                match self.check() {
                    Ok((a, b)) => {
                        let cents = b.after.facts.planned_cents - b.before.facts.planned_cents;
                        self.confirming = Some((a.before.facts.id, b.before.facts.id, cents));
                        self.form.title = "Move budget · confirm".into();
                        let mut notes = vec![format!("Effect of moving {}:", money::format(cents, &self.currency))];
                        notes.extend(self.preview(&a, &b));
                        let key = |a: Action| cx.config.keymap.key_for("confirm", a).unwrap_or_else(|| "?".into());
                        notes.push(format!(
                            "{}: move it and log the decision · {}: back to editing",
                            key(Action::Yes),
                            key(Action::No)
                        ));
                        self.form.notes = notes;
                        Ok(PopupOutcome::Continue)
                    }
                    Err(e) => refuse(&mut self.form, e),
                }
            }
        }
    }
    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw_form(frame, area, cx, &self.form, 110);
    }
    fn paste(&mut self, text: &str) {
        self.form.paste(text);
        self.refresh_notes();
    }
}
