//! One box of a group as a [`Difference`]: the conditions in words, for each ruleset its
//! outcome and the rules (with their deviations) that decide it, or the value it refuses,
//! and the rule that causes the difference.

use super::model::{DeviationRef, Difference, Refusal, RuleRef, Side};
use super::phrase;
use super::product::{Decider, Examples, Layer, Part, Product};
use super::space::{Cells, Kind, Origin, Shared};

/// The box `cells` as a difference, with the key it is sorted by. `first` is a part inside
/// the box (its example is shown), `inside` every part of the group the box meets.
pub fn difference(
    p: &Product,
    cells: &[Cells],
    first: &(Part, Examples),
    inside: &[&(Part, Examples)],
    except: Vec<String>,
    keys: &[usize],
) -> (String, Difference) {
    let conditions = p
        .space
        .columns
        .iter()
        .zip(cells)
        .filter(|(s, c)| **c != s.full())
        .map(|(s, c)| phrase::condition(s, c))
        .collect();
    let sides: Vec<Side> = p
        .layers
        .iter()
        .enumerate()
        .map(|(t, layer)| {
            let mut deciders: Vec<Decider> = Vec::new();
            for (part, _) in inside {
                if let Some(&b) = part.chosen.get(t) {
                    let d = &layer.get(b).decider;
                    if !deciders.contains(d) {
                        deciders.push(d.clone());
                    }
                }
            }
            let origin = first
                .0
                .chosen
                .get(t)
                .map_or(Origin::Refused(0), |&b| layer.get(b).origin);
            let any = keys.get(t) == Some(&super::cover::ANY_DECIDED);
            describe_side(p, t, layer, &deciders, origin, cells, any)
        })
        .collect();
    let cause = cause(&sides);
    let d = Difference {
        conditions,
        except,
        cause,
        sides,
        example: first.1.0.clone(),
        examples: first.1.1.clone(),
    };
    (sort_key(&d), d)
}

/// The rule behind a difference: a deviation's rule first (the later rulesets' before the
/// first's), then any rule that decides, the later rulesets' first; the default when only
/// defaults and refusals decide.
fn cause(sides: &[Side]) -> RuleRef {
    let later_first = || sides.iter().skip(1).chain(sides.first());
    let rules = || later_first().flat_map(|s| &s.rules);
    rules()
        .find(|r| r.deviation.is_some())
        .or_else(|| rules().find(|r| r.id != "standard"))
        .or_else(|| rules().next())
        .cloned()
        .unwrap_or_else(|| RuleRef {
            id: "fel".to_owned(),
            title: "värden som bara en del av regelverken känner".to_owned(),
            location: String::new(),
            sources: Vec::new(),
            deviation: None,
        })
}

/// By cause (deviations first), then changes of outcome first, then requests one side
/// refuses (a value only one ruleset knows), then a change of reason alone.
fn sort_key(d: &Difference) -> String {
    let first = d.sides.first().map(|s| &s.outcome);
    let rank = if d.sides.iter().all(|s| Some(&s.outcome) == first) {
        2
    } else if d.sides.iter().any(|s| s.outcome.is_none()) {
        1
    } else {
        0
    };
    let cause_rank = if d.cause.deviation.is_some() { 0 } else { 1 };
    format!(
        "{cause_rank}\u{0}{}\u{0}{}\u{0}{rank}\u{0}{}\u{0}{}",
        d.cause.deviation.as_ref().map_or("", |x| x.id.as_str()),
        d.cause.id,
        d.change_text(),
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
                    period: dv.period.map(|p| p.to_string()),
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
            sources: table
                .default_sources
                .iter()
                .map(|s| s.text.clone())
                .collect(),
            deviation: None,
        }),
        Decider::Refused(_) => None,
    }
}

/// How table `t` decides the box, from the origin of a part inside it.
fn describe_side(
    p: &Product,
    t: usize,
    layer: &Layer,
    deciders: &[Decider],
    origin: Origin,
    cells: &[Cells],
    any: bool,
) -> Side {
    match origin {
        Origin::Row(r) if !any => Side {
            outcome: Some(layer.row(r).outcome.clone()),
            reasons: layer.row(r).reason.clone().into_iter().collect(),
            refused: None,
            rules: deciders.iter().filter_map(|d| rule_ref(layer, d)).collect(),
        },
        Origin::Row(_) => {
            // Another ruleset refuses: this one decides, by whichever of its rules decide
            // anywhere in the box (not only in the parts that grew it).
            let mut outcomes: Vec<String> = Vec::new();
            let mut all: Vec<Decider> = Vec::new();
            for b in layer.query(&p.space, cells, None) {
                let d = layer.get(b);
                if super::product::meet(cells, &d.cells)
                    .iter()
                    .any(Cells::is_empty)
                {
                    continue;
                }
                if let Origin::Row(r) = d.origin {
                    let o = layer.row(r).outcome.clone();
                    if !outcomes.contains(&o) {
                        outcomes.push(o);
                    }
                    if !all.contains(&d.decider) {
                        all.push(d.decider.clone());
                    }
                }
            }
            Side {
                outcome: Some(outcomes.join(" eller ")),
                reasons: Vec::new(),
                refused: None,
                rules: all.iter().filter_map(|d| rule_ref(layer, d)).collect(),
            }
        }
        Origin::Refused(j) => {
            let s = p.space.column(j);
            #[expect(
                clippy::indexing_slicing,
                reason = "a box has one cell set per shared column, and `j` is one"
            )]
            let refused = &cells[j] - s.valid(t);
            Side {
                outcome: None,
                reasons: Vec::new(),
                refused: Some(Refusal {
                    fact: match &s.kind {
                        Kind::Enum(f) | Kind::Bool(f) | Kind::Presence(f) => f.clone(),
                        _ => s.name.clone(),
                    },
                    values: refused.iter().map(|i| label(s, i)).collect(),
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
