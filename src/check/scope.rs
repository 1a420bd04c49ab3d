//! The declarations checked so far, with their names: what each later pass resolves names
//! against. Items are only ever added, and each id is made as its item is pushed, so an id
//! always names an item.

use super::model::*;
use super::sink::Diagnostics;
use super::suggest_name as did_you_mean;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast;
use std::collections::{BTreeSet, HashMap};

/// The kind of value a derived fact has, known once its definition is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DerivedType {
    Bool,
    Int,
    Date,
}

#[derive(Default)]
pub struct Scope {
    pub types: Vec<EnumType>,
    pub type_index: HashMap<String, TypeId>,
    /// By type, each value's position among the type's values (the first, for a name given
    /// twice): kept with `types` by `add_type` and `add_value`, so a value is found in
    /// constant time however many units a type lists.
    value_index: Vec<HashMap<String, usize>>,
    pub facts: Vec<Fact>,
    pub fact_index: HashMap<String, FactId>,
    pub derived_index: HashMap<String, DerivedId>,
    /// The kind of each derived fact, once typed (`None`: not yet, or in error).
    pub derived_types: Vec<Option<DerivedType>>,
    /// For each derived fact, once typed: the facts that may be absent which its definition
    /// reads without testing that they are given (a use of it reads them).
    pub derived_reads: Vec<BTreeSet<FactId>>,
    /// For each derived fact, once typed: every fact its definition reads, through other
    /// derived facts too.
    pub derived_facts: Vec<BTreeSet<FactId>>,
    pub decisions: Vec<Decision>,
    pub decision_index: HashMap<String, DecisionId>,
    pub deviations: Vec<Deviation>,
    /// Whether a region is checked on top of the national files.
    pub is_region: bool,
}

impl Scope {
    pub fn new(is_region: bool) -> Scope {
        Scope {
            is_region,
            ..Scope::default()
        }
    }

    pub fn add_type(&mut self, t: EnumType) -> TypeId {
        let id = TypeId::new(self.types.len());
        self.type_index.insert(t.name.clone(), id);
        let mut values = HashMap::new();
        for (i, v) in t.values.iter().enumerate() {
            values.entry(v.name.clone()).or_insert(i);
        }
        self.value_index.push(values);
        self.types.push(t);
        id
    }

