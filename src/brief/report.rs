//! A KPI report by date, channel and campaign over date ranges, in the shape of Google
//! Analytics' `run_report` (dimension and metric headers, rows of values), because that is
//! the shape agents already know. The numbers come from the same daily cube and the same
//! rollups as the brief and `kpi list`: sums add, averages average, stock figures take the
//! latest day, ratios divide the sums of their parts. So a report of leads by channel over
//! the month to date adds up to the brief's leads.

use chrono::{Duration, NaiveDate};
use schemars::JsonSchema;
use serde::Serialize;

use crate::domain::dates::parse_human;
use crate::domain::kpi::{self, Cube, Metric};
use crate::domain::model::{Rollup, Unit};
use crate::store::Store;
use crate::store::error::{Error, Result};

/// What a row shows when an observation has no channel or no campaign (GA's wording).
pub const NOT_SET: &str = "(not set)";
/// Rows returned when no limit is asked for (GA's default).
pub const DEFAULT_LIMIT: u64 = 10_000;
pub const MAX_LIMIT: u64 = 100_000;
/// The widest window a report reads: about ten years of days.
pub const MAX_DAYS: i64 = 3_660;
/// As GA: up to four date ranges, ten metrics.
pub const MAX_RANGES: usize = 4;
pub const MAX_METRICS: usize = 10;

/// A report as asked for, in the words of whoever asked (an agent, later the command line).
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Metric keys: `leads`, `spend`, `cpl`.
    pub metrics: Vec<String>,
    /// Any of `date`, `channel`, `campaign`, in the order the columns should come.
    pub dimensions: Vec<String>,
    pub date_ranges: Vec<RangeRequest>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A date range as typed: `2026-11-01`, `today`, `yesterday`, `7daysAgo` (GA), `-7d`.
