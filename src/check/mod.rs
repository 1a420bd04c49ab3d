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

pub use build::{facts_read, insert_dotted};
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
    /// The parsed files, for analyses that ask what the ruleset would be without one of
    /// its deviations.
    pub variants: Variants,
}

/// The parsed files of a checked ruleset, to check it again with a change: what a region's
/// ruleset would be without one of its `avsteg`.
#[derive(Debug, Default)]
pub struct Variants {
    sources: Sources,
    national: Vec<build::ParsedFile>,
    region: Vec<build::ParsedFile>,
}

impl Variants {
    pub(crate) fn new(
        sources: Sources,
        national: Vec<build::ParsedFile>,
        region: Vec<build::ParsedFile>,
    ) -> Variants {
        Variants {
            sources,
            national,
            region,
        }
    }

    /// The region's ruleset checked without its deviation `id`; `None` when that ruleset
    /// has errors (something else needs the deviation) or there is no region.
    pub fn without_deviation(&self, id: &str) -> Option<Ruleset> {
        if self.region.is_empty() {
            return None;
        }
        let region: Vec<build::ParsedFile> = self
            .region
            .iter()
            .map(|f| {
                let mut f = f.clone();
                f.ast.items.retain(
                    |item| !matches!(item, crate::syntax::ast::Item::Deviation(d) if d.id.name == id),
                );
                f
            })
            .collect();
        let (ruleset, diagnostics) = build::Builder::build(&self.sources, &self.national, &region);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return None;
        }
        ruleset
    }
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}
