//! `init`, `demo`, `render`, `backup`, `check`: setting up, looking at and safeguarding the store.

use std::path::PathBuf;

use clap::Args;

use crate::assets::Role;
use crate::context::Context;
use crate::context::{Faces, RenderRequest};
use crate::error::{Error, Result};
use crate::output::print_text;
use crate::store::demo::DemoOptions;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// demand-gen or product-marketing
    #[arg(long, default_value = "demand-gen")]
    role: String,
    /// The store's one currency, an ISO 4217 code (USD, EUR, GBP, INR, ...); refused once money is stored in another
    #[arg(long, value_name = "CODE")]
    currency: Option<String>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Days of KPI history
    #[arg(long, default_value_t = 400)]
    days: u32,
    /// Scale the KPI history to exactly this many rows (up to 10,000,000)
    #[arg(long)]
    kpi_rows: Option<u64>,
    /// Seed for the generator: the same seed gives the same store
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Add demo data even though the store already holds data
    #[arg(long)]
    force: bool,
    /// Role to set up when the store is new
    #[arg(long)]
    role: Option<String>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// dashboard | launches | budget | today | decisions | learn | team
    screen: String,
    #[arg(long, default_value_t = 120)]
    width: u16,
    #[arg(long, default_value_t = 40)]
    height: u16,
    /// Key presses to replay first, space-separated (Enter Esc Tab Space Up C-x ...)
    #[arg(long, allow_hyphen_values = true)]
    keys: Option<String>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist)
    path: PathBuf,
}

pub fn init(env: &Context, a: InitArgs) -> Result<()> {
    let role = Role::parse(&a.role)?;
    let currency = a.currency.as_deref().map(crate::domain::currency::for_store).transpose()?;
    let store = env.open_or_create_store()?;
    let (seeded, changed) = store.write(|tx| {
        let seeded = tx.meta().init_role(role, env.clock.now())?;
        let changed = match currency {
            Some(c) => tx.meta().set_currency(c.code)?,
            None => false,
        };
        Ok::<_, crate::store::error::Error>((seeded, changed))
    })?;
    let kept = store.meta().currency();
    if seeded.metrics + seeded.meetings + seeded.targets == 0 {
        let what = if changed { format!("; money is now kept in {kept}") } else { "; nothing changed".into() };
        print_text(&format!("{} is already set up for {} in {kept}{what}\n", env.db.display(), role.as_str()))
    } else {
        print_text(&format!(
            "set up {} for {} in {kept}: {} metrics, {} targets, {} meetings\n",
            env.db.display(),
            role.as_str(),
            seeded.metrics,
            seeded.targets,
            seeded.meetings
        ))
    }
}

pub fn demo(env: &Context, a: DemoArgs) -> Result<()> {
    // Refuse what can be refused before a store file is created.
    if let Some(n) = a.kpi_rows.filter(|n| *n > 10_000_000) {
        return Err(Error::input(format!("--kpi-rows {n} is beyond the 10,000,000 limit")));
    }
    let role = a.role.as_deref().map(Role::parse).transpose()?;
    let store = env.open_or_create_store()?;
    if let Some(role) = role {
        store.write(|tx| tx.meta().init_role(role, env.clock.now()))?;
    }
    let opts = DemoOptions { days: a.days, kpi_rows: a.kpi_rows, seed: a.seed, force: a.force };
    let r = store.write(|tx| crate::store::demo::fill(tx, env.clock.now(), &opts))?;
    print_text(&format!(
        "demo data (seed {}): {} KPI rows over {} days, {} campaigns with {} spend entries, {} launches, {} meetings, {} decisions\n",
        a.seed, r.kpi_rows, r.days, r.campaigns, r.spend_entries, r.launches, r.meetings, r.decisions
    ))
}

pub fn render(env: &Context, a: RenderArgs, faces: Faces) -> Result<()> {
    if a.width == 0 || a.height == 0 || a.width > 1000 || a.height > 500 {
        return Err(Error::input(format!(
            "--width/--height {}x{} is out of range (1-1000 x 1-500)",
            a.width, a.height
        )));
    }
    let store = env.open_store()?;
    let keys = crate::keymap::parse_script(a.keys.as_deref().unwrap_or(""))?;
    let req = RenderRequest { screen: &a.screen, width: a.width, height: a.height, keys: &keys };
    let text = (faces.render)(&store, env, &req)?;
    print_text(&text)
}

pub fn backup(env: &Context, a: BackupArgs) -> Result<()> {
    let store = env.open_store()?;
    store.backup_to(&a.path)?;
    print_text(&format!("backed up {} to {}\n", env.db.display(), a.path.display()))
}

pub fn check(env: &Context) -> Result<()> {
    let store = env.open_store()?;
    let problems = store.check()?;
    if problems.is_empty() {
        print_text(&format!("{}: ok (schema {})\n", env.db.display(), store.schema_version()?))
    } else {
        let first = problems.first().cloned().unwrap_or_default();
        Err(Error::system(format!("{}: {} problem(s), first: {first}", env.db.display(), problems.len())))
    }
}
