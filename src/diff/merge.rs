//! From confirmed intersections to differences a jurist reads.
//!
//! Intersections are grouped by each table's outcome and deciding rule; within a group,
//! boxes that differ in one column are joined. A difference then reads "where these
//! conditions hold, and each side decides by the rules named, the outcomes are these", which
//! is exact for any conditions that contain the group. So a condition is shown only where it
//! says something: where, just outside it, the tables agree and one of them still decides by
//! the same rule (or both by their default). A condition that holds because a shared
//! exception beats both sides (a sealed account, a blocked guardian) is left out.

use super::phrase;
use super::product::{Decider, Part, Product, bits_of, members_of};
use super::space::{Cells, Origin};
use super::{DeviationRef, Difference, Refusal, RuleRef, Side};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap};

/// Conditions shown for one region: (shared column, cells), by column, no full column.
type Display = Vec<(usize, Cells)>;

/// A confirmed example: the full request and one per ruleset.
type Examples = (Json, Vec<Json>);

/// Per group (each ruleset's outcome and deciding rule): its boxes, its first part, and that
/// part's example.
type Gathered = BTreeMap<Vec<(u32, Decider)>, (Vec<Vec<Cells>>, Part, Examples)>;

struct Group {
    keys: Vec<u32>,
    verdicts: Vec<u32>,
    reasons: Vec<Vec<String>>,
    deciders: Vec<Vec<Decider>>,
    displays: Vec<Display>,
    first: Part,
    example: (Json, Vec<Json>),
    /// Refused by the first ruleset, decided by ordinary rules in the others.
    ordinary: bool,
}

