//! The checked model: every name resolved, every expression typed, deviations applied. This
//! is what the compiler reads; it never sees the syntax tree.

use crate::diagnostic::Span;
use crate::source::Sources;
use crate::syntax::ast::{CompareOp, Quantifier};
use crate::time::{Date, Unit};
use std::collections::HashSet;

/// Declares an id: a position in one of the [`Ruleset`]'s vectors. Only the checker makes
/// ids, each as it pushes the item it names, so an id always names an item; the typed
/// accessors ([`Ruleset::rule`] and the like) index with it directly.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(usize);

        impl $name {
            /// The id of the item at `index`, made where the vector it indexes is built.
            pub(in crate::check) fn new(index: usize) -> Self {
                $name(index)
            }

            /// The position in the ruleset's vector (and in the table's, for deviations).
            pub fn index(self) -> usize {
                self.0
            }
        }
    };
}

id!(
    /// An enumeration type: indexes [`Ruleset::types`].
    TypeId
);
id!(
    /// A fact: indexes [`Ruleset::facts`].
    FactId
);
id!(
    /// A derived fact: indexes [`Ruleset::derived`].
    DerivedId
);
id!(
    /// A decision: indexes [`Ruleset::decisions`].
    DecisionId
);
id!(
    /// A rule: indexes [`Ruleset::rules`].
    RuleId
);
id!(
    /// A deviation: indexes [`Ruleset::deviations`].
    DeviationId
);

/// The item an id names.
#[expect(
    clippy::indexing_slicing,
    reason = "INVARIANT: the checker makes an id only for an item it has pushed, and nothing removes items after"
)]
pub(in crate::check) fn at<T>(items: &[T], index: usize) -> &T {
    &items[index]
}

/// Every id of a vector, in order.
fn ids<I>(items: usize, make: fn(usize) -> I) -> impl Iterator<Item = I> {
    (0..items).map(make)
}

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

impl Ruleset {
    pub fn ty(&self, id: TypeId) -> &EnumType {
        at(&self.types, id.0)
    }

    pub fn fact(&self, id: FactId) -> &Fact {
        at(&self.facts, id.0)
    }

    pub fn derived(&self, id: DerivedId) -> &Derived {
        at(&self.derived, id.0)
    }

    pub fn decision(&self, id: DecisionId) -> &Decision {
        at(&self.decisions, id.0)
    }

    pub fn rule(&self, id: RuleId) -> &Rule {
        at(&self.rules, id.0)
    }

    pub fn deviation(&self, id: DeviationId) -> &Deviation {
        at(&self.deviations, id.0)
    }

    pub fn fact_ids(&self) -> impl Iterator<Item = FactId> + use<> {
        ids(self.facts.len(), FactId)
    }

    pub fn decision_ids(&self) -> impl Iterator<Item = DecisionId> + use<> {
        ids(self.decisions.len(), DecisionId)
    }

    pub fn rule_ids(&self) -> impl Iterator<Item = RuleId> + use<> {
        ids(self.rules.len(), RuleId)
    }

