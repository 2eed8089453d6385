//! Mentor mode's questions as an attention group (`[mentor] attention`, on unless turned off):
//! the same challenges `mktg mentor` prints (`domain::mentor::challenges_for`), one line each,
//! in the question order `mentor` uses. One registration line in `attention::SOURCES` adds them.

use super::attention::Input;
use crate::domain::attention::{Attention, Group, Link, kind};
use crate::domain::mentor::{self, Challenge};
use crate::store::error::Result;

/// Today's questions, or none when the config keeps them off the attention list.
pub fn attention(i: &Input<'_>) -> Result<Vec<Attention>> {
    if !i.config.mentor.attention {
        return Ok(Vec::new());
    }
    let team = i.store.team();
    let director = team.director()?.unwrap_or_else(|| i.config.user.clone());
    let facts = team.facts(i.at.today)?;
    let found = mentor::challenges_for(&facts.facts(), &i.config.mentor.rules, &director);
    Ok(found.iter().enumerate().map(|(n, c)| line(c, n)).collect())
}

/// "who owns this? campaign 'Review sites pilot' has no owner": the question, then its evidence.
/// Severity keeps `mentor`'s order (by question, then as the records came).
fn line(c: &Challenge, n: usize) -> Attention {
    // `ChallengeKind` is declared in question order.
    let rank = c.kind as usize;
    Attention::new(
        Group::Questions,
        kind::MENTOR,
        c.question.to_string(),
        c.evidence.clone(),
        (100 - rank.min(100)) as f64 * 1000.0 - n as f64,
        link(&c.link),
    )
}

fn link(l: &mentor::Link) -> Link {
    match l {
        mentor::Link::Decision { id } => Link::Decision { id: *id },
        mentor::Link::Launch { id } => Link::Launch { id: *id },
        mentor::Link::Campaign { id } => Link::Campaign { id: *id },
        mentor::Link::Metric { key } => Link::Kpi { metric: key.clone() },
        mentor::Link::ChecklistItem { .. } | mentor::Link::Workflow { .. } | mentor::Link::Person { .. } => {
            Link::View { view: "team".into(), id: None }
        }
    }
}
