//! The skills matrix as Markdown (for a 1:1 or a calibration) and CSV: people × competencies,
//! then the evidence behind every rating, so the page stands on its own in a doc or an email.

use chrono::NaiveDate;

use crate::domain::allocation::{Allocation, Split, TimeBucket, format_hours, format_share};
use crate::domain::team::{Cell, Matrix};
use crate::domain::text::{fit, truncate};
use crate::io::error::Result;
use crate::output::{csv, md};
use crate::views::team::AllocationView;

/// The legend under the table, in the same words as the Team view.
pub const LEGEND: &str = "▲ above the person's level: promotion evidence · ▼ below it: coaching focus · — not rated";

/// One table row per person, one column per competency; then, per person, the evidence of each
/// rating. Every stored text is escaped with [`md`].
pub fn markdown(m: &Matrix, as_of: NaiveDate) -> String {
    let mut out = format!("# Skills matrix, {as_of}\n\n| Person | Level |");
    for c in &m.competencies {
        out.push_str(&format!(" {} |", md(&c.label)));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(m.competencies.len()));
    out.push('\n');
    for row in &m.rows {
        out.push_str(&format!("| {} | {} |", md(&row.person.name), row.person.level.label()));
        for cell in &row.cells {
            out.push_str(&format!(" {} |", cell.as_ref().map_or("—".to_string(), Cell::short)));
        }
        out.push('\n');
    }
    out.push_str(&format!("\n{LEGEND}\n"));
    if m.rows.iter().all(|r| r.unrated() == r.cells.len()) {
        return out;
    }
    out.push_str("\n## Evidence\n");
    for row in &m.rows {
        if row.unrated() == row.cells.len() {
            continue;
        }
        out.push_str(&format!(
            "\n### {} ({}: {})\n\n{} promotion evidence · {} coaching focus · {} not rated\n\n",
            md(&row.person.name),
            row.person.level.label(),
            row.person.level.expectation(),
            row.promotion_evidence(),
            row.coaching_focus(),
            row.unrated()
        ));
        for (c, cell) in m.competencies.iter().zip(&row.cells) {
            if let Some(cell) = cell {
                out.push_str(&format!("- {}: {}, {}: {}\n", md(&c.label), cell.short(), cell.date, md(&cell.evidence)));
            }
        }
    }
    out
}

/// `person,level,<competency slugs...>`, one row per person; a cell is the level slug with its
/// mark (`staff ▲`), empty where not rated. Evidence stays in the Markdown and JSON forms.
pub fn csv_matrix(m: &Matrix) -> Result<String> {
    let mut header = vec!["person", "level"];
    header.extend(m.competencies.iter().map(|c| c.slug.as_str()));
    let rows: Vec<Vec<String>> = m
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![r.person.key.clone(), r.person.level.slug().to_string()];
            row.extend(r.cells.iter().map(|c| c.as_ref().map(Cell::short).unwrap_or_default()));
            row
        })
        .collect();
    csv(&header, &rows)
}

/// The matrix for a terminal: one row per person, a short column per competency, the legend.
pub fn text(m: &Matrix, as_of: NaiveDate) -> String {
    if m.rows.is_empty() {
        return "No one on the team yet: mktg team add KEY --name N --level junior|pmm|senior|staff\n".into();
    }
    let name_w = m.rows.iter().map(|r| crate::domain::text::width(&r.person.name)).max().unwrap_or(6).clamp(6, 20);
    let mut out = format!("Skills matrix, {as_of}\n\n{} {} ", fit("Person", name_w), fit("Level", 7));
    for c in &m.competencies {
        out.push_str(&format!("{} ", fit(&truncate(&c.label, 10), 10)));
    }
    out.push('\n');
    for row in &m.rows {
        out.push_str(&format!("{} {} ", fit(&row.person.name, name_w), fit(row.person.level.slug(), 7)));
        for cell in &row.cells {
            out.push_str(&format!("{} ", fit(&cell.as_ref().map_or("—".to_string(), Cell::short), 10)));
        }
        out = out.trim_end().to_string();
        out.push('\n');
    }
    out.push_str(&format!("\n{LEGEND}\n"));
    for row in m.rows.iter().filter(|r| r.promotion_evidence() + r.coaching_focus() > 0) {
        out.push_str(&format!(
            "{}: {} promotion evidence · {} coaching focus\n",
            row.person.name,
            row.promotion_evidence(),
            row.coaching_focus()
        ));
    }
    out
}

