//! `attribution`: who gets the credit for pipeline or revenue, under one model or several side by
//! side. The command line, the MCP tool `attribution` and the Budget view's attribution panel all
//! read [`readout`]; the options are checked once, in [`Query::parse`].

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::domain::attribution::{By, Goal, Model, Report, Settings, report};
use crate::domain::error::Error as Refusal;
use crate::domain::period::{Grain, Period};
use crate::store::Store;
use crate::store::error::Result;

/// The model shown when none is asked for: W-shaped weighs the three moments a B2B director
/// reports on (first touch, lead creation, deal creation).
pub const DEFAULT_MODEL: Model = Model::WShaped;

/// What to attribute, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub models: Vec<Model>,
    pub by: By,
    pub goal: Goal,
    pub period: Period,
    pub settings: Settings,
}

/// The options as typed (`--model`, `--compare`, `--by`, `--goal`, `--period`, `--half-life-days`).
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    pub model: Option<&'a str>,
    pub compare: &'a [String],
    pub by: Option<&'a str>,
    pub goal: Option<&'a str>,
    pub period: Option<&'a str>,
    pub half_life_days: Option<f64>,
}

impl Query {
    /// The one check behind every face. The period defaults to the quarter containing `today`.
    pub fn parse(o: &Options<'_>, today: NaiveDate) -> std::result::Result<Query, Refusal> {
        let bad =
            |field: &'static str, e: &dyn std::fmt::Display| Refusal::input(format!("{field}: {e}")).in_field(field);
        if o.model.is_some() && !o.compare.is_empty() {
            return Err(Refusal::input(
                "--model and --compare both name models: use --compare with every model to show",
            ));
        }
        let mut models = Vec::new();
        for m in o.compare.iter().flat_map(|m| m.split(',')).filter(|m| !m.trim().is_empty()) {
            let m = Model::parse(m).map_err(|e| bad("compare", &e))?;
            if !models.contains(&m) {
                models.push(m);
            }
        }
        if models.is_empty() {
            models.push(o.model.map(Model::parse).transpose().map_err(|e| bad("model", &e))?.unwrap_or(DEFAULT_MODEL));
        }
        let by = match o.by.map(|b| b.trim().to_ascii_lowercase()).as_deref() {
            None | Some("channel") => By::Channel,
            Some("campaign") => By::Campaign,
            Some(other) => return Err(bad("by", &format!("'{other}' is not channel or campaign"))),
        };
        let goal = match o.goal.map(|g| g.trim().to_ascii_lowercase()).as_deref() {
            None | Some("revenue") | Some("closed-won") => Goal::Revenue,
            Some("pipeline") => Goal::Pipeline,
            Some(other) => return Err(bad("goal", &format!("'{other}' is not revenue or pipeline"))),
        };
        let period = match o.period {
            Some(p) => Period::parse(p).map_err(|e| bad("period", &e))?,
            None => Period::containing(Grain::Quarter, today),
        };
        let settings = match o.half_life_days {
            Some(d) => Settings::with_half_life(d).map_err(|e| bad("half-life-days", &e))?,
            None => Settings::default(),
        };
        Ok(Query { models, by, goal, period, settings })
    }
}

/// The credits of one query, with what a reader needs to trust them.
#[derive(Debug, Clone)]
pub struct Readout {
    pub query: Query,
    pub report: Report,
    pub currency: String,
}

/// Attribute the deals converting in the query's period.
pub fn readout(store: &Store, q: &Query) -> Result<Readout> {
    let deals = store.touches().deals(q.goal, q.period.start, q.period.end())?;
    let report = report(&deals, &q.models, q.by, &q.settings).map_err(|e| Refusal::input(e.to_string()))?;
    Ok(Readout { query: q.clone(), report, currency: store.meta().currency() })
}

/// `attribution --format json`: one row per channel (or campaign) with one column per model,
/// money in integer cents (`w_shaped_cents`).
#[derive(Debug, Serialize)]
pub struct AttributionJson {
    pub period: String,
    pub goal: Goal,
    pub by: By,
    pub currency: String,
    pub models: Vec<Model>,
    pub half_life_days: f64,
    /// Deals with at least one touch before their conversion, and their amount: every model's
    /// column sums to it.
    pub deals: usize,
    pub amount_cents: i64,
    pub rows: Vec<Map<String, Value>>,
    pub unattributed: UnattributedJson,
    /// Per model: deals lacking a milestone the model weighs, whose weights were renormalised.
    pub missing_milestones: Map<String, Value>,
}

#[derive(Debug, Serialize)]
pub struct UnattributedJson {
    pub deals: usize,
    pub amount_cents: i64,
}

