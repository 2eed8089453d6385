//! Writing one file's facts inside the import transaction: same-file check, replace-on-update
//! within one source, daily facts and period totals, campaign resolution, the sources' precedence,
//! and the insert loop the million-row benchmark runs through.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::batch::{KpiInserter, insert_order, stored_key};
use super::campaigns::Campaigns;
use super::replace::{self, Kind, Old};
use super::spend_rows::SpendInserter;
use super::{ImportOutcome, ImportRequest, ImportSummary, iso_day, sources};
use crate::domain::import::{Fact, Preset};
use crate::domain::money;
use crate::domain::number::MAX_CENTS;
use crate::store::compete::outcomes;
use crate::store::error::{Error, Result};
use crate::store::rollups::{Delta, iso_day as iso_date};
use crate::store::tx::Tx;
use crate::store::{fmt_day, fmt_instant, parse_day};

/// How often (in facts) the progress callback hears from the loop.
const PROGRESS_EVERY: usize = 65_536;

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
        "INSERT INTO import_log(at, file_name, fingerprint, preset, range_start, range_end, rows_read, skipped, source, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            at,
            req.file_name,
            req.fingerprint,
            parsed.preset.name(),
            range.as_ref().map(|r| &r.0),
            range.as_ref().map(|r| &r.1),
            parsed.rows_read as i64,
            parsed.skipped.len() as i64,
            parsed.source,
            parsed.notes.join("\n"),
        ],
    )?;
    let id = tx.last_insert_rowid();
    let candidates = match &range {
        Some((start, end)) => replace::candidates(tx, req, id, start, end)?,
        None => Vec::new(),
    };
    // The days whose counted facts this import may change: its own, and those of the exports it
    // may replace. Kept facts there are put back first and decided again once it is written.
    let scope = range.as_ref().map(|(s, e)| {
        candidates.iter().fold((s.clone(), e.clone()), |(s, e), c| (s.min(c.start.clone()), e.max(c.end.clone())))
    });
    let resolving = match &scope {
        Some((s, e)) => sources::needed(tx, id, &parsed.source, s, e)?,
        None => false,
    };
    // Every change to `kpi_obs` below (kept facts put back, facts written, replaced or kept
    // apart) goes into the rollups with it, applied once at the end of the transaction (#21).
    let mut delta = Delta::default();
    if let (true, Some((s, e))) = (resolving, &scope) {
        sources::restore(tx, s, e, &mut delta)?;
    }
    let (old, replaced) = replace::earlier_export(tx, req, &candidates)?;

    let mut campaigns = Campaigns::new(id, &at);
    let mut counts = Counts::default();
    let mut facts = Written::default();
    write_facts(tx, req, id, &at, &old, &mut campaigns, &mut counts, &mut delta, &mut facts, progress)?;
    debug_assert_eq!(facts.n, parsed.facts.len());
    // A touches file's rows, and the same deals' rows of its earlier imports replaced.
    let touches = super::touches::write(tx, req, id, &at)?;
    counts.created += touches.created;
    counts.updated += touches.updated;
    counts.unchanged += touches.unchanged;
    counts.removed += touches.removed;
    let mut notes = parsed.notes.clone();
    notes.extend(touches.notes);
    if !notes.is_empty() {
        tx.execute("UPDATE import_log SET notes = ?1 WHERE id = ?2", params![notes.join("\n"), id])?;
    }

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
        // Dated by their import, as every imported fact is (see `batch::insert_sql`).
        tx.execute(
            "INSERT INTO kpi_obs(metric, day, channel, campaign_id, value, import_id, source_key, created_at)
             SELECT 'spend', s.day, c.channel, c.id, s.amount_cents / 100.0, s.import_id, 'spend:' || s.id, ''
             FROM spend s JOIN campaign c ON c.id = s.campaign_id
             WHERE s.import_id = ?1 AND EXISTS (SELECT 1 FROM metric WHERE key = 'spend')",
            [id],
        )?;
        delta.add_where(tx, twin, [id])?;
    }

    let mut outcomes_removed = 0;
    for &old_id in &replaced {
        // Whatever still belongs to the replaced import is what the updated export dropped.
        // (Its kept facts are not in the rollups: only what is counted is.)
        delta.remove_where(tx, "o.import_id = ?1", [old_id])?;
        for table in ["kpi_obs", "kpi_period", "spend", "attribution", "experiment_result", "kpi_obs_kept"] {
            counts.removed += tx.execute(&format!("DELETE FROM {table} WHERE import_id = ?1"), [old_id])?;
        }
        outcomes_removed += tx.execute("DELETE FROM deal_outcome WHERE import_id = ?1", [old_id])?;
        tx.execute("UPDATE import_log SET replaced_by = ?1 WHERE id = ?2", [id, old_id])?;
        // The campaigns the old import created now live on through this one, so undoing this
        // import is what may remove them.
        tx.execute("UPDATE import_campaign SET import_id = ?1 WHERE import_id = ?2", [id, old_id])?;
    }
    check_campaign_totals(tx, id)?;
    // Milestone paths from HubSpot contacts + deals: this file's records kept, and every derived
    // row recomputed now that this file (and what it replaced) is in.
    if matches!(parsed.preset, Preset::HubspotContacts | Preset::HubspotDeals | Preset::TouchesCsv) {
        super::milestones::write(tx, parsed, id)?;
        let derived = super::milestones::rederive(tx, req.now)?;
        if let Some(line) = super::milestones::note(parsed, &derived) {
            notes.push(line);
            tx.execute("UPDATE import_log SET notes = ?1 WHERE id = ?2", params![notes.join("\n"), id])?;
        }
    }
    if let (true, Some((s, e))) = (resolving, &scope) {
        sources::resolve(tx, s, e, &mut delta)?;
    }
    delta.apply(tx)?;
    counts.removed += outcomes_removed;
    // Deal outcomes: the newest import's row of each deal is the current one, and the
    // positioning triggers the outcomes now show are raised, in this same transaction.
    let triggers = if facts.outcomes > 0 || outcomes_removed > 0 {
        req_tx.compete().after_import(id, req.now, req.user)?
    } else {
        Vec::new()
    };
    let standing = sources::standing(tx, id)?;
    let kept: usize = standing.kept_for.iter().map(|(_, n)| n).sum();
    let created_campaigns = campaigns.created;
    tx.execute(
        "UPDATE import_log SET created = ?1, updated = ?2, unchanged = ?3, removed = ?4, campaigns_created = ?5,
                kept = ?6
         WHERE id = ?7",
        params![
            counts.created as i64,
            counts.updated as i64,
            counts.unchanged as i64,
            counts.removed as i64,
            created_campaigns.len() as i64,
            kept as i64,
            id
        ],
    )?;
    Ok(ImportOutcome::Imported(Box::new(ImportSummary {
        id,
        dry_run: req.dry_run,
        preset: parsed.preset.name().to_string(),
        source: parsed.source.clone(),
        range: parsed.range,
        period: parsed.period,
        rows_read: parsed.rows_read,
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
        removed: counts.removed,
        skipped: parsed.skipped.len(),
        campaigns_created: created_campaigns,
        replaced,
        triggers,
        notes,
        standing,
    })))
}

