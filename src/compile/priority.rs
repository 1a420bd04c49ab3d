//! Priorities from `går före`: which rule beats which (closed transitively), and the order
//! in which the tree asks about rules, stronger rules first.

use crate::check::model::Ruleset;

pub struct Priorities {
    /// `beats[a][b]`: rule a wins over rule b when both apply.
    pub beats: Vec<Vec<bool>>,
    /// Every rule, each before the rules it beats; ties in id order (the order of `rules`).
    pub order: Vec<usize>,
}

/// The priorities among `rules` (indices into `ruleset.rules`, in id order); the result
/// speaks of positions in `rules`.
pub fn priorities(ruleset: &Ruleset, rules: &[usize]) -> Priorities {
    let local_of = |g: usize| rules.iter().position(|&x| x == g);
    let n = rules.len();

    // Priorities: direct `går före`, closed transitively.
    let mut beats = vec![vec![false; n]; n];
    for (a, &g) in rules.iter().enumerate() {
        for &o in ruleset
            .rules
            .get(g)
            .map(|r| r.overrides.as_slice())
            .unwrap_or(&[])
        {
            if let Some(b) = local_of(o)
                && let Some(cell) = beats.get_mut(a).and_then(|row| row.get_mut(b))
            {
                *cell = true;
            }
        }
    }
    for k in 0..n {
        for i in 0..n {
            if beats
                .get(i)
                .and_then(|r| r.get(k))
                .copied()
                .unwrap_or(false)
            {
                let via: Vec<bool> = beats.get(k).cloned().unwrap_or_default();
                if let Some(row) = beats.get_mut(i) {
                    for (cell, v) in row.iter_mut().zip(via) {
                        *cell |= v;
                    }
                }
            }
        }
    }
    // Priority order: stronger rules first, ties by id.
    let mut order = Vec::new();
    let mut placed = vec![false; n];
    while order.len() < n {
        let next = (0..n).find(|&r| {
            !placed.get(r).copied().unwrap_or(true)
                && !(0..n).any(|o| {
                    o != r
                        && !placed.get(o).copied().unwrap_or(true)
                        && beats
                            .get(o)
                            .and_then(|row| row.get(r))
                            .copied()
                            .unwrap_or(false)
                })
        });
        // INVARIANT: the checker rejects priority cycles, so some rule is always free.
        let Some(r) = next.or_else(|| (0..n).find(|&r| !placed.get(r).copied().unwrap_or(true)))
        else {
            break;
        };
        if let Some(p) = placed.get_mut(r) {
            *p = true;
        }
        order.push(r);
    }

    Priorities { beats, order }
}
