//! Whether rows of different tables share a real request. The analyses ask it of a decision
//! table and of conditions compiled on their own ([`crate::compile::condition_table`]): a
//! row is a box of cells, and boxes of several tables overlap iff some request falls in
//! every one of them.
//!
//! The answer is exact where it can be: conditions on the same input (the same fact, the same
//! whole-number term, the same comparison however it is written) are intersected cell by
//! cell, and comparisons of one date fact with fixed dates are intersected as intervals of
//! days. What remains — comparisons between facts, ages against dates — is settled by a
//! concrete request from [`witness::find`], which every table's own evaluator must put in
//! the row it is said to fall in. When no request is found and nothing above rules the
//! overlap out, the answer is [`Overlap::Unknown`]: never a silent "no".

#[cfg(test)]
use crate::table::TextExpr;
use crate::table::expr::show;
use crate::table::witness::{self, Constraint};
use crate::table::{
    BoolExpr, Cells, ColumnKind, CompareOp, DateExpr, DecisionTable, Evaluator, IntExpr, Row,
    RuleInfo,
};
use crate::time::Date;
use serde_json::Value as Json;
use std::collections::HashMap;

/// A table ready for overlap questions.
pub struct View {
    evaluator: Evaluator,
    /// What each column reads, in the order of the table's columns.
    atoms: Vec<Atom>,
    /// Each row's conditions: (column, cells).
    rows: Vec<Vec<(usize, Cells)>>,
}

/// The input a column reads, in a form shared by every table, and how its cells map to it.
#[derive(Clone, Debug)]
enum Atom {
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
enum Truth {
    Fact(String),
    Condition(BoolExpr),
    /// Whether a request gives an optional fact: false is `saknas`, true `finns`.
    Present(String),
}

/// What a combination of rows requires of one input.
#[derive(Clone, Debug)]
enum Domain {
    Values(String, Vec<String>),
    /// Bit 0: may be false; bit 1: may be true.
    Truth(Truth, u8),
    Ints(IntExpr, Vec<(i64, i64)>),
}

/// Whether rows share a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Overlap {
    /// No request falls in all of them.
    Disjoint,
    /// This request (JSON, ready for `regel decide`) falls in all of them.
    Found(Json),
    /// Nothing rules the overlap out, and the search found no request within its budget.
    Unknown,
}

impl View {
    /// The table's columns and rows resolved; `None` for a table that does not load (never
    /// one the compiler made).
    pub fn new(table: &DecisionTable) -> Option<View> {
        let evaluator = Evaluator::new(table.clone()).ok()?;
        let atoms = table
            .columns
            .iter()
            .map(|c| atom(&c.kind, &c.cells))
            .collect();
        // A condition names its column; the first column of that name, as rows read it.
        let mut by_name: HashMap<&str, (usize, &[String])> = HashMap::new();
        for (i, c) in table.columns.iter().enumerate() {
            by_name
                .entry(c.name.as_str())
                .or_insert((i, c.cells.as_slice()));
        }
        let mut rows = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let mut conditions = Vec::with_capacity(row.when.len());
            for cond in &row.when {
                let &(column, labels) = by_name.get(cond.column.as_str())?;
                let mut cells = Cells::EMPTY;
                for v in &cond.values {
                    cells.insert(labels.iter().position(|l| l == v)?);
                }
                conditions.push((column, cells));
            }
            rows.push(conditions);
        }
        Some(View {
            evaluator,
            atoms,
            rows,
        })
    }

    pub fn table(&self) -> &DecisionTable {
        self.evaluator.table()
    }

    /// A row of the table.
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: callers name rows of this view's table, which cannot change"
    )]
    pub fn row(&self, row: usize) -> &Row {
        &self.table().rows[row]
    }

    /// The rule that decides a row, or `None` for the decision's default.
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: Evaluator::new checked every row's rule against the table's rules"
    )]
    pub fn rule(&self, row: usize) -> Option<&RuleInfo> {
        self.row(row).rule.map(|r| &self.table().rules[r])
    }

    /// The conditions of a row: (column, cells).
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: callers name rows of this view's table, and `rows` has one entry per row of it"
    )]
    pub fn conditions(&self, row: usize) -> &[(usize, Cells)] {
        &self.rows[row]
    }

    /// What a column of a row's conditions reads, and the column.
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: conditions name columns by their position in the table (View::new), \
                  and `atoms` has one entry per column"
    )]
    fn column(&self, column: usize) -> (&Atom, &crate::table::Column) {
        (&self.atoms[column], &self.table().columns[column])
    }
}

