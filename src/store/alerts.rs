//! Alert rules the director sets, with the edge state each keeps between checks (so a rule
//! fires once per crossing) and the log of their firings. The evaluation is the domain's
//! (`domain::alert::evaluate`); the observation comes from the brief.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::tx::{Db, Read, Write};
use super::{fmt_instant, kpis::Kpis};
use crate::domain::alert::{AlertState, Condition, Evaluation, Rule, Side};
use crate::domain::error::Error as Refusal;
use crate::domain::kpi::{find_metric, parse_value};
use crate::domain::text::name_key;
use crate::store::error::{Error, Result};

/// A rule with what the store remembers of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredRule {
    #[serde(flatten)]
    pub rule: Rule,
    pub state: AlertState,
    pub checked_at: Option<NaiveDateTime>,
    pub last_value: Option<f64>,
    pub last_fired: Option<NaiveDateTime>,
}

/// One firing, as the weekly review lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Firing {
    pub key: String,
    pub metric: String,
    pub channel: Option<String>,
    pub when: String,
    pub owner: Option<String>,
    pub at: NaiveDateTime,
    pub value: Option<f64>,
    pub threshold: Option<f64>,
}

pub struct Alerts<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

fn parse_instant(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap_or_default()
}

fn refuse(e: impl std::fmt::Display) -> Error {
    Refusal::input(e.to_string()).into()
}

