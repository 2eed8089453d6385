//! The tools: each is a name, what it tells the agent, an argument type (whose JSON schema the
//! agent sees), and a function that calls the computation the command line calls. Adding a
//! tool is one entry in [`TOOLS`] and one small function here.

use std::sync::Arc;

use chrono::NaiveDateTime;
use rmcp::handler::server::common::{schema_for_empty_input, schema_for_input, schema_for_output};
use rmcp::model::JsonObject;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::brief::{self, Brief, report};
use crate::config::Config;
use crate::domain::dates::parse_human;
use crate::domain::kpi::EntryInput;
use crate::domain::period::{Grain, Period};
use crate::domain::period_choice::PeriodChoice;
use crate::domain::tiering::Scores;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::decisions::NewDecision;
use crate::store::kpis::NewObservation;
use crate::views::decisions::{DecisionQuery, StatusFilter};
use crate::views::launches::{LaunchRecord, records};

/// What every tool function gets: the store opened for this call, the settings, the instant.
pub(super) struct Call<'a> {
    pub store: &'a Store,
    pub config: &'a Config,
    pub now: NaiveDateTime,
}

/// A tool's answer: the JSON text exactly as the command line prints it (pretty, one newline),
/// and the same JSON as a value, for `structuredContent`.
#[derive(Debug)]
pub(super) struct Answer {
    pub text: String,
    pub value: Value,
}

impl Answer {
    /// Serialise `v` with the command line's own `output::json`, so the bytes are its bytes.
    pub(super) fn of<T: serde::Serialize>(v: &T) -> Result<Answer> {
        let text = crate::output::json::<T, Error>(v)?;
        let value = serde_json::to_value(v).map_err(|e| Error::system(format!("json: {e}")))?;
        Ok(Answer { text, value })
    }
}

