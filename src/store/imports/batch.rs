//! The fast path of an import: KPI rows inserted in index order, many rows per statement.

use rusqlite::Connection;

use super::iso_day;
use crate::domain::import::Fact;
use crate::store::error::Result;

/// Rows per INSERT. Each execution of a statement opens cursors on the table, its indexes and the
/// foreign-key parents; a multi-row VALUES pays that once per batch instead of once per row.
/// Measured on the million-row benchmark: 32 beats 8 and 128 by about 5% (past a few dozen rows
/// the statement's own size costs more than the cursors it saves).
const BATCH: usize = 32;
/// Bound parameters per row after the shared one (?1 import id).
const PER_ROW: usize = 6;

/// One KPI row waiting for its batch; borrows the parsed fact's strings.
struct Row<'f> {
    metric: &'f str,
    day: [u8; 10],
    channel: &'f str,
    campaign_id: Option<i64>,
    value: f64,
    key: Option<&'f str>,
}

pub(super) struct KpiInserter<'f, 'c> {
    pending: Vec<Row<'f>>,
    import_id: i64,
    full_sql: String,
    /// The full batch's statement, prepared at the first full batch and held: through the
    /// connection's statement cache every batch hashed the statement's kilobyte of text twice
    /// and cleared its two hundred bindings (3% of the writing thread on a million-row file).
    full: Option<rusqlite::Statement<'c>>,
}

impl<'f, 'c> KpiInserter<'f, 'c> {
    pub fn new(import_id: i64) -> Self {
        KpiInserter { pending: Vec::with_capacity(BATCH), import_id, full_sql: insert_sql(BATCH), full: None }
    }

    /// `campaign`: the fact's campaign id, and its name when stored exactly as the file spells
    /// it (see [`stored_key`]).
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        tx: &'c Connection,
        metric: &'f str,
        day: chrono::NaiveDate,
        channel: &'f str,
        campaign: Option<(i64, Option<&str>)>,
        value: f64,
        key: &'f str,
    ) -> Result<()> {
        let mut buf = [0u8; 10];
        let iso = iso_day(day, &mut buf);
        let key = stored_key(key, iso, metric, channel, campaign.and_then(|c| c.1));
        let campaign_id = campaign.map(|c| c.0);
        self.pending.push(Row { metric, day: buf, channel, campaign_id, value, key });
        if self.pending.len() == BATCH {
            self.flush(tx)?;
        }
        Ok(())
    }

    pub fn flush(&mut self, tx: &'c Connection) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut last;
        let stmt = if self.pending.len() == BATCH {
            match &mut self.full {
                Some(s) => s,
                full => full.insert(tx.prepare(&self.full_sql)?),
            }
        } else {
            // A file's last, shorter batch.
            last = tx.prepare_cached(&insert_sql(self.pending.len()))?;
            &mut *last
        };
        stmt.raw_bind_parameter(1, self.import_id)?;
        for (j, r) in self.pending.iter().enumerate() {
            let p = 2 + j * PER_ROW;
            stmt.raw_bind_parameter(p, r.metric)?;
            stmt.raw_bind_parameter(p + 1, std::str::from_utf8(&r.day).unwrap_or(""))?;
            stmt.raw_bind_parameter(p + 2, r.channel)?;
            stmt.raw_bind_parameter(p + 3, r.campaign_id)?;
            stmt.raw_bind_parameter(p + 4, r.value)?;
            stmt.raw_bind_parameter(p + 5, r.key)?;
        }
        stmt.raw_execute()?;
        self.pending.clear();
        Ok(())
    }
}

/// An imported fact's `created_at` is empty: its time is its import's (`import_log.at`, the same
/// instant for every fact of the file), kept once per import rather than 19 bytes per fact (a
/// fifth of each row; nothing reads a fact's own time). Facts recorded by hand keep theirs.
fn insert_sql(rows: usize) -> String {
    crate::store::sql::values_rows(
        "INSERT OR FAIL INTO kpi_obs(metric, day, channel, campaign_id, value, source_key, import_id, created_at) VALUES ",
        rows,
        2,
        PER_ROW,
        |p| format!("(?{},?{},?{},?{},?{},?{},?1,'')", p, p + 1, p + 2, p + 3, p + 4, p + 5),
        "",
    )
}

/// The key to store for a KPI fact: none when the stored row spells it, which
/// `replace::earlier_export` rebuilds the same way. A kpi-csv or GA4 key is `day|metric|channel`;
/// an ad report's is `day|campaign|channel|metric`, spelled by the row when its campaign's stored
/// name is the file's own spelling (`campaign`: a campaign matched in another case keeps the key,
/// and stored names never change). Storing such a key again would be 20-60 bytes of every row.
pub(super) fn stored_key<'k>(
    key: &'k str,
    day: &str,
    metric: &str,
    channel: &str,
    campaign: Option<&str>,
) -> Option<&'k str> {
    let spelled = match campaign {
        None => spells_key(key, day, metric, channel),
        Some(name) => spells_ad_key(key, day, name, channel, metric),
    };
    (!spelled).then_some(key)
}

