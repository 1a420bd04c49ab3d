//! Views for people and tools: decisions as JSON lines with explanations.

pub mod compare;
pub mod deviations;
pub mod diff;
pub mod explain;
