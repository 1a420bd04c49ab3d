//! Situations as few, short, exact boxes.
//!
//! A group is the set of confirmed intersections where every table decides one given
//! outcome and reason (its key). Its situations are boxes over the shared columns that
//! together cover the group, each *valid*: every request inside it that some table can
//! receive is decided by the group's key in every table. A box is grown from one
//! intersection a column at a time (Espresso's EXPAND): first every condition it can do
//! without is dropped, then each remaining condition takes in every cell it can, so ranges
//! merge (`patient.ålder 0–15`) and enumerations read as `≠`. Boxes another box makes
//! redundant are dropped (IRREDUNDANT). A column of more cells than a word (a region's
//! units) is not widened by trying each of thousands of cells: one pass over the tables
//! finds the cells whose slice alone would make the box invalid, shared by every box of the
//! group with the same other conditions, and only the rest are tried.
//!
//! What "can receive" means: some combinations of cells cannot happen (a date both before
//! and after a day, `signerad <= datum` false while `datum < signerad + 1 år` is false too).
//! Such combinations are don't-cares, so a box may take them in: [`Feasible`] decides it by
//! looking for a request with the witness search, only over the columns that share facts.

use super::product::{Decided, Decider, Product, meet};
use super::space::{Cells, Kind, Space};
use crate::table::expr::{facts_of_bool, facts_of_int};
use crate::table::witness::{self, Constraint};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Whether combinations of cells of columns that read the same facts can happen.
pub struct Feasible {
    /// Per shared column: its cluster (columns linked by shared facts), or `None` when no
    /// other column reads its facts (every cell of it can happen with anything).
    cluster: Vec<Option<usize>>,
    known: RefCell<HashMap<Vec<(usize, Cells)>, bool>>,
    /// Requests found so far, placed in the shared space (per column, the cells the request
    /// may be in: a superset of its one cell). A box that holds one of them is feasible
    /// without a search.
    found: RefCell<Vec<Vec<Cells>>>,
    /// Restrictions the search found no request for. A box inside one of them has none
    /// either.
    empty: RefCell<Vec<Vec<(usize, Cells)>>>,
}

impl Feasible {
    pub fn new(space: &Space) -> Feasible {
        let facts: Vec<Vec<String>> = space
            .columns
            .iter()
            .map(|s| {
                let mut names = Vec::new();
                match &s.kind {
                    Kind::Enum(f) | Kind::Bool(f) | Kind::Presence(f) => names.push(f.clone()),
                    Kind::Int(term) => facts_of_int(term, &mut names),
                    Kind::Pred(e) => facts_of_bool(e, &mut names),
                }
                names
            })
            .collect();
        // Union-find over columns, joined where they read a fact in common.
        let mut parent: Vec<usize> = (0..facts.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while let Some(&p) = parent.get(i) {
                if p == i {
                    break;
                }
                i = p;
            }
            i
        }
        for (i, a) in facts.iter().enumerate() {
            for (k, b) in facts.iter().enumerate().skip(i + 1) {
                if a.iter().any(|f| b.contains(f)) {
                    let (ri, rk) = (root(&mut parent, i), root(&mut parent, k));
                    if let Some(slot) = parent.get_mut(rk) {
                        *slot = ri;
                    }
                }
            }
        }
        let roots: Vec<usize> = (0..facts.len()).map(|i| root(&mut parent, i)).collect();
        let cluster = roots
            .iter()
            .map(|r| (roots.iter().filter(|x| *x == r).count() > 1).then_some(*r))
            .collect();
        Feasible {
            cluster,
            known: RefCell::new(HashMap::new()),
            found: RefCell::new(Vec::new()),
            empty: RefCell::new(Vec::new()),
        }
    }

    /// Whether no other column reads the facts of column `j`: then whether a box can happen
    /// does not depend on its cells there (as long as it has some).
    fn independent(&self, j: usize) -> bool {
        matches!(self.cluster.get(j), Some(None))
    }

