//! The Learn tab's experiment forms, each a `FormPopup` (the one form dialog): add an experiment
//! (`n`), record a variant's counts to date (`r`), decide the selected experiment (`D`). Each
//! calls the check and the write its command calls (`experiment add | result | decide`) and
//! confirms in the same words; a refusal stays in the form, on the field it names.

use crate::domain::dates::parse_human;
use crate::domain::experiment::{parse_count, parse_variants};
use crate::error::{Context as _, Result};
use crate::store::experiments::{Decision, NewExperiment};
use crate::tui::screen::{Ctx, Effect, Popup};
use crate::tui::widgets::form::{Field, Form};
use crate::tui::widgets::form_popup::FormPopup;
use crate::views::experiments as view;

const DATE_HINT: &str = "fri, +2w, 2026-12-04";

/// `n`: a new experiment, as `experiment add NAME --metric M --end DAY ...` adds it.
pub fn add(cx: &Ctx) -> Box<dyn Popup> {
    let today = cx.now.date();
    let metrics: Vec<String> = cx.store.kpis().metrics().unwrap_or_default().into_iter().map(|m| m.key).collect();
    let form = Form::new(
        "New experiment",
        vec![
            Field::new("Name").required().key("name").hint("Demo form: fewer fields"),
            Field::new("Metric")
                .required()
                .key("metric")
                .hint("what converts: signup-rate, demo-requests")
                .choices(metrics),
            Field::new("Variants").key("variants").value("control,treatment").hint("control first, comma-separated"),
            Field::new("Weights").key("weights").hint("50,50 (empty: an even split)"),
            Field::new("Start").key("start").value("today").date(today),
            Field::new("End").key("end").hint(&format!("the decision is needed by: {DATE_HINT}")).date(today),
            crate::tui::widgets::owner::field("Owner", cx).key("owner").value(&cx.config.user),
            Field::new("Hypothesis").key("hypothesis").hint("fewer fields lift demo requests by 10%"),
        ],
    );
    Box::new(
        FormPopup::new(form, 92, |f, cx| {
            let today = cx.now.date();
            let day = |i: usize, label: &str| -> Result<Option<chrono::NaiveDate>> {
                match f.get(i) {
                    "" => Ok(None),
                    s => Ok(Some(parse_human(s, today).context(label)?)),
                }
            };
            let opt = |i: usize| Some(f.get(i)).filter(|s| !s.is_empty());
            let owner = match f.get(6) {
                "" => cx.config.user.clone(),
                o => o.to_string(),
            };
            let e = NewExperiment {
                name: f.get(0).into(),
                metric: f.get(1).into(),
                hypothesis: f.get(7).into(),
                owner,
                start: day(4, "Start")?.or(Some(today)),
                end: day(5, "End")?,
                variants: parse_variants(opt(2), opt(3)).context("Variants")?,
            };
            let id = cx.store.write(|tx| tx.experiments().add(&e, cx.now))?;
            Ok(Effect::Saved(format!("experiment #{id} '{}' added: r records its counts", e.name)))
        })
        .cancelled("no experiment added"),
    )
}

/// `r`: a variant's cumulative counts to date, as `experiment result ID VARIANT --visitors N
/// --conversions K --date D` records them.
pub fn result(id: i64, cx: &Ctx) -> Result<Box<dyn Popup>> {
    let e = cx.store.experiments().get(id)?;
    let names: Vec<String> = e.variants.iter().map(|v| v.name.clone()).collect();
    let first = names.get(1).or(names.first()).cloned().unwrap_or_default();
    let mut form = Form::new(
        &format!("Record a result · #{} {}", e.id, e.name),
        vec![
            Field::new("Variant").required().key("variant").value(&first).choices(names.clone()),
            Field::new("Visitors").required().key("visitors").hint("cumulative to date: 24,238"),
            Field::new("Conversions").required().key("conversions").hint("cumulative to date: 1,139"),
            Field::new("Date").key("date").value("today").hint("the day the counts run through").date(cx.now.date()),
        ],
    );
    form.notes = vec![format!("variants: {} (control first)", names.join(", "))];
    form.focus = 1;
    Ok(Box::new(
        FormPopup::new(form, 84, move |f, cx| {
            let today = cx.now.date();
            let visitors = parse_count(f.get(1), "visitors").context("Visitors")?;
            let conversions = parse_count(f.get(2), "conversions").context("Conversions")?;
            let day = match f.get(3) {
                "" => today,
                s => parse_human(s, today).context("Date")?,
            };
            let r = cx.store.write(|tx| tx.experiments().record(id, f.get(0), visitors, conversions, day, cx.now))?;
            Ok(Effect::Saved(view::recorded_words(id, visitors, conversions, &r)))
        })
        .cancelled("no result recorded"),
    ))
}

/// `D`: decide the experiment, as `experiment decide ID ship|rollback|iterate --reason T`: a
/// decision linked to it, its risk the readout's risk of doing nothing.
pub fn decide(id: i64, cx: &Ctx) -> Result<Box<dyn Popup>> {
    let v = view::readout(cx.store, id, cx.now.date())?;
    let suggested = match v.readout.recommendation.action {
        crate::domain::experiment::Action::Ship => "ship",
        crate::domain::experiment::Action::RollBack => "rollback",
        crate::domain::experiment::Action::Iterate => "iterate",
        _ => "",
    };
    let mut form = Form::new(
        &format!("Decide #{} {}", v.id, v.name),
        vec![
            Field::new("Decision")
                .required()
                .key("decision")
                .value(suggested)
                .hint("ship, rollback or iterate")
                .choices(vec!["ship".into(), "rollback".into(), "iterate".into()]),
            Field::new("Reason").required().key("reason").hint("why, so others can follow it"),
        ],
    );
    form.notes = vec![
        crate::io::export::experiments::recommendation_line(&v.readout),
        format!("Risk of doing nothing: {}", view::risk_words(&v.readout)),
    ];
    form.focus = 1;
    form.long_text = true;
    Ok(Box::new(
        FormPopup::new(form, 92, move |f, cx| {
            let what = Decision::parse(f.get(0)).context("Decision")?;
            let d = view::decide(cx.store, id, what, f.get(1), &cx.config.user, cx.now)?;
            Ok(Effect::Saved(view::decided_words(id, what, d)))
        })
        .cancelled("not decided; nothing logged")
        .required_checked_by_save(),
    ))
}
