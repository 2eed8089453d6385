//! The brief's day part, kept in the store for the data generation it was computed at: the
//! materialised brief of #14/#21. Everything in a brief but the minute's parts (agenda, focus,
//! next meeting: `live`) depends only on the store's data, the day, the period choice, the config
//! and the build; computing it reads some sixty statements (and, on a dense store, every
//! channel's days for feed freshness), which no micro-optimisation brings under a frame. So it is
//! computed once per (generation, day, choice, config, build) and read back by every face
//! (dashboard, `brief`, `report exec`, `today`, MCP, the quarter view).
//!
//! A cache, never a second computation: a miss (a write moved the generation, another day,
//! another config or build, a row that does not read back) computes [`Brief::compute`] exactly
//! as before; keeping never blocks (`write_if_free`) and never fails the read; a read-only store
//! keeps nothing and reads nothing kept.

use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime};

use super::Brief;
use super::keeps::Keeps;
use crate::config::Config;
use crate::domain::period_choice::PeriodChoice;
use crate::store::Store;
use crate::store::error::Result;

/// Bumped when what a kept brief means changes (also covered by the build's fingerprint).
const FORMAT: &str = "brief-1";

/// The brief at `now` for `choice`: the kept day part when current, else computed (and kept).
pub fn build(store: &Store, config: &Config, now: NaiveDateTime, choice: PeriodChoice) -> Result<Brief> {
    let Some(key) = key(store, config, choice) else { return Brief::compute(store, config, now, choice) };
    let today = now.date();
    let kept = store.kept_briefs();
    // A row this build cannot read is a miss, never an error.
    if let Some(body) = kept.get(today, &key).ok().flatten()
        && let Ok(mut b) = serde_json::from_str::<Brief>(&body)
    {
        b.now = now;
        (b.agenda, b.focus, b.next_meeting) = super::live(store, config, now)?;
        return Ok(b);
    }
    // Read before the data: if it has not moved when the brief is kept, no write came between.
    let generation = kept.generation().ok();
    let mut keeps = Keeps::default();
    let brief = Brief::compute_keeping(store, config, now, choice, &mut keeps)?;
    if let Some(generation) = generation
        && store.keeps_derived()
        && let Some(body) = keepable(&brief)
    {
        keeps.brief(generation, brief.today, &key, body);
    }
    // The feeds, the scan and the brief in one transaction.
    keeps.write(store);
    Ok(brief)
}

/// Whether the brief of `today` for `choice` is kept for the store's current data: building it
/// is then a read, quick enough to do between two keys.
pub fn at_hand(store: &Store, config: &Config, today: NaiveDate, choice: PeriodChoice) -> bool {
    key(store, config, choice).is_some_and(|k| matches!(store.kept_briefs().get(today, &k), Ok(Some(_))))
}

/// `b`'s day part as kept, if it reads back as exactly what was computed (every field, every
/// float's bits: compared through `Debug`, which writes floats in full); otherwise `None`: nothing
/// is kept and the next reader computes again. Failing to keep costs the next reader a
/// computation, nothing more.
fn keepable(b: &Brief) -> Option<String> {
    let body = serde_json::to_string(b).ok()?;
    let mut back = serde_json::from_str::<Brief>(&body).ok()?;
    back.now = b.now;
    back.agenda = b.agenda.clone();
    back.focus = b.focus;
    back.next_meeting = b.next_meeting.clone();
    (format!("{back:?}") == format!("{b:?}")).then_some(body)
}

/// What a kept brief is filed under besides its generation and day: the format, this build, the
/// period choice and the config the brief reads. `None` (no cache) on a read-only store or when
/// this build cannot be told apart from another.
fn key(store: &Store, config: &Config, choice: PeriodChoice) -> Option<String> {
    if store.is_read_only() {
        return None;
    }
    let build = build_fingerprint()?;
    Some(format!("{FORMAT}:{build}:{:016x}:{choice:?}", config_fingerprint(config)))
}

/// The config a brief reads (pacing and calendar, tiers, compete, mentor, feed owners, the user),
/// hashed: a change to any of them is never served a brief kept under the old one.
pub fn config_fingerprint(config: &Config) -> u64 {
    let text = format!(
        "{:?}",
        (&config.user, &config.tiers, &config.compete, &config.mentor, &config.pacing, &config.feed_owners)
    );
    fnv(&text)
}

/// This executable, told apart from any other build by its size and modification time: a
/// binary never reads a brief kept by another (whose types or numbers may differ).
fn build_fingerprint() -> Option<String> {
    static BUILD: OnceLock<Option<String>> = OnceLock::new();
    BUILD
        .get_or_init(|| {
            let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
            let at = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
            Some(format!("{}.{}.{}", meta.len(), at.as_secs(), at.subsec_nanos()))
        })
        .clone()
}

