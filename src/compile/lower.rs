//! Rule conditions to column formulas: enum and truth facts become columns of their own,
//! whole numbers are cut into the intervals the rules compare against, and every other
//! condition (dates, text equality, derived facts) becomes a true/false column that keeps
//! its expression.

use crate::check::model::{self as m, Ruleset};
use crate::syntax::ast::CompareOp;
use crate::table::expr::show;
use crate::table::{BoolExpr, Cells, Column, ColumnKind, DateExpr, IntExpr, TextExpr};
use std::collections::HashMap;

/// A rule's condition over columns.
#[derive(Clone, Debug, PartialEq)]
pub enum Formula {
    Const(bool),
    /// The column's cell is one of these.
    Atom(usize, Cells),
    Not(Box<Formula>),
    And(Vec<Formula>),
    Or(Vec<Formula>),
}

/// Columns being collected for one decision.
pub struct Columns<'r> {
    ruleset: &'r Ruleset,
    pub columns: Vec<Column>,
    /// Per column, the cells a valid request can fall in: every cell, except that a request
    /// without a fact the ruleset requires (`kräver`) is refused, never `saknas`.
    pub possible: Vec<Cells>,
    index: HashMap<String, usize>,
    /// Thresholds per integer column key, gathered before the columns are made.
    thresholds: HashMap<String, Thresholds>,
    /// Integer columns made so far, by key, with their intervals: made once, not once per
    /// condition (the thresholds grow with the rules).
    int_columns: HashMap<String, (usize, Vec<(i64, i64)>)>,
}

/// An integer term, its column name, the cut points rules compare it against, its range, and
/// the interpretations of the derived fact it is.
type Thresholds = (IntExpr, String, Vec<i64>, (i64, i64), Vec<String>);

/// The upper end of an age column's last interval ("16 eller mer"). No age can be older:
/// dates are day numbers in `i32`, so two of them are under twelve million years apart
/// (`time` computes dates past year 9999 and before year 1, so ages over 1000 are ages).
const MAX_AGE: i64 = i32::MAX as i64;

impl<'r> Columns<'r> {
    pub fn new(ruleset: &'r Ruleset) -> Self {
        Columns {
            ruleset,
            columns: Vec::new(),
            possible: Vec::new(),
            index: HashMap::new(),
            thresholds: HashMap::new(),
            int_columns: HashMap::new(),
        }
    }

    fn derived_name(&self, d: m::DerivedId) -> String {
        self.ruleset.derived(d).name.clone()
    }

    fn fact(&self, f: m::FactId) -> String {
        self.ruleset.fact(f).name.clone()
    }

    /// The interpretations of a derived fact, as its column lists them.
    fn derived_interpretations(&self, d: m::DerivedId) -> Vec<String> {
        let derived = self.ruleset.derived(d);
        derived
            .interpretations
            .iter()
            .map(|i| i.text.clone())
            .collect()
    }

    // ---------------------------------------------------------- expressions by name

    pub fn bool_expr(&self, e: &m::Expr) -> BoolExpr {
        match e {
            m::Expr::Const(b) => BoolExpr::Const(*b),
            m::Expr::Present(f) => BoolExpr::Present(self.fact(*f)),
            m::Expr::BoolFact(f) => BoolExpr::Fact(self.fact(*f)),
            m::Expr::BoolDerived(d) => self.bool_expr(self.ruleset.derived_bool(*d)),
            m::Expr::Not(e) => BoolExpr::Not(Box::new(self.bool_expr(e))),
            m::Expr::And(es) => BoolExpr::And(es.iter().map(|e| self.bool_expr(e)).collect()),
            m::Expr::Or(es) => BoolExpr::Or(es.iter().map(|e| self.bool_expr(e)).collect()),
            m::Expr::EnumIn { fact, values } => {
                BoolExpr::In(self.fact(*fact), self.value_names(*fact, values))
            }
            m::Expr::IntCmp { term, op, value } => {
                BoolExpr::IntCmp(self.int_expr(term), *op, *value)
            }
            m::Expr::DateCmp { lhs, op, rhs } => {
                BoolExpr::DateCmp(self.date_expr(lhs), *op, self.date_expr(rhs))
            }
            m::Expr::TextEq { lhs, rhs } => {
                BoolExpr::TextEq(self.text_expr(lhs), self.text_expr(rhs))
            }
        }
    }

    fn value_names(&self, fact: m::FactId, values: &[u16]) -> Vec<String> {
        let ty = self.ruleset.enum_type(fact);
        values.iter().map(|v| ty.value(*v).name.clone()).collect()
    }

