//! Sets of cells of one column, of any width: a region's units as a type of a thousand
//! values is as much a column as `sant`/`falskt`. Sets of cells below 64 — nearly every
//! column — are one machine word and never allocate.

use std::fmt;

/// A set of cells (bit i: cell i). The form is canonical, so equal sets are equal values
/// (and hash alike): a set with no cell from 64 up is one word, a wider set has no
/// trailing empty words.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cells(Repr);

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Repr {
    Small(u64),
    /// At least two words, the last one not empty.
    Wide(Box<[u64]>),
}

impl Default for Cells {
    fn default() -> Self {
        Cells::EMPTY
    }
}

impl fmt::Debug for Cells {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Cells {
    /// No cell.
    pub const EMPTY: Cells = Cells(Repr::Small(0));

    /// Cells `0..n`: every cell of a column with `n` cells.
    pub fn full(n: usize) -> Cells {
        if n <= 64 {
            return Cells(Repr::Small(low_bits(n)));
        }
        let mut words = vec![u64::MAX; n.div_ceil(64)];
        if let Some(last) = words.last_mut()
            && !n.is_multiple_of(64)
        {
            *last = low_bits(n % 64);
        }
        Cells::from_words(words)
    }

    /// The one cell `i`.
    pub fn single(i: usize) -> Cells {
        let mut set = Cells::EMPTY;
        set.insert(i);
        set
    }

    /// The cells of a word (cells 0–63).
    pub const fn from_bits(bits: u64) -> Cells {
        Cells(Repr::Small(bits))
    }

    /// The canonical set of these words (word w holds cells 64w..64w+63).
    fn from_words(mut words: Vec<u64>) -> Cells {
        while words.len() > 1 && words.last() == Some(&0) {
            words.pop();
        }
        match words.as_slice() {
            [] => Cells::EMPTY,
            [one] => Cells(Repr::Small(*one)),
            _ => Cells(Repr::Wide(words.into_boxed_slice())),
        }
    }

    fn words(&self) -> &[u64] {
        match &self.0 {
            Repr::Small(w) => std::slice::from_ref(w),
            Repr::Wide(ws) => ws,
        }
    }

    fn word(&self, w: usize) -> u64 {
        self.words().get(w).copied().unwrap_or(0)
    }

    pub fn contains(&self, i: usize) -> bool {
        self.word(i / 64) & (1u64 << (i % 64)) != 0
    }

    pub fn insert(&mut self, i: usize) {
        let bit = 1u64 << (i % 64);
        match &mut self.0 {
            Repr::Small(w) if i < 64 => *w |= bit,
            Repr::Wide(ws) if i / 64 < ws.len() => {
                if let Some(w) = ws.get_mut(i / 64) {
                    *w |= bit;
                }
            }
            _ => {
                let mut words = self.words().to_vec();
                words.resize(i / 64 + 1, 0);
                if let Some(w) = words.last_mut() {
                    *w |= bit;
                }
                *self = Cells::from_words(words);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        // Canonical: a wide set's last word is not empty.
        matches!(self.0, Repr::Small(0))
    }

    /// How many cells.
    pub fn len(&self) -> usize {
        self.words().iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The lowest cell.
    pub fn first(&self) -> Option<usize> {
        self.iter().next()
    }

    /// The cells, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words().iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let b = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    w * 64 + b
                })
            })
        })
    }

    /// Whether the sets share a cell.
    pub fn intersects(&self, other: &Cells) -> bool {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => a & b != 0,
            _ => self
                .words()
                .iter()
                .zip(other.words())
                .any(|(a, b)| a & b != 0),
        }
    }

    /// Whether every cell of `self` is in `other`.
    pub fn is_subset(&self, other: &Cells) -> bool {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => a & !b == 0,
            _ => self
                .words()
                .iter()
                .enumerate()
                .all(|(w, a)| a & !other.word(w) == 0),
        }
    }

    pub fn union(&self, other: &Cells) -> Cells {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => Cells(Repr::Small(a | b)),
            _ => {
                let n = self.words().len().max(other.words().len());
                Cells::from_words((0..n).map(|w| self.word(w) | other.word(w)).collect())
            }
        }
    }

    pub fn intersection(&self, other: &Cells) -> Cells {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => Cells(Repr::Small(a & b)),
            (Repr::Small(a), Repr::Wide(ws)) | (Repr::Wide(ws), Repr::Small(a)) => {
                Cells(Repr::Small(a & ws.first().copied().unwrap_or(0)))
            }
            (Repr::Wide(_), Repr::Wide(_)) => Cells::from_words(
                self.words()
                    .iter()
                    .zip(other.words())
                    .map(|(a, b)| a & b)
                    .collect(),
            ),
        }
    }

    /// The cells of `self` not in `other`.
    pub fn difference(&self, other: &Cells) -> Cells {
        match (&self.0, &other.0) {
            (Repr::Small(a), _) => Cells(Repr::Small(a & !other.word(0))),
            (Repr::Wide(ws), _) => Cells::from_words(
                ws.iter()
                    .enumerate()
                    .map(|(w, a)| a & !other.word(w))
                    .collect(),
            ),
        }
    }
}

/// The lowest `n` bits, `n` at most 64.
fn low_bits(n: usize) -> u64 {
    if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }
}

impl FromIterator<usize> for Cells {
    fn from_iter<I: IntoIterator<Item = usize>>(cells: I) -> Cells {
        let mut set = Cells::EMPTY;
        for c in cells {
            set.insert(c);
        }
        set
    }
}

impl std::ops::BitOr for &Cells {
    type Output = Cells;
    fn bitor(self, other: &Cells) -> Cells {
        self.union(other)
    }
}

impl std::ops::BitAnd for &Cells {
    type Output = Cells;
    fn bitand(self, other: &Cells) -> Cells {
        self.intersection(other)
    }
}

impl std::ops::Sub for &Cells {
    type Output = Cells;
    fn sub(self, other: &Cells) -> Cells {
        self.difference(other)
    }
}

impl std::ops::BitOrAssign<&Cells> for Cells {
    fn bitor_assign(&mut self, other: &Cells) {
        match (&mut self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => *a |= b,
            _ => *self = self.union(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_sets_are_canonical() {
        let mut a = Cells::single(1000);
        a.insert(3);
        let b: Cells = [3, 1000].into_iter().collect();
        assert_eq!(a, b);
        assert_eq!(a.iter().collect::<Vec<_>>(), [3, 1000]);
        // Removing the wide cell gives the one-word form back.
        let narrow = &a - &Cells::single(1000);
        assert_eq!(narrow, Cells::from_bits(0b1000));
        assert!(!(&a & &Cells::single(999)).intersects(&a));
        assert_eq!(
            &Cells::single(999) & &Cells::single(999),
            Cells::single(999)
        );
    }

    #[test]
    fn full_counts_every_cell() {
        for n in [0, 1, 63, 64, 65, 128, 200, 1000] {
            let full = Cells::full(n);
            assert_eq!(full.len(), n, "{n}");
            assert_eq!(full.iter().last(), n.checked_sub(1), "{n}");
            assert!(!full.contains(n));
            assert!(Cells::single(n.saturating_sub(1)).is_subset(&Cells::full(n.max(1))));
        }
        assert!(Cells::full(0).is_empty());
        assert!((&Cells::full(200) - &Cells::full(200)).is_empty());
    }
}
