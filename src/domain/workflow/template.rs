//! The workflow file a user edits in `$EDITOR`: the four criteria as `name: yes|no` lines above the
//! first heading, then exactly the nine `## ` headings in the locked order, each with its text.
//!
//! Parsing refuses a heading that is missing, renamed, repeated or out of order, naming it (and the
//! heading it should be, or the one it came before), so a saved file is never half-understood.
//! `<!-- -->` comments (the template's hints) are ignored; fenced code blocks are kept as written.

use serde::Serialize;

use crate::domain::text::{name_key, safe_keeping_breaks};
use crate::domain::workflow::{Criteria, Criterion, Section};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("line {line}: '## {heading}' is not one of the nine headings{}", expected_there(.expected))]
    Unknown { line: usize, heading: String, expected: Option<&'static str> },
    #[error("'## {heading}' appears twice (lines {first} and {second})")]
    Twice { heading: &'static str, first: usize, second: usize },
    #[error("'## {heading}' is missing ({})", match .after { Some(a) => format!("it goes after '## {a}'"), None => "it goes first".to_string() })]
    Missing { heading: &'static str, after: Option<&'static str> },
    #[error(
        "'## {first}' (line {first_line}) comes before '## {second}' (line {second_line}): the order is locked, {second} first"
    )]
    Order { first: &'static str, first_line: usize, second: &'static str, second_line: usize },
    #[error("line {line}: '{text}' is above the first heading: put it under one of the nine")]
    Preamble { line: usize, text: String },
    #[error("line {line}: {criterion}: '{value}' is not yes or no")]
    YesNo { line: usize, criterion: &'static str, value: String },
    #[error("line {line}: {criterion} is given twice")]
    CriterionTwice { line: usize, criterion: &'static str },
    #[error("line {0}: a comment '<!--' is never closed with '-->'")]
    OpenComment(usize),
}

fn expected_there(expected: &Option<&'static str>) -> String {
    match expected {
        Some(e) => format!("; '## {e}' belongs there (the nine are locked: name it back)"),
        None => " (the nine are locked)".to_string(),
    }
}

/// The text under each of the nine headings, in the locked order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sections(pub [String; 9]);

impl Sections {
    pub fn get(&self, s: Section) -> &str {
        &self.0[s as usize]
    }

    pub fn set(&mut self, s: Section, text: impl Into<String>) {
        self.0[s as usize] = text.into();
    }

    /// The headings with nothing under them yet: shown, not refused (a workflow is drafted over time).
    pub fn empty(&self) -> Vec<Section> {
        Section::ALL.into_iter().filter(|s| self.get(*s).trim().is_empty()).collect()
    }
}

/// What `workflow edit` reads back: the criteria and the nine sections.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WorkflowDoc {
    pub criteria: Criteria,
    pub sections: Sections,
}

