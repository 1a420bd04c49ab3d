//! The decision pass: `beslut` with its outcomes and default, national first. A region
//! takes a national decision over only through `avsteg … ersätter beslut`.

use super::{ParsedFile, citations, items};
use crate::check::model::*;
use crate::check::scope::{Scope, outcome};
use crate::check::sink::Diagnostics;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{self, Change, Item};

pub(super) fn declare(
    scope: &mut Scope,
    files: &[ParsedFile],
    origin: Origin,
    out: &mut Diagnostics,
) {
    for item in items(files) {
        let Item::Decision(d) = item else { continue };
        if let Some(&i) = scope.decision_index.get(&d.name.name) {
            let first = scope.decision(i).span;
            if origin == Origin::Region {
                out.push(
                    Diagnostic::error(Code::Duplicate, format!("beslutet `{}` finns redan i det nationella ramverket", d.name.name), d.name.span, "deklareras om här")
                        .with_label(first, "det nationella beslutet")
                        .with_help(format!("ta över beslutet med ett avsteg: `avsteg ID \"…\" motivering \"…\" källa \"…\" ersätter beslut {}`", d.name.name)),
                );
            } else {
                out.duplicate("beslutet", &d.name.name, d.name.span, first);
            }
            continue;
        }
        let mut decision = Decision {
            name: d.name.name.clone(),
            outcomes: d.outcomes.iter().map(|o| o.name.clone()).collect(),
            default: None,
            sources: citations(&d.sources),
            span: d.name.span,
            replaced_by: None,
        };
        decision.default = d.default.as_ref().and_then(|o| outcome(&decision, o, out));
        scope.add_decision(decision);
    }
}

/// The region's `ersätter beslut`: the decision's national rules give way to the region's,
/// and the deviation may give it a new default.
pub(super) fn apply_takeovers(
    scope: &mut Scope,
    applied: &[(DeviationId, &ast::DeviationDecl)],
    out: &mut Diagnostics,
) {
    for &(dev, d) in applied {
        let Some((Change::ReplaceDecision(name), _)) = d.changes.first() else {
            continue;
        };
        let Some(i) = scope.decision_named(name, out) else {
            continue;
        };
        let default = d
            .default
            .as_ref()
            .map(|o| outcome(scope.decision(i), o, out));
        let decision = scope.decision_mut(i);
        decision.replaced_by = Some(dev);
        if let Some(default) = default {
            decision.default = default;
            decision.sources = citations(&d.body.sources);
        }
    }
}

/// Whether the national files declare a decision named `name` (a region is being checked).
pub(super) fn is_national(scope: &Scope, name: &str, national: &[ParsedFile]) -> bool {
    scope.is_region
        && items(national).any(|i| matches!(i, Item::Decision(d) if d.name.name == name))
}