    /// Whether some request falls in the box `cells`: each cluster of linked columns is
    /// asked on its own, with only the columns the box restricts.
    pub fn holds(&self, p: &Product, cells: &[Cells]) -> bool {
        let mut by_cluster: HashMap<usize, Vec<(usize, Cells)>> = HashMap::new();
        for (j, (s, c)) in p.space.columns.iter().zip(cells).enumerate() {
            if c.is_empty() {
                return false;
            }
            // A box's cells are a subset of the column's: as many means all of them.
            if let Some(Some(k)) = self.cluster.get(j)
                && c.len() != s.labels.len()
            {
                by_cluster.entry(*k).or_default().push((j, c.clone()));
            }
        }
        by_cluster.into_values().all(|restricted| {
            if restricted.len() < 2 {
                return true;
            }
            if let Some(&known) = self.known.borrow().get(&restricted) {
                return known;
            }
            let inside = |placed: &Vec<Cells>| {
                restricted.iter().all(|(j, want)| {
                    placed
                        .get(*j)
                        .is_some_and(|c| !c.is_empty() && c.is_subset(want))
                })
            };
            let within = |none: &Vec<(usize, Cells)>| {
                none.iter().all(|(j, cells)| {
                    restricted
                        .iter()
                        .find(|(k, _)| k == j)
                        .is_some_and(|(_, want)| want.is_subset(cells))
                })
            };
            let answer = if self.found.borrow().iter().any(inside) {
                true
            } else if self.empty.borrow().iter().any(within) {
                false
            } else {
                match search(p, &restricted) {
                    Some(request) => {
                        self.found.borrow_mut().push(place(p, &request));
                        true
                    }
                    None => {
                        self.empty.borrow_mut().push(restricted.clone());
                        false
                    }
                }
            };
            self.known.borrow_mut().insert(restricted, answer);
            answer
        })
    }
}

/// A request in the given cells of linked columns, found by the witness search over every
/// table that has them. Integer columns are asked of every table (each one's intervals
/// bound the value); the others of the first table that has them.
fn search(p: &Product, restricted: &[(usize, Cells)]) -> Option<serde_json::Value> {
    let mut constraints = Vec::new();
    for (j, want) in restricted {
        let (j, want) = (*j, want);
        let int = matches!(p.space.column(j).kind, Kind::Int(_));
        'tables: for (t, layer) in p.layers.iter().enumerate() {
            for (c, local) in p.space.locals(t).iter().enumerate() {
                if local.shared != j {
                    continue;
                }
                let cells = local.cells_meeting(want);
                constraints.push(Constraint {
                    evaluator: &layer.evaluator,
                    column: c,
                    cells,
                });
                if !int {
                    break 'tables;
                }
            }
        }
    }
    witness::find(&constraints)
}

/// Where a request falls in the shared space: per column, the cells every table that reads
/// it places it in (all cells where no table can).
fn place(p: &Product, request: &serde_json::Value) -> Vec<Cells> {
    let mut cells: Vec<Cells> = p.space.columns.iter().map(|s| s.full()).collect();
    for (t, layer) in p.layers.iter().enumerate() {
        let Ok(req) = layer
            .evaluator
            .request(&super::product::project(request, layer.table))
        else {
            continue;
        };
        for (c, local) in p.space.locals(t).iter().enumerate() {
            if let (Some(slot), Some(image)) = (
                cells.get_mut(local.shared),
                layer
                    .evaluator
                    .cell(c, &req)
                    .ok()
                    .and_then(|cell| local.images.get(cell)),
            ) {
                *slot = &*slot & image;
            }
        }
    }
    cells
}

/// More cells than this to try in a column, and it is widened past the cells that cannot
/// be taken in ([`Cover::hopeless`]): a region's units, not an enumeration of a few values.
const WIDE: usize = 64;

/// The key of a table that decides (any outcome) where another refuses: a refused value is
/// one difference, whatever the other rules then decide.
pub const ANY_DECIDED: usize = usize::MAX;

/// The exception for requests some table refuses.
pub const REFUSED: &str = "fel";

