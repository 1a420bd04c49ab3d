//! Declarations to the checked model: the national files first, then the region's, whose
//! deviations are applied as they are checked.
//!
//! Each step is a pass of its own, chained by [`Builder::build`] in the order a reader
//! needs them: the header, then declarations (types, the region's deviations, facts,
//! derived facts, decisions), then rules and their priorities, then invariants and
//! examples, and last the facts nothing uses. The passes share the [`Scope`] of what is
//! declared so far and report into one [`Diagnostics`] sink.

mod assertions;
mod decisions;
mod declarations;
mod deviations;
mod header;
mod periods;
mod priorities;
mod rules;
mod unused;

pub use unused::facts_read;

use super::model::*;
use super::scope::Scope;
use super::sink::Diagnostics;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Sources};
use crate::syntax::ast::{self, Item};
use sha2::{Digest, Sha256};

/// A parsed file of a ruleset.
#[derive(Clone, Debug)]
pub struct ParsedFile {
    #[allow(dead_code, reason = "kept for per-file passes")]
    pub id: FileId,
    pub ast: ast::File,
}

/// Checks a national ruleset, and a region's files on top of it.
pub struct Builder;

impl Builder {
    /// Checks `national` (and the region's files, if any) into a ruleset. The ruleset is
    /// `None` when any diagnostic is an error.
    pub fn build(
        sources: &Sources,
        national: &[ParsedFile],
        region: &[ParsedFile],
    ) -> (Option<Ruleset>, Vec<Diagnostic>) {
        let mut out = Diagnostics::default();
        let mut scope = Scope::new(!region.is_empty());
        let layers = [(national, Origin::National), (region, Origin::Region)];
        let (name, base) = header::titles(national, region, &mut out);
        for (files, _) in layers {
            declarations::declare_types(&mut scope, files, &mut out);
        }
        let applied = deviations::declare(&mut scope, region, &mut out);
        deviations::apply_extensions(&mut scope, &applied, &mut out);
        declarations::too_many_values(&scope, &mut out);
        for (files, origin) in layers {
            declarations::declare_facts(&mut scope, files, origin, &mut out);
        }
        deviations::apply_requirements(&mut scope, &applied, &mut out);
        deviations::apply_periods(&mut scope, &applied, &mut out);
        let derived =
            declarations::declare_derived(&mut scope, national, region, &applied, &mut out);
        for (files, origin) in layers {
            decisions::declare(&mut scope, files, origin, &mut out);
        }
        decisions::apply_takeovers(&mut scope, &applied, &mut out);
        let (rules, written) = rules::rules(&scope, national, region, &applied, &mut out);
        let rules = priorities::resolve(rules, &written, &mut out);
        let invariants = assertions::invariants(&scope, national, region, &applied, &mut out);
        let examples = assertions::examples(&scope, national, region, &mut out);
        if out.has_errors() {
            return (None, out.into_vec());
        }
        let Scope {
            types,
            facts,
            decisions,
            deviations,
            ..
        } = scope;
        let ruleset = Ruleset {
            name,
            base,
            sources: sources.clone(),
            types,
            facts,
            derived: declarations::complete(derived),
            decisions,
            rules,
            deviations,
            invariants,
            examples,
            source_hash: source_hash(sources),
        };
        // Only now: a rule dropped for an error would make the facts it reads look unused.
        unused::report(&ruleset, region.is_empty(), &mut out);
        (Some(ruleset), out.into_vec())
    }
}

/// SHA-256 over the files' base names and texts, in order.
fn source_hash(sources: &Sources) -> String {
    let mut hasher = Sha256::new();
    for (_, file) in sources.iter() {
        let base_name = file.name.rsplit('/').next().unwrap_or(&file.name);
        hasher.update(base_name.as_bytes());
        hasher.update([0]);
        hasher.update(file.text.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn items(files: &[ParsedFile]) -> impl Iterator<Item = &Item> {
    files.iter().flat_map(|f| f.ast.items.iter())
}

fn interpretations(texts: &[ast::Text]) -> Vec<Interpretation> {
    texts
        .iter()
        .map(|t| Interpretation {
            text: t.value.clone(),
            span: t.span,
        })
        .collect()
}

fn citations(texts: &[ast::Text]) -> Vec<Citation> {
    texts
        .iter()
        .map(|t| Citation {
            text: t.value.clone(),
            span: t.span,
        })
        .collect()
}

pub use crate::table::insert_dotted;