/// What `write_facts` wrote besides the counts.
#[derive(Default)]
struct Written {
    /// Facts written (or updated), of every kind.
    n: usize,
    /// Deal outcomes among them: positioning triggers are then raised.
    outcomes: usize,
}

/// The insert (or update) of every fact, in the covering index's order. Daily KPI facts go into
/// `delta` (period totals never do: they are not days).
#[allow(clippy::too_many_arguments)]
fn write_facts(
    tx: &Connection,
    req: &ImportRequest<'_>,
    id: i64,
    at: &str,
    old: &std::collections::HashMap<String, Old>,
    campaigns: &mut Campaigns<'_>,
    counts: &mut Counts,
    delta: &mut Delta,
    written: &mut Written,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<()> {
    let parsed = req.parsed;
    let source = parsed.preset.name();
    let total = parsed.facts.len();
    let period = parsed.period.map(|(a, b)| (fmt_day(a), fmt_day(b)));
    let mut kpis = KpiInserter::new(id);
    // The import, the instant and the period are the same for every row: bound once a batch.
    let mut spend = SpendInserter::new(id, at, period.as_ref().map(|p| p.0.as_str()));
    let mut ins_period = tx.prepare_cached(
        "INSERT INTO kpi_period(metric, day_from, day_to, channel, campaign_id, value, import_id, source_key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut day_buf = [0u8; 10];
    let mut experiments = crate::store::experiments::ImportTargets::default();
    for (i, fact) in insert_order(&parsed.facts).into_iter().enumerate() {
        written.n += 1;
        if i % PROGRESS_EVERY == 0 {
            progress(i, total);
        }
        let earlier = if old.is_empty() { None } else { old.get(fact.key()) };
        match fact {
            Fact::Kpi { key, metric, day, channel, campaign, value, .. } => {
                // The campaign, and its name when the stored one is spelled as the file spells it.
                let resolved = match campaign {
                    Some(name) => {
                        let (id, exact) = campaigns.resolve(tx, name, channel, *day)?;
                        Some((id, exact.then_some(name.as_str())))
                    }
                    None => None,
                };
                let campaign_id = resolved.map(|c| c.0);
                if let Some((from, to)) = &period {
                    match earlier {
                        Some(Old {
                            id: old_id,
                            kind: Kind::Period { metric: m, from: f, to: t, channel: c, campaign_id: k, value: v },
                            ..
                        }) => {
                            let same =
                                m == metric && f == from && t == to && c == channel && *k == campaign_id && v == value;
                            tx.prepare_cached(
                                "UPDATE kpi_period SET metric = ?1, day_from = ?2, day_to = ?3, channel = ?4,
                                 campaign_id = ?5, value = ?6, import_id = ?7, source_key = ?8 WHERE id = ?9",
                            )?
                            .execute(params![
                                metric,
                                from,
                                to,
                                channel,
                                campaign_id,
                                value,
                                id,
                                key,
                                old_id
                            ])?;
                            counts.bump(same);
                        }
                        _ => {
                            ins_period.execute(params![metric, from, to, channel, campaign_id, value, id, key, at])?;
                            counts.created += 1;
                        }
                    }
                    continue;
                }
                let Some(Old {
                    id: old_id,
                    kind: Kind::Kpi { metric: m, day: d, channel: c, campaign_id: k, value: v },
                    ..
                }) = earlier
                else {
                    kpis.push(tx, metric, *day, channel, resolved, *value, key)?;
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
                let stored_key = stored_key(key, day, metric, channel, resolved.and_then(|c| c.1));
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
                written.outcomes += 1;
                match earlier {
                    Some(Old { id: old_id, kind: Kind::Outcome(o), .. }) => {
                        outcomes::put(tx, Some(*old_id), id, key, outcome)?;
                        counts.bump(o == outcome);
                    }
                    _ => {
                        outcomes::put(tx, None, id, key, outcome)?;
                        counts.created += 1;
                    }
                }
            }
            // Written by `touches::write`, which replaces whole deals rather than rows by key.
            Fact::Touch { .. } => {}
            Fact::Spend { key, campaign, channel, day, amount_cents, note, .. } => {
                let (campaign_id, _) = campaigns.resolve(tx, campaign, channel, *day)?;
                let date = *day;
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
                spend.push(tx, campaign_id, date, *amount_cents, note, key)?;
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
    spend.flush(tx)?;
    progress(total, total);
    Ok(())
}

/// Sums of spend stay in range: a campaign holds at most as much as one amount may be
/// (±100,000,000,000.00), so every total the budget adds up fits, whatever files come in.
fn check_campaign_totals(tx: &Connection, id: i64) -> Result<()> {
    let over: Option<(String, String)> = tx
        .query_row(
            "SELECT c.name, c.period FROM campaign c
             WHERE c.id IN (SELECT DISTINCT campaign_id FROM spend WHERE import_id = ?1)
               AND abs((SELECT total(amount_cents) FROM spend s WHERE s.campaign_id = c.id)) > ?2
             LIMIT 1",
            params![id, MAX_CENTS as f64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match over {
        Some((name, period)) => Err(Error::input(format!(
            "campaign '{name}' ({period}) would hold more than {} of spend, beyond what mktg adds up exactly; \
             nothing was imported",
            money::format_plain(MAX_CENTS as i64)
        ))),
        None => Ok(()),
    }
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

/// Whether the file updates an earlier import, or overlaps one of another source (then its
/// facts must be decided against that source's): a caller that wrote it as new under import
/// `id` must then start over on the careful path.
pub(super) fn needs_careful_path(
    tx: &Connection,
    req: &ImportRequest<'_>,
    id: i64,
    start: &str,
    end: &str,
) -> Result<bool> {
    let candidates = replace::candidates(tx, req, id, start, end)?;
    if !replace::earlier_export(tx, req, &candidates)?.1.is_empty() {
        return Ok(true);
    }
    sources::needed(tx, id, &req.parsed.source, start, end)
}

/// Parses a stored day back; used by the log listing.
pub(super) fn day_opt(s: Option<String>) -> Option<NaiveDate> {
    s.map(|s| parse_day(&s))
}
