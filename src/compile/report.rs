//! Diagnostics for the conflicts and gaps the tree found, each with the situation in a
//! jurist's words and an example request.

use super::rows::labels;
use super::{at, full};
use crate::check::model::{Decision, Rule, RuleId, Ruleset};
use crate::diagnostic::{Code, Diagnostic};
use crate::table::witness::{self, Constraint};
use crate::table::{Cells, Column, ColumnKind, DecisionTable, Evaluator};
use crate::time::Unit;
use std::collections::BTreeSet;

use super::tree::{Leaf, Problem};

/// Gaps reported per decision; more would repeat the same lesson.
const MAX_GAPS: usize = 3;

/// Diagnostics for conflicts and gaps, each with an example request.
pub(super) fn report(
    ruleset: &Ruleset,
    rules: &[RuleId],
    d: &Decision,
    table: &DecisionTable,
    problems: Vec<Problem>,
) -> Vec<Diagnostic> {
    // The table of a decision with problems may not load; then no example is given.
    let evaluator = Evaluator::new(table.clone()).ok();
    let mut out = Vec::new();
    let mut gaps = 0;
    let mut seen_conflicts: BTreeSet<(usize, usize)> = BTreeSet::new();
    for problem in problems {
        let situation = describe(&problem.state, table);
        let example = evaluator
            .as_ref()
            .and_then(|e| example(e, &problem.state, table));
        let example_note = match &example {
            Some(json) => format!("exempel på en sådan begäran: {json}"),
            None => "ingen exempelbegäran hittades; kombinationen kan vara omöjlig i praktiken"
                .to_owned(),
        };
        match problem.leaf {
            Leaf::Conflict { a, b } => {
                if !seen_conflicts.insert((a, b)) {
                    continue;
                }
                let (ra, rb) = (ruleset.rule(at(rules, a)), ruleset.rule(at(rules, b)));
                let mut diagnostic =
                    conflict(ruleset, d, ra, rb).with_note(format!("när {situation}"));
                if let Some(note) = periods_overlap(ruleset, ra, rb) {
                    diagnostic = diagnostic.with_note(note);
                }
                out.push(diagnostic.with_note(example_note));
            }
            Leaf::Gap => {
                gaps += 1;
                if gaps > MAX_GAPS {
                    continue;
                }
                out.push(
                    gap(d)
                        .with_note(format!("när {situation}"))
                        .with_note(example_note),
                );
            }
            Leaf::Decided { .. } => {}
        }
    }
    out
}

/// A request in the situation `state`, if one can be found.
fn example(
    evaluator: &Evaluator,
    state: &[Cells],
    table: &DecisionTable,
) -> Option<serde_json::Value> {
    let constraints: Vec<Constraint> = state
        .iter()
        .zip(&table.columns)
        .enumerate()
        .filter(|(_, (cells, col))| **cells != unrestricted(col, table))
        .map(|(column, (cells, _))| Constraint {
            evaluator,
            column,
            cells: cells.clone(),
        })
        .collect();
    witness::find(&constraints)
}

/// For two rules that both have a period: the days they share, and where the earlier
/// one would end to leave them touching instead (the later one's start, less a day) when
/// the ruleset can edit it (a region, only its own rules).
fn periods_overlap(ruleset: &Ruleset, ra: &Rule, rb: &Rule) -> Option<String> {
    let (pa, pb) = (ra.period?, rb.period?);
    let from = pa.from.max(pb.from);
    let until = match (pa.until, pb.until) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let days = match (from, until) {
        (Some(f), Some(u)) => format!("från och med {f} till och med {u}"),
        (Some(f), None) => format!("från och med {f}"),
        (None, Some(u)) => format!("till och med {u}"),
        (None, None) => return None,
    };
    // The rule whose period starts first (an open start is first) ends the day before the
    // other starts.
    let (earlier, later) = if pa.from <= pb.from {
        (ra, pb)
    } else {
        (rb, pa)
    };
    let editable = ruleset.base.is_none() || earlier.origin == crate::check::Origin::Region;
    let end = later.from.and_then(|f| f.shift(-1, Unit::Days));
    let touching = match end.filter(|_| editable) {
        Some(end) => format!(
            "; ska de avlösa varandra, skriv `gäller till och med {end}` i `{}`",
            earlier.id
        ),
        None => String::new(),
    };
    Some(format!("perioderna överlappar {days}{touching}"))
}

