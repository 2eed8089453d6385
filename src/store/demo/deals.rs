//! Demo deals with touch histories, so attribution is alive on first run: won deals over the last
//! two quarters and open ones, each a path of touches through the demo's channels (and their
//! campaigns) with its milestones, plus a few won deals no touch explains (unattributed).

use chrono::{Duration, NaiveDateTime};
use rusqlite::{Connection, params};

use super::Rng;
use crate::store::error::Result;
use crate::store::fmt_instant;

/// Channels a B2B buyer meets, weighted by how often they show up in a path.
const PATH_CHANNELS: &[(&str, f64)] = &[
    ("organic", 0.22),
    ("paid-search", 0.2),
    ("linkedin", 0.14),
    ("email", 0.18),
    ("events", 0.08),
    ("paid-social", 0.08),
    ("display", 0.04),
    ("review-sites", 0.03),
    ("podcast", 0.03),
];

/// How many deals the demo writes.
pub(super) struct DealCounts {
    pub won: usize,
    pub open: usize,
}

pub(super) fn demo_deals(tx: &Connection, now: NaiveDateTime, seed: u64) -> Result<DealCounts> {
    let mut counts = DealCounts { won: 0, open: 0 };
    // `demo --force` on a store that already holds deals: a second history of the same deal ids
    // would be refused as duplicate milestones, so keep the ones there.
    let held: i64 = tx.query_row("SELECT count(*) FROM touch", [], |r| r.get(0))?;
    if held > 0 {
        return Ok(counts);
    }
    let mut rng = Rng(seed ^ 0x6174_7472_6962_7574);
    let campaigns = campaigns_by_channel(tx)?;
    let created = fmt_instant(now);
    let mut insert = tx.prepare(
        "INSERT INTO touch(deal, at, channel, campaign, kind, amount_cents, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut put = |deal: &str,
                   at: NaiveDateTime,
                   channel: Option<&str>,
                   campaign: Option<&str>,
                   kind: &str,
                   amount: Option<i64>| {
        insert.execute(params![deal, fmt_instant(at), channel, campaign, kind, amount, created]).map(|_| ())
    };
    for n in 0..140usize {
        let deal = format!("D-{:04}", 1001 + n);
        // Conversions spread over the last 180 days; a quarter of them still open.
        let won = n % 4 != 3;
        let end = now - Duration::minutes((rng.unit() * 180.0 * 24.0 * 60.0) as i64) - Duration::hours(1);
        let touches = 2 + (rng.unit() * 7.0) as usize;
        let span_days = 14.0 + rng.unit() * 100.0;
        let mut at: Vec<NaiveDateTime> =
            (0..touches).map(|_| end - Duration::minutes((rng.unit() * span_days * 24.0 * 60.0) as i64)).collect();
        at.sort();
        at.dedup();
        at.push(end);
        let amount = ((8_000.0 + rng.unit() * 52_000.0) as i64 / 100) * 10_000;
        let lead = 1.min(at.len() - 1);
        let deal_at = (at.len() * 2 / 3).max(lead);
        for (i, t) in at.iter().enumerate() {
            let channel = pick(&mut rng);
            let campaign = campaigns
                .iter()
                .filter(|(c, _)| c == channel)
                .nth((rng.unit() * 3.0) as usize)
                .map(|(_, name)| name.as_str());
            // The last instant is the conversion itself: a touch only when the deal is won.
            if i + 1 == at.len() && !won {
                break;
            }
            put(&deal, *t, Some(channel), campaign, "touch", None)?;
            if i == lead {
                put(&deal, *t, None, None, "contact-created", None)?;
            }
            if i == deal_at {
                put(&deal, *t, None, None, "deal-created", Some(amount))?;
            }
            if i + 1 == at.len() {
                put(&deal, *t, None, None, "closed-won", Some(amount))?;
            }
        }
        if won { counts.won += 1 } else { counts.open += 1 }
    }
    // Won deals that arrived through sales alone: no marketing touch explains them.
    for n in 0..4usize {
        let deal = format!("D-{:04}", 2001 + n);
        let at = now - Duration::days(10 + 17 * n as i64);
        put(&deal, at, None, None, "deal-created", Some(2_400_000))?;
        put(&deal, at + Duration::days(1), None, None, "closed-won", Some(2_400_000))?;
        counts.won += 1;
    }
    Ok(counts)
}

fn pick(rng: &mut Rng) -> &'static str {
    let mut u = rng.unit() * PATH_CHANNELS.iter().map(|(_, w)| w).sum::<f64>();
    for (c, w) in PATH_CHANNELS {
        if u < *w {
            return c;
        }
        u -= w;
    }
    PATH_CHANNELS[0].0
}

/// (channel, campaign name) of the demo's campaigns, in id order.
fn campaigns_by_channel(tx: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = tx.prepare("SELECT channel, name FROM campaign ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
