//! Demo competition: three competitors with battlecards (Globex's gone stale), a fourth that has
//! just started turning up in deals, and a couple of hundred deal outcomes over this quarter and
//! the last, in which enterprise deals have lately been lost to the security review and the win
//! rate against Acme has slid. No trigger is raised here (the demo's decision log stays as it
//! is): the next import of outcomes raises what the data shows.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::Rng;
use crate::domain::period::{Grain, Period};
use crate::domain::text::name_key;
use crate::store::error::Result;
use crate::store::tx::Tx;
use crate::store::{fmt_day, fmt_instant};

/// key, name, owner, segment, days since the last refresh, the card's sections.
type Demo = (&'static str, &'static str, &'static str, &'static str, i64, [&'static str; 6]);

const COMPETITORS: [Demo; 3] = [
    (
        "acme",
        "Acme Analytics",
        "Priya",
        "Enterprise",
        38,
        [
            "Native warehouse connectors: no ETL project before the first dashboard.\nRole-based access down to the row, which their security teams ask for first.",
            "Acme bundles analytics into its CRM suite: a buyer already paying for the suite sees us as a second bill.",
            "Objection: Acme is already in our CRM contract.\nAnswer: Their analytics tier is priced per viewer; at 200 viewers we cost less.\nProof: Northwind switched and saved 31% in year one.\n\nObjection: Your security review takes too long.\nAnswer: The SOC 2 Type II report and the pen-test summary are in the trust portal, no NDA needed.",
            "Ask how long their last dashboard change took to ship.\nAsk who owns the data model when the consultant leaves.",
            "Acme: $45 per viewer per month, annual only. Ours: $30 per seat, monthly available.",
            "Northwind (31% saved), Contoso (live in 3 weeks), Fabrikam (600 viewers).",
        ],
    ),
    (
        "globex",
        "Globex",
        "Marcus",
        "Mid-market",
        121,
        [
            "Setup in a day without a services contract.",
            "Globex's free tier: small teams start there and never look further.",
            "Objection: Globex is free.\nAnswer: Free stops at three users and 30 days of history.\nProof: Tailspin moved to us at 12 users.",
            "Ask what happens to history after 30 days.",
            "Globex: free to 3 users, then $25 per user.",
            "Tailspin Toys.",
        ],
    ),
    (
        "initech",
        "Initech",
        "Priya",
        "Enterprise",
        17,
        [
            "We run in the customer's cloud region; Initech hosts only in the US.",
            "Initech's consultants are already on site at most banks.",
            "Objection: Initech is the incumbent.\nAnswer: We run alongside it for the teams it does not serve.\nProof: Woodgrove runs both.",
            "Ask where their data is processed.",
            "Initech: enterprise agreements only, from $250k a year.",
            "Woodgrove Bank.",
        ],
    ),
];

const REASONS: [&str; 5] = ["Price", "Missing feature", "Timing", "Incumbent", "No decision"];

/// Fill the demo's competition inside `tx`.
pub(super) fn fill(tx: &Tx<'_>, now: NaiveDateTime, seed: u64) -> Result<()> {
    let conn = tx.conn();
    let today = now.date();
    let mut rng = Rng(seed ^ 0x636F_6D70_6574_6500);
    // `demo --force` on a store that already holds competitors (a second demo, or the user's own):
    // keep theirs, and add no second set of cards or outcomes.
    let held: i64 = conn.query_row("SELECT count(*) FROM competitor", [], |r| r.get(0))?;
    if held > 0 {
        return Ok(());
    }
    for (key, name, owner, segment, age, sections) in COMPETITORS {
        conn.execute(
            "INSERT INTO competitor(key, key_norm, name, owner, segment, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![key, name_key(key), name, owner, segment, fmt_instant(now - Duration::days(400))],
        )?;
        let id = conn.last_insert_rowid();
        let refreshed = (today - Duration::days(age)).and_hms_opt(10, 0, 0).unwrap_or(now);
        for (i, (slug, text)) in ["why-we-win", "why-we-lose", "objections", "landmines", "pricing", "proof"]
            .into_iter()
            .zip(sections)
            .enumerate()
        {
            // The refresh before this one, a quarter earlier, with older pricing: the last refresh changed it.
            let earlier = refreshed - Duration::days(95);
            let before = if slug == "pricing" { "Pricing under review." } else { text };
            let put = "INSERT INTO card_section(competitor_id, section, text, by, at) VALUES (?1, ?2, ?3, ?4, ?5)";
            conn.execute(put, params![id, slug, before, owner, fmt_instant(earlier + Duration::minutes(i as i64))])?;
            conn.execute(put, params![id, slug, text, owner, fmt_instant(refreshed + Duration::minutes(i as i64))])?;
        }
    }
    outcomes(conn, today, &mut rng)
}

/// Deals closed over this quarter and the last (and some still open).
fn outcomes(conn: &rusqlite::Connection, today: NaiveDate, rng: &mut Rng) -> Result<()> {
    let start = Period::containing(Grain::Quarter, today).prev().start;
    let days = (today - start).num_days().max(1);
    let mut put = conn.prepare(
        "INSERT INTO deal_outcome(deal_key, closed_on, outcome, competitor, competitor_key, reason, segment, amount_cents, current)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)",
    )?;
    let mut n = 0;
    for back in (1..=days).rev() {
        let day = today - Duration::days(back);
        // About 1.9 deals a working day, the weekends quiet.
        let per_day = if chrono::Datelike::weekday(&day).number_from_monday() > 5 { 0.2 } else { 1.9 };
        let jitter = rng.unit();
        let count = rng.round(per_day * (0.5 + jitter));
        for _ in 0..count as usize {
            n += 1;
            let comp_roll = rng.unit();
            let competitor = match comp_roll {
                r if r < 0.38 => Some("Acme Analytics"),
                r if r < 0.62 => Some("Globex"),
                r if r < 0.80 => Some("Initech"),
                // A newcomer: only in the last seven weeks.
                r if r < 0.88 && back <= 50 => Some("Umbrella"),
                _ => None,
            };
            // Most of a competitor's deals are in the segment its card is for.
            let home = match competitor {
                Some("Acme Analytics" | "Initech") => Some("Enterprise"),
                Some("Globex") => Some("Mid-market"),
                _ => None,
            };
            let seg_roll = rng.unit();
            let segment = match home {
                Some(h) if seg_roll < 0.7 => h,
                _ if seg_roll < 0.8 => ["Enterprise", "Mid-market", "SMB"][(seg_roll * 30.0) as usize % 3],
                _ => "SMB",
            };
            let this_quarter = day >= Period::containing(Grain::Quarter, today).start;
            let win = match competitor {
                Some("Acme Analytics") if this_quarter => 0.30,
                Some("Acme Analytics") => 0.52,
                Some("Globex") => 0.55,
                Some("Initech") => 0.40,
                Some(_) => 0.35,
                None => 0.60,
            };
            // The last three weeks of enterprise deals: lost to the security review, mostly.
            let security = segment == "Enterprise" && back <= 21;
            let (outcome, reason) = if back <= 3 && rng.unit() < 0.5 {
                ("open", None)
            } else if security && rng.unit() < 0.7 {
                ("lost", Some("Security review"))
            } else if rng.unit() < win {
                ("won", None)
            } else {
                ("lost", Some(REASONS[(rng.unit() * REASONS.len() as f64) as usize % REASONS.len()]))
            };
            let amount = (rng.unit() * 75_000.0 + 5_000.0).round() as i64 * 100;
            // An open deal's date is when it is expected to close.
            let closed = if outcome == "open" { day + Duration::days(30) } else { day };
            put.execute(params![
                format!("DEMO-{n:04}"),
                fmt_day(closed),
                outcome,
                competitor,
                competitor.map(name_key),
                reason,
                segment,
                amount
            ])?;
        }
    }
    // Win/loss reads the outcomes counted per quarter: counted as every outcome write counts them.
    crate::store::compete::quarters::recount(conn)
}
