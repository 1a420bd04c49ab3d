//! What changes beside the decisions: the texts a jurist signs (a rule's or a deviation's
//! title, motivering, sources and interpretations) and the facts a request must give. Neither
//! is a region of the input space, so the product of tables never sees them; both are
//! compared here by name, the first ruleset against each later one.

use super::model::{FactChange, TextChange};
use crate::table::{CompiledRuleset, DecisionTable, RuleInfo, SourceRef};
use std::collections::HashMap;

/// The texts of rules and deviations that have the same id in the first ruleset and a later
/// one but read differently, each once.
pub fn text_changes(rulesets: &[&CompiledRuleset], decision: Option<&str>) -> Vec<TextChange> {
    let mut out: Vec<TextChange> = Vec::new();
    let Some((first, later)) = rulesets.split_first() else {
        return out;
    };
    for new in later {
        for (old_t, new_t) in same_decisions(first, new, decision) {
            // The old rules by id (the first of an id given twice, as a search would find).
            let mut old_rules: HashMap<&str, &RuleInfo> = HashMap::new();
            for o in &old_t.rules {
                old_rules.entry(o.id.as_str()).or_insert(o);
            }
            for n in &new_t.rules {
                if let Some(o) = old_rules.get(n.id.as_str()) {
                    let fields = [
                        ("titel", o.title.clone(), n.title.clone()),
                        ("källor", sources(&o.sources), sources(&n.sources)),
                        ("tolkning", o.tolkning.join("; "), n.tolkning.join("; ")),
                    ];
                    push(&mut out, "regel", &n.id, &n.location, fields);
                }
            }
            for n in &new_t.deviations {
                if let Some(o) = old_t.deviations.iter().find(|o| o.id == n.id) {
                    let fields = [
                        ("titel", o.title.clone(), n.title.clone()),
                        ("motivering", o.motivering.clone(), n.motivering.clone()),
                        ("källor", sources(&o.sources), sources(&n.sources)),
                        ("tolkning", o.tolkning.join("; "), n.tolkning.join("; ")),
                    ];
                    push(&mut out, "avsteg", &n.id, &n.location, fields);
                }
            }
            let fields = [(
                "källor",
                sources(&old_t.default_sources),
                sources(&new_t.default_sources),
            )];
            push(&mut out, "standardutfall", &new_t.decision, "", fields);
        }
    }
    out
}

/// The facts that a later ruleset requires where the first does not, or no longer requires,
/// per decision.
pub fn fact_changes(rulesets: &[&CompiledRuleset], decision: Option<&str>) -> Vec<FactChange> {
    let mut out: Vec<FactChange> = Vec::new();
    let Some((first, later)) = rulesets.split_first() else {
        return out;
    };
    for new in later {
        for (old_t, new_t) in same_decisions(first, new, decision) {
            let mut names: Vec<&str> = old_t.facts.iter().map(|f| f.name.as_str()).collect();
            for f in &new_t.facts {
                if !names.contains(&f.name.as_str()) {
                    names.push(&f.name);
                }
            }
            for name in names {
                let (before, after) = (need(old_t, name), need(new_t, name));
                let change = FactChange {
                    decision: new_t.decision.clone(),
                    ruleset: new.ruleset.clone(),
                    fact: name.to_owned(),
                    before: before.to_owned(),
                    after: after.to_owned(),
                };
                if (before == REQUIRED) != (after == REQUIRED) && !out.contains(&change) {
                    out.push(change);
                }
            }
        }
    }
    out
}

const REQUIRED: &str = "måste anges";

/// Whether a request to `table` must give the fact: `måste anges`, `kan saknas` (optional
/// or with a default) or `läses inte`.
fn need(table: &DecisionTable, name: &str) -> &'static str {
    match table.facts.iter().find(|f| f.name == name) {
        None => "läses inte",
        Some(f) if f.kan_saknas || f.default.is_some() => "kan saknas",
        Some(_) => REQUIRED,
    }
}

/// The tables of the decisions both rulesets have (only `decision`, when given).
fn same_decisions<'a>(
    old: &'a CompiledRuleset,
    new: &'a CompiledRuleset,
    decision: Option<&'a str>,
) -> impl Iterator<Item = (&'a DecisionTable, &'a DecisionTable)> {
    new.tables
        .iter()
        .filter(move |n| decision.is_none_or(|d| d == n.decision))
        .filter_map(|n| old.table(&n.decision).map(|o| (o, n)))
}

fn sources(s: &[SourceRef]) -> String {
    s.iter()
        .map(|x| x.text.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn push<const N: usize>(
    out: &mut Vec<TextChange>,
    kind: &str,
    id: &str,
    location: &str,
    fields: [(&str, String, String); N],
) {
    for (field, before, after) in fields {
        if before == after {
            continue;
        }
        let change = TextChange {
            kind: kind.to_owned(),
            id: id.to_owned(),
            field: field.to_owned(),
            before,
            after,
            location: location.to_owned(),
        };
        if !out.contains(&change) {
            out.push(change);
        }
    }
}
