//! The inputs a column reads, in a form shared by every table (atoms), and what a
//! combination of rows requires of each (domains): cells intersected per input, and
//! comparisons of one date fact with fixed dates intersected as intervals of days.

#[cfg(test)]
use crate::table::TextExpr;
use crate::table::days::{self, DayBound};
use crate::table::expr::show;
use crate::table::{BoolExpr, Cells, ColumnKind, CompareOp, DateExpr, IntExpr};

/// The input a column reads, in a form shared by every table, and how its cells map to it.
#[derive(Clone, Debug)]
pub(super) enum Atom {
    Enum {
        fact: String,
        labels: Vec<String>,
    },
    /// A truth: a true/false fact or a condition in canonical form. Cell 0 is `falskt`, cell
    /// 1 `sant`; `negated` when the column reads the canonical condition's negation.
    Truth {
        key: Truth,
        negated: bool,
    },
    Int {
        term: IntExpr,
        intervals: Vec<(i64, i64)>,
    },
}

/// A true/false input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Truth {
    Fact(String),
    Condition(BoolExpr),
    /// Whether a request gives an optional fact: false is `saknas`, true `finns`.
    Present(String),
}

/// What a combination of rows requires of one input.
#[derive(Clone, Debug)]
pub(super) enum Domain {
    Values(String, Vec<String>),
    /// Bit 0: may be false; bit 1: may be true.
    Truth(Truth, u8),
    Ints(IntExpr, Vec<(i64, i64)>),
}

pub(super) fn atom(kind: &ColumnKind, labels: &[String]) -> Atom {
    match kind {
        ColumnKind::Enum(f) => Atom::Enum {
            fact: f.clone(),
            labels: labels.to_vec(),
        },
        ColumnKind::Bool(f) => Atom::Truth {
            key: Truth::Fact(f.clone()),
            negated: false,
        },
        ColumnKind::Int { term, intervals } => Atom::Int {
            term: term.clone(),
            intervals: intervals.clone(),
        },
        ColumnKind::Predicate(e) => {
            let (e, negated) = canonical(e);
            let key = match e {
                BoolExpr::Fact(f) => Truth::Fact(f),
                other => Truth::Condition(other),
            };
            Atom::Truth { key, negated }
        }
        // Cell 0 is `saknas`, cell 1 `finns`: a truth like any other.
        ColumnKind::Presence(f) => Atom::Truth {
            key: Truth::Present(f.clone()),
            negated: false,
        },
    }
}

pub(super) fn has(cells: &Cells, i: usize) -> bool {
    cells.contains(i)
}

pub(super) fn domain(atom: &Atom, cells: &Cells) -> Domain {
    match atom {
        Atom::Enum { fact, labels } => Domain::Values(
            fact.clone(),
            // The cells set, not every label of a wide type.
            cells
                .iter()
                .filter_map(|i| labels.get(i))
                .cloned()
                .collect(),
        ),
        Atom::Truth { key, negated } => {
            let (f, t) = (has(cells, 0), has(cells, 1));
            let (f, t) = if *negated { (t, f) } else { (f, t) };
            Domain::Truth(key.clone(), u8::from(f) | (u8::from(t) << 1))
        }
        Atom::Int { term, intervals } => Domain::Ints(
            term.clone(),
            intervals
                .iter()
                .enumerate()
                .filter(|(i, _)| has(cells, *i))
                .map(|(_, r)| *r)
                .collect(),
        ),
    }
}

pub(super) fn same_input(a: &Domain, b: &Domain) -> bool {
    match (a, b) {
        (Domain::Values(x, _), Domain::Values(y, _)) => x == y,
        (Domain::Truth(x, _), Domain::Truth(y, _)) => x == y,
        (Domain::Ints(x, _), Domain::Ints(y, _)) => x == y,
        _ => false,
    }
}

pub(super) fn is_empty(d: &Domain) -> bool {
    match d {
        Domain::Values(_, v) => v.is_empty(),
        Domain::Truth(_, t) => *t == 0,
        Domain::Ints(_, r) => r.is_empty(),
    }
}

/// Narrows `a` to what `b` allows too (both on the same input); false when nothing is left.
pub(super) fn narrow(a: &mut Domain, b: &Domain) -> bool {
    match (&mut *a, b) {
        (Domain::Values(_, x), Domain::Values(_, y)) => {
            // A set for many values (most of a wide type), so the cost stays linear.
            if y.len() > 16 {
                let y: std::collections::HashSet<&str> = y.iter().map(String::as_str).collect();
                x.retain(|v| y.contains(v.as_str()));
            } else {
                x.retain(|v| y.contains(v));
            }
        }
        (Domain::Truth(_, x), Domain::Truth(_, y)) => *x &= *y,
        (Domain::Ints(_, x), Domain::Ints(_, y)) => {
            let mut both = Vec::new();
            for (lo, hi) in x.iter() {
                for (l2, h2) in y {
                    let (l, h) = ((*lo).max(*l2), (*hi).min(*h2));
                    if l <= h {
                        both.push((l, h));
                    }
                }
            }
            *x = both;
        }
        _ => {}
    }
    !is_empty(a)
}

