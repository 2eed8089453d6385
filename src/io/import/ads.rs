//! Row handling shared by the paid-media presets: one spend entry plus delivery KPIs per
//! campaign-day (or per campaign over the report's period, when it has no day column).

use chrono::{Datelike, NaiveDate};
use csv::StringRecord;

use super::date::push_iso;
use super::sink::Sink;
use super::table::{Header, Table, cell, opt_cell, read_counts};
use crate::domain::channel::Channel;

/// Where each field lives in this file's header.
pub(super) struct AdsColumns {
    pub day: Option<usize>,
    pub campaign: usize,
    pub cost: usize,
    pub currency: Option<usize>,
    /// Campaign type, when the tool says which network a campaign runs on.
    pub kind: Option<usize>,
    pub subtype: Option<usize>,
    /// (metric key, column) for each count column present.
    pub counts: Vec<(&'static str, usize)>,
    /// Segment columns (Device, Network...) that split a campaign-day over rows.
    pub segments: Vec<usize>,
}

/// How a row's channel is found.
pub(super) enum ChannelRule {
    /// From the campaign type (and subtype) through the alias table's campaign types.
    CampaignType,
    /// One channel for the whole tool (LinkedIn is paid social).
    Fixed(&'static str),
}

/// What differs between the tools once the columns are known.
pub(super) struct AdsSource {
    pub note: &'static str,
    pub channel: ChannelRule,
}

/// Segments a report may be split by, summed per campaign-day with the reason said.
pub(super) const SEGMENTS: &[&str] = &[
    "Device",
    "Network",
    "Network (with search partners)",
    "Ad group",
    "Top vs. Other",
    "Hour of day",
    "Ad network type",
];

/// Per-row scratch reused across rows so the hot loop does not allocate for parsed counts.
pub(super) struct Scratch {
    counts: Vec<Option<f64>>,
}

impl Scratch {
    pub fn new(cols: &AdsColumns) -> Self {
        Scratch { counts: vec![None; cols.counts.len()] }
    }
}

/// Totals rows are only recognised by an explicit label, because a campaign may itself be named "Total …".
pub(super) fn is_totals(first: &str) -> bool {
    let lower = first.to_ascii_lowercase();
    lower.starts_with("total:") || lower == "total" || lower == "grand total"
}

/// Declares the source, the unread columns and the merge reason, settles the period of a report
/// without a day column (refusing one that cannot be dated or crosses quarters), and reads every
/// row. `range` is the report's own.
pub(super) fn read(
    table: &mut Table<'_>,
    sink: &mut Sink<'_>,
    cols: &AdsColumns,
    src: &AdsSource,
    range: Option<(NaiveDate, NaiveDate)>,
    no_range: &str,
) {
    let h = &table.header;
    let mut signature: Vec<&str> = vec!["spend"];
    signature.extend(cols.counts.iter().map(|(m, _)| *m));
    if cols.day.is_some() {
        signature.push("day");
    }
    let segments: Vec<&str> = cols.segments.iter().map(|&i| h.name(i)).collect();
    let mut dimension = "campaign".to_string();
    for s in &segments {
        dimension.push_str(" by ");
        dimension.push_str(&s.to_ascii_lowercase());
    }
    sink.source(&dimension, &signature);
    if !segments.is_empty() {
        sink.merge_reason(format!("rows split by {}, summed per campaign", segments.join(", ")));
    }
    let mut read: Vec<usize> = vec![cols.campaign, cols.cost];
    read.extend(cols.day.iter().chain(&cols.currency).chain(&cols.kind).chain(&cols.subtype).chain(&cols.segments));
    read.extend(cols.counts.iter().map(|(_, i)| *i));
    sink.not_read(h.unread(&read));
    if cols.kind.is_none() && matches!(src.channel, ChannelRule::CampaignType) {
        sink.note("no Campaign type column: every campaign counted as paid-search");
    }
    let fixed_day = match (cols.day, range) {
        (Some(_), r) => {
            sink.range = r;
            None
        }
        (None, Some((from, to))) => {
            let quarter = |d: NaiveDate| (d.year(), d.month0() / 3);
            if quarter(from) != quarter(to) {
                let msg = format!(
                    "the report covers {from}..{to}, across two quarters, and has no Day column, so its spend \
                     cannot be put in one quarter's budget; download it per quarter or add the Day segment"
                );
                return sink.error(h.line, "-", msg);
            }
            sink.period(from, to);
            Some(to)
        }
        (None, None) => return sink.error(h.line, "-", no_range.to_string()),
    };
    let mut scratch = Scratch::new(cols);
    table.rows(sink, |sink, h, line, rec| row(sink, h, line, rec, cols, src, fixed_day, &mut scratch));
}

#[allow(clippy::too_many_arguments)]
fn row(
    sink: &mut Sink<'_>,
    h: &Header,
    line: usize,
    rec: &StringRecord,
    cols: &AdsColumns,
    src: &AdsSource,
    fixed_day: Option<NaiveDate>,
    scratch: &mut Scratch,
) {
    let first = cell(rec, 0);
    if is_totals(first) || is_totals(cell(rec, cols.campaign)) {
        return sink.skip(
            line,
            format!(
                "totals row ({})",
                crate::domain::text::quote(if is_totals(first) { first } else { cell(rec, cols.campaign) })
            ),
        );
    }
    let mut ok = true;
    let day = match cols.day {
        Some(i) => sink.dates.parse(cell(rec, i)).map_err(|e| sink.error(line, h.name(i), e)).ok(),
        None => fixed_day,
    };
    ok &= day.is_some();
    let campaign = cell(rec, cols.campaign);
    if campaign.is_empty() {
        sink.error(line, h.name(cols.campaign), "empty campaign name");
        ok = false;
    }
    if let Some(i) = cols.currency {
        sink.currency(line, h.name(i), cell(rec, i));
    }
    let cost = match sink.money(line, h.name(cols.cost), cell(rec, cols.cost)) {
        Some(Some(c)) if c < 0 => {
            sink.error(
                line,
                h.name(cols.cost),
                format!("negative cost {}", crate::domain::text::quote(cell(rec, cols.cost))),
            );
            ok = false;
            None
        }
        Some(c) => c,
        None => {
            ok = false;
            None
        }
    };
    ok &= read_counts(sink, h, line, rec, &cols.counts, &mut scratch.counts);
    let Some(day) = day.filter(|_| ok) else {
        return;
    };
    // Every campaign of the account is listed, paused and removed ones too: a row with no spend
    // and no activity creates nothing.
    let active = cost.is_some_and(|c| c != 0) || scratch.counts.iter().any(|v| v.is_some_and(|v| v != 0.0));
    if !active {
        return sink.inactive_campaign(campaign);
    }
    let channel = match &src.channel {
        ChannelRule::Fixed(c) => (*c).to_string(),
        ChannelRule::CampaignType if cols.kind.is_none() => "paid-search".to_string(),
        ChannelRule::CampaignType => {
            let (kind, subtype) = (opt_cell(rec, cols.kind), opt_cell(rec, cols.subtype));
            match sink.campaign_type(kind, subtype) {
                Channel::Known(slug) => slug,
                Channel::Unknown => {
                    let msg = format!(
                        "unknown campaign type '{kind}'; map it in config: [channels.campaign_types] \"{kind}\" = \
                         \"paid-search\" (or another channel)"
                    );
                    return sink.error(line, h.name(cols.kind.unwrap_or(0)), msg);
                }
            }
        }
    };
    sink.campaign(campaign, &channel);
    let label = if fixed_day.is_some() { campaign.to_string() } else { format!("{campaign} on {day}") };

    // Keys: the spend entry is "day|campaign|spend"; KPIs add the channel and metric, so the two
    // kinds never share a key.
    if let Some(c) = cost {
        let key = ads_key(day, campaign, &["spend"]);
        sink.add_spend(line, h.name(cols.cost), key, campaign, &channel, day, c, src.note);
        let key = ads_key(day, campaign, &[&channel, "spend"]);
        sink.add_kpi_cents(line, key, "spend", day, &channel, Some(campaign), c, &label);
    }
    for (value, &(metric, _)) in scratch.counts.iter().zip(&cols.counts) {
        if let Some(v) = *value {
            let key = ads_key(day, campaign, &[&channel, metric]);
            sink.add_kpi(line, key, metric, day, &channel, Some(campaign), v, &label);
        }
    }
}

fn ads_key(day: NaiveDate, campaign: &str, tail: &[&str]) -> String {
    let mut key = String::with_capacity(12 + campaign.len() + tail.iter().map(|t| t.len() + 1).sum::<usize>());
    push_iso(&mut key, day);
    key.push('|');
    key.push_str(campaign);
    for t in tail {
        key.push('|');
        key.push_str(t);
    }
    key
}
