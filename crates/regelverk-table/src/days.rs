//! Comparisons of one date fact with fixed days (`datum >= 2019-09-01`, `post.datum <
//! 2016-10-01`), and whether known truths of several of them leave the fact any day at all.
//!
//! A table reads each comparison as a true/false column of its own, so nothing in the
//! columns says that `datum <= 2019-08-31` and `datum >= 2019-09-01` cannot both hold. Two
//! periods that touch (`gäller till och med 2019-08-31`, `gäller från 2019-09-01`) would
//! then look like rules that can apply on the same day. The compiler asks here before it
//! reports such a combination, and the analyses before they call two rows overlapping.

use crate::expr::{BoolExpr, CompareOp, DateExpr};
use crate::time::{Date, Unit};

/// A comparison of one date fact with a fixed day, as the fact's relation to that day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayBound<'e> {
    /// The date fact compared.
    pub fact: &'e str,
    relation: Relation,
    day: Date,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Relation {
    /// The fact is before the day.
    Before,
    /// The fact is after the day.
    After,
    /// The fact is the day.
    On,
}

impl<'e> DayBound<'e> {
    /// The bound `e` is, if it compares one date fact with a day that reads no fact (through
    /// any number of `inte`), and whether `e` holds exactly when the bound does not: `datum >=
    /// 2019-09-01` is "not before 2019-09-01", `datum ≠ D` is "not on D".
    pub fn of(e: &'e BoolExpr) -> Option<(DayBound<'e>, bool)> {
        match e {
            BoolExpr::Not(inner) => DayBound::of(inner).map(|(b, negated)| (b, !negated)),
            BoolExpr::DateCmp(l, op, r) => {
                let (fact, op, day) = match (fact_of(l), date(r), date(l), fact_of(r)) {
                    (Some(fact), Some(day), _, _) => (fact, *op, day),
                    (_, _, Some(day), Some(fact)) => (fact, op.flipped(), day),
                    _ => return None,
                };
                let (relation, negated) = match op {
                    CompareOp::Lt => (Relation::Before, false),
                    CompareOp::Ge => (Relation::Before, true),
                    CompareOp::Gt => (Relation::After, false),
                    CompareOp::Le => (Relation::After, true),
                    CompareOp::Eq => (Relation::On, false),
                    CompareOp::Ne => (Relation::On, true),
                };
                Some((
                    DayBound {
                        fact,
                        relation,
                        day,
                    },
                    negated,
                ))
            }
            _ => None,
        }
    }

    /// The days on either side of the bound's boundary: the last day before the comparison
    /// changes its truth and the first after (for `=`, the day and its neighbours). An
    /// example on each of them shows the boundary.
    pub fn sides(&self) -> Vec<Date> {
        let shifts: &[i64] = match self.relation {
            Relation::Before => &[-1, 0],
            Relation::After => &[0, 1],
            Relation::On => &[-1, 0, 1],
        };
        shifts
            .iter()
            .filter_map(|n| self.day.shift(*n, Unit::Days))
            .collect()
    }

    /// The day, as a number of days.
    fn day(&self) -> i64 {
        i64::from(self.day.days())
    }
}

