//! Writing one file's facts inside the import transaction: same-file check, replace-on-update,
//! campaign resolution, and the insert loop the million-row benchmark runs through.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::batch::{KpiInserter, insert_order, spells_key};
use super::{CreatedCampaign, ImportOutcome, ImportRequest, ImportSummary, iso_day};
use crate::domain::import::{Fact, Preset};
use crate::domain::period::{Grain, Period};
use crate::domain::winloss::DealOutcome;
use crate::store::compete::outcomes;
use crate::store::error::{Error, Result};
use crate::store::rollups::{Delta, iso_day as iso_date};
use crate::store::tx::Tx;
use crate::store::{fmt_day, fmt_instant, parse_day};

/// How often (in facts) the progress callback hears from the loop.
const PROGRESS_EVERY: usize = 65_536;

/// A fact already in the store from an import this one may replace.
struct Old {
    import_id: i64,
    id: i64,
    kind: Kind,
}

enum Kind {
    Kpi { metric: String, day: String, channel: String, campaign_id: Option<i64>, value: f64 },
    Spend { campaign_id: i64, day: String, amount_cents: i64, note: String },
    Experiment { experiment_id: i64, position: i64, day: String, visitors: i64, conversions: i64 },
    Outcome(DealOutcome),
}

pub(super) fn apply(
    tx: &Tx<'_>,
    req: &ImportRequest<'_>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportOutcome> {
    let req_tx = tx;
    let tx = tx.conn();
    if let Some((id, replaced_by)) = same_file(tx, req.fingerprint)? {
        return Ok(ImportOutcome::AlreadyImported { id, replaced_by });
    }
    let parsed = req.parsed;
    let at = fmt_instant(req.now);
    let range = parsed.range.map(|(a, b)| (fmt_day(a), fmt_day(b)));
    tx.execute(
        "INSERT INTO import_log(at, file_name, fingerprint, preset, range_start, range_end, rows_read, skipped)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            at,
            req.file_name,
            req.fingerprint,
            parsed.preset.name(),
            range.as_ref().map(|r| &r.0),
            range.as_ref().map(|r| &r.1),
            parsed.rows_read as i64,
            parsed.skipped.len() as i64
        ],
    )?;
    let id = tx.last_insert_rowid();
    let (old, replaced) = match &range {
        Some((start, end)) => earlier_export(tx, req, id, start, end)?,
        None => (HashMap::new(), Vec::new()),
    };

    let mut campaigns = Campaigns::new(id, &at);
    let mut counts = Counts::default();
    let total = parsed.facts.len();
    let mut kpis = KpiInserter::new(id, &at);
    let source = parsed.preset.name();
    let mut delta = Delta::default();
    let mut ins_spend = tx.prepare_cached(
        "INSERT INTO spend(campaign_id, day, amount_cents, note, import_id, source_key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    // The import and the instant are the same for every row: bound once, kept across executions.
    ins_spend.raw_bind_parameter(5, id)?;
    ins_spend.raw_bind_parameter(7, &at)?;
    let mut day_buf = [0u8; 10];
    let mut experiments = crate::store::experiments::ImportTargets::default();
    let mut outcome_facts = 0usize;
    for (i, fact) in insert_order(&parsed.facts).into_iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress(i, total);
        }
        let earlier = if old.is_empty() { None } else { old.get(fact.key()) };
        match fact {
            Fact::Kpi { key, metric, day, channel, campaign, value, .. } => {
                let campaign_id = match campaign {
                    Some(name) => Some(campaigns.resolve(tx, name, channel, *day)?),
                    None => None,
                };
                let Some(Old {
                    id: old_id,
                    kind: Kind::Kpi { metric: m, day: d, channel: c, campaign_id: k, value: v },
                    ..
                }) = earlier
                else {
                    kpis.push(tx, metric, *day, channel, campaign_id, *value, key)?;
                    delta.add(source, metric, *day, channel, *value);
                    counts.created += 1;
                    continue;
                };
                // Same numbers: the fact just changes hands; otherwise it takes the new values.
                // The earlier import is of the same preset: the fact stays in its feed.
                let old_day =
                    iso_date(d).ok_or_else(|| Error::system(format!("a stored KPI fact has a bad day '{d}'")))?;
                delta.remove(source, m, old_day, c, *v);
                delta.add(source, metric, *day, channel, *value);
                let day = iso_day(*day, &mut day_buf);
                let same = m == metric && d == day && c == channel && *k == campaign_id && v == value;
                let sql = "UPDATE kpi_obs SET metric = ?1, day = ?2, channel = ?3, campaign_id = ?4, value = ?5,
                           import_id = ?6, source_key = ?7 WHERE id = ?8";
                let stored_key = (!spells_key(key, day, metric, channel)).then_some(key);
                tx.prepare_cached(sql)?.execute(params![
                    metric,
                    day,
                    channel,
                    campaign_id,
                    value,
                    id,
                    stored_key,
                    old_id
                ])?;
                counts.bump(same);
            }
            Fact::Outcome { key, outcome, .. } => {
                outcome_facts += 1;
                match earlier {
                    Some(Old { id: old_id, kind: Kind::Outcome(o), .. }) => {
                        outcomes::update(tx, *old_id, id, key, outcome)?;
                        counts.bump(o == outcome);
                    }
                    _ => {
                        outcomes::insert(tx, id, key, outcome)?;
                        counts.created += 1;
                    }
                }
            }
            Fact::Spend { key, campaign, channel, day, amount_cents, note, .. } => {
                let campaign_id = campaigns.resolve(tx, campaign, channel, *day)?;
                let day = iso_day(*day, &mut day_buf);
                if let Some(Old {
                    id: old_id,
                    kind: Kind::Spend { campaign_id: k, day: d, amount_cents: a, note: n },
                    ..
                }) = earlier
                {
                    let same = *k == campaign_id && d == day && a == amount_cents && n == note;
                    let sql =
                        "UPDATE spend SET campaign_id = ?1, day = ?2, amount_cents = ?3, note = ?4, import_id = ?5
                               WHERE id = ?6";
                    tx.prepare_cached(sql)?.execute(params![campaign_id, day, amount_cents, note, id, old_id])?;
                    counts.bump(same);
                    continue;
                }
                ins_spend.raw_bind_parameter(1, campaign_id)?;
                ins_spend.raw_bind_parameter(2, day)?;
                ins_spend.raw_bind_parameter(3, *amount_cents)?;
                ins_spend.raw_bind_parameter(4, note.as_str())?;
                ins_spend.raw_bind_parameter(6, key.as_str())?;
                ins_spend.raw_execute()?;
                counts.created += 1;
            }
            Fact::Experiment { key, experiment, variant, day, visitors, conversions, .. } => {
                // Checked before the writing began (`experiments::import_problems`).
                let Ok((experiment_id, position, _)) = experiments.resolve(tx, experiment, variant)? else {
                    continue;
                };
                let day = iso_day(day.unwrap_or(req.now.date()), &mut day_buf);
                let (v, c) = (*visitors as i64, *conversions as i64);
                if let Some(Old {
                    id: old_id,
                    kind: Kind::Experiment { experiment_id: e, position: p, day: d, visitors: v0, conversions: c0 },
                    ..
                }) = earlier
                {
                    let same = *e == experiment_id && *p == position && d == day && *v0 == v && *c0 == c;
                    tx.prepare_cached(
                        "UPDATE experiment_result SET experiment_id = ?1, position = ?2, day = ?3, visitors = ?4,
                         conversions = ?5, import_id = ?6 WHERE id = ?7",
                    )?
                    .execute(params![experiment_id, position, day, v, c, id, old_id])?;
                    counts.bump(same);
                    continue;
                }
                tx.prepare_cached(
                    "INSERT INTO experiment_result(experiment_id, position, day, visitors, conversions, import_id,
                                                   source_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![experiment_id, position, day, v, c, id, key, at])?;
                counts.created += 1;
            }
        }
    }
    kpis.flush(tx)?;
    progress(total, total);

    // A spend-csv brings spend entries only: each gets its twin in the spend KPI, as an entry
    // recorded by hand does (budget::writes::sync_spend_kpi), so the dashboard and the budget
    // count the same money. Ad exports bring their own spend KPI facts. Twins are derived, not
    // counted as facts, and go with their import on replace and undo.
    let twins = parsed.preset == Preset::SpendCsv;
    let twin = "o.import_id = ?1 AND o.metric = 'spend' AND o.source_key LIKE 'spend:%'";
    for &old_id in &replaced {
        if twins {
            delta.remove_where(tx, twin, [old_id])?;
            tx.execute(
                "DELETE FROM kpi_obs WHERE import_id = ?1 AND metric = 'spend' AND source_key LIKE 'spend:%'",
                [old_id],
            )?;
        }
    }
    if twins {
        tx.execute(
            "INSERT INTO kpi_obs(metric, day, channel, campaign_id, value, import_id, source_key, created_at)
             SELECT 'spend', s.day, c.channel, c.id, s.amount_cents / 100.0, s.import_id, 'spend:' || s.id, ?2
             FROM spend s JOIN campaign c ON c.id = s.campaign_id
             WHERE s.import_id = ?1 AND EXISTS (SELECT 1 FROM metric WHERE key = 'spend')",
            params![id, at],
        )?;
        delta.add_where(tx, twin, [id])?;
    }

    let mut outcomes_removed = 0;
    for &old_id in &replaced {
        // Whatever still belongs to the replaced import is what the updated export dropped.
        delta.remove_where(tx, "o.import_id = ?1", [old_id])?;
        for table in ["kpi_obs", "spend", "attribution", "experiment_result"] {
            counts.removed += tx.execute(&format!("DELETE FROM {table} WHERE import_id = ?1"), [old_id])?;
        }
        outcomes_removed += tx.execute("DELETE FROM deal_outcome WHERE import_id = ?1", [old_id])?;
        tx.execute("UPDATE import_log SET replaced_by = ?1 WHERE id = ?2", [id, old_id])?;
        // The campaigns the old import created now live on through this one, so undoing this
        // import is what may remove them.
        tx.execute("UPDATE import_campaign SET import_id = ?1 WHERE import_id = ?2", [id, old_id])?;
    }
    delta.apply(tx)?;
    counts.removed += outcomes_removed;
    // Deal outcomes: the newest import's row of each deal is the current one, and the
    // positioning triggers the outcomes now show are raised, in this same transaction.
    let triggers = if outcome_facts > 0 || outcomes_removed > 0 {
        outcomes::settle(tx)?;
        req_tx.compete().raise_triggers(req.now, req.user, Some(id))?
    } else {
        Vec::new()
    };
    let created_campaigns = campaigns.created;
    tx.execute(
        "UPDATE import_log SET created = ?1, updated = ?2, unchanged = ?3, removed = ?4, campaigns_created = ?5
         WHERE id = ?6",
        params![
            counts.created as i64,
            counts.updated as i64,
            counts.unchanged as i64,
            counts.removed as i64,
            created_campaigns.len() as i64,
            id
        ],
    )?;
    Ok(ImportOutcome::Imported(ImportSummary {
        id,
        dry_run: req.dry_run,
        preset: parsed.preset.name().to_string(),
        range: parsed.range,
        rows_read: parsed.rows_read,
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
        removed: counts.removed,
        skipped: parsed.skipped.len(),
        campaigns_created: created_campaigns,
        replaced,
        triggers,
    }))
}