/// True when `key` is exactly `day|campaign|channel|metric` (ad report keys).
fn spells_ad_key(key: &str, day: &str, campaign: &str, channel: &str, metric: &str) -> bool {
    key.len() == day.len() + campaign.len() + channel.len() + metric.len() + 3
        && key
            .strip_prefix(day)
            .and_then(|k| k.strip_prefix('|'))
            .and_then(|k| k.strip_prefix(campaign))
            .and_then(|k| k.strip_prefix('|'))
            .and_then(|k| k.strip_prefix(channel))
            .and_then(|k| k.strip_prefix('|'))
            == Some(metric)
}

/// True when `key` is exactly `day|metric|channel` (kpi-csv and GA4 keys).
pub(super) fn spells_key(key: &str, day: &str, metric: &str, channel: &str) -> bool {
    key.len() == day.len() + metric.len() + channel.len() + 2
        && key
            .strip_prefix(day)
            .and_then(|k| k.strip_prefix('|'))
            .and_then(|k| k.strip_prefix(metric))
            .and_then(|k| k.strip_prefix('|'))
            == Some(channel)
}

/// KPI facts in the order of the store's covering index (metric, day, channel), then spend in
/// file order.
///
/// Each insert then lands at the end of its part of the index instead of on a random page, which
/// halves SQLite's work on a million-row file. Metrics and channels are ranked once so the sort
/// compares integers, not strings.
pub(super) fn insert_order(facts: &[Fact]) -> Vec<&Fact> {
    let mut metrics = Ranks::default();
    let mut channels = Ranks::default();
    for f in facts {
        if let Fact::Kpi { metric, channel, .. } = f {
            metrics.entry(metric).or_insert(0);
            channels.entry(channel).or_insert(0);
        }
    }
    rank(&mut metrics);
    rank(&mut channels);
    let mut keyed: Vec<((u32, i32, u32), u32)> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let k = match f {
                Fact::Kpi { metric, day, channel, .. } => (
                    metrics.get(metric.as_str()).copied().unwrap_or(0),
                    chrono::Datelike::num_days_from_ce(day),
                    channels.get(channel.as_str()).copied().unwrap_or(0),
                ),
                Fact::Spend { .. } | Fact::Experiment { .. } | Fact::Outcome { .. } | Fact::Touch { .. } => {
                    (u32::MAX, i32::MAX, u32::MAX)
                }
            };
            (k, i as u32)
        })
        .collect();
    // Unstable is fine: the index breaks ties in file order.
    keyed.sort_unstable();
    keyed.into_iter().filter_map(|(_, i)| facts.get(i as usize)).collect()
}

/// Names to their rank; hashed with FNV-1a, which on a million short names is several times
/// faster than the default SipHash (nothing here is attacker-chosen in a way that matters:
/// a collision only costs a comparison).
type Ranks<'a> = std::collections::HashMap<&'a str, u32, std::hash::BuildHasherDefault<Fnv>>;

#[derive(Default)]
pub(super) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Replaces each value with the key's position in sorted order.
fn rank(map: &mut Ranks<'_>) {
    let mut keys: Vec<&str> = map.keys().copied().collect();
    keys.sort_unstable();
    for (i, k) in keys.into_iter().enumerate() {
        map.insert(k, i as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_spelled_by_the_row_are_recognised() {
        assert!(spells_key("2026-11-01|leads|email", "2026-11-01", "leads", "email"));
        assert!(spells_key("2026-11-01|leads|", "2026-11-01", "leads", ""));
        assert!(!spells_key("leads|2026-11-01|email", "2026-11-01", "leads", "email"));
        assert!(!spells_key("2026-11-01|Brand|paid-search|clicks", "2026-11-01", "clicks", "paid-search"));
    }

    #[test]
    fn an_ad_key_is_left_out_only_when_the_stored_campaign_spells_it() {
        let key = "2026-11-01|Brand|paid-search|clicks";
        assert_eq!(stored_key(key, "2026-11-01", "clicks", "paid-search", Some("Brand")), None);
        // Matched in another case: the stored name would rebuild another key.
        assert_eq!(stored_key(key, "2026-11-01", "clicks", "paid-search", None), Some(key));
        assert_eq!(stored_key(key, "2026-11-01", "clicks", "paid-search", Some("brand")), Some(key));
        assert_eq!(stored_key(key, "2026-11-01", "spend", "paid-search", Some("Brand")), Some(key));
        let plain = "2026-11-01|leads|email";
        assert_eq!(stored_key(plain, "2026-11-01", "leads", "email", None), None);
    }

    #[test]
    fn the_batch_statement_numbers_its_parameters() {
        assert_eq!(
            insert_sql(2).split("VALUES ").nth(1),
            Some("(?2,?3,?4,?5,?6,?7,?1,''),(?8,?9,?10,?11,?12,?13,?1,'')")
        );
    }
}
