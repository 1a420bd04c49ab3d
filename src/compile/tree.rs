//! The decision tree: split on one column at a time, in the order a careful reader would
//! ask — the strongest rule's next condition first — until the winner is known. Leaves
//! become rows; identical sibling subtrees are merged, so one real situation is one row.

use super::days::Days;
use super::lower::Formula;
use super::priority::Priorities;
use crate::table::Cells;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Three-valued result of a formula on a partly known input.
enum Tri {
    True,
    False,
    /// Unknown; the column to test next (the leftmost undecided one).
    Unknown(usize),
}

/// What a leaf decides.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Leaf {
    /// A rule (or the default, `rule: None`) decides; `overridden` applied too but lost.
    Decided {
        outcome: usize,
        reason: Option<String>,
        rule: Option<usize>,
        overridden: Vec<usize>,
    },
    /// Two rules apply with different outcomes and no priority between them.
    Conflict { a: usize, b: usize },
    /// No rule applies and there is no default.
    Gap,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    Leaf(Leaf),
    Split {
        column: usize,
        branches: Vec<(Cells, Node)>,
    },
}

/// A rule as the tree sees it.
pub struct TreeRule {
    pub formula: Formula,
    pub outcome: usize,
    pub reason: Option<String>,
}

/// A problem leaf and the cells that lead to it.
pub struct Problem {
    pub leaf: Leaf,
    pub state: Vec<Cells>,
}

pub struct Builder<'a> {
    pub rules: &'a [TreeRule],
    /// Which rule wins over which (transitively).
    pub priorities: &'a Priorities,
    pub default: Option<(usize, Option<String>)>,
    /// The columns that compare a date fact with a fixed day.
    pub days: &'a Days<'a>,
    pub problems: Vec<Problem>,
    /// Nodes built so far; past [`MAX_NODES`] the build stops and `exhausted` is set.
    pub nodes: usize,
    pub exhausted: bool,
}

/// The most nodes one decision's tree may have. Rules that are ordered by `går före` stay
/// far below this; many unordered rules can multiply the cases, and then compiling stops
/// with a diagnostic instead of running for hours.
pub const MAX_NODES: usize = 500_000;

/// What is known of the input at a node: the cells each column may still be in, and which
/// columns have been read. A condition that reads a column counts as unknown until the
/// column is read, even when every value would give the same answer: evaluation reads what
/// the rules read, so a missing fact is an error, never a silent default.
pub struct State {
    pub cells: Vec<Cells>,
    pub read: Vec<bool>,
}

impl State {
    /// The cells column `c` may still be in.
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: formulas name only columns of this decision, and the state has one entry per column"
    )]
    pub fn cells(&self, c: usize) -> &Cells {
        &self.cells[c]
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: formulas name only columns of this decision, and the state has one entry per column"
    )]
    pub fn is_read(&self, c: usize) -> bool {
        self.read[c]
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: formulas name only columns of this decision, and the state has one entry per column"
    )]
    fn set(&mut self, c: usize, cells: Cells, read: bool) {
        self.cells[c] = cells;
        self.read[c] = read;
    }
}

fn eval(f: &Formula, state: &State) -> Tri {
    match f {
        Formula::Const(true) => Tri::True,
        Formula::Const(false) => Tri::False,
        Formula::Atom(c, cells) => {
            let possible = state.cells(*c);
            if !state.is_read(*c) {
                Tri::Unknown(*c)
            } else if possible.is_subset(cells) {
                Tri::True
            } else if !possible.intersects(cells) {
                Tri::False
            } else {
                Tri::Unknown(*c)
            }
        }
        Formula::Not(inner) => match eval(inner, state) {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            u => u,
        },
        // Strictly left to right, as evaluation reads them.
        Formula::And(parts) | Formula::Or(parts) => {
            let is_and = matches!(f, Formula::And(_));
            for p in parts {
                match (eval(p, state), is_and) {
                    (Tri::False, true) => return Tri::False,
                    (Tri::True, false) => return Tri::True,
                    (Tri::Unknown(c), _) => return Tri::Unknown(c),
                    _ => {}
                }
            }
            if is_and { Tri::True } else { Tri::False }
        }
    }
}

