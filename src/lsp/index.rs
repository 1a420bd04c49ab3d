//! Every name in a ruleset's syntax trees (the region's and the national ones it builds
//! on): where each is declared and where it is used. Built from the trees rather than the
//! checked model, so navigation works while the rules still have errors.

use crate::diagnostic::Span;
use crate::syntax::ast::*;
use std::collections::BTreeSet;

/// What a name names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Symbol {
    Fact(String),
    Type(String),
    Value(String),
    Decision(String),
    Rule(String),
    Group(String),
    Reason(String),
}

/// One place a symbol is written.
#[derive(Clone, Debug)]
pub struct Occurrence {
    pub symbol: Symbol,
    pub span: Span,
    /// Where it is declared (a fact's `fakta` line, a rule's id …), not used.
    pub declaration: bool,
    /// The whole declaration, for hover.
    pub item: Option<Span>,
}

/// The names of a ruleset and where they are written.
#[derive(Debug, Default)]
pub struct Index {
    pub occurrences: Vec<Occurrence>,
    facts: BTreeSet<String>,
    values: BTreeSet<String>,
}

impl Index {
    /// Indexes the trees of one ruleset (region files and national files alike).
    pub fn new<'a>(files: impl IntoIterator<Item = &'a File> + Clone) -> Index {
        let mut index = Index::default();
        // Declarations first, so a name in a condition can be told apart: a fact or a value.
        for file in files.clone() {
            for item in &file.items {
                index.declarations(item);
            }
        }
        for file in files {
            for item in &file.items {
                index.uses(item);
            }
        }
        index
    }

    /// The smallest occurrence around a byte offset of a file.
    pub fn at(&self, file: u32, offset: u32) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .filter(|o| o.span.file == file && o.span.start <= offset && offset <= o.span.end)
            .min_by_key(|o| o.span.end - o.span.start)
    }

    /// Every occurrence of a symbol.
    pub fn of<'a>(&'a self, symbol: &'a Symbol) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.occurrences.iter().filter(move |o| &o.symbol == symbol)
    }

    /// The names of every symbol of one kind, for completion.
    pub fn names(&self, kind: fn(&Symbol) -> Option<&str>) -> BTreeSet<String> {
        self.occurrences
            .iter()
            .filter_map(|o| kind(&o.symbol))
            .map(str::to_owned)
            .collect()
    }

    fn add(&mut self, symbol: Symbol, span: Span, declaration: bool, item: Option<Span>) {
        self.occurrences.push(Occurrence {
            symbol,
            span,
            declaration,
            item,
        });
    }

    fn declarations(&mut self, item: &Item) {
        match item {
            Item::Type(t) => {
                self.add(
                    Symbol::Type(t.name.name.clone()),
                    t.name.span,
                    true,
                    Some(t.span),
                );
                for v in &t.values {
                    self.values.insert(v.name.clone());
                    self.add(Symbol::Value(v.name.clone()), v.span, true, Some(t.span));
                }
            }
            Item::Fact(f) => {
                self.facts.insert(f.name.name.clone());
                self.add(
                    Symbol::Fact(f.name.name.clone()),
                    f.name.span,
                    true,
                    Some(f.span),
                );
            }
            Item::Derived(d) => {
                self.facts.insert(d.name.name.clone());
                self.add(
                    Symbol::Fact(d.name.name.clone()),
                    d.name.span,
                    true,
                    Some(d.span),
                );
            }
            Item::Decision(d) => {
                self.add(
                    Symbol::Decision(d.name.name.clone()),
                    d.name.span,
                    true,
                    Some(d.span),
                );
            }
            Item::Rule(r) => {
                self.add(
                    Symbol::Rule(r.id.name.clone()),
                    r.id.span,
                    true,
                    Some(r.span),
                );
            }
            Item::Deviation(d) => {
                // A deviation that makes a rule declares it under the deviation's id.
                let makes_rule = d
                    .changes
                    .iter()
                    .any(|(c, _)| matches!(c, Change::NewRule(_) | Change::ReplaceRule(_)));
                if makes_rule {
                    self.add(
                        Symbol::Rule(d.id.name.clone()),
                        d.id.span,
                        true,
                        Some(d.span),
                    );
                }
                for (change, _) in &d.changes {
                    if let Change::Extend { values, .. } = change {
                        for v in values {
                            self.values.insert(v.name.clone());
                            self.add(Symbol::Value(v.name.clone()), v.span, true, Some(d.span));
                        }
                    }
                }
            }
            Item::Header(_) | Item::Invariant(_) | Item::Example(_) => {}
        }
    }

    fn uses(&mut self, item: &Item) {
        match item {
            Item::Header(_) | Item::Type(_) => {}
            Item::Fact(f) => {
                if let TypeExpr::Named(t) = &f.ty {
                    self.add(Symbol::Type(t.name.clone()), t.span, false, None);
                }
                if let Some((Value::Name(v), _)) = &f.default {
                    self.add(Symbol::Value(v.name.clone()), v.span, false, None);
                }
            }
            Item::Derived(d) => self.expr(&d.expr),
            Item::Decision(d) => {
                if let Some(o) = &d.default {
                    self.outcome(o);
                }
            }
            Item::Rule(r) => self.body(&r.body),
            Item::Deviation(d) => {
                for (change, _) in &d.changes {
                    match change {
                        Change::ReplaceRule(r) | Change::RemoveRule(r) => {
                            self.add(Symbol::Rule(r.name.clone()), r.span, false, None);
                        }
                        Change::Redefine { name, expr } => {
                            self.add(Symbol::Fact(name.name.clone()), name.span, false, None);
                            self.expr(expr);
                        }
                        Change::Extend { ty, .. } => {
                            self.add(Symbol::Type(ty.name.clone()), ty.span, false, None);
                        }
                        Change::ReplaceDecision(n) => {
                            self.add(Symbol::Decision(n.name.clone()), n.span, false, None);
                        }
                        Change::Require(name) => {
                            self.add(Symbol::Fact(name.name.clone()), name.span, false, None);
                        }
                        // Invariants have no symbol: they are named by their titles.
                        Change::RemoveInvariant(_) | Change::NewRule(_) => {}
                    }
                }
                if let Some(o) = &d.default {
                    self.outcome(o);
                }
                self.body(&d.body);
            }
            Item::Invariant(inv) => {
                self.decision(&inv.decision);
                if let Some(a) = &inv.assertion {
                    self.outcome(&a.outcome);
                    self.expr(&a.condition);
                }
            }
            Item::Example(ex) => {
                self.decision(&ex.decision);
                for (name, value, _) in &ex.facts {
                    self.add(Symbol::Fact(name.name.clone()), name.span, false, None);
                    if let Value::Name(v) = value {
                        self.add(Symbol::Value(v.name.clone()), v.span, false, None);
                    }
                }
                if let Some(Expectation::Outcome(o)) = &ex.expectation {
                    self.outcome(o);
                }
            }
        }
    }

    fn decision(&mut self, decision: &Option<Ident>) {
        if let Some(d) = decision {
            self.add(Symbol::Decision(d.name.clone()), d.span, false, None);
        }
    }

    fn outcome(&mut self, o: &Outcome) {
        if let Some(r) = &o.reason {
            self.add(Symbol::Reason(r.name.clone()), r.span, false, None);
        }
        if let Some(date) = &o.shown_from {
            self.expr(date);
        }
    }

    fn body(&mut self, body: &RuleBody) {
        self.decision(&body.decision);
        for g in &body.groups {
            self.add(Symbol::Group(g.name.clone()), g.span, true, None);
        }
        for t in &body.overrides {
            match t {
                Target::Rule(r) => self.add(Symbol::Rule(r.name.clone()), r.span, false, None),
                Target::Group(g) => self.add(Symbol::Group(g.name.clone()), g.span, false, None),
            }
        }
        if let Some(c) = &body.condition {
            self.expr(c);
        }
        if let Some(o) = &body.outcome {
            self.outcome(o);
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Or(parts) | ExprKind::And(parts) => parts.iter().for_each(|p| self.expr(p)),
            ExprKind::Not(inner) => self.expr(inner),
            ExprKind::Compare { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::In { lhs, values, .. } => {
                self.expr(lhs);
                for v in values {
                    self.add(Symbol::Value(v.name.clone()), v.span, false, None);
                }
            }
            ExprKind::Shift { base, .. } => self.expr(base),
            ExprKind::Presence { operand, .. } => self.expr(operand),
            ExprKind::Age { birth, on } => {
                self.expr(birth);
                self.expr(on);
            }
            ExprKind::Name(name) => {
                // A name in a condition is a fact, or else a value (`läsare = patient`).
                let symbol = if !self.facts.contains(name) && self.values.contains(name) {
                    Symbol::Value(name.clone())
                } else {
                    Symbol::Fact(name.clone())
                };
                self.add(symbol, e.span, false, None);
            }
            ExprKind::Literal(_) => {}
        }
    }
}