/// "core 70% · systems 20% · exploration 10%" (one decimal next to the 10-point edge).
pub fn shares(s: &Split) -> String {
    s.buckets
        .iter()
        .map(|b| format!("{} {}", b.bucket.slug(), format_share(b.share_pct, b.off_pts).0))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One allocation in words: the split and its verdict, then each flag on its own line.
fn allocation_lines(who: &str, a: &Allocation, name_w: usize) -> String {
    match a {
        Allocation::NoTimeLogged => format!("{} no time logged\n", fit(who, name_w)),
        Allocation::Logged(s) => {
            let weeks = if s.weeks == 1 { "1 week".to_string() } else { format!("{} weeks", s.weeks) };
            let verdict = if s.on_track() { "on track" } else { "off 70/20/10" };
            let mut out =
                format!("{} {}   {} h over {weeks}   {verdict}\n", fit(who, name_w), shares(s), format_hours(s.hours));
            for f in s.flags() {
                out.push_str(&format!("{}   ! {f}\n", " ".repeat(name_w)));
            }
            out
        }
    }
}

/// `team allocation` as text: every person, then the team, against 70/20/10.
pub fn allocation_text(v: &AllocationView) -> String {
    let targets: Vec<String> = TimeBucket::ALL.iter().map(|b| format!("{} {}%", b.label(), b.target_pct())).collect();
    let over = v.period.as_deref().map(|p| format!(", {p}")).unwrap_or_else(|| ", every week logged".into());
    let mut out = format!("Time against 70/20/10 ({}){over}\n\n", targets.join(", "));
    if v.report.people.is_empty() {
        out.push_str("No one on the team yet: mktg team add KEY --name N --level L\n");
        return out;
    }
    let name_w = v.report.people.iter().map(|p| crate::domain::text::width(&p.name)).max().unwrap_or(4).clamp(4, 20);
    for p in &v.report.people {
        out.push_str(&allocation_lines(&p.name, &p.allocation, name_w));
    }
    out.push_str(&allocation_lines("Team", &v.report.team, name_w));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::team::tests::{d, person, rate};
    use crate::domain::team::{Level, matrix, seeded_competencies};

    fn table_rows(md: &str) -> Vec<&str> {
        md.lines().filter(|l| l.starts_with('|')).skip(2).collect()
    }

    #[test]
    fn two_people_by_seven_competencies_make_two_data_rows() {
        let people = vec![person("ana", Level::Senior), person("raj", Level::Junior)];
        let ratings = vec![
            rate("ana", "positioning", Level::Staff, "2026-10-01"),
            rate("raj", "positioning", Level::Junior, "2026-10-01"),
            rate("raj", "coaching", Level::Pmm, "2026-10-05"),
        ];
        let out = markdown(&matrix(&people, &seeded_competencies(), &ratings), d("2026-11-20"));
        let rows = table_rows(&out);
        assert_eq!(rows.len(), 2, "{out}");
        assert_eq!(rows[0], "| ana name | Senior PMM | staff ▲ | — | — | — | — | — | — |");
        assert_eq!(rows[1], "| raj name | Junior PMM | junior | — | — | — | — | — | pmm ▲ |");
        assert_eq!(out.lines().find(|l| l.starts_with("|---")).unwrap().matches("---").count(), 9);
        assert!(out.contains("- Positioning: staff ▲, 2026-10-01: ana positioning\n"), "{out}");
        assert!(out.contains("1 promotion evidence · 0 coaching focus · 6 not rated"), "{out}");
    }

    #[test]
    fn stored_text_cannot_break_the_table_or_drive_a_terminal() {
        let mut p = person("eve", Level::Pmm);
        p.name = "Eve | <b>x</b>\x1b[2J".into();
        let mut r = rate("eve", "analytics", Level::Pmm, "2026-10-01");
        r.evidence = "built | the <script> dashboard\nnext".into();
        let out = markdown(&matrix(&[p], &seeded_competencies(), &[r]), d("2026-11-20"));
        assert_eq!(table_rows(&out).len(), 1);
        assert!(out.contains("Eve \\| &lt;b&gt;x&lt;/b&gt;\u{FFFD}\\[2J"), "{out}");
        assert!(out.contains("built \\| the &lt;script&gt; dashboard next"), "{out}");
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn an_unrated_team_has_no_evidence_section_and_csv_marks_cells() {
        let m = matrix(&[person("ana", Level::Senior)], &seeded_competencies(), &[]);
        assert!(!markdown(&m, d("2026-11-20")).contains("## Evidence"));
        let m = matrix(
            &[person("ana", Level::Senior)],
            &seeded_competencies(),
            &[rate("ana", "coaching", Level::Pmm, "2026-10-01")],
        );
        let out = csv_matrix(&m).unwrap();
        let mut lines = out.lines();
        assert_eq!(
            lines.next(),
            Some(
                "person,level,positioning,launch-execution,sales-enablement,competitive-intelligence,analytics,\
                 cross-functional-influence,coaching"
            )
        );
        assert_eq!(lines.next(), Some("ana,senior,,,,,,,pmm ▼"));
    }
}