/// The boxes of one group: its key in each table, the rules that may stand aside as shared
/// exceptions, and the oracle for combinations that cannot happen.
pub struct Cover<'p, 'f> {
    p: &'p Product<'p>,
    feasible: &'f Feasible,
    keys: &'p [usize],
    /// Rules (by id) that decide no difference: where one of them decides alike in every
    /// table, requests are left out of a situation by naming the rule (`utom där …`).
    shared: HashSet<&'p str>,
    /// The name of the exception "a table refuses the request".
    refused: String,
    /// Per column and box with that column left open, what makes each of its cells
    /// hopeless ([`Cover::hopeless`]).
    slices: RefCell<HashMap<(usize, Vec<Cells>), Slices>>,
}

/// What the tables decide in the slices of a box, by cell of one column.
#[derive(Default)]
struct Slices {
    /// Cells whose slice holds a request the group's key does not decide, and no rule
    /// excuses.
    failed: Cells,
    /// Per rule (or `fel`) that excuses requests of the box: the cells whose slice it does.
    excused: HashMap<String, Cells>,
}

impl Slices {
    /// The cells hopeless for a box that may name only the rules of `known`.
    fn hopeless(&self, known: &[String]) -> Cells {
        let mut hopeless = self.failed.clone();
        for (id, cells) in &self.excused {
            if !known.iter().any(|k| k == id) {
                hopeless |= cells;
            }
        }
        hopeless
    }
}

impl<'p, 'f> Cover<'p, 'f> {
    pub fn new(
        p: &'p Product<'p>,
        feasible: &'f Feasible,
        keys: &'p [usize],
        shared: &'p [String],
    ) -> Cover<'p, 'f> {
        Cover {
            p,
            feasible,
            keys,
            shared: shared.iter().map(String::as_str).collect(),
            refused: REFUSED.to_owned(),
            slices: RefCell::new(HashMap::new()),
        }
    }

    /// The shared rules a box leaves out (`fel` for requests a table refuses), or `None`
    /// when it is not valid.
    pub fn exceptions(&self, cells: &[Cells]) -> Option<Vec<String>> {
        self.exceptions_within(cells, None)
    }

    /// [`Cover::exceptions`], or `None` as soon as the box names more than `allowed` rules
    /// outside `known`: a box the caller would reject is not checked to the end.
    fn exceptions_within(
        &self,
        cells: &[Cells],
        limit: Option<(&[String], usize)>,
    ) -> Option<Vec<String>> {
        let mut used = Used {
            ids: Vec::new(),
            limit,
            new: 0,
        };
        self.check(cells, 0, true, &mut used).then(|| {
            let mut ids: Vec<String> = used.ids.into_iter().map(str::to_owned).collect();
            ids.sort();
            ids
        })
    }

    /// What table `t`'s box `d` means for a box inside it: whether the tables up to `t` still
    /// all decide it by the group's key (given `all_key` for those before), and if not, the
    /// rule (or `fel`) both sides share that would excuse it, if any.
    fn step(&self, t: usize, all_key: bool, d: &Decided) -> (bool, Option<&str>) {
        let key = self.keys.get(t).copied();
        let still_key = all_key
            && match key {
                Some(ANY_DECIDED) => d.key != 0,
                k => Some(d.key) == k,
            };
        let excuse = match &d.decider {
            _ if still_key => None,
            Decider::Rule { id, .. } => self.shared.get(id.as_str()).copied(),
            Decider::Refused(_) if key != Some(0) => Some(self.refused.as_str()),
            _ => None,
        };
        (still_key, excuse)
    }

