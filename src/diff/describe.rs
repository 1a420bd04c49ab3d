//! A merged group of intersections as a [`Difference`]: the conditions in words, and for
//! each ruleset its outcome, the rules (with their deviations) that decide it, or the value
//! it refuses.

use super::model::{DeviationRef, Difference, Refusal, RuleRef, Side};
use super::phrase;
use super::product::{Decider, Examples, Layer, Part, Product};
use super::space::{Cells, Kind, Origin, Shared};

/// Conditions shown for one region: (shared column, cells), by column, no full column.
pub type Display = Vec<(usize, Cells)>;

/// How one ruleset decides the requests of a group.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupSide {
    pub key: usize,
    pub verdict: usize,
    pub reasons: Vec<String>,
    pub deciders: Vec<Decider>,
}

impl GroupSide {
    /// Adds the other side's reasons and deciders that this one lacks.
    pub fn absorb(&mut self, other: &GroupSide) {
        for r in &other.reasons {
            if !self.reasons.contains(r) {
                self.reasons.push(r.clone());
            }
        }
        for d in &other.deciders {
            if !self.deciders.contains(d) {
                self.deciders.push(d.clone());
            }
        }
    }
}

/// Intersections that read as one difference: how each ruleset decides them, the
/// conditions worth showing, and the first intersection with its example.
pub struct Group {
    /// INVARIANT: one per table, in the tables' order.
    pub sides: Vec<GroupSide>,
    pub displays: Vec<Display>,
    pub first: Part,
    pub example: Examples,
    /// Refused by the first ruleset, decided by ordinary rules in the others.
    pub ordinary: bool,
}

impl Group {
    pub fn verdicts(&self) -> impl Iterator<Item = usize> + '_ {
        self.sides.iter().map(|s| s.verdict)
    }
}

/// A group as a difference a jurist reads, with the key it is sorted by.
pub fn difference(p: &Product, g: &Group) -> (String, Difference) {
    let condition = |(j, c): &(usize, Cells)| phrase::condition(p.space.column(*j), c);
    let (common, alternatives) = match g.displays.as_slice() {
        [] => (Vec::new(), Vec::new()),
        [one] => (one.iter().map(condition).collect(), Vec::new()),
        many @ [first, ..] => {
            let shared: Display = first
                .iter()
                .filter(|c| many.iter().all(|d| d.contains(c)))
                .cloned()
                .collect();
            let alts = many
                .iter()
                .map(|d| {
                    d.iter()
                        .filter(|c| !shared.contains(c))
                        .map(condition)
                        .collect()
                })
                .collect();
            (shared.iter().map(condition).collect(), alts)
        }
    };
    let sides: Vec<Side> = p
        .layers
        .iter()
        .enumerate()
        .zip(&g.sides)
        .zip(&g.first.chosen)
        .map(|(((t, layer), side), &b)| describe_side(p, g, t, layer, side, layer.get(b).origin))
        .collect();
    let d = Difference {
        common,
        alternatives,
        sides,
        example: g.example.0.clone(),
        examples: g.example.1.clone(),
    };
    (sort_key(&d), d)
}

/// Changes of outcome first, then requests one side refuses (a value only one ruleset
/// knows), then a change of reason alone (dölj → dölj with another skäl).
fn sort_key(d: &Difference) -> String {
    let first = d.sides.first().map(|s| &s.outcome);
    let rank = if d.sides.iter().all(|s| Some(&s.outcome) == first) {
        2
    } else if d.sides.iter().any(|s| s.outcome.is_none()) {
        1
    } else {
        0
    };
    format!(
        "{rank}\u{0}{}\u{0}{}\u{0}{}",
        d.change_text(),
        d.sides
            .iter()
            .map(|s| s
                .rules
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(","))
            .collect::<Vec<_>>()
            .join("|"),
        d.conditions_text()
    )
}

/// A deciding rule (or the default) as a difference cites it.
fn rule_ref(layer: &Layer, d: &Decider) -> Option<RuleRef> {
    let table = layer.table;
    match d {
        Decider::Rule { index, .. } => {
            let rule = layer.rule(*index);
            #[expect(
                clippy::indexing_slicing,
                reason = "a rule's deviation index was checked against its table when the \
                          product was built"
            )]
            let deviation = rule
                .deviation
                .map(|i| &table.deviations[i])
                .map(|dv| DeviationRef {
                    id: dv.id.clone(),
                    title: dv.title.clone(),
                    motivering: dv.motivering.clone(),
                    sources: dv.sources.iter().map(|s| s.text.clone()).collect(),
                    location: dv.location.clone(),
                });
            Some(RuleRef {
                id: rule.id.clone(),
                title: rule.title.clone(),
                location: rule.location.clone(),
                sources: rule.sources.iter().map(|s| s.text.clone()).collect(),
                deviation,
            })
        }
        Decider::Default => Some(RuleRef {
            id: "standard".to_owned(),
            title: format!("standardutfallet för `{}`", table.decision),
            location: String::new(),
            sources: Vec::new(),
            deviation: None,
        }),
        Decider::Refused(_) => None,
    }
}

/// How table `t` decides a group, from the origin of its first box.
fn describe_side(
    p: &Product,
    g: &Group,
    t: usize,
    layer: &Layer,
    side: &GroupSide,
    origin: Origin,
) -> Side {
    match origin {
        Origin::Row(r) => Side {
            outcome: Some(layer.row(r).outcome.clone()),
            reasons: side.reasons.clone(),
            refused: None,
            rules: side
                .deciders
                .iter()
                .filter_map(|d| rule_ref(layer, d))
                .collect(),
        },
        Origin::Refused(j) => {
            let s = p.space.column(j);
            let shown = g
                .displays
                .iter()
                .flatten()
                .filter(|(k, _)| *k == j)
                .fold(Cells::EMPTY, |acc, (_, c)| &acc | c);
            #[expect(
                clippy::indexing_slicing,
                reason = "a part has one cell set per shared column, and `j` is one"
            )]
            let cells = &(&g.first.cells[j] | &shown) - s.valid(t);
            Side {
                outcome: None,
                reasons: Vec::new(),
                refused: Some(Refusal {
                    fact: match &s.kind {
                        Kind::Enum(f) | Kind::Bool(f) | Kind::Presence(f) => f.clone(),
                        _ => s.name.clone(),
                    },
                    values: cells.iter().map(|i| label(s, i)).collect(),
                    absent: matches!(s.kind, Kind::Presence(_)),
                }),
                rules: Vec::new(),
            }
        }
    }
}

/// The label of cell `i` of a shared column.
#[expect(
    clippy::indexing_slicing,
    reason = "cells are subsets of the column's full set: one bit per label"
)]
fn label(s: &Shared, i: usize) -> String {
    s.labels[i].clone()
}
