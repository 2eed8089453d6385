//! Upgrades: stores written by earlier schema versions, opened by this build.

use super::*;

#[test]
fn a_store_of_every_earlier_version_migrates_to_the_latest_keeping_its_data() {
    for version in 1..MIGRATIONS.len() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            let mut old =
                Store { conn, path: Some(path.clone()), read_only: false, on_wait: None, keeps_derived: true };
            old.configure().unwrap();
            old.migrate_to(version).unwrap();
            assert_eq!(old.schema_version().unwrap(), version as i64);
            old.write(|tx| {
                tx.conn().execute_batch(
                    "INSERT INTO decision(title, owner, made_at) VALUES ('Kept across upgrades', 'Sam', '2026-11-20T09:00:00');",
                )?;
                Ok::<_, Error>(())
            })
            .unwrap();
        }
        let upgraded = Store::open(&path).unwrap();
        assert_eq!(upgraded.schema_version().unwrap(), SCHEMA_VERSION, "from version {version}");
        let title: String = upgraded.conn.query_row("SELECT title FROM decision", [], |r| r.get(0)).unwrap();
        assert_eq!(title, "Kept across upgrades");
        assert!(upgraded.check().unwrap().is_empty(), "from version {version}");
    }
}

/// #15: a store written at schema 16 (before the label migration) has its template "Cost per
/// lead" renamed "Blended CPL" when opened; a label the user chose stays. Built by running the
/// first 16 migrations, so later migrations run on top of it as they would for a user.
#[test]
fn the_blended_cpl_label_migration_renames_only_the_old_default() {
    for (label, expected) in [("Cost per lead", "Blended CPL"), ("CPL (all sources)", "CPL (all sources)")] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v16.db");
        {
            let conn = Connection::open(&path).unwrap();
            let mut old =
                Store { conn, path: Some(path.clone()), read_only: false, on_wait: None, keeps_derived: true };
            old.configure().unwrap();
            old.migrate_to(16).unwrap();
            old.write(|tx| {
                tx.conn().execute(
                    "INSERT INTO metric(key, label, unit, direction, rollup, formula) \
                     VALUES ('cpl', ?1, 'currency', 'lower', 'ratio', 'spend/leads')",
                    [label],
                )?;
                Ok::<_, Error>(())
            })
            .unwrap();
        }
        let upgraded = Store::open(&path).unwrap();
        let now: String =
            upgraded.conn.query_row("SELECT label FROM metric WHERE key = 'cpl'", [], |r| r.get(0)).unwrap();
        assert_eq!(now, expected, "from {label:?}");
    }
}

/// Migration 0021 drops `kpi_day_by_source`: a store at schema 20 holding facts keeps its
/// rollups exactly (they are not rebuilt: the table is unchanged), and a feed's span, once read
/// through that index, is found along the primary key with the same days.
#[test]
fn dropping_the_daily_rollups_second_index_keeps_every_total_and_feed() {
    use crate::store::kpis::NewObservation;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v20.db");
    let now = crate::clock::parse_now("2026-11-20").unwrap();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let before = {
        let conn = Connection::open(&path).unwrap();
        let mut old = Store { conn, path: Some(path.clone()), read_only: false, on_wait: None, keeps_derived: true };
        old.configure().unwrap();
        old.migrate_to(20).unwrap();
        old.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        for (metric, d, channel, value) in [
            ("leads", "2026-10-02", "email", 3.0),
            ("leads", "2026-11-18", "", 7.0),
            ("sessions", "2026-09-30", "organic-search", 120.0),
            ("sessions", "2026-11-19", "organic-search", 80.0),
        ] {
            let o = NewObservation { metric: metric.into(), day: day(d), channel: channel.into(), value };
            old.write(|tx| tx.kpis().record(&o, now)).unwrap();
        }
        old.kpis().feeds().unwrap()
    };
    let upgraded = Store::open(&path).unwrap();
    let index: i64 = upgraded
        .conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'kpi_day_by_source'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(index, 0, "the index is gone");
    assert!(upgraded.kpis().rollup_mismatches().unwrap().is_empty());
    assert_eq!(upgraded.kpis().feeds().unwrap(), before);
    assert_eq!(before.len(), 2);
    assert_eq!((before[0].first_day, before[0].last_day), (day("2026-10-02"), day("2026-11-18")));
}
