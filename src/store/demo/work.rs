//! Demo launches in every stage and tier, meetings held over two weeks, and decisions (two overdue).

use chrono::{Datelike, Duration, NaiveDateTime};
use rusqlite::{Connection, params};

use super::{DemoCampaign, DemoReport, Rng};
use crate::domain::model::Stage;
use crate::domain::period::{Grain, Period};
use crate::domain::rubric::TierRules;
use crate::domain::tiering::{self, Scores};
use crate::store::error::Result;
use crate::store::{fmt_day, fmt_instant};

pub(super) fn demo_launches(tx: &Connection, now: NaiveDateTime, report: &mut DemoReport) -> Result<Vec<i64>> {
    let rules = TierRules::defaults();
    let today = now.date();
    // name, product, owner, days from today, stage, scores, how many own items done, baseline done
    type L = (&'static str, &'static str, &'static str, i64, Stage, Option<(i64, i64, i64)>, f64, [bool; 3]);
    let launches: [L; 9] = [
        ("Reporting API", "Platform", "Priya", -170, Stage::PostMortem, Some((3, 2, 3)), 1.0, [true; 3]),
        ("SSO for SMB", "Identity", "Marcus", -66, Stage::PostMortem, Some((3, 3, 3)), 1.0, [true; 3]),
        ("Analytics Suite 3", "Analytics", "Priya", -31, Stage::Measure, Some((5, 4, 4)), 1.0, [true; 3]),
        ("Partner Portal", "Partners", "Jordan", -23, Stage::Qa, Some((3, 3, 3)), 0.8, [true, false, true]),
        ("Dark mode", "Web app", "Lee", 7, Stage::Qa, Some((1, 2, 3)), 0.67, [true, true, false]),
        (
            "Salesforce connector v3",
            "Integrations",
            "Jordan",
            13,
            Stage::Qa,
            Some((3, 3, 4)),
            0.6,
            [true, false, false],
        ),
        ("Usage-based pricing", "Billing", "Priya", 20, Stage::Build, Some((5, 4, 3)), 0.4, [false; 3]),
        ("AI Assistant (beta)", "Analytics", "Sam", 56, Stage::Intake, None, 0.0, [false; 3]),
        ("EU data residency", "Platform", "Marcus", 82, Stage::Intake, Some((4, 5, 4)), 0.0, [false; 3]),
    ];
    let at = fmt_instant(now - Duration::days(40));
    let mut ids = Vec::new();
    for (name, product, owner, offset, stage, scores, share_done, baseline_done) in launches {
        let date = fmt_day(today + Duration::days(offset));
        let verdict = scores
            .map(|(r, u, d)| -> Result<_> {
                Ok((Scores::new(r, u, d)?, tiering::compute(Scores::new(r, u, d)?, &rules)))
            })
            .transpose()?;
        tx.execute(
            "INSERT INTO launch(name, product, owner, launch_date, stage, score_revenue, score_urgency, score_demand, computed_tier, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![
                name, product, owner, date, stage,
                verdict.as_ref().map(|v| v.0.revenue), verdict.as_ref().map(|v| v.0.urgency),
                verdict.as_ref().map(|v| v.0.demand), verdict.as_ref().map(|v| v.1.tier.0), at
            ],
        )?;
        let id = tx.last_insert_rowid();
        ids.push(id);
        report.launches += 1;
        let Some((s, v)) = verdict else {
            // Unscored launches already carry the baseline standard every tier must meet.
            for (pos, item) in rules.baseline.iter().enumerate() {
                tx.execute(
                    "INSERT INTO launch_item(launch_id, key, label, baseline, position) VALUES (?1, ?2, ?3, 1, ?4)",
                    params![id, item.key, item.label, pos as i64],
                )?;
            }
            continue;
        };
        tx.execute(
            "INSERT INTO launch_tier_history(launch_id, at, from_tier, to_tier, score_revenue, score_urgency, score_demand, reason)
             VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7)",
            params![id, at, v.tier.0, s.revenue, s.urgency, s.demand, v.reason()],
        )?;
        let items = tiering::checklist_for(v.tier, &rules);
        let own = items.iter().filter(|i| !i.baseline).count();
        let own_done = (own as f64 * share_done).round() as usize;
        let (mut own_i, mut base_i) = (0usize, 0usize);
        for (pos, item) in items.iter().enumerate() {
            let done = if item.baseline {
                base_i += 1;
                baseline_done[base_i - 1]
            } else {
                own_i += 1;
                own_i <= own_done
            };
            tx.execute(
                "INSERT INTO launch_item(launch_id, key, label, baseline, position, done_at, done_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id,
                    item.key,
                    item.label,
                    item.baseline,
                    pos as i64,
                    done.then(|| at.clone()),
                    done.then_some(owner)
                ],
            )?;
        }
        let mut prev = Stage::Intake;
        while prev < stage {
            let Some(next) = prev.next() else { break };
            tx.execute(
                "INSERT INTO launch_stage_history(launch_id, at, from_stage, to_stage) VALUES (?1, ?2, ?3, ?4)",
                params![id, at, prev, next],
            )?;
            prev = next;
        }
    }
    Ok(ids)
}

