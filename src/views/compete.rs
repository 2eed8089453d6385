//! Competition's readouts: `compete card`, `compete list` and `winloss`, as the JSON every face
//! prints (the MCP tools `competitor_card` and `winloss` return exactly these). Every rate comes
//! from `domain::winloss` and carries its n; staleness and refreshes from `domain::battlecard`.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::domain::battlecard::{
    self, Freshness, Objection, REFRESH_GAP_DAYS, Section, SectionChange, StaleReason, parse_objections,
};
use crate::domain::compete::{Competitor, Settings};
use crate::domain::error::Error as Refusal;
use crate::domain::period::{Grain, Period};
use crate::domain::winloss::{self, By, Comparison, Trend, WinRate};
use crate::store::Store;
use crate::store::compete::{Card, RaisedTrigger};
use crate::store::error::Result;

/// A win rate with its deal counts: never a rate without its n.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateJson {
    pub won: u64,
    pub lost: u64,
    /// Open deals: counted beside the rate, never in it.
    pub open: u64,
    /// won + lost: the deals the rate is over.
    pub n: u64,
    /// won / (won + lost), null with no closed deal.
    pub rate: Option<f64>,
    /// "35.0% (n = 20)".
    pub label: String,
    pub won_cents: i64,
    pub lost_cents: i64,
}

impl From<&WinRate> for RateJson {
    fn from(r: &WinRate) -> Self {
        RateJson {
            won: r.won,
            lost: r.lost,
            open: r.open,
            n: r.n(),
            rate: r.rate(),
            label: r.label(),
            won_cents: r.won_cents,
            lost_cents: r.lost_cents,
        }
    }
}

/// One group (or the total) this period against the one before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendJson {
    /// The folded name that groups spellings; null for deals naming none.
    pub key: Option<String>,
    pub name: Option<String>,
    pub this: RateJson,
    pub prev: RateJson,
    /// Percentage points, null when either period has no closed deal.
    pub change_points: Option<f64>,
    /// Change in n (closed deals).
    pub change_deals: i64,
}

impl From<&Trend> for TrendJson {
    fn from(t: &Trend) -> Self {
        TrendJson {
            key: t.key.clone(),
            name: t.name.clone(),
            this: (&t.this).into(),
            prev: (&t.prev).into(),
            change_points: t.change_points().map(|p| (p * 10.0).round() / 10.0),
            change_deals: t.change_deals(),
        }
    }
}

/// `winloss --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WinLossJson {
    pub period: String,
    pub previous: String,
    pub by: By,
    /// Money is in integer cents (`won_cents`, `lost_cents`).
    pub money: &'static str,
    pub total: TrendJson,
    pub groups: Vec<TrendJson>,
}

/// The period `--period` names, or the quarter containing `today`.
pub fn period_or_quarter(period: Option<&str>, today: NaiveDate) -> Result<Period> {
    match period.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(Period::containing(Grain::Quarter, today)),
        Some(p) => {
            let p = Period::parse(p).map_err(|e| e.at("--period"))?;
            if p.grain == Grain::Day {
                return Err(
                    Refusal::input("--period: a day is too short for win/loss (2026-Q4, 2026-11 or 2026-W47)").into()
                );
            }
            Ok(p)
        }
    }
}

/// `--by competitor|reason|segment`.
pub fn parse_by(s: Option<&str>) -> Result<By> {
    match s.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("competitor") => Ok(By::Competitor),
        Some("reason") => Ok(By::Reason),
        Some("segment") => Ok(By::Segment),
        Some(other) => {
            Err(Refusal::input(format!("--by: '{other}' is not a grouping (one of: competitor, reason, segment)"))
                .into())
        }
    }
}

/// Win rates in `period` and the period before, grouped `by`. A quarter (the Compete view,
/// `compete list`, a card, the positioning review, `winloss` by default) reads the outcomes
/// counted per quarter, a few hundred rows whatever the store holds; a month or a week reads
/// the two periods' outcomes. Both go through the same `winloss` comparison.
///
/// By competitor, a deal naming a competitor by its key (`ACME`) or its name (`Acme Corp`)
/// counts under the card's name, so the card, the list and `winloss` agree on one group.
pub fn comparison(store: &Store, period: Period, by: By) -> Result<Comparison> {
    let compete = store.compete();
    let competitors = if by == By::Competitor { compete.competitors()? } else { Vec::new() };
    let mut seen: HashMap<String, Option<String>> = HashMap::new();
    let mut as_card = |named: &mut Option<String>| {
        let Some(named) = named.as_mut() else { return };
        let card = seen.entry(named.clone()).or_insert_with(|| {
            let folded = crate::domain::text::name_key(named);
            competitors.iter().find(|c| c.is_named(&folded)).map(|c| c.name.clone())
        });
        if let Some(name) = card {
            named.clone_from(name);
        }
    };
    if period.grain == Grain::Quarter {
        let mut cells = compete.quarter_cells(period.prev().start, period.start)?;
        if by == By::Competitor {
            cells.iter_mut().for_each(|c| as_card(&mut c.competitor));
        }
        return Ok(winloss::compare_cells(&mut cells, by, period));
    }
    let mut outcomes = compete.outcomes_between(period.prev().start, period.end())?;
    if by == By::Competitor {
        outcomes.iter_mut().for_each(|o| as_card(&mut o.competitor));
    }
    Ok(winloss::compare(&outcomes, by, period))
}

