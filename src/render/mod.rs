//! Views for people and tools: decisions as JSON lines with explanations.

pub mod explain;