/// Daily meetings held over the last two weeks, mostly ticked; yesterday's
/// webinar planning left half done so the carry-over shows.
pub(super) fn demo_meetings(
    tx: &Connection,
    now: NaiveDateTime,
    rng: &mut Rng,
    report: &mut DemoReport,
) -> Result<Vec<(String, i64)>> {
    let today = now.date();
    let templates: Vec<(i64, String, String, String, i64, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT id, key, name, start_time, duration_min, checklist, kpis FROM meeting_template
             WHERE kind = 'daily' AND valid_to IS NULL ORDER BY start_time",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut held = Vec::new();
    for back in (1..=14i64).rev() {
        let day = today - Duration::days(back);
        if day.weekday().num_days_from_monday() >= 5 {
            continue;
        }
        for (tid, key, name, start, duration, checklist, kpis) in &templates {
            let at = fmt_instant(day.and_hms_opt(17, 0, 0).unwrap_or_default());
            // `demo --force` on a store that already held these meetings: keep the one held.
            let inserted = tx.execute(
                "INSERT INTO meeting_instance(template_id, day, name, start_time, duration_min, status, kpis, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'done', ?6, ?7)
                 ON CONFLICT(template_id, day) DO NOTHING",
                params![tid, fmt_day(day), name, start, duration, kpis, at],
            )?;
            if inserted == 0 {
                let mid: i64 = tx.query_row(
                    "SELECT id FROM meeting_instance WHERE template_id = ?1 AND day = ?2",
                    params![tid, fmt_day(day)],
                    |r| r.get(0),
                )?;
                held.push((key.clone(), mid));
                continue;
            }
            let mid = tx.last_insert_rowid();
            report.meetings += 1;
            let labels: Vec<String> = serde_json::from_str(checklist).unwrap_or_default();
            let half_done = back == 1 && key == "webinar";
            for (pos, label) in labels.iter().enumerate() {
                let done = if half_done { pos < 2 } else { rng.unit() < 0.9 };
                tx.execute(
                    "INSERT INTO meeting_item(instance_id, position, label, done_at) VALUES (?1, ?2, ?3, ?4)",
                    params![mid, pos as i64, label, done.then(|| at.clone())],
                )?;
            }
            held.push((key.clone(), mid));
        }
    }
    Ok(held)
}

pub(super) fn demo_decisions(
    tx: &Connection,
    now: NaiveDateTime,
    launches: &[i64],
    campaigns: &[DemoCampaign],
    meetings: &[(String, i64)],
    report: &mut DemoReport,
) -> Result<()> {
    let today = now.date();
    let meeting = |key: &str, nth_last: usize| -> Option<i64> {
        meetings.iter().rev().filter(|(k, _)| k == key).nth(nth_last).map(|(_, id)| *id)
    };
    let this_q = Period::containing(Grain::Quarter, today);
    let campaign = |i: usize| campaigns.iter().filter(|c| c.period == this_q).nth(i).map(|c| c.id);
    // title, recommendation, risk, owner, made days ago, due offset, status, meeting, launch, campaign
    type D<'a> = (&'a str, &'a str, &'a str, &'a str, i64, Option<i64>, &'a str, Option<i64>, Option<i64>, Option<i64>);
    let decisions: Vec<D> = vec![
        (
            "Cap LinkedIn ABM daily budget at $1,300",
            "Hold frequency caps; shift surplus to search",
            "Quarter overspend of ~$13k",
            "Alex",
            9,
            Some(-3),
            "decided",
            meeting("ad-review", 6),
            None,
            campaign(1),
        ),
        (
            "Approve Partner Portal compliance review",
            "Legal to review data-sharing terms this week",
            "Launch slips past partner summit",
            "Jordan",
            12,
            Some(-1),
            "proposed",
            meeting("sales-sync", 8),
            launches.get(3).copied(),
            None,
        ),
        (
            "Pick the Q1 webinar theme",
            "Pipeline velocity for RevOps",
            "Registration window too short",
            "Sam",
            4,
            Some(0),
            "proposed",
            meeting("webinar", 3),
            None,
            campaign(6),
        ),
        (
            "Refresh the competitor battlecard",
            "Update pricing objections from last 5 losses",
            "Win rate keeps sliding vs Competitor X",
            "Priya",
            6,
            Some(5),
            "decided",
            meeting("sales-sync", 4),
            None,
            None,
        ),
        (
            "Usage-based pricing: tier 1 launch",
            "Full kit incl. analyst briefings",
            "Under-resourced launch of a pricing change",
            "Priya",
            20,
            Some(10),
            "decided",
            None,
            launches.get(6).copied(),
            None,
        ),
        (
            "Pause display prospecting creatives",
            "Keep retargeting only",
            "CPL keeps rising on display",
            "Alex",
            3,
            Some(-5),
            "done",
            meeting("ad-review", 2),
            None,
            campaign(5),
        ),
        (
            "Route webinar MQLs to SDRs same day",
            "SLA 24h",
            "Hot leads go cold",
            "Dana (Sales)",
            8,
            Some(-2),
            "done",
            meeting("sales-sync", 5),
            None,
            None,
        ),
        (
            "Hire a contractor for paid social",
            "Two-month trial",
            "Creative fatigue goes unaddressed",
            "Alex",
            2,
            Some(14),
            "proposed",
            meeting("lead-gen", 1),
            None,
            campaign(2),
        ),
        (
            "Test a shorter demo form",
            "Drop company size field",
            "Conversion stays flat",
            "Sam",
            1,
            Some(7),
            "decided",
            meeting("lead-gen", 0),
            None,
            None,
        ),
    ];
    for (title, rec, risk, owner, made_ago, due, status, meeting_id, launch_id, campaign_id) in decisions {
        // Logged 20 minutes into the meeting it was taken in; otherwise mid-morning on a weekday.
        let held: Option<(String, String)> = match meeting_id {
            Some(id) => {
                Some(tx.query_row("SELECT day, start_time FROM meeting_instance WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?)
            }
            None => None,
        };
        let made =
            match held.and_then(|(d, t)| NaiveDateTime::parse_from_str(&format!("{d}T{t}"), "%Y-%m-%dT%H:%M").ok()) {
                Some(start) => start + Duration::minutes(20),
                None => {
                    let mut day = today - Duration::days(made_ago);
                    while day.weekday().num_days_from_monday() >= 5 {
                        day -= Duration::days(1);
                    }
                    day.and_hms_opt(10, 30, 0).unwrap_or(now)
                }
            };
        // Nothing is due before it was decided.
        let due = due.map(|d| fmt_day((today + Duration::days(d)).max(made.date() + Duration::days(1))));
        let closed = (status == "done").then(|| fmt_instant((made + Duration::days(1)).min(now)));
        tx.execute(
            "INSERT INTO decision(title, recommendation, risk, owner, due, status, made_at, meeting_id, launch_id, campaign_id, closed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![title, rec, risk, owner, due, status, fmt_instant(made), meeting_id, launch_id, campaign_id, closed],
        )?;
        report.decisions += 1;
    }
    Ok(())
}
