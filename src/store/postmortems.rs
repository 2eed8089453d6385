//! Post-mortems of a launch, a campaign, an experiment, or standalone (a failed initiative):
//! what worked, what did not, the metric against its goal, and follow-ups, which are decisions
//! linked to the post-mortem (owner and due from `TEXT=OWNER@DUE`; `decision done` closes one).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::decisions::{NewDecision, insert_decision};
use super::tx::{Db, Read, Write};
use super::{fmt_instant, parse_day};
use crate::domain::error::Error as Refusal;
use crate::domain::model::DecisionStatus;
use crate::domain::postmortem::{FollowUp, FollowUpSpec};
use crate::store::error::{Error, Result};

/// What a post-mortem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum About {
    Standalone,
    Launch(i64),
    Campaign(i64),
    Experiment(i64),
}

impl About {
    fn columns(self) -> (Option<i64>, Option<i64>, Option<i64>) {
        match self {
            About::Standalone => (None, None, None),
            About::Launch(id) => (Some(id), None, None),
            About::Campaign(id) => (None, Some(id), None),
            About::Experiment(id) => (None, None, Some(id)),
        }
    }
}

/// The record itself, as the launch face and `postmortem add` both write it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Record {
    pub worked: String,
    pub didnt: String,
    pub outcome_metric: String,
    pub outcome_actual: String,
    pub outcome_goal: String,
}

impl Record {
    /// At least what worked or what did not: a post-mortem with neither taught nothing.
    pub fn check(&self) -> std::result::Result<(), Refusal> {
        if self.worked.trim().is_empty() && self.didnt.trim().is_empty() {
            return Err(Refusal::input("a post-mortem needs what worked (--worked) or what did not (--didnt)")
                .in_field("worked"));
        }
        Ok(())
    }
}

/// A post-mortem about to be written.
#[derive(Debug, Clone)]
pub struct NewPostmortem {
    pub title: String,
    pub about: About,
    pub record: Record,
    pub follow_ups: Vec<FollowUpSpec>,
}

/// A follow-up as stored: a decision linked to its post-mortem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpRow {
    pub decision_id: i64,
    pub postmortem_id: i64,
    pub postmortem: String,
    pub text: String,
    pub owner: String,
    /// `None` only for launch follow-ups written before due dates were asked for.
    pub due: Option<NaiveDate>,
    pub status: DecisionStatus,
    /// The day it was closed, when done.
    pub done_on: Option<NaiveDate>,
}

impl FollowUpRow {
    /// The follow-up as follow-through scores it; `None` when it does not count: superseded (its
    /// successor counts), reversed (dropped on purpose, itself a logged decision), or undated.
    pub fn scored(&self) -> Option<FollowUp> {
        if matches!(self.status, DecisionStatus::Superseded | DecisionStatus::Reversed) {
            return None;
        }
        Some(FollowUp { text: self.text.clone(), owner: self.owner.clone(), due: self.due?, done_on: self.done_on })
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| d < today)
    }
}

/// A stored post-mortem with its follow-ups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Postmortem {
    pub id: i64,
    pub title: String,
    pub at: NaiveDateTime,
    pub about: About,
    /// The launch's, campaign's or experiment's name.
    pub about_name: Option<String>,
    pub record: Record,
    pub follow_ups: Vec<FollowUpRow>,
}

/// What `postmortem add` wrote: the post-mortem's id and each follow-up's decision id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Added {
    pub id: i64,
    pub follow_ups: Vec<i64>,
}

pub struct Postmortems<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

const FOLLOW_UP_SELECT: &str = "SELECT d.id, d.postmortem_id, p.title, d.title, d.owner, d.due, d.status, d.closed_at
     FROM decision d JOIN postmortem p ON p.id = d.postmortem_id";

fn follow_up_row(r: &rusqlite::Row) -> rusqlite::Result<FollowUpRow> {
    let status: DecisionStatus = r.get(6)?;
    let closed: Option<String> = r.get(7)?;
    Ok(FollowUpRow {
        decision_id: r.get(0)?,
        postmortem_id: r.get(1)?,
        postmortem: r.get(2)?,
        text: r.get(3)?,
        owner: r.get(4)?,
        due: r.get::<_, Option<String>>(5)?.map(|s| parse_day(&s)),
        status,
        done_on: closed.filter(|_| status == DecisionStatus::Done).map(|s| parse_day(s.get(..10).unwrap_or(&s))),
    })
}

fn parse_instant(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap_or_default()
}

