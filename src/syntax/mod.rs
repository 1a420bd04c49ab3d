//! Step one: text to syntax tree. pest parses the grammar in `grammar/regel.pest`; this
//! module lowers pest's pairs to the typed [`ast`] and turns pest's errors into located
//! Swedish diagnostics. Nothing outside this module touches pest.
//!
//! The parts run forward: `grammar` parses, then either `lower` builds the tree or
//! `errors` explains why the text did not parse and `recover` skips the broken part, so the
//! rest of the file is parsed and checked in the same run.

pub mod ast;
mod errors;
mod grammar;
mod hints;
mod lower;
mod recover;

pub use recover::is_follow_on;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// Parses one file. Returns the tree (possibly partial) and every problem found.
pub fn parse_file(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    if let Some(d) = errors::too_deep(text, file) {
        return (ast::File::default(), vec![d]);
    }
    match grammar::parse(text) {
        Ok(pairs) => lower::lower_file(file, pairs),
        Err(error) => recover::recover(file, text, error),
    }
}
