//! From confirmed intersections to differences a jurist reads.
//!
//! Intersections are grouped by what every table decides (outcome and reason). Each group
//! is covered by few, large, exact boxes ([`super::cover`]); each box is one difference,
//! with the rules that decide it on each side and the rule that causes it. Differences are
//! sorted by cause, so the renderers can put the changes one rule makes under one heading.

use super::cover::{ANY_DECIDED, Cover, Feasible, contains};
use super::describe::difference;
use super::model::Difference;
use super::product::{Decider, Examples, Part, Product, meet};
use super::space::Cells;
use std::collections::BTreeMap;

/// The confirmed intersections of a product as differences, sorted by cause, then changes
/// of outcome first, then refusals, then changes of reason alone.
pub fn describe(p: &Product, confirmed: Vec<(Part, Examples)>) -> Vec<Difference> {
    let feasible = Feasible::new(&p.space);
    let mut groups: BTreeMap<Vec<usize>, Vec<(Part, Examples)>> = BTreeMap::new();
    for (part, example) in confirmed {
        let mut keys: Vec<usize> = p
            .layers
            .iter()
            .zip(&part.chosen)
            .map(|(layer, &b)| layer.get(b).key)
            .collect();
        // Where a ruleset refuses, what the others decide by ordinary rules is one
        // difference: the value. What a deviation of theirs decides is its own.
        if keys.contains(&0) {
            for ((k, layer), &b) in keys.iter_mut().zip(&p.layers).zip(&part.chosen) {
                let deviation = match &layer.get(b).decider {
                    Decider::Rule { index, .. } => layer.rule(*index).deviation.is_some(),
                    _ => false,
                };
                if *k != 0 && !deviation {
                    *k = ANY_DECIDED;
                }
            }
        }
        groups.entry(keys).or_default().push((part, example));
    }
    let mut out: Vec<(String, Difference)> = Vec::new();
    for (keys, members) in &groups {
        let shared = shared_rules(p, members);
        let cover = Cover::new(p, &feasible, keys, &shared);
        let parts: Vec<Vec<Cells>> = members.iter().map(|(m, _)| m.cells.clone()).collect();
        for cells in cover.cover(&parts) {
            let inside: Vec<&(Part, Examples)> = members
                .iter()
                .filter(|(m, _)| !meet(&cells, &m.cells).iter().any(Cells::is_empty))
                .collect();
            // The box grew from one of the parts and contains it, so one is found; the
            // first contained part gives the example.
            let Some(first) = inside.iter().find(|(m, _)| contains(&cells, &m.cells)) else {
                continue;
            };
            let except = cover.exceptions(&cells).unwrap_or_default();
            out.push(difference(p, &cells, first, &inside, except, keys));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, d)| d).collect()
}

/// Rules that may be named as exceptions of a group: every rule of the tables but those
/// that decide the group somewhere.
fn shared_rules(p: &Product, members: &[(Part, Examples)]) -> Vec<String> {
    let mut deciding: Vec<&str> = Vec::new();
    for (part, _) in members {
        for (layer, &b) in p.layers.iter().zip(&part.chosen) {
            if let Decider::Rule { id, .. } = &layer.get(b).decider
                && !deciding.contains(&id.as_str())
            {
                deciding.push(id);
            }
        }
    }
    let mut shared: Vec<String> = p
        .layers
        .iter()
        .flat_map(|l| &l.table.rules)
        .map(|r| r.id.clone())
        .filter(|id| !deciding.contains(&id.as_str()))
        .collect();
    shared.sort();
    shared.dedup();
    shared
}
