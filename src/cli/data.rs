//! `import` and `export`.

use std::path::PathBuf;

use clap::Args;

use super::output::Format;
use super::{Env, not_yet};
use crate::error::Result;

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

pub fn export(_env: &Env, _a: ExportArgs) -> Result<()> {
    not_yet("export")
}
