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
use crate::store::error::Result;

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
    /// Run `f` on its own (not inside a brief) and keep what it left to keep at once: the public
    /// faces of the feeds, the scan and the brief, each a part computed by itself.
    pub fn at_once<T>(store: &Store, f: impl FnOnce(&mut Keeps) -> Result<T>) -> Result<T> {
        let mut keeps = Keeps::default();
        let out = f(&mut keeps)?;
        keeps.write(store);
        Ok(out)
    }

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
                let _ = tx.kpis().keep_feeds(p.as_of, &p.params, p.version, &p.body);
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

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use crate::brief::{Brief, to_json};
    use crate::config::Config;
    use crate::domain::period_choice::PeriodChoice;
    use crate::store::Store;
    use crate::store::error::Error;
    use crate::store::kpis::NewObservation;

    /// What is kept: judged feeds, channel scans and briefs.
    fn kept(path: &std::path::Path) -> (i64, i64, i64) {
        let c = rusqlite::Connection::open(path).expect("open");
        let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).expect("count");
        (
            n("SELECT count(*) FROM kpi_scan WHERE params LIKE 'feeds-%'"),
            n("SELECT count(*) FROM kpi_scan WHERE params LIKE 'channel-scan-%'"),
            n("SELECT count(*) FROM kept_brief"),
        )
    }

    #[test]
    fn a_brief_keeps_its_feeds_scan_and_day_part_together_or_nothing_while_another_writes() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("s.db");
        let s = Store::create(&path, false).expect("store");
        let now = crate::clock::parse_now("2026-11-20T08:45").expect("now");
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).expect("role");
        for n in 0..40 {
            let day = now.date() - Duration::days(40 - n);
            for (channel, v) in [("email", 30.0 + (n % 4) as f64), ("seo", 12.0)] {
                let o = NewObservation { metric: "leads".into(), day, channel: channel.into(), value: v };
                s.write(|tx| tx.kpis().record(&o, now)).expect("record");
            }
        }
        let config = Config::default();
        let afresh = to_json(&Brief::compute(&s, &config, now, PeriodChoice::default()).expect("brief"));
        let cleared = || {
            let c = rusqlite::Connection::open(&path).expect("open");
            c.execute_batch("DELETE FROM kpi_scan; DELETE FROM kept_brief;").expect("clear");
        };
        cleared();

        // Another process holds the write lock: the brief is the same, and nothing is kept.
        let (hold_tx, hold_rx) = std::sync::mpsc::channel::<()>();
        let (started_tx, started_rx) = std::sync::mpsc::channel::<()>();
        let other = path.clone();
        let writer = std::thread::spawn(move || {
            let b = Store::open(&other).expect("b");
            b.write(|_tx| {
                started_tx.send(()).expect("send");
                let _ = hold_rx.recv_timeout(std::time::Duration::from_secs(5));
                Ok::<_, Error>(())
            })
            .expect("b writes");
        });
        started_rx.recv().expect("b holds the lock");
        let b = Brief::build_at(&s, &config, now, PeriodChoice::default()).expect("brief");
        assert_eq!(to_json(&b), afresh);
        assert_eq!(kept(&path), (0, 0, 0), "nothing kept while another writes");
        let _ = hold_tx.send(());
        writer.join().expect("writer");

        // Free again: all three kept, and read back as computed.
        let b = Brief::build_at(&s, &config, now, PeriodChoice::default()).expect("brief");
        assert_eq!(to_json(&b), afresh);
        assert_eq!(kept(&path), (1, 1, 1), "feeds, scan and brief kept");
        let b = Brief::build_at(&s, &config, now, PeriodChoice::default()).expect("brief");
        assert_eq!(to_json(&b), afresh);
    }
}