impl<'a, M> Alerts<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Alerts { db }
    }

    /// Every rule, by key.
    pub fn all(&self) -> Result<Vec<StoredRule>> {
        let conn = self.db.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT r.key, r.metric, r.when_spec, r.channel, r.owner, r.breached, r.side, r.checked_at, r.last_value,
                    (SELECT max(at) FROM alert_event e WHERE e.rule_key = r.key)
             FROM alert_rule r ORDER BY r.key_fold",
        )?;
        let rows = stmt.query_map([], |r| {
            let when: String = r.get(2)?;
            let side: Option<String> = r.get(6)?;
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                when,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                AlertState {
                    breached: r.get::<_, i64>(5)? != 0,
                    side: side.map(|s| if s == "below" { Side::Below } else { Side::Above }),
                },
                r.get::<_, Option<String>>(7)?.map(|s| parse_instant(&s)),
                r.get::<_, Option<f64>>(8)?,
                r.get::<_, Option<String>>(9)?.map(|s| parse_instant(&s)),
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, metric, when, channel, owner, state, checked_at, last_value, last_fired) = row?;
            // A spec this build wrote; one it cannot read back is a broken store, not bad input.
            let when = Condition::parse(&when)
                .map_err(|e| Error::system(format!("alert '{key}' has an unreadable condition: {e}")))?;
            out.push(StoredRule {
                rule: Rule { key, metric, when, channel, owner },
                state,
                checked_at,
                last_value,
                last_fired,
            });
        }
        Ok(out)
    }

    /// The firings from `from` to `to` (days, inclusive), oldest first.
    pub fn fired_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Firing>> {
        let conn = self.db.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT rule_key, metric, channel, when_spec, owner, at, value, threshold FROM alert_event
             WHERE at >= ?1 AND at < ?2 ORDER BY at, id",
        )?;
        let end = to + chrono::Duration::days(1);
        let rows = stmt.query_map([super::fmt_day(from), super::fmt_day(end)], |r| {
            Ok(Firing {
                key: r.get(0)?,
                metric: r.get(1)?,
                channel: r.get(2)?,
                when: r.get(3)?,
                owner: r.get(4)?,
                at: parse_instant(&r.get::<_, String>(5)?),
                value: r.get(6)?,
                threshold: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// `alert add`'s check: the rule as typed, its metric one the store knows (the key as stored),
    /// a value in `--when` read with the metric's unit (`above=$80`, `below=1,500`, `crosses=2.5%`).
    pub fn check_rule(
        &self,
        key: &str,
        metric: &str,
        when: &str,
        channel: Option<&str>,
        owner: Option<&str>,
    ) -> Result<Rule> {
        let metrics = Kpis::new(self.db).metrics()?;
        let m = find_metric(&metrics, metric).map_err(|e| Error::from(e.in_field("metric")))?;
        // Read the value with the metric's own unit first, so "$80" and "1,500" mean what they say.
        let when = match when.split_once('=') {
            Some((form, raw)) if !raw.trim().is_empty() => {
                // A threshold is not a count of things: `below=2.5` leads is a fair line to draw.
                let m = crate::domain::kpi::Metric { fractional: true, ..m.clone() };
                let currency = super::meta::Meta::new(self.db).currency();
                let v = parse_value(&m, raw.trim(), &currency)
                    .map_err(|e| Error::from(e.at(format!("--when '{}'", when.trim())).in_field("when")))?;
                format!("{}={v}", form.trim())
            }
            _ => when.to_string(),
        };
        let mut rule = Rule::new(key, &m.key, &when, channel, owner).map_err(refuse)?;
        rule.metric = m.key.clone();
        Ok(rule)
    }
}

impl Alerts<'_, Write> {
    /// Add a rule (checked with `check_rule`); keys are unique in any case.
    pub fn add(&self, rule: &Rule, now: NaiveDateTime) -> Result<()> {
        let conn = self.db.conn();
        let fold = name_key(&rule.key);
        let taken: Option<String> =
            conn.query_row("SELECT key FROM alert_rule WHERE key_fold = ?1", [&fold], |r| r.get(0)).optional()?;
        if let Some(k) = taken {
            return Err(Refusal::input(format!("an alert '{k}' exists already (mktg alert rm {k} first)"))
                .in_field("key")
                .into());
        }
        conn.execute(
            "INSERT INTO alert_rule(key, key_fold, metric, when_spec, channel, owner, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![rule.key, fold, rule.metric, rule.when.spec(), rule.channel, rule.owner, fmt_instant(now)],
        )?;
        Ok(())
    }

    /// Remove rule `key` (any case); its past firings stay in the log.
    pub fn remove(&self, key: &str) -> Result<String> {
        let conn = self.db.conn();
        let found: Option<String> = conn
            .query_row("SELECT key FROM alert_rule WHERE key_fold = ?1", [name_key(key)], |r| r.get(0))
            .optional()?;
        let Some(k) = found else {
            return Err(Error::input(format!("no alert '{}' (mktg alert list shows them)", key.trim())));
        };
        conn.execute("DELETE FROM alert_rule WHERE key = ?1", [&k])?;
        Ok(k)
    }

    /// Store what one `alert check` found, every rule at once: the new states, and a firing for
    /// each rule that fired.
    pub fn save_check(&self, checked: &[(Rule, Evaluation)], now: NaiveDateTime) -> Result<()> {
        let conn = self.db.conn();
        let at = fmt_instant(now);
        let mut update = conn.prepare_cached(
            "UPDATE alert_rule SET breached = ?2, side = ?3, checked_at = ?4, last_value = coalesce(?5, last_value)
             WHERE key = ?1",
        )?;
        let mut fired = conn.prepare_cached(
            "INSERT INTO alert_event(rule_key, metric, channel, when_spec, owner, at, value, threshold)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (rule, e) in checked {
            let side = e.state.side.map(|s| match s {
                Side::Below => "below",
                Side::Above => "above",
            });
            update.execute(params![rule.key, e.state.breached as i64, side, at, e.value])?;
            if e.fired {
                fired.execute(params![
                    rule.key,
                    rule.metric,
                    rule.channel,
                    rule.when.spec(),
                    rule.owner,
                    at,
                    e.value,
                    e.threshold
                ])?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::alert::{Observation, evaluate};
    use crate::store::Store;

    fn store() -> (Store, NaiveDateTime) {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        (s, now)
    }

    #[test]
    fn a_rule_reads_its_value_in_the_metrics_unit_and_its_key_is_unique() {
        let (s, now) = store();
        let r = s.alerts().check_rule("cpl-social", "CPL", "above=$80", Some("Paid Social"), Some("Alex")).unwrap();
        assert_eq!(
            (r.metric.as_str(), r.when, r.channel.as_deref()),
            ("cpl", Condition::Above(80.0), Some("paid-social"))
        );
        s.write(|tx| tx.alerts().add(&r, now)).unwrap();
        let again = s.write(|tx| tx.alerts().add(&r, now)).unwrap_err();
        assert_eq!(again.to_string(), "an alert 'cpl-social' exists already (mktg alert rm cpl-social first)");
        let bad = s.alerts().check_rule("x", "cpll", "behind-pace", None, None).unwrap_err();
        assert!(bad.to_string().starts_with("unknown metric 'cpll'; did you mean cpl"), "{bad}");
        assert_eq!(bad.field(), Some("metric"));
        let e = s.alerts().check_rule("x", "leads", "below=lots", None, None).unwrap_err();
        assert!(e.to_string().starts_with("--when 'below=lots': "), "{e}");
    }

    #[test]
    fn a_check_stores_the_state_and_logs_each_firing_once() {
        let (s, now) = store();
        let r = s.alerts().check_rule("sqls-behind", "sqls", "behind-pace", None, Some("Dana")).unwrap();
        s.write(|tx| tx.alerts().add(&r, now)).unwrap();
        let behind = Observation { value: Some(252.0), target: Some(480.0), behind_pace: Some(true) };
        for _ in 0..2 {
            let stored = s.alerts().all().unwrap();
            let e = evaluate(&stored[0].rule, stored[0].state, &behind);
            s.write(|tx| tx.alerts().save_check(&[(stored[0].rule.clone(), e)], now)).unwrap();
        }
        let fired = s.alerts().fired_between(now.date(), now.date()).unwrap();
        assert_eq!(fired.len(), 1, "fired once, not on the second check");
        let stored = &s.alerts().all().unwrap()[0];
        assert!(stored.state.breached);
        assert_eq!((stored.last_value, stored.last_fired), (Some(252.0), Some(now)));
        assert_eq!(s.write(|tx| tx.alerts().remove("SQLS-Behind")).unwrap(), "sqls-behind");
        assert!(s.alerts().all().unwrap().is_empty());
        assert_eq!(s.alerts().fired_between(now.date(), now.date()).unwrap().len(), 1, "the history stays");
    }
}
