//! `mktg export WHAT`: one module per area; each renders the store's rows in the formats it supports.

pub mod attribution;
pub mod budget;
pub mod cadence;
pub mod decisions;
pub mod kpis;
pub mod launches;
pub mod team;
