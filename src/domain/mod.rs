//! Pure logic: plain values in, plain values out, no SQLite and no terminal.

pub mod anomaly;
pub mod dates;
pub mod feeds;
pub mod funnel;
pub mod kpi;
pub mod model;
pub mod money;
pub mod pacing;
pub mod period;
pub mod text;
pub mod tiering;
