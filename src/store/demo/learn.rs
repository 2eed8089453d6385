//! Demo data for the learning loop: two experiments (one with a clear verdict, one still short
//! of data), a post-mortem whose fourth follow-up is overdue, two alert rules never checked, and
//! the note that explains yesterday's paid-social CPL jump. Written through the store handles, so
//! the demo goes through the same checks as the commands.

use chrono::{Duration, NaiveDateTime};

use super::DemoReport;
use crate::domain::annotation::Annotation;
use crate::domain::experiment::parse_variants;
use crate::domain::model::DecisionStatus;
use crate::domain::postmortem::FollowUpSpec;
use crate::store::error::Result;
use crate::store::experiments::NewExperiment;
use crate::store::postmortems::{About, NewPostmortem, Record};
use crate::store::tx::Tx;

/// The demo's own inputs are constants: a refusal here is a bug in this file, said as one.
fn fixed<T, E: std::fmt::Display>(r: std::result::Result<T, E>) -> Result<T> {
    r.map_err(|e| crate::store::error::Error::system(format!("demo data: {e}")))
}

pub(super) fn demo_learn(tx: &Tx<'_>, now: NaiveDateTime, report: &mut DemoReport) -> Result<()> {
    // `demo --force` on a store that already holds experiments: keep them, add no second set.
    let held: i64 = tx.conn().query_row("SELECT count(*) FROM experiment", [], |r| r.get(0))?;
    if held > 0 {
        return Ok(());
    }
    let today = now.date();
    let days = |n: i64| today + Duration::days(n);
    let at = |n: i64, h: u32| days(n).and_hms_opt(h, 0, 0).unwrap_or(now);

    // Running 18 days of 21, counts written every day: a clear win both engines agree on.
    let form = NewExperiment {
        name: "Demo form: fewer fields".into(),
        metric: "demo requests".into(),
        hypothesis: "Dropping company size and phone lifts demo requests without hurting SQL rate".into(),
        owner: "Sam".into(),
        start: Some(days(-18)),
        end: Some(days(3)),
        variants: fixed(parse_variants(Some("control,short form"), Some("50,50")))?,
    };
    let form_id = tx.experiments().add(&form, at(-19, 10))?;
    // A week old with a tenth of the traffic: not enough conversions for a verdict.
    let subject = NewExperiment {
        name: "Webinar invite subject line".into(),
        metric: "registrations".into(),
        hypothesis: "A question in the subject line lifts registrations".into(),
        owner: "Priya".into(),
        start: Some(days(-7)),
        end: Some(days(14)),
        variants: fixed(parse_variants(Some("control,question"), None))?,
    };
    let subject_id = tx.experiments().add(&subject, at(-8, 10))?;
    // (experiment, variant, visitors and conversions per day, first day back)
    let plans: [(i64, &str, u64, f64, i64); 4] = [
        (form_id, "control", 1_330, 0.040, 18),
        (form_id, "short form", 1_335, 0.047, 18),
        (subject_id, "control", 270, 0.032, 7),
        (subject_id, "question", 268, 0.049, 7),
    ];
    for (id, variant, per_day, rate, back) in plans {
        let mut visitors = 0u64;
        for k in (1..=back).rev() {
            visitors += per_day + (k as u64 * 7) % 23;
            let conversions = (visitors as f64 * rate).round() as u64;
            tx.experiments().record(id, variant, visitors, conversions, days(-k), at(-k + 1, 7))?;
        }
    }

    // The Q3 webinar series, written up three weeks ago: three follow-ups done on time, the
    // fourth (the attribution review) four days overdue.
    let written = at(-25, 15);
    let follow =
        |text: &str, owner: &str, due: i64| FollowUpSpec { text: text.into(), owner: owner.into(), due: days(due) };
    let p = NewPostmortem {
        title: "Q3 webinar series".into(),
        about: About::Standalone,
        record: Record {
            worked: "Customer speakers drew twice the registrations of product talks".into(),
            didnt: "Promotion started a week late; no-show rate 58%".into(),
            outcome_metric: "pipeline from webinars".into(),
            outcome_actual: "$310k".into(),
            outcome_goal: "$400k".into(),
        },
        follow_ups: vec![
            follow("Promotion calendar starts 4 weeks out", "Priya", -18),
            follow("Reminder sequence at 24h and 1h", "Sam", -14),
            follow("SDRs call registrants who did not attend", "Dana (Sales)", -10),
            follow("Attribution review of webinar-sourced pipeline", "Alex", -4),
        ],
    };
    let added = tx.postmortems().add(&p, written)?;
    for (id, closed) in added.follow_ups.iter().take(3).zip([-19, -15, -10]) {
        tx.decisions().set_status(*id, DecisionStatus::Done, at(closed, 16))?;
    }
    report.decisions += added.follow_ups.len();

    let sqls = tx.alerts().check_rule("sqls-behind", "sqls", "behind-pace", None, Some("Dana (Sales)"))?;
    tx.alerts().add(&sqls, at(-12, 9))?;
    let cpl = tx.alerts().check_rule("cpl-ceiling", "cpl", "above=$60", None, Some("Alex"))?;
    tx.alerts().add(&cpl, at(-12, 9))?;

    let why = "Creative swap went live with broad targeting; agency reverting it";
    let note = fixed(Annotation::new(&days(-1).to_string(), why, Some("cpl"), Some("paid-social"), today))?;
    tx.notes().add(&note, at(0, 8))?;
    let outage = format!("{}..{}", days(-11), days(-10));
    let outage = fixed(Annotation::new(&outage, "Site outage: forms down for 30 hours", None, None, today))?;
    tx.notes().add(&outage, at(-9, 9))?;
    Ok(())
}
