//! Competition: competitors and their battlecards (append-only section history), competitor
//! launches, deal outcomes (`outcomes`) and the positioning triggers raised from them
//! (`triggers`). Reads return domain types; the computations are the domain's
//! (`winloss`, `battlecard`, `positioning`).

pub(in crate::store) mod outcomes;
pub(in crate::store) mod quarters;
mod triggers;

pub use triggers::{REVIEW_TEMPLATE, RaisedTrigger};

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, params};

use super::tx::{Db, Read, Write};
use super::{fmt_day, fmt_instant, parse_day};
use crate::domain::battlecard::{CompetitorLaunch, OwnPivot, Section, SectionVersion, check_text};
use crate::domain::compete::{Competitor, NewCompetitor, competitor_key};
use crate::domain::text::close_matches;
use crate::store::error::{Error, Result};

/// One competitor with everything its card is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub competitor: Competitor,
    /// Every saved version of every section, oldest first.
    pub history: Vec<SectionVersion>,
    pub launches: Vec<CompetitorLaunch>,
    /// Our launches marked as product pivots: the same for every card, each stales those
    /// refreshed before it.
    pub pivots: Vec<OwnPivot>,
}

/// `store.compete()` reads competitors, cards, outcomes and triggers; `tx.compete()` also adds,
/// edits, records launches and raises triggers.
pub struct Compete<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

pub(super) fn instant(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap_or_default()
}

fn competitor_row(r: &rusqlite::Row) -> rusqlite::Result<Competitor> {
    Ok(Competitor {
        id: r.get(0)?,
        key: r.get(1)?,
        name: r.get(2)?,
        owner: r.get(3)?,
        segment: r.get(4)?,
        created_at: instant(&r.get::<_, String>(5)?),
    })
}

const COMPETITOR_SELECT: &str = "SELECT id, key, name, owner, segment, created_at FROM competitor";

