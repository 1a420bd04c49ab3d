//! Step five: analyses of a checked ruleset and its compiled tables, one file each, run by
//! [`analyze`] for every ruleset that compiles (so `regel check`, `regel compile` and the
//! tests all run them):
//!
//! - `invariants`: every `invariant` proved over every row of its decision's table, or an
//!   error with a request that breaks it.
//! - `dead`: rules that never decide any request.
//! - `redundant`: a region's `avsteg` that changes no decision.
//! - `reasons`: a `skäl` that looks like a misspelling of another.
//! - `priorities`: a `går före` that never matters.
//!
//! They share `overlap`: whether rows of tables share a real request. [`examples`] and
//! [`coverage`] serve `regel test`.

pub mod coverage;
mod dead;
pub mod examples;
mod invariants;
mod overlap;
mod priorities;
mod reasons;
mod redundant;

use crate::check::{DecisionId, Origin, Ruleset, Variants};
use crate::diagnostic::Diagnostic;
use crate::table::{CompiledRuleset, DecisionTable};
use overlap::View;
use std::cell::OnceCell;

/// What the analyses found.
#[derive(Debug, Default)]
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    /// Invariants proved to hold for every request of their decision.
    pub proved: usize,
    /// National invariants the region strikes (`avsteg … stryker invariant`).
    pub struck: usize,
}

/// Runs every analysis on a ruleset that checked and compiled without errors.
pub fn analyze(ruleset: &Ruleset, compiled: &CompiledRuleset, variants: &Variants) -> Analysis {
    let tables = Tables::new(ruleset, compiled);
    let mut diagnostics = Vec::new();
    let proof = invariants::prove(ruleset, &tables, &mut diagnostics);
    dead::rules(ruleset, &tables, &mut diagnostics);
    redundant::deviations(ruleset, &tables, variants, &mut diagnostics);
    reasons::check(ruleset, &mut diagnostics);
    priorities::check(ruleset, &mut diagnostics);
    Analysis {
        diagnostics,
        proved: proof.proved,
        struck: proof.struck,
    }
}

/// Only the proof of the invariants: what `regel check` spends on them (the benches time it).
pub fn invariants(ruleset: &Ruleset, compiled: &CompiledRuleset) -> Analysis {
    let tables = Tables::new(ruleset, compiled);
    let mut diagnostics = Vec::new();
    let proof = invariants::prove(ruleset, &tables, &mut diagnostics);
    Analysis {
        diagnostics,
        proved: proof.proved,
        struck: proof.struck,
    }
}

/// The compiled tables, one view per decision, each made the first time an analysis asks
/// for it (the proof alone needs only the decisions with invariants).
struct Tables<'c> {
    /// By decision id: the decision's compiled table, if the ruleset has it.
    tables: Vec<Option<&'c DecisionTable>>,
    /// By decision id; `None` for a table that does not load (never one the compiler made).
    views: Vec<OnceCell<Option<View>>>,
}

impl<'c> Tables<'c> {
    fn new(ruleset: &Ruleset, compiled: &'c CompiledRuleset) -> Tables<'c> {
        let tables: Vec<Option<&DecisionTable>> = ruleset
            .decision_ids()
            .map(|d| compiled.table(&ruleset.decision(d).name))
            .collect();
        let views = tables.iter().map(|_| OnceCell::new()).collect();
        Tables { tables, views }
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: `tables` and `views` have one entry per decision of the ruleset they were made for"
    )]
    fn view(&self, decision: DecisionId) -> Option<&View> {
        let i = decision.index();
        self.views[i]
            .get_or_init(|| self.tables[i].and_then(View::new))
            .as_ref()
    }
}

/// Whether a declaration is the checked ruleset's own: every one of a standalone ruleset,
/// the region's in a region (the national ones are the framework's to answer for).
fn own(ruleset: &Ruleset, origin: Origin) -> bool {
    ruleset.base.is_none() || origin == Origin::Region
}
