//! Step five: analyses over compiled tables. Each analysis is a file of its own.

pub mod examples;
