//! HubSpot records kept for milestone paths, and the derived touch rows recomputed from them.
//!
//! Derived rows carry no import (`import_id` NULL) and a `derived:` source key: they belong to
//! the pair of exports, not to either, so they are recomputed from every active import's records
//! in the transaction of each HubSpot or touches import and of every undo. A deal that a touches
//! file (or a hand-made history) already gives rows gets no derived rows: the richer history wins.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use rusqlite::{Connection, params};

use crate::domain::attribution::{DealStatus, Derived, HubspotContact, HubspotDeal, HubspotRecord, derive};
use crate::domain::import::ParsedFile;
use crate::store::error::{Error, Result};
use crate::store::fmt_instant;

/// Stores the file's HubSpot records under import `id` (not facts: never counted).
pub(super) fn write(tx: &Connection, parsed: &ParsedFile, id: i64) -> Result<()> {
    let mut ins = tx.prepare_cached(
        "INSERT INTO hubspot_record(import_id, kind, record, created_at, channel, converted_at, contacts, outcome,
                                    closed_at, latest_channel, amount_cents)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let at = |t: Option<NaiveDateTime>| t.map(fmt_instant);
    for r in &parsed.hubspot {
        match r {
            HubspotRecord::Contact(c) => ins.execute(params![
                id,
                "contact",
                c.id,
                fmt_instant(c.created_at),
                c.channel,
                at(c.converted_at),
                None::<String>,
                None::<String>,
                None::<String>,
                None::<String>,
                None::<i64>
            ])?,
            HubspotRecord::Deal(d) => ins.execute(params![
                id,
                "deal",
                d.id,
                fmt_instant(d.created_at),
                d.channel,
                None::<String>,
                d.contacts.join(";"),
                d.outcome.slug(),
                at(d.closed_at),
                d.latest_channel,
                d.amount_cents
            ])?,
        };
    }
    Ok(())
}

fn instant(s: &str) -> Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .map_err(|_| Error::system(format!("hubspot_record: unreadable time '{s}'")))
}

/// Replaces every derived touch row by the paths the active imports' records give now.
pub(super) fn rederive(tx: &Connection, now: NaiveDateTime) -> Result<Derived> {
    tx.execute("DELETE FROM touch WHERE import_id IS NULL AND source_key LIKE 'derived:%'", [])?;
    let mut stmt = tx.prepare_cached(
        "SELECT r.kind, r.record, r.created_at, r.channel, r.converted_at, r.contacts, r.outcome, r.closed_at,
                r.latest_channel, r.amount_cents
         FROM hubspot_record r JOIN import_log l ON l.id = r.import_id
         WHERE l.undone_at IS NULL AND l.replaced_by IS NULL
         ORDER BY r.import_id, r.id",
    )?;
    // The newest import's row of each record wins; sorted by id so the result never depends on
    // the order the files came in.
    let mut contacts: BTreeMap<String, HubspotContact> = BTreeMap::new();
    let mut deals: BTreeMap<String, HubspotDeal> = BTreeMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let kind: String = r.get(0)?;
        let id: String = r.get(1)?;
        let created_at = instant(&r.get::<_, String>(2)?)?;
        let channel: Option<String> = r.get(3)?;
        let opt = |s: Option<String>| s.as_deref().map(instant).transpose();
        if kind == "contact" {
            let converted_at = opt(r.get(4)?)?;
            contacts.insert(id.clone(), HubspotContact { id, created_at, channel, converted_at });
        } else {
            let contacts_text: String = r.get::<_, Option<String>>(5)?.unwrap_or_default();
            let outcome = r.get::<_, Option<String>>(6)?.as_deref().and_then(DealStatus::parse);
            deals.insert(
                id.clone(),
                HubspotDeal {
                    id,
                    created_at,
                    channel,
                    contacts: contacts_text.split(';').filter(|s| !s.is_empty()).map(String::from).collect(),
                    outcome: outcome.unwrap_or(DealStatus::Open),
                    closed_at: opt(r.get(7)?)?,
                    latest_channel: r.get(8)?,
                    amount_cents: r.get(9)?,
                },
            );
        }
    }
    if deals.is_empty() {
        return Ok(Derived::default());
    }
    let mut covered =
        tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM touch WHERE deal = ?1 AND replaced_by IS NULL)")?;
    let mut has_history: Vec<String> = Vec::new();
    for id in deals.keys() {
        if covered.query_row([id], |r| r.get::<_, bool>(0))? {
            has_history.push(id.clone());
        }
    }
    let contacts: Vec<HubspotContact> = contacts.into_values().collect();
    let deals: Vec<HubspotDeal> = deals.into_values().collect();
    let derived = derive(&contacts, &deals, &|id| has_history.binary_search_by(|h| h.as_str().cmp(id)).is_ok());
    let mut ins = tx.prepare_cached(
        "INSERT INTO touch(deal, at, channel, campaign, kind, amount_cents, import_id, source_key, created_at)
         VALUES (?1, ?2, ?3, NULL, ?4, ?5, NULL, ?6, ?7)",
    )?;
    let created = fmt_instant(now);
    for (deal, rows) in &derived.paths {
        for (t, amount) in rows {
            let key = format!("derived:{deal}|{}", t.kind.slug());
            ins.execute(params![deal, fmt_instant(t.at), t.channel, t.kind.slug(), amount, key, created])?;
        }
    }
    Ok(derived)
}

/// The import summary's line about milestone paths, when the file brought HubSpot records.
pub(super) fn note(parsed: &ParsedFile, d: &Derived) -> Option<String> {
    // Contacts alone (no deal with ids anywhere yet) say nothing: most contact exports carry ids.
    if parsed.hubspot.is_empty() || d.paths.len() + d.without_contact + d.refused == 0 {
        return None;
    }
    let n = d.paths.len();
    let mut line = format!(
        "milestone paths: {n} {} from HubSpot contacts + deals (short: first touch, lead, deal and close only)",
        if n == 1 { "deal" } else { "deals" }
    );
    let mut parts = Vec::new();
    if d.without_lead_creation > 0 {
        let k = d.without_lead_creation;
        parts.push(format!("{k} {} without a lead-creation touch", if k == 1 { "deal" } else { "deals" }));
    }
    if d.without_contact > 0 {
        let k = d.without_contact;
        parts.push(format!(
            "{k} {} whose contacts are in no contacts import yet",
            if k == 1 { "deal" } else { "deals" }
        ));
    }
    if d.refused > 0 {
        let k = d.refused;
        parts
            .push(format!("{k} {} left out: their dates contradict each other", if k == 1 { "deal" } else { "deals" }));
    }
    if !parts.is_empty() {
        line.push_str("; ");
        line.push_str(&parts.join("; "));
    }
    Some(line)
}