/// False when bounds known to hold (`true`) or not (`false`) leave some fact no day. Exact
/// for these comparisons, since days are whole numbers: `datum <= 2019-08-31` holding and
/// `datum >= 2019-09-01` holding leave `datum` nothing.
pub fn consistent(known: &[(DayBound<'_>, bool)]) -> bool {
    let mut facts: Vec<&str> = known.iter().map(|(b, _)| b.fact).collect();
    facts.sort_unstable();
    facts.dedup();
    facts.into_iter().all(|fact| {
        // The fact's days: lo..=hi, except the days in `not`.
        let mut lo = i64::MIN;
        let mut hi = i64::MAX;
        let mut not: Vec<i64> = Vec::new();
        for (b, holds) in known.iter().filter(|(b, _)| b.fact == fact) {
            let day = b.day();
            match (b.relation, holds) {
                (Relation::Before, true) => hi = hi.min(day - 1),
                (Relation::Before, false) => lo = lo.max(day),
                (Relation::After, true) => lo = lo.max(day + 1),
                (Relation::After, false) => hi = hi.min(day),
                (Relation::On, true) => {
                    lo = lo.max(day);
                    hi = hi.min(day);
                }
                (Relation::On, false) => not.push(day),
            }
        }
        if lo > hi {
            return false;
        }
        // Excluded days can empty a short interval.
        let width = hi.saturating_sub(lo).saturating_add(1);
        not.sort_unstable();
        not.dedup();
        let excluded = not.iter().filter(|d| lo <= **d && **d <= hi).count();
        // A count too large for i64 cannot exist; `true` keeps the answer on the safe side
        // (a combination not ruled out is reported, never hidden).
        i64::try_from(excluded).map_or(true, |n| n < width)
    })
}

fn fact_of(e: &DateExpr) -> Option<&str> {
    match e {
        DateExpr::Fact(f) => Some(f),
        _ => None,
    }
}

/// The day of a date expression that reads no fact; `None` for one that reads a fact, or
/// leaves the calendar.
fn date(e: &DateExpr) -> Option<Date> {
    match e {
        DateExpr::Fact(_) => None,
        DateExpr::Literal(d) => Some(*d),
        DateExpr::Shift(b, n, u) => date(b)?.shift(*n, *u),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::*;

    fn cmp(l: DateExpr, op: CompareOp, r: DateExpr) -> BoolExpr {
        BoolExpr::DateCmp(l, op, r)
    }

    fn datum() -> DateExpr {
        DateExpr::Fact("datum".into())
    }

    fn day(s: &str) -> DateExpr {
        DateExpr::Literal(Date::parse(s).unwrap())
    }

    /// Whether the conditions, each holding or not as given, leave `datum` a day.
    fn possible(known: &[(&BoolExpr, bool)]) -> bool {
        let bounds: Vec<(DayBound<'_>, bool)> = known
            .iter()
            .map(|(e, holds)| {
                let (b, negated) = DayBound::of(e).unwrap();
                (b, *holds != negated)
            })
            .collect();
        consistent(&bounds)
    }

    #[test]
    fn touching_periods_never_share_a_day() {
        let until = cmp(datum(), CompareOp::Le, day("2019-08-31"));
        let from = cmp(datum(), CompareOp::Ge, day("2019-09-01"));
        assert!(!possible(&[(&until, true), (&from, true)]));
        assert!(possible(&[(&until, true), (&from, false)]));
        assert!(possible(&[(&until, false), (&from, true)]));
        // Written the other way round, and with the day on the left.
        let from_left = cmp(day("2019-09-01"), CompareOp::Le, datum());
        assert!(!possible(&[(&until, true), (&from_left, true)]));
    }

    #[test]
    fn overlapping_periods_share_a_day() {
        let until = cmp(datum(), CompareOp::Le, day("2019-09-01"));
        let from = cmp(datum(), CompareOp::Ge, day("2019-09-01"));
        assert!(possible(&[(&until, true), (&from, true)]));
        // Unless that one day is excluded too.
        let not_on = cmp(datum(), CompareOp::Ne, day("2019-09-01"));
        assert!(!possible(&[(&until, true), (&from, true), (&not_on, true)]));
        assert!(possible(&[(&until, true), (&from, true), (&not_on, false)]));
    }

    #[test]
    fn strict_and_negated_comparisons() {
        // datum < 2020-01-01 and 2021-01-01 < datum
        let before = cmp(datum(), CompareOp::Lt, day("2020-01-01"));
        let after = cmp(day("2021-01-01"), CompareOp::Lt, datum());
        assert!(!possible(&[(&before, true), (&after, true)]));
        let wrapped = BoolExpr::Not(Box::new(before.clone()));
        // inte (datum < 2020-01-01) false is datum < 2020-01-01.
        assert!(!possible(&[(&wrapped, false), (&after, true)]));
        assert!(possible(&[(&wrapped, true), (&after, true)]));
    }

    #[test]
    fn sides_are_the_days_either_side_of_the_boundary() {
        let sides = |e: &BoolExpr| {
            let (b, _) = DayBound::of(e).unwrap();
            b.sides()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        let from = cmp(datum(), CompareOp::Ge, day("2019-09-01"));
        assert_eq!(sides(&from), ["2019-08-31", "2019-09-01"]);
        let until = cmp(datum(), CompareOp::Le, day("2019-08-31"));
        assert_eq!(sides(&until), ["2019-08-31", "2019-09-01"]);
        let on = cmp(day("2020-03-01"), CompareOp::Eq, datum());
        assert_eq!(sides(&on), ["2020-02-29", "2020-03-01", "2020-03-02"]);
    }

    #[test]
    fn different_facts_do_not_meet() {
        let until = cmp(datum(), CompareOp::Le, day("2019-08-31"));
        let other = cmp(
            DateExpr::Fact("post.datum".into()),
            CompareOp::Ge,
            day("2019-09-01"),
        );
        assert!(possible(&[(&until, true), (&other, true)]));
    }

    #[test]
    fn comparisons_of_two_facts_are_no_bounds() {
        let e = cmp(datum(), CompareOp::Lt, DateExpr::Fact("post.datum".into()));
        assert!(DayBound::of(&e).is_none());
        let shifted = cmp(
            datum(),
            CompareOp::Lt,
            DateExpr::Shift(Box::new(day("2019-08-31")), 1, crate::time::Unit::Days),
        );
        let from = cmp(datum(), CompareOp::Ge, day("2019-09-01"));
        assert!(!possible(&[(&shifted, true), (&from, true)]));
    }
}