    /// The rules of one decision, in the order they were checked.
    pub fn rules_of(&self, decision: DecisionId) -> impl Iterator<Item = RuleId> + '_ {
        self.rule_ids()
            .filter(move |&r| self.rule(r).decision == decision)
    }

    /// When a rule applies: its condition, inside its period (if it has one) and outside the
    /// period of a deviation that suspends it (if one does). The periods are read first: a
    /// rule outside its period asks nothing more of a request, so a rule that has expired
    /// never makes today's requests give facts it reads.
    pub fn applies_when(&self, rule: &Rule) -> Expr {
        let mut parts = Vec::new();
        if let Some(period) = &rule.period {
            parts.push(period.condition());
        }
        if let Some(period) = rule.suspended_by.and_then(|d| self.deviation(d).period) {
            parts.push(Expr::Not(Box::new(period.condition())));
        }
        if parts.is_empty() {
            return rule.condition.clone();
        }
        parts.push(rule.condition.clone());
        Expr::And(parts)
    }

    /// Every `tolkning` of the ruleset, each once, with what it is written on (`regel N10
    /// "…"`, `avsteg VGR-U "…"`, `härledd patient.ålder`, `invariant "…"`), in file order.
    pub fn interpretations(&self) -> Vec<(String, &Interpretation)> {
        let mut found: Vec<(String, &Interpretation)> = Vec::new();
        let deviations = self.deviations.iter().map(|d| {
            (
                format!("avsteg {} \"{}\"", d.id, d.title),
                &d.interpretations,
            )
        });
        let rules = self.rules.iter().map(|r| {
            (
                format!("regel {} \"{}\"", r.id, r.title),
                &r.interpretations,
            )
        });
        let derived = self
            .derived
            .iter()
            .map(|d| (format!("härledd {}", d.name), &d.interpretations));
        let invariants = self
            .invariants
            .iter()
            .map(|i| (format!("invariant \"{}\"", i.title), &i.interpretations));
        // A rule an `avsteg` makes shares the deviation's clauses: listed once, as the avsteg.
        // Spans never compare unequal, so the place is the key.
        let mut seen: HashSet<(u32, u32)> = HashSet::new();
        for (what, list) in deviations.chain(rules).chain(derived).chain(invariants) {
            for i in list {
                if seen.insert((i.span.file, i.span.start)) {
                    found.push((what.clone(), i));
                }
            }
        }
        found.sort_by_key(|(_, i)| (i.span.file, i.span.start));
        found
    }

    /// The type of an enumeration fact, as `EnumIn` names it.
    pub fn enum_type(&self, fact: FactId) -> &EnumType {
        match self.fact(fact).ty {
            Type::Enum(t) => self.ty(t),
            other => unreachable!(
                "INVARIANT: the checker compares only enumeration facts with values, not {other:?}"
            ),
        }
    }

    /// The range of a whole-number fact, as `IntTerm::Fact` names it.
    pub fn int_range(&self, fact: FactId) -> (i64, i64) {
        match self.fact(fact).ty {
            Type::Int { min, max } => (min, max),
            other => unreachable!(
                "INVARIANT: the checker makes IntTerm::Fact only of whole-number facts, not {other:?}"
            ),
        }
    }

    /// The definition of a true/false derived fact, as `Expr::BoolDerived` names it.
    pub fn derived_bool(&self, id: DerivedId) -> &Expr {
        match &self.derived(id).value {
            DerivedValue::Bool(e) => e,
            other => unreachable!(
                "INVARIANT: the checker makes BoolDerived only of true/false derived facts, not {other:?}"
            ),
        }
    }

    /// The definition of a whole-number derived fact, as `IntTerm::Derived` names it.
    pub fn derived_int(&self, id: DerivedId) -> &IntTerm {
        match &self.derived(id).value {
            DerivedValue::Int(t) => t,
            other => unreachable!(
                "INVARIANT: the checker makes IntTerm::Derived only of whole-number derived facts, not {other:?}"
            ),
        }
    }

    /// The definition of a date derived fact, as `DateBase::Derived` names it.
    pub fn derived_date(&self, id: DerivedId) -> &DateTerm {
        match &self.derived(id).value {
            DerivedValue::Date(t) => t,
            other => unreachable!(
                "INVARIANT: the checker makes DateBase::Derived only of date derived facts, not {other:?}"
            ),
        }
    }
}

#[derive(Clone, Debug)]
pub struct EnumType {
    pub name: String,
    pub values: Vec<EnumValue>,
    pub span: Span,
}

impl EnumType {
    /// The value at `index`, as a typed expression or a value names it.
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: the checker makes value indices only from positions in `values`, which only ever grows"
    )]
    pub fn value(&self, index: u16) -> &EnumValue {
        &self.values[usize::from(index)]
    }
}

/// The index of an enumeration value as expressions and values store it.
pub(in crate::check) fn value_index(i: usize) -> u16 {
    match u16::try_from(i) {
        Ok(v) if i < MAX_VALUES => v,
        _ => unreachable!(
            "INVARIANT: a type has at most MAX_VALUES values, checked where it is declared and extended"
        ),
    }
}

/// The most values a type may have: a value is stored as its index in 16 bits. (A table
/// column may have any number of cells; this is far beyond any real list of units.)
pub const MAX_VALUES: usize = 1 << 16;

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
    /// Declared `, kan saknas`: a request may leave it out, and rules test `finns`/`saknas`.
    pub optional: bool,
    /// The region's `avsteg … kräver` that makes an optional fact required.
    pub required_by: Option<DeviationId>,
    pub span: Span,
    pub origin: Origin,
    /// Marked `(läses av regioner)`: the national rules need not read it.
    pub read_by_regions: bool,
}

impl Fact {
    /// Whether a request may leave the fact out without error: declared `, kan saknas` and
    /// not required by the region.
    pub fn may_be_absent(&self) -> bool {
        self.optional && self.required_by.is_none()
    }
}

/// A `tolkning "…"` as written, with where it was written: a choice the rule files make where
/// the sources are silent or ambiguous.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interpretation {
    pub text: String,
    pub span: Span,
}

/// `gäller från` / `gäller till och med`: the days (by the request's `datum`, both ends
/// inclusive) on which a rule or a deviation applies. At least one end is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: Option<Date>,
    pub until: Option<Date>,
    /// The fact the period is read against: `datum`.
    pub datum: FactId,
    pub span: Span,
}

