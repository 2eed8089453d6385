//! Credits added up by channel or campaign, for one model or several side by side.

use std::collections::HashMap;

use serde::Serialize;

use super::path::path;
use super::split::{roles, split, weights};
use super::{AttributionError, Deal, Model, Settings};
use crate::domain::text::name_key;

/// What the credits are added up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum By {
    Channel,
    /// Campaign names fold case, spacing and dashes (`domain::text::name_key`), shown as first met.
    Campaign,
}

/// One channel (or campaign) with its credit under each model of the report, in the report's
/// model order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// `None`: touches that name no campaign (only when adding up by campaign).
    pub key: Option<String>,
    pub cents: Vec<i64>,
}

impl Row {
    /// How far the models disagree on this row: the largest credit minus the smallest.
    pub fn spread(&self) -> i64 {
        let max = self.cents.iter().max().copied().unwrap_or(0);
        let min = self.cents.iter().min().copied().unwrap_or(0);
        max - min
    }
}

/// Deals with no touch at or before their conversion: counted, never dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Unattributed {
    pub deals: usize,
    pub cents: i64,
}

/// Attribution of a set of deals under one or several models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub by: By,
    pub models: Vec<Model>,
    pub half_life_days: f64,
    /// Deals with at least one touch, and their amount: every model's column sums to it.
    pub deals: usize,
    pub cents: i64,
    /// Ordered by the first model's credit, largest first, then by name; no-campaign last.
    pub rows: Vec<Row>,
    pub unattributed: Unattributed,
    /// Per model: attributed deals that lacked a milestone the model weighs (a contact-created,
    /// deal-created or closed-won touch), whose present weights were renormalised.
    pub missing_milestones: Vec<usize>,
}

/// Attribute every deal under every model and add the credits up.
pub fn report(deals: &[Deal], models: &[Model], by: By, settings: &Settings) -> Result<Report, AttributionError> {
    let mut keys = Keys::default();
    let mut cents: Vec<Vec<i64>> = Vec::new();
    let (mut w, mut order, mut split_cents, mut row_of) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut missing = vec![0usize; models.len()];
    let (mut attributed, mut total, mut unattributed) = (0usize, 0i64, Unattributed::default());
    let add = |sum: &mut i64, c: i64| -> Result<(), AttributionError> {
        *sum = sum.checked_add(c).ok_or(AttributionError::Overflow)?;
        Ok(())
    };
    for deal in deals {
        let path = path(deal)?;
        if path.is_empty() {
            unattributed.deals += 1;
            add(&mut unattributed.cents, deal.amount_cents)?;
            continue;
        }
        attributed += 1;
        add(&mut total, deal.amount_cents)?;
        // Each touch's row once per deal, then every model adds into it.
        row_of.clear();
        for s in &path.steps {
            let key = match by {
                By::Channel => Some(s.channel),
                By::Campaign => s.campaign,
            };
            let (row, new) = keys.row(key);
            if new {
                cents.push(vec![0; models.len()]);
            }
            row_of.push(row);
        }
        for (m, &model) in models.iter().enumerate() {
            if path.lacks(roles(model)) {
                missing[m] += 1;
            }
            weights(model, &path, deal.converted_at, settings, &mut w);
            split(deal.amount_cents, &w, &mut order, &mut split_cents);
            for (&row, &c) in row_of.iter().zip(&split_cents) {
                add(&mut cents[row][m], c)?;
            }
        }
    }
    let mut rows: Vec<Row> =
        keys.names.into_iter().zip(cents).map(|(key, cents)| Row { key: key.map(str::to_string), cents }).collect();
    rows.sort_by(|a, b| {
        let first = |r: &Row| r.cents.first().copied().unwrap_or(0);
        first(b).cmp(&first(a)).then_with(|| a.key.is_none().cmp(&b.key.is_none())).then_with(|| a.key.cmp(&b.key))
    });
    Ok(Report {
        by,
        models: models.to_vec(),
        half_life_days: settings.half_life_days,
        deals: attributed,
        cents: total,
        rows,
        unattributed,
        missing_milestones: missing,
    })
}

/// Row numbers by key, looked up by the text as given first (one hash per touch), folding
/// campaign spellings only when a text is new.
#[derive(Default)]
struct Keys<'a> {
    by_text: HashMap<Option<&'a str>, usize>,
    by_fold: HashMap<String, usize>,
    names: Vec<Option<&'a str>>,
}

impl<'a> Keys<'a> {
    /// The row for `key`, and whether it was just made.
    fn row(&mut self, key: Option<&'a str>) -> (usize, bool) {
        if let Some(&row) = self.by_text.get(&key) {
            return (row, false);
        }
        let fold = key.map(name_key);
        let existing = fold.as_ref().and_then(|f| self.by_fold.get(f).copied());
        let (row, new) = match existing {
            Some(row) => (row, false),
            None => {
                self.names.push(key);
                (self.names.len() - 1, true)
            }
        };
        if let Some(f) = fold {
            self.by_fold.entry(f).or_insert(row);
        }
        self.by_text.insert(key, row);
        (row, new)
    }
}
