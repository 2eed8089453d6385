//! Annotations ("site outage", "price change") on a day or a range of days, for every metric
//! or one, every channel or one: drawn on the KPI charts and carried into the brief next to
//! the anomaly they explain (`domain::annotation`).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::kpis::Kpis;
use super::tx::{Db, Read, Write};
use super::{fmt_day, fmt_instant, parse_day};
use crate::domain::annotation::Annotation;
use crate::domain::kpi::find_metric;
use crate::store::error::{Error, Result};

/// A stored note: its id and the annotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: i64,
    #[serde(flatten)]
    pub note: Annotation,
}

pub struct Notes<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

impl<'a, M> Notes<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Notes { db }
    }

    /// The notes overlapping [from, to] (either side open), earliest first.
    pub fn between(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Vec<Note>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT id, from_day, to_day, text, metric, channel FROM annotation
             WHERE (?1 IS NULL OR to_day >= ?1) AND (?2 IS NULL OR from_day <= ?2)
             ORDER BY from_day, to_day, id",
        )?;
        let rows = stmt.query_map([from.map(fmt_day), to.map(fmt_day)], |r| {
            Ok(Note {
                id: r.get(0)?,
                note: Annotation {
                    from: parse_day(&r.get::<_, String>(1)?),
                    to: parse_day(&r.get::<_, String>(2)?),
                    text: r.get(3)?,
                    metric: r.get(4)?,
                    channel: r.get(5)?,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The note's metric, if any, as the store spells it: `CPL` is `cpl`; an unknown one is refused
    /// with the close matches, like `kpi record`.
    pub fn check(&self, mut note: Annotation) -> Result<Annotation> {
        if let Some(m) = note.metric.as_deref() {
            let metrics = Kpis::new(self.db).metrics()?;
            let key = find_metric(&metrics, m).map_err(|e| Error::from(e.in_field("metric")))?.key.clone();
            note.metric = Some(key);
        }
        Ok(note)
    }
}

impl Notes<'_, Write> {
    /// Add a note (checked with `check`); returns its id.
    pub fn add(&self, note: &Annotation, now: NaiveDateTime) -> Result<i64> {
        let note = self.check(note.clone())?;
        let conn = self.db.conn();
        conn.execute(
            "INSERT INTO annotation(from_day, to_day, text, metric, channel, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![
                fmt_day(note.from),
                fmt_day(note.to),
                note.text,
                note.metric,
                note.channel,
                fmt_instant(now)
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_note_is_stored_under_its_metrics_key_and_found_by_overlap() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        let n = Annotation::new("2026-11-19", "creative swap broke targeting", Some("CPL"), None, now.date()).unwrap();
        let id = s.write(|tx| tx.notes().add(&n, now)).unwrap();
        let range = Annotation::new("2026-11-12..2026-11-14", "site outage", None, None, now.date()).unwrap();
        s.write(|tx| tx.notes().add(&range, now)).unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let found = s.notes().between(Some(d("2026-11-19")), None).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].id, found[0].note.metric.as_deref()), (id, Some("cpl")));
        assert_eq!(s.notes().between(Some(d("2026-11-14")), Some(d("2026-11-14"))).unwrap().len(), 1);
        assert_eq!(s.notes().between(None, None).unwrap().len(), 2);
        let bad = Annotation::new("2026-11-19", "x", Some("cpx"), None, now.date()).unwrap();
        assert!(s.write(|tx| tx.notes().add(&bad, now)).unwrap_err().to_string().starts_with("unknown metric 'cpx'"));
    }
}
