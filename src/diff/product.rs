//! The boxes of every table intersected: an index per table (for each column and cell, the
//! boxes that allow it, as a set and as a list) finds the boxes a region meets without
//! trying every pair; a region of one unit of thousands touches only the boxes that name it.

use super::model::DiffError;
use super::space::{Cells, Kind, Origin, RowBox, Space};
use crate::table::witness::{self, Constraint};
use crate::table::{DecisionTable, Evaluator, RequestError};
use serde_json::Value as Json;
use std::collections::HashMap;

/// Which rule decides a box: a rule (by id, and its index in the table), the default, or a
/// refusal in a shared column. Ordered by id, so groups come in the order of rule ids.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Decider {
    Refused(usize),
    Default,
    Rule { id: String, index: usize },
}

/// The index of a box in its table's [`Layer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BoxId(usize);

/// A set of boxes of one table, as bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoxSet(Vec<u64>);

impl BoxSet {
    fn empty(n: usize) -> BoxSet {
        BoxSet(vec![0; n.div_ceil(64)])
    }

    /// Boxes `0..n`.
    fn full(n: usize) -> BoxSet {
        let mut s = vec![u64::MAX; n.div_ceil(64)];
        if !n.is_multiple_of(64)
            && let Some(last) = s.last_mut()
        {
            *last = (1u64 << (n % 64)) - 1;
        }
        BoxSet(s)
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "sets are made for the boxes of one table, and only its box ids go in"
    )]
    fn insert(&mut self, b: BoxId) {
        self.0[b.0 / 64] |= 1u64 << (b.0 % 64);
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "sets are made for the boxes of one table, and only its box ids are asked"
    )]
    fn contains(&self, b: BoxId) -> bool {
        self.0[b.0 / 64] & (1u64 << (b.0 % 64)) != 0
    }

    pub fn and(&mut self, other: &BoxSet) {
        for (x, y) in self.0.iter_mut().zip(&other.0) {
            *x &= *y;
        }
    }

    pub fn and_not(&mut self, other: &BoxSet) {
        for (x, y) in self.0.iter_mut().zip(&other.0) {
            *x &= !*y;
        }
    }

    fn or(&mut self, other: &BoxSet) {
        for (x, y) in self.0.iter_mut().zip(&other.0) {
            *x |= *y;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// How many boxes the set holds.
    fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The set of the given boxes, in a set of `words` words.
    fn of(words: usize, members: impl Iterator<Item = BoxId>) -> BoxSet {
        let mut set = BoxSet(vec![0; words]);
        for b in members {
            set.insert(b);
        }
        set
    }

    pub fn members(&self) -> impl Iterator<Item = BoxId> + '_ {
        self.0.iter().enumerate().flat_map(|(w, bits)| {
            let mut bits = *bits;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(BoxId(w * 64 + b))
            })
        })
    }
}

/// A box with what it decides.
#[derive(Clone, Debug)]
pub struct Decided {
    pub cells: Vec<Cells>,
    pub origin: Origin,
    /// The table's columns its row tests.
    tested: Vec<usize>,
    /// The outcome (utfall and skäl) as a number, the same in every table; 0 is a refusal.
    pub key: usize,
    pub decider: Decider,
}

/// For each column and cell, the boxes that allow it; and the boxes by outcome.
pub struct Index {
    /// `[shared column][cell]`: the boxes that allow the cell; empty when no box restricts
    /// the column. INVARIANT: one entry per shared column, and one set per cell when not
    /// empty.
    by_cell: Vec<Vec<BoxSet>>,
    /// `[shared column][cell]`: how many boxes allow the cell. INVARIANT: shaped as
    /// `by_cell`.
    counts: Vec<Vec<usize>>,
    /// Per shared column, the same as lists: a query over a few cells of a wide column (one
    /// unit of thousands) touches only the boxes that name them. INVARIANT: shaped as
    /// `by_cell`.
    sparse: Vec<Sparse>,
    pub by_key: HashMap<usize, BoxSet>,
}

/// The boxes of one column as lists: per cell, the boxes that allow that cell and few others
/// (at most an eighth of the column); the boxes that allow more are in `wide`. Every list
/// ascends.
#[derive(Default)]
struct Sparse {
    /// INVARIANT: one list per cell of the column, or none when no box restricts it.
    narrow: Vec<Vec<BoxId>>,
    wide: Vec<BoxId>,
}