/// Every cell set the formula tests on `column`.
fn atoms_on<'f>(f: &'f Formula, column: usize, out: &mut Vec<&'f Cells>) {
    match f {
        Formula::Atom(c, cells) if *c == column => out.push(cells),
        Formula::Not(inner) => atoms_on(inner, column, out),
        Formula::And(parts) | Formula::Or(parts) => {
            parts.iter().for_each(|p| atoms_on(p, column, out))
        }
        _ => {}
    }
}

/// The cells of `possible` grouped so that every atom treats the cells of a group alike:
/// each group is one branch, the groups in the order of their lowest cell. The groups are
/// refined atom by atom, each cell of an atom moving its group's cells that the atom holds
/// into a new group: the work grows with the cells the atoms hold, not with atoms × groups,
/// nor with the column's width (a type of thousands of units, one atom per unit).
fn classes(possible: &Cells, atoms: &[&Cells]) -> Vec<Cells> {
    // The group of each cell some atom holds; every other cell of `possible` is in group 0.
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    let mut groups = 1;
    for atom in atoms {
        // Per group this atom cuts: the group its cells move to.
        let mut moved: HashMap<usize, usize> = HashMap::new();
        for cell in atom.intersection(possible).iter() {
            let group = group_of.entry(cell).or_insert(0);
            *group = *moved.entry(*group).or_insert_with(|| {
                groups += 1;
                groups - 1
            });
        }
    }
    let touched: Cells = group_of.keys().copied().collect();
    let mut members: HashMap<usize, Cells> = HashMap::new();
    for (&cell, &group) in &group_of {
        members.entry(group).or_insert(Cells::EMPTY).insert(cell);
    }
    let mut classes: Vec<Cells> = members.into_values().collect();
    classes.push(possible.difference(&touched));
    classes.retain(|c| !c.is_empty());
    classes.sort_by_key(Cells::first);
    classes
}

