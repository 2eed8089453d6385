//! mktg: a terminal cockpit for a Director of Marketing.
//!
//! Layers, arrows pointing down (docs/architecture.md; `tests/it/layers.rs` enforces them):
//! the faces `cli`, `tui` and `mcp` receive a `context::Context` and report `error::Error`; below them
//! `io` (files), `views` (the JSON readouts), `brief`, `store` (SQLite handles and the one write
//! path), `output` (formats and the safe text sink), and `domain` (pure logic) at the bottom.

pub mod assets;
pub mod brief;
pub mod cli;
pub mod clock;
pub mod config;
pub mod context;
pub mod domain;
pub mod error;
pub mod files;
pub mod io;
pub mod keymap;
pub mod mcp;
pub mod output;
pub mod store;
pub mod tui;
pub mod views;