/// Two views whose rows are asked about in pairs: the columns of one that read the same
/// input as a column of the other are linked once, so most pairs of rows that cannot share
/// a request are ruled out with a few bit operations before the exact check.
pub struct Pair<'v> {
    a: &'v View,
    b: &'v View,
    /// (column of `a`, column of `b`, for each cell of a's column the cells of b's column
    /// that share a value with it).
    links: Vec<(usize, usize, Vec<Cells>)>,
}

impl<'v> Pair<'v> {
    pub fn new(a: &'v View, b: &'v View) -> Pair<'v> {
        let mut links = Vec::new();
        for (ca, atom_a) in a.atoms.iter().enumerate() {
            for (cb, atom_b) in b.atoms.iter().enumerate() {
                if let Some(compatible) = link(atom_a, atom_b) {
                    links.push((ca, cb, compatible));
                }
            }
        }
        Pair { a, b, links }
    }

    /// Whether some request falls in row `ra` of the first view and row `rb` of the second.
    pub fn overlap(&self, ra: usize, rb: usize) -> Overlap {
        if !self.may_meet(ra, rb) {
            return Overlap::Disjoint;
        }
        overlap(&[(self.a, ra), (self.b, rb)])
    }

    /// False when a linked pair of conditions has no value in common.
    fn may_meet(&self, ra: usize, rb: usize) -> bool {
        let (rows_a, rows_b) = (self.a.conditions(ra), self.b.conditions(rb));
        self.links.iter().all(|(ca, cb, compatible)| {
            let (Some((_, cells_a)), Some((_, cells_b))) = (
                rows_a.iter().find(|(c, _)| c == ca),
                rows_b.iter().find(|(c, _)| c == cb),
            ) else {
                // A column one row does not test allows every value.
                return true;
            };
            let reach = compatible
                .iter()
                .enumerate()
                .filter(|(i, _)| cells_a.contains(*i))
                .fold(Cells::EMPTY, |m, (_, c)| &m | c);
            reach.intersects(cells_b)
        })
    }
}

/// For two columns that read the same input, the cells of the second that share a value
/// with each cell of the first; `None` for columns that read different inputs.
fn link(a: &Atom, b: &Atom) -> Option<Vec<Cells>> {
    let bit = Cells::single;
    match (a, b) {
        (
            Atom::Enum {
                fact: fa,
                labels: la,
            },
            Atom::Enum {
                fact: fb,
                labels: lb,
            },
        ) if fa == fb => Some(
            la.iter()
                .map(|l| {
                    lb.iter()
                        .enumerate()
                        .filter(|(_, x)| *x == l)
                        .fold(Cells::EMPTY, |m, (j, _)| &m | &bit(j))
                })
                .collect(),
        ),
        (
            Atom::Truth {
                key: ka,
                negated: na,
            },
            Atom::Truth {
                key: kb,
                negated: nb,
            },
        ) if ka == kb => {
            // Cell i reads the canonical condition as `i ^ na`; b's cell with the same truth.
            let flip = usize::from(na != nb);
            Some((0..2).map(|i| bit(i ^ flip)).collect())
        }
        (
            Atom::Int {
                term: ta,
                intervals: ia,
            },
            Atom::Int {
                term: tb,
                intervals: ib,
            },
        ) if ta == tb => Some(
            ia.iter()
                .map(|(lo, hi)| {
                    ib.iter()
                        .enumerate()
                        .filter(|(_, (l2, h2))| lo <= h2 && l2 <= hi)
                        .fold(Cells::EMPTY, |m, (j, _)| &m | &bit(j))
                })
                .collect(),
        ),
        _ => None,
    }
}

/// Whether some request falls in every given row, each `(view, row)`.
pub fn overlap(parts: &[(&View, usize)]) -> Overlap {
    if !consistent(parts) {
        return Overlap::Disjoint;
    }
    let constraints: Vec<Constraint<'_>> = parts
        .iter()
        .flat_map(|(view, row)| {
            view.conditions(*row)
                .iter()
                .map(|(column, cells)| Constraint {
                    evaluator: &view.evaluator,
                    column: *column,
                    cells: cells.clone(),
                })
        })
        .collect();
    let Some(request) = witness::find(&constraints) else {
        return Overlap::Unknown;
    };
    // The request must fall in each row as its own table's evaluator decides it.
    let confirmed = parts.iter().all(|(view, row)| {
        view.evaluator
            .decide_json(&request)
            .is_ok_and(|d| d.row == *row)
    });
    if confirmed {
        Overlap::Found(request)
    } else {
        Overlap::Unknown
    }
}

/// False when the row's own conditions rule each other out (a date before one day and after
/// a later one): no request falls in it. True says only that nothing rules it out.
pub fn possible(view: &View, row: usize) -> bool {
    consistent(&[(view, row)])
}

