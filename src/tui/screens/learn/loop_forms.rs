//! The Learn tab's other forms, each a `FormPopup`: a post-mortem with a follow-up (`p`), a
//! follow-up marked done (Space), an alert rule (`a`). Each calls the check and the write of its
//! command (`postmortem add`, `decision done`, `alert add`) and confirms in the same words.

use crate::domain::model::DecisionStatus;
use crate::domain::postmortem::parse_follow_up;
use crate::error::{Context as _, Error, Result};
use crate::store::postmortems::{NewPostmortem, Record};
use crate::tui::screen::{Ctx, Effect, Popup};
use crate::tui::widgets::form::{Field, Form};
use crate::tui::widgets::form_popup::FormPopup;
use crate::views::learn::{self as view, Subject};

const TITLE: usize = 0;
const ABOUT: usize = 1;
const WORKED: usize = 2;
const DIDNT: usize = 3;
const METRIC: usize = 4;
const ACTUAL: usize = 5;
const GOAL: usize = 6;
const FOLLOW_UP: usize = 7;
const OWNER: usize = 8;
const DUE: usize = 9;

/// What a post-mortem can be about, as the About field completes it.
fn subjects(cx: &Ctx, experiment: Option<&str>) -> Vec<String> {
    let mut out = vec!["standalone".to_string()];
    out.extend(experiment.map(|e| format!("experiment {e}")));
    for e in cx.store.experiments().all().unwrap_or_default() {
        out.push(format!("experiment {}", e.name));
    }
    for l in cx.store.launches().all().unwrap_or_default() {
        out.push(format!("launch {}", l.id));
    }
    out.dedup();
    out
}

/// `p`: a post-mortem (about the selected experiment when there is one), as `postmortem add
/// TITLE [--experiment E | --campaign C | --launch ID] --worked --didnt --metric --actual --goal
/// --follow-up TEXT=OWNER@DUE` writes it, with one follow-up.
pub fn postmortem(experiment: Option<&str>, cx: &Ctx) -> Box<dyn Popup> {
    let about = experiment.map(|e| format!("experiment {e}")).unwrap_or_default();
    let form = Form {
        long_text: true,
        ..Form::new(
            "Write a post-mortem",
            vec![
                Field::new("Title").required().key("title").hint("Q3 webinar series"),
                Field::new("About")
                    .key("about")
                    .value(&about)
                    .hint("experiment NAME, campaign NAME, launch ID; empty: standalone")
                    .choices(subjects(cx, experiment)),
                Field::new("Worked").key("worked").hint("what worked"),
                Field::new("Didn't").key("didnt").hint("what did not"),
                Field::new("Metric").key("metric").hint("the outcome metric: pipeline"),
                Field::new("Actual").key("actual").hint("$410k"),
                Field::new("Goal").key("goal").hint("$500k"),
                Field::new("Follow-up").key("follow-up").hint("an action agreed (empty: none)"),
                crate::tui::widgets::owner::field("Owner", cx).key("owner"),
                Field::new("Due").key("due").hint("fri, +2w, 2026-12-04").date(cx.now.date()),
            ],
        )
    };
    Box::new(
        FormPopup::new(form, 96, |f, cx| {
            let today = cx.now.date();
            let subject = Subject::parse(f.get(ABOUT))?;
            let about = view::resolve_subject(cx.store, subject, today).context("About")?;
            let mut follow_ups = Vec::new();
            if !f.get(FOLLOW_UP).is_empty() || !f.get(OWNER).is_empty() || !f.get(DUE).is_empty() {
                // The command line's own grammar and check, so both refuse alike.
                let typed = format!("{}={}@{}", f.get(FOLLOW_UP), f.get(OWNER), f.get(DUE));
                follow_ups.push(parse_follow_up(&typed, today).map_err(|e| {
                    let field = if f.get(FOLLOW_UP).is_empty() {
                        "follow-up"
                    } else if f.get(OWNER).is_empty() {
                        "owner"
                    } else {
                        "due"
                    };
                    Error::from(crate::domain::error::Error::input(e.to_string()).in_field(field))
                })?);
            }
            let p = NewPostmortem {
                title: f.get(TITLE).into(),
                about,
                record: Record {
                    worked: f.get(WORKED).into(),
                    didnt: f.get(DIDNT).into(),
                    outcome_metric: f.get(METRIC).into(),
                    outcome_actual: f.get(ACTUAL).into(),
                    outcome_goal: f.get(GOAL).into(),
                },
                follow_ups,
            };
            let added = cx.store.write(|tx| tx.postmortems().add(&p, cx.now))?;
            let mut said = format!("post-mortem #{} written", added.id);
            for (id, fu) in added.follow_ups.iter().zip(&p.follow_ups) {
                said.push_str(&format!("; {}", crate::io::export::learn::follow_up_logged(*id, fu)));
            }
            Ok(Effect::Saved(said))
        })
        .cancelled("no post-mortem written"),
    )
}

