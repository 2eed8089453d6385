//! mktg: a terminal cockpit for a Director of Marketing.
//!
//! Layers (arrows point down): `cli` and `tui` are the two faces; both call
//! `domain` (pure logic) and `store` (SQLite); `io` reads and writes files.

pub mod assets;
pub mod brief;
pub mod cli;
pub mod clock;
pub mod config;
pub mod context;
pub mod domain;
pub mod error;
pub mod io;
pub mod keymap;
pub mod output;
pub mod store;
pub mod tui;
pub mod views;