impl Index {
    /// How many of the `n` boxes column `j` allows at most where it holds `cells`: the sum
    /// over its cells, or `n` for cells too many to add up.
    #[expect(
        clippy::indexing_slicing,
        reason = "`counts` has one entry per shared column, and the caller asks only of a \
                  column whose sets are made, so one count per label of it"
    )]
    fn allowing(&self, j: usize, cells: &Cells, n: usize) -> usize {
        if cells.len() > 64 {
            return n;
        }
        let counts = &self.counts[j];
        cells.iter().map(|b| counts[b]).sum::<usize>().min(n)
    }

    /// How many boxes the lists of column `j` hold for `cells` (a box may be counted once
    /// per cell): what gathering them costs. `None` for cells too many to add up.
    #[expect(
        clippy::indexing_slicing,
        reason = "`sparse` has one entry per shared column, and the caller asks only of a \
                  column whose lists are made, so one list per label of it"
    )]
    fn listed(&self, j: usize, cells: &Cells) -> Option<usize> {
        if cells.len() > 64 {
            return None;
        }
        let sparse = &self.sparse[j];
        Some(sparse.wide.len() + cells.iter().map(|b| sparse.narrow[b].len()).sum::<usize>())
    }

    /// The boxes the lists of column `j` hold for `cells`: those listed under one of the
    /// cells (each allows it), ascending and each once; and the wide ones, which may allow
    /// none of them (no box is in both).
    #[expect(
        clippy::indexing_slicing,
        reason = "as in `listed`: one list per label of a column whose lists are made"
    )]
    fn gather(&self, j: usize, cells: &Cells) -> (Vec<BoxId>, Vec<BoxId>) {
        let sparse = &self.sparse[j];
        let mut narrow = Vec::new();
        for b in cells.iter() {
            narrow.extend_from_slice(&sparse.narrow[b]);
        }
        narrow.sort_unstable();
        narrow.dedup();
        (narrow, sparse.wide.clone())
    }
}

/// One table in the product: its evaluator, its boxes and their index.
pub struct Layer<'t> {
    pub table: &'t DecisionTable,
    pub evaluator: Evaluator,
    /// INVARIANT: a [`BoxId`] of this layer indexes `boxes`.
    boxes: Vec<Decided>,
    pub index: Index,
}

