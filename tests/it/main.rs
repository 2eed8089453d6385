//! End-to-end tests of the `mktg` binary: one test binary, one module per story.

mod budget;
mod common;
mod configs;
mod consistency;
mod dashboard;
mod decisions;
mod durability;
mod hostile;
mod import_cockpit;
mod import_edges;
mod import_errors;
mod import_fixtures;
mod import_prop;
mod import_roundtrip;
mod import_store;
mod import_stream;
mod launches;
mod layers;
mod mcp;
mod mcp_stdio;
mod one_path;
mod popup_keys;
mod pty;
mod setup;
mod store_safety;
mod today;
