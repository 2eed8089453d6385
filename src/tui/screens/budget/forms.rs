//! The budget's dialogs: plan a campaign, record or correct spend, and move money. Each is a
//! `FormPopup` (the one form dialog); the move shows its effect on both campaigns, before →
//! after, live under the fields as it is typed, so Enter moves the money in one step.

use crate::domain::budget::{CampaignRow, Elapsed, MoveSide, move_effect, plan_move, resolve_campaign};
use crate::domain::dates::parse_human;
use crate::domain::model::Bucket;
use crate::domain::money::{self, parse_positive};
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::store::budget::SpendEntry;
use crate::store::budget::{MoveRequest, NewPlan};
use crate::tui::screen::{Ctx, Effect};
use crate::tui::widgets::form::{Field, Form, Kind};
use crate::tui::widgets::form_popup::FormPopup;

/// An amount above zero, as the command line reads it; the refusal names the field.
fn amount(s: &str, what: &str, currency: &str) -> Result<i64> {
    parse_positive(s, currency, false).map_err(|e| Error::input(format!("{what}: {e}")))
}

/// `n` plans a campaign in the shown quarter; `e` re-plans the selected one.
pub fn plan_form(cx: &Ctx, period: Period, existing: Option<&CampaignRow>) -> Result<FormPopup> {
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
    let currency = cx.store.meta().currency();
    let owner = match existing {
        Some(r) => cx.store.budget().owner(r.facts.id)?.unwrap_or_default(),
        None => String::new(),
    };
    let mut form = Form::new(
        &title,
        vec![
            Field::new("Campaign").required().value(&name),
            Field::new("Planned")
                .required()
                .hint("12,000 or $12,000.50")
                .kind(Kind::Amount { currency })
                .value(&planned),
            Field::new("Channel").choices(cx.store.budget().channels()?).value(&channel),
            Field::new("Bucket").hint("core (default) · growth · experiment").choices(buckets).value(&bucket),
            Field::new("Reason").hint("why the plan changes (kept in its history)"),
            // After the reason: the fields before keep their places.
            crate::tui::widgets::owner::field("Owner", cx).value(&owner),
        ],
    );
    if existing.is_some() {
        form.focus_at(1);
    }
    Ok(FormPopup::new(form, 76, move |f, cx| save_plan(f, cx, period)))
}

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
    let owner = f.get(5);
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