impl Builder<'_> {
    fn beats(&self, a: usize, b: usize) -> bool {
        self.priorities.beats(a, b)
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: candidates and the leaves hold positions in `rules`"
    )]
    fn rule(&self, r: usize) -> &TreeRule {
        &self.rules[r]
    }

    /// What a rule gives: its outcome and reason.
    fn gives(&self, r: usize) -> (usize, &Option<String>) {
        let rule = self.rule(r);
        (rule.outcome, &rule.reason)
    }

    /// The subtree for `state`. `candidates` (in priority order) are the rules not known to
    /// be false in `state`: every other rule is false here, and stays false below, since a
    /// child's state only narrows its parent's.
    pub fn build(&mut self, state: &mut State, candidates: &[usize]) -> Node {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            self.exhausted = true;
        }
        if self.exhausted {
            return Node::Leaf(Leaf::Gap);
        }
        let (applies, open, alive) = self.open_rules(state, candidates);
        let Some(&(_, column)) = open.first() else {
            return Node::Leaf(self.leaf(&applies, &state.cells));
        };
        let possible = state.cells(column).clone();
        let mut atoms = Vec::new();
        for &(r, _) in &open {
            atoms_on(&self.rule(r).formula, column, &mut atoms);
        }
        atoms.sort();
        atoms.dedup();
        let classes = classes(&possible, &atoms);
        let per_class = self.candidates_per_class(state, column, &possible, &classes, &alive);
        let mut branches: Vec<(Cells, Node)> = Vec::new();
        // The branches by their subtree's hash: a child is compared only with the branches
        // whose subtree hashes alike, so a split into thousands of classes stays linear.
        let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::new();
        for (class, candidates) in classes.into_iter().zip(per_class) {
            state.set(column, class.clone(), true);
            // Dates no day meets (periods that touch): no situation, so no row.
            if !self.days.possible(state, column) {
                continue;
            }
            let child = self.build(state, &candidates);
            let hash = {
                let mut h = DefaultHasher::new();
                child.hash(&mut h);
                h.finish()
            };
            let alike = by_hash.entry(hash).or_default();
            let same = alike
                .iter()
                .copied()
                .find(|&i| branches.get(i).is_some_and(|(_, n)| *n == child));
            match same.and_then(|i| branches.get_mut(i)) {
                Some((cells, _)) => *cells |= &class,
                None => {
                    alike.push(branches.len());
                    branches.push((class, child));
                }
            }
        }
        state.set(column, possible, false);
        // A split whose branches all merged stays: the column is still read.
        Node::Split { column, branches }
    }

    /// For each class of a split on `column`, the rules of `alive` (in priority order) not
    /// false once the column is read and known to be in the class. A rule that does not
    /// test the column is kept for every class; one that does is evaluated once for the
    /// classes its atoms on the column miss (they are all alike to it) and once for each
    /// class they meet, so a wide column of one-value conditions costs a few evaluations
    /// per rule, not one per rule and class.
    fn candidates_per_class(
        &self,
        state: &mut State,
        column: usize,
        possible: &Cells,
        classes: &[Cells],
        alive: &[usize],
    ) -> Vec<Vec<usize>> {
        let mut per_class: Vec<Vec<usize>> = vec![Vec::new(); classes.len()];
        // The class of each cell of the column. The classes split `possible`, so a cell of
        // it in none of the others is in the largest, which is left out of the map: a
        // condition's split of a wide column ({e5} and every other unit) costs its few cells.
        let largest = classes
            .iter()
            .enumerate()
            .max_by_key(|(_, c)| c.len())
            .map(|(i, _)| i);
        let mut in_smaller: HashMap<usize, usize> = HashMap::new();
        for (i, class) in classes.iter().enumerate() {
            if Some(i) != largest {
                in_smaller.extend(class.iter().map(|cell| (cell, i)));
            }
        }
        let class_of = |cell: usize| in_smaller.get(&cell).copied().or(largest);
        let mut atoms = Vec::new();
        let mut met: Vec<usize> = Vec::new();
        for &r in alive {
            atoms.clear();
            atoms_on(&self.rule(r).formula, column, &mut atoms);
            if atoms.is_empty() {
                per_class.iter_mut().for_each(|c| c.push(r));
                continue;
            }
            let touched = atoms.iter().fold(Cells::EMPTY, |acc, a| &acc | *a);
            met.clear();
            met.extend(touched.intersection(possible).iter().filter_map(class_of));
            met.sort_unstable();
            met.dedup();
            let outside = possible.difference(&touched);
            if !outside.is_empty() {
                state.set(column, outside, true);
                if !matches!(eval(&self.rule(r).formula, state), Tri::False) {
                    for (i, c) in per_class.iter_mut().enumerate() {
                        if met.binary_search(&i).is_err() {
                            c.push(r);
                        }
                    }
                }
            }
            for &i in &met {
                let (Some(class), Some(list)) = (classes.get(i), per_class.get_mut(i)) else {
                    continue;
                };
                state.set(column, class.clone(), true);
                if !matches!(eval(&self.rule(r).formula, state), Tri::False) {
                    list.push(r);
                }
            }
        }
        state.set(column, possible.clone(), false);
        per_class
    }

    /// The rules of `candidates` that apply in `state`, and those that still might, each
    /// with the column to read next, in priority order; and every candidate not false here.
    fn open_rules(
        &self,
        state: &State,
        candidates: &[usize],
    ) -> (Vec<usize>, Vec<(usize, usize)>, Vec<usize>) {
        let mut applies = Vec::new();
        let mut open: Vec<(usize, usize)> = Vec::new();
        let mut alive = Vec::new();
        for &r in candidates {
            match eval(&self.rule(r).formula, state) {
                Tri::True => applies.push(r),
                Tri::Unknown(c) => open.push((r, c)),
                Tri::False => continue,
            }
            alive.push(r);
        }
        // A rule beaten by one that applies can no longer matter.
        open.retain(|(u, _)| !applies.iter().any(|&t| self.beats(t, *u)));
        // Nor can the rest, when they would give the winner's outcome, come after it and beat
        // nothing that applies: neither the outcome nor the winner can change. (Without this,
        // many unordered rules with one outcome would multiply the cases.)
        if let Some(&winner) = applies
            .iter()
            .find(|&&t| !applies.iter().any(|&o| o != t && self.beats(o, t)))
        {
            let rank = |r: usize| self.priorities.rank(r);
            let settled = applies.iter().all(|&t| self.gives(t) == self.gives(winner))
                && open.iter().all(|&(u, _)| {
                    self.gives(u) == self.gives(winner)
                        && rank(u) > rank(winner)
                        && !applies.iter().any(|&t| self.beats(u, t))
                });
            if settled {
                open.clear();
            }
        }
        (applies, open, alive)
    }

    fn leaf(&mut self, applies: &[usize], state: &[Cells]) -> Leaf {
        let winners: Vec<usize> = applies
            .iter()
            .copied()
            .filter(|&t| !applies.iter().any(|&o| o != t && self.beats(o, t)))
            .collect();
        let Some(&first) = winners.first() else {
            return match &self.default {
                Some((outcome, reason)) => Leaf::Decided {
                    outcome: *outcome,
                    reason: reason.clone(),
                    rule: None,
                    overridden: Vec::new(),
                },
                None => {
                    self.problems.push(Problem {
                        leaf: Leaf::Gap,
                        state: state.to_vec(),
                    });
                    Leaf::Gap
                }
            };
        };
        if let Some(&other) = winners
            .iter()
            .find(|&&w| self.gives(w) != self.gives(first))
        {
            let leaf = Leaf::Conflict {
                a: first.min(other),
                b: first.max(other),
            };
            if !self.problems.iter().any(|p| p.leaf == leaf) {
                self.problems.push(Problem {
                    leaf: leaf.clone(),
                    state: state.to_vec(),
                });
            }
            return leaf;
        }
        let (outcome, reason) = self.gives(first);
        let (outcome, reason) = (outcome, reason.clone());
        let overridden = applies.iter().copied().filter(|&r| r != first).collect();
        Leaf::Decided {
            outcome,
            reason,
            rule: Some(first),
            overridden,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::*;
    use proptest::prelude::*;

    /// The classes by their definition: cells of `possible` grouped by the atoms that hold
    /// them, the groups in the order of their lowest cell.
    fn by_definition(possible: &Cells, atoms: &[&Cells]) -> Vec<Cells> {
        let mut groups: Vec<(Vec<bool>, Cells)> = Vec::new();
        for cell in possible.iter() {
            let signature: Vec<bool> = atoms.iter().map(|a| a.contains(cell)).collect();
            match groups.iter_mut().find(|(s, _)| *s == signature) {
                Some((_, cells)) => cells.insert(cell),
                None => groups.push((signature, Cells::single(cell))),
            }
        }
        groups.into_iter().map(|(_, cells)| cells).collect()
    }

    fn cells(width: usize) -> impl Strategy<Value = Cells> {
        proptest::collection::vec(0..width, 0..12).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn classes_group_cells_by_the_atoms_that_hold_them(
            possible in cells(150),
            atoms in proptest::collection::vec(cells(150), 0..20),
            wide in proptest::bool::ANY,
        ) {
            // A wide column: every cell possible, as for a type of many units.
            let possible = if wide { Cells::full(150) } else { possible };
            let atoms: Vec<&Cells> = atoms.iter().collect();
            prop_assert_eq!(classes(&possible, &atoms), by_definition(&possible, &atoms));
        }
    }
}
