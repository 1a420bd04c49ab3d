//! Expressions stored in a table (facts by name), and their compiled form (facts by index)
//! evaluated lazily, left to right, failing closed on a missing or invalid fact.

use super::Cells;
use super::schema::{FactSlot, Given, Val};
use crate::time::{Date, Day, Unit};
use serde::{Deserialize, Serialize};

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    /// The same comparison with its sides swapped: `a < b` is `b > a`.
    pub fn flipped(self) -> CompareOp {
        match self {
            CompareOp::Eq => CompareOp::Eq,
            CompareOp::Ne => CompareOp::Ne,
            CompareOp::Lt => CompareOp::Gt,
            CompareOp::Le => CompareOp::Ge,
            CompareOp::Gt => CompareOp::Lt,
            CompareOp::Ge => CompareOp::Le,
        }
    }

    /// How the operator is written in a rule file.
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "≠",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

/// A condition over facts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BoolExpr {
    Const(bool),
    /// The request gives the (optional) fact.
    Present(String),
    Fact(String),
    Not(Box<BoolExpr>),
    And(Vec<BoolExpr>),
    Or(Vec<BoolExpr>),
    In(String, Vec<String>),
    IntCmp(IntExpr, CompareOp, i64),
    DateCmp(DateExpr, CompareOp, DateExpr),
    TextEq(TextExpr, TextExpr),
}

/// A whole number.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IntExpr {
    Fact(String),
    /// Completed years from `birth` to `on`.
    Age(DateExpr, DateExpr),
}

/// A date: a fact or a literal, moved by whole units.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DateExpr {
    Fact(String),
    Literal(Date),
    Shift(Box<DateExpr>, i64, Unit),
}

/// A text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextExpr {
    Fact(String),
    Literal(String),
}

/// The facts a condition reads, in order of first use.
pub fn facts_of_bool(e: &BoolExpr, out: &mut Vec<String>) {
    match e {
        BoolExpr::Const(_) => {}
        BoolExpr::Fact(f) | BoolExpr::In(f, _) | BoolExpr::Present(f) => out.push(f.clone()),
        BoolExpr::Not(e) => facts_of_bool(e, out),
        BoolExpr::And(es) | BoolExpr::Or(es) => es.iter().for_each(|e| facts_of_bool(e, out)),
        BoolExpr::IntCmp(t, _, _) => facts_of_int(t, out),
        BoolExpr::DateCmp(l, _, r) => {
            facts_of_date(l, out);
            facts_of_date(r, out);
        }
        BoolExpr::TextEq(l, r) => {
            for t in [l, r] {
                if let TextExpr::Fact(f) = t {
                    out.push(f.clone());
                }
            }
        }
    }
}

pub fn facts_of_int(e: &IntExpr, out: &mut Vec<String>) {
    match e {
        IntExpr::Fact(f) => out.push(f.clone()),
        IntExpr::Age(b, o) => {
            facts_of_date(b, out);
            facts_of_date(o, out);
        }
    }
}

pub fn facts_of_date(e: &DateExpr, out: &mut Vec<String>) {
    match e {
        DateExpr::Fact(f) => out.push(f.clone()),
        DateExpr::Literal(_) => {}
        DateExpr::Shift(b, _, _) => facts_of_date(b, out),
    }
}

/// Literal dates and shifts in a condition: the anchors of the witness search.
pub fn date_hints(e: &BoolExpr, literals: &mut Vec<Date>, shifts: &mut Vec<(i64, Unit)>) {
    fn date(e: &DateExpr, literals: &mut Vec<Date>, shifts: &mut Vec<(i64, Unit)>) {
        match e {
            DateExpr::Fact(_) => {}
            DateExpr::Literal(d) => literals.push(*d),
            DateExpr::Shift(b, n, u) => {
                shifts.push((*n, *u));
                date(b, literals, shifts);
            }
        }
    }
    match e {
        BoolExpr::Not(e) => date_hints(e, literals, shifts),
        BoolExpr::And(es) | BoolExpr::Or(es) => {
            es.iter().for_each(|e| date_hints(e, literals, shifts))
        }
        BoolExpr::IntCmp(IntExpr::Age(b, o), _, _) => {
            date(b, literals, shifts);
            date(o, literals, shifts);
        }
        BoolExpr::DateCmp(l, _, r) => {
            date(l, literals, shifts);
            date(r, literals, shifts);
        }
        _ => {}
    }
}

/// Renders expressions the way a jurist wrote them.
pub mod show {
    use super::*;

