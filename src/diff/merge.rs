//! From confirmed intersections to differences a jurist reads.
//!
//! Intersections are grouped by each table's outcome and deciding rule; within a group,
//! boxes that differ in one column are joined. A difference then reads "where these
//! conditions hold, and each side decides by the rules named, the outcomes are these", which
//! is exact for any conditions that contain the group. So a condition is shown only where it
//! says something: where, just outside it, the tables agree and one of them still decides by
//! the same rule (or both by their default). A condition that holds because a shared
//! exception beats both sides (a sealed account, a blocked guardian) is left out.
//!
//! The passes, in order: [`gather`] the parts by group, [`groups`] with the conditions worth
//! showing, [`join_first_side`] and [`join_refusals`] so one change reads as one line, and
//! then `describe::difference` for each.

use super::describe::{Display, Group, GroupSide, difference};
use super::model::Difference;
use super::product::{BoxSet, Decider, Examples, Layer, Part, Product, meet};
use super::space::{Cells, Origin};
use std::collections::{BTreeMap, HashMap};

/// Per group (each ruleset's outcome and deciding rule): its boxes, its first part, and that
/// part's example.
type Gathered = BTreeMap<Vec<(usize, Decider)>, (Vec<Vec<Cells>>, Part, Examples)>;

/// The confirmed intersections of a product as differences, sorted: changes of outcome
/// first, then refusals, then changes of reason alone.
pub fn describe(p: &Product, confirmed: Vec<(Part, Examples)>) -> Vec<Difference> {
    let groups = groups(p, gather(p, confirmed));
    let joined = join_refusals(p, join_first_side(p, groups));
    let mut out: Vec<(String, Difference)> = joined.iter().map(|g| difference(p, g)).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, d)| d).collect()
}

/// The parts grouped by each ruleset's outcome and deciding rule.
fn gather(p: &Product, confirmed: Vec<(Part, Examples)>) -> Gathered {
    let mut grouped: Gathered = BTreeMap::new();
    for (part, example) in confirmed {
        let key: Vec<(usize, Decider)> = p
            .layers
            .iter()
            .zip(&part.chosen)
            .map(|(layer, &b)| (layer.get(b).key, layer.get(b).decider.clone()))
            .collect();
        match grouped.get_mut(&key) {
            Some((boxes, _, _)) => boxes.push(part.cells.clone()),
            None => {
                grouped.insert(key, (vec![part.cells.clone()], part, example));
            }
        }
    }
    grouped
}

/// Each group with its boxes merged and the conditions worth showing.
fn groups(p: &Product, grouped: Gathered) -> Vec<Group> {
    let mut groups = Vec::new();
    for (key, (boxes, first, example)) in grouped {
        let deciders: Vec<Decider> = key.iter().map(|(_, d)| d.clone()).collect();
        let displays: Vec<Display> = merge_boxes(boxes, p.space.columns.len())
            .iter()
            .map(|cells| shown(p, &deciders, cells))
            .collect();
        let sides = p
            .layers
            .iter()
            .zip(&first.chosen)
            .zip(key)
            .map(|((layer, &b), (key, decider))| {
                let chosen = layer.get(b);
                let reasons = match chosen.origin {
                    Origin::Row(r) => layer.row(r).reason.clone().into_iter().collect(),
                    Origin::Refused(_) => Vec::new(),
                };
                GroupSide {
                    key,
                    verdict: chosen.verdict,
                    reasons,
                    deciders: vec![decider],
                }
            })
            .collect();
        groups.push(Group {
            sides,
            displays: simplify(p, displays),
            first,
            example,
            ordinary: false,
        });
    }
    groups
}

/// One change often meets several rules of the first ruleset (a new exception that beats
/// two grants): the same outcomes and the same rules on the other sides read as one line.
fn join_first_side(p: &Product, groups: Vec<Group>) -> Vec<Group> {
    let mut merged: Vec<Group> = Vec::new();
    for g in groups {
        let joinable = g.sides.len() >= 2
            && g.sides
                .iter()
                .skip(1)
                .all(|s| s.deciders.iter().all(|d| matches!(d, Decider::Rule { .. })));
        let same_others = |m: &Group| {
            m.sides
                .iter()
                .skip(1)
                .zip(g.sides.iter().skip(1))
                .all(|(a, b)| a.key == b.key && a.deciders == b.deciders)
        };
        let target = merged
            .iter_mut()
            .find(|m| joinable && m.verdicts().eq(g.verdicts()) && same_others(m));
        match target {
            Some(m) => {
                if let (Some(into), Some(from)) = (m.sides.first_mut(), g.sides.first()) {
                    into.absorb(from);
                }
                m.displays.extend(g.displays);
                m.displays = simplify(p, std::mem::take(&mut m.displays));
            }
            None => merged.push(g),
        }
    }
    merged
}