/// `a` records spend (date defaults to today); `e` on an entry corrects it.
pub fn spend_form(
    cx: &Ctx,
    period: Period,
    names: Vec<String>,
    row: Option<&CampaignRow>,
    entry: Option<&SpendEntry>,
) -> FormPopup {
    let name = row.map(|r| r.facts.name.clone()).unwrap_or_default();
    let title = if entry.is_some() { "Correct a spend entry" } else { "Record spend" };
    let currency = cx.store.meta().currency();
    let mut form = Form::new(
        title,
        vec![
            Field::new("Campaign").required().choices(names).value(&name),
            Field::new("Amount").required().hint("as typed: 1,250 or $1,250.50").kind(Kind::Amount { currency }),
            Field::new("Date").hint("today · yesterday · fri · 2026-11-19").date(cx.now.date()),
            Field::new("Note"),
        ],
    );
    if let Some(e) = entry {
        form.fields[1] = form.fields[1].clone().value(&money::format_plain(e.amount_cents));
        form.fields[2] = form.fields[2].clone().value(&e.day.to_string());
        form.fields[3] = form.fields[3].clone().value(&e.note);
    }
    form.focus_at(if name.is_empty() { 0 } else { 1 });
    let entry = entry.map(|e| e.id);
    FormPopup::new(form, 70, move |f, cx| save_spend(f, cx, period, entry))
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

/// `m` moves unspent plan: source, target, amount, reason. The effect on both campaigns
/// (planned, remaining, pacing, before → after) is shown under the fields and follows every
/// key, so what Enter will do is on screen before it is pressed; Enter moves the money and
/// logs the decision (linked to both campaigns, and to the meeting under way if one is).
pub fn move_form(
    rows: Vec<CampaignRow>,
    period: Period,
    elapsed: Elapsed,
    source: Option<&CampaignRow>,
    currency: &str,
) -> FormPopup {
    let names: Vec<String> = rows.iter().map(|r| r.facts.name.clone()).collect();
    let from = source.map(|r| r.facts.name.clone()).unwrap_or_default();
    let mut form = Form::new(
        "Move budget",
        vec![
            Field::new("From").required().choices(names.clone()).value(&from),
            Field::new("To").required().choices(names),
            Field::new("Amount")
                .required()
                .hint("at most the source's unspent plan")
                .kind(Kind::Amount { currency: currency.to_string() }),
            Field::new("Reason").required().hint("logged with the decision"),
        ],
    );
    form.focus_at(if from.is_empty() { 0 } else { 1 });
    let mover = Mover { rows, period, elapsed, currency: currency.to_string() };
    let preview = mover.clone();
    FormPopup::new(form, 110, move |f, cx| mover.save(f, cx))
        .on_change(move |f, _| f.notes = preview.notes(f))
        .cancelled("cancelled; nothing moved")
}

/// What the move form checks against: the quarter's campaigns as the table shows them.
#[derive(Clone)]
struct Mover {
    rows: Vec<CampaignRow>,
    period: Period,
    elapsed: Elapsed,
    currency: String,
}

impl Mover {
    /// The campaign a field names, resolved as the command line resolves it: any case, a unique
    /// part of a name, an id; refused naming the close names.
    fn resolve(&self, field: &str, typed: &str) -> Result<&CampaignRow> {
        resolve_campaign(&self.rows, typed, &self.period).map_err(|e| Error::input(format!("{field}: {e}")))
    }

    /// The move as typed (a shown completion counts as typed), checked against the figures shown.
    fn check(&self, f: &Form) -> Result<(MoveSide, MoveSide)> {
        let meant = |i: usize| f.fields[i].completion().map(str::to_string).unwrap_or_else(|| f.get(i).to_string());
        let from = self.resolve("From", &meant(0))?;
        let to = self.resolve("To", &meant(1))?;
        let cents = amount(f.get(2), "Amount", &self.currency)?;
        Ok(plan_move(from, to, cents, self.elapsed, &self.currency)?)
    }

    /// Under the fields: the effect on both campaigns once the move checks out; before that,
    /// what the source has to move and what is still missing or wrong.
    fn notes(&self, f: &Form) -> Vec<String> {
        match self.check(f) {
            Ok((a, b)) => {
                let cents = b.after.facts.planned_cents - b.before.facts.planned_cents;
                let mut notes = vec![format!(
                    "Effect of moving {} (Enter moves it and logs the decision):",
                    money::format(cents, &self.currency)
                )];
                for s in [&a, &b] {
                    notes.push(s.name.clone());
                    notes.push(format!("  {}", move_effect(s, &self.currency)));
                }
                notes
            }
            Err(e) => {
                let mut notes: Vec<String> = match self.resolve("From", f.get(0)).ok() {
                    Some(r) => vec![format!(
                        "{} available to move from {}",
                        money::format(r.remaining_cents.max(0), &self.currency),
                        r.facts.name
                    )],
                    None => vec![],
                };
                // Say what blocks the move only once the fields it needs are filled in.
                if !f.get(0).is_empty() && !f.get(1).is_empty() && !f.get(2).is_empty() {
                    notes.push(format!("not yet: {e}"));
                }
                notes
            }
        }
    }

    fn save(&self, f: &Form, cx: &Ctx) -> Result<Effect> {
        let (a, b) = self.check(f)?;
        let cents = b.after.facts.planned_cents - b.before.facts.planned_cents;
        let req = MoveRequest {
            from_id: a.before.facts.id,
            to_id: b.before.facts.id,
            amount_cents: cents,
            reason: f.get(3).to_string(),
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
