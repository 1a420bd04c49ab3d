//! The syntax tree of a rule file. Every node carries a [`Span`]; spans take no part in
//! equality, so reformatting a file gives an equal tree.

use crate::diagnostic::Span;
use crate::time::{Date, Unit};

/// A name, value or id as written, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A quoted text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// One parsed rule file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct File {
    pub items: Vec<Item>,
    /// The parts skipped after a syntax error (empty when the file parsed).
    pub skipped: Vec<Skipped>,
}

/// A part of a file skipped after a syntax error: from the start of the declaration the
/// error was in to the next declaration. Problems the checker finds in it, and unknown
/// names that the skipped text declares, follow from the syntax error and are not reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub span: Span,
    /// The name a skipped declaration line gives (`fakta NAME`, `regel ID`, …).
    pub declares: Option<String>,
    /// The skipped part holds the `regelverk` line, and with it maybe `bygger på`.
    pub header: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Header(Header),
    Type(TypeDecl),
    Fact(FactDecl),
    Derived(DerivedDecl),
    Decision(DecisionDecl),
    Rule(RuleDecl),
    Deviation(DeviationDecl),
    Invariant(InvariantDecl),
    Example(ExampleDecl),
}

/// `regelverk "Namn" bygger på "../../rules"`
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub title: Text,
    pub base: Option<Text>,
    pub span: Span,
}

/// `typ Läsare: patient, vårdnadshavare, ombud`
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDecl {
    pub name: Ident,
    pub values: Vec<Ident>,
    pub span: Span,
}

/// The type written in a fact declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeExpr {
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    Date,
    Text,
    /// An identifier (`id`), such as an HSA-id.
    Id,
    Named(Ident),
}

/// A default value: a literal or an enumeration value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Literal(Literal),
    Name(Ident),
}

/// `fakta post.verksamhet: Verksamhet = övrig`, or `fakta vårdförsegling.slutdatum: datum,
/// kan saknas`.
#[derive(Clone, Debug, PartialEq)]
pub struct FactDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    pub ty_span: Span,
    /// Where `, kan saknas` was written: a request may leave the fact out.
    pub optional: Option<Span>,
    pub default: Option<(Value, Span)>,
    /// `(läses av regioner)`: a national fact only the regions' rules read.
    pub read_by_regions: Option<Span>,
    pub span: Span,
}

/// `härledd patient.ålder = ålder(patient.födelsedatum, datum)`
#[derive(Clone, Debug, PartialEq)]
pub struct DerivedDecl {
    pub name: Ident,
    pub expr: Expr,
    pub interpretations: Vec<Text>,
    pub span: Span,
}

/// An outcome with an optional reason: `dölj skäl förseglad`.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub value: Ident,
    pub reason: Option<Ident>,
    /// `visas från DATUM`: the day a hidden entry will be shown (a rule's `då` and an
    /// example's `förväntat` only).
    pub shown_from: Option<Box<Expr>>,
    pub span: Span,
}

/// A date written in a clause (`gäller från 2022-03-01`), with where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateClause {
    pub date: Date,
    pub span: Span,
}

/// `beslut direktåtkomst utfall visa, dölj standard dölj skäl ingen_behörighet`
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionDecl {
    pub name: Ident,
    pub outcomes: Vec<Ident>,
    pub default: Option<Outcome>,
    pub sources: Vec<Text>,
    pub span: Span,
}

/// What a `går före` names.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Rule(Ident),
    Group(Ident),
}

/// The clauses a rule (or a deviation that makes one) may have.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RuleBody {
    pub sources: Vec<Text>,
    /// `tolkning "…"`, in the order written.
    pub interpretations: Vec<Text>,
    /// `gäller från DATUM`.
    pub valid_from: Option<DateClause>,
    /// `gäller till och med DATUM`.
    pub valid_until: Option<DateClause>,
    pub decision: Option<Ident>,
    pub groups: Vec<Ident>,
    pub overrides: Vec<Target>,
    pub condition: Option<Expr>,
    pub outcome: Option<Outcome>,
}

/// `regel N1 "Titel"` with its clauses.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleDecl {
    pub id: Ident,
    pub title: Text,
    pub body: RuleBody,
    pub span: Span,
}

/// The one change a deviation makes.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    ReplaceRule(Ident),
    RemoveRule(Ident),
    /// `stryker invariant "Titel"`: the national invariant with this title.
    RemoveInvariant(Text),
    NewRule(Span),
    Redefine {
        name: Ident,
        expr: Expr,
    },
    Extend {
        ty: Ident,
        values: Vec<Ident>,
    },
    ReplaceDecision(Ident),
    /// `kräver faktum`: a national optional fact is required in the region.
    Require(Ident),
}

/// `avsteg RJH-3.4 "Titel"` with motivering, källa and its change.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviationDecl {
    pub id: Ident,
    pub title: Text,
    pub motivation: Option<Text>,
    pub changes: Vec<(Change, Span)>,
    pub body: RuleBody,
    pub default: Option<Outcome>,
    pub span: Span,
}

/// `alltid` or `aldrig`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    Always,
    Never,
}

/// `aldrig visa när …`
#[derive(Clone, Debug, PartialEq)]
pub struct Assertion {
    pub quantifier: Quantifier,
    pub outcome: Outcome,
    pub condition: Expr,
    pub span: Span,
}

/// `invariant "Titel"` with its decision and assertion.
#[derive(Clone, Debug, PartialEq)]
pub struct InvariantDecl {
    pub title: Option<Text>,
    pub decision: Option<Ident>,
    pub sources: Vec<Text>,
    pub interpretations: Vec<Text>,
    pub assertion: Option<Assertion>,
    pub span: Span,
}

/// What an example expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Expectation {
    Outcome(Outcome),
    Error(Span),
}

/// `exempel "Titel"` with its decision, facts and expectation.
#[derive(Clone, Debug, PartialEq)]
pub struct ExampleDecl {
    pub title: Text,
    pub decision: Option<Ident>,
    pub sources: Vec<Text>,
    pub facts: Vec<(Ident, Value, Span)>,
    pub expectation: Option<Expectation>,
    pub span: Span,
}

/// A literal value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Date(Date),
    Text(String),
}

pub use crate::table::CompareOp;

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Compare {
        op: CompareOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    In {
        lhs: Box<Expr>,
        values: Vec<Ident>,
        negated: bool,
    },
    /// `base + amount unit`; `amount` is negative for `-`.
    Shift {
        base: Box<Expr>,
        amount: i64,
        unit: Unit,
    },
    Age {
        birth: Box<Expr>,
        on: Box<Expr>,
    },
    /// `faktum finns` (`present`) or `faktum saknas`.
    Presence {
        operand: Box<Expr>,
        present: bool,
    },
    Name(String),
    Literal(Literal),
}