    /// Tables `t..` over the box `cells`, given whether the tables before all decide it by
    /// the group's key (`all_key`); no table before excuses it.
    fn check<'s>(
        &'s self,
        cells: &[Cells],
        t: usize,
        all_key: bool,
        used: &mut Used<'s, '_>,
    ) -> bool {
        let Some(layer) = self.p.layers.get(t) else {
            return all_key || !self.feasible.holds(self.p, cells);
        };
        for b in layer.query(&self.p.space, cells, None) {
            let d = layer.get(b);
            let inside = meet(cells, &d.cells);
            if inside.iter().any(Cells::is_empty) {
                continue;
            }
            let (still_key, excuse) = self.step(t, all_key, d);
            if let Some(id) = excuse {
                // A rule already named needs no search for a request it decides here.
                if !used.ids.contains(&id) && self.feasible.holds(self.p, &inside) && !used.name(id)
                {
                    return false;
                }
                continue;
            }
            if !self.check(&inside, t + 1, still_key, used) {
                return false;
            }
        }
        true
    }

    /// The cells of column `j` whose slice of the box `cells` (the box with that one cell in
    /// `j`) holds a request the group's key does not decide and no rule of `known` excuses:
    /// a box that takes in such a cell is not valid, naming no rule outside `known`. Only for
    /// a column [`Feasible::independent`] of the others. What makes each cell hopeless does
    /// not depend on `known` nor on the box's own cells in `j`, so it is found once for the
    /// rest of the box, and boxes of the group that share it (the same change at each of a
    /// thousand units) share the pass over the tables.
    fn hopeless(&self, cells: &[Cells], j: usize, known: &[String]) -> Cells {
        let mut open = cells.to_vec();
        set(&mut open, j, self.p.space.column(j).full());
        let key = (j, open);
        if let Some(slices) = self.slices.borrow().get(&key) {
            return slices.hopeless(known);
        }
        let mut slices = Slices::default();
        self.slices_of(&key.1, 0, true, j, &mut slices);
        let hopeless = slices.hopeless(known);
        self.slices.borrow_mut().insert(key, slices);
        hopeless
    }

    /// Adds to `slices` what the tables `t..` decide in the box `cells`, by cell of column
    /// `j`, given whether the tables before decide it by the group's key (`all_key`). A
    /// region is searched for a request once for all its cells in `j`: `j` is independent
    /// of the other columns, so the one answer holds for each of them.
    fn slices_of(&self, cells: &[Cells], t: usize, all_key: bool, j: usize, slices: &mut Slices) {
        let Some(layer) = self.p.layers.get(t) else {
            if !all_key
                && self.feasible.holds(self.p, cells)
                && let Some(c) = cells.get(j)
            {
                slices.failed |= c;
            }
            return;
        };
        for b in layer.query(&self.p.space, cells, None) {
            let d = layer.get(b);
            // Nothing to learn where every cell is hopeless whatever the rules named.
            if d.cells.get(j).is_none_or(|c| c.is_subset(&slices.failed)) {
                continue;
            }
            let inside = meet(cells, &d.cells);
            if inside.iter().any(Cells::is_empty) {
                continue;
            }
            let (still_key, excuse) = self.step(t, all_key, d);
            if let Some(id) = excuse {
                if self.feasible.holds(self.p, &inside)
                    && let Some(c) = inside.get(j)
                {
                    match slices.excused.get_mut(id) {
                        Some(cells) => *cells |= c,
                        None => {
                            slices.excused.insert(id.to_owned(), c.clone());
                        }
                    }
                }
                continue;
            }
            self.slices_of(&inside, t + 1, still_key, j, slices);
        }
    }

    /// Boxes that cover `parts` (each a box of the group), valid and as large as the greedy
    /// growth makes them, none of them redundant.
    pub fn cover(&self, parts: &[Vec<Cells>]) -> Vec<Vec<Cells>> {
        let order = self.drop_order(parts);
        let mut chosen: Vec<Vec<Cells>> = Vec::new();
        for part in parts {
            if chosen.iter().any(|c| contains(c, part)) {
                continue;
            }
            chosen.push(self.expand(part, &order));
        }
        irredundant(chosen, parts)
    }

    /// Columns in the order conditions are tried for dropping: those the group's parts
    /// restrict least often first, so incidental conditions go before the ones that tell
    /// the change.
    fn drop_order(&self, parts: &[Vec<Cells>]) -> Vec<usize> {
        let columns = &self.p.space.columns;
        let mut order: Vec<(usize, usize)> = columns
            .iter()
            .enumerate()
            .map(|(j, s)| {
                let n = parts
                    .iter()
                    .filter(|part| part.get(j).is_some_and(|c| *c != s.full()))
                    .count();
                (n, j)
            })
            .collect();
        order.sort_unstable();
        order.into_iter().map(|(_, j)| j).collect()
    }

    /// Grows a part: drops each condition it can do without, where that names at most one
    /// more exception (a condition is better than a list of rules), then widens the rest.
    fn expand(&self, part: &[Cells], order: &[usize]) -> Vec<Cells> {
        let mut cells = part.to_vec();
        let mut except = self.exceptions(&cells).unwrap_or_default();
        // First the conditions that go without naming any new rule, then those that name one.
        for allowed in [0, 1] {
            for &j in order {
                let full = self.p.space.column(j).full();
                let Some(slot) = cells.get(j).cloned() else {
                    continue;
                };
                if slot == full {
                    continue;
                }
                set(&mut cells, j, full);
                match self.exceptions_within(&cells, Some((&except, allowed))) {
                    Some(wider) => except = wider,
                    None => set(&mut cells, j, slot),
                }
            }
        }
        for &j in order {
            let full = self.p.space.column(j).full();
            let Some(mut slot) = cells.get(j).cloned() else {
                continue;
            };
            let candidates = &full - &slot;
            // A cell whose slice alone makes the box invalid is not tried: for a column whose
            // cells do not bear on what can happen, one pass over the tables finds them all
            // (a unit of thousands tried one at a time would query the tables thousands of
            // times per box). The others are tried one at a time, in order. A narrow column
            // is tried cell by cell alone: there, the pass costs more than it saves.
            let hopeless = if candidates.len() > WIDE && self.feasible.independent(j) {
                self.hopeless(&cells, j, &except)
            } else {
                Cells::EMPTY
            };
            for bit in (&candidates - &hopeless).iter() {
                let wider = &slot | &Cells::single(bit);
                set(&mut cells, j, wider.clone());
                match self.exceptions_within(&cells, Some((&except, 0))) {
                    Some(_) => slot = wider,
                    None => set(&mut cells, j, slot.clone()),
                }
            }
        }
        cells
    }
}