#[derive(Default)]
struct Counts {
    created: usize,
    updated: usize,
    unchanged: usize,
    removed: usize,
}

impl Counts {
    fn bump(&mut self, same: bool) {
        if same {
            self.unchanged += 1;
        } else {
            self.updated += 1;
        }
    }
}

/// The import of these very bytes that still counts, if any. An undone one does not: importing
/// the file again after an undo brings it back.
pub(super) fn same_file(tx: &Connection, fingerprint: &str) -> Result<Option<(i64, Option<i64>)>> {
    Ok(tx
        .query_row(
            "SELECT id, replaced_by FROM import_log WHERE fingerprint = ?1 AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
            [fingerprint],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The earlier imports this file updates, and their facts by row key.
///
/// An earlier import is the same export, updated, when it has the same preset, a date range
/// overlapping this one, and shares at least one fact key with this file. The shared key keeps a
/// different report of the same month (GA4 users next to GA4 sessions, a second hand-made
/// kpi-csv of other metrics) from wiping the first.
fn earlier_export(
    tx: &Connection,
    req: &ImportRequest<'_>,
    id: i64,
    start: &str,
    end: &str,
) -> Result<(HashMap<String, Old>, Vec<i64>)> {
    let mut stmt = tx.prepare_cached(
        "SELECT id FROM import_log WHERE preset = ?1 AND id != ?2 AND undone_at IS NULL AND replaced_by IS NULL
           AND range_start <= ?4 AND range_end >= ?3 ORDER BY id",
    )?;
    let candidates: Vec<i64> = stmt
        .query_map(params![req.parsed.preset.name(), id, start, end], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut old: HashMap<String, Old> = HashMap::new();
    if let (Some(&first), Some(&last)) = (candidates.first(), candidates.last()) {
        // KPI facts are not indexed by import (migration 0004): one scan serves every candidate,
        // in rowid order, not import by import: `keep_earliest` restores the import order.
        let mut kpis = tx.prepare_cached(
            "SELECT import_id, source_key, id, metric, day, channel, campaign_id, value FROM kpi_obs
             WHERE import_id BETWEEN ?1 AND ?2",
        )?;
        let rows = kpis.query_map([first, last], |r| {
            let kind = Kind::Kpi {
                metric: r.get(3)?,
                day: r.get(4)?,
                channel: r.get(5)?,
                campaign_id: r.get(6)?,
                value: r.get(7)?,
            };
            Ok((r.get::<_, Option<String>>(1)?, Old { import_id: r.get(0)?, id: r.get(2)?, kind }))
        })?;
        for row in rows {
            let (key, fact) = row?;
            if candidates.binary_search(&fact.import_id).is_err() {
                continue;
            }
            let key = match (key, &fact.kind) {
                (Some(k), _) => k,
                (None, Kind::Kpi { metric, day, channel, .. }) => format!("{day}|{metric}|{channel}"),
                (None, Kind::Spend { .. } | Kind::Experiment { .. } | Kind::Outcome(_)) => continue,
            };
            keep_earliest(&mut old, key, fact);
        }
    }
    for &import_id in &candidates {
        for o in outcomes::of_import(tx, import_id)? {
            if let Some(key) = o.key {
                keep_earliest(&mut old, key, Old { import_id: o.import_id, id: o.id, kind: Kind::Outcome(o.outcome) });
            }
        }
        let mut spend = tx.prepare_cached(
            "SELECT source_key, id, campaign_id, day, amount_cents, note FROM spend WHERE import_id = ?1",
        )?;
        let rows = spend.query_map([import_id], |r| {
            let kind = Kind::Spend { campaign_id: r.get(2)?, day: r.get(3)?, amount_cents: r.get(4)?, note: r.get(5)? };
            Ok((r.get::<_, Option<String>>(0)?, Old { import_id, id: r.get(1)?, kind }))
        })?;
        for row in rows {
            let (key, fact) = row?;
            if let Some(key) = key {
                keep_earliest(&mut old, key, fact);
            }
        }
    }
    for &import_id in &candidates {
        let mut results = tx.prepare_cached(
            "SELECT source_key, id, experiment_id, position, day, visitors, conversions FROM experiment_result
             WHERE import_id = ?1",
        )?;
        let rows = results.query_map([import_id], |r| {
            let kind = Kind::Experiment {
                experiment_id: r.get(2)?,
                position: r.get(3)?,
                day: r.get(4)?,
                visitors: r.get(5)?,
                conversions: r.get(6)?,
            };
            Ok((r.get::<_, Option<String>>(0)?, Old { import_id, id: r.get(1)?, kind }))
        })?;
        for row in rows {
            let (key, fact) = row?;
            if let Some(key) = key {
                keep_earliest(&mut old, key, fact);
            }
        }
    }
    if old.is_empty() {
        return Ok((old, Vec::new()));
    }
    let sharing: HashSet<i64> = req.parsed.facts.iter().filter_map(|f| old.get(f.key()).map(|o| o.import_id)).collect();
    old.retain(|_, o| sharing.contains(&o.import_id));
    let replaced = candidates.into_iter().filter(|c| sharing.contains(c)).collect();
    Ok((old, replaced))
}

/// Whether the file updates an earlier import (see `earlier_export`), for a caller that wrote it
/// as new under import `id` and must then start over.
pub(super) fn updates_earlier(
    tx: &Connection,
    req: &ImportRequest<'_>,
    id: i64,
    start: &str,
    end: &str,
) -> Result<bool> {
    Ok(!earlier_export(tx, req, id, start, end)?.1.is_empty())
}

/// Where two earlier imports hold a fact of the same key, the earliest one's is the one updated;
/// the other is removed with its import if that one is replaced.
fn keep_earliest(old: &mut HashMap<String, Old>, key: String, fact: Old) {
    match old.entry(key) {
        Entry::Vacant(e) => {
            e.insert(fact);
        }
        Entry::Occupied(mut e) if e.get().import_id > fact.import_id => {
            e.insert(fact);
        }
        Entry::Occupied(_) => {}
    }
}

/// Campaigns by name within a quarter, created on first sight when the store does not know them.
struct Campaigns<'a> {
    import_id: i64,
    at: &'a str,
    /// name => (quarter start, id): looked up by `&str`, so known campaigns cost no allocation.
    known: HashMap<String, Vec<(NaiveDate, i64)>>,
    created: Vec<CreatedCampaign>,
}

impl<'a> Campaigns<'a> {
    fn new(import_id: i64, at: &'a str) -> Self {
        Campaigns { import_id, at, known: HashMap::new(), created: Vec::new() }
    }

    fn resolve(&mut self, tx: &Connection, name: &str, channel: &str, day: NaiveDate) -> Result<i64> {
        let quarter = Period::containing(Grain::Quarter, day);
        if let Some(id) = self.known.get(name).and_then(|v| v.iter().find(|(q, _)| *q == quarter.start)).map(|p| p.1) {
            return Ok(id);
        }
        let period = quarter.to_string();
        // Exact name first; then the same name in another case, which is how tools re-type names.
        let found: Option<i64> = tx
            .prepare_cached(
                "SELECT id FROM campaign WHERE period = ?2 AND name = ?1
                 UNION ALL SELECT id FROM (SELECT id FROM campaign WHERE period = ?2 AND name = ?1 COLLATE NOCASE ORDER BY id)
                 LIMIT 1",
            )?
            .query_row(params![name, period], |r| r.get(0))
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => {
                tx.prepare_cached(
                    "INSERT INTO campaign(name, period, channel, planned_cents, created_at) VALUES (?1, ?2, ?3, 0, ?4)",
                )?
                .execute(params![name, period, channel, self.at])?;
                let id = tx.last_insert_rowid();
                tx.prepare_cached("INSERT INTO import_campaign(import_id, campaign_id) VALUES (?1, ?2)")?
                    .execute([self.import_id, id])?;
                self.created.push(CreatedCampaign { name: name.to_string(), channel: channel.to_string(), period });
                id
            }
        };
        self.known.entry(name.to_string()).or_default().push((quarter.start, id));
        Ok(id)
    }
}

/// Parses a stored day back; used by the log listing.
pub(super) fn day_opt(s: Option<String>) -> Option<NaiveDate> {
    s.map(|s| parse_day(&s))
}
