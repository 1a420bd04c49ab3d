//! The assertion passes: `invariant`s, which the compiled table must satisfy (national
//! ones in every region too, unless the region strikes them), and `exempel`, requests with
//! the outcome they must get.

use super::{ParsedFile, citations, insert_dotted, interpretations, items};
use crate::check::guards::{Facts, Guard};
use crate::check::model::*;
use crate::check::scope::{Scope, outcome};
use crate::check::sink::Diagnostics;
use crate::check::suggest_name;
use crate::check::types::Env;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::syntax::ast::{self, Change, Item};
use std::collections::HashMap;

/// The invariants of the national files and the region's, with the national ones the
/// region strikes (`avsteg … stryker invariant "Titel"`) marked.
pub(super) fn invariants(
    scope: &Scope,
    national: &[ParsedFile],
    region: &[ParsedFile],
    applied: &[(DeviationId, &ast::DeviationDecl)],
    out: &mut Diagnostics,
) -> Vec<Invariant> {
    let mut result = Vec::new();
    let layers = [(national, Origin::National), (region, Origin::Region)];
    for (files, origin) in layers {
        for item in items(files) {
            let Item::Invariant(inv) = item else { continue };
            result.extend(invariant(scope, inv, origin, out));
        }
    }
    strike(&mut result, applied, out);
    result
}

fn invariant(
    scope: &Scope,
    inv: &ast::InvariantDecl,
    origin: Origin,
    out: &mut Diagnostics,
) -> Option<Invariant> {
    let title_span = inv.title.as_ref().map_or(inv.span, |t| t.span);
    let Some(name) = &inv.decision else {
        out.push(
            Diagnostic::error(
                Code::MissingClause,
                "invarianten säger inte vilket beslut den gäller",
                title_span,
                "här behövs `beslut`",
            )
            .with_help("lägg till en rad `beslut direktåtkomst`"),
        );
        return None;
    };
    let Some(assertion) = &inv.assertion else {
        out.push(
            Diagnostic::error(
                Code::MissingClause,
                "invarianten säger inte vad som ska gälla",
                title_span,
                "här behövs `alltid` eller `aldrig`",
            )
            .with_help("skriv t.ex. `aldrig visa när patient.försegling = av_patienten`"),
        );
        return None;
    };
    let decision = scope.decision_named(name, out)?;
    let condition = Env::of(scope).condition(&assertion.condition, out);
    let outcome = outcome(scope.decision(decision), &assertion.outcome, out);
    if condition.is_some() {
        Guard::reporting(scope, out).expr(&assertion.condition, &Facts::new());
    }
    let (condition, outcome) = (condition?, outcome?);
    Some(Invariant {
        // The title is optional.
        title: inv
            .title
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_default(),
        sources: citations(&inv.sources),
        interpretations: interpretations(&inv.interpretations),
        decision,
        quantifier: assertion.quantifier,
        outcome: outcome.value,
        reason: outcome.reason,
        condition,
        span: title_span,
        origin,
        struck_by: None,
    })
}

/// Marks the national invariants the region's deviations strike. A title that names no
/// national invariant, one of the region's own, or one struck already is reported.
fn strike(
    invariants: &mut [Invariant],
    applied: &[(DeviationId, &ast::DeviationDecl)],
    out: &mut Diagnostics,
) {
    for &(dev, d) in applied {
        let Some((Change::RemoveInvariant(title), _)) = d.changes.first() else {
            continue;
        };
        let mut found = false;
        for inv in invariants
            .iter_mut()
            .filter(|i| i.origin == Origin::National && i.title == title.value)
        {
            found = true;
            match inv.struck_by {
                Some(_) => out.push(
                    Diagnostic::error(
                        Code::Duplicate,
                        format!(
                            "invarianten \"{}\" stryks redan av ett annat avsteg",
                            title.value
                        ),
                        title.span,
                        "en gång till här",
                    )
                    .with_help("stryk invarianten i ett enda avsteg"),
                ),
                None => inv.struck_by = Some(dev),
            }
        }
        if !found {
            unknown_national_invariant(title, invariants, out);
        }
    }
}

fn unknown_national_invariant(title: &ast::Text, invariants: &[Invariant], out: &mut Diagnostics) {
    let own = invariants
        .iter()
        .find(|i| i.origin == Origin::Region && i.title == title.value);
    let d = Diagnostic::error(
        Code::UnknownNationalInvariant,
        format!("det finns ingen nationell invariant \"{}\"", title.value),
        title.span,
        "okänd invariant",
    );
    if let Some(own) = own {
        out.push(
            d.with_label(own.span, "regionens egen invariant")
                .with_help("en region stryker bara nationella invarianter; ta bort eller ändra regionens egen invariant i stället"),
        );
        return;
    }
    let national = invariants
        .iter()
        .filter(|i| i.origin == Origin::National)
        .map(|i| i.title.as_str());
    out.push(match suggest_name(&title.value, national) {
        Some(s) => d.with_help(format!("menade du \"{s}\"?")),
        None => {
            d.with_help("skriv titeln på en `invariant` i det nationella ramverket, ord för ord")
        }
    });
}

