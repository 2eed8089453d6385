//! Post-mortems, follow-through, alerts and notes as text: what `postmortem list`,
//! `postmortem followthrough`, `alert list`, `alert check` and `note list` print.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::domain::text::fit;
use crate::store::notes::Note;
use crate::store::postmortems::{About, FollowUpRow};
use crate::views::learn::{CheckView, FollowThroughView, PostmortemView, RuleView};

/// "75% (3 of 4 done on time)", or "no follow-up settled yet".
pub fn follow_through_words(share: Option<f64>, done: usize, settled: usize) -> String {
    match share {
        Some(s) => format!("{:.0}% ({done} of {settled} done on time)", s * 100.0),
        None => "nothing settled yet".into(),
    }
}

/// "launch #3 SSO for SMB", "standalone".
pub fn about_words(about: About, name: Option<&str>) -> String {
    let name = name.map(|n| format!(" {n}")).unwrap_or_default();
    match about {
        About::Standalone => "standalone".into(),
        About::Launch(id) => format!("launch #{id}{name}"),
        About::Campaign(id) => format!("campaign #{id}{name}"),
        About::Experiment(id) => format!("experiment #{id}{name}"),
    }
}

/// One follow-up line: "#12 Fix UTM rules, owner Ana, due 2026-12-04 (done 2026-12-01)".
pub fn follow_up_line(f: &FollowUpRow, today: NaiveDate) -> String {
    let due = f.due.map(|d| format!(", due {d}")).unwrap_or_else(|| ", no due day".into());
    let state = match (f.done_on, f.is_overdue(today)) {
        (Some(d), _) => format!(" (done {d}{})", if f.due.is_some_and(|due| d > due) { ", late" } else { "" }),
        (None, true) => {
            let n = f.due.map(|d| (today - d).num_days()).unwrap_or(0);
            format!(" (OVERDUE {n} day{})", if n == 1 { "" } else { "s" })
        }
        (None, false) if f.status.is_open() => String::new(),
        (None, false) => format!(" ({})", f.status),
    };
    format!("#{} {}, owner {}{due}{state}", f.decision_id, f.text, f.owner)
}

pub fn postmortems(list: &[PostmortemView], today: NaiveDate) -> String {
    if list.is_empty() {
        return "No post-mortems yet: mktg postmortem add TITLE --worked T --didnt T --follow-up \"TEXT=OWNER@DUE\"\n"
            .into();
    }
    let mut s = String::new();
    for v in list {
        let p = &v.postmortem;
        let _ = writeln!(
            s,
            "#{} {} ({}, {})",
            p.id,
            p.title,
            about_words(p.about, p.about_name.as_deref()),
            p.at.format("%Y-%m-%d")
        );
        if !p.record.worked.is_empty() {
            let _ = writeln!(s, "  worked:  {}", p.record.worked);
        }
        if !p.record.didnt.is_empty() {
            let _ = writeln!(s, "  did not: {}", p.record.didnt);
        }
        if !p.record.outcome_metric.is_empty() {
            let r = &p.record;
            let _ = writeln!(s, "  outcome: {} {} vs goal {}", r.outcome_metric, r.outcome_actual, r.outcome_goal);
        }
        if !p.follow_ups.is_empty() {
            let share = v.follow_through.map(|x| format!("{:.0}%", x * 100.0)).unwrap_or_else(|| "-".into());
            let _ = writeln!(s, "  follow-ups (follow-through {share}):");
            for f in &p.follow_ups {
                let _ = writeln!(s, "    {}", follow_up_line(f, today));
            }
        }
        s.push('\n');
    }
    s
}