/// The same comparison from every outcome of the two periods, not their per-quarter count:
/// what `comparison` is checked against.
#[cfg(test)]
pub(crate) fn comparison_from_outcomes(store: &Store, period: Period, by: By) -> Result<Comparison> {
    let mut outcomes = store.compete().outcomes_between(period.prev().start, period.end())?;
    if by == By::Competitor {
        let competitors = store.compete().competitors()?;
        for o in &mut outcomes {
            let Some(named) = o.competitor.as_mut() else { continue };
            let folded = crate::domain::text::name_key(named);
            if let Some(c) = competitors.iter().find(|c| c.is_named(&folded)) {
                named.clone_from(&c.name);
            }
        }
    }
    Ok(winloss::compare(&outcomes, by, period))
}

/// `winloss [--period P] [--by B] --format json`.
pub fn winloss(store: &Store, period: Period, by: By) -> Result<WinLossJson> {
    let c = comparison(store, period, by)?;
    Ok(WinLossJson {
        period: c.period.to_string(),
        previous: c.previous.to_string(),
        by,
        money: "cents",
        total: (&c.total).into(),
        groups: c.groups.iter().map(Into::into).collect(),
    })
}

/// One section of a card, written or not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionJson {
    pub section: Section,
    pub title: &'static str,
    /// Null while the section has not been written.
    pub text: Option<String>,
    pub by: Option<String>,
    pub at: Option<NaiveDateTime>,
    /// Changed in the last refresh.
    pub changed: bool,
}

/// The last refresh: when it began, when the one before it ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefreshJson {
    pub began: NaiveDateTime,
    pub previous: Option<NaiveDateTime>,
}

/// `compete card KEY --format json`: what Sales reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardJson {
    pub key: String,
    pub name: String,
    pub owner: String,
    pub segment: Option<String>,
    pub refreshed_on: Option<NaiveDate>,
    pub age_days: Option<i64>,
    pub stale: bool,
    pub stale_after_days: i64,
    pub stale_reasons: Vec<StaleReason>,
    /// The six sections in their fixed order.
    pub sections: Vec<SectionJson>,
    pub objections: Vec<Objection>,
    pub last_refresh: Option<RefreshJson>,
    pub changed_since_previous_refresh: Vec<SectionChange>,
    /// Win rate against this competitor this quarter and last.
    pub win_rate: TrendJson,
    pub period: String,
}

/// A card's freshness on `today` by the protocol.
pub fn freshness(card: &Card, today: NaiveDate, settings: &Settings) -> Freshness {
    battlecard::freshness(
        battlecard::last_refreshed(&card.history),
        &card.launches,
        &card.pivots,
        today,
        settings.stale_after_days,
    )
}

/// The trend of the group naming `c` in `c`'s comparison, or an empty one.
fn trend_of(c: &Comparison, competitor: &Competitor) -> Trend {
    c.groups.iter().find(|t| t.key.as_deref().is_some_and(|k| competitor.is_named(k))).cloned().unwrap_or(Trend {
        key: Some(competitor.key_norm()),
        name: Some(competitor.name.clone()),
        this: WinRate::default(),
        prev: WinRate::default(),
    })
}

/// `compete card KEY` as of `today`.
pub fn card(store: &Store, key: &str, today: NaiveDate, settings: &Settings) -> Result<CardJson> {
    let card = store.compete().card(key)?;
    let quarter = Period::containing(Grain::Quarter, today);
    let c = comparison(store, quarter, By::Competitor)?;
    Ok(card_json(&card, &c, today, settings))
}