/// The examples the ruleset runs: a region runs its own, since the national ones describe
/// the national outcome.
pub(super) fn examples(
    scope: &Scope,
    national: &[ParsedFile],
    region: &[ParsedFile],
    out: &mut Diagnostics,
) -> Vec<Example> {
    let files = if region.is_empty() { national } else { region };
    items(files)
        .filter_map(|item| match item {
            Item::Example(ex) => example(scope, ex, out),
            _ => None,
        })
        .collect()
}

fn example(scope: &Scope, ex: &ast::ExampleDecl, out: &mut Diagnostics) -> Option<Example> {
    let Some(name) = &ex.decision else {
        out.push(
            Diagnostic::error(
                Code::MissingClause,
                format!(
                    "exemplet \"{}\" säger inte vilket beslut det gäller",
                    ex.title.value
                ),
                ex.title.span,
                "här behövs `beslut`",
            )
            .with_help("lägg till en rad `beslut direktåtkomst`"),
        );
        return None;
    };
    let decision = scope.decision_named(name, out)?;
    let expected = match &ex.expectation {
        Some(ast::Expectation::Error(_)) => Expected::Error,
        Some(ast::Expectation::Outcome(o)) => {
            outcome(scope.decision(decision), o, out)?;
            let shown_from = match &o.shown_from {
                Some(e) => Some(expected_date(e, out)?),
                None => None,
            };
            Expected::Outcome {
                value: o.value.name.clone(),
                reason: o.reason.as_ref().map(|r| r.name.clone()),
                shown_from,
            }
        }
        None => {
            out.push(
                Diagnostic::error(
                    Code::MissingClause,
                    format!("exemplet \"{}\" säger inte vad som väntas", ex.title.value),
                    ex.title.span,
                    "här behövs `förväntat`",
                )
                .with_help("avsluta exemplet med t.ex. `förväntat visa` eller `förväntat fel`"),
            );
            return None;
        }
    };
    // An example that expects an error may show that a wrong fact or value is refused.
    let lenient = expected == Expected::Error;
    let mut request = serde_json::Map::new();
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let mut ok = true;
    for (fact, value, span) in &ex.facts {
        if let Some(&first) = seen.get(fact.name.as_str()) {
            out.duplicate("faktumet", &fact.name, fact.span, first);
            ok = false;
            continue;
        }
        seen.insert(&fact.name, fact.span);
        if !lenient && !value_ok(scope, fact, value, *span, out) {
            ok = false;
        }
        insert_dotted(&mut request, &fact.name, json_of(value));
    }
    ok.then(|| Example {
        title: ex.title.value.clone(),
        decision,
        request: serde_json::Value::Object(request),
        expected,
        span: ex.span,
    })
}

/// Whether an example's value is one the fact can have; if not, it is reported.
fn value_ok(
    scope: &Scope,
    fact: &ast::Ident,
    value: &ast::Value,
    span: Span,
    out: &mut Diagnostics,
) -> bool {
    if out.is_poisoned(&fact.name) {
        return false;
    }
    let Some(&id) = scope.fact_index.get(&fact.name) else {
        let d = Diagnostic::error(
            Code::UnknownName,
            format!("okänt faktum `{}`", fact.name),
            fact.span,
            "inget faktum heter så",
        );
        let suggestion = suggest_name(&fact.name, scope.fact_index.keys().map(String::as_str));
        out.push(match suggestion {
            Some(s) => d.with_help(format!("menade du `{s}`? (skriv `förväntat fel` om exemplet ska visa att ett felstavat faktum avvisas)")),
            None => d.with_help("ett exempel anger fakta som deklarerats med `fakta`; härledda fakta räknas fram"),
        });
        return false;
    };
    let ty = scope.fact(id).ty;
    Env::of(scope)
        .value_for(ty, value, span, &fact.name, out)
        .is_some()
}

/// A value as it appears in a JSON request.
fn json_of(value: &ast::Value) -> serde_json::Value {
    use ast::Literal::*;
    match value {
        ast::Value::Literal(Bool(b)) => serde_json::Value::Bool(*b),
        ast::Value::Literal(Int(n)) => serde_json::Value::from(*n),
        ast::Value::Literal(Date(d)) => serde_json::Value::String(d.to_string()),
        ast::Value::Literal(Text(t)) => serde_json::Value::String(t.clone()),
        ast::Value::Name(n) => serde_json::Value::String(n.name.clone()),
    }
}

/// An example's `förväntat … visas från DATUM`: a date as written, the answer the decision
/// must give.
fn expected_date(e: &ast::Expr, out: &mut Diagnostics) -> Option<crate::time::Date> {
    if let ast::ExprKind::Literal(ast::Literal::Date(d)) = e.kind {
        return Some(d);
    }
    out.push(
        Diagnostic::error(
            Code::ShownFrom,
            "ett exempel väntar sig ett datum efter `visas från`",
            e.span,
            "inget datum",
        )
        .with_help("skriv dagen beslutet ska ange, t.ex. `förväntat dölj skäl osignerad visas från 2022-03-01`"),
    );
    None
}
