//! Upgrades: stores written by earlier schema versions, opened by this build.

use super::*;

#[test]
fn a_store_of_every_earlier_version_migrates_to_the_latest_keeping_its_data() {
    for version in 1..MIGRATIONS.len() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            let mut old = Store::bare(conn, Some(path.clone()), false);
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
            let mut old = Store::bare(conn, Some(path.clone()), false);
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
        let mut old = Store::bare(conn, Some(path.clone()), false);
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

/// Migration 0022 rebuilds `kpi_obs_by_campaign` with the value: a store at schema 21 holding
/// lead facts of campaigns keeps every campaign's lead sum, now read from the index alone.
#[test]
fn the_campaign_index_rebuilt_with_the_value_keeps_every_lead_sum() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v21.db");
    let now = crate::clock::parse_now("2026-11-20").unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let q = crate::domain::period::Period::parse("2026-Q4").unwrap();
    let leads = |s: &Store| -> Vec<(i64, f64)> {
        s.budget().rows(&q, today).unwrap().into_iter().map(|r| (r.facts.id, r.facts.leads)).collect()
    };
    let before = {
        let conn = Connection::open(&path).unwrap();
        let mut old = Store::bare(conn, Some(path.clone()), false);
        old.configure().unwrap();
        old.migrate_to(21).unwrap();
        old.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        old.write(|tx| {
            tx.conn().execute_batch(
                "INSERT INTO campaign(id, name, period, channel, planned_cents, created_at) VALUES
                   (1, 'Webinar', '2026-Q4', 'email', 100000, '2026-10-01T09:00:00'),
                   (2, 'Paid social', '2026-Q4', 'paid-social', 200000, '2026-10-01T09:00:00'),
                   (3, 'Quiet', '2026-Q4', 'events', 50000, '2026-10-01T09:00:00');
                 INSERT INTO kpi_obs(metric, day, channel, campaign_id, value, created_at) VALUES
                   ('leads', '2026-10-02', 'email', 1, 3, '2026-10-02T09:00:00'),
                   ('leads', '2026-10-03', 'email', 1, 4.5, '2026-10-03T09:00:00'),
                   ('leads', '2026-11-18', 'paid-social', 2, 12, '2026-11-18T09:00:00'),
                   ('leads', '2026-11-19', '', NULL, 99, '2026-11-19T09:00:00'),
                   ('sessions', '2026-11-19', 'paid-social', 2, 500, '2026-11-19T09:00:00');",
            )?;
            Ok::<_, Error>(())
        })
        .unwrap();
        leads(&old)
    };
    assert_eq!(before, vec![(1, 7.5), (2, 12.0), (3, 0.0)]);
    let upgraded = Store::open(&path).unwrap();
    let sql: String = upgraded
        .conn
        .query_row("SELECT sql FROM sqlite_master WHERE name = 'kpi_obs_by_campaign'", [], |r| r.get(0))
        .unwrap();
    assert!(sql.contains("campaign_id, metric, value") && sql.contains("WHERE campaign_id IS NOT NULL"), "{sql}");
    assert_eq!(leads(&upgraded), before);
    let plan: Vec<String> = upgraded
        .conn
        .prepare("EXPLAIN QUERY PLAN SELECT sum(value) FROM kpi_obs k WHERE k.campaign_id = ?1 AND k.metric = 'leads'")
        .unwrap()
        .query_map([1], |r| r.get(3))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(plan.iter().any(|p| p.contains("COVERING INDEX kpi_obs_by_campaign")), "{plan:?}");
    let problems = upgraded.check().unwrap();
    // The facts went in by plain SQL, past the daily rollups: only those may disagree.
    assert!(problems.iter().all(|p| p.contains("rollup")), "{problems:?}");
}