/// Space: an open follow-up marked done, as `decision done ID` does it (a follow-up is a
/// decision). The most overdue is offered first.
pub fn done(cx: &Ctx) -> Result<Box<dyn Popup>> {
    let today = cx.now.date();
    let mut open: Vec<_> = cx
        .store
        .postmortems()
        .follow_ups()?
        .into_iter()
        .filter(|f| f.status.is_open() && f.done_on.is_none())
        .collect();
    open.sort_by_key(|f| (f.due.is_none(), f.due, f.decision_id));
    let choices: Vec<String> = open.iter().map(|f| format!("#{} {}", f.decision_id, f.text)).collect();
    let mut form = Form::new(
        "Mark a follow-up done",
        vec![
            Field::new("Follow-up")
                .required()
                .key("follow-up")
                .value(choices.first().map(String::as_str).unwrap_or(""))
                .hint("#ID: Tab completes the open ones")
                .choices(choices),
        ],
    );
    form.notes = open.iter().take(6).map(|f| crate::io::export::learn::follow_up_line(f, today)).collect();
    if open.is_empty() {
        form.notes.push("no follow-up is open".into());
    }
    Ok(Box::new(
        FormPopup::new(form, 96, |f, cx| {
            let typed = f.get(0);
            let id: i64 = typed
                .trim_start_matches('#')
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| {
                    Error::from(
                        crate::domain::error::Error::input(format!("'{typed}' is not a follow-up: write #ID"))
                            .in_field("follow-up"),
                    )
                })?;
            let d = cx.store.write(|tx| tx.decisions().set_status(id, DecisionStatus::Done, cx.now))?;
            Ok(Effect::Saved(format!("decision #{} done: {}", d.id, d.title)))
        })
        .cancelled("no follow-up changed"),
    ))
}

/// `a`: an alert rule, as `alert add KEY --metric M --when W [--channel C] [--owner O]` adds it.
pub fn alert(cx: &Ctx) -> Box<dyn Popup> {
    let metrics: Vec<String> = cx.store.kpis().metrics().unwrap_or_default().into_iter().map(|m| m.key).collect();
    let whens = ["below-target", "behind-pace", "above=", "below=", "crosses="].map(String::from).to_vec();
    let form = Form::new(
        "Add an alert rule",
        vec![
            Field::new("Key").required().key("key").hint("sqls-behind: how commands name it"),
            Field::new("Metric").required().key("metric").choices(metrics),
            Field::new("When")
                .required()
                .key("when")
                .hint("below-target, behind-pace, above=V, below=V, crosses=V")
                .choices(whens),
            Field::new("Channel").key("channel").hint("empty: the metric's total"),
            crate::tui::widgets::owner::field("Owner", cx).key("owner"),
        ],
    );
    Box::new(
        FormPopup::new(form, 84, |f, cx| {
            let opt = |i: usize| Some(f.get(i)).filter(|s| !s.is_empty());
            let rule = cx.store.alerts().check_rule(f.get(0), f.get(1), f.get(2), opt(3), opt(4))?;
            cx.store.write(|tx| tx.alerts().add(&rule, cx.now))?;
            Ok(Effect::Saved(crate::io::export::learn::alert_added(&rule)))
        })
        .cancelled("no alert rule added"),
    )
}