#[derive(Debug, Clone, Default)]
pub struct RangeRequest {
    pub start_date: String,
    pub end_date: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dimension {
    Date,
    Channel,
    Campaign,
    /// Added by itself when more than one range is asked for, as GA does.
    DateRange,
}

impl Dimension {
    fn parse(s: &str) -> Result<Dimension> {
        match s.trim().to_ascii_lowercase().as_str() {
            "date" => Ok(Dimension::Date),
            "channel" => Ok(Dimension::Channel),
            "campaign" => Ok(Dimension::Campaign),
            _ => {
                Err(Error::input(format!("'{}' is not a report dimension (one of: date, channel, campaign)", s.trim())))
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Dimension::Date => "date",
            Dimension::Channel => "channel",
            Dimension::Campaign => "campaign",
            Dimension::DateRange => "date_range",
        }
    }
}

/// The report, as GA's Data API answers (`snake_case`, as GA's MCP server prints it).
/// `JsonSchema`: the MCP server publishes this type's schema as run_report's output schema, so
/// the schema is derived from what is serialised, never a copy kept by hand.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Report {
    pub dimension_headers: Vec<DimensionHeader>,
    pub metric_headers: Vec<MetricHeader>,
    pub rows: Vec<Row>,
    /// Rows in the whole report, before `offset` and `limit`.
    #[schemars(schema_with = "count_schema")]
    pub row_count: usize,
    pub metadata: Metadata,
}

/// A plain non-negative integer: schemars' own `"format": "uint"` is unknown to JSON Schema
/// validators (the MCP Inspector warns about it on every call).
fn count_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "integer", "minimum": 0})
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DimensionHeader {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct MetricHeader {
    pub name: String,
    /// GA's metric type: `TYPE_INTEGER`, `TYPE_FLOAT` or `TYPE_CURRENCY`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The store's unit: count, currency, percent (0-100), score, ratio.
    #[schemars(with = "String")]
    pub unit: Unit,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Row {
    pub dimension_values: Vec<Value>,
    pub metric_values: Vec<Value>,
}

/// One cell. Values are strings, as in GA: ISO dates, money as a decimal string in the store's
/// currency (`"41663.62"`), other numbers to four decimals at most. `null` where nothing was
/// observed (or a ratio's denominator is zero): never a made-up zero.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Value {
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Metadata {
    pub currency_code: String,
    /// The ranges as understood, ISO dates.
    pub date_ranges: Vec<RangeShown>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RangeShown {
    pub name: String,
    pub start_date: String,
    pub end_date: String,
}

struct Range {
    name: String,
    start: NaiveDate,
    end: NaiveDate,
}

/// Run `req` against the store; relative dates are read from `today`.
pub fn run(store: &Store, req: &Request, today: NaiveDate) -> Result<Report> {
    let metrics = resolve_metrics(store, &req.metrics)?;
    let mut dimensions: Vec<Dimension> = Vec::new();
    for d in &req.dimensions {
        let d = Dimension::parse(d)?;
        if dimensions.contains(&d) {
            return Err(Error::input(format!("dimension '{}' is asked for twice", d.name())));
        }
        dimensions.push(d);
    }
    let ranges = resolve_ranges(&req.date_ranges, today)?;
    if ranges.len() > 1 {
        dimensions.push(Dimension::DateRange);
    }
    let limit = req.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(Error::input(format!("limit {limit} is out of range (1 to {MAX_LIMIT})")));
    }
    let offset = req.offset.unwrap_or(0);

    let from = ranges.iter().map(|r| r.start).min().unwrap_or(today);
    let to = ranges.iter().map(|r| r.end).max().unwrap_or(today);
    if (to - from).num_days() + 1 > MAX_DAYS {
        return Err(Error::input(format!(
            "the date ranges span {from} to {to}, more than {MAX_DAYS} days; ask for a shorter window"
        )));
    }
    let inputs = super::inputs(metrics.iter());
    let cubes = if dimensions.contains(&Dimension::Campaign) {
        store.kpis().cubes_by_campaign(&inputs, from, to)?
    } else {
        vec![(String::new(), store.kpis().cube(&inputs, from, to)?)]
    };

    // Each row carries a sort key beside its cells: dimension values in column order, the
    // date range by its position (so "previous" and "current" keep the order they were asked in).
    let mut rows: Vec<(Vec<String>, Row)> = Vec::new();
    for (ri, range) in ranges.iter().enumerate() {
        for (campaign, cube) in &cubes {
            let channels: Vec<Option<String>> = if dimensions.contains(&Dimension::Channel) {
                channels_of(cube, &inputs).into_iter().map(Some).collect()
            } else {
                vec![None]
            };
            let spans: Vec<(NaiveDate, NaiveDate)> = if dimensions.contains(&Dimension::Date) {
                days(range.start, range.end).map(|d| (d, d)).collect()
            } else {
                vec![(range.start, range.end)]
            };
            for channel in &channels {
                for &(a, b) in &spans {
                    let values: Vec<Option<f64>> =
                        metrics.iter().map(|m| kpi::value(m, cube, channel.as_deref(), a, b)).collect();
                    if values.iter().all(Option::is_none) {
                        continue;
                    }
                    let cell = |d: &Dimension| -> (String, String) {
                        match d {
                            Dimension::Date => (a.to_string(), a.to_string()),
                            Dimension::Channel => {
                                let c = shown(channel.as_deref().unwrap_or_default());
                                (c.clone(), c)
                            }
                            Dimension::Campaign => (shown(campaign), shown(campaign)),
                            Dimension::DateRange => (format!("{ri:04}"), range.name.clone()),
                        }
                    };
                    let (keys, shown): (Vec<String>, Vec<String>) = dimensions.iter().map(cell).unzip();
                    let metric_values = metrics
                        .iter()
                        .zip(&values)
                        .map(|(m, v)| Value { value: v.map(|v| format_value(m, v)) })
                        .collect();
                    let dimension_values = shown.into_iter().map(|s| Value { value: Some(s) }).collect();
                    rows.push((keys, Row { dimension_values, metric_values }));
                }
            }
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let row_count = rows.len();
    let rows = rows.into_iter().map(|(_, r)| r).skip(offset as usize).take(limit as usize).collect();
    Ok(Report {
        dimension_headers: dimensions.iter().map(|d| DimensionHeader { name: d.name().to_string() }).collect(),
        metric_headers: metrics
            .iter()
            .map(|m| MetricHeader { name: m.key.clone(), kind: metric_type(m), unit: m.unit })
            .collect(),
        rows,
        row_count,
        metadata: Metadata {
            currency_code: store.meta().currency(),
            date_ranges: ranges
                .iter()
                .map(|r| RangeShown {
                    name: r.name.clone(),
                    start_date: r.start.to_string(),
                    end_date: r.end.to_string(),
                })
                .collect(),
        },
    })
}

fn resolve_metrics(store: &Store, keys: &[String]) -> Result<Vec<Metric>> {
    if keys.is_empty() {
        return Err(Error::input("a report needs at least one metric (e.g. leads, spend, cpl)"));
    }
    if keys.len() > MAX_METRICS {
        return Err(Error::input(format!("a report takes at most {MAX_METRICS} metrics, not {}", keys.len())));
    }
    let mut out: Vec<Metric> = Vec::new();
    for k in keys {
        let m = store.kpis().metric(k)?;
        if out.iter().any(|o| o.key == m.key) {
            return Err(Error::input(format!("metric '{}' is asked for twice", m.key)));
        }
        out.push(m);
    }
    Ok(out)
}

fn resolve_ranges(asked: &[RangeRequest], today: NaiveDate) -> Result<Vec<Range>> {
    if asked.is_empty() {
        return Err(Error::input("a report needs a date range (start_date and end_date, e.g. 2026-11-01)"));
    }
    if asked.len() > MAX_RANGES {
        return Err(Error::input(format!("a report takes at most {MAX_RANGES} date ranges, not {}", asked.len())));
    }
    let mut out = Vec::new();
    for (i, r) in asked.iter().enumerate() {
        let start = parse_date(&r.start_date, today).map_err(|e| Error::input(format!("start_date: {e}")))?;
        let end = parse_date(&r.end_date, today).map_err(|e| Error::input(format!("end_date: {e}")))?;
        if start > end {
            return Err(Error::input(format!("date range {start} to {end} ends before it starts")));
        }
        let name = r.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| format!("date_range_{i}"));
        out.push(Range { name, start, end });
    }
    Ok(out)
}

/// A report date: GA's `NdaysAgo` besides everything a person types (`2026-11-01`, `yesterday`).
fn parse_date(s: &str, today: NaiveDate) -> Result<NaiveDate> {
    let t = s.trim().to_ascii_lowercase();
    if let Some(n) = t.strip_suffix("daysago")
        && let Ok(n) = n.parse::<i64>()
        && (0..=36_500).contains(&n)
    {
        return Ok(today - Duration::days(n));
    }
    Ok(parse_human(s, today)?)
}

fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

/// Every channel any of the inputs was observed in, by name ('' = not split by channel).
fn channels_of(cube: &Cube, inputs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = inputs.iter().flat_map(|k| cube.channels(k)).collect();
    out.sort();
    out.dedup();
    out
}

fn shown(s: &str) -> String {
    if s.is_empty() { NOT_SET.to_string() } else { s.to_string() }
}

fn metric_type(m: &Metric) -> &'static str {
    match (m.unit, m.rollup) {
        (Unit::Currency, _) => "TYPE_CURRENCY",
        (Unit::Count, Rollup::Sum | Rollup::Last) => "TYPE_INTEGER",
        _ => "TYPE_FLOAT",
    }
}

/// Money to the cent as a decimal string; everything else to four decimals at most.
fn format_value(m: &Metric, v: f64) -> String {
    if m.unit == Unit::Currency {
        return format!("{v:.2}");
    }
    let r = (v * 10_000.0).round() / 10_000.0;
    // `{}` prints the shortest form that reads back: 2716, 32.5.
    if r == 0.0 { "0".to_string() } else { r.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::kpis::NewObservation;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn store() -> Store {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        for (metric, d, ch, v) in [
            ("leads", "2026-11-18", "email", 10.0),
            ("leads", "2026-11-19", "email", 5.0),
            ("leads", "2026-11-19", "paid-search", 20.0),
            ("leads", "2026-11-19", "", 1.0),
            ("spend", "2026-11-19", "paid-search", 500.0),
            ("spend", "2026-11-19", "email", 0.5),
        ] {
            let o = NewObservation { metric: metric.into(), day: day(d), channel: ch.into(), value: v };
            s.write(|tx| tx.kpis().record(&o, now)).unwrap();
        }
        s
    }

    fn range(a: &str, b: &str) -> RangeRequest {
        RangeRequest { start_date: a.into(), end_date: b.into(), name: None }
    }

    fn cells(r: &Row) -> (Vec<String>, Vec<Option<String>>) {
        (
            r.dimension_values.iter().map(|v| v.value.clone().unwrap_or_default()).collect(),
            r.metric_values.iter().map(|v| v.value.clone()).collect(),
        )
    }

    #[test]
    fn leads_by_channel_add_up_to_the_total_with_unsplit_leads_as_not_set() {
        let s = store();
        let req = Request {
            metrics: vec!["leads".into(), "cpl".into()],
            dimensions: vec!["channel".into()],
            date_ranges: vec![range("2026-11-01", "yesterday")],
            ..Request::default()
        };
        let r = run(&s, &req, day("2026-11-20")).unwrap();
        assert_eq!(r.dimension_headers, vec![DimensionHeader { name: "channel".into() }]);
        assert_eq!(r.metric_headers[0].kind, "TYPE_INTEGER");
        assert_eq!(r.metric_headers[1].kind, "TYPE_CURRENCY");
        let got: Vec<_> = r.rows.iter().map(cells).collect();
        assert_eq!(
            got,
            vec![
                (vec![NOT_SET.to_string()], vec![Some("1".into()), None]),
                (vec!["email".to_string()], vec![Some("15".into()), Some("0.03".into())]),
                (vec!["paid-search".to_string()], vec![Some("20".into()), Some("25.00".into())]),
            ]
        );
        assert_eq!(r.row_count, 3);
        assert_eq!(r.metadata.date_ranges[0].end_date, "2026-11-19");
    }

    #[test]
    fn by_date_only_days_with_data_are_rows_and_two_ranges_add_a_date_range_column() {
        let s = store();
        let req = Request {
            metrics: vec!["leads".into()],
            dimensions: vec!["date".into()],
            date_ranges: vec![
                RangeRequest { name: Some("this".into()), ..range("2026-11-18", "2026-11-19") },
                range("2026-11-01", "2026-11-18"),
            ],
            ..Request::default()
        };
        let r = run(&s, &req, day("2026-11-20")).unwrap();
        let names: Vec<_> = r.dimension_headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["date", "date_range"]);
        let got: Vec<_> = r.rows.iter().map(|r| cells(r).0).collect();
        assert_eq!(
            got,
            vec![
                vec!["2026-11-18".to_string(), "this".to_string()],
                vec!["2026-11-18".to_string(), "date_range_1".to_string()],
                vec!["2026-11-19".to_string(), "this".to_string()],
            ]
        );
        let limited = run(&s, &Request { limit: Some(1), offset: Some(1), ..req }, day("2026-11-20")).unwrap();
        assert_eq!((limited.rows.len(), limited.row_count), (1, 3));
        assert_eq!(cells(&limited.rows[0]).0[1], "date_range_1");
    }

    #[test]
    fn by_campaign_each_campaign_is_a_row_and_observations_credited_to_none_are_not_set() {
        let s = store();
        let now = crate::clock::parse_now("2026-11-20").unwrap();
        // Spend recorded against a campaign gets its spend-KPI twin, credited to that campaign.
        let plan = crate::store::budget::NewPlan {
            name: "Search core".into(),
            period: crate::domain::period::Period::parse("2026-Q4").unwrap(),
            planned_cents: 1_000_000,
            channel: Some("paid-search".into()),
            bucket: None,
            reason: String::new(),
        };
        let id = s.write(|tx| tx.budget().plan(&plan, now)).unwrap().id;
        s.write(|tx| tx.budget().spend_add(id, day("2026-11-18"), 12_000, "", now)).unwrap();
        let req = Request {
            metrics: vec!["spend".into()],
            dimensions: vec!["campaign".into()],
            date_ranges: vec![range("7daysAgo", "yesterday")],
            ..Request::default()
        };
        let r = run(&s, &req, day("2026-11-20")).unwrap();
        assert_eq!(
            r.rows.iter().map(cells).collect::<Vec<_>>(),
            vec![
                (vec![NOT_SET.to_string()], vec![Some("500.50".into())]),
                (vec!["Search core".to_string()], vec![Some("120.00".into())]),
            ]
        );
    }

    #[test]
    fn bad_requests_are_refused_saying_how_to_settle_them() {
        let s = store();
        let today = day("2026-11-20");
        let ok = Request {
            metrics: vec!["leads".into()],
            date_ranges: vec![range("2026-11-01", "2026-11-19")],
            ..Request::default()
        };
        let err = |r: Request| run(&s, &r, today).unwrap_err().to_string();
        assert!(err(Request { metrics: vec!["lead".into()], ..ok.clone() }).contains("did you mean leads"));
        assert!(err(Request { metrics: vec![], ..ok.clone() }).contains("at least one metric"));
        assert!(err(Request { dimensions: vec!["country".into()], ..ok.clone() }).contains("date, channel, campaign"));
        assert!(
            err(Request { date_ranges: vec![range("2026-11-19", "2026-11-01")], ..ok.clone() }).contains("ends before")
        );
        assert!(
            err(Request { date_ranges: vec![range("2026-11-31", "2026-12-01")], ..ok.clone() }).contains("start_date")
        );
        assert!(
            err(Request { date_ranges: vec![range("2000-01-01", "2026-11-01")], ..ok.clone() }).contains("shorter")
        );
        assert!(err(Request { limit: Some(0), ..ok.clone() }).contains("limit"));
        assert!(run(&s, &ok, today).is_ok());
    }
}