/// FNV-1a: stable across runs and platforms, unlike the standard library's hasher.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Attention items as kept: all their fields, the internal ones too (their output form skips
/// them), the kind by name.
pub mod attention {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::domain::attention::{Attention, Group, Link, kind};

    #[derive(Serialize, Deserialize)]
    struct Kept {
        group: Group,
        kind: String,
        what: String,
        how_far: String,
        bad: bool,
        severity: f64,
        link: Link,
        owner: Option<String>,
        folded: Vec<String>,
        cause: Option<String>,
        brief: String,
    }

    pub fn serialize<S: Serializer>(items: &[Attention], s: S) -> Result<S::Ok, S::Error> {
        let kept: Vec<Kept> = items
            .iter()
            .map(|a| Kept {
                group: a.group,
                kind: a.kind.to_string(),
                what: a.what.clone(),
                how_far: a.how_far.clone(),
                bad: a.bad,
                severity: a.severity,
                link: a.link.clone(),
                owner: a.owner.clone(),
                folded: a.folded.clone(),
                cause: a.cause.clone(),
                brief: a.brief.clone(),
            })
            .collect();
        kept.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Attention>, D::Error> {
        let kept = Vec::<Kept>::deserialize(d)?;
        kept.into_iter()
            .map(|k| {
                let Some(kind) = kind::ALL.iter().find(|n| **n == k.kind) else {
                    return Err(serde::de::Error::custom(format!("unknown attention kind {}", k.kind)));
                };
                Ok(Attention {
                    group: k.group,
                    kind,
                    what: k.what,
                    how_far: k.how_far,
                    bad: k.bad,
                    severity: k.severity,
                    link: k.link,
                    owner: k.owner,
                    folded: k.folded,
                    cause: k.cause,
                    brief: k.brief,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Config {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).expect("config");
        Config::load(&path).expect("load")
    }

    #[test]
    fn the_config_fingerprint_is_stable_and_moves_with_what_the_brief_reads() {
        let text = "[calendar]\nholidays = [\"2026-12-25\"]\n[feeds.owners]\nseo = \"Sam\"\nemail = \"Eve\"\n";
        let a = config_fingerprint(&load(text));
        assert_eq!(a, config_fingerprint(&load(text)), "two loads of one file");
        for other in [
            "[calendar]\nholidays = [\"2026-12-24\"]\n[feeds.owners]\nseo = \"Sam\"\nemail = \"Eve\"\n",
            "[calendar]\nholidays = [\"2026-12-25\"]\n[feeds.owners]\nseo = \"Sam\"\n",
            "[calendar]\nholidays = [\"2026-12-25\"]\n[pacing]\nmin_share = 0.5\n[feeds.owners]\nseo = \"Sam\"\nemail = \"Eve\"\n",
        ] {
            assert_ne!(a, config_fingerprint(&load(other)), "{other}");
        }
    }

    #[test]
    fn a_brief_is_at_hand_once_kept_for_its_choice_and_day_until_a_write() {
        let s = Store::open_in_memory().expect("store");
        let now = crate::clock::parse_now("2026-11-20T08:45").expect("now");
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).expect("role");
        let config = Config::default();
        let quarter = PeriodChoice::default().cycle();
        assert!(!at_hand(&s, &config, now.date(), quarter), "nothing kept yet");
        build(&s, &config, now, quarter).expect("brief");
        assert!(at_hand(&s, &config, now.date(), quarter), "kept by the build");
        assert!(!at_hand(&s, &config, now.date(), PeriodChoice::default()), "another choice is not");
        assert!(!at_hand(&s, &config, now.date() + chrono::Duration::days(1), quarter), "another day is not");
        s.write(|tx| tx.meta().set("onboarded", "yes")).expect("a write");
        assert!(!at_hand(&s, &config, now.date(), quarter), "a write dates it");
    }

    #[test]
    fn a_store_that_cannot_keep_is_given_the_same_brief_and_keeps_nothing() {
        let mut s = Store::open_in_memory().expect("store");
        let now = crate::clock::parse_now("2026-11-20T08:45").expect("now");
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).expect("role");
        s.never_keep_derived();
        let config = Config::default();
        let b = build(&s, &config, now, PeriodChoice::default()).expect("brief");
        let fresh = Brief::compute(&s, &config, now, PeriodChoice::default()).expect("brief");
        assert_eq!(super::super::to_json(&b), super::super::to_json(&fresh));
        assert_eq!(
            s.kept_briefs().get(now.date(), &key(&s, &config, PeriodChoice::default()).expect("key")).unwrap(),
            None
        );
    }
}
