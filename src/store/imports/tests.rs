//! The import transaction against an in-memory store: idempotence, replace-on-update, undo, dry run.

use super::*;
use crate::assets::Role;
use crate::clock::parse_now;
use crate::domain::import::Preset;
use crate::io::import::{fingerprint, parse};

fn store() -> Store {
    let s = Store::open_in_memory().unwrap();
    s.write(|tx| tx.meta().init_role(Role::DemandGen, parse_now("2026-11-20").unwrap())).unwrap();
    s
}

fn import(s: &Store, text: &str, dry_run: bool) -> ImportOutcome {
    let parsed = parse(text.as_bytes(), None).unwrap();
    let print = fingerprint(text.as_bytes());
    let req = ImportRequest {
        file_name: "f.csv",
        fingerprint: &print,
        parsed: &parsed,
        now: parse_now("2026-11-20T09:00").unwrap(),
        dry_run,
        user: "dana",
    };
    s.imports().import(&req, &mut |_, _| {}).unwrap()
}

fn summary(o: ImportOutcome) -> ImportSummary {
    match o {
        ImportOutcome::Imported(s) => *s,
        ImportOutcome::AlreadyImported { id, .. } => panic!("already imported as #{id}"),
        ImportOutcome::Refused(e) => panic!("refused: {e:?}"),
    }
}

fn kpis(s: &Store) -> Vec<(String, String, String, f64)> {
    let mut stmt =
        s.conn.prepare("SELECT day, metric, channel, value FROM kpi_obs ORDER BY day, metric, channel").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(|r| r.unwrap()).collect()
}

const NOV: &str = "date,metric,value,channel\n2026-11-01,leads,5,email\n2026-11-02,leads,7,email\n2026-11-02,mqls,3,\n";

#[test]
fn the_same_file_twice_changes_nothing_the_second_time() {
    let s = store();
    let first = summary(import(&s, NOV, false));
    assert_eq!((first.created, first.updated, first.unchanged), (3, 0, 0));
    let before = kpis(&s);
    match import(&s, NOV, false) {
        ImportOutcome::AlreadyImported { id, replaced_by } => assert_eq!((id, replaced_by), (first.id, None)),
        _ => panic!("expected already imported"),
    }
    assert_eq!(kpis(&s), before);
    assert_eq!(s.imports().log().unwrap().len(), 1);
}

#[test]
fn an_updated_export_replaces_the_earlier_one() {
    let s = store();
    let first = summary(import(&s, NOV, false));
    let update =
        "date,metric,value,channel\n2026-11-01,leads,5,email\n2026-11-02,leads,9,email\n2026-11-03,leads,1,email\n";
    let second = summary(import(&s, update, false));
    assert_eq!((second.created, second.updated, second.unchanged, second.removed), (1, 1, 1, 1));
    assert_eq!(second.replaced, vec![first.id]);
    let values: Vec<(String, String, f64)> = kpis(&s).into_iter().map(|(d, m, _, v)| (d, m, v)).collect();
    assert_eq!(
        values,
        vec![
            ("2026-11-01".into(), "leads".into(), 5.0),
            ("2026-11-02".into(), "leads".into(), 9.0),
            ("2026-11-03".into(), "leads".into(), 1.0)
        ]
    );
    let log = s.imports().log().unwrap();
    assert_eq!(log[1].replaced_by, Some(second.id));
    assert!(log[0].is_active() && !log[1].is_active());
}

#[test]
fn a_different_report_of_the_same_period_is_kept_beside_the_first() {
    let s = store();
    summary(import(&s, NOV, false));
    let other = "date,metric,value,channel\n2026-11-01,sessions,500,organic\n";
    let second = summary(import(&s, other, false));
    assert!(second.replaced.is_empty());
    assert_eq!(kpis(&s).len(), 4);
}

#[test]
fn a_dry_run_reports_the_real_counts_and_writes_nothing() {
    let s = store();
    let dry = summary(import(&s, NOV, true));
    assert!(dry.dry_run);
    assert_eq!(dry.created, 3);
    assert!(kpis(&s).is_empty());
    assert!(s.imports().log().unwrap().is_empty());
}

#[test]
fn undo_removes_exactly_that_import_and_the_campaigns_only_it_used() {
    let s = store();
    let mine = summary(import(&s, "date,metric,value\n2026-11-05,leads,2\n", false));
    let ads =
        "date,campaign,amount,channel\n2026-11-01,Spring Promo,100.50,linkedin\n2026-09-30,Spring Promo,10,linkedin\n";
    let spend = summary(import(&s, ads, false));
    let names: Vec<(&str, &str)> =
        spend.campaigns_created.iter().map(|c| (c.name.as_str(), c.period.as_str())).collect();
    assert_eq!(names, vec![("Spring Promo", "2026-Q4"), ("Spring Promo", "2026-Q3")]);
    let undo = s.imports().undo(spend.id, parse_now("2026-11-21").unwrap(), false).unwrap();
    assert_eq!(undo.facts_removed, 2);
    assert_eq!(undo.campaigns_removed.len(), 2);
    let left: i64 = s.conn.query_row("SELECT count(*) FROM campaign", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0);
    assert_eq!(kpis(&s).len(), 1, "the other import is untouched");
    assert!(s.imports().undo(spend.id, parse_now("2026-11-21").unwrap(), false).is_err(), "twice is refused");
    assert!(s.imports().undo(999, parse_now("2026-11-21").unwrap(), false).is_err());
    // After an undo the same file imports afresh.
    assert_eq!(summary(import(&s, ads, false)).created, 2);
    let _ = mine;
}

