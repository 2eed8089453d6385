//! What every face is given: where the store is, the settings, the clock. It lives below the
//! faces so that the command line, the cockpit and the MCP server receive the same thing and
//! none of them imports another.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use crate::clock::Clock;
use crate::config::Config;
use crate::error::Result;
use crate::store::Store;

/// Where the store is, the settings, the clock: built once from the flags, handed to a face.
pub struct Context {
    pub db: PathBuf,
    pub config: Config,
    pub clock: Clock,
    /// True when `--now` was given: renders and tests are frozen there.
    pub fixed_now: bool,
    /// True when `db` is the default data-directory store (no `--db`, no `MKTG_DB`): the only
    /// store whose missing folders mktg creates.
    pub default_db: bool,
}

impl Context {
    /// The existing store, for every command: a missing or empty file is refused in one line
    /// naming the path and `mktg init`, so a mistyped `--db` never creates a store. Read-only
    /// media open read-only: reads work, writes are refused.
    pub fn open_store(&self) -> Result<Store> {
        Ok(Store::open(&self.db)?)
    }

    /// The store, created when there is none: only `init`, `demo` and the cockpit's onboarding.
    pub fn open_or_create_store(&self) -> Result<Store> {
        Ok(Store::create(&self.db, self.default_db)?)
    }
}

/// One screen drawn headless (`mktg render`): which, how large, and the keys replayed first.
#[derive(Clone, Copy)]
pub struct RenderRequest<'a> {
    pub screen: &'a str,
    pub width: u16,
    pub height: u16,
    pub keys: &'a [KeyEvent],
}

/// The other faces the command line hands over to. `main.rs` fills this in, so `cli` never
/// imports `tui` or `mcp`: the arrows between faces stay at zero.
#[derive(Clone, Copy)]
pub struct Faces {
    /// `mktg` with no command: the cockpit, until the user quits.
    pub cockpit: fn(&Context) -> Result<()>,
    /// `mktg render`: one frame of the cockpit as plain text.
    pub render: fn(&Store, &Context, &RenderRequest<'_>) -> Result<String>,
    /// `mktg mcp`: the MCP server for an AI agent, until the client closes stdin; the flag is
    /// `--allow-writes`.
    pub mcp: fn(&Context, bool) -> Result<()>,
}
