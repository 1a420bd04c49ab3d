//! Step two: names, types and deviations. A ruleset directory (and the national ruleset it
//! builds on) is read, parsed and checked into a [`Ruleset`], with every problem reported
//! at once.

mod build;
mod cycles;
mod guards;
mod load;
pub mod model;
mod scope;
mod sink;
mod suggest;
pub use suggest::did_you_mean as suggest_name;
mod types;

pub use build::insert_dotted;
pub use load::{LoadError, base_dir, check_dir, check_in, check_texts};
pub use model::*;

use crate::diagnostic::Diagnostic;
use crate::source::Sources;

/// The result of checking: the sources read, every diagnostic, and the checked ruleset when
/// there were no errors.
#[derive(Debug)]
pub struct Checked {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub ruleset: Option<Ruleset>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}