/// The exceptions a box names so far, and how many more it may name.
struct Used<'s, 'k> {
    ids: Vec<&'s str>,
    /// The rules the caller knows, and how many others it takes.
    limit: Option<(&'k [String], usize)>,
    /// How many of `ids` are outside the known rules.
    new: usize,
}

impl<'s> Used<'s, '_> {
    /// Names one more exception (not yet named); false when that is one more than allowed.
    fn name(&mut self, id: &'s str) -> bool {
        self.ids.push(id);
        let Some((known, allowed)) = self.limit else {
            return true;
        };
        if !known.iter().any(|k| k == id) {
            self.new += 1;
        }
        self.new <= allowed
    }
}

fn set(cells: &mut [Cells], j: usize, value: Cells) {
    if let Some(slot) = cells.get_mut(j) {
        *slot = value;
    }
}

/// Whether box `outer` contains box `inner`.
pub fn contains(outer: &[Cells], inner: &[Cells]) -> bool {
    outer.iter().zip(inner).all(|(o, i)| i.is_subset(o))
}

/// Drops boxes whose parts the other boxes cover too, smallest first.
fn irredundant(mut boxes: Vec<Vec<Cells>>, parts: &[Vec<Cells>]) -> Vec<Vec<Cells>> {
    let size = |b: &Vec<Cells>| b.iter().map(Cells::len).sum::<usize>();
    boxes.sort_by_key(|b| std::cmp::Reverse(size(b)));
    let mut i = boxes.len();
    while i > 0 {
        i -= 1;
        let others_cover = parts.iter().all(|part| {
            boxes
                .iter()
                .enumerate()
                .any(|(k, b)| k != i && contains(b, part))
                || boxes.get(i).is_none_or(|b| !contains(b, part))
        });
        if others_cover {
            boxes.remove(i);
        }
    }
    boxes
}
