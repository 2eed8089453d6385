//! `import` and `export`.

use std::path::PathBuf;

use clap::Args;

use super::output::Format;
use super::{Env, not_yet};
use crate::error::{Error, Result};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The export file
    pub file: Option<PathBuf>,
    /// ga4 | hubspot-deals | hubspot-contacts | linkedin-ads | google-ads | kpi-csv | spend-csv (detected when omitted)
    #[arg(long)]
    pub preset: Option<String>,
    /// Show what would change and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Remove exactly the facts of import ID
    #[arg(long, value_name = "ID")]
    pub undo: Option<i64>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// kpis | launches | budget | decisions | cadence
    pub what: String,
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to this file instead of stdout
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn import(_env: &Env, _a: ImportArgs) -> Result<()> {
    not_yet("import")
}

pub fn export(env: &Env, a: ExportArgs) -> Result<()> {
    use crate::io::export;
    let store = env.open_store()?;
    let now = env.clock.now();
    let text = match a.what.trim().to_ascii_lowercase().as_str() {
        "kpis" => export::kpis::export(&store, a.format, now)?,
        "launches" => export::launches::export(&store, a.format, now)?,
        "budget" => export::budget::export(&store, a.format, now)?,
        "decisions" => export::decisions::export(&store, a.format, now)?,
        "cadence" => export::cadence::export_with_zone(&store, a.format, now, env.config.timezone.as_deref())?,
        other => {
            return Err(Error::input(format!(
                "cannot export '{other}' (one of: kpis, launches, budget, decisions, cadence)"
            )));
        }
    };
    match a.out {
        // Write beside the target then rename: a failed export never leaves half a file.
        Some(path) => {
            let tmp = path.with_extension("mktg-tmp");
            std::fs::write(&tmp, text.as_bytes()).map_err(|e| Error::system(format!("{}: {e}", tmp.display())))?;
            std::fs::rename(&tmp, &path).map_err(|e| Error::system(format!("{}: {e}", path.display())))?;
            Ok(())
        }
        None => super::output::print_raw(&text),
    }
}
