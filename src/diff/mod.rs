//! Step five: the semantic diff of decision tables. Not a diff of text: the regions of the
//! input space where tables decide differently.
//!
//! 1. [`space`]: the tables' columns matched by what they read, into one shared space where
//!    every row is a box of cell sets.
//! 2. `product`: the boxes of every table intersected (pruned by an index of cells), each
//!    intersection that decides differently confirmed by a concrete request that the real
//!    evaluators decide that way.
//! 3. `merge`: intersections grouped by what every table decides, each group covered by
//!    few exact boxes (`cover`: grown one condition at a time, only while every request
//!    inside is still decided alike), each box described by the conditions it keeps.
//!
//! The steps run forward: `model` (what a diff says) ← [`space`] ← `product` ← `cover` ←
//! `describe` (with `phrase`) ← `merge` ← this driver.
//!
//! [`overview`] is `regel compare`: the first ruleset against each later one, pairwise, the
//! same change in the same situation by several regions said once.
//!
//! Only `utfall` and `skäl` count: renaming a rule or moving it to another file is no
//! difference. [`deviations`] ties each difference to the region's `avsteg`.

mod cover;
mod describe;
pub mod deviations;
mod locate;
mod merge;
mod model;
pub mod overview;
mod phrase;
mod product;
pub mod space;
mod texts;

pub use model::{
    CauseGroup, Condition, DecisionDiff, DeviationRef, Diff, DiffError, Difference, FactChange,
    Heading, Refusal, RuleRef, Side, TextChange, by_cause, conditions_text, except_text, or_list,
};

pub use locate::{Locator, Placed};
pub use overview::{Overview, overview};

use crate::table::{CompiledRuleset, DecisionTable};

/// The differences between two tables of one decision.
pub fn diff(old: &DecisionTable, new: &DecisionTable) -> Result<DecisionDiff, DiffError> {
    compare(&[old, new])
}

/// The situations where the tables (of one decision) do not all decide alike.
pub fn compare(tables: &[&DecisionTable]) -> Result<DecisionDiff, DiffError> {
    let Some(first) = tables.first() else {
        return Err(DiffError("inga tabeller att jämföra".to_owned()));
    };
    let product = product::Product::new(tables)?;
    let differences = merge::describe(&product, product.confirmed());
    Ok(DecisionDiff {
        decision: first.decision.clone(),
        differences,
        notes: product.space.notes.clone(),
    })
}

/// The differences between two compiled rulesets, for one decision or all.
pub fn diff_rulesets(
    old: &CompiledRuleset,
    new: &CompiledRuleset,
    decision: Option<&str>,
) -> Result<Diff, DiffError> {
    compare_rulesets(&[old, new], decision)
}

/// Compares rulesets decision by decision. A decision that only some have is a note.
pub fn compare_rulesets(
    rulesets: &[&CompiledRuleset],
    decision: Option<&str>,
) -> Result<Diff, DiffError> {
    let mut names: Vec<&str> = Vec::new();
    for r in rulesets {
        for t in &r.tables {
            if !names.contains(&t.decision.as_str()) {
                names.push(&t.decision);
            }
        }
    }
    if let Some(wanted) = decision
        && !names.contains(&wanted)
    {
        return Err(DiffError(format!(
            "inget av regelverken har beslutet `{wanted}`; de har: {}",
            names.join(", ")
        )));
    }
    let mut decisions = Vec::new();
    for name in names {
        if decision.is_none_or(|w| w == name) {
            decisions.push(compare_decision(rulesets, name)?);
        }
    }
    Ok(Diff {
        rulesets: rulesets.iter().map(|r| r.ruleset.clone()).collect(),
        decisions,
        deviations: new_deviations(rulesets),
        texts: texts::text_changes(rulesets, decision),
        facts: texts::fact_changes(rulesets, decision),
    })
}

/// One decision across the rulesets; a note when only some of them have it.
fn compare_decision(rulesets: &[&CompiledRuleset], name: &str) -> Result<DecisionDiff, DiffError> {
    let tables: Vec<Option<&DecisionTable>> = rulesets.iter().map(|r| r.table(name)).collect();
    if tables.iter().all(Option::is_some) {
        let tables: Vec<&DecisionTable> = tables.into_iter().flatten().collect();
        let mut diff = compare(&tables)?;
        diff.notes.extend(struck_invariants(&tables, name));
        return Ok(diff);
    }
    let (with, without): (Vec<_>, Vec<_>) =
        rulesets.iter().zip(&tables).partition(|(_, t)| t.is_some());
    let list = |v: &[(&&CompiledRuleset, &Option<&DecisionTable>)]| {
        v.iter()
            .map(|(r, _)| format!("`{}`", r.ruleset))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Ok(DecisionDiff {
        decision: name.to_owned(),
        differences: Vec::new(),
        notes: vec![format!(
            "beslutet `{name}` finns i {} men inte i {}: där ger varje begäran fel",
            list(&with),
            list(&without)
        )],
    })
}

/// A note for each invariant of the decision that a later ruleset strikes and the first
/// does not: a promise the region no longer makes, though no decision need change.
fn struck_invariants(tables: &[&DecisionTable], decision: &str) -> Vec<String> {
    // (title, deviation, when it no longer holds)
    let struck = |t: &DecisionTable| -> Vec<(String, String, String)> {
        t.deviations
            .iter()
            .filter_map(|d| {
                let when = match d.period {
                    Some(p) => format!("inte där {p}"),
                    None => "inte längre där".to_owned(),
                };
                d.struck_invariant
                    .as_ref()
                    .filter(|s| s.decision == decision)
                    .map(|s| (s.title.clone(), d.id.clone(), when))
            })
            .collect()
    };
    let Some((first, later)) = tables.split_first() else {
        return Vec::new();
    };
    let before = struck(first);
    let mut notes = Vec::new();
    for t in later {
        for (title, id, when) in struck(t) {
            if !before.iter().any(|(b, ..)| *b == title) {
                let note = format!(
                    "`{}` stryker invarianten \"{title}\" (avsteg {id}): den gäller {when}",
                    t.ruleset
                );
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
    }
    notes
}

/// The deviations (`avsteg`) of the later rulesets that the first does not have, each once.
fn new_deviations(rulesets: &[&CompiledRuleset]) -> Vec<DeviationRef> {
    let known: Vec<&str> = rulesets
        .first()
        .into_iter()
        .flat_map(|r| &r.tables)
        .flat_map(|t| &t.deviations)
        .map(|d| d.id.as_str())
        .collect();
    let mut deviations: Vec<DeviationRef> = Vec::new();
    for d in rulesets
        .iter()
        .skip(1)
        .flat_map(|r| &r.tables)
        .flat_map(|t| &t.deviations)
    {
        if !known.contains(&d.id.as_str()) && !deviations.iter().any(|x| x.id == d.id) {
            deviations.push(DeviationRef {
                id: d.id.clone(),
                title: d.title.clone(),
                motivering: d.motivering.clone(),
                sources: d.sources.iter().map(|s| s.text.clone()).collect(),
                location: d.location.clone(),
                period: d.period.map(|p| p.to_string()),
            });
        }
    }
    deviations
}