pub(super) struct Spec {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Refused unless the server was started with `--allow-writes`.
    pub writes: bool,
    pub input: fn() -> Arc<JsonObject>,
    pub output: Option<fn() -> Arc<JsonObject>>,
    pub run: fn(&Call<'_>, JsonObject) -> Result<Answer>,
}

/// The refusal a write tool gets from a read-only server, word for word.
pub(super) const READ_ONLY: &str = "read-only server: start with mktg mcp --allow-writes";

pub(super) const TOOLS: &[Spec] = &[
    Spec {
        name: "get_brief",
        title: "Morning brief",
        description: "The morning brief, exactly as `mktg brief --format json`: headline KPIs against target and \
            pace for the period to date, the funnel, what needs attention first (ranked), anomalies, today's \
            agenda, decisions due, and the quarter's budget burn. Money is integer cents. Start here.",
        writes: false,
        input: input::<BriefArgs>,
        output: Some(super::schemas::brief_output),
        run: get_brief,
    },
    Spec {
        name: "run_report",
        title: "KPI report",
        description: "KPIs by date, channel and/or campaign over one to four date ranges, shaped like Google \
            Analytics' run_report: dimension_headers, metric_headers, rows of dimension_values and metric_values \
            (strings; money as a decimal string; null where nothing was observed). Sums add, averages average, \
            ratios such as cpl divide sums, so a breakdown adds up to the brief's figure. Unsplit observations \
            show as '(not set)'. Dates: 2026-11-01, today, yesterday, 7daysAgo.",
        writes: false,
        input: input::<ReportArgs>,
        output: Some(schema_for_output::<report::Report>),
        run: run_report,
    },
    Spec {
        name: "list_launches",
        title: "Launches",
        description: "Every launch, exactly as `mktg launch list --format json`: date, stage, tier (computed or \
            overridden, with the reason), readiness, the baseline items still open (they block going live), \
            and the lead-time flag.",
        writes: false,
        input: input::<NoArgs>,
        output: None,
        run: list_launches,
    },
    Spec {
        name: "list_decisions",
        title: "Decision log",
        description: "The decision log, newest first, exactly as `mktg decision list --format json`: what was \
            decided, the recommendation, the risk of doing nothing, the one owner, the due day, the status, the \
            meeting and what it concerns. Filter by status (open = proposed or decided), owner, overdue.",
        writes: false,
        input: input::<DecisionListArgs>,
        output: None,
        run: list_decisions,
    },
    Spec {
        name: "get_today",
        title: "Today",
        description: "Today's meetings, exactly as `mktg today --format json`: the current one and the next \
            marked, checklist progress.",
        writes: false,
        input: input::<NoArgs>,
        output: None,
        run: get_today,
    },
    Spec {
        name: "get_budget",
        title: "Budget",
        description: "A quarter's campaigns, exactly as `mktg budget list --format json`: plan, spend, remaining, \
            pacing, forecast, leads, CPL, pipeline, won revenue, ROI and ROAS, with totals and the 70/20/10 split. \
            Money is integer cents.",
        writes: false,
        input: input::<BudgetArgs>,
        output: None,
        run: get_budget,
    },
    Spec {
        name: "report_exec",
        title: "Executive update",
        description: "The executive update, exactly as `mktg report exec --format json`: the decisions needed \
            first (recommendation, risk of doing nothing, by when, owner), those made in the period, budget \
            risk (campaigns over plan or heading there), launch risk (Tier 1 inside its lead time with items \
            open), then the KPI headline for the period.",
        writes: false,
        input: input::<BriefArgs>,
        output: None,
        run: report_exec,
    },
    Spec {
        name: "team_load",
        title: "Team load",
        description: "Open items per owner, exactly as `mktg team load --format json`: decisions, post-mortem \
            follow-ups, launch checklist items, launches and campaigns each owner carries and how many are overdue \
            (team members first, then owners who are not on the team, then what nobody owns), the team's median, \
            and the director's autonomy: the share of launches live in the last two quarters owned by someone \
            else and with no gate override.",
        writes: false,
        input: input::<NoArgs>,
        output: None,
        run: team_load,
    },
    Spec {
        name: "mentor",
        title: "Mentor's questions",
        description: "The challenges a senior operator would raise today, exactly as `mktg mentor --format json`: \
            each a question (who owns this? by when? what happens if nothing is done? how will we know it worked?) \
            with its evidence and a link to the record. Questions to ask the director, never changes to make.",
        writes: false,
        input: input::<NoArgs>,
        output: None,
        run: mentor,
    },
    Spec {
        name: "competitor_card",
        title: "Battlecard",
        description: "One competitor's battlecard, exactly as `mktg compete card KEY --format json`: the owner, \
            when it was last refreshed and whether it is stale (and why: older than the refresh interval, or the \
            competitor launched since), the six sections in their fixed order (why we win, why we lose, \
            objections as objection/answer/proof, landmines, pricing, proof), what the last refresh changed, and \
            the win rate against the competitor this quarter and last with its n. Keys forgive case and dashes.",
        writes: false,
        input: input::<super::compete::CardArgs>,
        output: None,
        run: super::compete::competitor_card,
    },
    Spec {
        name: "winloss",
        title: "Win/loss",
        description: "Win rate = won / (won + lost), open deals excluded and counted beside it, exactly as \
            `mktg winloss --format json`: in total and per competitor, loss reason or segment, for a period \
            (default this quarter) against the period before, with the change in points and in deals. Every \
            rate carries its n; a rate with no closed deal is null. Money is integer cents.",
        writes: false,
        input: input::<super::compete::WinlossArgs>,
        output: None,
        run: super::compete::winloss,
    },
    Spec {
        name: "add_decision",
        title: "Log a decision",
        description: "Log a decision, as `mktg decision add`: what was decided, one owner (who owns this?), \
            when it is needed by, the recommendation and the risk of doing nothing. Returns the decision as \
            `mktg decision list --format json` shows it. Needs the server started with --allow-writes.",
        writes: true,
        input: input::<DecisionArgs>,
        output: None,
        run: add_decision,
    },
    Spec {
        name: "record_kpi",
        title: "Record a KPI value",
        description: "Record one KPI observation, as `mktg kpi record`, with the same checks: the metric (leads, \
            mqls, spend, ...; a near miss is refused with a suggestion), the value in the metric's unit (1,234; \
            $12,000.50; 12.5%), the day (default today: a value for today counts in pacing from tomorrow) and an \
            optional channel. Returns exactly `mktg kpi record --format json`: the observation as `mktg kpi list \
            --format json` shows it, with notes (a channel new for the metric). Needs --allow-writes.",
        writes: true,
        input: input::<RecordKpiArgs>,
        output: None,
        run: record_kpi,
    },
    Spec {
        name: "score_launch",
        title: "Score a launch",
        description: "Score a launch's three tiering criteria, as `mktg launch score`: revenue impact, competitive \
            urgency and customer demand signal, 1-5 each (12-15 is Tier 1, 8-11 Tier 2, 3-7 Tier 3 by default). \
            Re-derives the readiness checklist; an override that still differs stays in force. Returns the \
            launch as list_launches shows it. Needs the server started with --allow-writes.",
        writes: true,
        input: input::<ScoreArgs>,
        output: None,
        run: score_launch,
    },
    Spec {
        name: "list_experiments",
        title: "Experiments",
        description: "Every A/B experiment, running first, exactly as `mktg experiment list --format json`: the \
            leading variant's relative lift with its interval, the chance to win, the verdict (not enough data \
            with progress, SRM, significant win/loss, inconclusive, won/lost, suspicious), the recommended action \
            and the decision-by day.",
        writes: false,
        input: input::<NoArgs>,
        output: None,
        run: super::learn::list_experiments,
    },
    Spec {
        name: "experiment_readout",
        title: "Experiment readout",
        description: "One experiment read out, exactly as `mktg experiment readout ID --format json`: each variant \
            against the control (rate, absolute and relative lift, delta-method 95% interval, p-value, Bayesian \
            chance to win and risks, sample-ratio check), the verdicts of both engines, and the recommendation, \
            the risk of doing nothing and the decision needed by.",
        writes: false,
        input: input::<super::learn::ReadoutArgs>,
        output: None,
        run: super::learn::experiment_readout,
    },
    Spec {
        name: "attribution",
        title: "Attribution",
        description: "Who gets the credit for closed-won revenue (or pipeline), exactly as `mktg attribution \
            --format json`: one row per channel (or campaign) with one column per model (`w_shaped_cents`), \
            HubSpot's seven models (first, last, linear, u-shaped, w-shaped, full-path, time-decay), exact \
            integer cents, deals with no touch reported as unattributed.",
        writes: false,
        input: input::<super::attribution::AttributionArgs>,
        output: None,
        run: super::attribution::attribution,
    },
];

pub(super) fn find(name: &str) -> Option<&'static Spec> {
    TOOLS.iter().find(|t| t.name == name)
}

