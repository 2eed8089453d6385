//! The decision log as text, CSV, JSON or Markdown, and the executive update that leads with it.

use chrono::{NaiveDate, NaiveDateTime};

use crate::brief::kpi_headline_markdown;
use crate::domain::text::{fit, safe};
use crate::io::error::{Error, Result};
use crate::output::{Format, csv, json, md};
use crate::store::Store;
use crate::store::decisions::Decision;
use crate::views::decisions::{DecisionQuery, list};
use crate::views::exec::{EXEC_HORIZON_DAYS, ExecReport};

/// The decisions as `format` (Markdown when `None`).
pub fn export(store: &Store, format: Option<Format>, now: NaiveDateTime) -> Result<String> {
    let format = format.unwrap_or(Format::Markdown);
    if format == Format::Ics {
        return Err(Error::input("decisions export as markdown, csv, json or text (ics is for the cadence)"));
    }
    render(&list(store, &DecisionQuery::default(), now.date())?, format, now.date())
}

fn due(d: &Decision) -> String {
    d.due.map(|x| x.to_string()).unwrap_or_default()
}

fn meeting(d: &Decision) -> String {
    match (&d.meeting, d.meeting_day) {
        (Some(m), Some(day)) => format!("{m} ({day})"),
        (Some(m), None) => m.clone(),
        _ => String::new(),
    }
}

/// What a decision concerns, in words: "launch Partner Portal", "campaign A -> B".
pub fn links(d: &Decision) -> String {
    let mut parts = Vec::new();
    if let Some(l) = &d.launch {
        parts.push(format!("launch {l}"));
    }
    match (&d.campaign, &d.campaign2) {
        (Some(a), Some(b)) => parts.push(format!("campaign {a} -> {b}")),
        (Some(a), None) => parts.push(format!("campaign {a}")),
        _ => {}
    }
    if let Some(n) = d.superseded_by {
        parts.push(format!("superseded by #{n}"));
    }
    if let Some(n) = d.supersedes {
        parts.push(format!("supersedes #{n}"));
    }
    parts.join("; ")
}

/// `decisions` (already filtered) as `format`.
pub fn render(decisions: &[Decision], format: Format, today: NaiveDate) -> Result<String> {
    match format {
        Format::Json => json(&decisions),
        Format::Csv => {
            let header = [
                "id",
                "title",
                "owner",
                "due",
                "status",
                "overdue",
                "recommendation",
                "risk",
                "made_at",
                "meeting",
                "links",
            ];
            let rows: Vec<Vec<String>> = decisions
                .iter()
                .map(|d| {
                    vec![
                        d.id.to_string(),
                        d.title.clone(),
                        d.owner.clone(),
                        due(d),
                        d.status.to_string(),
                        d.is_overdue(today).to_string(),
                        d.recommendation.clone(),
                        d.risk.clone(),
                        d.made_at.format("%Y-%m-%dT%H:%M").to_string(),
                        meeting(d),
                        links(d),
                    ]
                })
                .collect();
            csv(&header, &rows)
        }
        Format::Markdown => {
            let mut out = String::from("# Decision log\n\n");
            if decisions.is_empty() {
                out.push_str("No decisions.\n");
                return Ok(out);
            }
            out.push_str("| # | Decision | Owner | Due | Status | Recommendation | Risk if nothing | Meeting |\n");
            out.push_str("|---|---|---|---|---|---|---|---|\n");
            for d in decisions {
                let status = if d.is_overdue(today) { format!("{} (overdue)", d.status) } else { d.status.to_string() };
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                    d.id,
                    md(&d.title),
                    md(&d.owner),
                    due(d),
                    status,
                    md(&d.recommendation),
                    md(&d.risk),
                    md(&meeting(d))
                ));
            }
            Ok(out)
        }
        Format::Text | Format::Ics => {
            let mut out = String::new();
            for d in decisions {
                let flag = if d.is_overdue(today) { "!" } else { " " };
                out.push_str(&format!(
                    "{flag}#{:<4} {} {:<10} {:<10} {} {}\n",
                    d.id,
                    fit(&safe(&d.owner), 14),
                    due(d),
                    d.status.as_str(),
                    safe(&d.title),
                    if d.meeting.is_some() { format!("[{}]", safe(&meeting(d))) } else { String::new() }
                ));
            }
            if decisions.is_empty() {
                out.push_str("no decisions\n");
            }
            Ok(out)
        }
    }
}

/// The executive update as Markdown or text (`--format json` prints `ExecReport::json`).
pub fn exec_report(r: &ExecReport, format: Format) -> String {
    let today = r.today;
    let (proposed, decided): (Vec<&Decision>, Vec<&Decision>) = (r.needed.iter().collect(), r.decided.iter().collect());
    let headline = kpi_headline_markdown(&r.brief);
    let markdown = format != Format::Text;
    let mut out = String::new();
    let when = |d: &Decision| match d.due {
        Some(x) if x < today => format!("by {x} (overdue {}d)", (today - x).num_days()),
        Some(x) if x == today => format!("by {x} (today)"),
        Some(x) => x.format("by %Y-%m-%d (%a)").to_string(),
        None => "no due date".into(),
    };
    if markdown {
        out.push_str(&format!("# Marketing update, {}\n", today.format("%a %d %b %Y")));
    } else {
        out.push_str(&format!("Marketing update, {}\n", today.format("%a %d %b %Y")));
    }
    // Decisions still to be taken lead; those taken but not yet carried out follow.
    for (title, list, empty) in [
        (
            "Decisions needed",
            &proposed,
            format!("No decision is waiting to be taken in the next {EXEC_HORIZON_DAYS} days."),
        ),
        ("Decided, being carried out", &decided, "Nothing decided is due in that time.".to_string()),
    ] {
        if markdown {
            out.push_str(&format!("\n## {title}\n\n"));
        } else {
            out.push_str(&format!("\n{}\n\n", title.to_uppercase()));
        }
        if list.is_empty() {
            out.push_str(&format!("{empty}\n"));
        }
        for (i, d) in list.iter().enumerate() {
            let dash = |s: &str| if s.trim().is_empty() { "-".to_string() } else { s.trim().to_string() };
            if markdown {
                out.push_str(&format!("{}. **{}** — owner {}, {}\n", i + 1, md(&d.title), md(&d.owner), when(d)));
                out.push_str(&format!("   - Recommendation: {}\n", md(&dash(&d.recommendation))));
                out.push_str(&format!("   - Risk if nothing is done: {}\n", md(&dash(&d.risk))));
            } else {
                out.push_str(&format!("{}. {} — owner {}, {}\n", i + 1, safe(&d.title), safe(&d.owner), when(d)));
                out.push_str(&format!("   Recommendation: {}\n", safe(&dash(&d.recommendation))));
                out.push_str(&format!("   Risk if nothing is done: {}\n", safe(&dash(&d.risk))));
            }
        }
    }
    if !headline.trim().is_empty() {
        out.push_str(if format == Format::Markdown { "\n## KPI headline\n\n" } else { "\nKPI HEADLINE\n\n" });
        out.push_str(headline.trim_end());
        out.push('\n');
    }
    out
}
