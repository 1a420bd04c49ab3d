//! Invariants proved over the compiled table, exhaustively: every row of the decision's
//! table is a box of requests with one outcome, and the rows together are every request.
//! `aldrig UTFALL när VILLKOR` is broken iff a row with that outcome (and reason, when the
//! invariant names one) shares a request with VILLKOR; `alltid` iff a row with another
//! outcome does. VILLKOR is compiled on its own into rows the same way, and each candidate
//! pair of rows is settled by `overlap::Pair`: ruled out, or confirmed by a request that the
//! decision's own evaluator decides with the forbidden outcome. A pair that can be neither
//! ruled out nor confirmed is an error too: an invariant is proved or it is not.

use super::Tables;
use super::overlap::{Overlap, Pair, View, situation};
use crate::check::{Expr, Invariant, Origin, Ruleset};
use crate::compile::condition_table;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::Quantifier;
use crate::table::Row;
use serde_json::Value as Json;

/// How many invariants were proved and struck.
pub(super) struct Proof {
    pub proved: usize,
    pub struck: usize,
}

/// A row that breaks an invariant, with a request in it.
struct Broken {
    row: usize,
    condition_row: usize,
    request: Json,
}

/// Proves every invariant the ruleset does not strike.
pub(super) fn prove(ruleset: &Ruleset, tables: &Tables, out: &mut Vec<Diagnostic>) -> Proof {
    let mut proof = Proof {
        proved: 0,
        struck: 0,
    };
    for inv in &ruleset.invariants {
        // Struck for a period, an invariant still holds outside it: proved for the requests
        // whose `datum` falls outside the period.
        let struck_during = inv.struck_by.map(|dv| ruleset.deviation(dv).period);
        let condition = match struck_during {
            None => inv.condition.clone(),
            Some(None) => {
                proof.struck += 1;
                continue;
            }
            Some(Some(period)) => {
                proof.struck += 1;
                Expr::And(vec![
                    inv.condition.clone(),
                    Expr::Not(Box::new(period.condition())),
                ])
            }
        };
        let decision = ruleset.decision(inv.decision);
        let table = tables.view(inv.decision);
        let condition = condition_table(ruleset, &condition, "villkor", inv.span)
            .as_ref()
            .and_then(View::new);
        let (Some(table), Some(condition)) = (table, condition) else {
            out.push(
                undecided(inv, &decision.name)
                    .with_note("villkoret eller beslutets tabell är för stort att pröva"),
            );
            continue;
        };
        match check(ruleset, inv, table, &condition) {
            Verdict::Holds => proof.proved += 1,
            Verdict::Broken(broken) => {
                for b in broken {
                    out.push(broken_diagnostic(ruleset, inv, table, &condition, &b));
                }
            }
            Verdict::Unknown(row, condition_row) => {
                let mut d = undecided(inv, &decision.name).with_note(format!(
                    "när {}",
                    situation(&[(table, row), (&condition, condition_row)])
                ));
                if let Some(rule) = rule_of(ruleset, inv, table, row) {
                    d = d.with_label(rule.span, "den här regelns fall gick inte att avgöra");
                }
                out.push(d);
            }
        }
    }
    proof
}

enum Verdict {
    Holds,
    /// One broken row per deciding rule (or the default).
    Broken(Vec<Broken>),
    /// A row and a condition row that could be neither ruled out nor confirmed.
    Unknown(usize, usize),
}

/// Every row of the table against every row where the condition holds.
fn check(ruleset: &Ruleset, inv: &Invariant, table: &View, condition: &View) -> Verdict {
    let outcome = ruleset.decision(inv.decision).outcome_name(inv.outcome);
    let named = |row: &Row| {
        row.outcome == outcome
            && inv
                .reason
                .as_ref()
                .is_none_or(|r| row.reason.as_ref() == Some(r))
    };
    let forbidden = |row: &Row| match inv.quantifier {
        Quantifier::Never => named(row),
        Quantifier::Always => !named(row),
    };
    let holds: Vec<usize> = condition
        .table()
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.outcome == "sant")
        .map(|(i, _)| i)
        .collect();
    let pair = Pair::new(table, condition);
    let mut broken: Vec<Broken> = Vec::new();
    let mut unknown = None;
    for (i, row) in table.table().rows.iter().enumerate() {
        if !forbidden(row) {
            continue;
        }
        // One request per deciding rule is enough to show it.
        let rule = row.rule;
        if broken.iter().any(|b| table.row(b.row).rule == rule) {
            continue;
        }
        for &c in &holds {
            match pair.overlap(i, c) {
                Overlap::Disjoint => {}
                Overlap::Found(request) => {
                    broken.push(Broken {
                        row: i,
                        condition_row: c,
                        request,
                    });
                    break;
                }
                Overlap::Unknown => {
                    unknown.get_or_insert((i, c));
                }
            }
        }
    }
    match (broken.is_empty(), unknown) {
        (false, _) => Verdict::Broken(broken),
        (true, Some((row, c))) => Verdict::Unknown(row, c),
        (true, None) => Verdict::Holds,
    }
}

