//! A region's `avsteg` that changes no decision: the region's ruleset checked and compiled
//! without it decides every request as the ruleset with it does. Only a deviation whose
//! absence is proved to change nothing is reported; one whose absence makes the ruleset fail
//! to check (another part needs it) or that cannot be settled is left alone. Extending a type
//! or requiring an optional fact (`kräver`) always changes what is accepted, and striking an
//! invariant changes no decision by design: none of them is asked about.

use super::Tables;
use super::overlap::{Overlap, Pair, View, possible};
use crate::check::{DecisionId, Deviation, DeviationKind, Ruleset, Variants};
use crate::compile::decision_table;
use crate::diagnostic::{Code, Diagnostic};

pub(super) fn deviations(
    ruleset: &Ruleset,
    tables: &Tables,
    variants: &Variants,
    out: &mut Vec<Diagnostic>,
) {
    for dv in &ruleset.deviations {
        match dv.kind {
            DeviationKind::Extend(_)
            | DeviationKind::Require(_)
            | DeviationKind::RemoveInvariant(_) => continue,
            DeviationKind::ReplaceRule(_)
            | DeviationKind::RemoveRule(_)
            | DeviationKind::NewRule
            | DeviationKind::Redefine(_)
            | DeviationKind::ReplaceDecision(_) => {}
        }
        if decides_alone(ruleset, tables, dv) {
            continue;
        }
        let Some(without) = variants.without_deviation(&dv.id) else {
            continue;
        };
        if decides_alike(ruleset, tables, &without, dv) {
            out.push(redundant(dv));
        }
    }
}

/// A cheap sign that a new rule changes decisions, before checking the ruleset again
/// without it: it decides some requests with an outcome and reason that no other rule of
/// its decision, nor the default, gives. (Only a hint, so only used to skip the question.)
fn decides_alone(ruleset: &Ruleset, tables: &Tables, dv: &Deviation) -> bool {
    if dv.kind != DeviationKind::NewRule {
        return false;
    }
    ruleset.decision_ids().any(|d| {
        let Some(view) = tables.view(d) else {
            return false;
        };
        let decision = ruleset.decision(d);
        let ours = |r: &crate::check::Rule| {
            r.deviation
                .is_some_and(|x| ruleset.deviation(x).id == dv.id)
        };
        let rules: Vec<&crate::check::Rule> =
            ruleset.rules_of(d).map(|r| ruleset.rule(r)).collect();
        rules.iter().filter(|r| ours(r)).any(|rule| {
            let gives = &rule.outcome;
            let shared = rules.iter().any(|o| !ours(o) && o.outcome == *gives)
                || decision.default.as_ref() == Some(gives);
            !shared
                && (0..view.table().rows.len())
                    .any(|i| view.rule(i).is_some_and(|w| w.id == rule.id) && possible(view, i))
        })
    })
}

/// True when every decision of `without` is proved to decide every request as the
/// ruleset's own tables do. The decisions the deviation changes directly come first: a
/// difference is usually found there, and the others are compiled only when it is not.
fn decides_alike(ruleset: &Ruleset, tables: &Tables, without: &Ruleset, dv: &Deviation) -> bool {
    let mut decisions: Vec<DecisionId> = ruleset.decision_ids().collect();
    decisions.sort_by_key(|&d| !touches(ruleset, without, dv, d));
    decisions.into_iter().all(|d| {
        let name = &ruleset.decision(d).name;
        let Some(other) = without
            .decision_ids()
            .find(|&o| without.decision(o).name == *name)
        else {
            return false;
        };
        let (Some(with), Some(table)) = (tables.view(d), decision_table(without, other)) else {
            return false;
        };
        View::new(&table).is_some_and(|alt| same(with, &alt))
    })
}

/// Whether the deviation changes the rules of decision `d` directly.
fn touches(ruleset: &Ruleset, without: &Ruleset, dv: &Deviation, d: DecisionId) -> bool {
    let name = &ruleset.decision(d).name;
    match &dv.kind {
        DeviationKind::ReplaceDecision(n) => n == name,
        DeviationKind::RemoveRule(n) => without
            .rules
            .iter()
            .any(|r| r.id == *n && without.decision(r.decision).name == *name),
        _ => ruleset.rules_of(d).any(|r| {
            ruleset
                .rule(r)
                .deviation
                .is_some_and(|x| ruleset.deviation(x).id == dv.id)
        }),
    }
}

/// True when no request is decided differently by the two tables of one decision.
fn same(a: &View, b: &View) -> bool {
    let (ta, tb) = (a.table(), b.table());
    let plain = |t: &crate::table::DecisionTable| -> Vec<_> {
        t.rows
            .iter()
            .map(|r| (r.when.clone(), r.outcome.clone(), r.reason.clone()))
            .collect()
    };
    if ta.columns == tb.columns && plain(ta) == plain(tb) {
        return true;
    }
    let pair = Pair::new(a, b);
    for (i, x) in ta.rows.iter().enumerate() {
        for (j, y) in tb.rows.iter().enumerate() {
            if (&x.outcome, &x.reason) == (&y.outcome, &y.reason) {
                continue;
            }
            if pair.overlap(i, j) != Overlap::Disjoint {
                return false;
            }
        }
    }
    true
}

fn redundant(dv: &Deviation) -> Diagnostic {
    let help = match &dv.kind {
        DeviationKind::ReplaceRule(n) => format!(
            "den nationella regeln `{n}` ger redan samma beslut: ta bort avsteget, eller rätta det så att det ändrar det som regionens rutin kräver"
        ),
        DeviationKind::RemoveRule(n) => format!(
            "den nationella regeln `{n}` avgör ändå aldrig något i regionen: ta bort avsteget"
        ),
        _ => "ta bort avsteget, eller rätta det så att det ändrar det som regionens rutin kräver"
            .to_owned(),
    };
    Diagnostic::warning(
        Code::RedundantDeviation,
        format!("avsteget `{}` ändrar inget beslut", dv.id),
        dv.span,
        "utan avsteget avgörs varje begäran likadant",
    )
    .with_help(help)
}
