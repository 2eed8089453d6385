//! End-to-end tests of the `mktg` binary: one test binary, one module per story.

mod common;
mod launches;
mod pty;
mod setup;
mod store_safety;
