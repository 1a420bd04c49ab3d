//! Periods of validity: `gäller från DATUM` and `gäller till och med DATUM` on a rule or a
//! deviation, both days included, read against the request's `datum`.

use crate::check::model::{Period, Type};
use crate::check::scope::Scope;
use crate::check::sink::Diagnostics;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast;

/// The period a rule's (or a deviation's) clauses give, if any; an empty period, or one in a
/// ruleset without a `datum` fact to read it against, is reported.
pub(super) fn period(scope: &Scope, body: &ast::RuleBody, out: &mut Diagnostics) -> Option<Period> {
    let (from, until) = (body.valid_from, body.valid_until);
    let first = from.or(until)?;
    if let (Some(from), Some(until)) = (from, until)
        && from.date > until.date
    {
        out.push(
            Diagnostic::error(
                Code::Period,
                format!(
                    "giltighetstiden är tom: den slutar {} men börjar {}",
                    until.date, from.date
                ),
                until.span,
                "slutar före den börjar",
            )
            .with_label(from.span, "börjar här")
            .with_help("skriv den första dagen efter `gäller från` och den sista efter `gäller till och med`"),
        );
        return None;
    }
    let datum = scope
        .fact_index
        .get("datum")
        .copied()
        .filter(|&f| scope.fact(f).ty == Type::Date);
    let Some(datum) = datum else {
        out.push(
            Diagnostic::error(
                Code::Period,
                "en giltighetstid läses mot faktumet `datum`, som regelverket inte har",
                first.span,
                "inget `datum` att jämföra med",
            )
            .with_help("deklarera dagen en begäran gäller, `fakta datum: datum`, eller ta bort giltighetstiden"),
        );
        return None;
    };
    let span = match (from, until) {
        (Some(a), Some(b)) => a.span.to(b.span),
        _ => first.span,
    };
    Some(Period {
        from: from.map(|d| d.date),
        until: until.map(|d| d.date),
        datum,
        span,
    })
}