pub fn describe(p: &Product, confirmed: Vec<(Part, (Json, Vec<Json>))>) -> Vec<Difference> {
    let n = p.tables.len();
    let mut grouped: Gathered = BTreeMap::new();
    for (part, example) in confirmed {
        let key: Vec<(u32, Decider)> = part
            .chosen
            .iter()
            .enumerate()
            .map(|(t, &b)| (p.key(t, b), p.decider(t, b)))
            .collect();
        match grouped.get_mut(&key) {
            Some((boxes, _, _)) => boxes.push(part.cells.clone()),
            None => {
                grouped.insert(key, (vec![part.cells.clone()], part, example));
            }
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for (key, (boxes, first, example)) in grouped {
        let deciders: Vec<Decider> = key.iter().map(|(_, d)| d.clone()).collect();
        let verdicts: Vec<u32> = first
            .chosen
            .iter()
            .enumerate()
            .map(|(t, &b)| p.verdict(t, b))
            .collect();
        // Agreement is on outcome and reason: agreement on the outcome alone would also count
        // the places where a shared exception hides the entry on both sides.
        let by_key = true;
        let displays: Vec<Display> = merge_boxes(boxes, p.space.columns.len())
            .iter()
            .map(|cells| shown(p, &deciders, cells, by_key))
            .collect();
        let reasons = first
            .chosen
            .iter()
            .enumerate()
            .map(
                |(t, &b)| match p.boxes.get(t).and_then(|x| x.origins.get(b)) {
                    Some(Origin::Row(r)) => p
                        .tables
                        .get(t)
                        .and_then(|table| table.rows.get(*r))
                        .and_then(|row| row.reason.clone())
                        .into_iter()
                        .collect(),
                    _ => Vec::new(),
                },
            )
            .collect();
        groups.push(Group {
            verdicts,
            reasons,
            keys: key.iter().map(|(k, _)| *k).collect(),
            deciders: deciders.into_iter().map(|d| vec![d]).collect(),
            displays: simplify(p, displays),
            first,
            example,
            ordinary: false,
        });
    }
    // One change often meets several rules of the first ruleset (a new exception that beats
    // two grants): the same outcomes and the same rules on the other sides read as one line.
    let mut merged: Vec<Group> = Vec::new();
    for g in groups {
        let joinable = n >= 2
            && g.deciders
                .iter()
                .skip(1)
                .all(|d| d.iter().all(|x| matches!(x, Decider::Rule(_))));
        let target = merged.iter_mut().find(|m| {
            joinable
                && m.verdicts == g.verdicts
                && m.keys.get(1..) == g.keys.get(1..)
                && m.deciders.get(1..) == g.deciders.get(1..)
        });
        match target {
            Some(m) => {
                if let (Some(into), Some(from)) = (m.reasons.first_mut(), g.reasons.first()) {
                    for r in from {
                        if !into.contains(r) {
                            into.push(r.clone());
                        }
                    }
                }
                if let (Some(into), Some(from)) = (m.deciders.first_mut(), g.deciders.first()) {
                    for d in from {
                        if !into.contains(d) {
                            into.push(d.clone());
                        }
                    }
                }
                m.displays.extend(g.displays);
                m.displays = simplify(p, std::mem::take(&mut m.displays));
            }
            None => merged.push(g),
        }
    }
    // Requests the first ruleset refuses (a value it lacks) and the others decide by rules
    // that are no deviation of theirs: one line per outcome, whatever ordinary rule decides.
    let mut joined: Vec<Group> = Vec::new();
    for g in merged {
        let refused = matches!(
            g.deciders.first().map(Vec::as_slice),
            Some([Decider::Refused(_)])
        );
        let ordinary = g.deciders.iter().enumerate().skip(1).all(|(t, ds)| {
            ds.iter().all(|d| match d {
                Decider::Rule(id) => p
                    .tables
                    .get(t)
                    .and_then(|table| table.rules.iter().find(|r| r.id == *id))
                    .is_some_and(|r| r.deviation.is_none()),
                _ => true,
            })
        });
        let target = joined.iter_mut().find(|m| {
            refused
                && ordinary
                && m.verdicts == g.verdicts
                && m.deciders.first() == g.deciders.first()
                && m.ordinary
        });
        match target {
            Some(m) => {
                for t in 1..p.tables.len() {
                    if let (Some(into), Some(from)) = (m.deciders.get_mut(t), g.deciders.get(t)) {
                        for d in from {
                            if !into.contains(d) {
                                into.push(d.clone());
                            }
                        }
                    }
                    if let (Some(into), Some(from)) = (m.reasons.get_mut(t), g.reasons.get(t)) {
                        for r in from {
                            if !into.contains(r) {
                                into.push(r.clone());
                            }
                        }
                    }
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
    let mut out: Vec<(String, Difference)> = joined.iter().map(|g| difference(p, g)).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, d)| d).collect()
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
                if let Some(c) = rest.get_mut(j) {
                    *c = 0;
                }
                match seen.get(&rest) {
                    Some(&i) => {
                        if let (Some(into), Some(c)) =
                            (out.get_mut(i).and_then(|o| o.get_mut(j)), b.get(j))
                        {
                            *into |= *c;
                        }
                        changed = true;
                    }
                    None => {
                        seen.insert(rest, out.len());
                        out.push(b);
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
fn shown(p: &Product, deciders: &[Decider], cells: &[Cells], by_key: bool) -> Display {
    let display = shown_if(p, deciders, cells, by_key);
    if !display.is_empty() {
        return display;
    }
    // Nothing agrees anywhere near (a decision one side decides by its own rules alone):
    // every condition of the region is shown.
    p.space
        .columns
        .iter()
        .enumerate()
        .filter_map(|(j, s)| {
            let c = cells.get(j).copied().unwrap_or(0);
            (c != s.full()).then_some((j, c))
        })
        .collect()
}

fn shown_if(p: &Product, deciders: &[Decider], cells: &[Cells], by_key: bool) -> Display {
    p.space
        .columns
        .iter()
        .enumerate()
        .filter_map(|(j, s)| {
            let c = cells.get(j).copied().unwrap_or(0);
            // The value a ruleset refuses is the difference itself.
            let refused = deciders.contains(&Decider::Refused(j));
            (c != s.full() && (refused || informative(p, deciders, cells, j, by_key)))
                .then_some((j, c))
        })
        .collect()
}

/// Whether, just outside the box in column `j`, the tables agree while one still decides by
/// its rule of the group (or all by their default).
fn informative(p: &Product, deciders: &[Decider], cells: &[Cells], j: usize, by_key: bool) -> bool {
    let Some(s) = p.space.columns.get(j) else {
        return false;
    };
    let outside = s.full() & !cells.get(j).copied().unwrap_or(0);
    if outside == 0 {
        return false;
    }
    let mut region = cells.to_vec();
    if let Some(c) = region.get_mut(j) {
        *c = outside;
    }
    for (t, d) in deciders.iter().enumerate() {
        let Some(mask) = p.index.get(t).and_then(|i| i.by_decider.get(d)) else {
            continue;
        };
        let found = p.query(t, &region, mask.clone());
        for b in members_of(&found) {
            if let Some(r) = meet(p, &region, t, b)
                && complete(p, &r, agree(p, t, b, by_key), t, 0, false, by_key)
            {
                return true;
            }
        }
    }
    let Some(mask) = p
        .index
        .first()
        .and_then(|i| i.by_decider.get(&Decider::Default))
    else {
        return false;
    };
    for b in members_of(&p.query(0, &region, mask.clone())) {
        if let Some(r) = meet(p, &region, 0, b)
            && complete(p, &r, agree(p, 0, b, by_key), 0, 1, true, by_key)
        {
            return true;
        }
    }
    false
}

fn agree(p: &Product, t: usize, b: usize, by_key: bool) -> u32 {
    if by_key { p.key(t, b) } else { p.verdict(t, b) }
}

fn meet(p: &Product, region: &[Cells], t: usize, b: usize) -> Option<Vec<Cells>> {
    let cells: Vec<Cells> = region
        .iter()
        .zip(p.box_cells(t, b)?)
        .map(|(x, y)| x & y)
        .collect();
    (!cells.contains(&0)).then_some(cells)
}

/// Whether the other tables (from `from` on, except `skip`) have boxes in `region` that
/// decide `key` too (by their default, when `default_only`).
fn complete(
    p: &Product,
    region: &[Cells],
    key: u32,
    skip: usize,
    from: usize,
    default_only: bool,
    by_key: bool,
) -> bool {
    let n = p.tables.len();
    let Some(t) = (from..n).find(|&t| t != skip) else {
        return true;
    };
    let Some(index) = p.index.get(t) else {
        return false;
    };
    let same = if by_key {
        &index.by_key
    } else {
        &index.by_verdict
    };
    let Some(mut start) = same.get(&key).cloned() else {
        return false;
    };
    if default_only {
        match index.by_decider.get(&Decider::Default) {
            Some(d) => super::product::intersect_sets(&mut start, d),
            None => return false,
        }
    }
    if super::product::set_is_empty(&start) {
        return false;
    }
    let found = p.query(t, region, start);
    members_of(&found).into_iter().any(|b| {
        meet(p, region, t, b)
            .is_some_and(|r| complete(p, &r, key, skip, t + 1, default_only, by_key))
    })
}

/// Removes repeated and contained displays, and joins displays that differ in one column.
fn simplify(p: &Product, mut displays: Vec<Display>) -> Vec<Display> {
    let full = |j: usize| p.space.columns.get(j).map_or(0, |s| s.full());
    loop {
        displays.sort();
        displays.dedup();
        let mut changed = false;
        // Contained: every condition of `a` is implied by one of `b`, so `b` adds nothing.
        let covers = |a: &Display, b: &Display| {
            a.iter().all(|(j, ca)| {
                b.iter()
                    .find(|(k, _)| k == j)
                    .is_some_and(|(_, cb)| cb & !ca == 0)
            })
        };
        let mut keep = vec![true; displays.len()];
        for i in 0..displays.len() {
            for k in 0..displays.len() {
                if i != k
                    && keep.get(i).copied().unwrap_or(false)
                    && keep.get(k).copied().unwrap_or(false)
                    && let (Some(a), Some(b)) = (displays.get(i), displays.get(k))
                    && covers(a, b)
                    && let Some(slot) = keep.get_mut(k)
                {
                    *slot = false;
                    changed = true;
                }
            }
        }
        let mut next: Vec<Display> = displays
            .into_iter()
            .zip(keep)
            .filter_map(|(d, k)| k.then_some(d))
            .collect();
        // Join two displays over the same columns that differ in one.
        'join: for i in 0..next.len() {
            for k in (i + 1)..next.len() {
                let (Some(a), Some(b)) = (next.get(i), next.get(k)) else {
                    continue;
                };
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
                    let mut joined = a.clone();
                    if let (Some(slot), Some(other)) = (joined.get_mut(*d), b.get(*d)) {
                        slot.1 |= other.1;
                        if slot.1 == full(slot.0) {
                            joined.remove(*d);
                        }
                    }
                    next.remove(k);
                    if let Some(slot) = next.get_mut(i) {
                        *slot = joined;
                    }
                    changed = true;
                    break 'join;
                }
            }
        }
        displays = next;
        if !changed {
            return displays;
        }
    }
}

fn difference(p: &Product, g: &Group) -> (String, Difference) {
    let condition =
        |(j, c): &(usize, Cells)| p.space.columns.get(*j).map(|s| phrase::condition(s, *c));
    let (common, alternatives) = match g.displays.as_slice() {
        [] => (Vec::new(), Vec::new()),
        [one] => (one.iter().filter_map(condition).collect(), Vec::new()),
        many => {
            let shared: Display = many
                .first()
                .map(|f| {
                    f.iter()
                        .filter(|c| many.iter().all(|d| d.contains(c)))
                        .copied()
                        .collect()
                })
                .unwrap_or_default();
            let alts = many
                .iter()
                .map(|d| {
                    d.iter()
                        .filter(|c| !shared.contains(c))
                        .filter_map(condition)
                        .collect()
                })
                .collect();
            (shared.iter().filter_map(condition).collect(), alts)
        }
    };
    let sides: Vec<Side> = (0..p.tables.len()).map(|t| side(p, g, t)).collect();
    let d = Difference {
        common,
        alternatives,
        sides,
        example: g.example.0.clone(),
        examples: g.example.1.clone(),
    };
    // Changes of outcome first, then requests one side refuses (a value only one ruleset
    // knows), then a change of reason alone (dölj → dölj with another skäl).
    let first = d.sides.first().map(|s| &s.outcome);
    let rank = if d.sides.iter().all(|s| Some(&s.outcome) == first) {
        2
    } else if d.sides.iter().any(|s| s.outcome.is_none()) {
        1
    } else {
        0
    };
    let sort = format!(
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
    );
    (sort, d)
}

fn side(p: &Product, g: &Group, t: usize) -> Side {
    let table = p.tables.get(t);
    let b = g.first.chosen.get(t).copied().unwrap_or(0);
    let origin = p.boxes.get(t).and_then(|x| x.origins.get(b)).copied();
    let rules: Vec<RuleRef> = g
        .deciders
        .get(t)
        .map(|ds| {
            ds.iter()
                .filter_map(|d| match (d, table) {
                    (Decider::Rule(id), Some(table)) => {
                        let rule = table.rules.iter().find(|r| r.id == *id)?;
                        let deviation =
                            rule.deviation
                                .and_then(|i| table.deviations.get(i))
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
                    (Decider::Default, Some(table)) => Some(RuleRef {
                        id: "standard".to_owned(),
                        title: format!("standardutfallet för `{}`", table.decision),
                        location: String::new(),
                        sources: Vec::new(),
                        deviation: None,
                    }),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    match (origin, table) {
        (Some(Origin::Row(r)), Some(table)) => {
            let row = table.rows.get(r);
            Side {
                outcome: row.map(|r| r.outcome.clone()),
                reasons: g.reasons.get(t).cloned().unwrap_or_default(),
                refused: None,
                rules,
            }
        }
        (Some(Origin::Refused(j)), _) => {
            let s = p.space.columns.get(j);
            let valid = s.and_then(|s| s.valid.get(t)).copied().unwrap_or(0);
            let shown = g
                .displays
                .iter()
                .flatten()
                .filter(|(k, _)| *k == j)
                .fold(0, |acc, (_, c)| acc | c);
            let cells = (g.first.cells.get(j).copied().unwrap_or(0) | shown) & !valid;
            Side {
                outcome: None,
                reasons: Vec::new(),
                refused: s.map(|s| Refusal {
                    fact: match &s.kind {
                        super::space::Kind::Enum(f) | super::space::Kind::Bool(f) => f.clone(),
                        _ => s.name.clone(),
                    },
                    values: bits_of(cells)
                        .into_iter()
                        .filter_map(|i| s.labels.get(i).cloned())
                        .collect(),
                }),
                rules: Vec::new(),
            }
        }
        _ => Side {
            outcome: None,
            reasons: Vec::new(),
            refused: None,
            rules,
        },
    }
}