    /// A value added at the end of a type (a region's `utökar`).
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a TypeId is made only by add_type, for the type it pushes, with its value index"
    )]
    pub fn add_value(&mut self, id: TypeId, value: EnumValue) {
        let t = &mut self.types[id.index()];
        self.value_index[id.index()]
            .entry(value.name.clone())
            .or_insert(t.values.len());
        t.values.push(value);
    }

    /// The position of the value named `name` among the type's values.
    pub fn value_position(&self, id: TypeId, name: &str) -> Option<usize> {
        self.value_index.get(id.index())?.get(name).copied()
    }

    pub fn add_fact(&mut self, f: Fact) -> FactId {
        let id = FactId::new(self.facts.len());
        self.fact_index.insert(f.name.clone(), id);
        self.facts.push(f);
        id
    }

    pub fn add_decision(&mut self, d: Decision) -> DecisionId {
        let id = DecisionId::new(self.decisions.len());
        self.decision_index.insert(d.name.clone(), id);
        self.decisions.push(d);
        id
    }

    pub fn add_deviation(&mut self, d: Deviation) -> DeviationId {
        let id = DeviationId::new(self.deviations.len());
        self.deviations.push(d);
        id
    }

    pub fn ty(&self, id: TypeId) -> &EnumType {
        at(&self.types, id.index())
    }

    pub fn fact(&self, id: FactId) -> &Fact {
        at(&self.facts, id.index())
    }

    pub fn decision(&self, id: DecisionId) -> &Decision {
        at(&self.decisions, id.index())
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a DecisionId is made only by add_decision, for the decision it pushes"
    )]
    pub fn decision_mut(&mut self, id: DecisionId) -> &mut Decision {
        &mut self.decisions[id.index()]
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: derived_types has a slot for every derived fact declared, made before any is typed"
    )]
    pub fn set_derived_type(&mut self, id: DerivedId, kind: Option<DerivedType>) {
        self.derived_types[id.index()] = kind;
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: derived_reads has a slot for every derived fact declared, made before any is typed"
    )]
    pub fn set_derived_reads(&mut self, id: DerivedId, reads: BTreeSet<FactId>) {
        self.derived_reads[id.index()] = reads;
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: derived_facts has a slot for every derived fact declared, made before any is typed"
    )]
    pub fn set_derived_facts(&mut self, id: DerivedId, facts: BTreeSet<FactId>) {
        self.derived_facts[id.index()] = facts;
    }

    /// Every fact the names in an expression read, through derived facts too.
    pub fn facts_read<'n>(&self, names: impl IntoIterator<Item = &'n str>) -> BTreeSet<FactId> {
        let mut facts = BTreeSet::new();
        for name in names {
            if let Some(&f) = self.fact_index.get(name) {
                facts.insert(f);
            } else if let Some(&d) = self.derived_index.get(name) {
                facts.extend(at(&self.derived_facts, d.index()).iter().copied());
            }
        }
        facts
    }

    /// The facts that may be absent which a derived fact reads unguarded.
    pub fn derived_reads(&self, id: DerivedId) -> &BTreeSet<FactId> {
        at(&self.derived_reads, id.index())
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a FactId is made only by add_fact, for the fact it pushes"
    )]
    pub fn fact_mut(&mut self, id: FactId) -> &mut Fact {
        &mut self.facts[id.index()]
    }

    pub fn deviation(&self, id: DeviationId) -> &Deviation {
        at(&self.deviations, id.index())
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a DeviationId is made only by add_deviation, for the deviation it pushes"
    )]
    pub fn deviation_mut(&mut self, id: DeviationId) -> &mut Deviation {
        &mut self.deviations[id.index()]
    }

    /// A type by name, or an error with the closest name or how to declare one.
    pub fn type_named(&self, name: &ast::Ident, out: &mut Diagnostics) -> Option<TypeId> {
        if let Some(&t) = self.type_index.get(&name.name) {
            return Some(t);
        }
        let d = Diagnostic::error(
            Code::UnknownName,
            format!("okänd typ `{}`", name.name),
            name.span,
            "ingen typ heter så",
        );
        out.push(
            match did_you_mean(&name.name, self.type_index.keys().map(String::as_str)) {
                Some(s) => d.with_help(format!("menade du `{s}`?")),
                None => d.with_help(format!(
                    "deklarera typen med `typ {}: värde, värde`, eller använd `sant/falskt`, `heltal 0..100`, `datum` eller `text`",
                    name.name
                )),
            },
        );
        None
    }

    /// A decision by name, or an error with the closest name or the known ones.
    pub fn decision_named(&self, name: &ast::Ident, out: &mut Diagnostics) -> Option<DecisionId> {
        if let Some(&i) = self.decision_index.get(&name.name) {
            return Some(i);
        }
        let d = Diagnostic::error(
            Code::UnknownName,
            format!("okänt beslut `{}`", name.name),
            name.span,
            "inget beslut heter så",
        );
        let suggestion = did_you_mean(&name.name, self.decision_index.keys().map(String::as_str));
        let known: Vec<&str> = self.decisions.iter().map(|d| d.name.as_str()).collect();
        out.push(match suggestion {
            Some(s) => d.with_help(format!("menade du `{s}`?")),
            None => d.with_help(format!("kända beslut: {}", known.join(", "))),
        });
        None
    }
}

/// A written outcome of `decision`, or an error listing the outcomes it has.
pub fn outcome(decision: &Decision, o: &ast::Outcome, out: &mut Diagnostics) -> Option<Outcome> {
    if let Some(value) = decision.outcomes.iter().position(|v| *v == o.value.name) {
        return Some(Outcome {
            value,
            reason: o.reason.as_ref().map(|r| r.name.clone()),
        });
    }
    let d = Diagnostic::error(
        Code::UnknownValue,
        format!(
            "beslutet `{}` har inget utfall `{}`",
            decision.name, o.value.name
        ),
        o.value.span,
        "okänt utfall",
    )
    .with_label(decision.span, "beslutet");
    let allowed = decision.outcomes.join(", ");
    out.push(
        match did_you_mean(&o.value.name, decision.outcomes.iter().map(String::as_str)) {
            Some(s) => d.with_help(format!("menade du `{s}`? möjliga utfall: {allowed}")),
            None => d.with_help(format!("möjliga utfall: {allowed}")),
        },
    );
    None
}
