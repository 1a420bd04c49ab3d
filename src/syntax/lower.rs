//! pest pairs to the typed syntax tree: one `lower_<rule>` function per grammar rule.

use super::ast::*;
use super::errors;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::source::FileId;
use crate::time::{Date, Unit};
use pest::Parser;
use pest::iterators::Pair;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/regel.pest"]
pub(super) struct RegelParser;

/// Parses one file. Returns the tree (possibly partial) and every problem found.
pub fn parse_file(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    if let Some(d) = errors::too_deep(text, file) {
        return (File::default(), vec![d]);
    }
    match RegelParser::parse(Rule::file, text) {
        Ok(mut pairs) => {
            let mut lower = Lower {
                file,
                diagnostics: Vec::new(),
            };
            let items = match pairs.next() {
                Some(root) => root
                    .into_inner()
                    .filter(|p| p.as_rule() != Rule::EOI)
                    .map(|p| lower.item(p))
                    .collect(),
                None => Vec::new(),
            };
            (File { items }, lower.diagnostics)
        }
        Err(error) => {
            // Parse again with pest's detailed tracking, which also records the punctuation
            // (`:`, `=`, `)`) it wanted; only failing files pay for it.
            pest::set_error_detail(true);
            let detailed = RegelParser::parse(Rule::file, text).err();
            pest::set_error_detail(false);
            (
                File::default(),
                vec![errors::parse_error(
                    detailed.as_ref().unwrap_or(&error),
                    file,
                    text,
                )],
            )
        }
    }
}

/// The length of `text` without trailing whitespace and trailing comments.
fn written_len(text: &str) -> usize {
    let mut text = text.trim_end();
    loop {
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        let line = text.get(line_start..).unwrap_or("");
        // A `#` after an even number of quotes on its line starts a comment.
        let comment = line
            .char_indices()
            .filter(|(_, c)| *c == '#')
            .map(|(i, _)| i)
            .find(|&i| {
                line.get(..i)
                    .is_some_and(|before| before.matches('"').count() % 2 == 0)
            });
        match comment {
            Some(i) => text = text.get(..line_start + i).unwrap_or("").trim_end(),
            None => return text.len(),
        }
    }
}

struct Lower {
    file: FileId,
    diagnostics: Vec<Diagnostic>,
}