    pub fn int_expr(&self, t: &m::IntTerm) -> IntExpr {
        match t {
            m::IntTerm::Fact(f) => IntExpr::Fact(self.fact(*f)),
            m::IntTerm::Derived(d) => self.int_expr(self.ruleset.derived_int(*d)),
            m::IntTerm::Age { birth, on } => {
                IntExpr::Age(self.date_expr(birth), self.date_expr(on))
            }
        }
    }

    pub fn date_expr(&self, t: &m::DateTerm) -> DateExpr {
        let mut e = match &t.base {
            m::DateBase::Fact(f) => DateExpr::Fact(self.fact(*f)),
            m::DateBase::Literal(d) => DateExpr::Literal(*d),
            m::DateBase::Derived(d) => self.date_expr(self.ruleset.derived_date(*d)),
        };
        for (n, unit) in &t.shifts {
            e = DateExpr::Shift(Box::new(e), *n, *unit);
        }
        e
    }

    fn text_expr(&self, t: &m::TextTerm) -> TextExpr {
        match t {
            m::TextTerm::Fact(f) => TextExpr::Fact(self.fact(*f)),
            m::TextTerm::Literal(s) => TextExpr::Literal(s.clone()),
        }
    }

    // ---------------------------------------------------------- integer thresholds

    /// The key and readable name of an integer term: a derived fact keeps its name.
    fn int_key(&self, t: &m::IntTerm) -> (String, (i64, i64)) {
        match t {
            m::IntTerm::Fact(f) => (self.fact(*f), self.ruleset.int_range(*f)),
            m::IntTerm::Derived(d) => {
                let range = self.int_key(self.ruleset.derived_int(*d)).1;
                (self.derived_name(*d), range)
            }
            m::IntTerm::Age { .. } => (show::int_expr(&self.int_expr(t)), (0, MAX_AGE)),
        }
    }

    /// The interpretations of an integer term that is a derived fact.
    fn int_interpretations(&self, t: &m::IntTerm) -> Vec<String> {
        match t {
            m::IntTerm::Derived(d) => self.derived_interpretations(*d),
            m::IntTerm::Fact(_) | m::IntTerm::Age { .. } => Vec::new(),
        }
    }

    /// Records the thresholds a condition compares whole numbers against.
    pub fn gather(&mut self, e: &m::Expr) {
        match e {
            m::Expr::Not(e) => self.gather(e),
            m::Expr::And(es) | m::Expr::Or(es) => es.iter().for_each(|e| self.gather(e)),
            m::Expr::IntCmp { term, op, value } => {
                let (key, range) = self.int_key(term);
                let expr = self.int_expr(term);
                let interpretations = self.int_interpretations(term);
                let entry = self
                    .thresholds
                    .entry(key.clone())
                    .or_insert_with(|| (expr, key, Vec::new(), range, interpretations));
                let cuts = match op {
                    CompareOp::Ge | CompareOp::Lt => vec![*value],
                    CompareOp::Gt | CompareOp::Le => vec![value.saturating_add(1)],
                    CompareOp::Eq | CompareOp::Ne => vec![*value, value.saturating_add(1)],
                };
                entry.2.extend(cuts);
            }
            _ => {}
        }
    }

    fn column(&mut self, key: String, make: impl FnOnce(&Self) -> Column) -> usize {
        self.column_with(key, make, None)
    }