fn follow_ups_of(conn: &Connection, id: i64) -> Result<Vec<FollowUpRow>> {
    Ok(conn
        .prepare_cached(&format!("{FOLLOW_UP_SELECT} WHERE d.postmortem_id = ?1 ORDER BY d.due IS NULL, d.due, d.id"))?
        .query_map([id], follow_up_row)?
        .collect::<rusqlite::Result<_>>()?)
}

impl<'a, M> Postmortems<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Postmortems { db }
    }

    /// Every post-mortem, newest first, with its follow-ups.
    pub fn all(&self) -> Result<Vec<Postmortem>> {
        let conn = self.db.conn();
        let mut list: Vec<Postmortem> = conn
            .prepare_cached(
                "SELECT p.id, p.title, p.at, p.launch_id, p.campaign_id, p.experiment_id,
                        coalesce(l.name, c.name || ' (' || c.period || ')', e.name),
                        p.worked, p.didnt, p.outcome_metric, p.outcome_actual, p.outcome_goal
                 FROM postmortem p
                 LEFT JOIN launch l ON l.id = p.launch_id
                 LEFT JOIN campaign c ON c.id = p.campaign_id
                 LEFT JOIN experiment e ON e.id = p.experiment_id
                 ORDER BY p.at DESC, p.id DESC",
            )?
            .query_map([], |r| {
                let about = match (r.get(3)?, r.get(4)?, r.get(5)?) {
                    (Some(l), _, _) => About::Launch(l),
                    (_, Some(c), _) => About::Campaign(c),
                    (_, _, Some(e)) => About::Experiment(e),
                    _ => About::Standalone,
                };
                Ok(Postmortem {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    at: parse_instant(&r.get::<_, String>(2)?),
                    about,
                    about_name: r.get(6)?,
                    record: Record {
                        worked: r.get(7)?,
                        didnt: r.get(8)?,
                        outcome_metric: r.get(9)?,
                        outcome_actual: r.get(10)?,
                        outcome_goal: r.get(11)?,
                    },
                    follow_ups: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        for p in &mut list {
            p.follow_ups = follow_ups_of(conn, p.id)?;
        }
        Ok(list)
    }

    pub fn get(&self, id: i64) -> Result<Postmortem> {
        self.all()?.into_iter().find(|p| p.id == id).ok_or_else(|| Error::input(format!("no post-mortem #{id}")))
    }

    /// The latest post-mortem of launch `id`, for the launch's detail.
    pub fn of_launch(&self, launch_id: i64) -> Result<Option<(NaiveDateTime, Record)>> {
        Ok(self
            .db
            .conn()
            .prepare_cached(
                "SELECT at, worked, didnt, outcome_metric, outcome_actual, outcome_goal FROM postmortem
                 WHERE launch_id = ?1 ORDER BY at DESC, id DESC LIMIT 1",
            )?
            .query_row([launch_id], |r| {
                Ok((
                    parse_instant(&r.get::<_, String>(0)?),
                    Record {
                        worked: r.get(1)?,
                        didnt: r.get(2)?,
                        outcome_metric: r.get(3)?,
                        outcome_actual: r.get(4)?,
                        outcome_goal: r.get(5)?,
                    },
                ))
            })
            .optional()?)
    }

    /// Every follow-up of every post-mortem, soonest due first (undated last).
    pub fn follow_ups(&self) -> Result<Vec<FollowUpRow>> {
        Ok(self
            .db
            .conn()
            .prepare_cached(&format!("{FOLLOW_UP_SELECT} ORDER BY d.due IS NULL, d.due, d.id"))?
            .query_map([], follow_up_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Open follow-ups past their due day, most overdue first: attention items.
    pub fn overdue(&self, today: NaiveDate) -> Result<Vec<FollowUpRow>> {
        Ok(self
            .db
            .conn()
            .prepare_cached(&format!(
                "{FOLLOW_UP_SELECT} WHERE d.status IN ('proposed', 'decided') AND d.due < ?1 ORDER BY d.due, d.id"
            ))?
            .query_map([super::fmt_day(today)], follow_up_row)?
            .collect::<rusqlite::Result<_>>()?)
    }
}

impl Postmortems<'_, Write> {
    /// `postmortem add`: the post-mortem and one decision per follow-up, in the caller's
    /// transaction. The initiative it is about must exist.
    pub fn add(&self, p: &NewPostmortem, now: NaiveDateTime) -> Result<Added> {
        let title = p.title.trim();
        if title.is_empty() {
            return Err(Refusal::input("a post-mortem needs a title").in_field("title").into());
        }
        p.record.check()?;
        let conn = self.db.conn();
        let (table, id) = match p.about {
            About::Standalone => ("", 0),
            About::Launch(id) => ("launch", id),
            About::Campaign(id) => ("campaign", id),
            About::Experiment(id) => ("experiment", id),
        };
        if !table.is_empty() {
            let found: Option<i64> =
                conn.query_row(&format!("SELECT id FROM {table} WHERE id = ?1"), [id], |r| r.get(0)).optional()?;
            if found.is_none() {
                return Err(Error::input(format!("no {table} #{id}")));
            }
        }
        let id = insert(conn, title, p.about, &p.record, now)?;
        let follow_ups = insert_follow_ups(conn, id, title, p.about, &p.follow_ups, now)?;
        Ok(Added { id, follow_ups })
    }
}

fn insert(conn: &Connection, title: &str, about: About, r: &Record, now: NaiveDateTime) -> Result<i64> {
    let (launch, campaign, experiment) = about.columns();
    conn.execute(
        "INSERT INTO postmortem(title, at, launch_id, campaign_id, experiment_id, worked, didnt,
                                outcome_metric, outcome_actual, outcome_goal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            title,
            fmt_instant(now),
            launch,
            campaign,
            experiment,
            r.worked.trim(),
            r.didnt.trim(),
            r.outcome_metric.trim(),
            r.outcome_actual.trim(),
            r.outcome_goal.trim()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// One decision per follow-up, linked to the post-mortem and to what it is about. A follow-up is
/// an action already agreed in the post-mortem, so it is logged decided (being carried out, open
/// until `decision done`), not proposed.
fn insert_follow_ups(
    conn: &Connection,
    postmortem: i64,
    title: &str,
    about: About,
    follow_ups: &[FollowUpSpec],
    now: NaiveDateTime,
) -> Result<Vec<i64>> {
    let (launch_id, campaign_id, experiment_id) = about.columns();
    let mut ids = Vec::new();
    for f in follow_ups {
        let d = NewDecision {
            title: f.text.clone(),
            owner: f.owner.clone(),
            due: Some(f.due),
            recommendation: format!("follow-up from the post-mortem of '{title}'"),
            status: Some(DecisionStatus::Decided),
            launch_id,
            campaign_id,
            ..NewDecision::default()
        };
        let id = insert_decision(conn, &d, now)?;
        conn.execute(
            "UPDATE decision SET postmortem_id = ?1, experiment_id = ?2 WHERE id = ?3",
            params![postmortem, experiment_id, id],
        )?;
        ids.push(id);
    }
    Ok(ids)
}

/// The launch face's post-mortem (`launch stage ID post-mortem`): the launch's one post-mortem,
/// written or rewritten, titled by the launch, and its follow-ups added.
pub(in crate::store) fn write_for_launch(
    conn: &Connection,
    launch_id: i64,
    name: &str,
    record: &Record,
    follow_ups: &[FollowUpSpec],
    now: NaiveDateTime,
) -> Result<Added> {
    let existing: Option<i64> = conn
        .query_row(
            "SELECT id FROM postmortem WHERE launch_id = ?1 ORDER BY at DESC, id DESC LIMIT 1",
            [launch_id],
            |r| r.get(0),
        )
        .optional()?;
    let id = match existing {
        Some(id) => {
            conn.execute(
                "UPDATE postmortem SET at = ?2, worked = ?3, didnt = ?4, outcome_metric = ?5, outcome_actual = ?6,
                 outcome_goal = ?7 WHERE id = ?1",
                params![
                    id,
                    fmt_instant(now),
                    record.worked.trim(),
                    record.didnt.trim(),
                    record.outcome_metric.trim(),
                    record.outcome_actual.trim(),
                    record.outcome_goal.trim()
                ],
            )?;
            id
        }
        None => insert(conn, name, About::Launch(launch_id), record, now)?,
    };
    let follow_ups = insert_follow_ups(conn, id, name, About::Launch(launch_id), follow_ups, now)?;
    Ok(Added { id, follow_ups })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::postmortem::{follow_through, parse_follow_up};
    use crate::store::Store;

    #[test]
    fn four_follow_ups_three_done_on_time_score_75_percent_and_the_fourth_is_overdue() {
        let s = Store::open_in_memory().unwrap();
        let at = |d: &str| crate::clock::parse_now(d).unwrap();
        let written = at("2026-11-02T10:00");
        let today = written.date();
        let specs: Vec<FollowUpSpec> = [
            "UTM rules=Ana@2026-11-10",
            "Landing page copy=Bo@2026-11-12",
            "SDR follow-up SLA=Dana@2026-11-14",
            "Attribution review=Ana@2026-11-16",
        ]
        .iter()
        .map(|f| parse_follow_up(f, today).unwrap())
        .collect();
        let p = NewPostmortem {
            title: "Q3 webinar series".into(),
            about: About::Standalone,
            record: Record { worked: "speakers".into(), didnt: "promotion".into(), ..Record::default() },
            follow_ups: specs,
        };
        let added = s.write(|tx| tx.postmortems().add(&p, written)).unwrap();
        assert_eq!(added.follow_ups.len(), 4);
        for (id, day) in
            added.follow_ups.iter().take(3).zip(["2026-11-09T17:00", "2026-11-12T09:00", "2026-11-13T12:00"])
        {
            s.write(|tx| tx.decisions().set_status(*id, DecisionStatus::Done, at(day))).unwrap();
        }
        let rows = s.postmortems().follow_ups().unwrap();
        let scored: Vec<FollowUp> = rows.iter().filter_map(FollowUpRow::scored).collect();
        let ft = follow_through(&scored, at("2026-11-20T08:45").date(), None);
        assert_eq!((ft.settled, ft.done_on_time, ft.share), (4, 3, Some(0.75)));
        let overdue = s.postmortems().overdue(at("2026-11-20T08:45").date()).unwrap();
        assert_eq!(
            overdue.iter().map(|f| (f.text.as_str(), f.decision_id)).collect::<Vec<_>>(),
            [("Attribution review", added.follow_ups[3])]
        );
        let pm = s.postmortems().get(added.id).unwrap();
        assert_eq!((pm.title.as_str(), pm.follow_ups.len(), pm.about), ("Q3 webinar series", 4, About::Standalone));
    }

    #[test]
    fn a_launch_post_mortem_written_before_becomes_one_of_these_with_its_follow_ups() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            let mut old = Store::bare(conn, Some(path.clone()), false);
            old.configure().unwrap();
            old.migrate_to(4).unwrap();
            old.conn
                .execute_batch(
                    "INSERT INTO launch(id, name, launch_date, stage, created_at, updated_at)
                       VALUES (7, 'SSO for SMB', '2026-09-15', 'post-mortem', '2026-09-01T09:00:00', '2026-10-01T09:00:00');
                     INSERT INTO launch_postmortem(launch_id, at, worked, didnt) VALUES (7, '2026-10-01T09:00:00', 'webinar', 'docs late');
                     INSERT INTO decision(title, recommendation, owner, made_at, launch_id)
                       VALUES ('Docs before launch', 'follow-up from the post-mortem of ''SSO for SMB''', 'Lee', '2026-10-01T09:00:00', 7);
                     INSERT INTO decision(title, owner, made_at, launch_id) VALUES ('Unrelated', 'Lee', '2026-10-01T09:00:00', 7);",
                )
                .unwrap();
        }
        let s = Store::open(&path).unwrap();
        let all = s.postmortems().all().unwrap();
        assert_eq!(all.len(), 1);
        let pm = &all[0];
        assert_eq!(
            (pm.title.as_str(), pm.about, pm.record.worked.as_str()),
            ("SSO for SMB", About::Launch(7), "webinar")
        );
        assert_eq!(
            pm.follow_ups.iter().map(|f| (f.text.as_str(), f.due)).collect::<Vec<_>>(),
            [("Docs before launch", None)]
        );
        assert_eq!(pm.follow_ups[0].scored(), None, "undated: left out of follow-through, not guessed");
        assert_eq!(s.launches().detail(7).unwrap().postmortem.unwrap().1.didnt, "docs late");
        let via_view: String =
            s.conn.query_row("SELECT worked FROM launch_postmortem WHERE launch_id = 7", [], |r| r.get(0)).unwrap();
        assert_eq!(via_view, "webinar");
    }

    #[test]
    fn a_post_mortem_needs_a_lesson_and_an_initiative_that_exists() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
        let empty = NewPostmortem {
            title: "x".into(),
            about: About::Standalone,
            record: Record::default(),
            follow_ups: vec![],
        };
        let e = s.write(|tx| tx.postmortems().add(&empty, now)).unwrap_err();
        assert_eq!(e.field(), Some("worked"));
        let missing = NewPostmortem {
            about: About::Launch(42),
            record: Record { worked: "a".into(), ..Record::default() },
            ..empty
        };
        assert_eq!(s.write(|tx| tx.postmortems().add(&missing, now)).unwrap_err().to_string(), "no launch #42");
    }
}
