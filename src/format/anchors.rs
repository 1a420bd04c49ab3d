//! The nodes of a syntax tree that comments hang on: every declaration, every clause, every
//! operand of `och` and `eller`, and every fact of an example. The printer enters the same
//! nodes (by their spans) when it writes them.

use super::comments::Anchor;
use crate::diagnostic::Span;
use crate::syntax::ast::*;

#[derive(Default)]
pub(super) struct Walk {
    pub anchors: Vec<Anchor>,
}

impl Walk {
    fn push(&mut self, span: Span, depth: u32) {
        self.anchors.push(Anchor {
            start: span.start,
            end: span.end,
            depth,
        });
    }

    pub fn file(&mut self, file: &File) {
        for item in &file.items {
            self.item(item);
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Header(Header { span, .. })
            | Item::Type(TypeDecl { span, .. })
            | Item::Fact(FactDecl { span, .. }) => self.push(*span, 1),
            Item::Derived(DerivedDecl {
                expr,
                interpretations,
                span,
                ..
            }) => {
                self.push(*span, 1);
                self.expr(expr, 1);
                self.texts(interpretations);
            }
            Item::Decision(d) => {
                self.push(d.span, 1);
                if let (Some(first), Some(last)) = (d.outcomes.first(), d.outcomes.last()) {
                    self.push(first.span.to(last.span), 2);
                }
                if let Some(o) = &d.default {
                    self.push(o.span, 2);
                }
                self.texts(&d.sources);
            }
            Item::Rule(r) => {
                self.push(r.span, 1);
                self.body(&r.body);
            }
            Item::Deviation(d) => {
                self.push(d.span, 1);
                if let Some(m) = &d.motivation {
                    self.push(m.span, 2);
                }
                for (change, span) in &d.changes {
                    self.push(*span, 2);
                    if let Change::Redefine { expr, .. } = change {
                        self.expr(expr, 2);
                    }
                }
                if let Some(o) = &d.default {
                    self.push(o.span, 2);
                }
                self.body(&d.body);
            }
            Item::Invariant(inv) => {
                self.push(inv.span, 1);
                self.texts(&inv.sources);
                self.texts(&inv.interpretations);
                if let Some(d) = &inv.decision {
                    self.push(d.span, 2);
                }
                if let Some(a) = &inv.assertion {
                    self.push(a.span, 2);
                    self.expr(&a.condition, 2);
                }
            }
            Item::Example(ex) => {
                self.push(ex.span, 1);
                self.texts(&ex.sources);
                if let Some(d) = &ex.decision {
                    self.push(d.span, 2);
                }
                for (_, _, span) in &ex.facts {
                    self.push(*span, 2);
                }
                match &ex.expectation {
                    Some(Expectation::Outcome(o)) => self.push(o.span, 2),
                    Some(Expectation::Error(span)) => self.push(*span, 2),
                    None => {}
                }
            }
        }
    }

    fn texts(&mut self, texts: &[Text]) {
        for t in texts {
            self.push(t.span, 2);
        }
    }

    fn body(&mut self, body: &RuleBody) {
        self.texts(&body.sources);
        self.texts(&body.interpretations);
        for period in [&body.valid_from, &body.valid_until].into_iter().flatten() {
            self.push(period.span, 2);
        }
        if let Some(d) = &body.decision {
            self.push(d.span, 2);
        }
        for g in &body.groups {
            self.push(g.span, 2);
        }
        for t in &body.overrides {
            match t {
                Target::Rule(i) | Target::Group(i) => self.push(i.span, 2),
            }
        }
        if let Some(c) = &body.condition {
            self.push(c.span, 2);
            self.expr(c, 2);
        }
        if let Some(o) = &body.outcome {
            self.push(o.span, 2);
        }
    }

    /// The operands of every `och`/`eller` chain in `e`, one level deeper than `depth`.
    fn expr(&mut self, e: &Expr, depth: u32) {
        match &e.kind {
            ExprKind::Or(parts) | ExprKind::And(parts) => {
                for p in parts {
                    self.push(p.span, depth + 1);
                    self.expr(p, depth + 1);
                }
            }
            ExprKind::Not(inner) => self.expr(inner, depth),
            ExprKind::Compare { lhs, rhs, .. } => {
                self.expr(lhs, depth);
                self.expr(rhs, depth);
            }
            ExprKind::In { lhs, .. } | ExprKind::Presence { operand: lhs, .. } => {
                self.expr(lhs, depth)
            }
            ExprKind::Shift { base, .. } => self.expr(base, depth),
            ExprKind::Age { birth, on } => {
                self.expr(birth, depth);
                self.expr(on, depth);
            }
            ExprKind::Name(_) | ExprKind::Literal(_) => {}
        }
    }
}
