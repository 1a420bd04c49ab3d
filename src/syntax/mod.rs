//! Step one: text to syntax tree. pest parses the grammar in `grammar/regel.pest`; this
//! module lowers pest's pairs to the typed [`ast`] and turns pest's errors into located
//! Swedish diagnostics. Nothing outside this module touches pest.

pub mod ast;
mod errors;
mod lower;

pub use lower::parse_file;