/// The file for `$EDITOR`: the current criteria and sections, each heading with its hint.
pub fn render(name: &str, doc: &WorkflowDoc) -> String {
    let mut out = format!(
        "# Workflow: {}\n<!-- Write under each heading. The nine headings and their order are locked: do not rename,\n     remove or reorder them. Text between these comment marks is ignored. -->\n\n\
         <!-- The four criteria: yes or no (blank while you do not know). -->\n",
        safe_keeping_breaks(name).replace('\n', " ")
    );
    for c in Criterion::ALL {
        let v = match doc.criteria.get(c) {
            Some(true) => " yes",
            Some(false) => " no",
            None => "",
        };
        out.push_str(&format!("{}:{v}\n", c.slug()));
    }
    for s in Section::ALL {
        out.push_str(&format!("\n## {}\n<!-- {} -->\n", s.label(), s.hint()));
        let text = doc.sections.get(s).trim();
        if !text.is_empty() {
            for line in safe_keeping_breaks(text).lines() {
                // Stored text never becomes a heading of the file it is written into.
                if heading_text(line).is_some() {
                    out.push('\\');
                }
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// `## Title` (up to three spaces before, closing `#`s dropped) → `Title`; `###` is content.
fn heading_text(line: &str) -> Option<&str> {
    let t =
        line.strip_prefix("   ").or_else(|| line.strip_prefix("  ")).or_else(|| line.strip_prefix(' ')).unwrap_or(line);
    let rest = t.strip_prefix("##")?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some(rest.trim().trim_end_matches('#').trim_end())
}

/// One line with its comments removed; `in_comment` carries an open `<!--` to the next line.
fn strip_comments(line: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(i) => {
                    rest = &rest[i + 3..];
                    *in_comment = false;
                }
                None => return out,
            }
        } else {
            match rest.find("<!--") {
                Some(i) => {
                    out.push_str(&rest[..i]);
                    rest = &rest[i + 4..];
                    *in_comment = true;
                }
                None => {
                    out.push_str(rest);
                    return out;
                }
            }
        }
    }
}

struct Found {
    section: Option<Section>,
    heading: String,
    line: usize,
    body: Vec<String>,
}

/// Reads an edited file back, or refuses it with one line naming the heading (or line) at fault.
pub fn parse(text: &str) -> Result<WorkflowDoc, TemplateError> {
    let mut criteria = Criteria::default();
    let mut criteria_seen = [false; 4];
    let mut found: Vec<Found> = Vec::new();
    // Held until the headings are checked: text above the first heading is most often the body
    // of a deleted '## Objective', and that is the error worth naming.
    let mut preamble_error = None;
    let (mut in_comment, mut in_fence, mut comment_from) = (false, false, 0);
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let fence = raw.trim_start().starts_with("```") || raw.trim_start().starts_with("~~~");
        let line = if in_fence {
            raw.to_string()
        } else {
            let was = in_comment;
            let l = strip_comments(raw, &mut in_comment);
            if in_comment && !was {
                comment_from = line_no;
            }
            // A line that was only a comment leaves no blank line behind.
            if l.trim().is_empty() && raw.contains("<!--") || was && l.trim().is_empty() {
                continue;
            }
            l
        };
        if fence && !in_comment {
            in_fence = !in_fence;
        }
        if !in_fence
            && !fence
            && let Some(h) = heading_text(&line)
        {
            let section = Section::ALL.into_iter().find(|s| name_key(s.label()) == name_key(h));
            found.push(Found { section, heading: h.to_string(), line: line_no, body: Vec::new() });
            continue;
        }
        match found.last_mut() {
            Some(f) => f.body.push(line),
            None => {
                if let Err(e) = preamble_line(&line, line_no, &mut criteria, &mut criteria_seen) {
                    preamble_error.get_or_insert(e);
                }
            }
        }
    }
    if in_comment {
        return Err(TemplateError::OpenComment(comment_from));
    }
    check_headings(&found)?;
    if let Some(e) = preamble_error {
        return Err(e);
    }
    let mut sections = Sections::default();
    for f in found {
        if let Some(s) = f.section {
            let body = f.body.join("\n");
            let body = body.trim_matches('\n').trim_end();
            sections.set(s, unescape(body));
        }
    }
    Ok(WorkflowDoc { criteria, sections })
}

