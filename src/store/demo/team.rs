//! The team behind the demo's owners, so every view of #19 is alive on first run: five people
//! with ratings (Priya's promotion case, Marcus's coaching focus), four weeks of time (Alex
//! drifting into exploration, Lee with none logged), three workflows (one untriaged, one flagged),
//! campaign owners (one campaign left without), launch success metrics (two missing), a launch
//! that went live on a gate override, and Sam named as the director. The decision log is left as
//! the other demo data wrote it: every demo decision has its due day and its risk.

use chrono::{Duration, NaiveDateTime};
use rusqlite::{Connection, params};

use crate::domain::period::{Grain, Period};
use crate::domain::team::person_key;
use crate::domain::text::name_key;
use crate::store::error::Result;
use crate::store::{fmt_day, fmt_instant};

/// key, name, level, manager.
const PEOPLE: [(&str, &str, &str, Option<&str>); 5] = [
    ("Priya", "Priya Shah", "senior", None),
    ("Marcus", "Marcus Bell", "senior", None),
    ("Jordan", "Jordan Reyes", "pmm", Some("Marcus")),
    ("Alex", "Alex Kim", "pmm", Some("Marcus")),
    ("Lee", "Lee Park", "junior", Some("Priya")),
];

/// person, competency, level, days ago, evidence.
const RATINGS: [(&str, &str, &str, i64, &str); 14] = [
    ("Priya", "positioning", "staff", 40, "Rebuilt the platform positioning the CEO now uses in board decks."),
    (
        "Priya",
        "cross-functional-influence",
        "staff",
        35,
        "Got Product to re-sequence Q1 around the usage-based pricing launch.",
    ),
    ("Priya", "coaching", "staff", 20, "Coached Lee through his first Tier 2 launch end to end."),
    ("Priya", "launch-execution", "senior", 60, "Ran Analytics Suite 3 on the tiering framework without escalation."),
    ("Marcus", "launch-execution", "senior", 50, "SSO for SMB went live on its date with every baseline item done."),
    ("Marcus", "analytics", "senior", 45, "Built the launch scorecard the team reviews every Monday."),
    ("Marcus", "coaching", "pmm", 30, "Reviews Jordan's work but has not set him development goals yet."),
    ("Jordan", "sales-enablement", "pmm", 25, "Partner Portal enablement kit used by 80% of the channel team."),
    (
        "Jordan",
        "competitive-intelligence",
        "senior",
        15,
        "Ran the win/loss interviews and turned them into three battlecards.",
    ),
    ("Alex", "analytics", "pmm", 28, "Owns the paid media dashboard and its weekly readout."),
    ("Alex", "positioning", "junior", 28, "Campaign messaging still needs a rewrite pass before launch."),
    ("Lee", "launch-execution", "pmm", 12, "Ran Dark mode's readiness checklist on his own."),
    ("Lee", "analytics", "junior", 12, "Reads the dashboard; not yet building his own analyses."),
    ("Marcus", "positioning", "senior", 70, "Wrote the identity messaging framework sales still uses."),
];

/// Hours (core, systems, exploration) for the current ISO week and the three before, oldest first.
const TIME: [(&str, [[f64; 3]; 4]); 4] = [
    ("Priya", [[26.0, 10.0, 4.0], [26.0, 10.0, 4.0], [27.0, 9.0, 4.0], [26.0, 10.0, 4.0]]),
    ("Marcus", [[30.0, 7.0, 3.0], [30.0, 7.0, 3.0], [29.0, 8.0, 3.0], [30.0, 7.0, 3.0]]),
    ("Jordan", [[29.0, 8.0, 3.0], [28.0, 8.0, 4.0], [29.0, 8.0, 3.0], [29.0, 8.0, 3.0]]),
    ("Alex", [[28.0, 8.0, 4.0], [24.0, 6.0, 10.0], [22.0, 4.0, 14.0], [20.0, 4.0, 16.0]]),
];

/// Campaign owners by name; the one missing ("Review sites pilot") is mentor mode's question.
const CAMPAIGN_OWNERS: [(&str, &str); 9] = [
    ("Search – Core terms", "Alex"),
    ("LinkedIn ABM", "Jordan"),
    ("Paid social prospecting", "Alex"),
    ("Nurture email", "Lee"),
    ("Search – Competitor terms", "Alex"),
    ("Display retargeting", "Alex"),
    ("Webinar series", "Jordan"),
    ("ROI calculator test", "Priya"),
    ("Podcast sponsorship", "Marcus"),
];

