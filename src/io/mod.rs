//! Files in and out: import presets and exports (csv, json, markdown, ics).

pub mod charts;
pub mod editor;
pub mod error;
pub mod export;
pub mod import;
pub mod import_file;