/// Undoes [`render`]'s `\## ` guard on content lines.
fn unescape(body: &str) -> String {
    body.lines()
        .map(|l| match l.strip_prefix('\\') {
            Some(rest) if heading_text(rest).is_some() => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn preamble_line(line: &str, no: usize, criteria: &mut Criteria, seen: &mut [bool; 4]) -> Result<(), TemplateError> {
    let t = line.trim();
    if t.is_empty() || (t.starts_with("# ") || t == "#") {
        return Ok(());
    }
    let criterion = t.split_once(':').and_then(|(k, v)| Some((Criterion::parse(k)?, v.trim())));
    let Some((c, value)) = criterion else {
        return Err(TemplateError::Preamble { line: no, text: t.to_string() });
    };
    if std::mem::replace(&mut seen[c as usize], true) {
        return Err(TemplateError::CriterionTwice { line: no, criterion: c.slug() });
    }
    let v = match value.to_ascii_lowercase().as_str() {
        "" => None,
        "yes" | "y" | "true" => Some(true),
        "no" | "n" | "false" => Some(false),
        _ => return Err(TemplateError::YesNo { line: no, criterion: c.slug(), value: value.to_string() }),
    };
    criteria.set(c, v);
    Ok(())
}

/// Renamed first (it explains the missing one), then repeated, missing, out of order.
fn check_headings(found: &[Found]) -> Result<(), TemplateError> {
    let mut first_line: [Option<usize>; 9] = [None; 9];
    let mut twice = None;
    for f in found {
        if let Some(s) = f.section {
            match first_line[s as usize] {
                Some(first) => {
                    twice.get_or_insert(TemplateError::Twice { heading: s.label(), first, second: f.line });
                }
                None => first_line[s as usize] = Some(f.line),
            }
        }
    }
    if let Some((pos, f)) = found.iter().enumerate().find(|(_, f)| f.section.is_none()) {
        let absent = |s: &Section| first_line[*s as usize].is_none();
        let expected = Section::ALL.get(pos).filter(|s| absent(s)).or_else(|| Section::ALL.iter().find(|s| absent(s)));
        return Err(TemplateError::Unknown {
            line: f.line,
            heading: f.heading.clone(),
            expected: expected.map(|s| s.label()),
        });
    }
    if let Some(e) = twice {
        return Err(e);
    }
    if let Some(missing) = Section::ALL.into_iter().find(|s| first_line[*s as usize].is_none()) {
        let after = (missing as usize).checked_sub(1).map(|i| Section::ALL[i].label());
        return Err(TemplateError::Missing { heading: missing.label(), after });
    }
    for pair in found.windows(2) {
        if let (Some(a), Some(b)) = (pair[0].section, pair[1].section)
            && (b as usize) < (a as usize)
        {
            return Err(TemplateError::Order {
                first: a.label(),
                first_line: pair[0].line,
                second: b.label(),
                second_line: pair[1].line,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> WorkflowDoc {
        let mut doc = WorkflowDoc::default();
        for s in Section::ALL {
            doc.sections.set(s, format!("About {}.\n\n- one\n- two", s.label()));
        }
        doc.criteria.set(Criterion::EndToEnd, Some(true));
        doc.criteria.set(Criterion::AiRelevant, Some(false));
        doc
    }

    #[test]
    fn the_template_has_exactly_the_nine_headings_in_the_locked_order() {
        let t = render("Weekly pipeline review", &WorkflowDoc::default());
        let headings: Vec<&str> = t.lines().filter_map(heading_text).collect();
        assert_eq!(
            headings,
            [
                "Objective",
                "Trigger",
                "Inputs",
                "Processing",
                "Outputs",
                "Consumers",
                "Decisions Informed",
                "Quality Checks",
                "Failure & Feedback Loop"
            ]
        );
        let back = parse(&t).unwrap();
        assert_eq!(back, WorkflowDoc::default());
        assert_eq!(back.sections.empty().len(), 9);
    }

    #[test]
    fn an_edited_file_round_trips() {
        let doc = filled();
        let back = parse(&render("Win/loss review", &doc)).unwrap();
        assert_eq!(back, doc);
        assert_eq!(back.sections.get(Section::Trigger), "About Trigger.\n\n- one\n- two");
    }

    #[test]
    fn quality_checks_before_decisions_informed_is_refused_naming_both() {
        let t = render("x", &filled());
        let (a, b) = ("## Decisions Informed\n", "## Quality Checks\n");
        let swapped = t.replace(a, "@@A@@").replace(b, a).replace("@@A@@", b);
        let e = parse(&swapped).unwrap_err().to_string();
        assert!(e.starts_with("'## Quality Checks' (line "), "{e}");
        assert!(e.contains("comes before '## Decisions Informed' (line"), "{e}");
        assert!(e.ends_with("the order is locked, Decisions Informed first"), "{e}");
    }

    #[test]
    fn a_missing_renamed_or_repeated_heading_is_refused_naming_it() {
        let t = render("x", &filled());
        let e = parse(&t.replace("## Consumers\n", "")).unwrap_err().to_string();
        assert_eq!(e, "'## Consumers' is missing (it goes after '## Outputs')");
        let e = parse(&t.replace("## Objective\n", "")).unwrap_err().to_string();
        assert_eq!(e, "'## Objective' is missing (it goes first)");
        let e = parse(&t.replace("## Objective\n", "## Goal\n")).unwrap_err().to_string();
        assert!(
            e.starts_with("line 11: '## Goal' is not one of the nine headings; '## Objective' belongs there"),
            "{e}"
        );
        let e = parse(&t.replace("## Failure & Feedback Loop", "## Failure and feedback loop")).unwrap_err();
        assert!(e.to_string().contains("'## Failure & Feedback Loop' belongs there"), "{e}");
        let e = parse(&format!("{t}\n## Inputs\nagain\n")).unwrap_err().to_string();
        assert!(e.starts_with("'## Inputs' appears twice (lines "), "{e}");
        // Case and spacing are not a rename.
        assert!(parse(&t.replace("## Quality Checks", "##   quality checks ##")).is_ok());
    }

    #[test]
    fn criteria_lines_read_yes_no_or_blank_and_nothing_else_above_the_headings() {
        let t = render("x", &filled());
        let back = parse(&t.replace("repeatable:", "Repeatable: YES")).unwrap();
        assert_eq!(back.criteria.get(Criterion::Repeatable), Some(true));
        assert_eq!(back.criteria.get(Criterion::CrossFunctional), None);
        let e = parse(&t.replace("repeatable:", "repeatable: maybe")).unwrap_err().to_string();
        assert_eq!(e, "line 8: repeatable: 'maybe' is not yes or no");
        let e = parse(&t.replace("repeatable:", "owner: ana")).unwrap_err().to_string();
        assert_eq!(e, "line 8: 'owner: ana' is above the first heading: put it under one of the nine");
        let e = parse(&t.replace("repeatable:", "end-to-end: no")).unwrap_err().to_string();
        assert_eq!(e, "line 8: end-to-end is given twice");
    }

    #[test]
    fn comments_are_ignored_fences_are_kept_and_an_open_comment_is_refused() {
        let t = render("x", &WorkflowDoc::default());
        let with_code = t.replace(
            "## Processing\n",
            "## Processing\nRun the query <!-- inline note --> weekly.\n```\n## not a heading\n<!-- kept -->\n```\n",
        );
        let doc = parse(&with_code).unwrap();
        assert_eq!(
            doc.sections.get(Section::Processing),
            "Run the query  weekly.\n```\n## not a heading\n<!-- kept -->\n```"
        );
        let open = format!("{t}<!-- unfinished\n## Not seen\n");
        let e = parse(&open).unwrap_err().to_string();
        let line = open.lines().count() - 1;
        assert_eq!(e, format!("line {line}: a comment '<!--' is never closed with '-->'"));
    }

    #[test]
    fn stored_text_never_becomes_a_heading_or_a_control_sequence() {
        let mut doc = WorkflowDoc::default();
        doc.sections.set(Section::Inputs, "CRM export\n## Outputs\nred\x1b[31m");
        let t = render("x\x1b[2J\nname", &doc);
        assert!(!t.contains('\x1b'));
        assert_eq!(t.lines().filter(|l| heading_text(l).is_some()).count(), 9);
        let back = parse(&t).unwrap();
        assert_eq!(back.sections.get(Section::Inputs), "CRM export\n## Outputs\nred\u{FFFD}[31m");
    }
}
