//! Periods that touch are no conflict. The tree reads each comparison of a date fact with a
//! fixed day as a column of its own, so it would split `datum <= 2019-08-31` and `datum >=
//! 2019-09-01` into four branches, one of them both true. No request reaches that branch
//! (its `datum` is one day), so it is no situation: it gets no row, and no conflict or gap
//! is reported in it. Whether a branch is one is asked of [`crate::table::days`], as the
//! analyses ask it of rows.

use super::tree::State;
use crate::table::days::{self, DayBound};
use crate::table::{Column, ColumnKind};

/// The columns of one decision that compare a date fact with a fixed day.
pub struct Days<'c> {
    /// Per column, the bound it reads, and whether its `sant` is the bound not holding.
    bounds: Vec<Option<(DayBound<'c>, bool)>>,
}

impl<'c> Days<'c> {
    pub fn new(columns: &'c [Column]) -> Days<'c> {
        let bounds = columns
            .iter()
            .map(|c| match &c.kind {
                ColumnKind::Predicate(e) => DayBound::of(e),
                _ => None,
            })
            .collect();
        Days { bounds }
    }

    /// Whether some day meets what `state` knows of the date fact `column` compares (true
    /// for a column that compares none). Ask it after narrowing `column`.
    pub fn possible(&self, state: &State, column: usize) -> bool {
        let Some(Some((bound, _))) = self.bounds.get(column) else {
            return true;
        };
        let known: Vec<(DayBound<'c>, bool)> = self
            .bounds
            .iter()
            .enumerate()
            .filter_map(|(c, b)| {
                let (b, negated) = b.as_ref()?;
                if b.fact != bound.fact || !state.is_read(c) {
                    return None;
                }
                // A predicate column's cell 0 is `falskt`, cell 1 `sant`.
                let cells = state.cells(c);
                let holds = match (cells.contains(0), cells.contains(1)) {
                    (false, true) => true,
                    (true, false) => false,
                    _ => return None,
                };
                Some((*b, holds != *negated))
            })
            .collect();
        days::consistent(&known)
    }
}
