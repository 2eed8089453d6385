//! End-to-end tests of the `mktg` binary: one test binary, one module per story.

mod budget;
mod common;
mod setup;
mod store_safety;
