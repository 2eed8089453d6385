//! Views: the serializable readouts the faces print. One function per readout, below the faces,
//! so `mktg ... --format json`, the cockpit and the MCP server get the same value (and, once
//! serialized with `output::json`, the same bytes). A face chooses a format and prints; the
//! text, CSV and Markdown renderings of these views live in `io::export`.
//!
//! The morning brief has its own module (`brief`: `Brief::build_for`, then `brief::to_json`);
//! every other readout is here, one module per area.

pub mod attribution;
pub mod budget;
pub mod cadence;
pub mod compete;
pub mod decisions;
pub mod exec;
pub mod experiments;
pub mod kpis;
pub mod launches;
pub mod learn;
pub mod team;
pub mod today;
pub mod weekly;
pub mod workflows;
