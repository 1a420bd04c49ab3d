//! Declarations: `regelverk`, `typ`, `fakta`, `härledd`, `beslut`, `regel`, `avsteg`,
//! `invariant` and `exempel`, with the clauses rules and deviations share.

use super::Lower;
use crate::diagnostic::Span;
use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;
use pest::iterators::Pair;

impl Lower {
    pub(super) fn lower_header(&mut self, pair: Pair<Rule>) -> Header {
        let span = self.span(&pair);
        let mut strings = pair.into_inner().filter(|p| p.as_rule() == Rule::string);
        let title = strings.next().map(|p| self.text(p)).unwrap_or(Text {
            value: String::new(),
            span,
        });
        let base = strings.next().map(|p| self.text(p));
        Header { title, base, span }
    }

    pub(super) fn lower_type_decl(&mut self, pair: Pair<Rule>) -> TypeDecl {
        let span = self.span(&pair);
        let mut name = None;
        let mut values = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_typ => {}
                Rule::value => name = Some(self.ident(p)),
                Rule::value_list => values = self.values(p),
                rule => unreachable!("type_decl: {rule:?}"),
            }
        }
        let name = name.unwrap_or(Ident {
            name: String::new(),
            span,
        });
        TypeDecl { name, values, span }
    }

    pub(super) fn lower_fact_decl(&mut self, pair: Pair<Rule>) -> FactDecl {
        let span = self.span(&pair);
        let mut name = Ident {
            name: String::new(),
            span,
        };
        let mut ty = TypeExpr::Bool;
        let mut ty_span = span;
        let mut optional = None;
        let mut default = None;
        let mut read_by_regions = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_fakta => {}
                Rule::read_by_regions => read_by_regions = Some(self.span(&p)),
                Rule::may_be_absent => optional = Some(self.span(&p)),
                Rule::name => name = self.ident(p),
                Rule::fact_type => {
                    ty_span = self.span(&p);
                    ty = self.lower_fact_type(p);
                }
                Rule::default_value => {
                    let s = self.span(&p);
                    if let Some(v) = self.lower_value(p) {
                        default = Some((v, s));
                    }
                }
                rule => unreachable!("fact_decl: {rule:?}"),
            }
        }
        FactDecl {
            name,
            ty,
            ty_span,
            optional,
            default,
            read_by_regions,
            span,
        }
    }

    fn lower_fact_type(&mut self, pair: Pair<Rule>) -> TypeExpr {
        let Some(inner) = pair.into_inner().next() else {
            return TypeExpr::Bool;
        };
        match inner.as_rule() {
            Rule::bool_type => TypeExpr::Bool,
            Rule::date_type => TypeExpr::Date,
            Rule::text_type => TypeExpr::Text,
            Rule::id_type => TypeExpr::Id,
            Rule::type_ref => TypeExpr::Named(self.ident(inner)),
            Rule::int_type => {
                let bounds: Vec<i64> = inner
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::integer)
                    .filter_map(|p| self.lower_integer(p))
                    .collect();
                match bounds.as_slice() {
                    [min, max] => TypeExpr::Int {
                        min: *min,
                        max: *max,
                    },
                    _ => TypeExpr::Int { min: 0, max: 0 },
                }
            }
            rule => unreachable!("fact_type: {rule:?}"),
        }
    }

    pub(super) fn lower_derived_decl(&mut self, pair: Pair<Rule>) -> DerivedDecl {
        let span = self.span(&pair);
        let mut name = Ident {
            name: String::new(),
            span,
        };
        let mut expr = None;
        let mut interpretations = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_harledd => {}
                Rule::name => name = self.ident(p),
                Rule::expr => expr = Some(self.lower_expr(p)),
                Rule::interpretation_clause => {
                    interpretations.push(self.lower_source_clause(p));
                }
                rule => unreachable!("derived_decl: {rule:?}"),
            }
        }
        let expr = expr.unwrap_or(Expr {
            kind: ExprKind::Literal(Literal::Bool(false)),
            span,
        });
        DerivedDecl {
            name,
            expr,
            interpretations,
            span,
        }
    }

    pub(super) fn lower_decision_decl(&mut self, pair: Pair<Rule>) -> DecisionDecl {
        let span = self.span(&pair);
        let mut decision = DecisionDecl {
            name: Ident {
                name: String::new(),
                span,
            },
            outcomes: Vec::new(),
            default: None,
            sources: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_beslut => {}
                Rule::name => decision.name = self.ident(p),
                Rule::outcomes => {
                    if let Some(list) = p.into_inner().find(|p| p.as_rule() == Rule::value_list) {
                        decision.outcomes = self.values(list);
                    }
                }
                Rule::default_clause => {
                    if let Some(o) = self.lower_default_clause(p) {
                        let mut slot = decision.default.take();
                        self.set_once(&mut slot, o, "`standard`", |o| o.span);
                        decision.default = slot;
                    }
                }
                Rule::source_clause => decision.sources.push(self.lower_source_clause(p)),
                rule => unreachable!("decision_decl: {rule:?}"),
            }
        }
        decision
    }

    /// A clause shared by rules and deviations; returns false if `pair` is not one.
    fn rule_clause<'i>(
        &mut self,
        body: &mut RuleBody,
        pair: Pair<'i, Rule>,
    ) -> Option<Pair<'i, Rule>> {
        match pair.as_rule() {
            Rule::source_clause => body.sources.push(self.lower_source_clause(pair)),
            Rule::interpretation_clause => {
                body.interpretations.push(self.lower_source_clause(pair));
            }
            Rule::valid_from => {
                if let Some(date) = self.lower_date_clause(pair) {
                    let mut slot = body.valid_from.take();
                    self.set_once(&mut slot, date, "`gäller från`", |d| d.span);
                    body.valid_from = slot;
                }
            }
            Rule::valid_until => {
                if let Some(date) = self.lower_date_clause(pair) {
                    let mut slot = body.valid_until.take();
                    self.set_once(&mut slot, date, "`gäller till och med`", |d| d.span);
                    body.valid_until = slot;
                }
            }
            Rule::decision_ref => {
                if let Some(name) = pair.into_inner().find(|p| p.as_rule() == Rule::name) {
                    let ident = self.ident(name);
                    let mut slot = body.decision.take();
                    self.set_once(&mut slot, ident, "`beslut`", |i| i.span);
                    body.decision = slot;
                }
            }
            Rule::group_clause => {
                if let Some(v) = pair.into_inner().find(|p| p.as_rule() == Rule::value) {
                    body.groups.push(self.ident(v));
                }
            }
            Rule::overrides_clause => {
                for target in pair.into_inner().filter(|p| p.as_rule() == Rule::target) {
                    if let Some(inner) = target.into_inner().next() {
                        body.overrides.push(match inner.as_rule() {
                            Rule::group_target => {
                                let span = self.span(&inner);
                                let name = inner
                                    .into_inner()
                                    .find(|p| p.as_rule() == Rule::value)
                                    .map(|p| self.ident(p))
                                    .unwrap_or(Ident {
                                        name: String::new(),
                                        span,
                                    });
                                Target::Group(name)
                            }
                            Rule::rule_id => Target::Rule(self.ident(inner)),
                            rule => unreachable!("target: {rule:?}"),
                        });
                    }
                }
            }
            Rule::condition_clause => {
                if let Some(e) = pair.into_inner().find(|p| p.as_rule() == Rule::expr) {
                    let expr = self.lower_expr(e);
                    let mut slot = body.condition.take();
                    self.set_once(&mut slot, expr, "`om`", |e| e.span);
                    body.condition = slot;
                }
            }
            Rule::outcome_clause => {
                let mut outcome = None;
                let mut shown_from = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::outcome => outcome = Some(self.lower_outcome(p)),
                        Rule::shown_from => shown_from = self.lower_shown_from(p),
                        _ => {}
                    }
                }
                if let Some(mut outcome) = outcome {
                    outcome.shown_from = shown_from;
                    let mut slot = body.outcome.take();
                    self.set_once(&mut slot, outcome, "`då`", |o| o.span);
                    body.outcome = slot;
                }
            }
            _ => return Some(pair),
        }
        None
    }

    pub(super) fn lower_rule_decl(&mut self, pair: Pair<Rule>) -> RuleDecl {
        let span = self.span(&pair);
        let mut id = Ident {
            name: String::new(),
            span,
        };
        let mut title = Text {
            value: String::new(),
            span,
        };
        let mut body = RuleBody::default();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_regel => {}
                Rule::rule_id => id = self.ident(p),
                Rule::string => title = self.text(p),
                _ => {
                    if let Some(p) = self.rule_clause(&mut body, p) {
                        unreachable!("rule_decl: {:?}", p.as_rule())
                    }
                }
            }
        }
        RuleDecl {
            id,
            title,
            body,
            span,
        }
    }

    pub(super) fn lower_deviation_decl(&mut self, pair: Pair<Rule>) -> DeviationDecl {
        let span = self.span(&pair);
        let mut d = DeviationDecl {
            id: Ident {
                name: String::new(),
                span,
            },
            title: Text {
                value: String::new(),
                span,
            },
            motivation: None,
            changes: Vec::new(),
            body: RuleBody::default(),
            default: None,
            span,
        };
        for p in pair.into_inner() {
            let clause_span = self.span(&p);
            match p.as_rule() {
                Rule::kw_avsteg => {}
                Rule::rule_id => d.id = self.ident(p),
                Rule::string => d.title = self.text(p),
                Rule::motivation_clause => {
                    let text = self.lower_source_clause(p);
                    let mut slot = d.motivation.take();
                    self.set_once(&mut slot, text, "`motivering`", |t| t.span);
                    d.motivation = slot;
                }
                Rule::replace_rule
                | Rule::remove_rule
                | Rule::remove_invariant
                | Rule::replace_decision
                | Rule::new_rule
                | Rule::redefine
                | Rule::extend
                | Rule::require => {
                    if let Some(change) = self.lower_change(p) {
                        d.changes.push((change, clause_span));
                    }
                }
                Rule::default_clause => {
                    if let Some(o) = self.lower_default_clause(p) {
                        let mut slot = d.default.take();
                        self.set_once(&mut slot, o, "`standard`", |o| o.span);
                        d.default = slot;
                    }
                }
                _ => {
                    if let Some(p) = self.rule_clause(&mut d.body, p) {
                        unreachable!("deviation_decl: {:?}", p.as_rule())
                    }
                }
            }
        }
        d
    }

    /// What a deviation changes: `ersätter regel`, `stryker regel`, `stryker invariant`,
    /// `ersätter beslut`, `ny regel`, `omdefinierar` or `utökar`.
    fn lower_change(&mut self, pair: Pair<Rule>) -> Option<Change> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let mut find = |wanted: Rule| inner.find(|p| p.as_rule() == wanted);
        match rule {
            Rule::replace_rule => Some(Change::ReplaceRule(self.ident(find(Rule::rule_id)?))),
            Rule::remove_rule => Some(Change::RemoveRule(self.ident(find(Rule::rule_id)?))),
            Rule::remove_invariant => Some(Change::RemoveInvariant(self.text(find(Rule::string)?))),
            Rule::replace_decision => Some(Change::ReplaceDecision(self.ident(find(Rule::name)?))),
            Rule::require => Some(Change::Require(self.ident(find(Rule::name)?))),
            Rule::new_rule => Some(Change::NewRule(span)),
            Rule::redefine => {
                let mut name = None;
                let mut expr = None;
                for q in inner {
                    match q.as_rule() {
                        Rule::name => name = Some(self.ident(q)),
                        Rule::expr => expr = Some(self.lower_expr(q)),
                        _ => {}
                    }
                }
                Some(Change::Redefine {
                    name: name?,
                    expr: expr?,
                })
            }
            Rule::extend => {
                let mut ty = None;
                let mut values = Vec::new();
                for q in inner {
                    match q.as_rule() {
                        Rule::value => ty = Some(self.ident(q)),
                        Rule::value_list => values = self.values(q),
                        _ => {}
                    }
                }
                Some(Change::Extend { ty: ty?, values })
            }
            rule => unreachable!("change: {rule:?}"),
        }
    }

    pub(super) fn lower_invariant_decl(&mut self, pair: Pair<Rule>) -> InvariantDecl {
        let span = self.span(&pair);
        let mut inv = InvariantDecl {
            title: None,
            decision: None,
            sources: Vec::new(),
            interpretations: Vec::new(),
            assertion: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_invariant => {}
                Rule::string => inv.title = Some(self.text(p)),
                Rule::source_clause => inv.sources.push(self.lower_source_clause(p)),
                Rule::interpretation_clause => {
                    inv.interpretations.push(self.lower_source_clause(p));
                }
                Rule::decision_ref => {
                    if let Some(name) = p.into_inner().find(|p| p.as_rule() == Rule::name) {
                        let ident = self.ident(name);
                        let mut slot = inv.decision.take();
                        self.set_once(&mut slot, ident, "`beslut`", |i| i.span);
                        inv.decision = slot;
                    }
                }
                Rule::assertion => {
                    if let Some(assertion) = self.lower_assertion(p) {
                        let mut slot = inv.assertion.take();
                        self.set_once(&mut slot, assertion, "`alltid`/`aldrig`", |a| a.span);
                        inv.assertion = slot;
                    }
                }
                rule => unreachable!("invariant_decl: {rule:?}"),
            }
        }
        inv
    }

    pub(super) fn lower_example_decl(&mut self, pair: Pair<Rule>) -> ExampleDecl {
        let span = self.span(&pair);
        let mut ex = ExampleDecl {
            title: Text {
                value: String::new(),
                span,
            },
            decision: None,
            sources: Vec::new(),
            facts: Vec::new(),
            expectation: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_exempel => {}
                Rule::string => ex.title = self.text(p),
                Rule::source_clause => ex.sources.push(self.lower_source_clause(p)),
                Rule::decision_ref => {
                    if let Some(name) = p.into_inner().find(|p| p.as_rule() == Rule::name) {
                        let ident = self.ident(name);
                        let mut slot = ex.decision.take();
                        self.set_once(&mut slot, ident, "`beslut`", |i| i.span);
                        ex.decision = slot;
                    }
                }
                Rule::assignment => {
                    if let Some(fact) = self.lower_assignment(p) {
                        ex.facts.push(fact);
                    }
                }
                Rule::expectation => {
                    if let Some(e) = self.lower_expectation(p) {
                        let mut slot = ex.expectation.take();
                        self.set_once(&mut slot, e, "`förväntat`", |e| match e {
                            Expectation::Outcome(o) => o.span,
                            Expectation::Error(s) => *s,
                        });
                        ex.expectation = slot;
                    }
                }
                rule => unreachable!("example_decl: {rule:?}"),
            }
        }
        ex
    }

    /// `alltid`/`aldrig` OUTCOME `när` CONDITION.
    fn lower_assertion(&mut self, pair: Pair<Rule>) -> Option<Assertion> {
        let span = self.span(&pair);
        let mut quantifier = Quantifier::Never;
        let mut outcome = None;
        let mut condition = None;
        for q in pair.into_inner() {
            match q.as_rule() {
                Rule::kw_alltid => quantifier = Quantifier::Always,
                Rule::kw_aldrig => quantifier = Quantifier::Never,
                Rule::outcome => outcome = Some(self.lower_outcome(q)),
                Rule::expr => condition = Some(self.lower_expr(q)),
                _ => {}
            }
        }
        Some(Assertion {
            quantifier,
            outcome: outcome?,
            condition: condition?,
            span,
        })
    }

    /// An example's `faktum = värde`.
    fn lower_assignment(&mut self, pair: Pair<Rule>) -> Option<(Ident, Value, Span)> {
        let span = self.span(&pair);
        let mut name = None;
        let mut value = None;
        for q in pair.into_inner() {
            match q.as_rule() {
                Rule::name => name = Some(self.ident(q)),
                Rule::literal => value = self.lower_literal(q).map(Value::Literal),
                Rule::value => value = Some(Value::Name(self.ident(q))),
                _ => {}
            }
        }
        Some((name?, value?, span))
    }

    /// An example's `förväntat UTFALL` or `förväntat fel`.
    fn lower_expectation(&mut self, pair: Pair<Rule>) -> Option<Expectation> {
        let span = self.span(&pair);
        let mut expectation = None;
        let mut shown_from = None;
        for q in pair.into_inner() {
            match q.as_rule() {
                Rule::kw_fel => expectation = Some(Expectation::Error(span)),
                Rule::outcome => expectation = Some(Expectation::Outcome(self.lower_outcome(q))),
                Rule::shown_from => shown_from = self.lower_shown_from(q),
                _ => {}
            }
        }
        if let Some(Expectation::Outcome(o)) = &mut expectation {
            o.shown_from = shown_from;
        }
        expectation
    }
}
