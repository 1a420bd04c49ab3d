//! The boxes of every table intersected: an index per table (for each column and cell, the
//! boxes that allow it) finds the boxes a region meets without trying every pair.

use super::space::{Boxes, Cells, Origin, Space};
use super::{DiffError, Difference};
use crate::table::witness::{self, Constraint};
use crate::table::{DecisionTable, Evaluator};
use serde_json::Value as Json;
use std::collections::HashMap;

/// Which rule decides a box: a rule id, the default, or a refusal in a shared column.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Decider {
    Refused(usize),
    Default,
    Rule(String),
}

/// A set of boxes of one table.
pub type Set = Vec<u64>;

pub struct Index {
    words: usize,
    /// `[column][cell]`: the boxes that allow the cell; empty when no box restricts the column.
    by_cell: Vec<Vec<Set>>,
    pub by_key: HashMap<u32, Set>,
    pub by_verdict: HashMap<u32, Set>,
    pub by_decider: HashMap<Decider, Set>,
}

pub struct Product<'t> {
    pub tables: Vec<&'t DecisionTable>,
    pub evaluators: Vec<Evaluator>,
    pub space: Space,
    pub boxes: Vec<Boxes>,
    /// Per table and box: the outcome (utfall and skäl) as a number; 0 is a refusal.
    pub keys: Vec<Vec<u32>>,
    /// The same for the outcome alone (`utfall`, without `skäl`).
    pub verdicts: Vec<Vec<u32>>,
    pub deciders: Vec<Vec<Decider>>,
    pub index: Vec<Index>,
    /// Per table: its column index by name, and the shared column of each of its columns.
    column_of: Vec<HashMap<String, usize>>,
    shared_of: Vec<Vec<Option<usize>>>,
}

/// An intersection of one box per table.
#[derive(Clone, Debug)]
pub struct Part {
    pub cells: Vec<Cells>,
    pub chosen: Vec<usize>,
}

fn empty_set(words: usize) -> Set {
    vec![0; words]
}

fn full_set(n: usize) -> Set {
    let mut s = vec![u64::MAX; n.div_ceil(64)];
    if !n.is_multiple_of(64)
        && let Some(last) = s.last_mut()
    {
        *last = (1u64 << (n % 64)) - 1;
    }
    s
}

fn insert(set: &mut Set, i: usize) {
    if let Some(w) = set.get_mut(i / 64) {
        *w |= 1u64 << (i % 64);
    }
}

fn and(a: &mut Set, b: &Set) {
    for (x, y) in a.iter_mut().zip(b) {
        *x &= *y;
    }
}

fn is_empty(a: &Set) -> bool {
    a.iter().all(|w| *w == 0)
}

fn members(set: &Set) -> impl Iterator<Item = usize> + '_ {
    set.iter().enumerate().flat_map(|(w, bits)| {
        let mut bits = *bits;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let b = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(w * 64 + b)
        })
    })
}

fn bits(cells: Cells) -> impl Iterator<Item = usize> {
    let mut c = cells;
    std::iter::from_fn(move || {
        if c == 0 {
            return None;
        }
        let b = c.trailing_zeros() as usize;
        c &= c - 1;
        Some(b)
    })
}

