//! The footer's words for actions: shorter than the help text.

use crate::keymap::Action;

/// Footer words: shorter than the help text.
pub fn short_help(a: Action) -> &'static str {
    match a {
        Action::Quit => "quit",
        Action::Help => "keys",
        Action::LogDecision => "decision",
        Action::Select => "open",
        Action::Back => "back",
        Action::CyclePeriod => "period",
        Action::Record => "record",
        Action::SetTarget => "target",
        Action::Tier => "tier",
        Action::Toggle => "tick",
        Action::StageNext => "stage→",
        Action::StagePrev => "←stage",
        Action::New => "new",
        Action::Edit => "edit",
        Action::Delete => "delete",
        Action::Spend => "spend",
        Action::Move => "move",
        Action::Search => "search",
        Action::Filter => "filter",
        Action::Sort => "sort",
        Action::Done => "done",
        Action::Skip => "skip",
        Action::Override => "override",
        Action::PrevPeriod => "prev",
        Action::NextPeriod => "next",
        Action::Rate => "rate",
        Action::LogTime => "time",
        Action::Triage => "triage",
        Action::RankUp => "rank↑",
        Action::RankDown => "rank↓",
        Action::Launched => "launched",
        Action::Palette => "command",
        Action::PageDown => "more",
        other => other.name(),
    }
}