    pub fn bool_expr(e: &BoolExpr) -> String {
        match e {
            BoolExpr::Const(true) => "sant".into(),
            BoolExpr::Const(false) => "falskt".into(),
            BoolExpr::Fact(f) => f.clone(),
            BoolExpr::Present(f) => format!("{f} finns"),
            BoolExpr::Not(inner) => match inner.as_ref() {
                BoolExpr::Present(f) => format!("{f} saknas"),
                _ => format!("inte {}", paren(inner)),
            },
            BoolExpr::And(es) => es.iter().map(paren).collect::<Vec<_>>().join(" och "),
            BoolExpr::Or(es) => es.iter().map(paren).collect::<Vec<_>>().join(" eller "),
            BoolExpr::In(f, vs) if vs.len() == 1 => format!("{f} = {}", vs.join("")),
            BoolExpr::In(f, vs) => format!("{f} i {{{}}}", vs.join(", ")),
            BoolExpr::IntCmp(t, op, v) => format!("{} {} {v}", int_expr(t), op.symbol()),
            BoolExpr::DateCmp(l, op, r) => {
                format!("{} {} {}", date_expr(l), op.symbol(), date_expr(r))
            }
            BoolExpr::TextEq(l, r) => format!("{} = {}", text_expr(l), text_expr(r)),
        }
    }

    fn paren(e: &BoolExpr) -> String {
        match e {
            BoolExpr::And(_) | BoolExpr::Or(_) => format!("({})", bool_expr(e)),
            _ => bool_expr(e),
        }
    }

    pub fn int_expr(e: &IntExpr) -> String {
        match e {
            IntExpr::Fact(f) => f.clone(),
            IntExpr::Age(b, o) => format!("ålder({}, {})", date_expr(b), date_expr(o)),
        }
    }

    pub fn date_expr(e: &DateExpr) -> String {
        match e {
            DateExpr::Fact(f) => f.clone(),
            DateExpr::Literal(d) => d.to_string(),
            DateExpr::Shift(base, n, unit) => {
                let sign = if *n < 0 { '-' } else { '+' };
                format!("{} {sign} {} {}", date_expr(base), n.abs(), unit.word(*n))
            }
        }
    }

    pub fn text_expr(e: &TextExpr) -> String {
        match e {
            TextExpr::Fact(f) => f.clone(),
            TextExpr::Literal(t) => format!("\"{t}\""),
        }
    }
}

// ------------------------------------------------------------------ compiled form

/// Why evaluation stopped: one pointer, so a result carrying it still fits in registers
/// on the way through every step. The evaluator words it ([`crate::RequestError`]) only
/// when it happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fault(pub(crate) Box<Stop>);

/// What [`Fault`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    Missing(FactSlot),
    Mistyped(FactSlot),
    /// An age asked for on a day before the birth date.
    BornAfter(Date, Date),
    /// A date moved out of the calendar (years 1–9999).
    Shift(Date, i64, Unit),
    /// A whole number outside a column's intervals; `true` for an age.
    Outside(i64, bool),
    /// A cell no row covers.
    NoRow,
}

impl Fault {
    #[cold]
    pub(crate) fn new(stop: Stop) -> Fault {
        Fault(Box::new(stop))
    }
}

/// A request's values, one per slot: those it gives, and for a fact it leaves out, the
/// fact's default (read only when a path reads the fact, so a request costs nothing for the
/// defaults it does not need).
#[derive(Clone, Copy)]
pub(crate) struct Facts<'f> {
    given: &'f Given<'f>,
    defaults: &'f Given<'f>,
}

impl<'f> Facts<'f> {
    /// The values `given` (of some schema), the facts left out taking the same schema's
    /// `defaults`.
    pub(crate) fn new(given: &'f Given<'f>, defaults: &'f Given<'f>) -> Self {
        Facts { given, defaults }
    }

    /// The value of a fact: as given, else its default; [`Val::Absent`] when neither.
    #[inline]
    fn get(self, slot: FactSlot) -> &'f Val {
        match self.given.get(slot) {
            Val::Absent => self.defaults.get(slot),
            v => v,
        }
    }

    /// The text of a fact, as given or else its default: `None` for a value that is no
    /// text, the fault of a missing fact when neither.
    fn text(self, slot: FactSlot) -> Result<Option<&'f [u8]>, Fault> {
        match self.given.get(slot) {
            Val::Absent => match self.defaults.get(slot) {
                Val::Absent => Err(Fault::new(Stop::Missing(slot))),
                v => Ok(self.defaults.text(v)),
            },
            v => Ok(self.given.text(v)),
        }
    }
}