fn input<T: JsonSchema + 'static>() -> Arc<JsonObject> {
    // Every argument type is a struct, so this never falls back; a test holds it to that.
    schema_for_input::<T>().unwrap_or_else(|_| schema_for_empty_input())
}

/// The arguments as `T`; anything unknown or malformed is refused naming it.
pub(super) fn args<T: DeserializeOwned>(tool: &str, args: JsonObject) -> Result<T> {
    serde_json::from_value(Value::Object(args)).map_err(|e| Error::input(format!("{tool}: {e}")))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NoArgs {}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct BriefArgs {
    /// The period, as `--period` takes it: day, week, month (the default) or quarter to date (on a
    /// period's first morning, the one just closed), last-week, last-month, last-quarter, or a
    /// name: 2026-11, 2026-Q4, 2026-W47.
    #[serde(default)]
    period: Option<String>,
}

/// `--period` as the command line reads it (the same words, the same refusals).
fn period_choice(tool: &str, period: Option<&str>) -> Result<PeriodChoice> {
    PeriodChoice::parse(period.unwrap_or("month")).map_err(|e| Error::input(format!("{tool}: period: {e}")))
}

fn get_brief(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let a: BriefArgs = args("get_brief", a)?;
    let choice = period_choice("get_brief", a.period.as_deref())?;
    let b = Brief::build_at(c.store, c.config, c.now, choice)?;
    Answer::of(&brief::to_json(&b))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ReportArgs {
    /// Metric keys, 1 to 10: leads, mqls, sqls, pipeline, spend, cpl, roas, ... (get_brief lists the headline ones).
    metrics: Vec<String>,
    /// Break the rows down by any of these, in column order. None: one row per date range.
    #[serde(default)]
    dimensions: Vec<ReportDimension>,
    /// One to four ranges; with more than one, a date_range column names each row's range.
    date_ranges: Vec<DateRangeArg>,
    /// Rows to return (default 10000, at most 100000); row_count says how many there are.
    #[serde(default)]
    limit: Option<u64>,
    /// Rows to skip first, to page through a long report.
    #[serde(default)]
    offset: Option<u64>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum ReportDimension {
    Date,
    Channel,
    Campaign,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DateRangeArg {
    /// First day, inclusive: 2026-11-01, today, yesterday, 30daysAgo.
    start_date: String,
    /// Last day, inclusive.
    end_date: String,
    /// What to call this range in the date_range column (default date_range_0, date_range_1, ...).
    #[serde(default)]
    name: Option<String>,
}

fn run_report(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let a: ReportArgs = args("run_report", a)?;
    let req = report::Request {
        metrics: a.metrics,
        dimensions: a
            .dimensions
            .iter()
            .map(|d| match d {
                ReportDimension::Date => "date",
                ReportDimension::Channel => "channel",
                ReportDimension::Campaign => "campaign",
            })
            .map(String::from)
            .collect(),
        date_ranges: a
            .date_ranges
            .into_iter()
            .map(|r| report::RangeRequest { start_date: r.start_date, end_date: r.end_date, name: r.name })
            .collect(),
        limit: a.limit,
        offset: a.offset,
    };
    Answer::of(&report::run(c.store, &req, c.now.date())?)
}

fn list_launches(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let _: NoArgs = args("list_launches", a)?;
    Answer::of(&records(c.store, c.now.date(), &c.config.tiers)?)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DecisionListArgs {
    /// proposed, decided, done, reversed, superseded, open (proposed or decided) or all (the default).
    #[serde(default)]
    status: Option<String>,
    /// Only this owner's decisions (any case).
    #[serde(default)]
    owner: Option<String>,
    /// Only open decisions past their due day.
    #[serde(default)]
    overdue: bool,
}

fn list_decisions(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let a: DecisionListArgs = args("list_decisions", a)?;
    let status =
        StatusFilter::parse(a.status.as_deref().unwrap_or("")).map_err(|e| Error::input(format!("status: {e}")))?;
    let q = DecisionQuery { status, owner: a.owner, overdue: a.overdue };
    Answer::of(&crate::views::decisions::list(c.store, &q, c.now.date())?)
}

fn get_today(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let _: NoArgs = args("get_today", a)?;
    Answer::of(&crate::views::today::Day::load(c.store, c.config, c.now)?.json())
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct BudgetArgs {
    /// The quarter, e.g. 2026-Q4 (default: the current one).
    #[serde(default)]
    period: Option<String>,
}

fn get_budget(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let a: BudgetArgs = args("get_budget", a)?;
    let today = c.now.date();
    let period = match a.period {
        Some(p) => {
            let q = Period::parse(&p).map_err(|e| Error::input(format!("period: {e}")))?;
            if q.grain != Grain::Quarter {
                return Err(Error::input(format!("period: '{}' is not a quarter (expected e.g. 2026-Q4)", p.trim())));
            }
            q
        }
        None => Period::containing(Grain::Quarter, today),
    };
    Answer::of(&crate::views::budget::budget(c.store, &period, today, &c.config.pacing)?)
}

fn report_exec(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let a: BriefArgs = args("report_exec", a)?;
    let choice = period_choice("report_exec", a.period.as_deref())?;
    Answer::of(&crate::views::exec::ExecReport::build_at(c.store, c.config, c.now, choice)?.json())
}

fn team_load(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let _: NoArgs = args("team_load", a)?;
    Answer::of(&crate::views::team::load(c.store, c.config, c.now.date())?)
}

fn mentor(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let _: NoArgs = args("mentor", a)?;
    Answer::of(&crate::views::team::mentor(c.store, c.config, c.now.date())?)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DecisionArgs {
    /// What was decided, in one line.
    text: String,
    /// The one person who owns it. Every decision has an owner: who owns this?
    owner: String,
    /// When the decision is needed by: 2026-11-27, fri, tomorrow, +3d.
    #[serde(default)]
    due: Option<String>,
    /// The risk of doing nothing.
    #[serde(default)]
    risk: Option<String>,
    /// The recommendation and its context.
    #[serde(default)]
    recommendation: Option<String>,
    /// The meeting it was decided in: a meeting id, or a meeting's key or name meaning today's
    /// (sales-sync, "Ad performance review"), as `mktg decision add --meeting` takes it.
    #[serde(default)]
    meeting: Option<String>,
}

fn add_decision(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let a: DecisionArgs = args("add_decision", a)?;
    let due =
        a.due.map(|d| parse_human(&d, c.now.date())).transpose().map_err(|e| Error::input(format!("due: {e}")))?;
    let d = NewDecision {
        title: a.text,
        owner: a.owner,
        due,
        risk: a.risk.unwrap_or_default(),
        recommendation: a.recommendation.unwrap_or_default(),
        ..NewDecision::default()
    };
    // The meeting is found as `decision add --meeting` finds it, in the same transaction.
    let id = c.store.write(|tx| {
        let meeting_id = a.meeting.as_deref().map(|m| tx.cadence().resolve_meeting(m, c.now)).transpose()?;
        tx.decisions().add(&NewDecision { meeting_id, ..d }, c.now)
    })?;
    Answer::of(&c.store.decisions().get(id)?)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RecordKpiArgs {
    /// The metric's key: leads, mqls, sqls, pipeline, spend, ... (get_brief lists the headline ones).
    metric: String,
    /// The value as a person types it, in the metric's unit: 1,234 or $12,000.50 or 12.5%.
    value: String,
    /// The day it is for (default today): 2026-11-19, yesterday, -2d.
    #[serde(default)]
    date: Option<String>,
    /// The channel it came from (email, paid-search, ...); none for an unsplit total.
    #[serde(default)]
    channel: Option<String>,
}

fn record_kpi(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let a: RecordKpiArgs = args("record_kpi", a)?;
    let input =
        EntryInput { metric: &a.metric, value: &a.value, day: a.date.as_deref(), channel: a.channel.as_deref() };
    let today = c.now.date();
    let (entry, notice) = c.store.kpis().check_entry(&input, today)?;
    let id = c.store.write(|tx| tx.kpis().record(&NewObservation::from(&entry), c.now))?;
    Answer::of(&crate::views::kpis::recorded(c.store, id, notice.as_ref(), today)?)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ScoreArgs {
    /// The launch's id, from list_launches.
    id: i64,
    /// Revenue impact, 1-5.
    revenue: i64,
    /// Competitive urgency, 1-5.
    urgency: i64,
    /// Strength of the customer demand signal, 1-5.
    demand: i64,
}

fn score_launch(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let a: ScoreArgs = args("score_launch", a)?;
    let scores = Scores::new(a.revenue, a.urgency, a.demand)?;
    c.store.write(|tx| tx.launches().score(a.id, scores, &c.config.tiers, &c.config.user, c.now))?;
    let launch = c.store.launches().get(a.id)?;
    Answer::of(&LaunchRecord::from_launch(&launch, c.now.date(), &c.config.tiers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_has_a_unique_name_and_an_object_input_schema_of_its_own() {
        assert!(schema_for_input::<NoArgs>().is_ok());
        assert!(schema_for_input::<BriefArgs>().is_ok());
        assert!(schema_for_input::<ReportArgs>().is_ok());
        assert!(schema_for_input::<DecisionArgs>().is_ok());
        assert!(schema_for_input::<ScoreArgs>().is_ok());
        assert!(schema_for_input::<RecordKpiArgs>().is_ok());
        assert!(schema_for_input::<DecisionListArgs>().is_ok());
        assert!(schema_for_input::<BudgetArgs>().is_ok());
        assert!(schema_for_input::<super::super::compete::CardArgs>().is_ok());
        assert!(schema_for_input::<super::super::compete::WinlossArgs>().is_ok());
        for (i, t) in TOOLS.iter().enumerate() {
            assert!(TOOLS[..i].iter().all(|o| o.name != t.name), "{} twice", t.name);
            assert_eq!((t.input)().get("type"), Some(&serde_json::json!("object")), "{}", t.name);
        }
    }

    #[test]
    fn unknown_arguments_are_refused_naming_the_tool_and_the_field() {
        let e = args::<BriefArgs>("get_brief", serde_json::from_str(r#"{"periode": "week"}"#).unwrap()).unwrap_err();
        assert!(e.to_string().starts_with("get_brief: unknown field `periode`"), "{e}");
        // The period is read as `--period` reads it: the same words and the same refusal.
        let e = period_choice("get_brief", Some("year")).unwrap_err();
        assert!(
            e.to_string().starts_with("get_brief: period: 'year' is not a period (one of: day, week, month"),
            "{e}"
        );
        assert!(period_choice("report_exec", Some("last-quarter")).is_ok());
    }
}
