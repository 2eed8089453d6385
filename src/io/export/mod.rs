//! `mktg export WHAT`: one module per area; each renders the store's rows in the formats it supports.

pub mod attribution;
pub mod budget;
pub mod cadence;
pub mod compete;
pub mod decisions;
pub mod experiments;
pub mod kpis;
pub mod launches;
pub mod learn;
pub mod mentor;
pub mod team;
pub mod weekly;
pub mod workflows;

use chrono::NaiveDateTime;

use crate::config::Config;
use crate::domain::period::{Grain, Period};
use crate::output::Format;
use crate::store::Store;

/// What `export` writes, in its words for `--help` and refusals.
pub const WHATS: [&str; 5] = ["kpis", "launches", "budget", "decisions", "cadence"];

/// `export WHAT [--format F] [--period P]` as text, and the format it is in: `mktg export` prints
/// it or writes it with `--out`, the cockpit's `:export` writes it to a file.
pub fn export(
    store: &Store,
    config: &Config,
    now: NaiveDateTime,
    what: &str,
    format: Option<Format>,
    period: Option<&str>,
) -> super::error::Result<(String, Format)> {
    use super::error::Error;
    let what = what.trim().to_ascii_lowercase();
    let period = match (period, what.as_str()) {
        (None, _) => None,
        (Some(p), "budget") => Some(quarter(p).map_err(|e| Error::input(format!("--period: {e}")))?),
        (Some(p), _) => {
            return Err(Error::input(format!("--period {p}: only `export budget` is exported by period")));
        }
    };
    let text = match what.as_str() {
        "kpis" => kpis::export(store, format, now)?,
        "launches" => launches::export(store, format, now)?,
        "budget" => budget::export(store, format, now, period.as_ref(), &config.pacing)?,
        "decisions" => decisions::export(store, format, now)?,
        "cadence" => {
            cadence::export_with_zone(store, format, now, config.timezone.as_deref(), &config.pacing.calendar)?
        }
        other => {
            return Err(Error::input(format!("cannot export '{other}' (one of: {})", WHATS.join(", "))));
        }
    };
    Ok((text, format.unwrap_or(default_format(&what))))
}

/// The format each export writes when `--format` is not given (as each module decides it).
pub fn default_format(what: &str) -> Format {
    match what.trim().to_ascii_lowercase().as_str() {
        "launches" => Format::Json,
        "decisions" => Format::Markdown,
        "cadence" => Format::Ics,
        _ => Format::Csv,
    }
}

/// A budget period: a quarter, e.g. 2026-Q4.
pub fn quarter(s: &str) -> Result<Period, String> {
    let p = Period::parse(s).map_err(|e| e.to_string())?;
    if p.grain != Grain::Quarter {
        return Err(format!("'{}' is not a quarter (expected e.g. 2026-Q4)", s.trim()));
    }
    Ok(p)
}

/// Write `text` to `path` whole or not at all, owner-only, through the same sink as stdout.
pub fn write_file(path: &std::path::Path, format: Format, text: &str) -> Result<(), crate::files::Error> {
    crate::files::write(path, crate::output::for_file(format, text).as_bytes(), crate::files::Existing::Replace)
}
