//! `mktg init`: seed a store from a role template. Idempotent: a second run changes nothing.

use chrono::NaiveDateTime;
use rusqlite::params;

use super::meta::Meta;
use super::tx::Write;
use super::{fmt_day, fmt_instant};
use crate::assets::Role;
use crate::store::error::{Error, Result};

/// What `init` did, for its report.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    pub metrics: usize,
    pub targets: usize,
    pub meetings: usize,
}

impl Meta<'_, Write> {
    /// Set the store up for `role`: its metrics, targets and meetings. Refused for a store set up
    /// for another role.
    pub fn init_role(&self, role: Role, now: NaiveDateTime) -> Result<Seeded> {
        if let Some(existing) = self.role()?
            && existing != role.as_str()
        {
            return Err(Error::input(format!("this store is already set up for {existing}; it was left as it is")));
        }
        let template = role.template();
        let tx = self.db.conn();
        let mut seeded = Seeded::default();
        for (k, v) in [
            ("role", role.as_str().to_string()),
            ("currency", template.currency.clone()),
            ("created_at", fmt_instant(now)),
        ] {
            tx.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?1, ?2)", params![k, v])?;
        }
        let mut metric = tx.prepare(
            "INSERT OR IGNORE INTO metric(key, label, unit, direction, rollup, formula, headline, min_volume, position,
                                          fractional)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let mut target = tx.prepare("INSERT OR IGNORE INTO kpi_target(metric, period, value) VALUES (?1, ?2, ?3)")?;
        for (i, m) in template.metrics.iter().enumerate() {
            seeded.metrics += metric.execute(params![
                m.key,
                m.label,
                m.unit,
                m.direction,
                m.rollup,
                m.formula,
                m.headline,
                m.min_volume,
                i as i64,
                m.fractional
            ])?;
            // Period-less defaults ('month', 'quarter'): a target set for a named period wins.
            for (period, value) in [("month", m.target_month), ("quarter", m.target_quarter)] {
                if let Some(v) = value {
                    seeded.targets += target.execute(params![m.key, period, v])?;
                }
            }
        }
        let mut meeting = tx.prepare(
            "INSERT INTO meeting_template(key, name, start_time, duration_min, recurrence, checklist, kpis, kind, valid_from, position)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
             WHERE NOT EXISTS (SELECT 1 FROM meeting_template WHERE key = ?1)",
        )?;
        for (i, m) in template.meetings.iter().enumerate() {
            seeded.meetings += meeting.execute(params![
                m.key,
                m.name,
                m.time,
                m.duration,
                m.recurrence,
                serde_json::to_string(&m.checklist).unwrap_or_else(|_| "[]".into()),
                serde_json::to_string(&m.kpis).unwrap_or_else(|_| "[]".into()),
                m.kind,
                // Templates apply from long ago so that history and demo meetings resolve.
                fmt_day(chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()),
                i as i64
            ])?;
        }
        Ok(seeded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_twice_changes_nothing_the_second_time() {
        let s = crate::store::Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
        let first = s.write(|tx| tx.meta().init_role(Role::DemandGen, now)).unwrap();
        assert!(first.metrics > 10 && first.meetings >= 8);
        assert_eq!(s.write(|tx| tx.meta().init_role(Role::DemandGen, now)).unwrap(), Seeded::default());
        assert!(s.write(|tx| tx.meta().init_role(Role::ProductMarketing, now)).is_err());
    }
}
