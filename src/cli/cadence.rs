//! `today`: the day's meetings, the current one marked, checklist progress.

use clap::Args;

use super::formats;
use crate::context::Context;
use crate::domain::model::MeetingStatus;
use crate::domain::recurrence::countdown;
use crate::domain::text::fit;
use crate::error::{Error, Result};
use crate::output::{Format, print_json, print_text};
use crate::views::today::Day;

#[derive(Debug, Args)]
pub struct TodayArgs {
    #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
    pub format: Format,
}

pub fn today(env: &Context, a: TodayArgs) -> Result<()> {
    let store = env.open_store()?;
    let day = Day::load(&store, &env.config, env.clock.now())?;
    let (now, items, focus) = (day.now, &day.agenda, day.focus);
    match a.format {
        Format::Json => print_json(&day.json()),
        Format::Text => {
            let mut out = format!("{}\n", now.format("%a %d %b %Y, %H:%M"));
            if day.holiday {
                out.push_str("a holiday: no recurring meetings\n");
            }
            if items.is_empty() {
                out.push_str("no meetings today\n");
            }
            for (i, m) in items.iter().enumerate() {
                let mark = if focus.current == Some(i) { "▶" } else { " " };
                let when = if focus.current == Some(i) {
                    "now".to_string()
                } else if focus.next == Some(i) {
                    format!("next, {}", countdown(m.start, now))
                } else if m.status == MeetingStatus::Skipped {
                    "skipped".into()
                } else {
                    String::new()
                };
                out.push_str(&format!(
                    "{mark} {}-{}  {} {:>5}  {when}\n",
                    m.start.format("%H:%M"),
                    m.end().format("%H:%M"),
                    fit(&m.name, 30),
                    format!("{}/{}", m.items_done, m.items_total),
                ));
            }
            if focus.next.is_none()
                && let Some(n) = &day.next
            {
                out.push_str(&format!("next: {}\n", n.label(now.date())));
            }
            print_text(&out)
        }
        other => Err(Error::input(format!("today prints text or json, not {}", format!("{other:?}").to_lowercase()))),
    }
}
