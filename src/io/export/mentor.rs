//! `team load` and `mentor` as text. The numbers and the words of each question come from the
//! views (`views::team`); this only lays them out.

use crate::domain::mentor::autonomy::NotAutonomous;
use crate::domain::mentor::{Challenge, Counts};
use crate::domain::text::{fit, fit_right, width};
use crate::views::team::{AutonomyView, LoadView};

/// "67% (2 of 3 launches live since 2026-07-01 ran without Sam, with no gate override)".
pub fn autonomy_line(a: &AutonomyView) -> String {
    let x = &a.autonomy;
    match x.share {
        None => format!("no launch went live since {}: nothing to measure yet", x.from),
        Some(share) => format!(
            "{:.0}% ({} of {} launch{} live since {} ran without {}, with no gate override)",
            share * 100.0,
            x.autonomous,
            x.went_live,
            if x.went_live == 1 { "" } else { "es" },
            x.from,
            a.director
        ),
    }
}

fn reason(r: NotAutonomous, director: &str) -> String {
    match r {
        NotAutonomous::OwnedByDirector => format!("owned by {director}"),
        NotAutonomous::NoOwner => "no owner".into(),
        NotAutonomous::GateOverride => "went live on a gate override".into(),
    }
}

/// "4 decisions, 1 follow-up, 3 checklist items": what is open, kind by kind.
pub fn open_items(c: &Counts) -> String {
    let parts = [
        (c.decisions, "decision", "decisions"),
        (c.follow_ups, "follow-up", "follow-ups"),
        (c.checklist_items, "checklist item", "checklist items"),
        (c.launches, "launch", "launches"),
        (c.campaigns, "campaign", "campaigns"),
    ];
    parts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect::<Vec<_>>()
        .join(", ")
}

fn load_row(owner: &str, on_team: bool, c: &Counts, name_w: usize) -> String {
    let overdue = if c.overdue > 0 { format!(", {} overdue", c.overdue) } else { String::new() };
    let mut row = format!(
        "{} {} open{}  {}",
        fit(owner, name_w),
        fit_right(&c.total().to_string(), 3),
        fit(&overdue, 12),
        open_items(c)
    );
    if !on_team {
        row.push_str("  (not on the team)");
    }
    row.trim_end().to_string()
}

/// `team load` as text: each owner's open items, what nobody owns, the median, the autonomy.
pub fn load_text(v: &LoadView) -> String {
    let name_w = v.load.owners.iter().map(|o| width(&o.owner)).max().unwrap_or(6).clamp(6, 24);
    let mut out = String::from("Open items per owner\n\n");
    if v.load.owners.is_empty() && v.load.unowned.total() == 0 {
        out.push_str("Nothing open.\n");
    }
    for o in &v.load.owners {
        out.push_str(&load_row(&o.owner, o.on_team, &o.counts, name_w));
        out.push('\n');
    }
    if v.load.unowned.total() > 0 {
        out.push_str(&load_row("nobody", true, &v.load.unowned, name_w));
        out.push('\n');
    }
    if let Some(m) = v.team_median {
        out.push_str(&format!("\nTeam median: {m} open items\n"));
    }
    out.push_str(&format!("\nAutonomy: {}\n", autonomy_line(&v.autonomy)));
    for l in v.autonomy.autonomy.launches.iter().filter(|l| !l.reasons.is_empty()) {
        let why: Vec<String> = l.reasons.iter().map(|r| reason(*r, &v.autonomy.director)).collect();
        out.push_str(&format!("  {} (live {}): {}\n", l.name, l.went_live, why.join(", ")));
    }
    out
}

/// `mentor` as text: the questions grouped, each with its evidence and where to look.
pub fn mentor_text(list: &[Challenge]) -> String {
    if list.is_empty() {
        return "Nothing to challenge today: every open item has an owner, a date and a reason.\n".into();
    }
    let mut out = format!(
        "{} question{} a senior operator would ask today (questions, not changes)\n",
        list.len(),
        if list.len() == 1 { "" } else { "s" }
    );
    let mut last = None;
    for c in list {
        if last != Some(c.kind) {
            out.push_str(&format!("\n{}\n", c.question));
            last = Some(c.kind);
        }
        out.push_str(&format!("  {} ({})\n", c.evidence, c.link.label()));
    }
    out
}