impl<'t> Layer<'t> {
    /// The box with this id.
    #[expect(
        clippy::indexing_slicing,
        reason = "box ids are made only for this layer's boxes (by `ids` and its index)"
    )]
    pub fn get(&self, b: BoxId) -> &Decided {
        &self.boxes[b.0]
    }

    /// Every box with its id.
    pub fn ids(&self) -> impl Iterator<Item = (BoxId, &Decided)> {
        self.boxes.iter().enumerate().map(|(i, d)| (BoxId(i), d))
    }

    /// Every box.
    pub fn all(&self) -> BoxSet {
        BoxSet::full(self.boxes.len())
    }

    /// The boxes that meet `cells`, ascending, but those in `skip`. When a column's cells
    /// are few and named by few boxes (one unit of thousands), only those boxes are tried;
    /// otherwise the columns go from the one that allows fewest boxes to the one that allows
    /// most; a column whose cells would take more words to OR together than the boxes left
    /// take to test is tested box by box instead.
    pub fn query(&self, space: &Space, cells: &[Cells], skip: Option<&BoxSet>) -> Vec<BoxId> {
        let n = self.boxes.len();
        // The columns that restrict, with the one whose lists hold fewest boxes.
        let mut tests: Vec<(usize, &Cells)> = Vec::new();
        let mut fewest: Option<(usize, usize, &Cells)> = None;
        for (j, ((s, per_cell), c)) in space
            .columns
            .iter()
            .zip(&self.index.by_cell)
            .zip(cells)
            .enumerate()
        {
            // A box's cells are a subset of the column's: as many means all of them.
            if per_cell.is_empty() || c.len() == s.labels.len() {
                continue;
            }
            tests.push((j, c));
            if let Some(k) = self.index.listed(j, c)
                && fewest.is_none_or(|(f, ..)| k < f)
            {
                fewest = Some((k, j, c));
            }
        }
        // Whether box `b` (not in `skip`) meets the cells of every column but `except`.
        let meets = |b: &BoxId, except: Option<usize>| {
            skip.is_none_or(|s| !s.contains(*b))
                && tests.iter().all(|(j, c)| {
                    Some(*j) == except
                        || self.get(*b).cells.get(*j).is_some_and(|x| x.intersects(c))
                })
        };
        match fewest {
            // Testing a listed box against every column costs about as much as a few words
            // of the sets do, and the sets take at least one pass over the table's words.
            Some((k, j, c)) if k * tests.len() <= 4 * n.div_ceil(64) + 64 => {
                let (mut found, mut wide) = self.index.gather(j, c);
                // A box listed under one of the cells meets the column.
                found.retain(|b| meets(b, Some(j)));
                if !wide.is_empty() {
                    wide.retain(|b| meets(b, None));
                    found.extend(wide);
                    found.sort_unstable();
                }
                found
            }
            _ => {
                let mut start = self.all();
                if let Some(skip) = skip {
                    start.and_not(skip);
                }
                self.query_sets(space, cells, start).members().collect()
            }
        }
    }

    /// The boxes among `start` that meet `cells`, through the sets of the index.
    fn query_sets(&self, space: &Space, cells: &[Cells], start: BoxSet) -> BoxSet {
        let n = self.boxes.len();
        let words = n.div_ceil(64);
        // (boxes the column allows at most, column): only columns that restrict.
        let mut order: Vec<(usize, usize)> = Vec::new();
        for (j, ((s, per_cell), c)) in space
            .columns
            .iter()
            .zip(&self.index.by_cell)
            .zip(cells)
            .enumerate()
        {
            if per_cell.is_empty() || *c == s.full() {
                continue;
            }
            order.push((self.index.allowing(j, c, n), j));
        }
        order.sort_unstable();
        let mut result = start;
        for (_, j) in order {
            let (Some(s), Some(per_cell), Some(c)) = (
                space.columns.get(j),
                self.index.by_cell.get(j),
                cells.get(j),
            ) else {
                continue;
            };
            if c.len() * words > result.len() * s.labels.len().div_ceil(64) {
                let meets = |b: &BoxId| self.get(*b).cells.get(j).is_some_and(|x| x.intersects(c));
                result = BoxSet::of(words, result.members().filter(meets));
            } else {
                let mut any = BoxSet::empty(n);
                for b in c.iter() {
                    #[expect(
                        clippy::indexing_slicing,
                        reason = "cells are subsets of the column's full set: one bit per \
                                  label, and one set per label"
                    )]
                    any.or(&per_cell[b]);
                }
                result.and(&any);
            }
            if result.is_empty() {
                break;
            }
        }
        result
    }

    /// Rule `index` of the table.
    #[expect(
        clippy::indexing_slicing,
        reason = "a decider's rule index was checked against its table when the product was \
                  built"
    )]
    pub fn rule(&self, index: usize) -> &'t crate::table::RuleInfo {
        &self.table.rules[index]
    }

    /// The row a box of a row comes from.
    #[expect(
        clippy::indexing_slicing,
        reason = "a row origin is the index of the table row the box was made from"
    )]
    pub fn row(&self, r: usize) -> &crate::table::Row {
        &self.table.rows[r]
    }
}

/// An intersection of one box per table.
#[derive(Clone, Debug)]
pub struct Part {
    pub cells: Vec<Cells>,
    /// INVARIANT: one box per layer, in the layers' order.
    pub chosen: Vec<BoxId>,
}

/// A confirmed part: the full request and one per table.
pub type Examples = (Json, Vec<Json>);

pub struct Product<'t> {
    pub space: Space,
    /// One per table, in the order given.
    pub layers: Vec<Layer<'t>>,
}

