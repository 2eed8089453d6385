//! `export cadence --format json`: the meeting templates in force.

use serde::Serialize;

use crate::store::Store;
use crate::store::cadence::Template;
use crate::store::error::Result;

/// The templates as they are now, daily cadence first.
pub fn templates(store: &Store) -> Result<Vec<Template>> {
    store.cadence().templates_current()
}

/// The templates as scripts read them (`export cadence --format json`).
pub fn template_views(templates: &[Template]) -> Vec<TemplateView<'_>> {
    templates.iter().map(TemplateView::from).collect()
}

/// The JSON shape of one template (documented in the README).
#[derive(Debug, Serialize)]
pub struct TemplateView<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub start: String,
    pub minutes: u32,
    pub recurrence: &'a str,
    pub rrule: Option<String>,
    pub kind: &'a str,
    pub checklist: &'a [String],
    pub kpis: &'a [String],
    pub valid_from: String,
}

impl<'a> From<&'a Template> for TemplateView<'a> {
    fn from(t: &'a Template) -> Self {
        TemplateView {
            key: &t.key,
            name: &t.name,
            start: t.start.format("%H:%M").to_string(),
            minutes: t.minutes,
            recurrence: &t.recurrence,
            rrule: t.rule().map(|r| r.rrule()),
            kind: &t.kind,
            checklist: &t.checklist,
            kpis: &t.kpis,
            valid_from: t.valid_from.to_string(),
        }
    }
}