/// Requests the first ruleset refuses (a value it lacks) and the others decide by rules
/// that are no deviation of theirs: one line per outcome, whatever ordinary rule decides.
fn join_refusals(p: &Product, groups: Vec<Group>) -> Vec<Group> {
    let mut joined: Vec<Group> = Vec::new();
    for g in groups {
        let refused = matches!(
            g.sides.first().map(|s| s.deciders.as_slice()),
            Some([Decider::Refused(_)])
        );
        let ordinary = p
            .layers
            .iter()
            .zip(&g.sides)
            .skip(1)
            .all(|(layer, side)| side.deciders.iter().all(|d| is_ordinary(layer, d)));
        let target = joined.iter_mut().find(|m| {
            refused
                && ordinary
                && m.verdicts().eq(g.verdicts())
                && m.sides.first().map(|s| &s.deciders) == g.sides.first().map(|s| &s.deciders)
                && m.ordinary
        });
        match target {
            Some(m) => {
                for (into, from) in m.sides.iter_mut().zip(&g.sides).skip(1) {
                    into.absorb(from);
                }
                m.displays.extend(g.displays);
                m.displays = simplify(p, std::mem::take(&mut m.displays));
            }
            None => joined.push(Group {
                ordinary: refused && ordinary,
                ..g
            }),
        }
    }
    joined
}

/// Whether a decider is an ordinary rule (no deviation) or the default.
fn is_ordinary(layer: &Layer, d: &Decider) -> bool {
    match d {
        Decider::Rule { index, .. } => layer.rule(*index).deviation.is_none(),
        _ => true,
    }
}

/// Joins boxes that differ in one column, until none do.
fn merge_boxes(mut boxes: Vec<Vec<Cells>>, columns: usize) -> Vec<Vec<Cells>> {
    loop {
        let mut changed = false;
        for j in 0..columns {
            let mut seen: HashMap<Vec<Cells>, usize> = HashMap::new();
            let mut out: Vec<Vec<Cells>> = Vec::new();
            for b in boxes {
                let mut rest = b.clone();
                #[expect(
                    clippy::indexing_slicing,
                    reason = "every box has `columns` entries, `seen` holds indices of `out`"
                )]
                {
                    rest[j] = Cells::EMPTY;
                    match seen.get(&rest) {
                        Some(&i) => {
                            out[i][j] |= &b[j];
                            changed = true;
                        }
                        None => {
                            seen.insert(rest, out.len());
                            out.push(b);
                        }
                    }
                }
            }
            boxes = out;
        }
        if !changed {
            return boxes;
        }
    }
}

/// The conditions of a box worth showing.
fn shown(p: &Product, deciders: &[Decider], cells: &[Cells]) -> Display {
    let restricted = || {
        p.space
            .columns
            .iter()
            .zip(cells)
            .enumerate()
            .filter(|(_, (s, c))| **c != s.full())
            .map(|(j, (_, c))| (j, c.clone()))
    };
    let display: Display = restricted()
        // The value a ruleset refuses is the difference itself.
        .filter(|(j, _)| {
            deciders.contains(&Decider::Refused(*j)) || informative(p, deciders, cells, *j)
        })
        .collect();
    if !display.is_empty() {
        return display;
    }
    // Nothing agrees anywhere near (a decision one side decides by its own rules alone):
    // every condition of the region is shown.
    restricted().collect()
}

/// Whether, just outside the box in column `j`, the tables agree while one still decides by
/// its rule of the group (or all by their default). Agreement is on outcome and reason:
/// agreement on the outcome alone would also count the places where a shared exception
/// hides the entry on both sides.
fn informative(p: &Product, deciders: &[Decider], cells: &[Cells], j: usize) -> bool {
    let mut region = cells.to_vec();
    #[expect(
        clippy::indexing_slicing,
        reason = "a region has one cell set per shared column, and `j` is one"
    )]
    let outside = {
        let outside = &p.space.column(j).full() - &region[j];
        region[j] = outside.clone();
        outside
    };
    if outside.is_empty() {
        return false;
    }
    for (t, (layer, d)) in p.layers.iter().zip(deciders).enumerate() {
        let Some(mask) = layer.index.by_decider.get(d) else {
            continue;
        };
        for b in layer.query(&p.space, &region, mask.clone()).members() {
            if let Some(r) = meet_nonempty(&region, &layer.get(b).cells)
                && complete(p, &r, layer.get(b).key, t, 0, false)
            {
                return true;
            }
        }
    }
    let Some(first) = p.layers.first() else {
        return false;
    };
    let Some(mask) = first.index.by_decider.get(&Decider::Default) else {
        return false;
    };
    for b in first.query(&p.space, &region, mask.clone()).members() {
        if let Some(r) = meet_nonempty(&region, &first.get(b).cells)
            && complete(p, &r, first.get(b).key, 0, 1, true)
        {
            return true;
        }
    }
    false
}

