//! The decision log as text, CSV, JSON or Markdown, and the executive update that leads with it.

use chrono::{NaiveDate, NaiveDateTime};

use crate::brief::kpi_headline_markdown;
use crate::domain::money;
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

/// The executive update as Markdown or text (`--format json` prints `ExecReport::json`): the
/// decisions first, then the budget and launch risks, then the KPI headline for the period.
pub fn exec_report(r: &ExecReport, format: Format) -> String {
    let today = r.today;
    let currency = &r.brief.currency;
    let headline = kpi_headline_markdown(&r.brief);
    let markdown = format != Format::Text;
    let mut out = String::new();
    let when = |d: &Decision| match d.due {
        Some(x) if x < today => format!("by {x} (overdue {}d)", (today - x).num_days()),
        Some(x) if x == today => format!("by {x} (today)"),
        Some(x) => x.format("by %Y-%m-%d (%a)").to_string(),
        None => "no due date".into(),
    };
    let heading = |out: &mut String, title: &str| {
        if markdown {
            out.push_str(&format!("\n## {title}\n\n"));
        } else {
            out.push_str(&format!("\n{}\n\n", title.to_uppercase()));
        }
    };
    let text = |s: &str| if markdown { md(s) } else { safe(s).into_owned() };
    let period = r.brief.period_label();
    if markdown {
        out.push_str(&format!("# Marketing update, {}\n\n_{}_\n", today.format("%a %d %b %Y"), md(&period)));
    } else {
        out.push_str(&format!("Marketing update, {}\n{}\n", today.format("%a %d %b %Y"), safe(&period)));
    }
    // Decisions still to be taken lead; those taken but not yet carried out follow.
    for (title, list, empty) in [
        (
            "Decisions needed",
            &r.needed,
            format!("No decision is waiting to be taken in the next {EXEC_HORIZON_DAYS} days."),
        ),
        ("Decided, being carried out", &r.decided, "Nothing decided is due in that time.".to_string()),
    ] {
        heading(&mut out, title);
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
    heading(&mut out, "Decisions made");
    if r.made.is_empty() {
        out.push_str("None logged in the period.\n");
    }
    for d in &r.made {
        let on = if d.made_at.date() == today { "today".to_string() } else { d.made_at.format("%a %d %b").to_string() };
        out.push_str(&format!("- {} — owner {}, {on} ({})\n", text(&d.title), text(&d.owner), d.status));
    }
    let m = |c: i64| money::format_amount3(c, currency);
    heading(&mut out, "Budget risk");
    if r.budget_risk.is_empty() {
        out.push_str("No campaign is over its plan or heading there.\n");
    }
    for b in &r.budget_risk {
        let line = match b.forecast_cents {
            Some(f) => format!(
                "{} ({}) heading over plan: forecast {} against {} (over by {})",
                b.name,
                b.period,
                m(f),
                m(b.planned_cents),
                m(f - b.planned_cents)
            ),
            None => format!(
                "{} ({}) over plan by {}: {} spent of {}",
                b.name,
                b.period,
                m(b.over_cents),
                m(b.spent_cents),
                m(b.planned_cents)
            ),
        };
        out.push_str(&format!("- {}\n", text(&line)));
    }
    heading(&mut out, "Launch risk");
    if r.launch_risk.is_empty() {
        out.push_str("No Tier 1 launch is inside its lead time with items open.\n");
    }
    for l in &r.launch_risk {
        let days = (l.launch_date - today).num_days();
        let when = if days < 0 { format!("{} days past its date", -days) } else { format!("in {days} days") };
        let baseline = if l.open_baseline.is_empty() {
            String::new()
        } else {
            format!("; baseline open: {}", l.open_baseline.join(", "))
        };
        let line = format!(
            "{} ({}) {when}, {} wk lead time, {} items open{baseline}",
            l.name, l.tier, l.lead_weeks, l.open_items
        );
        out.push_str(&format!("- {}\n", text(&line)));
    }
    if !headline.trim().is_empty() {
        heading(&mut out, "KPI headline");
        out.push_str(headline.trim_end());
        out.push('\n');
    }
    out
}

/// `report exec --format F --period P` as text: `mktg report exec` prints it, the cockpit's
/// `:report exec --out FILE` writes it.
pub fn exec_text(
    store: &crate::store::Store,
    config: &crate::config::Config,
    now: chrono::NaiveDateTime,
    format: Format,
    period: &str,
) -> crate::io::error::Result<String> {
    use crate::io::error::Error;
    if !matches!(format, Format::Markdown | Format::Text | Format::Json) {
        return Err(Error::input("report exec prints markdown, text or json"));
    }
    let choice = crate::domain::period_choice::PeriodChoice::parse(period)
        .map_err(|e| Error::input(format!("--period: {e}")))?;
    let report = ExecReport::build_at(store, config, now, choice)?;
    match format {
        Format::Json => crate::output::json::<_, Error>(&report.json()),
        _ => Ok(exec_report(&report, format)),
    }
}