impl<'a, M> Compete<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Compete { db }
    }

    /// Every competitor, by key.
    pub fn competitors(&self) -> Result<Vec<Competitor>> {
        let mut stmt = self.db.conn().prepare_cached(&format!("{COMPETITOR_SELECT} ORDER BY key_norm"))?;
        let rows = stmt.query_map([], competitor_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The competitor `key` names, case, spacing and dashes forgiven; refused naming the close
    /// ones when there is none.
    pub fn find(&self, key: &str) -> Result<Competitor> {
        let norm = competitor_key(key);
        let found = self
            .db
            .conn()
            .prepare_cached(&format!("{COMPETITOR_SELECT} WHERE key_norm = ?1"))?
            .query_row([&norm], competitor_row)
            .optional()?;
        if let Some(c) = found {
            return Ok(c);
        }
        let all = self.competitors()?;
        let keys: Vec<&str> = all.iter().map(|c| c.key.as_str()).collect();
        let near = close_matches(key.trim(), keys.iter().copied());
        let hint = match (near.is_empty(), keys.is_empty()) {
            (false, _) => format!("did you mean {}?", near.join(", ")),
            (true, true) => "none yet: add one with `mktg compete add KEY --name N --owner O`".into(),
            (true, false) => format!("known: {}", keys.join(", ")),
        };
        Err(Error::input(format!("no competitor '{}' ({hint})", key.trim())))
    }

    /// A competitor's card: its section history and its launches.
    pub fn card(&self, key: &str) -> Result<Card> {
        let competitor = self.find(key)?;
        self.card_of(competitor)
    }

    /// Every competitor's card, by key.
    pub fn cards(&self) -> Result<Vec<Card>> {
        let pivots = self.own_pivots()?;
        self.competitors()?.into_iter().map(|c| self.card_with(c, pivots.clone())).collect()
    }

    fn card_of(&self, competitor: Competitor) -> Result<Card> {
        let pivots = self.own_pivots()?;
        self.card_with(competitor, pivots)
    }

    fn card_with(&self, competitor: Competitor, pivots: Vec<OwnPivot>) -> Result<Card> {
        let conn = self.db.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT section, text, by, at FROM card_section WHERE competitor_id = ?1 ORDER BY at, id",
        )?;
        let history = stmt
            .query_map([competitor.id], |r| {
                let section: String = r.get(0)?;
                Ok((section, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })?
            .map(|row| {
                let (section, text, by, at) = row?;
                let section = Section::parse(&section).map_err(|e| Error::system(format!("stored card: {e}")))?;
                Ok(SectionVersion { section, text, by, at: instant(&at) })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut stmt = conn.prepare_cached(
            "SELECT on_day, note FROM competitor_launch WHERE competitor_id = ?1 ORDER BY on_day, id",
        )?;
        let launches = stmt
            .query_map([competitor.id], |r| {
                Ok(CompetitorLaunch { on: parse_day(&r.get::<_, String>(0)?), note: r.get(1)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Card { competitor, history, launches, pivots })
    }
}

impl Compete<'_, Write> {
    /// Add a competitor; its key must be new (as folded).
    pub fn add(&self, new: &NewCompetitor, now: NaiveDateTime) -> Result<Competitor> {
        new.validate()?;
        let norm = competitor_key(&new.key);
        let conn = self.db.conn();
        if let Some(c) = conn
            .prepare_cached(&format!("{COMPETITOR_SELECT} WHERE key_norm = ?1"))?
            .query_row([&norm], competitor_row)
            .optional()?
        {
            return Err(Error::input(format!(
                "competitor '{}' already exists ({}, owned by {}); nothing was changed",
                c.key, c.name, c.owner
            )));
        }
        let segment = new.segment.as_deref().map(str::trim).filter(|s| !s.is_empty());
        conn.execute(
            "INSERT INTO competitor(key, key_norm, name, owner, segment, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![new.key.trim(), norm, new.name.trim(), new.owner.trim(), segment, fmt_instant(now)],
        )?;
        Ok(Competitor {
            id: conn.last_insert_rowid(),
            key: new.key.trim().to_string(),
            name: new.name.trim().to_string(),
            owner: new.owner.trim().to_string(),
            segment: segment.map(str::to_string),
            created_at: now,
        })
    }

    /// Save a new version of one section, stamped with `by` and `now`; refused (nothing written)
    /// when the text breaks the card's rules (`battlecard::check_text`).
    pub fn edit_section(
        &self,
        key: &str,
        section: Section,
        text: &str,
        by: &str,
        now: NaiveDateTime,
    ) -> Result<SectionVersion> {
        let competitor = self.find(key)?;
        // An editor's trailing newline is not part of the card.
        let text = text.trim_end_matches(['\n', '\r']);
        check_text(section, text).map_err(|e| crate::domain::error::Error::input(e.to_string()).in_field("text"))?;
        let by = by.trim();
        if by.is_empty() {
            return Err(Error::input("who is editing the card? (set `user` under [ui] in config.toml)"));
        }
        self.db.conn().execute(
            "INSERT INTO card_section(competitor_id, section, text, by, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![competitor.id, section.slug(), text, by, fmt_instant(now)],
        )?;
        Ok(SectionVersion { section, text: text.to_string(), by: by.to_string(), at: now })
    }

    /// Record that the competitor launched on `on`: its card is stale from that day until refreshed.
    /// The positioning triggers that hold now are raised in the same transaction (idempotent: a
    /// trigger already raised is not raised again); `user` owns those no PMM does.
    pub fn launched(
        &self,
        key: &str,
        on: NaiveDate,
        note: Option<&str>,
        user: &str,
        now: NaiveDateTime,
    ) -> Result<(Competitor, Vec<RaisedTrigger>)> {
        let competitor = self.find(key)?;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        self.db.conn().execute(
            "INSERT INTO competitor_launch(competitor_id, on_day, note, recorded_at) VALUES (?1, ?2, ?3, ?4)",
            params![competitor.id, fmt_day(on), note, fmt_instant(now)],
        )?;
        let raised = self.raise_triggers(now, user, None)?;
        Ok((competitor, raised))
    }
}

#[cfg(test)]
mod tests;