/// The cells both allow, unless some column is left empty.
fn meet_nonempty(region: &[Cells], cells: &[Cells]) -> Option<Vec<Cells>> {
    let met = meet(region, cells);
    (!met.iter().any(Cells::is_empty)).then_some(met)
}

/// Whether the other tables (from `from` on, except `skip`) have boxes in `region` that
/// decide `key` too (by their default, when `default_only`).
fn complete(
    p: &Product,
    region: &[Cells],
    key: usize,
    skip: usize,
    from: usize,
    default_only: bool,
) -> bool {
    let Some((t, layer)) = p
        .layers
        .iter()
        .enumerate()
        .skip(from)
        .find(|(t, _)| *t != skip)
    else {
        return true;
    };
    let Some(mut start) = layer.index.by_key.get(&key).cloned() else {
        return false;
    };
    if default_only {
        match layer.index.by_decider.get(&Decider::Default) {
            Some(d) => start.and(d),
            None => return false,
        }
    }
    if start.is_empty() {
        return false;
    }
    let found: BoxSet = layer.query(&p.space, region, start);
    found.members().any(|b| {
        meet_nonempty(region, &layer.get(b).cells)
            .is_some_and(|r| complete(p, &r, key, skip, t + 1, default_only))
    })
}

/// Removes repeated and contained displays, and joins displays that differ in one column.
fn simplify(p: &Product, mut displays: Vec<Display>) -> Vec<Display> {
    loop {
        displays.sort();
        displays.dedup();
        let (kept, dropped) = drop_contained(displays);
        let (next, joined) = join_one(p, kept);
        displays = next;
        if !dropped && !joined {
            return displays;
        }
    }
}

/// Drops every display that another implies: every condition of `a` is implied by one of
/// `b`, so `b` adds nothing. Whether any was dropped.
#[expect(
    clippy::indexing_slicing,
    reason = "`i` and `k` run over `displays`, and `keep` has one entry per display"
)]
fn drop_contained(displays: Vec<Display>) -> (Vec<Display>, bool) {
    let covers = |a: &Display, b: &Display| {
        a.iter().all(|(j, ca)| {
            b.iter()
                .find(|(k, _)| k == j)
                .is_some_and(|(_, cb)| cb.is_subset(ca))
        })
    };
    let mut keep = vec![true; displays.len()];
    let mut dropped = false;
    for i in 0..displays.len() {
        for k in 0..displays.len() {
            if i != k && keep[i] && keep[k] && covers(&displays[i], &displays[k]) {
                keep[k] = false;
                dropped = true;
            }
        }
    }
    let kept = displays
        .into_iter()
        .zip(keep)
        .filter_map(|(d, k)| k.then_some(d))
        .collect();
    (kept, dropped)
}

/// Joins the first two displays over the same columns that differ in one. Whether any were.
#[expect(
    clippy::indexing_slicing,
    reason = "`i` and `k` run over `next`, and `d` over the conditions of both displays, \
              which have the same length"
)]
fn join_one(p: &Product, mut next: Vec<Display>) -> (Vec<Display>, bool) {
    for i in 0..next.len() {
        for k in (i + 1)..next.len() {
            let (a, b) = (&next[i], &next[k]);
            if a.len() != b.len() || a.iter().zip(b).any(|(x, y)| x.0 != y.0) {
                continue;
            }
            let differing: Vec<usize> = a
                .iter()
                .zip(b)
                .enumerate()
                .filter(|(_, (x, y))| x.1 != y.1)
                .map(|(i, _)| i)
                .collect();
            if let [d] = differing.as_slice() {
                let d = *d;
                let mut joined = a.clone();
                joined[d].1 |= &b[d].1;
                if joined[d].1 == p.space.column(joined[d].0).full() {
                    joined.remove(d);
                }
                next.remove(k);
                next[i] = joined;
                return (next, true);
            }
        }
    }
    (next, false)
}
