//! Priorities from `går före`: which rule beats which (closed transitively), and the order
//! in which the tree asks about rules, stronger rules first.

use crate::check::model::{RuleId, Ruleset};

pub struct Priorities {
    /// `beats[a][b]`: rule a wins over rule b when both apply.
    pub beats: Vec<Vec<bool>>,
    /// Every rule, each before the rules it beats; ties in id order (the order of `rules`).
    pub order: Vec<usize>,
}

/// The priorities among `rules` (one decision's rules, in id order); the result speaks of
/// positions in `rules`.
#[expect(
    clippy::indexing_slicing,
    reason = "INVARIANT: `beats` is n×n and every index below is a position in `rules`, so below n"
)]
pub fn priorities(ruleset: &Ruleset, rules: &[RuleId]) -> Priorities {
    let n = rules.len();
    // Direct `går före` among these rules (one naming a rule of another decision has no
    // effect on this one).
    let mut beats = vec![vec![false; n]; n];
    for (a, &r) in rules.iter().enumerate() {
        for o in &ruleset.rule(r).overrides {
            if let Some(b) = rules.iter().position(|x| x == o) {
                beats[a][b] = true;
            }
        }
    }
    // Closed transitively (Warshall).
    for k in 0..n {
        for i in 0..n {
            if beats[i][k] {
                let via = beats[k].clone();
                for (cell, v) in beats[i].iter_mut().zip(via) {
                    *cell |= v;
                }
            }
        }
    }
    // Stronger rules first, ties by id: repeatedly the first rule no unplaced rule beats.
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    while order.len() < n {
        let free =
            (0..n).find(|&r| !placed[r] && !(0..n).any(|o| o != r && !placed[o] && beats[o][r]));
        // INVARIANT: the checker rejects priority rings, so some unplaced rule is always
        // free; should one slip through, its rules still all get a place, in id order.
        let Some(r) = free.or_else(|| (0..n).find(|&r| !placed[r])) else {
            break;
        };
        placed[r] = true;
        order.push(r);
    }
    Priorities { beats, order }
}