// ---------------------------------------------------------------- canonical conditions

/// A condition in one canonical form, and whether the given one is its negation: `a > b` is
/// `b < a`, `a >= b` is not `a < b`, `a ≠ b` is not `a = b`, and equalities have their
/// sides in a fixed order. Two columns that read the same comparison, written either way,
/// then read the same input.
pub(super) fn canonical(e: &BoolExpr) -> (BoolExpr, bool) {
    match e {
        BoolExpr::Not(inner) => {
            let (c, negated) = canonical(inner);
            (c, !negated)
        }
        BoolExpr::DateCmp(l, op, r) => {
            let ordered = |a: &DateExpr, b: &DateExpr| {
                if show::date_expr(a) <= show::date_expr(b) {
                    (a.clone(), b.clone())
                } else {
                    (b.clone(), a.clone())
                }
            };
            let lt =
                |a: &DateExpr, b: &DateExpr| BoolExpr::DateCmp(a.clone(), CompareOp::Lt, b.clone());
            match op {
                CompareOp::Lt => (lt(l, r), false),
                CompareOp::Gt => (lt(r, l), false),
                CompareOp::Le => (lt(r, l), true),
                CompareOp::Ge => (lt(l, r), true),
                CompareOp::Eq | CompareOp::Ne => {
                    let (a, b) = ordered(l, r);
                    (BoolExpr::DateCmp(a, CompareOp::Eq, b), *op == CompareOp::Ne)
                }
            }
        }
        BoolExpr::TextEq(l, r) => {
            let (a, b) = if show::text_expr(l) <= show::text_expr(r) {
                (l.clone(), r.clone())
            } else {
                (r.clone(), l.clone())
            };
            (BoolExpr::TextEq(a, b), false)
        }
        BoolExpr::And(es) => (BoolExpr::And(es.iter().map(signed).collect()), false),
        BoolExpr::Or(es) => (BoolExpr::Or(es.iter().map(signed).collect()), false),
        other => (other.clone(), false),
    }
}

/// The canonical form with its negation written out, for use inside `och`/`eller`.
pub(super) fn signed(e: &BoolExpr) -> BoolExpr {
    match canonical(e) {
        (c, false) => c,
        (c, true) => BoolExpr::Not(Box::new(c)),
    }
}

// ---------------------------------------------------------------- dates against fixed days

/// False when the known truths of comparisons between one date fact and fixed days leave
/// that fact no day ([`days::consistent`], which the compiler asks too).
pub(super) fn dates_consistent(domains: &[Domain]) -> bool {
    let known: Vec<(DayBound<'_>, bool)> = domains
        .iter()
        .filter_map(|d| {
            let Domain::Truth(Truth::Condition(e), truths) = d else {
                return None;
            };
            let holds = match truths {
                0b01 => false,
                0b10 => true,
                _ => return None,
            };
            let (bound, negated) = DayBound::of(e)?;
            Some((bound, holds != negated))
        })
        .collect();
    days::consistent(&known)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::*;
    use crate::time::Date;

    fn date_fact(f: &str) -> DateExpr {
        DateExpr::Fact(f.into())
    }

    fn text_eq(a: &str, b: &str) -> BoolExpr {
        BoolExpr::TextEq(TextExpr::Fact(a.into()), TextExpr::Fact(b.into()))
    }

    #[test]
    fn comparisons_written_either_way_are_one_input() {
        let a = BoolExpr::DateCmp(date_fact("x"), CompareOp::Ge, date_fact("y"));
        let b = BoolExpr::DateCmp(date_fact("y"), CompareOp::Gt, date_fact("x"));
        // x >= y and inte (y > x) are the same condition: the negation of x < y.
        let b = BoolExpr::Not(Box::new(b));
        assert_eq!(canonical(&a), canonical(&b));
        assert!(canonical(&a).1);
        assert_eq!(canonical(&text_eq("a", "b")), canonical(&text_eq("b", "a")));
        let ne = BoolExpr::Not(Box::new(text_eq("b", "a")));
        assert_eq!(canonical(&ne), (text_eq("a", "b"), true));
    }

    #[test]
    fn fixed_days_that_exclude_each_other_are_disjoint() {
        let day = |s: &str| DateExpr::Literal(Date::parse(s).unwrap());
        let lt = |l: DateExpr, r: DateExpr| {
            Domain::Truth(
                Truth::Condition(BoolExpr::DateCmp(l, CompareOp::Lt, r)),
                0b10,
            )
        };
        // datum < 2020-01-01 and 2021-01-01 < datum
        let both = [
            lt(date_fact("datum"), day("2020-01-01")),
            lt(day("2021-01-01"), date_fact("datum")),
        ];
        assert!(!dates_consistent(&both));
        let apart = [
            lt(date_fact("datum"), day("2022-01-01")),
            lt(day("2021-01-01"), date_fact("datum")),
        ];
        assert!(dates_consistent(&apart));
    }
}
