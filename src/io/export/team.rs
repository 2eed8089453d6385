//! The skills matrix as Markdown (for a 1:1 or a calibration) and CSV: people × competencies,
//! then the evidence behind every rating, so the page stands on its own in a doc or an email.

use chrono::NaiveDate;

use crate::domain::team::{Cell, Matrix};
use crate::io::error::Result;
use crate::output::{csv, md};

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
