//! Declarations in canonical form: the declaration's line at the left margin, each clause on
//! a line of its own indented two spaces, clauses in one fixed order. Every node is taken
//! apart without `..`, so a new kind of node or clause is a compile error here until the
//! formatter writes it.

use super::comments::blank_line_before;
use super::expr::{self, Prec};
use super::lines::{Lines, WIDTH};
use crate::diagnostic::Span;
use crate::syntax::ast::*;

const CLAUSE: usize = 2;

pub(super) struct Printer<'t> {
    pub lines: Lines,
    pub text: &'t str,
}

impl Printer<'_> {
    pub fn file(&mut self, file: &File) {
        let File { items, skipped: _ } = file;
        for item in items {
            let span = item_span(item);
            self.lines.line(0);
            if blank_line_before(self.text, span.start as usize) {
                self.lines.blank_before();
            }
            self.lines.enter(span, true);
            self.item(item);
            self.lines.leave(span);
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Header(h) => self.header(h),
            Item::Type(t) => self.type_decl(t),
            Item::Fact(f) => self.fact(f),
            Item::Derived(d) => self.derived(d),
            Item::Decision(d) => self.decision(d),
            Item::Rule(r) => self.rule(r),
            Item::Deviation(d) => self.deviation(d),
            Item::Invariant(i) => self.invariant(i),
            Item::Example(e) => self.example(e),
        }
    }

    /// Starts a clause line for the node with this span.
    fn clause(&mut self, span: Span, text: &str) {
        self.lines.line(CLAUSE);
        self.lines.enter(span, false);
        self.lines.write(text);
    }

    fn end(&mut self, span: Span) {
        self.lines.leave(span);
    }

    fn header(&mut self, h: &Header) {
        let Header {
            title,
            base,
            span: _,
        } = h;
        self.lines.write(&format!("regelverk {}", quoted(title)));
        if let Some(base) = base {
            self.lines.write(&format!(" bygger på {}", quoted(base)));
        }
    }

    fn type_decl(&mut self, t: &TypeDecl) {
        let TypeDecl {
            name,
            values,
            span: _,
        } = t;
        self.lines
            .write(&format!("typ {}: {}", name.name, names(values)));
    }

    fn fact(&mut self, f: &FactDecl) {
        let FactDecl {
            name,
            ty,
            ty_span: _,
            optional,
            default,
            read_by_regions,
            span: _,
        } = f;
        let ty = match ty {
            TypeExpr::Bool => "sant/falskt".to_owned(),
            TypeExpr::Int { min, max } => format!("heltal {min}..{max}"),
            TypeExpr::Date => "datum".to_owned(),
            TypeExpr::Text => "text".to_owned(),
            TypeExpr::Id => "id".to_owned(),
            TypeExpr::Named(n) => n.name.clone(),
        };
        self.lines.write(&format!("fakta {}: {ty}", name.name));
        if optional.is_some() {
            self.lines.write(", kan saknas");
        }
        if let Some((value, _)) = default {
            self.lines.write(&format!(" = {}", self::value(value)));
        }
        if read_by_regions.is_some() {
            self.lines.write(" (läses av regioner)");
        }
    }

    /// `NAME = EXPR` after `prefix`: on one line when it fits, otherwise the expression
    /// from the next line, indented four more than `indent`.
    fn definition(&mut self, indent: usize, prefix: &str, expr: &Expr) {
        self.lines.write(prefix);
        self.lines.write(" = ");
        let long = self.lines.column() + expr::flat(expr, Prec::Or).chars().count() > WIDTH;
        if long || expr::must_break(&mut self.lines, expr) {
            self.lines.trim_end();
            self.lines.line(indent + 4);
        }
        expr::write(&mut self.lines, expr, Prec::Or);
    }

    fn derived(&mut self, d: &DerivedDecl) {
        let DerivedDecl {
            name,
            expr,
            interpretations,
            span: _,
        } = d;
        self.definition(0, &format!("härledd {}", name.name), expr);
        self.interpretations(interpretations);
    }

    fn decision(&mut self, d: &DecisionDecl) {
        let DecisionDecl {
            name,
            outcomes,
            default,
            sources,
            span: _,
        } = d;
        self.lines.write(&format!("beslut {}", name.name));
        if let (Some(first), Some(last)) = (outcomes.first(), outcomes.last()) {
            let span = first.span.to(last.span);
            self.clause(span, &format!("utfall {}", names(outcomes)));
            self.end(span);
        }
        if let Some(o) = default {
            self.clause(o.span, &format!("standard {}", outcome(o)));
            self.end(o.span);
        }
        self.sources(sources);
    }

    fn sources(&mut self, sources: &[Text]) {
        for s in sources {
            self.clause(s.span, &format!("källa {}", quoted(s)));
            self.end(s.span);
        }
    }

    fn interpretations(&mut self, interpretations: &[Text]) {
        for t in interpretations {
            self.clause(t.span, &format!("tolkning {}", quoted(t)));
            self.end(t.span);
        }
    }

    /// The clauses that open a rule or an avsteg's rule: `källa`, `tolkning`, and the
    /// period `gäller från` / `gäller till och med`.
    fn rule_head(&mut self, body: &RuleBody) {
        let RuleBody {
            sources,
            interpretations,
            valid_from,
            valid_until,
            decision: _,
            groups: _,
            overrides: _,
            condition: _,
            outcome: _,
        } = body;
        self.sources(sources);
        self.interpretations(interpretations);
        if let Some(DateClause { date, span }) = valid_from {
            self.clause(*span, &format!("gäller från {date}"));
            self.end(*span);
        }
        if let Some(DateClause { date, span }) = valid_until {
            self.clause(*span, &format!("gäller till och med {date}"));
            self.end(*span);
        }
    }

    fn decision_ref(&mut self, decision: &Option<Ident>) {
        if let Some(d) = decision {
            self.clause(d.span, &format!("beslut {}", d.name));
            self.end(d.span);
        }
    }

    /// The clauses of a rule after its sources: `beslut`, `grupp`, `går före`, `om`, `då`.
    fn rule_clauses(&mut self, body: &RuleBody) {
        let RuleBody {
            sources: _,
            interpretations: _,
            valid_from: _,
            valid_until: _,
            decision,
            groups,
            overrides,
            condition,
            outcome,
        } = body;
        self.decision_ref(decision);
        for g in groups {
            self.clause(g.span, &format!("grupp {}", g.name));
            self.end(g.span);
        }
        if !overrides.is_empty() {
            self.lines.line(CLAUSE);
            self.lines.write("går före ");
            for (i, t) in overrides.iter().enumerate() {
                if i > 0 {
                    self.lines.write(", ");
                }
                let (ident, text) = match t {
                    Target::Rule(i) => (i, i.name.clone()),
                    Target::Group(i) => (i, format!("grupp {}", i.name)),
                };
                self.lines.enter(ident.span, false);
                self.lines.write(&text);
                self.lines.leave(ident.span);
            }
        }
        if let Some(c) = condition {
            self.clause(c.span, "om ");
            expr::write(&mut self.lines, c, Prec::Or);
            self.end(c.span);
        }
        if let Some(o) = outcome {
            self.clause(o.span, &format!("då {}", self::outcome(o)));
            self.end(o.span);
        }
    }

    fn rule(&mut self, r: &RuleDecl) {
        let RuleDecl {
            id,
            title,
            body,
            span: _,
        } = r;
        self.lines
            .write(&format!("regel {} {}", id.name, quoted(title)));
        self.rule_head(body);
        self.rule_clauses(body);
    }

    fn deviation(&mut self, d: &DeviationDecl) {
        let DeviationDecl {
            id,
            title,
            motivation,
            changes,
            body,
            default,
            span: _,
        } = d;
        self.lines
            .write(&format!("avsteg {} {}", id.name, quoted(title)));
        if let Some(m) = motivation {
            self.clause(m.span, &format!("motivering {}", quoted(m)));
            self.end(m.span);
        }
        self.rule_head(body);
        for (change, span) in changes {
            self.clause(*span, "");
            match change {
                Change::ReplaceRule(r) => self.lines.write(&format!("ersätter regel {}", r.name)),
                Change::RemoveRule(r) => self.lines.write(&format!("stryker regel {}", r.name)),
                Change::RemoveInvariant(title) => self
                    .lines
                    .write(&format!("stryker invariant {}", quoted(title))),
                Change::NewRule(_) => self.lines.write("ny regel"),
                Change::Redefine { name, expr } => {
                    self.definition(CLAUSE, &format!("omdefinierar {}", name.name), expr);
                }
                Change::Extend { ty, values } => {
                    self.lines
                        .write(&format!("utökar {} med {}", ty.name, names(values)))
                }
                Change::ReplaceDecision(n) => {
                    self.lines.write(&format!("ersätter beslut {}", n.name));
                }
                Change::Require(n) => self.lines.write(&format!("kräver {}", n.name)),
            }
            self.end(*span);
        }
        if let Some(o) = default {
            self.clause(o.span, &format!("standard {}", outcome(o)));
            self.end(o.span);
        }
        self.rule_clauses(body);
    }

    fn invariant(&mut self, inv: &InvariantDecl) {
        let InvariantDecl {
            title,
            decision,
            sources,
            interpretations,
            assertion,
            span: _,
        } = inv;
        self.lines.write("invariant");
        if let Some(t) = title {
            self.lines.write(&format!(" {}", quoted(t)));
        }
        self.sources(sources);
        self.interpretations(interpretations);
        self.decision_ref(decision);
        if let Some(a) = assertion {
            let Assertion {
                quantifier,
                outcome,
                condition,
                span,
            } = a;
            let word = match quantifier {
                Quantifier::Always => "alltid",
                Quantifier::Never => "aldrig",
            };
            self.clause(*span, &format!("{word} {} när ", self::outcome(outcome)));
            expr::write(&mut self.lines, condition, Prec::Or);
            self.end(*span);
        }
    }

    fn example(&mut self, ex: &ExampleDecl) {
        let ExampleDecl {
            title,
            decision,
            sources,
            facts,
            expectation,
            span: _,
        } = ex;
        self.lines.write(&format!("exempel {}", quoted(title)));
        self.sources(sources);
        self.decision_ref(decision);
        for (name, value, span) in facts {
            self.clause(*span, &format!("{} = {}", name.name, self::value(value)));
            self.end(*span);
        }
        match expectation {
            Some(Expectation::Outcome(o)) => {
                self.clause(o.span, &format!("förväntat {}", outcome(o)));
                self.end(o.span);
            }
            Some(Expectation::Error(span)) => {
                self.clause(*span, "förväntat fel");
                self.end(*span);
            }
            None => {}
        }
    }
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Header(Header { span, .. })
        | Item::Type(TypeDecl { span, .. })
        | Item::Fact(FactDecl { span, .. })
        | Item::Derived(DerivedDecl { span, .. })
        | Item::Decision(DecisionDecl { span, .. })
        | Item::Rule(RuleDecl { span, .. })
        | Item::Deviation(DeviationDecl { span, .. })
        | Item::Invariant(InvariantDecl { span, .. })
        | Item::Example(ExampleDecl { span, .. }) => *span,
    }
}

fn quoted(t: &Text) -> String {
    format!("\"{}\"", t.value)
}

fn names(values: &[Ident]) -> String {
    let names: Vec<&str> = values.iter().map(|v| v.name.as_str()).collect();
    names.join(", ")
}

fn value(v: &Value) -> String {
    match v {
        Value::Literal(l) => expr::literal(l),
        Value::Name(n) => n.name.clone(),
    }
}

fn outcome(o: &Outcome) -> String {
    let Outcome {
        value,
        reason,
        shown_from,
        span: _,
    } = o;
    let mut text = value.name.clone();
    if let Some(r) = reason {
        text.push_str(&format!(" skäl {}", r.name));
    }
    if let Some(date) = shown_from {
        text.push_str(&format!(" visas från {}", expr::flat(date, Prec::Sum)));
    }
    text
}
