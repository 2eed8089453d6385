//! Pure logic: plain values in, plain values out, no SQLite and no terminal.

pub mod alert;
pub mod allocation;
pub mod annotation;
pub mod anomaly;
pub mod attribution;
pub mod budget;
pub mod dates;
pub mod experiment;
pub mod feeds;
pub mod funnel;
pub mod ics;
pub mod kpi;
pub mod launch;
pub mod mentor;
pub mod model;
pub mod money;
pub mod pacing;
pub mod period;
pub mod positioning;
pub mod postmortem;
pub mod recurrence;
pub mod team;
pub mod text;
pub mod tiering;
pub mod winloss;
pub mod workflow;
