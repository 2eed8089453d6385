//! The third face: `mktg mcp`, an MCP server on stdin/stdout for the director's AI agent.
//!
//! Like the cockpit and the command line, it only presents: every tool calls the function the
//! command line calls for its `--format json`, and returns those bytes. Discipline: stdout
//! carries nothing but protocol messages (the SDK writes them; nothing here prints there);
//! every call opens the store anew on a blocking thread, so another process's writes show on
//! the next call and no SQLite handle crosses an await; a failed call is a tool error carrying
//! the command line's one-line message, and the server keeps serving.

mod attribution;
mod compete;
mod learn;
mod prompts;
mod resources;
mod schemas;
mod server;
mod tools;

use std::path::PathBuf;

use rmcp::ServiceExt;
use rmcp::service::ServerInitializeError;

pub use server::Server;

use crate::clock::Clock;
use crate::config::Config;
use crate::context::Context;
use crate::error::{Error, Result};

/// What the server keeps from the command line's context, and whether the agent may write.
#[derive(Debug, Clone)]
pub struct Settings {
    pub db: PathBuf,
    pub config: Config,
    pub clock: Clock,
    /// `--now` was given: every call reads that instant, so answers are reproducible.
    /// Otherwise the clock runs, and a server left open overnight moves to the next day.
    pub fixed_now: bool,
    /// `--allow-writes`: without it, every write tool is refused and the store is never written.
    pub allow_writes: bool,
}

/// `mktg mcp [--allow-writes]`: serve MCP over stdin/stdout until the client closes stdin.
pub fn serve(ctx: &Context, allow_writes: bool) -> Result<()> {
    serve_with(Settings {
        db: ctx.db.clone(),
        config: ctx.config.clone(),
        clock: ctx.clock.clone(),
        fixed_now: ctx.fixed_now,
        allow_writes,
    })
}

fn serve_with(settings: Settings) -> Result<()> {
    // One thread drives the protocol; store work runs on the blocking pool. Small and enough:
    // an agent asks one thing at a time.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        // Stdin, stdout and the store each take a blocking thread. Keep them parked between
        // calls rather than let them expire after tokio's default 10 s: an agent asks every few
        // minutes, and starting a thread on a busy machine costs more than the brief itself.
        .max_blocking_threads(8)
        .thread_keep_alive(std::time::Duration::from_secs(24 * 3600))
        .build()
        .map_err(|e| Error::system(format!("cannot start the MCP server: {e}")))?;
    let mode = if settings.allow_writes { "writes allowed" } else { "read-only" };
    // stderr is the log an MCP client keeps; stdout belongs to the protocol.
    eprintln!("mktg mcp: serving {} ({mode})", settings.db.display());
    let server = Server::new(settings);
    runtime.block_on(async move {
        tokio::spawn(server.clone().look_at_store());
        let running = match server.serve(rmcp::transport::stdio()).await {
            Ok(r) => r,
            // The client went away before (or while) saying hello: nothing to serve.
            Err(ServerInitializeError::ConnectionClosed(_)) => return Ok(()),
            Err(e) => return Err(Error::system(format!("mcp: {e}"))),
        };
        running.waiting().await.map_err(|e| Error::system(format!("mcp: {e}")))?;
        Ok(())
    })
}