impl<'t> Product<'t> {
    pub fn new(tables: &[&'t DecisionTable]) -> Result<Product<'t>, DiffError> {
        let space = Space::new(tables)?;
        let mut numbers = Numbers::default();
        let mut layers = Vec::new();
        for (t, table) in tables.iter().enumerate() {
            let evaluator =
                Evaluator::new((*table).clone()).map_err(|e| DiffError(e.to_string()))?;
            let boxes = space
                .boxes(t, table)?
                .into_iter()
                .map(|b| numbers.decide(table, b))
                .collect::<Result<Vec<_>, _>>()?;
            let index = build_index(&space, &boxes);
            layers.push(Layer {
                table,
                evaluator,
                boxes,
                index,
            });
        }
        Ok(Product { space, layers })
    }

    /// Every intersection (one box per table) where the tables do not all decide alike.
    fn differing_parts(&self) -> Vec<Part> {
        let Some((first, rest)) = self.layers.split_first() else {
            return Vec::new();
        };
        if rest.is_empty() {
            return Vec::new();
        }
        let mut parts: Vec<Part> = first
            .ids()
            .map(|(b, d)| Part {
                cells: d.cells.clone(),
                chosen: vec![b],
            })
            .collect();
        for (i, layer) in rest.iter().enumerate() {
            let last = i + 1 == rest.len();
            let mut next = Vec::new();
            for part in &parts {
                // In the last table, boxes that decide as every box chosen so far make no
                // difference.
                let same = self
                    .common_key(part)
                    .filter(|_| last)
                    .and_then(|k| layer.index.by_key.get(&k));
                for b in layer.query(&self.space, &part.cells, same) {
                    let cells = meet(&part.cells, &layer.get(b).cells);
                    if cells.iter().any(Cells::is_empty) {
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

    /// The outcome every box chosen so far decides, if they all decide the same.
    fn common_key(&self, part: &Part) -> Option<usize> {
        let mut keys = self
            .layers
            .iter()
            .zip(&part.chosen)
            .map(|(layer, &b)| layer.get(b).key);
        let first = keys.next()?;
        keys.all(|k| k == first).then_some(first)
    }

    /// A request in the intersection, checked with every table's evaluator: each decides by
    /// the chosen row (or refuses, for a refused region). The full request and one per table.
    pub fn confirm(&self, part: &Part) -> Option<Examples> {
        let mut constraints = Vec::new();
        for (t, (layer, &b)) in self.layers.iter().zip(&part.chosen).enumerate() {
            let locals = self.space.locals(t);
            for &c in &layer.get(b).tested {
                #[expect(
                    clippy::indexing_slicing,
                    reason = "`tested` holds column indices of this table, with one local \
                              each, and `part.cells` has one entry per shared column"
                )]
                let (local, want) = (&locals[c], &part.cells[locals[c].shared]);
                let cells = local.cells_meeting(want);
                constraints.push(Constraint {
                    evaluator: &layer.evaluator,
                    column: c,
                    cells,
                });
            }
        }
        let mut json = witness::find(&constraints)?;
        self.fill_enumerations(part, &mut json);
        let examples: Vec<Json> = self
            .layers
            .iter()
            .map(|l| project(&json, l.table))
            .collect();
        for ((layer, &b), example) in self.layers.iter().zip(&part.chosen).zip(&examples) {
            match (layer.get(b).origin, layer.evaluator.decide_json(example)) {
                (Origin::Row(r), Ok(d)) if d.row == r => {}
                (Origin::Refused(j), Err(e)) if self.refuses_for(j, &e) => {}
                _ => return None,
            }
        }
        Some((json, examples))
    }

    /// Whether an error is the refusal of shared column `j`: a request without a fact the
    /// table requires is refused for that fact, not for another one missing on the way.
    fn refuses_for(&self, j: usize, error: &RequestError) -> bool {
        match (&self.space.column(j).kind, error) {
            (Kind::Presence(f), RequestError::Missing { fact, .. }) => fact == f,
            (Kind::Presence(_), _) => false,
            _ => true,
        }
    }

    /// Enumeration values nobody's constraint chose (a value one table refuses, or one only
    /// some tables know) are set from the region itself.
    fn fill_enumerations(&self, part: &Part, json: &mut Json) {
        for (s, want) in self.space.columns.iter().zip(&part.cells) {
            let Kind::Enum(fact) = &s.kind else {
                continue;
            };
            if *want == s.full() {
                continue;
            }
            // A fact left out of the example stands at its default.
            let default = self.layers.iter().find_map(|l| {
                l.table
                    .facts
                    .iter()
                    .find(|f| f.name == *fact)
                    .and_then(|f| f.default.as_ref())
                    .and_then(Json::as_str)
                    .map(str::to_owned)
            });
            let current = get_dotted(json, fact)
                .and_then(Json::as_str)
                .map(str::to_owned)
                .or(default);
            let inside = current
                .as_ref()
                .and_then(|v| s.labels.iter().position(|l| l == v))
                .is_some_and(|i| want.contains(i));
            if inside {
                continue;
            }
            // A part has no empty cell set (`differing_parts` drops those), and its cells are
            // labels of the column; were it otherwise, the example would not be confirmed by
            // deciding it, rather than carry a value from outside the part.
            let Some(first) = want.first().and_then(|i| s.labels.get(i)) else {
                continue;
            };
            if let Json::Object(map) = json {
                crate::check::insert_dotted(map, fact, Json::String(first.clone()));
            }
        }
    }

    /// The intersections where the tables decide differently, each with a request that
    /// shows it.
    pub fn confirmed(&self) -> Vec<(Part, Examples)> {
        self.differing_parts()
            .into_iter()
            // No request found: the intersection is treated as empty. The search tries the
            // boundary values of every condition, so this happens when the conditions
            // contradict each other (a date both before and after a day), not by chance.
            .filter_map(|part| {
                let examples = self.confirm(&part)?;
                Some((part, examples))
            })
            .collect()
    }
}

/// Outcomes numbered the same way in every table, so numbers compare across tables.
#[derive(Default)]
struct Numbers {
    keys: HashMap<(String, Option<String>), usize>,
}

impl Numbers {
    /// A box of `table` with its outcome numbered and its deciding rule named.
    fn decide(&mut self, table: &DecisionTable, b: RowBox) -> Result<Decided, DiffError> {
        let (key, decider) = match b.origin {
            Origin::Refused(j) => (0, Decider::Refused(j)),
            Origin::Row(r) => {
                #[expect(
                    clippy::indexing_slicing,
                    reason = "a row origin is the index of the table row the box was made from"
                )]
                let row = &table.rows[r];
                let next = self.keys.len() + 1;
                let key = *self
                    .keys
                    .entry((row.outcome.clone(), row.reason.clone()))
                    .or_insert(next);
                let decider = match row.rule {
                    None => Decider::Default,
                    Some(index) => {
                        let rule = table.rules.get(index).ok_or_else(|| {
                            DiffError(format!(
                                "tabellen `{}`: rad {r} hänvisar till en regel som inte finns",
                                table.decision
                            ))
                        })?;
                        if rule.deviation.is_some_and(|d| d >= table.deviations.len()) {
                            return Err(DiffError(format!(
                                "tabellen `{}`: regeln `{}` hänvisar till ett avsteg som inte finns",
                                table.decision, rule.id
                            )));
                        }
                        Decider::Rule {
                            id: rule.id.clone(),
                            index,
                        }
                    }
                };
                (key, decider)
            }
        };
        Ok(Decided {
            cells: b.cells,
            origin: b.origin,
            tested: b.tested,
            key,
            decider,
        })
    }
}

fn build_index(space: &Space, boxes: &[Decided]) -> Index {
    let n = boxes.len();
    // A column no box restricts needs no sets: every box allows every cell.
    let mut restricts = vec![false; space.columns.len()];
    for b in boxes {
        for ((r, s), c) in restricts.iter_mut().zip(&space.columns).zip(&b.cells) {
            *r |= *c != s.full();
        }
    }
    let mut by_cell: Vec<Vec<BoxSet>> = space
        .columns
        .iter()
        .zip(&restricts)
        .map(|(s, &r)| {
            if r {
                vec![BoxSet::empty(n); s.labels.len()]
            } else {
                Vec::new()
            }
        })
        .collect();
    for (i, b) in boxes.iter().enumerate() {
        for (per_cell, c) in by_cell.iter_mut().zip(&b.cells) {
            if per_cell.is_empty() {
                continue;
            }
            for cell in c.iter() {
                #[expect(
                    clippy::indexing_slicing,
                    reason = "a box's cells are subsets of the column's full set: one bit per \
                              label, and one set per label"
                )]
                per_cell[cell].insert(BoxId(i));
            }
        }
    }
    let counts = by_cell
        .iter()
        .map(|per_cell| per_cell.iter().map(BoxSet::len).collect())
        .collect();
    let mut sparse: Vec<Sparse> = by_cell
        .iter()
        .map(|per_cell| Sparse {
            narrow: vec![Vec::new(); per_cell.len()],
            wide: Vec::new(),
        })
        .collect();
    for (i, b) in boxes.iter().enumerate() {
        for ((lists, s), c) in sparse.iter_mut().zip(&space.columns).zip(&b.cells) {
            if lists.narrow.is_empty() {
                continue;
            }
            if c.len() * 8 > s.labels.len() {
                lists.wide.push(BoxId(i));
                continue;
            }
            for cell in c.iter() {
                #[expect(
                    clippy::indexing_slicing,
                    reason = "a box's cells are subsets of the column's full set: one bit per \
                              label, and one list per label"
                )]
                lists.narrow[cell].push(BoxId(i));
            }
        }
    }
    let mut by_key: HashMap<usize, BoxSet> = HashMap::new();
    for (i, b) in boxes.iter().enumerate() {
        by_key
            .entry(b.key)
            .or_insert_with(|| BoxSet::empty(n))
            .insert(BoxId(i));
    }
    Index {
        by_cell,
        counts,
        sparse,
        by_key,
    }
}

/// The cells both regions allow.
pub fn meet(a: &[Cells], b: &[Cells]) -> Vec<Cells> {
    a.iter().zip(b).map(|(x, y)| x & y).collect()
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