/// A model's column name in JSON and CSV: `w_shaped_cents`.
pub fn column(model: Model) -> String {
    format!("{}_cents", model.slug().replace('-', "_"))
}

impl Readout {
    pub fn json(&self) -> AttributionJson {
        let r = &self.report;
        let key_name = match r.by {
            By::Channel => "channel",
            By::Campaign => "campaign",
        };
        let rows = r
            .rows
            .iter()
            .map(|row| {
                let mut m = Map::new();
                m.insert(key_name.into(), row.key.clone().map_or(Value::Null, Value::String));
                for (model, cents) in r.models.iter().zip(&row.cents) {
                    m.insert(column(*model), (*cents).into());
                }
                m
            })
            .collect();
        let missing = r
            .models
            .iter()
            .zip(&r.missing_milestones)
            .map(|(m, n)| (m.slug().replace('-', "_"), (*n).into()))
            .collect();
        AttributionJson {
            period: self.query.period.to_string(),
            goal: self.query.goal,
            by: r.by,
            currency: self.currency.clone(),
            models: r.models.clone(),
            half_life_days: r.half_life_days,
            deals: r.deals,
            amount_cents: r.cents,
            rows,
            unattributed: UnattributedJson { deals: r.unattributed.deals, amount_cents: r.unattributed.cents },
            missing_milestones: missing,
        }
    }
}

/// A channel's plan and spend next to what one model credits it with.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChannelReturn {
    pub channel: String,
    pub planned_cents: i64,
    pub spent_cents: i64,
    pub pipeline_cents: i64,
    pub won_cents: i64,
}

impl ChannelReturn {
    /// Closed-won revenue per unit spent; `None` without spend.
    pub fn roas(&self) -> Option<f64> {
        (self.spent_cents > 0).then(|| self.won_cents as f64 / self.spent_cents as f64)
    }
}

/// The Budget view's attribution panel: per channel, the quarter's plan and spend, and the
/// pipeline and closed-won revenue `model` credits to it in the same period.
#[derive(Debug, Clone)]
pub struct AgainstPlan {
    pub model: Model,
    pub rows: Vec<ChannelReturn>,
    pub total: ChannelReturn,
    /// Won deals no touch explains (count and amount).
    pub unattributed: crate::domain::attribution::Unattributed,
}

pub fn against_plan(store: &Store, period: &Period, today: NaiveDate, model: Model) -> Result<AgainstPlan> {
    let query =
        |goal| Query { models: vec![model], by: By::Channel, goal, period: *period, settings: Settings::default() };
    let won = readout(store, &query(Goal::Revenue))?.report;
    let pipeline = readout(store, &query(Goal::Pipeline))?.report;
    let mut rows: Vec<ChannelReturn> = Vec::new();
    for c in store.budget().rows(period, today)? {
        let r = row(&mut rows, &c.facts.channel);
        r.planned_cents += c.facts.planned_cents;
        r.spent_cents += c.facts.spent_cents;
    }
    for credit in &won.rows {
        row(&mut rows, credit.key.as_deref().unwrap_or("")).won_cents += credit.cents.first().copied().unwrap_or(0);
    }
    for credit in &pipeline.rows {
        row(&mut rows, credit.key.as_deref().unwrap_or("")).pipeline_cents +=
            credit.cents.first().copied().unwrap_or(0);
    }
    rows.sort_by(|a, b| b.won_cents.cmp(&a.won_cents).then_with(|| b.planned_cents.cmp(&a.planned_cents)));
    let total = rows.iter().fold(ChannelReturn { channel: "total".into(), ..Default::default() }, |mut t, r| {
        t.planned_cents += r.planned_cents;
        t.spent_cents += r.spent_cents;
        t.pipeline_cents += r.pipeline_cents;
        t.won_cents += r.won_cents;
        t
    });
    Ok(AgainstPlan { model, rows, total, unattributed: won.unattributed })
}

/// The row of `channel`, added when new.
fn row<'r>(rows: &'r mut Vec<ChannelReturn>, channel: &str) -> &'r mut ChannelReturn {
    let i = match rows.iter().position(|r| r.channel == channel) {
        Some(i) => i,
        None => {
            rows.push(ChannelReturn { channel: channel.to_string(), ..Default::default() });
            rows.len() - 1
        }
    };
    &mut rows[i]
}

/// Every model side by side on closed-won revenue by channel (the panel's comparison table).
pub fn compare_all(store: &Store, period: &Period) -> Result<Readout> {
    let q = Query {
        models: Model::ALL.to_vec(),
        by: By::Channel,
        goal: Goal::Revenue,
        period: *period,
        settings: Settings::default(),
    };
    readout(store, &q)
}