/// The rows' conditions together, as a jurist reads them: `läsare = vårdnadshavare,
/// patient.ålder = 16–17`. Conditions on the same input are intersected first, and those
/// that allow everything are left out.
pub fn situation(parts: &[(&View, usize)]) -> String {
    let Some(inputs) = merge(parts) else {
        return "aldrig".to_owned();
    };
    let said: Vec<String> = inputs.iter().filter_map(Input::text).collect();
    if said.is_empty() {
        "alltid".to_owned()
    } else {
        said.join(", ")
    }
}

/// One input as the rows together constrain it, with what it takes to say so.
struct Input {
    /// The name of the first column that reads it.
    name: String,
    domain: Domain,
    /// For a truth: whether that first column reads the canonical condition's negation.
    negated: bool,
    /// For an integer: every cell (interval and label) of the columns that read it.
    cells: Vec<((i64, i64), String)>,
    /// Whether the conditions allow every value (nothing worth saying).
    free: bool,
}

impl Input {
    fn text(&self) -> Option<String> {
        if self.free {
            return None;
        }
        let values: Vec<String> = match &self.domain {
            Domain::Values(_, v) => v.clone(),
            Domain::Truth(Truth::Present(fact), t) => {
                return match t {
                    0b01 => Some(format!("{fact} saknas")),
                    0b10 => Some(format!("{fact} finns")),
                    _ => None,
                };
            }
            Domain::Truth(key, t) => {
                // Bit 0 is false and bit 1 true of the canonical condition: swapped for a
                // column that reads its negation.
                let t = if self.negated {
                    ((t & 1) << 1) | ((t >> 1) & 1)
                } else {
                    *t
                };
                // A comparison or derived fact reads as itself, or as `inte (…)`.
                let condition = matches!(key, Truth::Condition(_));
                return match (t, condition) {
                    (0b01, false) => Some(format!("{} = falskt", self.name)),
                    (0b10, false) => Some(format!("{} = sant", self.name)),
                    (0b01, true) => Some(format!("inte ({})", self.name)),
                    (0b10, true) => Some(self.name.clone()),
                    _ => None,
                };
            }
            Domain::Ints(_, ranges) => ranges.iter().map(|r| self.int_label(*r)).collect(),
        };
        Some(match values.as_slice() {
            [one] => format!("{} = {one}", self.name),
            many => format!("{} i {{{}}}", self.name, many.join(", ")),
        })
    }

    fn int_label(&self, (lo, hi): (i64, i64)) -> String {
        if let Some((_, label)) = self.cells.iter().find(|(r, _)| *r == (lo, hi)) {
            return label.clone();
        }
        let open = self
            .cells
            .iter()
            .any(|((_, h), label)| *h == hi && label.ends_with("eller mer"));
        match (lo == hi, open) {
            (_, true) => format!("{lo} eller mer"),
            (true, false) => lo.to_string(),
            (false, false) => format!("{lo}–{hi}"),
        }
    }
}

/// The rows' conditions merged per input; `None` when conditions on one input rule each
/// other out.
fn merge(parts: &[(&View, usize)]) -> Option<Vec<Input>> {
    let mut inputs: Vec<Input> = Vec::new();
    for (view, row) in parts {
        for (column, cells) in view.conditions(*row) {
            let column = *column;
            let (atom, col) = view.column(column);
            let domain = domain(atom, cells);
            let free = (0..col.cells.len()).all(|i| has(cells, i));
            let int_cells = match atom {
                Atom::Int { intervals, .. } => intervals
                    .iter()
                    .copied()
                    .zip(col.cells.iter().cloned())
                    .collect(),
                _ => Vec::new(),
            };
            match inputs.iter_mut().find(|i| same_input(&i.domain, &domain)) {
                Some(input) => {
                    if !narrow(&mut input.domain, &domain) {
                        return None;
                    }
                    input.free &= free;
                    input.cells.extend(int_cells);
                }
                None => {
                    if is_empty(&domain) {
                        return None;
                    }
                    let negated = matches!(atom, Atom::Truth { negated: true, .. });
                    inputs.push(Input {
                        name: col.name.clone(),
                        domain,
                        negated,
                        cells: int_cells,
                        free,
                    });
                }
            }
        }
    }
    Some(inputs)
}

/// False when the rows' conditions on shared inputs cannot all hold.
fn consistent(parts: &[(&View, usize)]) -> bool {
    match merge(parts) {
        Some(inputs) => {
            let domains: Vec<Domain> = inputs.into_iter().map(|i| i.domain).collect();
            dates_consistent(&domains)
        }
        None => false,
    }
}

