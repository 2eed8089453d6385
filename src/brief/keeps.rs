//! What a brief keeps for the next reader: the judged feeds (`fresh::judged`), the channel scan
//! (`scan::channel_anomalies`) and its own day part (`kept`), gathered while it computes and
//! written together in one transaction at its end. A new day's first brief, and the first after
//! another process's write, used to keep them in three: each a `BEGIN IMMEDIATE`, its pages
//! written to the log, its commit and the `synchronous` pragmas around it.
//!
//! Nothing changes in what is kept or when it is refused: each part still checks, inside the
//! transaction, that the data is at the version it was computed at (a write in between dates it
//! and it is not kept), and failing to keep one part costs the next reader its computation,
//! never a wrong number, so it does not stop the others.

use chrono::NaiveDate;

use crate::store::Store;

/// The parts computed and not yet kept. Every one is a cache: [`Keeps::write`] never fails the
/// read that gathered them.
#[derive(Debug, Default)]
pub struct Keeps {
    feeds: Option<Part>,
    scan: Option<Part>,
    brief: Option<BriefPart>,
}

/// A result kept in `kpi_scan`: for `as_of`, under `params`, computed at `version`.
#[derive(Debug)]
struct Part {
    as_of: NaiveDate,
    params: String,
    version: i64,
    body: String,
}

#[derive(Debug)]
struct BriefPart {
    generation: i64,
    today: NaiveDate,
    key: String,
    body: String,
}

impl Keeps {
    /// The judged feeds, as `kept_spans` writes them.
    pub(crate) fn feeds(&mut self, as_of: NaiveDate, params: &str, version: i64, body: String) {
        self.feeds = Some(Part { as_of, params: params.to_string(), version, body });
    }

    /// The channel scan.
    pub(crate) fn scan(&mut self, as_of: NaiveDate, params: &str, version: i64, body: String) {
        self.scan = Some(Part { as_of, params: params.to_string(), version, body });
    }

    /// The brief's day part, computed at `generation`.
    pub(crate) fn brief(&mut self, generation: i64, today: NaiveDate, key: &str, body: String) {
        self.brief = Some(BriefPart { generation, today, key: key.to_string(), body });
    }

    /// Keep every part gathered, in one transaction, unless another process is writing at that
    /// moment (then the next reader computes them again) or the store keeps nothing derived.
    /// In the order they were kept one by one: the feeds, the scan (which prunes the dirty log to
    /// what the oldest kept result needs), then the brief.
    pub fn write(self, store: &Store) {
        if (self.feeds.is_none() && self.scan.is_none() && self.brief.is_none()) || !store.keeps_derived() {
            return;
        }
        let _ = store.write_if_free(|tx| {
            if let Some(p) = &self.feeds {
                let _ = tx.kpis().keep_feeds_body(p.as_of, &p.params, p.version, &p.body);
            }
            if let Some(p) = &self.scan {
                let _ = tx.kpis().keep_scan(p.as_of, &p.params, p.version, &p.body);
            }
            if let Some(b) = &self.brief {
                let _ = tx.kept_briefs().keep(b.generation, b.today, &b.key, &b.body);
            }
            Ok(())
        });
    }
}
