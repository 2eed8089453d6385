//! End-to-end tests of the `mktg` binary: one test binary, one module per story.

mod budget;
mod common;
mod dashboard;
mod decisions;
mod durability;
mod hostile;
mod launches;
mod pty;
mod setup;
mod store_safety;
mod today;
