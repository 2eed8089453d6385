//! End-to-end tests of the `mktg` binary: one test binary, one module per story.

mod budget;
mod common;
mod decisions;
mod launches;
mod pty;
mod setup;
mod store_safety;
mod today;
