//! The checked model: every name resolved, every expression typed, deviations applied. This
//! is what the compiler reads; it never sees the syntax tree.

use crate::diagnostic::Span;
use crate::source::Sources;
use crate::syntax::ast::{CompareOp, Quantifier};
use crate::time::{Date, Unit};

pub type TypeId = usize;
pub type FactId = usize;
pub type DerivedId = usize;
pub type DecisionId = usize;
pub type RuleId = usize;
pub type DeviationId = usize;

pub use crate::table::Origin;

/// A checked ruleset: the national framework with a region's deviations applied, or the
/// national framework alone.
#[derive(Clone, Debug)]
pub struct Ruleset {
    /// The title from `regelverk "…"`.
    pub name: String,
    /// The title of the ruleset this one builds on.
    pub base: Option<String>,
    pub sources: Sources,
    pub types: Vec<EnumType>,
    pub facts: Vec<Fact>,
    pub derived: Vec<Derived>,
    pub decisions: Vec<Decision>,
    pub rules: Vec<Rule>,
    pub deviations: Vec<Deviation>,
    pub invariants: Vec<Invariant>,
    pub examples: Vec<Example>,
    /// SHA-256 over the files' names and texts, in order.
    pub source_hash: String,
}

#[derive(Clone, Debug)]
pub struct EnumType {
    pub name: String,
    pub values: Vec<EnumValue>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct EnumValue {
    pub name: String,
    pub span: Span,
    /// The deviation that added this value, if a region added it.
    pub added_by: Option<DeviationId>,
}

/// The type of a fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    Date,
    Text,
    /// An identifier: stored and compared in canonical form ([`crate::table::ident`]).
    Id,
    Enum(TypeId),
}

/// A value of some type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Date(Date),
    Text(String),
    Enum(u16),
}

#[derive(Clone, Debug)]
pub struct Fact {
    pub name: String,
    pub ty: Type,
    pub default: Option<Value>,
    pub span: Span,
    pub origin: Origin,
}

/// What a derived fact computes.
#[derive(Clone, Debug, PartialEq)]
pub enum DerivedValue {
    Bool(Expr),
    Int(IntTerm),
    Date(DateTerm),
}

#[derive(Clone, Debug)]
pub struct Derived {
    pub name: String,
    pub value: DerivedValue,
    pub span: Span,
    pub origin: Origin,
    /// The deviation that redefined it, if any.
    pub redefined_by: Option<DeviationId>,
}

/// A decision's outcome: an index into its `utfall` list and an optional reason.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Outcome {
    pub value: usize,
    pub reason: Option<String>,
}

/// A `källa` as written, with where it was written.
#[derive(Clone, Debug)]
pub struct Citation {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Decision {
    pub name: String,
    pub outcomes: Vec<String>,
    pub default: Option<Outcome>,
    /// Citations for the default.
    pub sources: Vec<Citation>,
    pub span: Span,
    /// The deviation through which the region took this decision over.
    pub replaced_by: Option<DeviationId>,
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub sources: Vec<Citation>,
    pub decision: DecisionId,
    pub condition: Expr,
    pub outcome: Outcome,
    pub outcome_span: Span,
    pub groups: Vec<String>,
    /// Rules this rule directly `går före` (groups expanded).
    pub overrides: Vec<RuleId>,
    pub span: Span,
    pub origin: Origin,
    /// The deviation this rule comes from (directly, or through `ersätter beslut`).
    pub deviation: Option<DeviationId>,
    /// The national rule this one replaces.
    pub replaces: Option<String>,
}

/// The kind of change a deviation makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviationKind {
    ReplaceRule(String),
    RemoveRule(String),
    NewRule,
    Redefine(String),
    Extend(String),
    ReplaceDecision(String),
}

#[derive(Clone, Debug)]
pub struct Deviation {
    pub id: String,
    pub title: String,
    pub motivation: String,
    pub sources: Vec<Citation>,
    pub kind: DeviationKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Invariant {
    pub title: String,
    pub decision: DecisionId,
    pub quantifier: Quantifier,
    pub outcome: usize,
    pub reason: Option<String>,
    pub condition: Expr,
    pub span: Span,
}

/// What an example expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    Outcome {
        value: String,
        reason: Option<String>,
    },
    Error,
}

#[derive(Clone, Debug)]
pub struct Example {
    pub title: String,
    pub decision: DecisionId,
    /// The request, built as a JSON object exactly as a user would send it.
    pub request: serde_json::Value,
    pub expected: Expected,
    pub span: Span,
}

// ------------------------------------------------------------------ expressions

/// A typed condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Const(bool),
    BoolFact(FactId),
    BoolDerived(DerivedId),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    /// The enum fact has one of these values (sorted, deduplicated).
    EnumIn {
        fact: FactId,
        values: Vec<u16>,
    },
    IntCmp {
        term: IntTerm,
        op: CompareOp,
        value: i64,
    },
    DateCmp {
        lhs: DateTerm,
        op: CompareOp,
        rhs: DateTerm,
    },
    TextEq {
        lhs: TextTerm,
        rhs: TextTerm,
    },
}

/// A whole-number term.
#[derive(Clone, Debug, PartialEq)]
pub enum IntTerm {
    Fact(FactId),
    Derived(DerivedId),
    Age { birth: DateTerm, on: DateTerm },
}

/// A date term: a base moved by whole units.
#[derive(Clone, Debug, PartialEq)]
pub struct DateTerm {
    pub base: DateBase,
    pub shifts: Vec<(i64, Unit)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DateBase {
    Fact(FactId),
    Derived(DerivedId),
    Literal(Date),
}

/// A text term.
#[derive(Clone, Debug, PartialEq)]
pub enum TextTerm {
    Fact(FactId),
    Literal(String),
}
