//! # regelverk
//!
//! A rules language and compiler for who may read which entries in Journalen. Rule files
//! go through these steps, one module each:
//!
//! 1. [`syntax`]: text to syntax tree (pest), with Swedish parse errors.
//! 2. [`check`]: names, types and deviations resolved against the national rules, into a
//!    checked [`check::Ruleset`].
//! 3. [`compile`]: the checked rules to a canonical [`table::DecisionTable`] per decision,
//!    with conflicts and gaps reported.
//! 4. [`table`]: the table's formats and its fast, fail-closed evaluation.
//! 5. [`analyze`], [`diff`], [`render`]: invariants proved and the other analyses a rule
//!    author needs (dead rules, redundant deviations, reasons, priorities), examples and
//!    their coverage; semantic diffs; and views.
//!
//! Beside the steps: [`format`] writes a rule file in its canonical layout (`regel fmt`), and
//! [`lsp`] is the language server editors start (`regel lsp`).
//!
//! Problems are [`diagnostic::Diagnostic`]s, rendered in one place.
//!
//! Rule files are read through a [`source::FileProvider`] — the disk, a git revision read in
//! memory, or an editor's unsaved buffers — into [`source::Sources`], which every later step
//! points into with spans. The `regel` command line ([`cli`]) reads every ruleset spec
//! through one input module and fails through one error type.

pub mod analyze;
pub mod check;
pub mod cli;
pub mod codegen;
pub mod compile;
pub mod diagnostic;
pub mod diff;
pub mod format;
pub mod lsp;
pub mod render;
pub mod source;
pub mod syntax;
/// The decision table and its evaluation, a crate of its own so a system can embed decisions
/// without the compiler.
pub use regelverk_table as table;
pub use regelverk_table::time;

use check::{Checked, LoadError};
use diagnostic::Diagnostic;
use source::{FileProvider, Sources};
use std::path::Path;

/// A ruleset directory taken through every step that can find problems: parsed, checked,
/// compiled and analysed (invariants proved, dead rules and the like).
#[derive(Debug)]
pub struct Pipeline {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub ruleset: Option<check::Ruleset>,
    /// The compiled tables, when checking, compiling and analysing found no errors.
    pub compiled: Option<table::CompiledRuleset>,
    /// The compiled tables of a ruleset whose only errors are broken invariants: what its
    /// rules decide, so `regel decide` can confirm a counterexample. Never written by `regel
    /// compile` and never run by `regel test`.
    pub breaking_invariants: Option<table::CompiledRuleset>,
    /// What the analyses found, when the ruleset compiled.
    pub analysis: Option<analyze::Analysis>,
    /// One line for people: what was checked.
    pub summary: String,
}

impl Pipeline {
    /// Reads and checks the ruleset in the directory `dir` on disk.
    pub fn load(dir: &Path) -> Result<Pipeline, LoadError> {
        Ok(Pipeline::from_checked(check::check_dir(dir)?))
    }

    /// Reads and checks the ruleset in the directory `dir` of `files`: the disk, a git
    /// revision, or an editor's unsaved buffers.
    pub fn load_from(files: &dyn FileProvider, dir: &Path) -> Result<Pipeline, LoadError> {
        Ok(Pipeline::from_checked(check::check_in(files, dir)?))
    }

    /// Continues from a checked ruleset.
    pub fn from_checked(checked: Checked) -> Pipeline {
        let Checked {
            sources,
            mut diagnostics,
            ruleset,
            variants,
        } = checked;
        let mut compiled = match &ruleset {
            Some(r) => {
                let (compiled, mut found) = compile::compile(r);
                diagnostics.append(&mut found);
                compiled
            }
            None => None,
        };
        let analysis = match (&ruleset, &compiled) {
            (Some(r), Some(c)) => Some(analyze::analyze(r, c, &variants)),
            _ => None,
        };
        let mut breaking_invariants = None;
        if let Some(a) = &analysis {
            diagnostics.extend(a.diagnostics.iter().cloned());
            if a.diagnostics.iter().any(Diagnostic::is_error) {
                breaking_invariants = compiled.take();
            }
        }
        let summary = match &ruleset {
            Some(r) => format!(
                "{} filer, {} fakta, {} regler, {} avsteg, {} beslut",
                r.sources.iter().count(),
                r.facts.len(),
                r.rules.len(),
                r.deviations.len(),
                r.decisions.len()
            ),
            None => String::new(),
        };
        let rows: usize = compiled
            .iter()
            .flat_map(|c| &c.tables)
            .map(|t| t.rows.len())
            .sum();
        let mut summary = if compiled.is_some() {
            format!("{summary}, {rows} tabellrader")
        } else {
            summary
        };
        if let Some(a) = analysis.as_ref().filter(|_| compiled.is_some()) {
            summary.push_str(&format!(", {} invarianter bevisade", a.proved));
            if a.struck > 0 {
                summary.push_str(&format!(" ({} strukna av regionen)", a.struck));
            }
        }
        Pipeline {
            sources,
            diagnostics,
            ruleset,
            compiled,
            breaking_invariants,
            analysis,
            summary,
        }
    }
}
