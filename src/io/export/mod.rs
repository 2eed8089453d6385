//! `mktg export WHAT`: one module per area; each renders the store's rows in the formats it supports.

pub mod attribution;
pub mod budget;
pub mod cadence;
pub mod compete;
pub mod decisions;
pub mod experiments;
pub mod kpis;
pub mod launches;
pub mod learn;
pub mod mentor;
pub mod team;
pub mod weekly;
pub mod workflows;
