//! A region's `avsteg` that changes no decision: the region's ruleset checked and compiled
//! without it decides every request as the ruleset with it does. Only a deviation whose
//! absence is proved to change nothing is reported; one whose absence makes the ruleset fail
//! to check (another part needs it) or that cannot be settled is left alone. Extending a type
//! always changes what is accepted, and striking an invariant changes no decision by design:
//! neither is asked about.

use super::Tables;
use super::overlap::{Overlap, View, overlap};
use crate::check::{Deviation, DeviationKind, Ruleset, Variants};
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
            DeviationKind::Extend(_) | DeviationKind::RemoveInvariant(_) => continue,
            DeviationKind::ReplaceRule(_)
            | DeviationKind::RemoveRule(_)
            | DeviationKind::NewRule
            | DeviationKind::Redefine(_)
            | DeviationKind::ReplaceDecision(_) => {}
        }
        let Some(without) = variants.without_deviation(&dv.id) else {
            continue;
        };
        if decides_alike(ruleset, tables, &without) {
            out.push(redundant(dv));
        }
    }
}

/// True when every decision of `without` is proved to decide every request as the
/// ruleset's own tables do.
fn decides_alike(ruleset: &Ruleset, tables: &Tables, without: &Ruleset) -> bool {
    ruleset.decision_ids().all(|d| {
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
    for (i, x) in ta.rows.iter().enumerate() {
        for (j, y) in tb.rows.iter().enumerate() {
            if (&x.outcome, &x.reason) == (&y.outcome, &y.reason) {
                continue;
            }
            if overlap(&[(a, i), (b, j)]) != Overlap::Disjoint {
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
