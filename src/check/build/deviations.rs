//! The region's deviations (`avsteg`): each must make exactly one change and say why
//! (`motivering`) and on what authority (`källa`). The changes to types (`utökar`) and to
//! facts (`kräver`), and the deviations' periods, are applied here; the other passes apply
//! the rest.

use super::{ParsedFile, citations, interpretations, items, periods};
use crate::check::model::*;
use crate::check::scope::Scope;
use crate::check::sink::Diagnostics;
use crate::check::suggest_name;
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
            interpretations: interpretations(&d.body.interpretations),
            kind,
            // Read against `datum`, once the facts are declared: `apply_periods`.
            period: None,
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
            Change::Require(n) => DeviationKind::Require(n.name.clone()),
        }),
        [] => {
            out.push(
                Diagnostic::error(Code::DeviationChange, format!("avsteget `{}` säger inte vad det ändrar", d.id.name), d.id.span, "ingen ändring")
                    .with_help("lägg till en ändring: `ersätter regel N3`, `stryker regel N4`, `stryker invariant \"Titel\"`, `ny regel`, `omdefinierar namn = …`, `utökar Typ med …`, `kräver faktum` eller `ersätter beslut namn`"),
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
            let existing = scope
                .value_position(t, &v.name)
                .and_then(|i| scope.ty(t).values.get(i));
            if let Some(first) = existing {
                out.duplicate("värdet", &v.name, v.span, first.span);
                continue;
            }
            scope.add_value(
                t,
                EnumValue {
                    name: v.name.clone(),
                    span: v.span,
                    added_by: Some(dev),
                },
            );
        }
    }
}

/// The region's `kräver faktum`: a national fact declared `, kan saknas` must be given.
pub(super) fn apply_requirements(
    scope: &mut Scope,
    applied: &[(DeviationId, &ast::DeviationDecl)],
    out: &mut Diagnostics,
) {
    for &(dev, d) in applied {
        let Some((Change::Require(name), _)) = d.changes.first() else {
            continue;
        };
        if out.is_poisoned(&name.name) {
            continue;
        }
        let Some(&f) = scope.fact_index.get(&name.name) else {
            let diag = Diagnostic::error(
                Code::UnknownName,
                format!("okänt faktum `{}`", name.name),
                name.span,
                "inget faktum heter så",
            );
            let facts = scope
                .facts
                .iter()
                .filter(|f| f.optional)
                .map(|f| f.name.as_str());
            out.push(match suggest_name(&name.name, facts) {
                Some(s) => diag.with_help(format!("menade du `{s}`?")),
                None => diag.with_help("`kräver` gör ett nationellt faktum som deklarerats `, kan saknas` obligatoriskt i regionen"),
            });
            continue;
        };
        let fact = scope.fact(f);
        let problem = if fact.origin != Origin::National {
            Some((
                "är regionens eget faktum",
                "deklarera det utan `, kan saknas` i stället för att kräva det",
            ))
        } else if !fact.optional {
            Some((
                "kan redan inte saknas",
                "ta bort avsteget: en begäran utan faktumet ger redan fel",
            ))
        } else {
            None
        };
        if let Some((what, help)) = problem {
            out.push(
                Diagnostic::error(
                    Code::OptionalFact,
                    format!("`{}` {what}", name.name),
                    name.span,
                    "behöver inte krävas",
                )
                .with_label(fact.span, "deklareras här")
                .with_help(help),
            );
            continue;
        }
        if let Some(earlier) = fact.required_by {
            let first = scope.deviation(earlier).span;
            out.duplicate("kravet på", &name.name, name.span, first);
            continue;
        }
        scope.fact_mut(f).required_by = Some(dev);
    }
}

/// The deviations' periods (`gäller från`, `gäller till och med`). A change to a type or a
/// fact, or a decision taken over as a whole, holds at all times: a period there is reported.
pub(super) fn apply_periods(
    scope: &mut Scope,
    applied: &[(DeviationId, &ast::DeviationDecl)],
    out: &mut Diagnostics,
) {
    for &(dev, d) in applied {
        let Some(period) = periods::period(scope, &d.body, out) else {
            continue;
        };
        let timeless = match &scope.deviation(dev).kind {
            DeviationKind::Extend(_) => Some(
                "ett avsteg som utökar en typ gäller alltid: en begäran med det nya värdet avgörs av regionens regler vilket datum det än är",
            ),
            DeviationKind::Require(_) => Some(
                "ett avsteg som kräver ett faktum gäller alltid: vad en begäran ska innehålla beror inte på datum",
            ),
            DeviationKind::ReplaceDecision(_) => Some(
                "ett avsteg som ersätter ett helt beslut gäller alltid; ge i stället regionens regler för beslutet en giltighetstid var",
            ),
            _ => None,
        };
        if let Some(help) = timeless {
            out.push(
                Diagnostic::error(
                    Code::Period,
                    format!("avsteget `{}` kan inte ha en giltighetstid", d.id.name),
                    period.span,
                    "giltighetstid",
                )
                .with_label(d.id.span, "avsteget")
                .with_help(help),
            );
            continue;
        }
        scope.deviation_mut(dev).period = Some(period);
    }
}