fn atom(kind: &ColumnKind, labels: &[String]) -> Atom {
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

fn has(cells: &Cells, i: usize) -> bool {
    cells.contains(i)
}

fn domain(atom: &Atom, cells: &Cells) -> Domain {
    match atom {
        Atom::Enum { fact, labels } => Domain::Values(
            fact.clone(),
            labels
                .iter()
                .enumerate()
                .filter(|(i, _)| has(cells, *i))
                .map(|(_, l)| l.clone())
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

fn same_input(a: &Domain, b: &Domain) -> bool {
    match (a, b) {
        (Domain::Values(x, _), Domain::Values(y, _)) => x == y,
        (Domain::Truth(x, _), Domain::Truth(y, _)) => x == y,
        (Domain::Ints(x, _), Domain::Ints(y, _)) => x == y,
        _ => false,
    }
}

fn is_empty(d: &Domain) -> bool {
    match d {
        Domain::Values(_, v) => v.is_empty(),
        Domain::Truth(_, t) => *t == 0,
        Domain::Ints(_, r) => r.is_empty(),
    }
}

/// Narrows `a` to what `b` allows too (both on the same input); false when nothing is left.
fn narrow(a: &mut Domain, b: &Domain) -> bool {
    match (&mut *a, b) {
        (Domain::Values(_, x), Domain::Values(_, y)) => x.retain(|v| y.contains(v)),
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
fn canonical(e: &BoolExpr) -> (BoolExpr, bool) {
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
fn signed(e: &BoolExpr) -> BoolExpr {
    match canonical(e) {
        (c, false) => c,
        (c, true) => BoolExpr::Not(Box::new(c)),
    }
}

// ---------------------------------------------------------------- dates against fixed days

/// One date fact compared with a fixed day: `fact < day`, `day < fact` or `fact = day`.
struct Bound<'a> {
    fact: &'a str,
    kind: BoundKind,
    day: i64,
    holds: bool,
}

#[derive(Clone, Copy)]
enum BoundKind {
    Below,
    Above,
    Equal,
}

/// False when the known truths of comparisons between one date fact and fixed days leave
/// that fact no day. Exact for these comparisons: days are whole numbers.
fn dates_consistent(domains: &[Domain]) -> bool {
    let mut bounds: Vec<Bound<'_>> = Vec::new();
    for d in domains {
        let Domain::Truth(Truth::Condition(BoolExpr::DateCmp(l, op, r)), truths) = d else {
            continue;
        };
        let holds = match truths {
            0b01 => false,
            0b10 => true,
            _ => continue,
        };
        let bound = match (fact_of(l), fixed(r), fixed(l), fact_of(r), op) {
            (Some(f), Some(day), _, _, CompareOp::Lt) => (f, BoundKind::Below, day),
            (_, _, Some(day), Some(f), CompareOp::Lt) => (f, BoundKind::Above, day),
            (Some(f), Some(day), _, _, CompareOp::Eq)
            | (_, _, Some(day), Some(f), CompareOp::Eq) => (f, BoundKind::Equal, day),
            _ => continue,
        };
        bounds.push(Bound {
            fact: bound.0,
            kind: bound.1,
            day: bound.2,
            holds,
        });
    }
    let mut facts: Vec<&str> = bounds.iter().map(|b| b.fact).collect();
    facts.sort_unstable();
    facts.dedup();
    facts.into_iter().all(|fact| {
        let mut lo = i64::MIN;
        let mut hi = i64::MAX;
        let mut not: Vec<i64> = Vec::new();
        for b in bounds.iter().filter(|b| b.fact == fact) {
            match (b.kind, b.holds) {
                (BoundKind::Below, true) => hi = hi.min(b.day - 1),
                (BoundKind::Below, false) => lo = lo.max(b.day),
                (BoundKind::Above, true) => lo = lo.max(b.day + 1),
                (BoundKind::Above, false) => hi = hi.min(b.day),
                (BoundKind::Equal, true) => {
                    lo = lo.max(b.day);
                    hi = hi.min(b.day);
                }
                (BoundKind::Equal, false) => not.push(b.day),
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
        // A count too large for i64 cannot exist; `true` would keep the answer on the safe
        // side (not ruled out) regardless.
        i64::try_from(excluded).map_or(true, |n| n < width)
    })
}

fn fact_of(e: &DateExpr) -> Option<&str> {
    match e {
        DateExpr::Fact(f) => Some(f),
        _ => None,
    }
}

/// The day of a date expression that reads no fact.
fn fixed(e: &DateExpr) -> Option<i64> {
    fn date(e: &DateExpr) -> Option<Date> {
        match e {
            DateExpr::Fact(_) => None,
            DateExpr::Literal(d) => Some(*d),
            DateExpr::Shift(b, n, u) => date(b)?.shift(*n, *u),
        }
    }
    date(e).map(|d| i64::from(d.days()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::*;

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
