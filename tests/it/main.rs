//! End-to-end tests of the `mktg` binary: one test binary, one module per story.

mod common;
mod dashboard;
mod setup;
mod store_safety;