#[test]
fn unknown_metrics_are_refused_row_by_row_with_a_hint() {
    let s = store();
    match import(&s, "date,metric,value\n2026-11-05,lead,2\n2026-11-06,lead,3\n", false) {
        ImportOutcome::Refused(e) => {
            assert_eq!(e.len(), 2);
            assert_eq!((e[0].line, e[0].column.as_str()), (2, "metric"));
            assert!(e[0].message.contains("unknown metric 'lead'; did you mean leads"), "{}", e[0].message);
        }
        _ => panic!("expected a refusal"),
    }
    assert!(s.imports().log().unwrap().is_empty());
}

fn mktg_opts(currency: &'static str) -> crate::io::import::ParseOptions<'static> {
    crate::io::import::ParseOptions { currency, ..crate::io::import::ParseOptions::new(Some(Preset::GoogleAds)) }
}

#[test]
fn a_file_in_another_currency_is_refused() {
    let s = store();
    let text = "Campaign report\nNovember 1, 2026 - November 2, 2026\nDay,Campaign,Cost,Currency code\n2026-11-01,Brand,10.00,EUR\n";
    // Read for a USD store, the file is refused at its first EUR cell.
    let e = parse(text.as_bytes(), Some(Preset::GoogleAds)).unwrap_err();
    assert_eq!((e[0].line, e[0].column.as_str()), (4, "Currency code"));
    assert!(e[0].message.starts_with("the file is in EUR but the store keeps USD"), "{}", e[0].message);
    // Read as if for a EUR store, the store (in USD) still refuses it as a whole.
    let opts = mktg_opts("EUR");
    let parsed = crate::io::import::parse_with(text.as_bytes(), &opts).unwrap();
    let req = ImportRequest {
        file_name: "ads.csv",
        fingerprint: "x",
        parsed: &parsed,
        now: parse_now("2026-11-20").unwrap(),
        dry_run: false,
        user: "dana",
    };
    let e = s.imports().import(&req, &mut |_, _| {}).err().unwrap().to_string();
    assert!(e.contains("EUR") && e.contains("USD"), "{e}");
}

#[test]
fn days_format_as_iso() {
    let mut buf = [0u8; 10];
    let d = NaiveDate::from_ymd_opt(2026, 1, 9).unwrap();
    assert_eq!(iso_day(d, &mut buf), "2026-01-09");
    let d = NaiveDate::from_ymd_opt(812, 12, 31).unwrap();
    assert_eq!(iso_day(d, &mut buf), "0812-12-31");
}

#[test]
fn undoing_an_update_also_undoes_the_export_it_replaced_so_that_file_can_come_back() {
    let s = store();
    let first = summary(import(&s, NOV, false));
    let update = "date,metric,value,channel\n2026-11-01,leads,6,email\n";
    let second = summary(import(&s, update, false));
    assert_eq!(second.replaced, vec![first.id]);
    let refused = s.imports().undo(first.id, parse_now("2026-11-21").unwrap(), false).unwrap_err().to_string();
    assert!(refused.contains(&format!("undo #{}", second.id)), "{refused}");
    let undo = s.imports().undo(second.id, parse_now("2026-11-21").unwrap(), false).unwrap();
    assert_eq!(undo.also_undone, vec![first.id]);
    assert!(kpis(&s).is_empty());
    assert_eq!(summary(import(&s, NOV, false)).created, 3, "the first file imports afresh");
}

#[test]
fn a_campaign_someone_planned_since_survives_the_undo_of_the_import_that_created_it() {
    let s = store();
    let ads = "date,campaign,amount\n2026-11-01,Webinar,100\n";
    let imported = summary(import(&s, ads, false));
    s.write(|tx| {
        Ok::<_, Error>(tx.conn().execute("UPDATE campaign SET planned_cents = 500000 WHERE name = 'Webinar'", [])?)
    })
    .unwrap();
    let undo = s.imports().undo(imported.id, parse_now("2026-11-21").unwrap(), false).unwrap();
    assert!(undo.campaigns_removed.is_empty());
    let left: i64 = s.conn.query_row("SELECT count(*) FROM campaign", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 1);
}

#[test]
fn an_imported_fact_is_dated_by_its_import_and_a_recorded_one_by_itself() {
    let s = store();
    summary(import(&s, NOV, false));
    let typed = crate::store::kpis::NewObservation {
        metric: "leads".into(),
        day: chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
        channel: "email".into(),
        value: 2.0,
    };
    s.write(|tx| tx.kpis().record(&typed, parse_now("2026-11-20T10:30").unwrap())).unwrap();
    let at = |sql: &str| -> Vec<String> {
        let mut stmt = s.conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    };
    // The file's three facts carry no time of their own: the import's, kept once in its log row.
    assert_eq!(at("SELECT created_at FROM kpi_obs WHERE import_id IS NOT NULL"), vec![""; 3]);
    assert_eq!(at("SELECT at FROM import_log"), vec!["2026-11-20T09:00:00"]);
    assert_eq!(at("SELECT created_at FROM kpi_obs WHERE import_id IS NULL"), vec!["2026-11-20T10:30:00"]);
}