/// The card's JSON from what was read: shared by `card` and the cockpit.
pub fn card_json(card: &Card, c: &Comparison, today: NaiveDate, settings: &Settings) -> CardJson {
    let fresh = freshness(card, today, settings);
    let refresh = battlecard::last_refresh(&card.history, REFRESH_GAP_DAYS);
    let changed: Vec<SectionChange> = refresh.as_ref().map(|r| r.2.clone()).unwrap_or_default();
    let current = battlecard::current(&card.history);
    let sections = Section::ALL
        .iter()
        .map(|&s| {
            let v = current.iter().find(|v| v.section == s);
            SectionJson {
                section: s,
                title: s.title(),
                text: v.map(|v| v.text.clone()),
                by: v.map(|v| v.by.clone()),
                at: v.map(|v| v.at),
                changed: changed.iter().any(|c| c.section == s),
            }
        })
        .collect();
    let objections = current
        .iter()
        .find(|v| v.section == Section::Objections)
        .and_then(|v| parse_objections(&v.text).ok())
        .unwrap_or_default();
    let competitor = &card.competitor;
    CardJson {
        key: competitor.key.clone(),
        name: competitor.name.clone(),
        owner: competitor.owner.clone(),
        segment: competitor.segment.clone(),
        refreshed_on: fresh.refreshed_on,
        age_days: fresh.age_days,
        stale: fresh.is_stale(),
        stale_after_days: settings.stale_after_days,
        stale_reasons: fresh.reasons,
        sections,
        objections,
        last_refresh: refresh.as_ref().map(|r| RefreshJson { began: r.0, previous: r.1 }),
        changed_since_previous_refresh: changed,
        win_rate: (&trend_of(c, competitor)).into(),
        period: c.period.to_string(),
    }
}

/// One competitor in `compete list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompetitorJson {
    pub key: String,
    pub name: String,
    pub owner: String,
    pub segment: Option<String>,
    pub win_rate: TrendJson,
    pub refreshed_on: Option<NaiveDate>,
    pub age_days: Option<i64>,
    pub stale: bool,
    pub stale_reasons: Vec<StaleReason>,
}

/// `compete list --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListJson {
    pub period: String,
    pub previous: String,
    pub stale_after_days: i64,
    /// Stale cards first, then by key.
    pub competitors: Vec<CompetitorJson>,
    /// Competitors deals name that have no card yet (a new competitor entering).
    pub without_card: Vec<TrendJson>,
    /// All deals this quarter and last.
    pub total: TrendJson,
    /// Positioning triggers whose proposed decision is still open.
    pub open_triggers: Vec<RaisedTrigger>,
}

/// `compete list` as of `today`.
pub fn list(store: &Store, today: NaiveDate, settings: &Settings) -> Result<ListJson> {
    let cards = store.compete().cards()?;
    let c = comparison(store, Period::containing(Grain::Quarter, today), By::Competitor)?;
    let triggers = store.compete().triggers()?.into_iter().filter(RaisedTrigger::is_open).collect();
    Ok(list_json(&cards, &c, triggers, today, settings))
}

/// The quarter a quarterly positioning review on `day` looks at: the one just ended when the
/// review is in a quarter's first month (as the cadence schedules it), else the current one.
pub fn review_period(day: NaiveDate) -> Period {
    let quarter = Period::containing(Grain::Quarter, day);
    if (day - quarter.start).num_days() < 31 { quarter.prev() } else { quarter }
}

/// What the quarterly positioning review on `day` shows: win rate per competitor with its n
/// over the quarter it reviews, the cards and their staleness as of `day`, the open triggers.
pub fn review(store: &Store, day: NaiveDate, settings: &Settings) -> Result<ListJson> {
    let cards = store.compete().cards()?;
    let c = comparison(store, review_period(day), By::Competitor)?;
    let triggers = store.compete().triggers()?.into_iter().filter(RaisedTrigger::is_open).collect();
    Ok(list_json(&cards, &c, triggers, day, settings))
}

/// The list's JSON from what was read: shared by `list` and the cockpit.
pub fn list_json(
    cards: &[Card],
    c: &Comparison,
    open_triggers: Vec<RaisedTrigger>,
    today: NaiveDate,
    settings: &Settings,
) -> ListJson {
    let mut competitors: Vec<CompetitorJson> = cards
        .iter()
        .map(|card| {
            let fresh = freshness(card, today, settings);
            let k = &card.competitor;
            CompetitorJson {
                key: k.key.clone(),
                name: k.name.clone(),
                owner: k.owner.clone(),
                segment: k.segment.clone(),
                win_rate: (&trend_of(c, k)).into(),
                refreshed_on: fresh.refreshed_on,
                age_days: fresh.age_days,
                stale: fresh.is_stale(),
                stale_reasons: fresh.reasons,
            }
        })
        .collect();
    competitors.sort_by(|a, b| b.stale.cmp(&a.stale).then_with(|| a.key.cmp(&b.key)));
    let without_card = c
        .groups
        .iter()
        .filter(|t| t.key.as_deref().is_some_and(|k| !cards.iter().any(|card| card.competitor.is_named(k))))
        .map(Into::into)
        .collect();
    ListJson {
        period: c.period.to_string(),
        previous: c.previous.to_string(),
        stale_after_days: settings.stale_after_days,
        competitors,
        without_card,
        total: (&c.total).into(),
        open_triggers,
    }
}
