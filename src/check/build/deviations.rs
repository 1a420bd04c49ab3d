//! The region's deviations (`avsteg`): each must make exactly one change and say why
//! (`motivering`) and on what authority (`källa`). The changes to types (`utökar`) are
//! applied here; the other passes apply the rest.

use super::{ParsedFile, citations, items};
use crate::check::model::*;
use crate::check::scope::Scope;
use crate::check::sink::Diagnostics;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{self, Change, Item};

/// Declares the region's deviations. Returns those that make exactly one change, each
/// with its id: the deviations the other passes apply.
pub(super) fn declare<'a>(
    scope: &mut Scope,
    region: &'a [ParsedFile],
    out: &mut Diagnostics,
) -> Vec<(DeviationId, &'a ast::DeviationDecl)> {
    let mut applied = Vec::new();
    for item in items(region) {
        let Item::Deviation(d) = item else { continue };
        let Some(kind) = kind(d, out) else {
            continue;
        };
        if d.motivation.is_none() {
            out.push(
                Diagnostic::error(
                    Code::MissingMotivation,
                    format!("avsteget `{}` saknar motivering", d.id.name),
                    d.id.span,
                    "här behövs en `motivering`",
                )
                .with_help(
                    "skriv varför regionen avviker, med regionens egna ord: `motivering \"…\"`",
                ),
            );
        }
        if d.body.sources.is_empty() {
            out.push(
                Diagnostic::error(Code::MissingSource, format!("avsteget `{}` saknar källa", d.id.name), d.id.span, "här behövs en `källa`")
                    .with_help("ange dokumentet och avsnittet som avsteget bygger på, t.ex. `källa \"RJH rutin 3.4\"`"),
            );
        }
        let makes_rule = matches!(kind, DeviationKind::ReplaceRule(_) | DeviationKind::NewRule);
        if !makes_rule {
            stray_rule_clauses(d, out);
        }
        let id = scope.add_deviation(Deviation {
            id: d.id.name.clone(),
            title: d.title.value.clone(),
            // A missing motivering was reported above.
            motivation: d
                .motivation
                .as_ref()
                .map(|m| m.value.clone())
                .unwrap_or_default(),
            sources: citations(&d.body.sources),
            kind,
            span: d.id.span,
        });
        applied.push((id, d));
    }
    applied
}

/// The one change a deviation makes; none, or more than one, is reported.
fn kind(d: &ast::DeviationDecl, out: &mut Diagnostics) -> Option<DeviationKind> {
    match d.changes.as_slice() {
        [(change, _)] => Some(match change {
            Change::ReplaceRule(id) => DeviationKind::ReplaceRule(id.name.clone()),
            Change::RemoveRule(id) => DeviationKind::RemoveRule(id.name.clone()),
            Change::RemoveInvariant(title) => DeviationKind::RemoveInvariant(title.value.clone()),
            Change::NewRule(_) => DeviationKind::NewRule,
            Change::Redefine { name, .. } => DeviationKind::Redefine(name.name.clone()),
            Change::Extend { ty, .. } => DeviationKind::Extend(ty.name.clone()),
            Change::ReplaceDecision(n) => DeviationKind::ReplaceDecision(n.name.clone()),
        }),
        [] => {
            out.push(
                Diagnostic::error(Code::DeviationChange, format!("avsteget `{}` säger inte vad det ändrar", d.id.name), d.id.span, "ingen ändring")
                    .with_help("lägg till en ändring: `ersätter regel N3`, `stryker regel N4`, `stryker invariant \"Titel\"`, `ny regel`, `omdefinierar namn = …`, `utökar Typ med …` eller `ersätter beslut namn`"),
            );
            None
        }
        [(_, first), (_, second), ..] => {
            out.push(
                Diagnostic::error(
                    Code::DeviationChange,
                    format!("avsteget `{}` gör mer än en ändring", d.id.name),
                    *second,
                    "andra ändringen",
                )
                .with_label(*first, "första ändringen")
                .with_help("skriv ett `avsteg` för varje ändring, med sin egen motivering"),
            );
            None
        }
    }
}

/// `om … då …` in a deviation that makes no rule.
fn stray_rule_clauses(d: &ast::DeviationDecl, out: &mut Diagnostics) {
    let b = &d.body;
    let stray = b
        .condition
        .as_ref()
        .map(|e| e.span)
        .or(b.outcome.as_ref().map(|o| o.span));
    if let Some(span) = stray {
        out.push(
            Diagnostic::error(Code::DeviationChange, "den här sortens avsteg har inget `om` eller `då`", span, "hör inte hit")
                .with_label(d.id.span, "avsteget")
                .with_help("bara `ersätter regel` och `ny regel` tar `om … då …`; ta bort raderna eller byt ändring"),
        );
    }
}

/// The region's `utökar Typ med …`: new values at the end of a national type.
pub(super) fn apply_extensions(
    scope: &mut Scope,
    applied: &[(DeviationId, &ast::DeviationDecl)],
    out: &mut Diagnostics,
) {
    for &(dev, d) in applied {
        let Some((Change::Extend { ty, values }, _)) = d.changes.first() else {
            continue;
        };
        let Some(t) = scope.type_named(ty, out) else {
            continue;
        };
        for v in values {
            let existing = scope.ty(t).values.iter().find(|e| e.name == v.name);
            if let Some(first) = existing {
                out.duplicate("värdet", &v.name, v.span, first.span);
                continue;
            }
            scope.ty_mut(t).values.push(EnumValue {
                name: v.name.clone(),
                span: v.span,
                added_by: Some(dev),
            });
        }
    }
}