impl<'t> Product<'t> {
    pub fn new(tables: &[&'t DecisionTable]) -> Result<Product<'t>, DiffError> {
        let evaluators = tables
            .iter()
            .map(|t| Evaluator::new((*t).clone()).map_err(|e| DiffError(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        let space = Space::new(tables)?;
        let mut boxes = Vec::new();
        for (t, table) in tables.iter().enumerate() {
            boxes.push(space.boxes(t, table)?);
        }
        let mut interned: HashMap<(String, Option<String>), u32> = HashMap::new();
        let mut outcomes: HashMap<String, u32> = HashMap::new();
        let mut keys = Vec::new();
        let mut verdicts = Vec::new();
        let mut deciders = Vec::new();
        for (table, b) in tables.iter().zip(&boxes) {
            let mut k = Vec::new();
            let mut v = Vec::new();
            let mut d = Vec::new();
            for origin in &b.origins {
                match origin {
                    Origin::Row(r) => {
                        let row = table.rows.get(*r);
                        let key = row
                            .map(|row| (row.outcome.clone(), row.reason.clone()))
                            .unwrap_or_default();
                        let next = u32::try_from(outcomes.len() + 1).unwrap_or(u32::MAX);
                        v.push(*outcomes.entry(key.0.clone()).or_insert(next));
                        let next = u32::try_from(interned.len() + 1).unwrap_or(u32::MAX);
                        k.push(*interned.entry(key).or_insert(next));
                        d.push(
                            match row
                                .and_then(|row| row.rule)
                                .and_then(|i| table.rules.get(i))
                            {
                                Some(rule) => Decider::Rule(rule.id.clone()),
                                None => Decider::Default,
                            },
                        );
                    }
                    Origin::Refused(j) => {
                        k.push(0);
                        v.push(0);
                        d.push(Decider::Refused(*j));
                    }
                }
            }
            keys.push(k);
            verdicts.push(v);
            deciders.push(d);
        }
        let mut index = Vec::new();
        for ((b, k), (v, d)) in boxes.iter().zip(&keys).zip(verdicts.iter().zip(&deciders)) {
            index.push(build_index(&space, b, k, v, d));
        }
        let column_of = tables
            .iter()
            .map(|t| {
                t.columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.name.clone(), i))
                    .collect()
            })
            .collect();
        let shared_of = tables
            .iter()
            .enumerate()
            .map(|(t, table)| {
                let mut v = vec![None; table.columns.len()];
                for (j, s) in space.columns.iter().enumerate() {
                    if let Some(Some((c, _))) = s.local.get(t)
                        && let Some(slot) = v.get_mut(*c)
                    {
                        *slot = Some(j);
                    }
                }
                v
            })
            .collect();
        Ok(Product {
            tables: tables.to_vec(),
            evaluators,
            space,
            boxes,
            keys,
            verdicts,
            deciders,
            index,
            column_of,
            shared_of,
        })
    }

    /// The boxes of table `t` that meet `cells`, among `start`.
    pub fn query(&self, t: usize, cells: &[Cells], start: Set) -> Set {
        let mut result = start;
        let Some(index) = self.index.get(t) else {
            return empty_set(0);
        };
        for (j, s) in self.space.columns.iter().enumerate() {
            let c = cells.get(j).copied().unwrap_or(0);
            let Some(per_cell) = index.by_cell.get(j) else {
                continue;
            };
            if per_cell.is_empty() || c == s.full() {
                continue;
            }
            let mut any = empty_set(index.words);
            for b in bits(c) {
                if let Some(set) = per_cell.get(b) {
                    for (x, y) in any.iter_mut().zip(set) {
                        *x |= *y;
                    }
                }
            }
            and(&mut result, &any);
            if is_empty(&result) {
                break;
            }
        }
        result
    }

    pub fn all(&self, t: usize) -> Set {
        full_set(self.boxes.get(t).map_or(0, |b| b.origins.len()))
    }

    pub fn key(&self, t: usize, b: usize) -> u32 {
        self.keys
            .get(t)
            .and_then(|k| k.get(b))
            .copied()
            .unwrap_or(0)
    }

    pub fn verdict(&self, t: usize, b: usize) -> u32 {
        self.verdicts
            .get(t)
            .and_then(|k| k.get(b))
            .copied()
            .unwrap_or(0)
    }

    pub fn decider(&self, t: usize, b: usize) -> Decider {
        self.deciders
            .get(t)
            .and_then(|d| d.get(b))
            .cloned()
            .unwrap_or(Decider::Default)
    }

    pub fn box_cells(&self, t: usize, b: usize) -> Option<&Vec<Cells>> {
        self.boxes.get(t).and_then(|x| x.cells.get(b))
    }

    /// Every intersection (one box per table) where the tables do not all decide alike.
    fn differing_parts(&self) -> Vec<Part> {
        let n = self.tables.len();
        if n < 2 {
            return Vec::new();
        }
        let mut parts: Vec<Part> = self
            .boxes
            .first()
            .map(|b| {
                b.cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| Part {
                        cells: c.clone(),
                        chosen: vec![i],
                    })
                    .collect()
            })
            .unwrap_or_default();
        for t in 1..n {
            let last = t + 1 == n;
            let mut next = Vec::new();
            for part in &parts {
                let mut start = self.all(t);
                let first_key = part.chosen.first().map(|&b| self.key(0, b));
                if last
                    && let Some(k) = first_key
                    && part
                        .chosen
                        .iter()
                        .enumerate()
                        .all(|(u, &b)| self.key(u, b) == k)
                    && let Some(same) = self.index.get(t).and_then(|i| i.by_key.get(&k))
                {
                    for (x, y) in start.iter_mut().zip(same) {
                        *x &= !*y;
                    }
                }
                let found = self.query(t, &part.cells, start);
                for b in members(&found) {
                    let Some(other) = self.box_cells(t, b) else {
                        continue;
                    };
                    let cells: Vec<Cells> =
                        part.cells.iter().zip(other).map(|(x, y)| x & y).collect();
                    if cells.contains(&0) {
                        continue;
                    }
                    let mut chosen = part.chosen.clone();
                    chosen.push(b);
                    next.push(Part { cells, chosen });
                }
            }
            parts = next;
        }
        parts
    }

    /// A request in the intersection, checked with every table's evaluator: each decides by
    /// the chosen row (or refuses, for a refused region). The full request and one per table.
    pub fn confirm(&self, part: &Part) -> Option<(Json, Vec<Json>)> {
        let mut constraints = Vec::new();
        for (t, &b) in part.chosen.iter().enumerate() {
            let Some(Origin::Row(r)) = self.boxes.get(t).and_then(|x| x.origins.get(b)) else {
                continue;
            };
            let table = self.tables.get(t)?;
            let evaluator = self.evaluators.get(t)?;
            for cond in &table.rows.get(*r)?.when {
                let c = *self.column_of.get(t)?.get(&cond.column)?;
                let j = (*self.shared_of.get(t)?.get(c)?)?;
                let s = self.space.columns.get(j)?;
                let Some(Some((_, images))) = s.local.get(t) else {
                    continue;
                };
                let want = part.cells.get(j).copied().unwrap_or(0);
                let cells = images
                    .iter()
                    .enumerate()
                    .filter(|(i, im)| *i < 64 && **im & want != 0)
                    .fold(0u64, |acc, (i, _)| acc | (1u64 << i));
                constraints.push(Constraint {
                    evaluator,
                    column: c,
                    cells,
                });
            }
        }
        let mut json = witness::find(&constraints)?;
        // Enumeration values nobody's constraint chose (a value one table refuses, or one
        // only some tables know) are set from the region itself.
        for (j, s) in self.space.columns.iter().enumerate() {
            let super::space::Kind::Enum(fact) = &s.kind else {
                continue;
            };
            let want = part.cells.get(j).copied().unwrap_or(0);
            if want == s.full() {
                continue;
            }
            // A fact left out of the example stands at its default.
            let default = self.tables.iter().find_map(|t| {
                t.facts
                    .iter()
                    .find(|f| f.name == *fact)
                    .and_then(|f| f.default.as_ref())
                    .and_then(Json::as_str)
                    .map(str::to_owned)
            });
            let current = get_dotted(&json, fact)
                .and_then(Json::as_str)
                .map(str::to_owned)
                .or(default);
            let inside = current
                .as_ref()
                .and_then(|v| s.labels.iter().position(|l| l == v))
                .is_some_and(|i| i < 128 && want & (1u128 << i) != 0);
            if !inside {
                let first = bits(want).next().and_then(|i| s.labels.get(i))?;
                if let Json::Object(map) = &mut json {
                    crate::check::insert_dotted(map, fact, Json::String(first.clone()));
                }
            }
        }
        let examples: Vec<Json> = self.tables.iter().map(|t| project(&json, t)).collect();
        for (t, &b) in part.chosen.iter().enumerate() {
            let evaluator = self.evaluators.get(t)?;
            let example = examples.get(t)?;
            let origin = self.boxes.get(t)?.origins.get(b)?;
            match (origin, evaluator.decide_json(example)) {
                (Origin::Row(r), Ok(d)) if d.row == *r => {}
                (Origin::Refused(_), Err(_)) => {}
                _ => return None,
            }
        }
        Some((json, examples))
    }

    /// The differences, merged and described, and the notes of the shared space.
    pub fn differences(&self) -> Result<(Vec<Difference>, Vec<String>), DiffError> {
        let mut confirmed = Vec::new();
        for part in self.differing_parts() {
            // No request found: the intersection is treated as empty. The search tries the
            // boundary values of every condition, so this happens when the conditions
            // contradict each other (a date both before and after a day), not by chance.
            if let Some(examples) = self.confirm(&part) {
                confirmed.push((part, examples));
            }
        }
        let differences = super::merge::describe(self, confirmed);
        Ok((differences, self.space.notes.clone()))
    }
}

fn build_index(
    space: &Space,
    boxes: &Boxes,
    keys: &[u32],
    verdicts: &[u32],
    deciders: &[Decider],
) -> Index {
    let n = boxes.origins.len();
    let words = n.div_ceil(64);
    let mut by_cell = Vec::new();
    for (j, s) in space.columns.iter().enumerate() {
        let full = s.full();
        let restricts = boxes
            .cells
            .iter()
            .any(|b| b.get(j).is_some_and(|c| *c != full));
        if !restricts {
            by_cell.push(Vec::new());
            continue;
        }
        let mut per_cell = vec![empty_set(words); s.labels.len()];
        for (i, b) in boxes.cells.iter().enumerate() {
            for cell in bits(b.get(j).copied().unwrap_or(0)) {
                if let Some(set) = per_cell.get_mut(cell) {
                    insert(set, i);
                }
            }
        }
        by_cell.push(per_cell);
    }
    let mut by_key: HashMap<u32, Set> = HashMap::new();
    let mut by_verdict: HashMap<u32, Set> = HashMap::new();
    let mut by_decider: HashMap<Decider, Set> = HashMap::new();
    for (i, ((k, v), d)) in keys.iter().zip(verdicts).zip(deciders).enumerate() {
        insert(by_key.entry(*k).or_insert_with(|| empty_set(words)), i);
        insert(by_verdict.entry(*v).or_insert_with(|| empty_set(words)), i);
        insert(
            by_decider
                .entry(d.clone())
                .or_insert_with(|| empty_set(words)),
            i,
        );
    }
    Index {
        words,
        by_cell,
        by_key,
        by_verdict,
        by_decider,
    }
}

pub fn members_of(set: &Set) -> Vec<usize> {
    members(set).collect()
}

pub fn bits_of(cells: Cells) -> Vec<usize> {
    bits(cells).collect()
}

pub fn intersect_sets(a: &mut Set, b: &Set) {
    and(a, b);
}

pub fn set_is_empty(a: &Set) -> bool {
    is_empty(a)
}

fn get_dotted<'j>(json: &'j Json, name: &str) -> Option<&'j Json> {
    let mut here = json;
    for part in name.split('.') {
        here = here.get(part)?;
    }
    Some(here)
}

/// The request without the facts `table` does not know.
pub fn project(json: &Json, table: &DecisionTable) -> Json {
    let mut leaves = Vec::new();
    flatten(json, String::new(), &mut leaves);
    let mut map = serde_json::Map::new();
    for (name, value) in leaves {
        if table.facts.iter().any(|f| f.name == name) {
            crate::check::insert_dotted(&mut map, &name, value);
        }
    }
    Json::Object(map)
}

fn flatten(json: &Json, prefix: String, out: &mut Vec<(String, Json)>) {
    match json {
        Json::Object(map) => {
            for (k, v) in map {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(v, name, out);
            }
        }
        other => out.push((prefix, other.clone())),
    }
}
