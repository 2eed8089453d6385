//! `workflow list | show | backlog` as text and Markdown (JSON is the view itself).

use crate::domain::workflow::{Criterion, Question};
use crate::output::md;
use crate::views::workflows::{BacklogView, CoverageView, WorkflowDetail, WorkflowRow};

/// "owner Priya · meeting positioning-review · rank 1 · untriaged (why now? blank)".
pub fn facts_line(r: &WorkflowRow) -> String {
    let w = &r.summary;
    let mut parts = vec![match &w.owner {
        Some(o) => format!("owner {o}"),
        None => "no owner".to_string(),
    }];
    if let Some(m) = &w.meeting {
        parts.push(format!("meeting {m}"));
    }
    if !w.metrics.is_empty() {
        parts.push(format!("informs {}", w.metrics.join(", ")));
    }
    match (r.triaged, w.rank) {
        (true, Some(n)) => parts.push(format!("rank {n}")),
        (true, None) => parts.push("triaged, not ranked".into()),
        (false, _) => parts.push(format!("untriaged ({} blank)", blank_labels(r).join(", "))),
    }
    parts.join(" · ")
}

fn blank_labels(r: &WorkflowRow) -> Vec<&'static str> {
    r.summary.triage.blank().into_iter().map(Question::label).collect()
}

/// `workflow list` as text (Markdown with headings when `markdown`).
pub fn list(v: &CoverageView, markdown: bool) -> String {
    let n: usize = v.categories.iter().map(|c| c.workflows.len()).sum();
    let covered = v.categories.len() - v.empty;
    let mut out = if markdown {
        format!("# Workflows\n\n{n} workflows in {covered} of 9 categories; {} empty.\n", v.empty)
    } else {
        format!("Workflows: {n} in {covered} of 9 categories; {} empty\n", v.empty)
    };
    for c in &v.categories {
        if markdown {
            out.push_str(&format!("\n## {}\n\n", c.label));
        } else {
            out.push_str(&format!("\n{} ({})\n", c.label, c.category.slug()));
        }
        if c.workflows.is_empty() {
            out.push_str(if markdown { "_No workflow yet._\n" } else { "  (empty: no workflow covers it)\n" });
        }
        for r in &c.workflows {
            let flags = if r.flags.is_empty() { String::new() } else { format!(" · ! {}", r.flags.join("; ")) };
            if markdown {
                out.push_str(&format!("- **{}**: {}{}\n", md(&r.summary.name), md(&facts_line(r)), md(&flags)));
            } else {
                out.push_str(&format!("  {}: {}{flags}\n", r.summary.name, facts_line(r)));
            }
        }
    }
    out
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not recorded",
    }
}

/// `workflow show NAME`: its facts, the criteria, the five answers, the nine sections in order.
pub fn show(d: &WorkflowDetail, markdown: bool) -> String {
    let w = &d.row.summary;
    let esc = |s: &str| if markdown { md(s) } else { s.to_string() };
    let mut out = if markdown {
        format!("# {}\n\n{} · {}\n\n", esc(&w.name), w.category.label(), esc(&facts_line(&d.row)))
    } else {
        format!("{} · {}\n{}\n\n", w.name, w.category.label(), facts_line(&d.row))
    };
    let criteria: Vec<String> =
        Criterion::ALL.iter().map(|c| format!("{} {}", c.label(), yes_no(w.criteria.get(*c)))).collect();
    out.push_str(&format!("Criteria: {}\n", criteria.join(" · ")));
    for f in &d.row.flags {
        out.push_str(&format!("  ! {f}\n"));
    }
    out.push_str(if markdown { "\n## Backlog questions\n\n" } else { "\nBacklog questions\n" });
    for q in Question::ALL {
        let a = w.triage.answer(q).trim();
        let a = if a.is_empty() { "(blank)".to_string() } else { esc(a) };
        out.push_str(&if markdown { format!("- {}: {a}\n", q.label()) } else { format!("  {} {a}\n", q.label()) });
    }
    for s in &d.sections {
        let body = s.text.trim();
        if markdown {
            out.push_str(&format!(
                "\n## {}\n\n{}\n",
                s.heading,
                if body.is_empty() { "_Not written yet._".into() } else { esc(body) }
            ));
        } else {
            out.push_str(&format!("\n{}\n", s.heading));
            if body.is_empty() {
                out.push_str("  (not written yet)\n");
            }
            for line in body.lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    out
}

/// `workflow backlog`: ranked by the strategy owner, triaged but unranked, untriaged.
pub fn backlog(b: &BacklogView, markdown: bool) -> String {
    let mut out = String::from(if markdown {
        "# Workflow backlog\n"
    } else {
        "Workflow backlog (the strategy owner ranks; the tool does not score)\n"
    });
    let parts: [(&str, &Vec<WorkflowRow>, &str); 3] = [
        ("Ranked", &b.ranked, "nothing ranked yet: mktg workflow rank NAME N"),
        ("Triaged, not ranked", &b.unranked, "none"),
        ("Untriaged (answer the five questions first)", &b.untriaged, "none"),
    ];
    for (title, rows, none) in parts {
        out.push_str(&if markdown { format!("\n## {title}\n\n") } else { format!("\n{title}\n") });
        if rows.is_empty() {
            out.push_str(&if markdown { format!("_{none}_\n") } else { format!("  {none}\n") });
        }
        for r in rows {
            let w = &r.summary;
            let lead = match w.rank.filter(|_| r.triaged) {
                Some(n) => format!("{n}. "),
                None => String::new(),
            };
            let tail = if r.triaged {
                format!("who: {} · impact: {}", w.triage.who.trim(), w.triage.impact.trim())
            } else {
                format!("blank: {}", blank_labels(r).join(", "))
            };
            if markdown {
                out.push_str(&format!("- {lead}**{}** ({}): {}\n", md(&w.name), w.category.label(), md(&tail)));
            } else {
                out.push_str(&format!("  {lead}{} ({}): {tail}\n", w.name, w.category.slug()));
            }
        }
    }
    out
}