/// The rule that decides a row of the table, in the checked ruleset.
fn rule_of<'r>(
    ruleset: &'r Ruleset,
    inv: &Invariant,
    table: &View,
    row: usize,
) -> Option<&'r crate::check::Rule> {
    let id = &table.rule(row)?.id;
    let found = ruleset
        .rules_of(inv.decision)
        .map(|r| ruleset.rule(r))
        .find(|r| r.id == *id);
    match found {
        Some(rule) => Some(rule),
        None => unreachable!(
            "INVARIANT: the decision's table names only the decision's rules, compiled from this ruleset"
        ),
    }
}

fn assertion(ruleset: &Ruleset, inv: &Invariant) -> String {
    let word = match inv.quantifier {
        Quantifier::Never => "aldrig",
        Quantifier::Always => "alltid",
    };
    let outcome = ruleset.decision(inv.decision).outcome_name(inv.outcome);
    match &inv.reason {
        Some(r) => format!("{word} {outcome} skäl {r}"),
        None => format!("{word} {outcome}"),
    }
}

fn given(row: &Row) -> String {
    match &row.reason {
        Some(r) => format!("{} (skäl {r})", row.outcome),
        None => row.outcome.clone(),
    }
}

fn broken_diagnostic(
    ruleset: &Ruleset,
    inv: &Invariant,
    table: &View,
    condition: &View,
    b: &Broken,
) -> Diagnostic {
    let decision = ruleset.decision(inv.decision);
    let row = table.row(b.row);
    let rule = rule_of(ruleset, inv, table, b.row);
    let who = match rule {
        Some(r) => format!("regeln `{}`", r.id),
        None => "standardutfallet".to_owned(),
    };
    let mut d = Diagnostic::error(
        Code::InvariantBroken,
        format!(
            "invarianten \"{}\" håller inte: {who} ger {}",
            inv.title,
            given(row)
        ),
        inv.span,
        assertion(ruleset, inv),
    );
    match rule {
        Some(r) => {
            d = d.with_label(r.span, format!("ger {}", given(row)));
            if let Some(dv) = r.deviation.map(|dv| ruleset.deviation(dv))
                && dv.span != r.span
            {
                d = d.with_label(dv.span, format!("avsteget `{}`", dv.id));
            }
        }
        None => {
            d = d.with_label(
                decision.span,
                format!("standardutfallet ger {}", given(row)),
            )
        }
    }
    if let Some(dv) = inv.struck_by {
        let dv = ruleset.deviation(dv);
        if let Some(period) = dv.period {
            d = d.with_label(
                dv.span,
                format!("stryker invarianten bara {}", table_period(period)),
            );
        }
    }
    d.with_help(help(ruleset, inv, rule))
        .with_note(format!(
            "när {}",
            situation(&[(table, b.row), (condition, b.condition_row)])
        ))
        .with_note(format!(
            "motexempel för `regel decide --decision {}`: {}",
            decision.name, b.request
        ))
}

fn help(ruleset: &Ruleset, inv: &Invariant, rule: Option<&crate::check::Rule>) -> String {
    let outcome = ruleset.decision(inv.decision).outcome_name(inv.outcome);
    let fix = match (inv.quantifier, rule) {
        (Quantifier::Never, Some(r)) => format!(
            "snäva in villkoret i `{}` så att den inte ger {outcome} här, eller låt en regel med ett annat utfall gå före den",
            r.id
        ),
        (Quantifier::Never, None) => {
            format!("låt en regel med ett annat utfall än {outcome} avgöra det här fallet")
        }
        (Quantifier::Always, Some(r)) => {
            format!(
                "låt en regel som ger {outcome} gå före `{}` i det här fallet",
                r.id
            )
        }
        (Quantifier::Always, None) => {
            format!("låt en regel som ger {outcome} avgöra det här fallet")
        }
    };
    if let Some(dv) = inv.struck_by {
        // Struck only for a period: the case falls outside it.
        format!(
            "{fix}, eller låt avsteget `{}` stryka invarianten även den dag motexemplet gäller",
            ruleset.deviation(dv).id
        )
    } else if ruleset.base.is_some() && inv.origin == Origin::National {
        format!(
            "{fix}; avviker regionen medvetet från det nationella ramverket, stryk invarianten: `avsteg ID \"…\" motivering \"…\" källa \"…\" stryker invariant \"{}\"`",
            inv.title
        )
    } else {
        format!("{fix}, eller ändra invarianten om det är den som är fel")
    }
}

fn undecided(inv: &Invariant, decision: &str) -> Diagnostic {
    Diagnostic::error(
        Code::InvariantUndecided,
        format!("invarianten \"{}\" kunde inte bevisas", inv.title),
        inv.span,
        "varken bevisad eller bruten",
    )
    .with_help(format!(
        "villkoren jämför fakta med varandra på ett sätt som inte gick att avgöra för beslutet `{decision}`; skriv invariantens villkor med samma jämförelser som reglerna använder"
    ))
}

/// A period as `regel deviations` says it: `från och med 2022-03-01`, `till och med …`.
fn table_period(p: crate::check::Period) -> crate::table::Period {
    crate::table::Period {
        from: p.from,
        until: p.until,
    }
}