impl Lower {
    /// The pair's span without the spaces and comments pest lets a rule end with, so a
    /// label under a condition stops where the condition does.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let start = pair.as_span().start();
        let end = start + written_len(pair.as_str());
        Span::new(
            self.file,
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(end).unwrap_or(u32::MAX),
        )
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            span: self.span(&pair),
            name: pair.as_str().to_owned(),
        }
    }

    fn text(&self, pair: Pair<Rule>) -> Text {
        let span = self.span(&pair);
        let value = pair
            .into_inner()
            .next()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default();
        Text { value, span }
    }

    fn duplicate(&mut self, what: &str, first: Span, again: Span) {
        self.diagnostics.push(
            Diagnostic::error(
                Code::DuplicateClause,
                format!("{what} står två gånger"),
                again,
                "andra gången",
            )
            .with_label(first, "första gången")
            .with_help(format!(
                "behåll en av raderna; {what} får bara stå en gång här"
            )),
        );
    }

    fn set_once<T>(
        &mut self,
        slot: &mut Option<T>,
        value: T,
        what: &str,
        span_of: impl Fn(&T) -> Span,
    ) {
        match slot {
            Some(first) => {
                let first = span_of(first);
                self.duplicate(what, first, span_of(&value));
            }
            None => *slot = Some(value),
        }
    }

    fn item(&mut self, pair: Pair<Rule>) -> Item {
        match pair.as_rule() {
            Rule::header => Item::Header(self.lower_header(pair)),
            Rule::type_decl => Item::Type(self.lower_type_decl(pair)),
            Rule::fact_decl => Item::Fact(self.lower_fact_decl(pair)),
            Rule::derived_decl => Item::Derived(self.lower_derived_decl(pair)),
            Rule::decision_decl => Item::Decision(self.lower_decision_decl(pair)),
            Rule::rule_decl => Item::Rule(self.lower_rule_decl(pair)),
            Rule::deviation_decl => Item::Deviation(self.lower_deviation_decl(pair)),
            Rule::invariant_decl => Item::Invariant(self.lower_invariant_decl(pair)),
            Rule::example_decl => Item::Example(self.lower_example_decl(pair)),
            rule => unreachable!("item: {rule:?}"),
        }
    }

    fn lower_header(&mut self, pair: Pair<Rule>) -> Header {
        let span = self.span(&pair);
        let mut strings = pair.into_inner().filter(|p| p.as_rule() == Rule::string);
        let title = strings.next().map(|p| self.text(p)).unwrap_or(Text {
            value: String::new(),
            span,
        });
        let base = strings.next().map(|p| self.text(p));
        Header { title, base, span }
    }

    fn values(&self, pair: Pair<Rule>) -> Vec<Ident> {
        pair.into_inner().map(|p| self.ident(p)).collect()
    }

    fn lower_type_decl(&mut self, pair: Pair<Rule>) -> TypeDecl {
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

    fn lower_fact_decl(&mut self, pair: Pair<Rule>) -> FactDecl {
        let span = self.span(&pair);
        let mut name = Ident {
            name: String::new(),
            span,
        };
        let mut ty = TypeExpr::Bool;
        let mut ty_span = span;
        let mut default = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_fakta => {}
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
            default,
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

    /// A value in a default or example: a literal or an enumeration value.
    fn lower_value(&mut self, pair: Pair<Rule>) -> Option<Value> {
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::literal => self.lower_literal(inner).map(Value::Literal),
            Rule::value => Some(Value::Name(self.ident(inner))),
            rule => unreachable!("default_value: {rule:?}"),
        }
    }

    fn lower_integer(&mut self, pair: Pair<Rule>) -> Option<i64> {
        match pair.as_str().parse::<i64>() {
            Ok(n) if n <= 1_000_000_000 => Some(n),
            _ => {
                let span = self.span(&pair);
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidLiteral,
                        format!("talet `{}` är för stort", pair.as_str()),
                        span,
                        "för stort tal",
                    )
                    .with_help("skriv ett tal som är högst 1000000000"),
                );
                None
            }
        }
    }

    fn lower_literal(&mut self, pair: Pair<Rule>) -> Option<Literal> {
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::date => match Date::parse(inner.as_str()) {
                Some(d) => Some(Literal::Date(d)),
                None => {
                    let span = self.span(&inner);
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidLiteral,
                            format!("`{}` är inget datum som finns", inner.as_str()),
                            span,
                            "den här dagen finns inte i kalendern",
                        )
                        .with_help("skriv år-månad-dag med en dag som finns, t.ex. 2026-02-28"),
                    );
                    None
                }
            },
            Rule::integer => self.lower_integer(inner).map(Literal::Int),
            Rule::string => Some(Literal::Text(self.text(inner).value)),
            Rule::truth => {
                let is_true = inner
                    .into_inner()
                    .next()
                    .is_some_and(|p| p.as_rule() == Rule::kw_sant);
                Some(Literal::Bool(is_true))
            }
            rule => unreachable!("literal: {rule:?}"),
        }
    }

    fn lower_derived_decl(&mut self, pair: Pair<Rule>) -> DerivedDecl {
        let span = self.span(&pair);
        let mut name = Ident {
            name: String::new(),
            span,
        };
        let mut expr = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_harledd => {}
                Rule::name => name = self.ident(p),
                Rule::expr => expr = Some(self.lower_expr(p)),
                rule => unreachable!("derived_decl: {rule:?}"),
            }
        }
        let expr = expr.unwrap_or(Expr {
            kind: ExprKind::Literal(Literal::Bool(false)),
            span,
        });
        DerivedDecl { name, expr, span }
    }

    fn lower_outcome(&mut self, pair: Pair<Rule>) -> Outcome {
        let span = self.span(&pair);
        let mut idents = pair.into_inner().filter(|p| p.as_rule() == Rule::value);
        let value = idents.next().map(|p| self.ident(p)).unwrap_or(Ident {
            name: String::new(),
            span,
        });
        let reason = idents.next().map(|p| self.ident(p));
        Outcome {
            value,
            reason,
            span,
        }
    }

    /// The `standard …` clause's outcome.
    fn lower_default_clause(&mut self, pair: Pair<Rule>) -> Option<Outcome> {
        let outcome = pair.into_inner().find(|p| p.as_rule() == Rule::outcome)?;
        Some(self.lower_outcome(outcome))
    }

    fn lower_decision_decl(&mut self, pair: Pair<Rule>) -> DecisionDecl {
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

    fn lower_source_clause(&mut self, pair: Pair<Rule>) -> Text {
        let span = self.span(&pair);
        pair.into_inner()
            .find(|p| p.as_rule() == Rule::string)
            .map(|p| self.text(p))
            .unwrap_or(Text {
                value: String::new(),
                span,
            })
    }

    /// A clause shared by rules and deviations; returns false if `pair` is not one.
    fn rule_clause<'i>(
        &mut self,
        body: &mut RuleBody,
        pair: Pair<'i, Rule>,
    ) -> Option<Pair<'i, Rule>> {
        match pair.as_rule() {
            Rule::source_clause => body.sources.push(self.lower_source_clause(pair)),
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
                if let Some(o) = pair.into_inner().find(|p| p.as_rule() == Rule::outcome) {
                    let outcome = self.lower_outcome(o);
                    let mut slot = body.outcome.take();
                    self.set_once(&mut slot, outcome, "`då`", |o| o.span);
                    body.outcome = slot;
                }
            }
            _ => return Some(pair),
        }
        None
    }

    fn lower_rule_decl(&mut self, pair: Pair<Rule>) -> RuleDecl {
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

    fn lower_deviation_decl(&mut self, pair: Pair<Rule>) -> DeviationDecl {
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
            let rule_id_in = |l: &Self, p: Pair<Rule>| {
                p.into_inner()
                    .find(|p| p.as_rule() == Rule::rule_id)
                    .map(|p| l.ident(p))
            };
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
                Rule::replace_rule => {
                    if let Some(id) = rule_id_in(self, p) {
                        d.changes.push((Change::ReplaceRule(id), clause_span));
                    }
                }
                Rule::remove_rule => {
                    if let Some(id) = rule_id_in(self, p) {
                        d.changes.push((Change::RemoveRule(id), clause_span));
                    }
                }
                Rule::replace_decision => {
                    if let Some(name) = p.into_inner().find(|p| p.as_rule() == Rule::name) {
                        d.changes
                            .push((Change::ReplaceDecision(self.ident(name)), clause_span));
                    }
                }
                Rule::new_rule => d.changes.push((Change::NewRule(clause_span), clause_span)),
                Rule::redefine => {
                    let mut name = None;
                    let mut expr = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::name => name = Some(self.ident(q)),
                            Rule::expr => expr = Some(self.lower_expr(q)),
                            _ => {}
                        }
                    }
                    if let (Some(name), Some(expr)) = (name, expr) {
                        d.changes
                            .push((Change::Redefine { name, expr }, clause_span));
                    }
                }
                Rule::extend => {
                    let mut ty = None;
                    let mut values = Vec::new();
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::value => ty = Some(self.ident(q)),
                            Rule::value_list => values = self.values(q),
                            _ => {}
                        }
                    }
                    if let Some(ty) = ty {
                        d.changes.push((Change::Extend { ty, values }, clause_span));
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

    fn lower_invariant_decl(&mut self, pair: Pair<Rule>) -> InvariantDecl {
        let span = self.span(&pair);
        let mut inv = InvariantDecl {
            title: None,
            decision: None,
            sources: Vec::new(),
            assertion: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_invariant => {}
                Rule::string => inv.title = Some(self.text(p)),
                Rule::source_clause => inv.sources.push(self.lower_source_clause(p)),
                Rule::decision_ref => {
                    if let Some(name) = p.into_inner().find(|p| p.as_rule() == Rule::name) {
                        let ident = self.ident(name);
                        let mut slot = inv.decision.take();
                        self.set_once(&mut slot, ident, "`beslut`", |i| i.span);
                        inv.decision = slot;
                    }
                }
                Rule::assertion => {
                    let a_span = self.span(&p);
                    let mut quantifier = Quantifier::Never;
                    let mut outcome = None;
                    let mut condition = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::kw_alltid => quantifier = Quantifier::Always,
                            Rule::kw_aldrig => quantifier = Quantifier::Never,
                            Rule::outcome => outcome = Some(self.lower_outcome(q)),
                            Rule::expr => condition = Some(self.lower_expr(q)),
                            _ => {}
                        }
                    }
                    if let (Some(outcome), Some(condition)) = (outcome, condition) {
                        let assertion = Assertion {
                            quantifier,
                            outcome,
                            condition,
                            span: a_span,
                        };
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

    fn lower_example_decl(&mut self, pair: Pair<Rule>) -> ExampleDecl {
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
                    let a_span = self.span(&p);
                    let mut name = None;
                    let mut value = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::name => name = Some(self.ident(q)),
                            Rule::literal => value = self.lower_literal(q).map(Value::Literal),
                            Rule::value => value = Some(Value::Name(self.ident(q))),
                            _ => {}
                        }
                    }
                    if let (Some(name), Some(value)) = (name, value) {
                        ex.facts.push((name, value, a_span));
                    }
                }
                Rule::expectation => {
                    let e_span = self.span(&p);
                    let mut expectation = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::kw_fel => expectation = Some(Expectation::Error(e_span)),
                            Rule::outcome => {
                                expectation = Some(Expectation::Outcome(self.lower_outcome(q)))
                            }
                            _ => {}
                        }
                    }
                    if let Some(e) = expectation {
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

    // ------------------------------------------------------------ expressions

    fn lower_expr(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        match pair.into_inner().next() {
            Some(inner) => self.lower_disjunction(inner),
            None => Expr {
                kind: ExprKind::Literal(Literal::Bool(false)),
                span,
            },
        }
    }

    /// `a eller b eller c` and `a och b och c`: flat lists.
    fn lower_chain(&mut self, pair: Pair<Rule>, is_or: bool) -> Expr {
        let span = self.span(&pair);
        let mut parts: Vec<Expr> = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_eller | Rule::kw_och => {}
                Rule::conjunction => parts.push(self.lower_chain(p, false)),
                Rule::negation => parts.push(self.lower_negation(p)),
                rule => unreachable!("chain: {rule:?}"),
            }
        }
        if parts.len() == 1 {
            return parts.pop().unwrap_or(Expr {
                kind: ExprKind::Literal(Literal::Bool(true)),
                span,
            });
        }
        let kind = if is_or {
            ExprKind::Or(parts)
        } else {
            ExprKind::And(parts)
        };
        Expr { kind, span }
    }

    fn lower_disjunction(&mut self, pair: Pair<Rule>) -> Expr {
        self.lower_chain(pair, true)
    }

    fn lower_negation(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let mut nots = 0usize;
        let mut inner = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_inte => nots += 1,
                Rule::comparison => inner = Some(self.lower_comparison(p)),
                rule => unreachable!("negation: {rule:?}"),
            }
        }
        let expr = inner.unwrap_or(Expr {
            kind: ExprKind::Literal(Literal::Bool(false)),
            span,
        });
        // `inte inte a` is `a`: folding the pairs keeps the tree shallow however many are written.
        if nots % 2 == 1 {
            Expr {
                kind: ExprKind::Not(Box::new(expr)),
                span,
            }
        } else {
            expr
        }
    }

    fn lower_comparison(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let lhs = match inner.next() {
            Some(p) => self.lower_sum(p),
            None => {
                return Expr {
                    kind: ExprKind::Literal(Literal::Bool(false)),
                    span,
                };
            }
        };
        let Some(next) = inner.next() else {
            return lhs;
        };
        match next.as_rule() {
            Rule::membership => {
                let mut negated = false;
                let mut values = Vec::new();
                for q in next.into_inner() {
                    match q.as_rule() {
                        Rule::kw_inte => negated = true,
                        Rule::kw_i => {}
                        Rule::value_list => values = self.values(q),
                        rule => unreachable!("membership: {rule:?}"),
                    }
                }
                Expr {
                    kind: ExprKind::In {
                        lhs: Box::new(lhs),
                        values,
                        negated,
                    },
                    span,
                }
            }
            Rule::compare_op => {
                let op = match next.as_str() {
                    "=" => CompareOp::Eq,
                    "≠" | "!=" => CompareOp::Ne,
                    "<" => CompareOp::Lt,
                    "<=" | "≤" => CompareOp::Le,
                    ">" => CompareOp::Gt,
                    ">=" | "≥" => CompareOp::Ge,
                    other => unreachable!("compare_op: {other}"),
                };
                let rhs = match inner.next() {
                    Some(p) => self.lower_sum(p),
                    None => Expr {
                        kind: ExprKind::Literal(Literal::Bool(false)),
                        span,
                    },
                };
                Expr {
                    kind: ExprKind::Compare {
                        op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span,
                }
            }
            rule => unreachable!("comparison: {rule:?}"),
        }
    }

    fn lower_sum(&mut self, pair: Pair<Rule>) -> Expr {
        let mut inner = pair.into_inner();
        let Some(first) = inner.next() else {
            unreachable!("sum without a term")
        };
        let mut expr = self.lower_term(first);
        let mut sign = 1i64;
        for p in inner {
            match p.as_rule() {
                Rule::shift_op => sign = if p.as_str() == "-" { -1 } else { 1 },
                Rule::duration => {
                    let span = expr.span.to(self.span(&p));
                    let mut amount = 0;
                    let mut unit = Unit::Days;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::integer => amount = self.lower_integer(q).unwrap_or(0),
                            Rule::unit => {
                                unit = match q.as_str() {
                                    "dag" | "dagar" => Unit::Days,
                                    "månad" | "månader" => Unit::Months,
                                    _ => Unit::Years,
                                }
                            }
                            rule => unreachable!("duration: {rule:?}"),
                        }
                    }
                    expr = Expr {
                        kind: ExprKind::Shift {
                            base: Box::new(expr),
                            amount: sign * amount,
                            unit,
                        },
                        span,
                    };
                }
                rule => unreachable!("sum: {rule:?}"),
            }
        }
        expr
    }

    fn lower_term(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            unreachable!("empty term")
        };
        match inner.as_rule() {
            Rule::paren => match inner.into_inner().find(|p| p.as_rule() == Rule::expr) {
                Some(e) => {
                    let mut expr = self.lower_expr(e);
                    expr.span = span;
                    expr
                }
                None => Expr {
                    kind: ExprKind::Literal(Literal::Bool(false)),
                    span,
                },
            },
            Rule::age_call => {
                let mut args = inner.into_inner().filter(|p| p.as_rule() == Rule::expr);
                let mut next_arg = |l: &mut Self| match args.next() {
                    Some(e) => l.lower_expr(e),
                    None => Expr {
                        kind: ExprKind::Literal(Literal::Bool(false)),
                        span,
                    },
                };
                let birth = next_arg(self);
                let on = next_arg(self);
                Expr {
                    kind: ExprKind::Age {
                        birth: Box::new(birth),
                        on: Box::new(on),
                    },
                    span,
                }
            }
            Rule::literal => {
                let kind = inner.clone().into_inner().next().map(|p| p.as_rule());
                match self.lower_literal(inner) {
                    Some(l) => Expr {
                        kind: ExprKind::Literal(l),
                        span,
                    },
                    // An invalid literal was reported. A stand-in of the same kind keeps the
                    // tree well-formed without a second, misleading type error.
                    None => {
                        let stand_in = match kind {
                            Some(Rule::date) => Literal::Date(Date::from_days(0)),
                            Some(Rule::integer) => Literal::Int(0),
                            _ => Literal::Bool(true),
                        };
                        Expr {
                            kind: ExprKind::Literal(stand_in),
                            span,
                        }
                    }
                }
            }
            Rule::name => Expr {
                kind: ExprKind::Name(inner.as_str().to_owned()),
                span,
            },
            rule => unreachable!("term: {rule:?}"),
        }
    }
}
