//! Rules that never decide any request: beaten by the rules that `går före` them wherever
//! they apply, or with a condition that cannot hold. A rule is dead when no row of its
//! decision's table names it as the winner, or every row that does is empty (its own
//! conditions rule each other out). The warning names the rules that decide instead.

use super::Tables;
use super::overlap::{Overlap, Pair, View, possible};
use crate::check::{Origin, Rule, Ruleset};
use crate::compile::condition_table;
use crate::diagnostic::{Code, Diagnostic};
use std::collections::HashMap;

/// The most rules a warning names as deciding instead.
const MAX_NAMED: usize = 5;

pub(super) fn rules(ruleset: &Ruleset, tables: &Tables, out: &mut Vec<Diagnostic>) {
    for d in ruleset.decision_ids() {
        let Some(view) = tables.view(d) else { continue };
        let table = view.table();
        // One pass over the rows: which of the table's rules decide a row that can hold.
        let mut decides = vec![false; table.rules.len()];
        for (i, row) in table.rows.iter().enumerate() {
            if let Some(k) = row.rule
                && decides.get(k) == Some(&false)
                && possible(view, i)
                && let Some(slot) = decides.get_mut(k)
            {
                *slot = true;
            }
        }
        // A rule by id, the first of the table's rules with it.
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (k, x) in table.rules.iter().enumerate() {
            index.entry(x.id.as_str()).or_insert(k);
        }
        for r in ruleset.rules_of(d) {
            let rule = ruleset.rule(r);
            let Some(&index) = index.get(rule.id.as_str()) else {
                continue;
            };
            if decides.get(index) == Some(&false) {
                let instead = deciding_instead(ruleset, view, rule, index);
                out.push(dead(ruleset, rule, &instead));
            }
        }
    }
}

/// The rules that decide the requests where `rule`'s condition holds, confirmed each by a
/// request; empty when the condition never holds.
fn deciding_instead<'r>(
    ruleset: &'r Ruleset,
    view: &View,
    rule: &Rule,
    index: usize,
) -> Vec<&'r Rule> {
    let Some(condition) = condition_table(ruleset, &rule.condition, &rule.id, rule.span)
        .as_ref()
        .and_then(View::new)
    else {
        return Vec::new();
    };
    let pair = Pair::new(view, &condition);
    let mut winners: Vec<&str> = Vec::new();
    for (c, crow) in condition.table().rows.iter().enumerate() {
        if crow.outcome != "sant" {
            continue;
        }
        for (i, row) in view.table().rows.iter().enumerate() {
            if row.rule == Some(index) {
                continue;
            }
            let Some(w) = view.rule(i).filter(|w| !winners.contains(&w.id.as_str())) else {
                continue;
            };
            if matches!(pair.overlap(i, c), Overlap::Found(_)) {
                winners.push(&w.id);
            }
        }
    }
    let mut instead: Vec<&Rule> = ruleset
        .rules_of(rule.decision)
        .map(|r| ruleset.rule(r))
        .filter(|r| winners.contains(&r.id.as_str()))
        .collect();
    instead.sort_by(|a, b| a.id.cmp(&b.id));
    instead
}

fn dead(ruleset: &Ruleset, rule: &Rule, instead: &[&Rule]) -> Diagnostic {
    let national_in_region = ruleset.base.is_some() && rule.origin == Origin::National;
    let message = if national_in_region {
        format!(
            "den nationella regeln `{}` avgör aldrig något i regionen",
            rule.id
        )
    } else {
        format!("regeln `{}` avgör aldrig något", rule.id)
    };
    let mut d = Diagnostic::warning(Code::DeadRule, message, rule.span, "avgör ingen begäran");
    for other in instead.iter().take(MAX_NAMED) {
        d = d.with_label(other.span, "avgör i stället");
    }
    let names: Vec<String> = instead.iter().map(|r| format!("`{}`", r.id)).collect();
    let help = match (instead.first(), national_in_region) {
        (None, _) => {
            "villkoret kan aldrig vara uppfyllt: rätta det, eller ta bort regeln".to_owned()
        }
        (Some(_), true) => format!(
            "där regeln gäller avgör {} i stället; stryk den med ett avsteg (`stryker regel {}`) om det är meningen, annars snäva in regionens regler",
            names.join(", "),
            rule.id
        ),
        (Some(first), false) => format!(
            "där regeln gäller avgör {} i stället; ta bort den, eller skriv `går före {}` i den om den verkligen ska gälla",
            names.join(", "),
            first.id
        ),
    };
    d.with_help(help)
}
