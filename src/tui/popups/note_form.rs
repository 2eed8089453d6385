//! A note (annotation) for a day or a range, per metric and channel or for everything: `n` in
//! a KPI's drill-down (for the selected entry's day) and `N` on the Learn tab (for today). It is
//! checked and stored exactly as `mktg note add DAYS TEXT --metric M --channel C` does it.

use chrono::NaiveDate;

use crate::domain::annotation::Annotation;
use crate::domain::error::Error as Refusal;
use crate::error::Error;
use crate::tui::screen::{Effect, Popup};
use crate::tui::widgets::form::{Field, Form};
use crate::tui::widgets::form_popup::FormPopup;

const DAYS: usize = 0;
const TEXT: usize = 1;
const METRIC: usize = 2;
const CHANNEL: usize = 3;

/// The form, its day and scope prefilled (empty metric / channel: every one).
pub fn open(day: NaiveDate, metric: &str, channel: &str) -> Box<dyn Popup> {
    let mut form = Form::new(
        "Add a note",
        vec![
            Field::new("Day(s)")
                .required()
                .key("days")
                .value(&day.to_string())
                .hint("2026-11-19, or a range 2026-11-09..2026-11-10"),
            Field::new("Note").required().key("text").hint("what happened: site outage, price change..."),
            Field::new("Metric").key("metric").value(metric).hint("empty: every metric"),
            Field::new("Channel").key("channel").value(channel).hint("empty: every channel"),
        ],
    );
    form.focus = TEXT;
    Box::new(
        FormPopup::new(form, 76, |f, cx| {
            let note =
                Annotation::new(f.get(DAYS), f.get(TEXT), Some(f.get(METRIC)), Some(f.get(CHANNEL)), cx.now.date())
                    // The same words as `note add`, the cursor on the days they are about.
                    .map_err(|e| Error::from(Refusal::input(e.to_string()).in_field("days")))?;
            let id = cx.store.write(|tx| tx.notes().add(&note, cx.now))?;
            Ok(Effect::Saved(format!("note #{id} added for {}", note.from)))
        })
        .cancelled("no note added"),
    )
}