/// How each launch will be judged; Dark mode and AI Assistant (beta) have none yet.
const SUCCESS_METRICS: [(&str, &str); 7] = [
    ("Reporting API", "API calls by month 3"),
    ("SSO for SMB", "SMB win rate"),
    ("Analytics Suite 3", "pipeline from upgrades"),
    ("Partner Portal", "partner-sourced pipeline"),
    ("Salesforce connector v3", "connector installs"),
    ("Usage-based pricing", "expansion revenue"),
    ("EU data residency", "EU pipeline"),
];

struct Workflow {
    name: &'static str,
    category: &'static str,
    owner: &'static str,
    meeting: &'static str,
    metrics: &'static [&'static str],
    /// end-to-end, cross-functional, repeatable, AI-relevant.
    criteria: [i64; 4],
    sections: [&'static str; 9],
    /// who, unblocks, breaks, why now, impact.
    triage: [&'static str; 5],
    rank: Option<i64>,
}

const WORKFLOWS: [Workflow; 3] = [
    Workflow {
        name: "Win/loss review",
        category: "market-segment-intelligence",
        owner: "Priya",
        meeting: "positioning-review",
        metrics: &["win_rate", "pipeline"],
        criteria: [1, 1, 1, 1],
        sections: [
            "Know why we win and lose each quarter, by segment and competitor.",
            "The quarterly positioning review, and any segment whose win rate drops 5 points.",
            "Closed deals from HubSpot with their loss reasons; ten buyer interviews.",
            "Tag reasons, group by segment and competitor, compare with last quarter.",
            "A one-page readout and the positioning changes it proposes.",
            "Product marketing, sales leadership, product.",
            "Positioning by segment; which battlecards to refresh first.",
            "Every reason traced to a deal; interviews cover wins and losses alike.",
            "A quarter without interviews is named in the readout; the guide is revised each time.",
        ],
        triage: [
            "Sales leadership and product",
            "which segment's positioning to change next quarter",
            "positioning drifts on anecdotes from the loudest deal",
            "enterprise win rate fell 6 points this quarter",
            "a positioning change we can defend with data",
        ],
        rank: Some(1),
    },
    Workflow {
        name: "Battlecard refresh",
        category: "sales-enablement-field-activation",
        owner: "Jordan",
        meeting: "sales-sync",
        metrics: &["win_rate"],
        criteria: [1, 1, 1, 1],
        sections: [
            "Reps carry a current card for every competitor they meet.",
            "A competitor launch, or a card older than 90 days.",
            "Win/loss readouts, competitor release notes, objections heard in the sales sync.",
            "Update why we win, why we lose, objections and landmines; sales reviews.",
            "Refreshed battlecards in the sales wiki.",
            "Account executives and SDRs.",
            "Which objections sales enablement trains on this month.",
            "A rep from the segment reads it before it is published.",
            "Cards not opened in a month are asked about in the sales sync.",
        ],
        triage: [
            "Account executives",
            "which competitor to train against first",
            "reps improvise answers to the same objection",
            "two competitors shipped AI features this month",
            "win rate against them back to last quarter's",
        ],
        rank: Some(2),
    },
    Workflow {
        name: "Ad spend reallocation",
        category: "campaign-distribution",
        owner: "Alex",
        meeting: "ad-review",
        metrics: &["spend", "cpl"],
        criteria: [1, 0, 1, 1],
        sections: [
            "Move budget each week from the worst CPL to the best, within the quarter's plan.",
            "The daily ad performance review, on Mondays.",
            "Spend and leads by campaign and channel; the quarter's plan.",
            "",
            "Budget moves, each logged as a decision.",
            "",
            "Where next week's paid budget goes.",
            "",
            "",
        ],
        triage: [
            "The director",
            "where the next $10k of paid media goes",
            "budget stays where it was planned, not where it works",
            "",
            "CPL down 10% at the same spend",
        ],
        rank: None,
    },
];

/// Fill in the team and the owner fields mentor mode reads, inside the demo's transaction.
pub(super) fn demo_team(tx: &Connection, now: NaiveDateTime) -> Result<()> {
    let at = fmt_instant(now - Duration::days(90));
    let today = now.date();
    for (key, name, level, manager) in PEOPLE {
        tx.execute(
            "INSERT OR IGNORE INTO person(key, key_norm, name, level, manager_id, created_at)
             VALUES (?1, ?2, ?3, ?4, (SELECT id FROM person WHERE key_norm = ?5), ?6)",
            params![key, person_key(key), name, level, manager.map(person_key), at],
        )?;
    }
    let person = "(SELECT id FROM person WHERE key_norm = ?1)";
    for (who, competency, level, ago, evidence) in RATINGS {
        let day = today - Duration::days(ago);
        tx.execute(
            &format!(
                "INSERT INTO rating(person_id, competency_id, level, evidence, day, created_at)
                 VALUES ({person}, (SELECT id FROM competency WHERE slug = ?2), ?3, ?4, ?5, ?6)"
            ),
            params![person_key(who), competency, level, evidence, fmt_day(day), fmt_instant(now)],
        )?;
    }
    let this_week = Period::containing(Grain::Week, today);
    for (who, weeks) in TIME {
        for (i, [core, systems, exploration]) in weeks.into_iter().enumerate() {
            let week = Period::containing(Grain::Week, this_week.start - Duration::weeks(3 - i as i64));
            tx.execute(
                &format!(
                    "INSERT INTO time_entry(person_id, week, core_h, systems_h, exploration_h, updated_at)
                     VALUES ({person}, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(person_id, week) DO UPDATE SET core_h = excluded.core_h,
                         systems_h = excluded.systems_h, exploration_h = excluded.exploration_h"
                ),
                params![person_key(who), week.to_string(), core, systems, exploration, fmt_instant(now)],
            )?;
        }
    }
    for w in &WORKFLOWS {
        let [e2e, xfn, rep, ai] = w.criteria;
        let [who, unblocks, breaks, why_now, impact] = w.triage;
        let s = &w.sections;
        let added = tx.execute(
            "INSERT OR IGNORE INTO workflow(name, name_norm, category, owner, meeting_key,
                 objective, trigger_text, inputs, processing, outputs, consumers, decisions_informed, quality_checks,
                 failure_loop, end_to_end, cross_functional, repeatable, ai_relevant,
                 who, unblocks, breaks, why_now, impact, rank, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, (SELECT key FROM meeting_template WHERE key = ?5 AND valid_to IS NULL),
                 ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,
                 (SELECT ?24 WHERE NOT EXISTS (SELECT 1 FROM workflow WHERE rank = ?24)), ?25, ?25)",
            params![
                w.name,
                name_key(w.name),
                w.category,
                w.owner,
                w.meeting,
                s[0],
                s[1],
                s[2],
                s[3],
                s[4],
                s[5],
                s[6],
                s[7],
                s[8],
                e2e,
                xfn,
                rep,
                ai,
                who,
                unblocks,
                breaks,
                why_now,
                impact,
                w.rank,
                at
            ],
        )?;
        if added == 0 {
            continue;
        }
        let id = tx.last_insert_rowid();
        for m in w.metrics {
            tx.execute(
                "INSERT OR IGNORE INTO workflow_metric(workflow_id, metric_key)
                 SELECT ?1, key FROM metric WHERE key = ?2",
                params![id, m],
            )?;
        }
    }
    for (campaign, owner) in CAMPAIGN_OWNERS {
        tx.execute("UPDATE campaign SET owner = ?2 WHERE name = ?1 AND owner IS NULL", params![campaign, owner])?;
    }
    for (launch, metric) in SUCCESS_METRICS {
        tx.execute("UPDATE launch SET success_metric = ?2 WHERE name = ?1", params![launch, metric])?;
    }
    // Analytics Suite 3 went live before legal signed off: the go-live gate was overridden.
    tx.execute(
        "UPDATE launch_stage_history SET override_reason = 'Legal sign-off arrived the morning after go-live'
         WHERE to_stage = 'launch' AND launch_id IN (SELECT id FROM launch WHERE name = 'Analytics Suite 3')",
        [],
    )?;
    tx.execute("INSERT INTO meta(key, value) VALUES ('director', 'Sam') ON CONFLICT(key) DO NOTHING", [])?;
    Ok(())
}