fn value<'f>(facts: Facts<'f>, slot: FactSlot) -> Result<&'f Val, Fault> {
    match facts.get(slot) {
        Val::Absent => Err(Fault::new(Stop::Missing(slot))),
        v => Ok(v),
    }
}

/// Whether the request gives the fact in `slot`. Only an optional fact may be left out: for
/// any other, a request without it is an error, as when its value is read.
pub(crate) fn read_present(
    facts: Facts<'_>,
    slot: FactSlot,
    optional: bool,
) -> Result<bool, Fault> {
    if optional {
        Ok(!matches!(facts.get(slot), Val::Absent))
    } else {
        value(facts, slot).map(|_| true)
    }
}

pub(crate) fn read_bool(facts: Facts<'_>, slot: FactSlot) -> Result<bool, Fault> {
    match value(facts, slot)? {
        Val::Bool(b) => Ok(*b),
        _ => Err(Fault::new(Stop::Mistyped(slot))),
    }
}

pub(crate) fn read_enum(facts: Facts<'_>, slot: FactSlot) -> Result<u16, Fault> {
    match value(facts, slot)? {
        Val::Enum(v) => Ok(*v),
        _ => Err(Fault::new(Stop::Mistyped(slot))),
    }
}

fn read_day(facts: Facts<'_>, slot: FactSlot) -> Result<Day, Fault> {
    match value(facts, slot)? {
        Val::Date(d) => Ok(*d),
        _ => Err(Fault::new(Stop::Mistyped(slot))),
    }
}

fn read_text<'f>(facts: Facts<'f>, slot: FactSlot) -> Result<&'f [u8], Fault> {
    facts
        .text(slot)?
        .ok_or_else(|| Fault::new(Stop::Mistyped(slot)))
}

/// [`BoolExpr`] with facts resolved to request slots.
#[derive(Clone, Debug)]
pub(crate) enum CBool {
    Const(bool),
    /// Whether the request gives the fact; `true` when the fact may be left out
    /// (`kan saknas`). For a fact that may not, a request without it is an error.
    Present(FactSlot, bool),
    Fact(FactSlot),
    Not(Box<CBool>),
    And(Vec<CBool>),
    Or(Vec<CBool>),
    /// The fact's value is one of these.
    In(FactSlot, Cells),
    IntCmp(CInt, CompareOp, i64),
    DateCmp(CDate, CompareOp, CDate),
    TextEq(CText, CText),
    // The shapes most derived conditions have, read without walking an expression.
    /// `fact op fact`, dates.
    DateFacts(FactSlot, CompareOp, FactSlot),
    /// `fact op day`.
    DateFactDay(FactSlot, CompareOp, Day),
    /// `fact = fact`, texts.
    TextFacts(FactSlot, FactSlot),
}