pub fn follow_through(v: &FollowThroughView, today: NaiveDate) -> String {
    let mut s = String::new();
    let over = v.period.as_deref().map(|p| format!(" of follow-ups due in {p}")).unwrap_or_default();
    let _ = writeln!(s, "Follow-through{over}: {}", follow_through_words(v.share, v.done_on_time, v.settled));
    let _ = writeln!(s, "{} still open and not yet due", v.pending);
    if v.undated > 0 {
        let _ = writeln!(s, "{} open follow-up(s) have no due day and are not scored", v.undated);
    }
    if !v.overdue.is_empty() {
        let _ = writeln!(s, "\nOverdue:");
        for f in &v.overdue {
            let _ = writeln!(s, "  {} [post-mortem #{} {}]", follow_up_line(f, today), f.postmortem_id, f.postmortem);
        }
    }
    s
}

fn plain(v: Option<f64>) -> String {
    match v {
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        Some(x) => format!("{x:.2}"),
        None => "-".into(),
    }
}

pub fn rules(list: &[RuleView]) -> String {
    if list.is_empty() {
        return "No alerts yet: mktg alert add KEY --metric M --when behind-pace\n".into();
    }
    let mut s = format!(
        "{}{}{}{}{}{}\n",
        fit("key", 18),
        fit("metric", 16),
        fit("when", 18),
        fit("owner", 15),
        fit("state", 11),
        "last fired"
    );
    for r in list {
        let metric = match &r.channel {
            Some(c) => format!("{} ({c})", r.metric),
            None => r.metric.clone(),
        };
        let fired = r.last_fired.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            s,
            "{}{}{}{}{}{fired}",
            fit(&r.key, 18),
            fit(&metric, 16),
            fit(&r.when, 18),
            fit(r.owner.as_deref().unwrap_or("-"), 15),
            fit(r.state, 11)
        );
    }
    s
}

/// One line per fired rule, for cron's mail: "sqls-behind: sqls behind-pace, 252 (target 480), owner Dana".
pub fn check(v: &CheckView) -> String {
    let mut s = String::new();
    for f in &v.fired {
        let channel = f.channel.as_deref().map(|c| format!(" in {c}")).unwrap_or_default();
        let line = if matches!(f.when.as_str(), "behind-pace" | "below-target") { "target" } else { "line" };
        let threshold = f.threshold.map(|t| format!(" ({line} {})", plain(Some(t)))).unwrap_or_default();
        let owner = f.owner.as_deref().map(|o| format!(", owner {o}")).unwrap_or_default();
        let _ = writeln!(s, "{}: {}{channel} {}, now {}{threshold}{owner}", f.key, f.metric, f.when, plain(f.value));
    }
    s
}

pub fn notes(list: &[Note]) -> String {
    if list.is_empty() {
        return "No notes: mktg note add DATE[..DATE] TEXT [--metric M] [--channel C]\n".into();
    }
    let mut s = String::new();
    for n in list {
        let a = &n.note;
        let days = if a.from == a.to { a.from.to_string() } else { format!("{}..{}", a.from, a.to) };
        let on = match (&a.metric, &a.channel) {
            (Some(m), Some(c)) => format!("{m}, {c}"),
            (Some(m), None) => m.clone(),
            (None, Some(c)) => format!("all metrics, {c}"),
            (None, None) => "all metrics".into(),
        };
        let _ = writeln!(s, "#{} {} {} [{on}]", n.id, fit(&days, 22), a.text);
    }
    s
}

/// "follow-up decision #41: Fix the form (owner Sam, due 2026-11-25)": a follow-up just logged,
/// as `postmortem add` and the Learn tab's form both confirm it.
pub fn follow_up_logged(id: i64, f: &crate::domain::postmortem::FollowUpSpec) -> String {
    format!("follow-up decision #{id}: {} (owner {}, due {})", f.text, f.owner, f.due)
}

/// "alert sqls-behind added: sqls behind-pace", as `alert add` and the Learn tab's form say it.
pub fn alert_added(rule: &crate::domain::alert::Rule) -> String {
    format!("alert {} added: {} {}", rule.key, rule.metric, rule.when.spec())
}