    /// A column, made the first time its key is asked for; `possible` restricts the cells a
    /// valid request can fall in (every cell when `None`).
    fn column_with(
        &mut self,
        key: String,
        make: impl FnOnce(&Self) -> Column,
        possible: Option<Cells>,
    ) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let column = make(self);
        self.possible
            .push(possible.unwrap_or_else(|| Cells::full(column.cells.len())));
        self.columns.push(column);
        let i = self.columns.len() - 1;
        self.index.insert(key, i);
        i
    }

    /// The column of an integer term and its intervals, made from the thresholds gathered.
    fn int_column(&mut self, key: &str) -> (usize, Vec<(i64, i64)>) {
        if let Some(made) = self.int_columns.get(key) {
            return made.clone();
        }
        let Some((expr, name, cuts, range, tolkning)) = self.thresholds.get(key).cloned() else {
            unreachable!(
                "INVARIANT: gather ran on every condition before formula, so `{key}` has thresholds"
            )
        };
        let intervals = intervals(cuts, range);
        // Ages have no real upper bound: the last interval reads "16 eller mer".
        let (_, max) = range;
        let open_ended = max == MAX_AGE;
        let cells = intervals
            .iter()
            .map(|(lo, hi)| match (lo == hi, *hi == max && open_ended) {
                (true, _) => lo.to_string(),
                (false, true) => format!("{lo} eller mer"),
                (false, false) => format!("{lo}–{hi}"),
            })
            .collect();
        let column = self.column(format!("int:{key}"), |_| Column {
            name,
            kind: ColumnKind::Int {
                term: expr,
                intervals: intervals.clone(),
            },
            cells,
            tolkning,
        });
        self.int_columns
            .insert(key.to_owned(), (column, intervals.clone()));
        (column, intervals)
    }

    fn predicate(&mut self, name: String, expr: BoolExpr, tolkning: Vec<String>) -> usize {
        self.column(format!("pred:{name}"), |_| Column {
            name,
            kind: ColumnKind::Predicate(expr),
            cells: vec!["falskt".into(), "sant".into()],
            tolkning,
        })
    }

    // ---------------------------------------------------------- formulas

    /// A condition as a formula over columns (call [`Columns::gather`] on every condition first).
    pub fn formula(&mut self, e: &m::Expr) -> Formula {
        match e {
            m::Expr::Const(b) => Formula::Const(*b),
            m::Expr::Present(f) => {
                let name = self.fact(*f);
                // A fact the region requires is never absent in a valid request: without it,
                // reading this column refuses the request.
                let possible = (!self.ruleset.fact(*f).may_be_absent()).then_some(Cells::single(1));
                let make = |_: &Self| Column {
                    name: presence_column(&name),
                    kind: ColumnKind::Presence(name.clone()),
                    cells: vec!["saknas".into(), "finns".into()],
                    tolkning: Vec::new(),
                };
                Formula::Atom(
                    self.column_with(format!("finns:{name}"), make, possible),
                    Cells::single(1),
                )
            }
            m::Expr::BoolFact(f) => {
                let name = self.fact(*f);
                let c = self.column(format!("bool:{name}"), |_| Column {
                    name: name.clone(),
                    kind: ColumnKind::Bool(name.clone()),
                    cells: vec!["falskt".into(), "sant".into()],
                    tolkning: Vec::new(),
                });
                Formula::Atom(c, Cells::single(1))
            }
            m::Expr::BoolDerived(d) => {
                let name = self.derived_name(*d);
                let expr = self.bool_expr(e);
                let tolkning = self.derived_interpretations(*d);
                Formula::Atom(self.predicate(name, expr, tolkning), Cells::single(1))
            }
            m::Expr::Not(e) => Formula::Not(Box::new(self.formula(e))),
            m::Expr::And(es) => Formula::And(es.iter().map(|e| self.formula(e)).collect()),
            m::Expr::Or(es) => Formula::Or(es.iter().map(|e| self.formula(e)).collect()),
            m::Expr::EnumIn { fact, values } => {
                let name = self.fact(*fact);
                // The type's values are listed only when the column is first made: a type of
                // thousands of values is not copied for every condition on it.
                let c = self.column(format!("enum:{name}"), |this| Column {
                    name: name.clone(),
                    kind: ColumnKind::Enum(name.clone()),
                    cells: this
                        .ruleset
                        .enum_type(*fact)
                        .values
                        .iter()
                        .map(|v| v.name.clone())
                        .collect(),
                    tolkning: Vec::new(),
                });
                Formula::Atom(c, values.iter().map(|v| usize::from(*v)).collect())
            }
            m::Expr::IntCmp { term, op, value } => {
                let (key, _) = self.int_key(term);
                let (c, intervals) = self.int_column(&key);
                let holds = |v: i64| match op {
                    CompareOp::Eq => v == *value,
                    CompareOp::Ne => v != *value,
                    CompareOp::Lt => v < *value,
                    CompareOp::Le => v <= *value,
                    CompareOp::Gt => v > *value,
                    CompareOp::Ge => v >= *value,
                };
                let cells = intervals
                    .iter()
                    .enumerate()
                    .filter(|(_, (lo, _))| holds(*lo))
                    .map(|(i, _)| i)
                    .collect();
                Formula::Atom(c, cells)
            }
            m::Expr::DateCmp { .. } | m::Expr::TextEq { .. } => {
                let expr = self.bool_expr(e);
                let name = show::bool_expr(&expr);
                Formula::Atom(self.predicate(name, expr, Vec::new()), Cells::single(1))
            }
        }
    }
}

/// The name of the column that tells whether a request gives an optional fact.
pub fn presence_column(fact: &str) -> String {
    format!("{fact} (finns/saknas)")
}

/// `min..=max` cut at each threshold inside it, in order.
fn intervals(mut cuts: Vec<i64>, (min, max): (i64, i64)) -> Vec<(i64, i64)> {
    cuts.retain(|c| *c > min && *c <= max);
    cuts.sort_unstable();
    cuts.dedup();
    let mut intervals = Vec::new();
    let mut lo = min;
    for c in cuts {
        intervals.push((lo, c - 1));
        lo = c;
    }
    intervals.push((lo, max));
    intervals
}
