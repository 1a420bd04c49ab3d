//! Priorities from `går före`: which rule beats which (closed transitively), and the order
//! in which the tree asks about rules, stronger rules first.
//!
//! Both are computed from the direct `går före` edges in time and memory proportional to
//! the relation itself (each rule's list of the rules it beats), not to the square of the
//! number of rules: a 10,000-rule region whose rules each beat a few others stays small.

use crate::check::model::{RuleId, Ruleset};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

pub struct Priorities {
    /// Per rule, the rules it beats (transitively), ascending.
    beaten: Vec<Vec<usize>>,
    /// Every rule, each before the rules it beats; ties in id order (the order of `rules`).
    pub order: Vec<usize>,
    /// Per rule, its place in `order`.
    rank: Vec<usize>,
}

impl Priorities {
    /// The priorities of one rule, alone.
    pub fn alone() -> Priorities {
        Priorities {
            beaten: vec![Vec::new()],
            order: vec![0],
            rank: vec![0],
        }
    }

    /// Rule `a` wins over rule `b` when both apply.
    pub fn beats(&self, a: usize, b: usize) -> bool {
        self.beaten
            .get(a)
            .is_some_and(|beaten| beaten.binary_search(&b).is_ok())
    }

    /// A rule's place in [`Priorities::order`]; `None` for a position outside `rules`.
    pub fn rank(&self, r: usize) -> Option<usize> {
        self.rank.get(r).copied()
    }
}

/// The priorities among `rules` (one decision's rules, in id order); the result speaks of
/// positions in `rules`.
pub fn priorities(ruleset: &Ruleset, rules: &[RuleId]) -> Priorities {
    let position: HashMap<RuleId, usize> = rules.iter().enumerate().map(|(i, &r)| (r, i)).collect();
    // Direct `går före` among these rules (one naming a rule of another decision has no
    // effect on this one).
    let direct: Vec<Vec<usize>> = rules
        .iter()
        .enumerate()
        .map(|(a, &r)| {
            let mut beaten: Vec<usize> = ruleset
                .rule(r)
                .overrides
                .iter()
                .filter_map(|o| position.get(o).copied())
                .filter(|&b| b != a)
                .collect();
            beaten.sort_unstable();
            beaten.dedup();
            beaten
        })
        .collect();
    let order = order(&direct);
    let mut rank = vec![0; order.len()];
    for (place, &r) in order.iter().enumerate() {
        if let Some(slot) = rank.get_mut(r) {
            *slot = place;
        }
    }
    Priorities {
        beaten: closure(&direct),
        order,
        rank,
    }
}

/// Per rule, every rule reachable from it over `direct`: a search from each rule, with a
/// stamp per rule so no set is cleared between searches.
fn closure(direct: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = direct.len();
    let mut seen = vec![usize::MAX; n];
    let mut stack = Vec::new();
    (0..n)
        .map(|a| {
            let mut reached = Vec::new();
            stack.push(a);
            while let Some(r) = stack.pop() {
                for &b in direct.get(r).map_or(&[][..], Vec::as_slice) {
                    if let Some(mark) = seen.get_mut(b)
                        && *mark != a
                    {
                        *mark = a;
                        reached.push(b);
                        stack.push(b);
                    }
                }
            }
            reached.sort_unstable();
            reached
        })
        .collect()
}

/// Stronger rules first, ties by id: repeatedly the first rule no unplaced rule beats. With
/// no ring of `går före` (the checker rejects rings) "no unplaced rule beats it directly"
/// is the same as "transitively", so this is a topological order taking the lowest free
/// position each time.
fn order(direct: &[Vec<usize>]) -> Vec<usize> {
    let n = direct.len();
    let mut beaten_by = vec![0usize; n];
    for beaten in direct {
        for &b in beaten {
            if let Some(count) = beaten_by.get_mut(b) {
                *count += 1;
            }
        }
    }
    let mut free: BinaryHeap<Reverse<usize>> = (0..n)
        .filter(|&r| beaten_by.get(r) == Some(&0))
        .map(Reverse)
        .collect();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut next_unplaced = 0;
    while order.len() < n {
        // INVARIANT: the checker rejects priority rings, so some unplaced rule is always
        // free; should one slip through, its rules still all get a place, in id order.
        let r = match free.pop() {
            Some(Reverse(r)) => r,
            None => {
                while placed.get(next_unplaced) == Some(&true) {
                    next_unplaced += 1;
                }
                next_unplaced
            }
        };
        match placed.get_mut(r) {
            Some(p) if !*p => *p = true,
            _ => continue,
        }
        order.push(r);
        for &b in direct.get(r).map_or(&[][..], Vec::as_slice) {
            if let Some(count) = beaten_by.get_mut(b) {
                *count = count.saturating_sub(1);
                if *count == 0 && placed.get(b) == Some(&false) {
                    free.push(Reverse(b));
                }
            }
        }
    }
    order
}