impl Period {
    /// The period as a condition on `datum`: `datum >= från och datum <= till`.
    pub fn condition(&self) -> Expr {
        let term = |base| DateTerm {
            base,
            shifts: Vec::new(),
        };
        let mut parts = Vec::new();
        if let Some(from) = self.from {
            parts.push(Expr::DateCmp {
                lhs: term(DateBase::Fact(self.datum)),
                op: CompareOp::Ge,
                rhs: term(DateBase::Literal(from)),
            });
        }
        if let Some(until) = self.until {
            parts.push(Expr::DateCmp {
                lhs: term(DateBase::Fact(self.datum)),
                op: CompareOp::Le,
                rhs: term(DateBase::Literal(until)),
            });
        }
        match parts.len() {
            1 => parts.remove(0),
            _ => Expr::And(parts),
        }
    }
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
    /// The definition's `tolkning`, and a redefinition's.
    pub interpretations: Vec<Interpretation>,
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

impl Decision {
    /// The name of the outcome at `index`, as a checked [`Outcome`] names it.
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: the checker makes outcome indices only from positions in `outcomes`"
    )]
    pub fn outcome_name(&self, index: usize) -> &str {
        &self.outcomes[index]
    }
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub sources: Vec<Citation>,
    pub decision: DecisionId,
    /// The condition as written (`om`); [`Ruleset::applies_when`] adds the period.
    pub condition: Expr,
    pub outcome: Outcome,
    pub outcome_span: Span,
    /// `visas från`: the day the entry the rule hides will be shown.
    pub shown_from: Option<DateTerm>,
    /// The rule's `tolkning` (for a rule an `avsteg` makes, the deviation's).
    pub interpretations: Vec<Interpretation>,
    /// `gäller från` / `gäller till och med` (for a rule an `avsteg` makes, the deviation's).
    pub period: Option<Period>,
    /// A national rule a deviation with a period replaces or strikes: it applies only
    /// outside that deviation's period.
    pub suspended_by: Option<DeviationId>,
    pub groups: Vec<String>,
    /// Rules this rule directly `går före` (groups expanded).
    pub overrides: Vec<RuleId>,
    /// Each `går före` as written (the rule's own and those it inherits from the national
    /// rule it replaces), with the rules it names.
    pub precedes: Vec<Precedence>,
    pub span: Span,
    pub origin: Origin,
    /// The deviation this rule comes from (directly, or through `ersätter beslut`).
    pub deviation: Option<DeviationId>,
    /// The national rule this one replaces.
    pub replaces: Option<String>,
}

/// One target of a rule's `går före`: a rule or a group, with the rules it beats directly
/// (a group's rules, and those of every place below it).
#[derive(Clone, Debug)]
pub struct Precedence {
    pub target: PrecedenceTarget,
    pub span: Span,
    pub rules: Vec<RuleId>,
}

/// What a `går före` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrecedenceTarget {
    Rule(String),
    Group(String),
}

/// The kind of change a deviation makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviationKind {
    ReplaceRule(String),
    RemoveRule(String),
    /// `stryker invariant "Titel"`: the national invariant with this title no longer holds.
    RemoveInvariant(String),
    NewRule,
    Redefine(String),
    Extend(String),
    ReplaceDecision(String),
    /// `kräver faktum`: a national optional fact is required.
    Require(String),
}

#[derive(Clone, Debug)]
pub struct Deviation {
    pub id: String,
    pub title: String,
    pub motivation: String,
    pub sources: Vec<Citation>,
    pub interpretations: Vec<Interpretation>,
    pub kind: DeviationKind,
    /// The days the deviation changes the national rules; outside them, they apply as before.
    pub period: Option<Period>,
    pub span: Span,
}

/// `invariant "Titel" … aldrig/alltid UTFALL när VILLKOR`: what must hold for every request
/// of a decision, proved over the compiled table.
#[derive(Clone, Debug)]
pub struct Invariant {
    pub title: String,
    pub sources: Vec<Citation>,
    pub interpretations: Vec<Interpretation>,
    pub decision: DecisionId,
    pub quantifier: Quantifier,
    pub outcome: usize,
    pub reason: Option<String>,
    pub condition: Expr,
    /// The title (or `invariant` when it has none).
    pub span: Span,
    /// A national invariant holds in every region built on the framework, unless struck.
    pub origin: Origin,
    /// The region's `avsteg … stryker invariant "Titel"` that lifts this invariant; a struck
    /// invariant is kept so outputs can say so, and is not proved.
    pub struck_by: Option<DeviationId>,
}

/// What an example expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    Outcome {
        value: String,
        reason: Option<String>,
        /// `visas från DATUM`: the day the decision must say the entry will be shown.
        shown_from: Option<Date>,
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
    /// The request gives the (optional) fact: `finns`; `saknas` is its negation. For a fact
    /// a region requires (`kräver`), a request without it is an error.
    Present(FactId),
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