impl CBool {
    /// The condition in its fastest form: a date or text comparison of facts (or a fact
    /// and a date) is read directly.
    pub(crate) fn specialised(self) -> CBool {
        match self {
            CBool::DateCmp(CDate::Fact(a), op, CDate::Fact(b)) => CBool::DateFacts(a, op, b),
            CBool::DateCmp(CDate::Fact(a), op, CDate::Literal(d)) => CBool::DateFactDay(a, op, d),
            CBool::DateCmp(CDate::Literal(d), op, CDate::Fact(b)) => {
                CBool::DateFactDay(b, op.flipped(), d)
            }
            CBool::TextEq(CText::Fact(a), CText::Fact(b)) => CBool::TextFacts(a, b),
            other => other,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) enum CInt {
    Fact(FactSlot),
    Age(CDate, CDate),
    /// An age between two date facts: the common shape, read directly.
    AgeFacts(FactSlot, FactSlot),
}

#[derive(Clone, Debug)]
pub(crate) enum CDate {
    Fact(FactSlot),
    Literal(Day),
    Shift(Box<CDate>, i64, Unit),
}

#[derive(Clone, Debug)]
pub(crate) enum CText {
    Fact(FactSlot),
    Literal(Box<str>),
}

/// The slots a compiled condition reads (with repeats), for the witness search.
pub(crate) fn slots_of_bool(e: &CBool, out: &mut Vec<FactSlot>) {
    match e {
        CBool::Const(_) => {}
        CBool::Fact(f) | CBool::In(f, _) | CBool::Present(f, _) => out.push(*f),
        CBool::Not(e) => slots_of_bool(e, out),
        CBool::And(es) | CBool::Or(es) => es.iter().for_each(|e| slots_of_bool(e, out)),
        CBool::IntCmp(t, _, _) => slots_of_int(t, out),
        CBool::DateCmp(l, _, r) => {
            slots_of_date(l, out);
            slots_of_date(r, out);
        }
        CBool::TextEq(l, r) => {
            for t in [l, r] {
                if let CText::Fact(f) = t {
                    out.push(*f);
                }
            }
        }
        CBool::DateFacts(a, _, b) | CBool::TextFacts(a, b) => out.extend([*a, *b]),
        CBool::DateFactDay(a, _, _) => out.push(*a),
    }
}

pub(crate) fn slots_of_int(e: &CInt, out: &mut Vec<FactSlot>) {
    match e {
        CInt::Fact(f) => out.push(*f),
        CInt::AgeFacts(b, o) => out.extend([*b, *o]),
        CInt::Age(b, o) => {
            slots_of_date(b, out);
            slots_of_date(o, out);
        }
    }
}

fn slots_of_date(e: &CDate, out: &mut Vec<FactSlot>) {
    match e {
        CDate::Fact(f) => out.push(*f),
        CDate::Literal(_) => {}
        CDate::Shift(b, _, _) => slots_of_date(b, out),
    }
}

fn compare<T: Ord>(l: T, op: CompareOp, r: T) -> bool {
    match op {
        CompareOp::Eq => l == r,
        CompareOp::Ne => l != r,
        CompareOp::Lt => l < r,
        CompareOp::Le => l <= r,
        CompareOp::Gt => l > r,
        CompareOp::Ge => l >= r,
    }
}

impl CBool {
    /// Evaluates left to right; `och`/`eller` stop as soon as the answer is known.
    pub(crate) fn eval(&self, facts: Facts<'_>) -> Result<bool, Fault> {
        Ok(match self {
            CBool::Const(b) => *b,
            CBool::Present(f, optional) => read_present(facts, *f, *optional)?,
            CBool::Fact(f) => read_bool(facts, *f)?,
            CBool::Not(e) => !e.eval(facts)?,
            CBool::And(es) => {
                for e in es {
                    if !e.eval(facts)? {
                        return Ok(false);
                    }
                }
                true
            }
            CBool::Or(es) => {
                for e in es {
                    if e.eval(facts)? {
                        return Ok(true);
                    }
                }
                false
            }
            CBool::In(f, set) => set.contains(usize::from(read_enum(facts, *f)?)),
            CBool::IntCmp(t, op, v) => compare(t.eval(facts)?, *op, *v),
            CBool::DateCmp(l, op, r) => compare(l.eval(facts)?.date(), *op, r.eval(facts)?.date()),
            CBool::TextEq(l, r) => l.eval(facts)? == r.eval(facts)?,
            CBool::DateFacts(a, op, b) => compare(
                read_day(facts, *a)?.date(),
                *op,
                read_day(facts, *b)?.date(),
            ),
            CBool::DateFactDay(a, op, d) => compare(read_day(facts, *a)?.date(), *op, d.date()),
            CBool::TextFacts(a, b) => read_text(facts, *a)? == read_text(facts, *b)?,
        })
    }
}

impl CInt {
    pub(crate) fn eval(&self, facts: Facts<'_>) -> Result<i64, Fault> {
        match self {
            CInt::Fact(f) => match value(facts, *f)? {
                Val::Int(n) => Ok(*n),
                _ => Err(Fault::new(Stop::Mistyped(*f))),
            },
            CInt::Age(birth, on) => {
                let (b, o) = (birth.eval(facts)?, on.eval(facts)?);
                b.age_on(o)
                    .ok_or_else(|| Fault::new(Stop::BornAfter(b.date(), o.date())))
            }
            CInt::AgeFacts(birth, on) => {
                let (b, o) = (read_day(facts, *birth)?, read_day(facts, *on)?);
                b.age_on(o)
                    .ok_or_else(|| Fault::new(Stop::BornAfter(b.date(), o.date())))
            }
        }
    }
}

impl CDate {
    pub(crate) fn eval(&self, facts: Facts<'_>) -> Result<Day, Fault> {
        match self {
            CDate::Fact(f) => read_day(facts, *f),
            CDate::Literal(d) => Ok(*d),
            CDate::Shift(base, n, unit) => {
                let d = base.eval(facts)?;
                d.shift(*n, *unit)
                    .ok_or_else(|| Fault::new(Stop::Shift(d.date(), *n, *unit)))
            }
        }
    }
}

impl CText {
    /// The text's bytes.
    pub(crate) fn eval<'r>(&'r self, facts: Facts<'r>) -> Result<&'r [u8], Fault> {
        match self {
            CText::Fact(f) => read_text(facts, *f),
            CText::Literal(t) => Ok(t.as_bytes()),
        }
    }
}