fn conflict(ruleset: &Ruleset, d: &Decision, ra: &Rule, rb: &Rule) -> Diagnostic {
    let show = |r: &Rule| {
        let value = d.outcome_name(r.outcome.value);
        match &r.outcome.reason {
            Some(reason) => format!("{value} (skäl {reason})"),
            None => value.to_owned(),
        }
    };
    Diagnostic::error(
        Code::Conflict,
        format!(
            "reglerna `{}` och `{}` kan gälla samtidigt men ger olika utfall",
            ra.id, rb.id
        ),
        ra.span,
        format!("ger {}", show(ra)),
    )
    .with_label(rb.span, format!("ger {}", show(rb)))
    .with_help(conflict_help(ruleset, ra, rb))
}

/// What to write to settle a conflict: in a region, only what the region can write (its own
/// rules' `går före`, or a national group to join), never an edit of a national rule.
fn conflict_help(ruleset: &Ruleset, ra: &Rule, rb: &Rule) -> String {
    use crate::check::{Origin, PrecedenceTarget};
    let in_region = ruleset.base.is_some();
    match (in_region, ra.origin, rb.origin) {
        (true, Origin::Region, Origin::National) | (true, Origin::National, Origin::Region) => {
            let (own, national) = if ra.origin == Origin::Region {
                (ra, rb)
            } else {
                (rb, ra)
            };
            let below: Vec<&str> = national
                .precedes
                .iter()
                .filter_map(|p| match &p.target {
                    PrecedenceTarget::Group(g) => Some(g.as_str()),
                    PrecedenceTarget::Rule(_) => None,
                })
                .collect();
            let lose = match below.first() {
                Some(g) => format!(
                    "ska den nationella gälla, låt `{}` gå med i en grupp som `{}` går före: `grupp {g}`",
                    own.id, national.id
                ),
                None => format!(
                    "ska den nationella gälla, gör villkoren i `{}` uteslutande",
                    own.id
                ),
            };
            format!(
                "bestäm vilken som väger tyngst: ska regionens regel gälla, skriv `går före {}` i `{}`; {lose}",
                national.id, own.id
            )
        }
        (true, Origin::National, Origin::National) => format!(
            "regionen kan inte ändra de nationella reglerna `{}` och `{}`: ersätt den ena med ett avsteg (`ersätter regel {}`) som går före den andra, eller ändra det avsteg som får dem att krocka",
            ra.id, rb.id, ra.id
        ),
        _ => format!(
            "bestäm vilken som väger tyngst: skriv `går före {}` i regel `{}` (eller tvärtom), eller gör villkoren uteslutande",
            rb.id, ra.id
        ),
    }
}

fn gap(d: &Decision) -> Diagnostic {
    Diagnostic::error(
        Code::Gap,
        format!("beslutet `{}` saknar utfall för vissa begäranden", d.name),
        d.span,
        "ingen regel och inget standardutfall avgör",
    )
    .with_help(format!(
        "lägg till en regel som täcker fallet, eller ett standardutfall i beslutet: `standard UTFALL skäl …` med det försiktigaste av {}",
        d.outcomes.join(", ")
    ))
}

/// The restricted columns of a state, as a jurist reads them.
fn describe(state: &[Cells], table: &DecisionTable) -> String {
    let parts: Vec<String> = state
        .iter()
        .zip(&table.columns)
        .filter(|(cells, col)| **cells != unrestricted(col, table))
        .map(|(cells, col)| {
            let values = labels(cells, col);
            match values.as_slice() {
                [one] => format!("{} = {one}", col.name),
                many => format!("{} i {{{}}}", col.name, many.join(", ")),
            }
        })
        .collect();
    if parts.is_empty() {
        "alltid".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The cells a column may be in before the tree reads it: all of them, except that a fact
/// the ruleset requires is never absent. A state that allows these says nothing of the column.
fn unrestricted(col: &Column, table: &DecisionTable) -> Cells {
    match &col.kind {
        ColumnKind::Presence(f) if table.facts.iter().any(|x| x.name == *f && !x.kan_saknas) => {
            Cells::single(1)
        }
        _ => full(col.cells.len()),
    }
}
