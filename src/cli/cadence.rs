//! `today`: the day's meetings, the current one marked, checklist progress.

use clap::Args;
use serde::Serialize;

use crate::context::Context;
use crate::domain::feeds::agenda_focus;
use crate::domain::model::MeetingStatus;
use crate::domain::recurrence::countdown;
use crate::domain::text::fit;
use crate::error::{Error, Result};
use crate::output::{Format, print_json, print_text};

#[derive(Debug, Args)]
pub struct TodayArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// The JSON shape of one meeting (documented in the README).
#[derive(Serialize)]
struct JsonMeeting<'a> {
    instance_id: Option<i64>,
    template_id: Option<i64>,
    name: &'a str,
    start: String,
    end: String,
    minutes: u32,
    status: MeetingStatus,
    items_done: usize,
    items_total: usize,
    current: bool,
    next: bool,
}

#[derive(Serialize)]
struct JsonDay<'a> {
    day: String,
    now: String,
    meetings: Vec<JsonMeeting<'a>>,
}

pub fn today(env: &Context, a: TodayArgs) -> Result<()> {
    let store = env.open_store()?;
    let now = env.clock.now();
    let items = store.cadence().agenda(now.date())?;
    let focus = agenda_focus(&items, now);
    match a.format {
        Format::Json => {
            let meetings = items
                .iter()
                .enumerate()
                .map(|(i, m)| JsonMeeting {
                    instance_id: m.instance_id,
                    template_id: m.template_id,
                    name: &m.name,
                    start: m.start.format("%H:%M").to_string(),
                    end: m.end().format("%H:%M").to_string(),
                    minutes: m.minutes,
                    status: m.status,
                    items_done: m.items_done,
                    items_total: m.items_total,
                    current: focus.current == Some(i),
                    next: focus.next == Some(i),
                })
                .collect();
            let day = JsonDay { day: now.date().to_string(), now: now.format("%Y-%m-%dT%H:%M").to_string(), meetings };
            print_json(&day)
        }
        Format::Text => {
            let mut out = format!("{}\n", now.format("%a %d %b %Y, %H:%M"));
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
            print_text(&out)
        }
        other => Err(Error::input(format!("today prints text or json, not {}", format!("{other:?}").to_lowercase()))),
    }
}
