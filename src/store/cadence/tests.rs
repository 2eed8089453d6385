//! The cadence store: agendas from recurrence, lazy instances, carry-over, edits from today on.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::assets::Role;
use crate::clock::parse_now;
use crate::store::Store;
use crate::store::decisions::NewDecision;

fn store(now: NaiveDateTime) -> Store {
    let s = Store::open_in_memory().unwrap();
    s.write(|tx| tx.meta().init_role(Role::DemandGen, now)).unwrap();
    s
}

fn names(s: &Store, day: NaiveDate) -> Vec<String> {
    s.cadence().agenda(day).unwrap().into_iter().map(|a| format!("{} {}", a.start.format("%H:%M"), a.name)).collect()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_agenda_follows_each_templates_recurrence() {
    let now = parse_now("2026-11-20T08:45").unwrap();
    let s = store(now);
    // Friday: the four daily meetings only.
    assert_eq!(
        names(&s, d("2026-11-20")),
        ["09:00 Ad performance review", "11:00 Lead gen strategy", "13:00 Sales sync", "15:00 Webinar planning"]
    );
    // Monday: the weekly performance review joins at 10:00.
    assert!(names(&s, d("2026-11-23")).contains(&"10:00 Weekly performance review".to_string()));
    // Tuesday 2026-11-24 is in phase with the bi-weekly GTM anchor (2026-01-06), 12-01 is not.
    assert!(names(&s, d("2026-11-24")).iter().any(|n| n.contains("GTM")));
    assert!(!names(&s, d("2026-12-01")).iter().any(|n| n.contains("GTM")));
    // First Wednesday of December: roadmap review; first Thursday of January: the quarterly review.
    assert!(names(&s, d("2026-12-02")).iter().any(|n| n.contains("roadmap")));
    assert!(names(&s, d("2027-01-07")).iter().any(|n| n.contains("positioning")));
    // Saturday: nothing.
    assert!(names(&s, d("2026-11-21")).is_empty());
}

#[test]
fn skip_move_and_one_offs_change_only_that_day() {
    let now = parse_now("2026-11-20T08:45").unwrap();
    let s = store(now);
    let day = now.date();
    let agenda = s.cadence().agenda(day).unwrap();
    s.write(|tx| tx.cadence().toggle_skip(&agenda[0], day, now)).unwrap();
    s.write(|tx| tx.cadence().move_meeting(&agenda[3], day, parse_time("16:30").unwrap(), now)).unwrap();
    s.write(|tx| tx.cadence().add_one_off(day, "Board prep", parse_time("12:00").unwrap(), 20, now)).unwrap();
    let after = s.cadence().agenda(day).unwrap();
    assert_eq!(after.len(), 5);
    assert_eq!(after[0].status, MeetingStatus::Skipped);
    assert_eq!((after[2].name.as_str(), after[2].template_id), ("Board prep", None));
    assert_eq!(after[4].start, parse_time("16:30").unwrap());
    // Monday is untouched.
    assert_eq!(s.cadence().agenda(d("2026-11-23")).unwrap().iter().filter(|a| a.name == "Webinar planning").count(), 1);
    assert!(s.write(|tx| tx.cadence().add_one_off(day, "  ", parse_time("12:00").unwrap(), 20, now)).is_err());
}

#[test]
fn unticked_items_carry_into_the_next_session_once() {
    let thu = parse_now("2026-11-19T15:10").unwrap();
    let s = store(thu);
    let a = s.cadence().agenda(thu.date()).unwrap();
    let webinar = a.iter().find(|x| x.name == "Webinar planning").unwrap();
    let id = s.write(|tx| tx.cadence().open_meeting(webinar, thu.date(), thu)).unwrap();
    s.write(|tx| tx.cadence().toggle_item(id, 0, thu)).unwrap();
    s.write(|tx| tx.cadence().toggle_item(id, 1, thu)).unwrap();
    let fri = parse_now("2026-11-20T15:00").unwrap();
    let a = s.cadence().agenda(fri.date()).unwrap();
    let webinar = a.iter().find(|x| x.name == "Webinar planning").unwrap();
    assert_eq!(s.cadence().carried_open(webinar, fri.date()).unwrap(), 2);
    let id = s.write(|tx| tx.cadence().open_meeting(webinar, fri.date(), fri)).unwrap();
    let m = s.cadence().meeting(id).unwrap();
    // Same labels as the template's: marked, not duplicated.
    assert_eq!(m.items.len(), 4);
    let carried: Vec<_> = m.items.iter().filter(|i| i.carried_from.is_some()).map(|i| i.label.as_str()).collect();
    assert_eq!(carried, ["Promotion scheduled", "Follow-up sequence ready"]);
    assert_eq!(m.items[2].carried_from, Some(thu.date()));
}

#[test]
fn a_template_edit_applies_from_today_and_never_rewrites_the_past() {
    let thu = parse_now("2026-11-19T13:10").unwrap();
    let s = store(thu);
    let a = s.cadence().agenda(thu.date()).unwrap();
    let held = s.write(|tx| tx.cadence().open_meeting(&a[2], thu.date(), thu)).unwrap();
    let fri = parse_now("2026-11-20T08:00").unwrap();
    let edit = TemplateEdit {
        name: "Sales & marketing sync".into(),
        start: "13:30".into(),
        minutes: "45".into(),
        recurrence: "weekly:fri".into(),
        checklist: "Pipeline reviewed; Hand-off checked".into(),
        kpis: "mqls, sqls".into(),
    };
    let t = s.write(|tx| tx.cadence().edit_template("sales-sync", &edit, fri.date())).unwrap();
    assert_eq!((t.valid_from, t.checklist.len()), (fri.date(), 2));
    assert_eq!(s.cadence().meeting(held).unwrap().name, "Sales sync", "yesterday keeps its name");
    assert!(names(&s, fri.date()).contains(&"13:30 Sales & marketing sync".to_string()));
    assert!(!names(&s, d("2026-11-23")).iter().any(|n| n.contains("sync")), "weekly on Fridays now");
    assert!(names(&s, thu.date()).contains(&"13:00 Sales sync".to_string()));
    let bad = TemplateEdit { kpis: "mql".into(), ..edit.clone() };
    assert!(
        s.write(|tx| tx.cadence().edit_template("sales-sync", &bad, fri.date()))
            .unwrap_err()
            .to_string()
            .contains("did you mean")
    );
    let bad = TemplateEdit { recurrence: "fortnightly".into(), ..edit };
    assert!(s.write(|tx| tx.cadence().edit_template("sales-sync", &bad, fri.date())).is_err());
}

#[test]
fn a_meeting_is_found_by_key_or_name_for_decisions_logged_from_the_command_line() {
    let now = parse_now("2026-11-20T13:10").unwrap();
    let s = store(now);
    let id = s.write(|tx| tx.cadence().meeting_for_today("sales-sync", now)).unwrap();
    assert_eq!(s.write(|tx| tx.cadence().meeting_for_today("Sales sync", now)).unwrap(), id);
    let e = s.write(|tx| tx.cadence().meeting_for_today("board", now)).unwrap_err().to_string();
    assert!(e.contains("Sales sync"), "{e}");
    let dec = NewDecision { title: "x".into(), owner: "Dana".into(), meeting_id: Some(id), ..NewDecision::default() };
    let did = s.write(|tx| tx.decisions().add(&dec, now)).unwrap();
    assert_eq!(s.decisions().in_meeting(id).unwrap()[0].id, did);
}

#[test]
fn meeting_kpis_sum_split_by_channel_and_compute_ratios_from_sums() {
    let now = parse_now("2026-11-20T09:00").unwrap();
    let s = store(now);
    s.write(|tx| {
        for (m, day, ch, v) in [
            ("spend", "2026-11-18", "search", 300.0),
            ("spend", "2026-11-19", "social", 100.0),
            ("leads", "2026-11-18", "search", 10.0),
            ("leads", "2026-11-19", "social", 10.0),
            ("spend", "2026-10-31", "search", 999.0), // last month: out
        ] {
            tx.conn().execute(
                "INSERT INTO kpi_obs(metric, day, channel, value, created_at) VALUES (?1, ?2, ?3, ?4, '2026-11-20T00:00:00')",
                rusqlite::params![m, day, ch, v],
            )?;
        }
        Ok::<_, crate::store::error::Error>(())
    })
    .unwrap();
    let k = s.cadence().meeting_kpis(&["spend".into(), "cpl".into(), "nope".into()], now.date()).unwrap();
    assert_eq!(k.len(), 2);
    assert_eq!(k[0].value, Some(400.0));
    assert_eq!(k[0].by_channel, [("search".to_string(), 300.0), ("social".to_string(), 100.0)]);
    assert_eq!(k[1].value, Some(20.0), "CPL = 400 / 20, not the mean of 30 and 10");
}

#[test]
fn a_meeting_cpl_without_spend_is_no_data_not_zero() {
    let now = parse_now("2026-11-20T09:00").unwrap();
    let s = store(now);
    s.write(|tx| {
        tx.conn().execute(
            "INSERT INTO kpi_obs(metric, day, channel, value, created_at) VALUES ('leads', '2026-11-18', 'search', 10, '2026-11-20T00:00:00')",
            [],
        )?;
        Ok::<_, crate::store::error::Error>(())
    })
    .unwrap();
    let k = s.cadence().meeting_kpis(&["cpl".into()], now.date()).unwrap();
    assert_eq!(k[0].value, None, "leads but no spend: the panel says no data, not $0");
}
